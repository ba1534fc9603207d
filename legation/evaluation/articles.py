"""Article-level event scoring: every event of an article hand-coded, every output event counted.

The gold file lists, per article (``split`` + ``file`` of a PolNeAR text), the events a coder
found, each with its sentence span, trigger span, PLOVER type, modality and source/target actors
(country code + sector). Legation's events for the article are matched one-to-one to the gold
events of the same sentence (the predicted trigger starts inside the gold sentence span); a
predicted event that matches nothing is a false positive, wherever it is in the article.

Three measures, each with its own one-to-one matching:
- ``type``: the PLOVER type is equal;
- ``type_source_target``: and each side matches: an empty gold side (or one with no coded
  actor) requires nothing, otherwise any gold code equals any predicted code (the gold's
  ``IGO`` accepts any intergovernmental code, as in ``evaluation.plover``);
- ``asserted``: the same, over asserted gold events and asserted predicted events only
  (a hedged event, "are believed to have", counts as asserted: the gold has no hedged value).

Within a sentence the matching is a maximum bipartite matching, trying the predicted triggers
nearest the gold trigger first, so the counts never depend on the order of the output.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legation.evaluation.metrics import PRF
from legation.evaluation.plover import actor_codes, any_match

MEASURES = ("type", "type_source_target", "asserted")
ASSERTED = frozenset({"asserted", "hedged"})  # predicted modalities the gold's "asserted" covers
GOLD_MODALITIES = frozenset({"asserted", "hypothetical", "future", "negated"})


class GoldFormatError(ValueError):
    """A gold file that does not follow the article gold format."""


@dataclass(frozen=True)
class GoldActor:
    span: tuple[int, int] | None
    code: str | None
    sector: str | None


@dataclass(frozen=True)
class GoldEvent:
    sentence: tuple[int, int]
    trigger: tuple[int, int]
    type: str
    cameo: str | None
    modality: str
    source: tuple[GoldActor, ...]
    target: tuple[GoldActor, ...]

    @property
    def source_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.source if a.code)

    @property
    def target_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.target if a.code)


@dataclass(frozen=True)
class GoldArticle:
    split: str
    file: str
    events: tuple[GoldEvent, ...]

    @property
    def key(self) -> str:
        return f"{self.split}/{self.file}"


def _span(value: Any, where: str) -> tuple[int, int]:
    if (not isinstance(value, (list, tuple)) or len(value) != 2 or not all(isinstance(v, int) for v in value)
            or value[0] > value[1]):
        raise GoldFormatError(f"[E061] {where}: expected a character span [start, end], got {value!r}; "
                              "fix the gold file")
    return int(value[0]), int(value[1])


def _actors(rows: Any, where: str) -> tuple[GoldActor, ...]:
    out = []
    for k, row in enumerate(rows or []):
        if not isinstance(row, dict):
            raise GoldFormatError(f"[E061] {where}[{k}]: expected an object with span, code and sector; fix the gold file")
        span = _span(row["span"], f"{where}[{k}].span") if row.get("span") is not None else None
        out.append(GoldActor(span, row.get("code") or None, row.get("sector") or None))
    return tuple(out)


def load_gold(path: str | Path) -> list[GoldArticle]:
    """The articles of an article gold file (``{"articles": [...]}``), in file order."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"[E061] cannot read article gold {path}: {exc}") from exc
    rows = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise GoldFormatError(f'[E061] {path}: expected {{"articles": [...]}}; see legation/evaluation/articles.py')
    articles = []
    for a, row in enumerate(rows):
        where = f"{path}: articles[{a}]"
        if not isinstance(row, dict) or not row.get("file") or not row.get("split"):
            raise GoldFormatError(f"[E061] {where}: every article needs 'split' and 'file'")
        events = []
        for e, ev in enumerate(row.get("events") or []):
            at = f"{where}.events[{e}]"
            modality = str(ev.get("modality") or "asserted")
            if modality not in GOLD_MODALITIES:
                raise GoldFormatError(f"[E061] {at}: modality {modality!r} is not one of {sorted(GOLD_MODALITIES)}")
            if not ev.get("type"):
                raise GoldFormatError(f"[E061] {at}: no event type")
            events.append(GoldEvent(_span(ev.get("sentence"), f"{at}.sentence"), _span(ev.get("trigger"), f"{at}.trigger"),
                                    str(ev["type"]).upper(), ev.get("cameo"), modality,
                                    _actors(ev.get("source"), f"{at}.source"), _actors(ev.get("target"), f"{at}.target")))
        articles.append(GoldArticle(str(row["split"]), str(row["file"]), tuple(events)))
    return articles


# ----------------------------------------------------------------------------------------------
def side_matches(gold_codes: Sequence[str], predicted: set[str]) -> bool:
    """An empty gold side requires nothing; otherwise any gold code equals any predicted code."""
    return not gold_codes or any_match(gold_codes, predicted)


