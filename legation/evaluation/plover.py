"""Scoring against PLOVER gold records (JSON list of sentence-level records).

``score_actors`` gives each gold ``actorText`` span to the actor stage's output for
the sentence and checks the resolved country code and sector. Codes are compared
after mapping the gold's legacy forms (JAP -> JPN, ITL -> ITA); the gold's ``IGO``
accepts any intergovernmental code (UNO, EUR, IGO). Sectors are compared on their
three-letter root (``CVLalb`` -> CVL), skipping ``***``; Legation's ACT (activists)
counts as the gold's CVL, the sector CAMEO-era dictionaries gave activists, and an
intergovernmental body's sector IGO counts as GOV where the gold codes the body IGO/GOV.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from legation.evaluation.metrics import PRF

LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "ROM": "ROU", "IMG": None}
IGO_CODES = {"UNO", "EUR", "IGO"}
SECTOR_EQUIVALENTS = {"CIV": "CVL", "ACT": "CVL", "HRI": "CVL", "ELI": "GOV", "INS": "REB"}
TYPE_NAMES_2016 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def load_records(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if isinstance(data, dict):
        data = data.get("records") or data.get("data") or []
    if not isinstance(data, list):
        raise ValueError(f"[E060] {path}: expected a JSON list of PLOVER records")
    return data


def gold_actors(record: dict[str, Any], role: str) -> list[dict[str, Any]]:
    value = record.get(role)
    if isinstance(value, list):
        return [a for a in value if isinstance(a, dict) and a.get("actorText")]
    return []


def locate(text: str, actor_text: str) -> tuple[int, int] | None:
    """Character span of a gold actorText; "A ... B" spans from A to B."""
    wanted = re.sub(r"\s+", " ", actor_text.strip())
    parts = [p.strip() for p in re.split(r"\s*\.\.+\s*", wanted) if p.strip()]
    if not parts:
        return None
    spans = []
    cursor = 0
    for part in parts:
        pattern = re.escape(part).replace(r"\ ", r"\s+")
        match = re.search(pattern, text[cursor:]) or re.search(pattern, text[cursor:], re.I)
        if match is None:
            first = re.escape(part.split()[0])
            match = re.search(first, text[cursor:])
            if match is None:
                return None
        spans.append((cursor + match.start(), cursor + match.end()))
        cursor += match.end()
    return spans[0][0], spans[-1][1]


def gold_code(code: str | None) -> str | None:
    if code in LEGACY_CODES:
        return LEGACY_CODES[code]
    return code


def sector_root(sector: str | None) -> str | None:
    if not sector or sector.startswith("*"):
        return None
    root = sector[:3].upper()
    return SECTOR_EQUIVALENTS.get(root, root)


def codes_match(gold: str | None, predicted: str | None) -> bool:
    gold = gold_code(gold)
    if gold == "IGO":
        return predicted in IGO_CODES
    return gold is not None and gold == predicted


def pick_actor(actors: Sequence[dict[str, Any]], start: int, end: int) -> dict[str, Any] | None:
    """The predicted actor for a gold span: overlapping, resolved, closest in extent."""
    best = None
    best_key = None
    for actor in actors:
        overlap = min(end, actor["end"]) - max(start, actor["start"])
        if overlap <= 0:
            continue
        extra = (actor["end"] - actor["start"]) - overlap
        key = (actor.get("code") is not None, overlap, -extra)
        if best_key is None or key > best_key:
            best, best_key = actor, key
    return best


def score_actors(records: list[dict[str, Any]], analyses: list[dict[str, Any]]) -> dict[str, Any]:
    totals = {"actors": 0, "located": 0, "code_correct": 0, "with_sector": 0, "sector_correct": 0}
    by_role = {role: {"actors": 0, "code_correct": 0} for role in ("source", "target")}
    errors = []
    for record, analysis in zip(records, analyses):
        text = record["text"]
        for role in ("source", "target"):
            for gold in gold_actors(record, role):
                totals["actors"] += 1
                by_role[role]["actors"] += 1
                span = locate(text, gold["actorText"])
                predicted = pick_actor(analysis.get("actors", []), *span) if span else None
                if span:
                    totals["located"] += 1
                code_ok = predicted is not None and codes_match(gold.get("code"), predicted.get("code"))
                totals["code_correct"] += code_ok
                by_role[role]["code_correct"] += code_ok
                wanted_sector = sector_root(gold.get("sector"))
                sector_ok = None
                if wanted_sector:
                    totals["with_sector"] += 1
                    got = sector_root(predicted.get("sector")) if predicted is not None else None
                    if got == "IGO" and gold_code(gold.get("code")) == "IGO" and wanted_sector == "GOV":
                        got = "GOV"  # the gold codes an IGO's own organs as its government
                    sector_ok = got == wanted_sector
                    totals["sector_correct"] += sector_ok
                if not code_ok or sector_ok is False:
                    errors.append({"id": record.get("id"), "role": role, "actorText": gold["actorText"],
                                   "gold": [gold.get("code"), gold.get("sector")],
                                   "predicted": [predicted.get("code"), predicted.get("sector"), predicted.get("text")] if predicted else None})
    n = totals["actors"] or 1
    return {
        "records": len(records),
        **totals,
        "code_accuracy": totals["code_correct"] / n,
        "sector_accuracy": totals["sector_correct"] / (totals["with_sector"] or 1),
        "source_code_accuracy": by_role["source"]["code_correct"] / (by_role["source"]["actors"] or 1),
        "target_code_accuracy": by_role["target"]["code_correct"] / (by_role["target"]["actors"] or 1),
        "errors": errors,
    }


def format_actor_report(result: dict[str, Any]) -> str:
    return "\n".join([
        f"PLOVER actors over {result['records']} records: {result['actors']} gold actors, {result['located']} located in the text",
        f"country code accuracy  {result['code_accuracy']:.3f}  (source {result['source_code_accuracy']:.3f}, target {result['target_code_accuracy']:.3f})",
        f"sector accuracy        {result['sector_accuracy']:.3f}  (over {result['with_sector']} actors with a gold sector)",
    ])


PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


def gold_type(record: dict[str, Any]) -> str | None:
    name = str(record.get("event") or "").strip().upper()
    return TYPE_NAMES_2016.get(name, name) or None


def actor_codes(actors: Sequence[dict[str, Any]] | None) -> set[str]:
    """The codes of a predicted event side (its actors without a code left out)."""
    return {a.get("code") for a in actors or [] if a.get("code")}


def any_match(gold_codes: Sequence[str | None], predicted: set[str]) -> bool:
    """Any gold code of a side equals any predicted code (legacy forms and IGO mapped)."""
    return any(codes_match(g, p) for g in gold_codes for p in predicted)


def primary_event(events: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The event a record is mainly about: the extractor's ``main`` event (one per sentence,
    ranked in ``legation.events.rank``); where the record was split into several sentences, the
    first main event of the highest confidence. Events from before ``main`` existed fall back
    on: not embedded under an operator, then salience, then confidence."""
    if not events:
        return None
    mains = [e for e in events if e.get("main")]
    if mains:
        return max(mains, key=lambda e: e.get("confidence", 0.0))
    return max(events, key=lambda e: (not e.get("embedded_in"), e.get("salience", 0.0), e.get("confidence", 0.0)))


