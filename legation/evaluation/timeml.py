"""TimeML (TempEval-3) reader and TIMEX3 scorer.

``read_tml`` turns a TempEval-3 ``.tml`` file into a :class:`TimemlDocument`: the
plain text of ``<TEXT>`` (tags removed, entities unescaped, whitespace kept) and the
gold TIMEX3 annotations inside it as character offsets into that text (end
exclusive). The creation-time TIMEX3 in ``<DCT>`` is read as the document date; it
is input to a tagger, not something to be scored.

``score_documents`` compares predictions with gold, micro-averaged over documents:

* strict: prediction span equals gold span exactly (one-to-one);
* relaxed: spans overlap; each gold and each prediction is matched at most once,
  greedily by largest overlap (ties: earlier gold, then earlier prediction);
* value: a relaxed match whose predicted value string equals the gold value exactly
  (a missing value never matches); P = tp / predicted, R = tp / gold;
* type accuracy and value accuracy: over relaxed matches.

Gold TIMEX3s with an empty extent (non-consuming timexes) are not scored: no tagger
can find them in the text.

Standard library only.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from legation.evaluation.metrics import f1, ratio

__all__ = [
    "GoldTimex",
    "TimemlDocument",
    "PredictedTimex",
    "TimexError",
    "DocumentScores",
    "TimemlScores",
    "read_tml",
    "find_tml_files",
    "score_documents",
    "evaluate",
    "format_report",
    "error_category",
    "ErrorBreakdown",
    "breakdown",
    "format_breakdown",
    "split_half",
]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str | None


@dataclass
class TimemlDocument:
    name: str
    text: str
    dct: str | None
    title: str | None
    timexes: list[GoldTimex]


@runtime_checkable
class PredictedTimex(Protocol):
    """What the scorer needs from a predicted time expression.

    Read-only properties, so plain attributes, frozen dataclasses and properties all fit
    (e.g. :class:`legation.records.TimeValue`).
    """

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def value(self) -> str | None: ...


# --------------------------------------------------------------------------- reader


def _local(tag: object) -> str:
    """Tag name without any XML namespace; '' for comments / processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _date_part(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    m = re.match(r"\d{4}-\d{2}-\d{2}", value)
    if m:
        return m.group(0)
    return value.split("T", 1)[0]


def _creation_time(root: ET.Element, text_el: ET.Element) -> str | None:
    """Value of the creation-time TIMEX3 (in <DCT>, or anywhere outside <TEXT>)."""
    inside_text = {id(el) for el in text_el.iter()}
    candidates: list[ET.Element] = []
    for dct_el in root.iter():
        if _local(dct_el.tag) == "DCT":
            candidates.extend(t for t in dct_el.iter() if _local(t.tag) == "TIMEX3")
    for timex in candidates:
        if timex.get("functionInDocument") == "CREATION_TIME":
            return _date_part(timex.get("value"))
    for timex in root.iter():
        if (
            _local(timex.tag) == "TIMEX3"
            and timex.get("functionInDocument") == "CREATION_TIME"
            and id(timex) not in inside_text
        ):
            return _date_part(timex.get("value"))
    if candidates:
        return _date_part(candidates[0].get("value"))
    return None


def read_tml(path: str | Path) -> TimemlDocument:
    """Read one TimeML file; raise ValueError naming the file when it is malformed."""
    path = Path(path)
    data = path.read_bytes()
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"{path}: malformed TimeML (not well-formed XML): {exc}") from exc

    text_els = [el for el in root.iter() if _local(el.tag) == "TEXT"]
    if not text_els:
        raise ValueError(f"{path}: malformed TimeML: no <TEXT> element")
    if len(text_els) > 1:
        raise ValueError(f"{path}: malformed TimeML: {len(text_els)} <TEXT> elements, expected one")
    text_el = text_els[0]

    parts: list[str] = []
    length = 0
    spans: list[tuple[int, int, ET.Element]] = []

    def add(s: str | None) -> None:
        nonlocal length
        if s:
            parts.append(s)
            length += len(s)

    def visit(el: ET.Element) -> None:
        add(el.text)
        for child in el:
            start = length
            visit(child)
            if _local(child.tag) == "TIMEX3":
                spans.append((start, length, child))
            add(child.tail)

    visit(text_el)
    text = "".join(parts)

    timexes: list[GoldTimex] = []
    for start, end, el in spans:
        if end <= start:
            continue  # non-consuming TIMEX3: nothing in the text to find
        timexes.append(
            GoldTimex(
                start=start,
                end=end,
                text=text[start:end],
                type=(el.get("type") or "").strip(),
                value=el.get("value"),
            )
        )
    timexes.sort(key=lambda t: (t.start, -t.end))

    name = path.stem
    for el in root.iter():
        if _local(el.tag) == "DOCID":
            docid = "".join(el.itertext()).strip()
            if docid:
                name = docid
            break

    title: str | None = None
    for el in root.iter():
        if _local(el.tag) == "TITLE":
            title = "".join(el.itertext()).strip() or None
            break

    return TimemlDocument(
        name=name,
        text=text,
        dct=_creation_time(root, text_el),
        title=title,
        timexes=timexes,
    )