def _start(event: dict[str, Any]) -> int | None:
    trigger = event.get("trigger") or {}
    start = trigger.get("start")
    if start is None:
        start = (event.get("evidence") or {}).get("start")
    return start


def _compatible(measure: str, gold: GoldEvent, event: dict[str, Any]) -> bool:
    if event.get("type") != gold.type:
        return False
    if measure == "type":
        return True
    return side_matches(gold.source_codes, actor_codes(event.get("source"))) and side_matches(
        gold.target_codes, actor_codes(event.get("target")))


def match(measure: str, gold: Sequence[GoldEvent], predicted: Sequence[dict[str, Any]]) -> dict[int, int]:
    """One-to-one matching, gold index -> predicted index, of maximum size: a predicted event
    is a candidate for a gold event when its trigger starts inside the gold sentence and it
    agrees with the gold under ``measure``."""
    options: list[list[int]] = []
    for g in gold:
        near = []
        for j, event in enumerate(predicted):
            start = _start(event)
            if start is None or not (g.sentence[0] <= start < g.sentence[1]) or not _compatible(measure, g, event):
                continue
            near.append((abs(start - g.trigger[0]), start, j))
        options.append([j for _, _, j in sorted(near)])
    owner: dict[int, int] = {}  # predicted -> gold

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        if options[i]:
            augment(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class ArticleScores:
    """Counts over a set of articles, per measure and per type."""

    articles: int = 0
    measures: dict[str, PRF] = field(default_factory=lambda: {m: PRF() for m in MEASURES})
    per_type: dict[str, dict[str, PRF]] = field(default_factory=dict)  # measure -> type -> counts
    false_triggers: Counter = field(default_factory=Counter)  # lemma of predicted events matching no gold type
    false_kinds: Counter = field(default_factory=Counter)  # what those false events look like
    missed_types: Counter = field(default_factory=Counter)  # gold types no predicted event matched

    def type_counts(self, measure: str, name: str) -> PRF:
        return self.per_type.setdefault(measure, {}).setdefault(name, PRF())

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            **{m: c.to_dict() for m, c in self.measures.items()},
            "per_type": {m: {t: c.to_dict() for t, c in sorted(rows.items())} for m, rows in self.per_type.items()},
            "false_trigger_lemmas": dict(self.false_triggers.most_common()),
            "false_event_kinds": dict(self.false_kinds.most_common()),
            "missed_types": dict(self.missed_types.most_common()),
        }


def false_kinds(event: dict[str, Any]) -> list[str]:
    """Categories a false event falls in (for counting, not for scoring)."""
    kinds = []
    coded = bool(actor_codes(event.get("source")) or actor_codes(event.get("target")))
    if not coded:
        kinds.append("no coded party")
    if event.get("target_defaulted"):
        kinds.append("target defaulted")
    if event.get("source_defaulted"):
        kinds.append("source defaulted")
    if event.get("modality") not in ASSERTED:
        kinds.append(f"modality {event.get('modality')}")
    if event.get("embedded_in"):
        kinds.append("embedded")
    return kinds or ["other"]


def score_article(gold: GoldArticle, events: Sequence[dict[str, Any]], scores: ArticleScores,
                  errors: list[dict[str, Any]] | None = None) -> None:
    scores.articles += 1
    events = list(events)
    for measure in MEASURES:
        if measure == "asserted":
            g_events = [g for g in gold.events if g.modality == "asserted"]
            p_events = [e for e in events if e.get("modality") in ASSERTED]
        else:
            g_events, p_events = list(gold.events), events
        pairs = match(measure, g_events, p_events)
        counts = scores.measures[measure]
        counts.add(PRF(len(pairs), len(p_events), len(g_events)))
        for g in g_events:
            scores.type_counts(measure, g.type).gold += 1
        for e in p_events:
            scores.type_counts(measure, str(e.get("type"))).predicted += 1
        for i in pairs:
            scores.type_counts(measure, g_events[i].type).tp += 1
        if measure == "type":
            matched = set(pairs.values())
            for j, e in enumerate(p_events):
                if j not in matched:
                    scores.false_triggers[str((e.get("trigger") or {}).get("lemma") or "?").lower()] += 1
                    scores.false_kinds.update(false_kinds(e))
            for i, g in enumerate(g_events):
                if i not in pairs:
                    scores.missed_types[g.type] += 1
            if errors is not None:
                errors += [{"article": gold.key, "kind": "false", "type": e.get("type"), "cameo": e.get("cameo"),
                            "trigger": (e.get("trigger") or {}).get("text"), "start": _start(e),
                            "source": sorted(actor_codes(e.get("source"))), "target": sorted(actor_codes(e.get("target"))),
                            "modality": e.get("modality"), "evidence": (e.get("evidence") or {}).get("text")}
                           for j, e in enumerate(p_events) if j not in matched]
                errors += [{"article": gold.key, "kind": "missed", "type": g.type, "trigger": list(g.trigger),
                            "sentence": list(g.sentence), "source": list(g.source_codes), "target": list(g.target_codes),
                            "modality": g.modality} for i, g in enumerate(g_events) if i not in pairs]