def score_events(records: list[dict[str, Any]], analyses: list[dict[str, Any]]) -> dict[str, Any]:
    n = 0
    with_event = top1 = 0
    source_n = source_ok = target_n = target_ok = full_ok = 0
    per_type = {t: {"tp": 0, "fp": 0, "fn": 0} for t in PLOVER_TYPES}
    confusion: dict[str, dict[str, int]] = {}  # gold type -> predicted main type (None: no event) -> count
    errors = []
    for record, analysis in zip(records, analyses):
        wanted = gold_type(record)
        if wanted not in per_type:
            continue
        n += 1
        events = analysis.get("events", [])
        with_event += bool(events)
        main = primary_event(events)
        got = main.get("type") if main else None
        row = confusion.setdefault(wanted, {})
        row[str(got)] = row.get(str(got), 0) + 1
        if got == wanted:
            top1 += 1
            per_type[wanted]["tp"] += 1
        else:
            per_type[wanted]["fn"] += 1
            if got in per_type:
                per_type[got]["fp"] += 1
        same_type = [e for e in events if e.get("type") == wanted]
        chosen = max(same_type, key=lambda e: e.get("confidence", 0.0)) if same_type else main
        gold_sources = [a.get("code") for a in gold_actors(record, "source")]
        gold_targets = [a.get("code") for a in gold_actors(record, "target")]
        if gold_sources:
            source_n += 1
            source_ok += bool(chosen) and any_match(gold_sources, actor_codes(chosen.get("source")))
        if gold_targets:
            target_n += 1
            target_ok += bool(chosen) and any_match(gold_targets, actor_codes(chosen.get("target")))
        full = any(e.get("type") == wanted
                   and (not gold_sources or any_match(gold_sources, actor_codes(e.get("source"))))
                   and (not gold_targets or any_match(gold_targets, actor_codes(e.get("target"))))
                   for e in events)
        full_ok += full
        if got != wanted or not full:
            errors.append({"id": record.get("id"), "gold": [wanted, gold_sources, gold_targets],
                           "predicted": [got, sorted(actor_codes(main.get("source"))) if main else None,
                                         sorted(actor_codes(main.get("target"))) if main else None,
                                         (main.get("trigger") or {}).get("text") if main else None],
                           "text": record.get("text")})
    type_scores = {}
    f1s = []
    for name, c in per_type.items():
        counts = PRF(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])
        type_scores[name] = {"precision": counts.precision, "recall": counts.recall, "f1": counts.f1,
                             "support": counts.gold}
        if c["tp"] + c["fn"] or c["fp"]:
            f1s.append(counts.f1)
    return {
        "records": n,
        "with_event": with_event / n if n else 0.0,
        "top1_accuracy": top1 / n if n else 0.0,
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "source_country": source_ok / source_n if source_n else 0.0,
        "target_country": target_ok / target_n if target_n else 0.0,
        "type_source_target": full_ok / n if n else 0.0,
        "per_type": type_scores,
        "confusion": {g: dict(sorted(row.items())) for g, row in sorted(confusion.items())},
        "errors": errors,
    }


