"""Score an analysis against a seed gold file (``../shared/seed/*.gold.json``).

Each part (times, actors, quotes, events, relation timeline) is scored on its own, as
the share of gold items found and right; parts the pipeline does not fill score 0.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from legation.evaluation.plover import actor_codes


def _norm(text: str | None) -> str:
    text = (text or "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\[[^\]]*\]", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def score_times(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    items = []
    used: set[int] = set()
    for g in gold:
        match = next((i for i, p in enumerate(predicted) if i not in used and _norm(p["text"]) == _norm(g["text"])), None)
        if match is None:
            match = next((i for i, p in enumerate(predicted) if i not in used and _norm(g["text"]) in _norm(p["text"])), None)
        value = predicted[match]["value"] if match is not None else None
        if match is not None:
            used.add(match)
        items.append({"text": g["text"], "gold": g["value"], "predicted": value, "found": match is not None,
                      "correct": value == g["value"]})
    correct = sum(i["correct"] for i in items)
    return {"score": correct / len(gold) if gold else 0.0, "correct": correct, "gold": len(gold),
            "predicted": len(predicted), "items": items}


def score_actors(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    items = []
    for g in gold:
        mention = _norm(g["mention"])
        candidates = [p for p in predicted if _norm(p.get("text")) == mention] or \
                     [p for p in predicted if mention in _norm(p.get("text")) or (_norm(p.get("text")) and _norm(p.get("text")) in mention)]
        allowed = set(g.get("sector") or [])
        right = [p for p in candidates if p.get("code") == g["code"] and (not allowed or p.get("sector") in allowed)]
        best = (right or candidates or [None])[0]
        items.append({"mention": g["mention"], "gold": [g["code"], sorted(allowed)],
                      "predicted": [best.get("code"), best.get("sector")] if best else None,
                      "found": bool(candidates), "correct": bool(right)})
    correct = sum(i["correct"] for i in items)
    return {"score": correct / len(gold) if gold else 0.0, "correct": correct, "gold": len(gold), "items": items}


QUOTE_KINDS = ("direct", "partial", "indirect")


def _pieces(quote: dict[str, Any]) -> list[dict[str, Any]]:
    """A predicted quote's segments as quotes of their own (the quote itself when it has one piece)."""
    segments = quote.get("segments") or []
    if len(segments) < 2:
        return [quote]
    start, content = quote["start"], quote.get("content") or ""
    return [dict(quote, start=a, end=b, content=content[a - start:b - start], segments=[[a, b]]) for a, b in segments]