def find_tml_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and directories (recursive ``*.tml``, sorted) into a file list."""
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*.tml") if f.is_file())
        elif p.is_file():
            found = [p]
        else:
            raise FileNotFoundError(f"no such TimeML file or directory: {p}")
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files


# --------------------------------------------------------------------------- scores




class _Figures:
    """P/R/F1 and accuracies computed from the counts of a dataclass."""

    gold: int
    predicted: int
    strict_tp: int
    relaxed_tp: int
    value_tp: int
    type_correct: int

    @property
    def strict_precision(self) -> float:
        return ratio(self.strict_tp, self.predicted)

    @property
    def strict_recall(self) -> float:
        return ratio(self.strict_tp, self.gold)

    @property
    def strict_f1(self) -> float:
        return f1(self.strict_precision, self.strict_recall)

    @property
    def relaxed_precision(self) -> float:
        return ratio(self.relaxed_tp, self.predicted)

    @property
    def relaxed_recall(self) -> float:
        return ratio(self.relaxed_tp, self.gold)

    @property
    def relaxed_f1(self) -> float:
        return f1(self.relaxed_precision, self.relaxed_recall)

    @property
    def value_precision(self) -> float:
        return ratio(self.value_tp, self.predicted)

    @property
    def value_recall(self) -> float:
        return ratio(self.value_tp, self.gold)

    @property
    def value_f1(self) -> float:
        return f1(self.value_precision, self.value_recall)

    @property
    def type_accuracy(self) -> float:
        return ratio(self.type_correct, self.relaxed_tp)

    @property
    def value_accuracy(self) -> float:
        return ratio(self.value_tp, self.relaxed_tp)

    def counts_dict(self) -> dict[str, int]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "strict_tp": self.strict_tp,
            "relaxed_tp": self.relaxed_tp,
            "value_tp": self.value_tp,
            "type_correct": self.type_correct,
        }

    def figures_dict(self) -> dict[str, Any]:
        return {
            "strict": {"precision": self.strict_precision, "recall": self.strict_recall, "f1": self.strict_f1},
            "relaxed": {"precision": self.relaxed_precision, "recall": self.relaxed_recall, "f1": self.relaxed_f1},
            "value": {"precision": self.value_precision, "recall": self.value_recall, "f1": self.value_f1},
            "type_accuracy": self.type_accuracy,
            "value_accuracy": self.value_accuracy,
        }


@dataclass(frozen=True)
class TimexError:
    """One scoring error. ``kind``: missed | spurious | wrong_value | wrong_type | wrong_span
    (a relaxed match whose span is not the gold span).

    Gold fields are None for spurious predictions, predicted fields None for missed gold.
    """

    document: str
    kind: str
    gold_start: int | None = None
    gold_end: int | None = None
    gold_text: str | None = None
    gold_type: str | None = None
    gold_value: str | None = None
    pred_start: int | None = None
    pred_end: int | None = None
    pred_text: str | None = None
    pred_type: str | None = None
    pred_value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocumentScores(_Figures):
    name: str
    gold: int = 0
    predicted: int = 0
    strict_tp: int = 0
    relaxed_tp: int = 0
    value_tp: int = 0
    type_correct: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.counts_dict(), **self.figures_dict()}


@dataclass
class TimemlScores(_Figures):
    """Micro-averaged scores over all documents, with errors and a per-document breakdown."""

    gold: int = 0
    predicted: int = 0
    strict_tp: int = 0
    relaxed_tp: int = 0
    value_tp: int = 0
    type_correct: int = 0
    errors: list[TimexError] = field(default_factory=list)
    documents: list[DocumentScores] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.counts_dict(),
            **self.figures_dict(),
            "documents": [d.to_dict() for d in self.documents],
            "errors": [e.to_dict() for e in self.errors],
        }


# --------------------------------------------------------------------------- scorer


def _norm_type(t: object) -> str:
    return str(t or "").strip().upper()


def _score_one(
    doc: TimemlDocument, preds: Sequence[PredictedTimex]
) -> tuple[DocumentScores, list[TimexError]]:
    gold = list(doc.timexes)
    pred = list(preds)
    text = doc.text

    def ptext(p: PredictedTimex) -> str:
        return text[max(p.start, 0) : max(p.end, 0)]

    # strict: exact span, one-to-one
    by_span: dict[tuple[int, int], list[int]] = {}
    for gi, g in enumerate(gold):
        by_span.setdefault((g.start, g.end), []).append(gi)
    strict_tp = 0
    for p in pred:
        free = by_span.get((p.start, p.end))
        if free:
            free.pop(0)
            strict_tp += 1

    # relaxed: greedy by largest overlap
    pairs: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    pairs.sort()
    gold_match: dict[int, int] = {}
    pred_used: set[int] = set()
    for _, gi, pi in pairs:
        if gi in gold_match or pi in pred_used:
            continue
        gold_match[gi] = pi
        pred_used.add(pi)

    scores = DocumentScores(
        name=doc.name,
        gold=len(gold),
        predicted=len(pred),
        strict_tp=strict_tp,
        relaxed_tp=len(gold_match),
    )
    errors: list[TimexError] = []
    for gi, g in enumerate(gold):
        pi = gold_match.get(gi)
        if pi is None:
            errors.append(
                TimexError(
                    document=doc.name, kind="missed",
                    gold_start=g.start, gold_end=g.end, gold_text=g.text,
                    gold_type=g.type, gold_value=g.value,
                )
            )
            continue
        p = pred[pi]
        value_ok = g.value is not None and p.value is not None and p.value == g.value
        type_ok = _norm_type(p.type) == _norm_type(g.type)
        scores.value_tp += value_ok
        scores.type_correct += type_ok
        common: dict[str, Any] = {
            "document": doc.name,
            "gold_start": g.start, "gold_end": g.end, "gold_text": g.text,
            "gold_type": g.type, "gold_value": g.value,
            "pred_start": p.start, "pred_end": p.end, "pred_text": ptext(p),
            "pred_type": p.type, "pred_value": p.value,
        }
        if not value_ok:
            errors.append(TimexError(kind="wrong_value", **common))
        if not type_ok:
            errors.append(TimexError(kind="wrong_type", **common))
        if (g.start, g.end) != (p.start, p.end):
            errors.append(TimexError(kind="wrong_span", **common))
    for pi, p in enumerate(pred):
        if pi not in pred_used:
            errors.append(
                TimexError(
                    document=doc.name, kind="spurious",
                    pred_start=p.start, pred_end=p.end, pred_text=ptext(p),
                    pred_type=p.type, pred_value=p.value,
                )
            )
    errors.sort(key=lambda e: (
        e.gold_start if e.gold_start is not None else e.pred_start or 0,
        e.kind,
    ))
    return scores, errors


def score_documents(
    items: Iterable[tuple[TimemlDocument, Sequence[PredictedTimex]]],
) -> TimemlScores:
    """Score predictions against gold, micro-averaged over all documents."""
    total = TimemlScores()
    for doc, preds in items:
        doc_scores, errors = _score_one(doc, preds)
        total.documents.append(doc_scores)
        total.errors.extend(errors)
        total.gold += doc_scores.gold
        total.predicted += doc_scores.predicted
        total.strict_tp += doc_scores.strict_tp
        total.relaxed_tp += doc_scores.relaxed_tp
        total.value_tp += doc_scores.value_tp
        total.type_correct += doc_scores.type_correct
    return total


def split_half(files: Sequence[Path], half: int) -> list[Path]:
    """Half 1 or 2 of a file list, interleaved in name order (files 1, 3, 5... or 2, 4, 6...),
    so that both halves mix the sources a corpus is made of."""
    if half not in (1, 2):
        raise ValueError(f"[E040] half must be 1 or 2, not {half}")
    ordered = sorted(files, key=lambda f: f.name)
    return ordered[half - 1 :: 2]


def evaluate(
    paths: Iterable[str | Path],
    tagger: Callable[[str, str | None], Sequence[PredictedTimex]],
) -> TimemlScores:
    """Read every TimeML file under ``paths``, run ``tagger(text, dct)`` on each, score."""
    docs = [read_tml(f) for f in find_tml_files(paths)]
    return score_documents((doc, list(tagger(doc.text, doc.dct))) for doc in docs)


# --------------------------------------------------------------------------- report


def format_report(scores: TimemlScores) -> str:
    """A compact table: strict / relaxed / value P R F1, type and value accuracy, counts."""
    rows = [
        ("strict", scores.strict_precision, scores.strict_recall, scores.strict_f1),
        ("relaxed", scores.relaxed_precision, scores.relaxed_recall, scores.relaxed_f1),
        ("value", scores.value_precision, scores.value_recall, scores.value_f1),
    ]
    lines = [f"TIMEX3 evaluation over {len(scores.documents)} document(s)"]
    lines.append(f"{'':<9}{'P':>7}{'R':>7}{'F1':>7}")
    for label, p, r, f in rows:
        lines.append(f"{label:<9}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    lines.append(
        f"type accuracy {scores.type_accuracy:.3f}, value accuracy {scores.value_accuracy:.3f}"
        f" (over {scores.relaxed_tp} relaxed matches)"
    )
    lines.append(
        f"gold {scores.gold}  predicted {scores.predicted}  strict tp {scores.strict_tp}"
        f"  relaxed tp {scores.relaxed_tp}  value tp {scores.value_tp}"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- breakdown

_CATEGORY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("financial", re.compile(r"quarter|fiscal|\bFY|\bhalf\b|\b[QH][1-4]\b", re.I)),
    ("reference", re.compile(r"\b(?:now|currently|recent(?:ly)?|soon|future|past|present|former(?:ly)?|once|meantime|these\s+days)\b", re.I)),
    ("ago/later", re.compile(r"\b(?:ago|earlier|later|before|after|back)\b", re.I)),
    ("anaphoric", re.compile(r"\b(?:that|the\s+same|the\s+(?:previous|following|next))\s+(?:day|week|month|year|time)\b|\bat\s+the\s+time\b", re.I)),
    ("weekday", re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|weekend", re.I)),
    ("relative unit", re.compile(r"\b(?:this|last|next|past|coming|current|previous)\s+(?:week|month|year|decade|century)\b", re.I)),
    ("month/day", re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2}\b)?", re.I)),
    ("relative day", re.compile(r"\b(?:today|tonight|yesterday|tomorrow)\b", re.I)),
    ("year", re.compile(r"^(?:the\s+)?(?:\w+\s+)?(?:1[6-9]|20)\d\d(?:'?s)?$", re.I)),
)


def error_category(error: TimexError) -> str:
    """A coarse construction label for an error, from the gold text (else the predicted
    text) and the gold type: financial, reference, duration, set, weekday, time of day...

    Used to steer work on the tagger; the labels are heuristics, not part of the scores.
    """
    text = error.gold_text if error.gold_text is not None else error.pred_text or ""
    type_ = _norm_type(error.gold_type or error.pred_type)
    value = error.gold_value if error.gold_text is not None else error.pred_value
    if value and re.search(r"-(?:Q|H)[1-4]$|^FY|Q[1-4]$", value):
        return "financial"
    if value and value.endswith("_REF"):
        return "reference"
    for label, pattern in _CATEGORY_PATTERNS:
        if pattern.search(text):
            return label
    if type_ == "DURATION":
        return "duration"
    if type_ == "SET":
        return "set"
    if type_ == "TIME":
        return "time of day"
    return "other"


@dataclass
class ErrorBreakdown:
    """Errors counted by category and kind; span errors are relaxed matches whose span
    differs from the gold span (strict misses that still overlap)."""

    counts: dict[tuple[str, str], int]
    examples: dict[tuple[str, str], list[TimexError]]

    def to_dict(self) -> dict[str, dict[str, int]]:
        """Counts as {category: {kind: n}}, categories by total errors."""
        return {c: {k: self.counts[(c, k)] for k in BREAKDOWN_KINDS if (c, k) in self.counts} for c in self.categories()}

    def categories(self) -> list[str]:
        totals: dict[str, int] = {}
        for (category, _), n in self.counts.items():
            totals[category] = totals.get(category, 0) + n
        return sorted(totals, key=lambda c: (-totals[c], c))


BREAKDOWN_KINDS = ("missed", "spurious", "wrong_value", "span")


def breakdown(scores: TimemlScores, examples: int = 5) -> ErrorBreakdown:
    counts: dict[tuple[str, str], int] = {}
    kept: dict[tuple[str, str], list[TimexError]] = {}

    def add(error: TimexError, kind: str) -> None:
        key = (error_category(error), kind)
        counts[key] = counts.get(key, 0) + 1
        if len(kept.setdefault(key, [])) < examples:
            kept[key].append(error)

    kinds = {"missed": "missed", "spurious": "spurious", "wrong_value": "wrong_value", "wrong_span": "span"}
    for error in scores.errors:
        if error.kind in kinds:
            add(error, kinds[error.kind])
    return ErrorBreakdown(counts, kept)


def format_breakdown(result: ErrorBreakdown) -> str:
    """Errors per category (rows) and kind (columns), then a few examples of each cell."""
    head = f"{'category':<15}" + "".join(f"{k:>13}" for k in BREAKDOWN_KINDS)
    lines = ["Errors by category", head]
    for category in result.categories():
        lines.append(f"{category:<15}" + "".join(f"{result.counts.get((category, k), 0):>13}" for k in BREAKDOWN_KINDS))
    for category in result.categories():
        for kind in BREAKDOWN_KINDS:
            for e in result.examples.get((category, kind), []):
                gold = f"{e.gold_text!r} {e.gold_type} {e.gold_value}" if e.gold_text is not None else "-"
                pred = f"{e.pred_text!r} {e.pred_type} {e.pred_value}" if e.pred_text is not None else "-"
                lines.append(f"  [{category} / {kind}] {e.document}: gold {gold} | predicted {pred}")
    return "\n".join(lines)