def format_event_report(result: dict[str, Any]) -> str:
    lines = [
        f"PLOVER events over {result['records']} records",
        f"sentences with an event   {result['with_event']:.3f}",
        f"top-1 type accuracy       {result['top1_accuracy']:.3f}",
        f"macro-F1 (16 types)       {result['macro_f1']:.3f}",
        f"source country            {result['source_country']:.3f}",
        f"target country            {result['target_country']:.3f}",
        f"type+source+target        {result['type_source_target']:.3f}",
        "",
        f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}",
    ]
    for name, s in result["per_type"].items():
        lines.append(f"{name:<10} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['support']:4d}")
    misses = sorted(((n, gold, got) for gold, row in result.get("confusion", {}).items() for got, n in row.items() if got != gold),
                    key=lambda x: (-x[0], x[1], x[2]))
    if misses:
        lines += ["", "confusion (gold -> predicted main event; None: no event), most frequent first"]
        lines += [f"  {gold:<10} -> {got:<10} {n:3d}" for n, gold, got in misses]
    return "\n".join(lines)


def score_no_events(records: list[dict[str, Any]], analyses: list[dict[str, Any]]) -> dict[str, Any]:
    """False events on sentences that report none (``{"id", "text", "kind"}`` records): the share
    of sentences with any event, and with an event told as asserted (not hypothetical or future)."""
    by_kind: dict[str, dict[str, int]] = {}
    errors = []
    any_event = asserted = 0
    for record, analysis in zip(records, analyses):
        events = analysis.get("events", [])
        counts = by_kind.setdefault(str(record.get("kind") or "other"), {"sentences": 0, "with_event": 0, "asserted": 0})
        counts["sentences"] += 1
        is_asserted = any(e.get("modality") == "asserted" for e in events)
        any_event += bool(events)
        asserted += is_asserted
        counts["with_event"] += bool(events)
        counts["asserted"] += is_asserted
        if events:
            errors.append({"id": record.get("id"), "events": [[e.get("type"), (e.get("trigger") or {}).get("text"),
                                                               e.get("modality")] for e in events],
                           "text": record.get("text")})
    n = len(records) or 1
    return {"records": len(records), "with_event": any_event / n, "with_asserted_event": asserted / n,
            "by_kind": by_kind, "errors": errors}


def format_no_event_report(result: dict[str, Any]) -> str:
    lines = [f"sentences that report no event: {result['records']}",
             f"with any event              {result['with_event']:.3f}",
             f"with an asserted event      {result['with_asserted_event']:.3f}", "",
             f"{'kind':<26} {'n':>4} {'any':>5} {'asserted':>9}"]
    for kind, c in sorted(result["by_kind"].items()):
        lines.append(f"{kind:<26} {c['sentences']:4d} {c['with_event']:5d} {c['asserted']:9d}")
    return "\n".join(lines)