def score_articles(gold: Sequence[GoldArticle], analyses: Sequence[dict[str, Any]],
                   errors: list[dict[str, Any]] | None = None) -> dict[str, ArticleScores]:
    """Scores per split and over all articles (key ``all``); ``analyses`` in the order of ``gold``."""
    out: dict[str, ArticleScores] = {}
    for article, analysis in zip(gold, analyses):
        events = analysis.get("events") or []
        for key in (article.split, "all"):
            score_article(article, events, out.setdefault(key, ArticleScores()), errors if key == "all" else None)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "all", kv[0])))


# ----------------------------------------------------------------------------------------------
def read_metadata(corpus: Path) -> dict[str, dict[str, str]]:
    """PolNeAR ``metadata.tsv`` rows by file name (publication date and publisher)."""
    path = corpus / "metadata.tsv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t") if row.get("filename")}


def article_documents(gold: Sequence[GoldArticle], corpus: Path) -> list[Any]:
    """The Document of each gold article, from ``corpus/{split}/text/{file}``, with its
    publication date and publisher from the corpus metadata."""
    from legation.records import Document

    metadata = read_metadata(corpus)
    documents = []
    for article in gold:
        path = corpus / article.split / "text" / article.file
        if not path.exists():
            raise GoldFormatError(f"[E062] text of {article.key} not found at {path}; pass --corpus with the PolNeAR folder")
        meta = metadata.get(Path(article.file).stem, {})
        published = meta.get("publication_date") or None
        documents.append(Document(text=path.read_text(encoding="utf-8"), source_id=article.key,
                                  published=published if published and published != "None" else None,
                                  publisher=meta.get("publisher") or None))
    return documents


def analyse(documents: Sequence[Any], pipeline: Any, cache: Path | None = None) -> list[dict[str, Any]]:
    """Analyses of ``documents`` in order; with ``cache``, spaCy parses are kept there as DocBin
    files (one per text and model) and reused, so that rescoring after a rule change costs only
    the stages."""
    if cache is None:
        return [a.to_dict() for a in pipeline.analyze_documents(documents)]
    from spacy.tokens import DocBin

    nlp = pipeline.nlp
    cache.mkdir(parents=True, exist_ok=True)
    model = pipeline.model_name or "model"
    paths = [cache / f"{hashlib.sha1((model + chr(0) + d.text).encode()).hexdigest()[:20]}.spacy" for d in documents]
    missing = [k for k, p in enumerate(paths) if not p.exists()]
    for k, doc in zip(missing, nlp.pipe(documents[k].text for k in missing)):
        DocBin(docs=[doc]).to_disk(paths[k])
    out = []
    for document, path in zip(documents, paths):
        doc = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
        out.append(pipeline._run_stages(document, doc).to_dict())
    return out


def format_report(results: dict[str, ArticleScores], top: int = 15) -> str:
    lines = []
    for split, s in results.items():
        lines.append(f"{split}: {s.articles} articles")
        lines.append(f"  {'measure':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}")
        for name, c in s.measures.items():
            lines.append(f"  {name:<22} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:5d} {c.predicted:5d} {c.gold:5d}")
    every = results.get("all") or next(iter(results.values()), None)
    if every is None:
        return "no articles"
    lines += ["", f"per type over all articles (type / type+source+target): tp pred gold",
              f"  {'type':<10} {'tp':>4} {'pred':>5} {'gold':>5}   {'tp':>4} {'pred':>5} {'gold':>5}"]
    full = every.per_type.get("type_source_target", {})
    for name, c in sorted(every.per_type.get("type", {}).items(), key=lambda kv: (-kv[1].predicted - kv[1].gold, kv[0])):
        d = full.get(name, PRF())
        lines.append(f"  {name:<10} {c.tp:4d} {c.predicted:5d} {c.gold:5d}   {d.tp:4d} {d.predicted:5d} {d.gold:5d}")
    lines += ["", "false events (matching no gold event of their type) by trigger lemma, most common first"]
    lines.append("  " + ", ".join(f"{lemma} {n}" for lemma, n in every.false_triggers.most_common(top)))
    lines.append("false events by kind: " + ", ".join(f"{kind} {n}" for kind, n in every.false_kinds.most_common()))
    lines.append("missed gold events by type: " + ", ".join(f"{t} {n}" for t, n in every.missed_types.most_common()))
    return "\n".join(lines)


def filter_split(gold: Iterable[GoldArticle], split: str | None) -> list[GoldArticle]:
    return [a for a in gold if split is None or a.split == split]