def score_quotes(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    """A gold quote is found when a predicted content starts like it; the speaker is right
    when predicted speaker entities map one-to-one onto gold speaker entities. Only quotes
    and reported speech are scored: attributions of another kind (belief, stance,
    reference ...; see ``attribution_kinds`` in quote_cues.yaml) are not quotes.

    The seed lists each quotation as a quote of its own, while one predicted attribution
    may hold several pieces (a quote split by its speech tag, or continued with no cue:
    the record's ``segments``); such an attribution is scored piece by piece, each piece
    with the attribution's speaker."""
    predicted = [piece for p in predicted if p.get("kind", "indirect") in QUOTE_KINDS for piece in _pieces(p)]
    matches: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    used: set[int] = set()
    for g in gold:
        start = _norm(g["content_starts"])[:30]
        found = None
        for i, p in enumerate(predicted):
            if i not in used and start and start in _norm(p.get("content"))[: len(start) + 40]:
                found = i
                break
        if found is not None:
            used.add(found)
        matches.append((g, predicted[found] if found is not None else None))
    # map each gold speaker to the predicted entity it most often got
    votes: dict[str, Counter[str]] = {}
    for g, p in matches:
        if p is not None:
            votes.setdefault(g["speaker_entity"], Counter())[str((p.get("speaker") or {}).get("entity"))] += 1
    mapping = {gold_id: counter.most_common(1)[0][0] for gold_id, counter in votes.items()}
    taken = Counter(mapping.values())
    items = []
    for g, p in matches:
        entity = str((p.get("speaker") or {}).get("entity")) if p else None
        right = p is not None and entity not in ("None", None) and mapping.get(g["speaker_entity"]) == entity and taken[entity] == 1
        items.append({"id": g["id"], "found": p is not None, "speaker_correct": right})
    found = sum(i["found"] for i in items)
    correct = sum(i["speaker_correct"] for i in items)
    spurious = len(predicted) - len(used)
    return {"score": correct / len(gold) if gold else 0.0, "found": found, "speaker_correct": correct,
            "gold": len(gold), "predicted": len(predicted), "spurious": spurious, "items": items}


def _event_matches(g: dict[str, Any], p: dict[str, Any], check_modality: bool = True) -> dict[str, bool]:
    types = set(_as_list(g.get("type")))
    result = {"type": not types or p.get("type") in types}
    if g.get("source"):
        result["source"] = bool(set(_as_list(g["source"])) & actor_codes(p.get("source")))
    if g.get("target"):
        result["target"] = bool(set(_as_list(g["target"])) & actor_codes(p.get("target")))
    if "date" in g and g["date"] is not None:
        result["date"] = ((p.get("date") or {}).get("value")) == g["date"]
    if check_modality and g.get("modality"):
        result["modality"] = p.get("modality") == g["modality"]
    return result


def score_events(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    required = gold.get("required", [])
    items = []
    for g in required:
        best: dict[str, bool] | None = None
        for p in predicted:
            result = _event_matches(g, p)
            if best is None or sum(result.values()) > sum(best.values()):
                best = result
        items.append({"id": g["id"], "checks": best or {}, "correct": bool(best) and all(best.values())})
    violations = []
    for rule in gold.get("never", []):
        for p in predicted:
            result = _event_matches(rule, p)
            if all(result.values()):
                violations.append({"why": rule.get("why"), "event": p.get("id")})
    optional_found = sum(1 for g in gold.get("optional", []) if any(all(_event_matches(g, p, False).values()) for p in predicted))
    correct = sum(i["correct"] for i in items)
    return {"score": correct / len(required) if required else 0.0, "correct": correct, "gold": len(required),
            "predicted": len(predicted), "optional_found": optional_found, "never_violations": violations, "items": items}


def score_timeline(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    pair = set(gold.get("pair", []))
    mine = [r for r in predicted if {r.get("a"), r.get("b")} == pair and r.get("kind", "diplomatic") == gold.get("kind", "diplomatic")]
    items = []
    for t in gold.get("transitions", []):
        hit = any(r.get("change") == t["change"] and str(r.get("date") or "").startswith(t["date"]) for r in mine)
        items.append({"date": t["date"], "change": t["change"], "found": hit})
    found = sum(i["found"] for i in items)
    total = len(items)
    return {"score": found / total if total else 0.0, "found": found, "gold": total, "predicted": len(mine), "items": items}


def score_seed(analysis: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    parts = {
        "times": score_times(gold.get("time_expressions", []), analysis.get("times", [])),
        "actors": score_actors(gold.get("actors", []), analysis.get("actors", [])),
        "quotes": score_quotes(gold.get("quotes", []), analysis.get("quotes", [])),
        "events": score_events(gold.get("events", {}), analysis.get("events", [])),
        "relation_timeline": score_timeline(gold.get("relation_timeline", {}), analysis.get("relation_changes", [])),
    }
    return {"parts": parts, "summary": {name: round(part["score"], 3) for name, part in parts.items()}}


def format_seed_report(result: dict[str, Any]) -> str:
    lines = ["part               score   detail"]
    for name, part in result["parts"].items():
        detail = {k: v for k, v in part.items() if k not in ("items", "score", "never_violations")}
        lines.append(f"{name:<18} {part['score']:.3f}   " + ", ".join(f"{k}={v}" for k, v in detail.items()))
        for item in part["items"]:
            ok = item.get("correct", item.get("found")) if "speaker_correct" not in item else item["speaker_correct"]
            if not ok:
                lines.append(f"    miss: {item}")
    violations = result["parts"]["events"].get("never_violations")
    if violations:
        lines.append(f"never-events produced: {violations}")
    return "\n".join(lines)
