"""Attribution gold in brat standoff format: reader, writer and quote scorer.

A document is ``NAME.txt`` (the text) beside ``NAME.ann`` (annotations). Text-bound
annotations typed ``Source``, ``Cue`` and ``Content`` (any type whose name contains
those words, case-insensitively, e.g. ``SOURCE`` or ``Attribution_Content``) are tied
into attributions in either of the two usual ways:

* (a) relations, ``R1 Attribution Arg1:T3 Arg2:T5`` or ``R1 SOURCE Arg1:T2 Arg2:T1``:
  every relation links two annotations; a cue collects the contents and sources it is
  linked to, and a content with no cue collects the sources linked to it;
* (b) events, ``E1 Cue:T2 Source:T1 Content:T3`` (argument roles may be numbered,
  ``Content2:T4``): each event is one attribution.

A content made of several fragments (``T3 Content 0 10;25 40``, or several contents
linked to one cue) is one attribution. It is *direct* when an attribute says so
(``A1 Direct T3``, ``A1 Type E1 Direct``; ``Indirect``/``Partial``/``Mixed`` say not),
and otherwise when its content starts or ends at a quotation mark.

Scoring (:func:`score_attributions`), micro-averaged over documents:

* content: a predicted quote matches a gold attribution when their contents overlap
  (a prediction's content is its ``segments`` when it has them, else start..end);
  matching is one-to-one, greedily by overlap size. Every other prediction is spurious,
  as an outside scorer counts it: a quote split by a speech tag ("...," she said,
  "...") must come as one prediction, not one per segment;
* speaker: on matched pairs, right when the predicted speaker mention overlaps a gold
  source, or when any mention of the predicted speaker entity does (a pronoun or
  description resolved to the speaker named elsewhere);
* end to end: a match whose speaker is right; P over predictions, R over gold;
* span: on matched pairs, how far the contents agree on their extent: the letters and
  digits in both (F1 over those in the predictions and those in the gold), so that a
  content cut short or run on shows, which overlap matching does not;
* cue: on matched pairs, right when the predicted cue overlaps a gold cue; "+cue F1"
  (``strict_f1``) counts a match only when speaker and cue are both right.

Gold may be a folder of ``NAME.txt`` + ``NAME.ann`` files or a PolNeAR folder
(``text/NAME.txt`` + ``attributions/NAME_ANNOTATOR.ann``; the first annotator by name
is the gold; ``Attribution`` and ``Attribution-no-source`` are event triggers).

Each figure is given for all attributions and for direct ones (gold direct for
recall, predictions flagged ``direct`` for precision).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legation.evaluation.metrics import f1

__all__ = [
    "TextBound", "Relation", "Event", "Attribute", "Attribution", "BratDocument",
    "parse_ann", "format_ann", "read_brat", "write_brat", "find_brat_documents", "find_polnear_documents",
    "is_polnear_layout", "read_gold_folder", "attributions_to_brat",
    "quotes_to_brat", "AttributionScores", "score_document", "score_attributions", "evaluate_quotes", "format_report",
]

QUOTE_MARKS = "\"'“”‘’«»„‟‹›"

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class TextBound:
    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True)
class Relation:
    id: str
    type: str
    args: tuple[tuple[str, str], ...]  # (role, annotation id)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Attribute:
    id: str
    name: str
    target: str
    value: str | None = None


@dataclass
class Attribution:
    """One attribution: content fragments, the sources and cues tied to it."""

    id: str
    content: list[TextBound]
    sources: list[TextBound] = field(default_factory=list)
    cues: list[TextBound] = field(default_factory=list)
    direct: bool = False
    direct_given: bool = False  # True when an attribute said whether it is direct

    @property
    def start(self) -> int:
        return min(s for tb in self.content for s, _ in tb.spans)

    @property
    def end(self) -> int:
        return max(e for tb in self.content for _, e in tb.spans)

    @property
    def fragments(self) -> list[tuple[int, int]]:
        return sorted(span for tb in self.content for span in tb.spans)

    @property
    def source_spans(self) -> list[tuple[int, int]]:
        return [span for tb in self.sources for span in tb.spans]


@dataclass
class BratDocument:
    name: str
    text: str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # notes, equivalences ...: kept for the round trip

    @property
    def attributions(self) -> list[Attribution]:
        return build_attributions(self)


# --------------------------------------------------------------------------- reading and writing


class BratFormatError(ValueError):
    pass


_ANN_LINE = re.compile(r"^(?:[TRAMNE]\d+|#\d*|\*)\t")


def parse_ann(ann: str, text: str, name: str = "") -> BratDocument:
    """A :class:`BratDocument` from the content of a ``.ann`` file and its text."""
    doc = BratDocument(name=name, text=text)
    kind_last = ""
    for number, raw in enumerate(ann.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if not _ANN_LINE.match(line):
            # the surface text (or note) of the line above ran over a line break
            if kind_last == "T" and doc.textbounds:
                last = next(reversed(doc.textbounds.values()))
                doc.textbounds[last.id] = TextBound(last.id, last.type, last.spans, last.text + "\n" + line)
                continue
            if kind_last == "#" and doc.other:
                doc.other[-1] += "\n" + line
                continue
        kind_last = line[:1]
        try:
            ident, _, rest = line.partition("\t")
            kind = ident[:1]
            if kind == "T":
                header, _, surface = rest.partition("\t")
                type_, _, offsets = header.partition(" ")
                spans = []
                for piece in offsets.split(";"):
                    start, end = piece.split()
                    spans.append((int(start), int(end)))
                doc.textbounds[ident] = TextBound(ident, type_, tuple(spans), surface)
            elif kind == "R":
                parts = rest.split()
                args = tuple(tuple(arg.split(":", 1)) for arg in parts[1:])
                doc.relations.append(Relation(ident, parts[0], args))  # type: ignore[arg-type]
            elif kind == "E":
                parts = rest.split()
                type_, _, trigger = parts[0].partition(":")
                args = tuple(tuple(arg.split(":", 1)) for arg in parts[1:])
                doc.events.append(Event(ident, type_, trigger, args))  # type: ignore[arg-type]
            elif kind in ("A", "M"):
                parts = rest.split()
                doc.attributes.append(Attribute(ident, parts[0], parts[1], parts[2] if len(parts) > 2 else None))
            else:
                doc.other.append(line)
        except (ValueError, IndexError) as exc:
            raise BratFormatError(f"[E050] {name or 'ann'} line {number}: cannot read {line!r} ({exc})") from None
    return doc


def format_ann(doc: BratDocument) -> str:
    lines = []
    for tb in doc.textbounds.values():
        offsets = ";".join(f"{s} {e}" for s, e in tb.spans)
        lines.append(f"{tb.id}\t{tb.type} {offsets}\t{tb.text}")
    for rel in doc.relations:
        lines.append(f"{rel.id}\t{rel.type} " + " ".join(f"{role}:{target}" for role, target in rel.args))
    for event in doc.events:
        args = "".join(f" {role}:{target}" for role, target in event.args)
        lines.append(f"{event.id}\t{event.type}:{event.trigger}{args}")
    for attr in doc.attributes:
        value = f" {attr.value}" if attr.value is not None else ""
        lines.append(f"{attr.id}\t{attr.name} {attr.target}{value}")
    lines.extend(doc.other)
    return "\n".join(lines) + ("\n" if lines else "")


def read_brat(path: str | Path) -> BratDocument:
    """Read ``X.ann`` and ``X.txt`` (either path may be given)."""
    path = Path(path)
    base = path.with_suffix("")
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    ann_path = base.with_suffix(".ann")
    ann = ann_path.read_text(encoding="utf-8") if ann_path.exists() else ""
    return parse_ann(ann, text, base.name)


def write_brat(doc: BratDocument, folder: str | Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
    path = folder / f"{doc.name}.ann"
    path.write_text(format_ann(doc), encoding="utf-8")
    return path


def find_brat_documents(folder: str | Path) -> list[Path]:
    """``.ann`` files with a ``.txt`` beside them, sorted."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*.ann") if p.with_suffix(".txt").exists())


def is_polnear_layout(folder: str | Path) -> bool:
    """Whether ``folder`` holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``."""
    folder = Path(folder)
    return (folder / "text").is_dir() and (folder / "attributions").is_dir()


def find_polnear_documents(folder: str | Path) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs of a PolNeAR folder, sorted by name.

    An article annotated by several annotators (``NAME_4e07.ann``, ``NAME_6b86.ann``) is
    scored against the first annotation file by name.
    """
    folder = Path(folder)
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0] if "_" in ann.stem else ann.stem
        if name in texts and name not in chosen:
            chosen[name] = ann
    return [(texts[name], chosen[name]) for name in sorted(chosen)]


def read_gold_folder(folder: str | Path) -> list[BratDocument]:
    """Gold documents of a folder in either layout: PolNeAR (``text/`` + ``attributions/``)
    or plain brat (``NAME.txt`` beside ``NAME.ann``)."""
    if is_polnear_layout(folder):
        docs = []
        for text_path, ann_path in find_polnear_documents(folder):
            text = text_path.read_text(encoding="utf-8")
            docs.append(parse_ann(ann_path.read_text(encoding="utf-8"), text, text_path.stem))
        return docs
    return [read_brat(p) for p in find_brat_documents(folder)]


# --------------------------------------------------------------------------- attributions


def _role(name: str) -> str | None:
    low = re.sub(r"\d+$", "", name.lower())
    if low.startswith("attribution") and ("no-source" in low or "no_source" in low or low == "attribution"):
        return None  # PolNeAR's event triggers ("Attribution", "Attribution-no-source"), not a role
    for role in ("source", "cue", "content"):
        if role in low:
            return role
    return None


def _direct_value(attr: Attribute) -> bool | None:
    name = attr.name.lower()
    value = (attr.value or "").lower()
    if name in ("direct", "isdirect", "is_direct"):
        return value not in ("false", "no", "0", "indirect")
    if name in ("indirect", "partial", "mixed"):
        return value in ("false", "no", "0")
    if name in ("type", "quotetype", "quote_type", "attributiontype", "attribution_type", "kind", "mode"):
        if value.startswith("direct"):
            return True
        if value.startswith(("indirect", "partial", "mixed", "reported")):
            return False
    return None


def starts_or_ends_at_quote(text: str, spans: Iterable[tuple[int, int]]) -> bool:
    spans = sorted(spans)
    if not spans:
        return False
    start, end = spans[0][0], spans[-1][1]

    def mark(i: int) -> bool:
        return 0 <= i < len(text) and text[i] in QUOTE_MARKS

    return mark(start) or mark(start - 1) or mark(end - 1) or mark(end) or \
        (end - 2 >= start and text[end - 1] in ".,?!" and mark(end - 2))


def build_attributions(doc: BratDocument) -> list[Attribution]:
    tbs = doc.textbounds
    role_of = {tid: _role(tb.type) for tid, tb in tbs.items()}
    result: list[Attribution] = []
    used_contents: set[str] = set()
    owner_ids: dict[str, list[str]] = {}  # attribution id -> annotation ids an attribute may point at

    def add(ident: str, contents: list[str], sources: list[str], cues: list[str], owners: list[str]) -> None:
        contents = [c for c in dict.fromkeys(contents) if c in tbs]
        if not contents:
            return
        used_contents.update(contents)
        result.append(Attribution(ident, [tbs[c] for c in contents],
                                  [tbs[s] for s in dict.fromkeys(sources) if s in tbs],
                                  [tbs[c] for c in dict.fromkeys(cues) if c in tbs]))
        owner_ids[ident] = owners + contents + cues

    # (b) events
    for event in doc.events:
        members = [("trigger", event.trigger)] + list(event.args)
        groups: dict[str, list[str]] = {"source": [], "cue": [], "content": []}
        for role_name, target in members:
            role = _role(role_name) if role_name != "trigger" else None
            role = role or role_of.get(target)
            if role in groups:
                groups[role].append(target)
        add(event.id, groups["content"], groups["source"], groups["cue"], [event.id])

    # (a) relations: an undirected graph between annotations
    links: dict[str, set[str]] = {}
    rel_of: dict[str, list[str]] = {}
    for rel in doc.relations:
        ids = [target for _, target in rel.args]
        for role_name, target in rel.args:
            role = _role(role_name)
            if role and target in tbs and role_of.get(target) is None:
                role_of[target] = role
        relation_role = _role(rel.type)
        if relation_role in ("source", "content") and len(rel.args) == 2:
            # "R1 SOURCE Arg1:T2 Arg2:T1": the second argument plays the relation's role
            first, second = rel.args[0][1], rel.args[1][1]
            if second in tbs and role_of.get(second) is None:
                role_of[second] = relation_role
            if first in tbs and role_of.get(first) is None:
                role_of[first] = "cue"
        for a in ids:
            rel_of.setdefault(a, []).append(rel.id)
            for b in ids:
                if a != b:
                    links.setdefault(a, set()).add(b)
    if doc.relations:
        for tid in tbs:
            if role_of.get(tid) != "cue":
                continue
            near = links.get(tid, set())
            contents = sorted((c for c in near if role_of.get(c) == "content" and c not in used_contents),
                              key=lambda c: tbs[c].start)
            if not contents:
                continue
            sources = [s for s in near if role_of.get(s) == "source"]
            for c in contents:
                sources += [s for s in links.get(c, set()) if role_of.get(s) == "source"]
            owners = rel_of.get(tid, [])
            add(contents[0], contents, sorted(set(sources), key=lambda s: tbs[s].start), [tid], owners)
        for tid in sorted(tbs, key=lambda t: tbs[t].start):
            if role_of.get(tid) != "content" or tid in used_contents or tid not in links:
                continue
            sources = [s for s in links[tid] if role_of.get(s) == "source"]
            cues = [c for c in links[tid] if role_of.get(c) == "cue"]
            add(tid, [tid], sources, cues, rel_of.get(tid, []))
    # contents tied to nothing are still gold contents
    for tid in sorted(tbs, key=lambda t: tbs[t].start):
        if role_of.get(tid) == "content" and tid not in used_contents:
            add(tid, [tid], [], [], [])

    by_target: dict[str, list[Attribute]] = {}
    for attr in doc.attributes:
        by_target.setdefault(attr.target, []).append(attr)
    for attribution in result:
        value = None
        for owner in owner_ids.get(attribution.id, []):
            for attr in by_target.get(owner, []):
                found = _direct_value(attr)
                if found is not None:
                    value = found
        if value is None:
            attribution.direct = starts_or_ends_at_quote(doc.text, attribution.fragments)
        else:
            attribution.direct, attribution.direct_given = value, True
    result.sort(key=lambda a: (a.start, a.end))
    return result


def attributions_to_brat(name: str, text: str, attributions: Iterable[dict[str, Any]], style: str = "event",
                         mark_direct: bool = True) -> BratDocument:
    """A brat document from plain attributions.

    Each attribution is a mapping with ``content`` (a (start, end) pair or a list of
    them), optional ``source`` and ``cue`` (pairs or None) and ``direct`` (bool).
    ``style`` is ``"event"`` (``E1 Cue:T2 Source:T1 Content:T3``) or ``"relation"``
    (``R1 SOURCE Arg1:cue Arg2:source``, ``R2 CONTENT Arg1:cue Arg2:content``; without a
    cue, ``R1 Attribution Arg1:source Arg2:content``).
    """
    if style not in ("event", "relation"):
        raise ValueError("[E051] style must be 'event' or 'relation'")
    doc = BratDocument(name=name, text=text)
    counters = {"T": 0, "R": 0, "E": 0, "A": 0}
    known: dict[tuple[str, tuple[tuple[int, int], ...]], str] = {}

    def tb(type_: str, spans: list[tuple[int, int]] | tuple[int, int]) -> str:
        if isinstance(spans, tuple) and spans and isinstance(spans[0], int):
            spans = [spans]  # type: ignore[list-item]
        key = (type_, tuple(tuple(s) for s in spans))  # type: ignore[misc]
        if key in known:
            return known[key]
        counters["T"] += 1
        ident = f"T{counters['T']}"
        surface = " ".join(text[s:e] for s, e in key[1]).replace("\n", " ")
        doc.textbounds[ident] = TextBound(ident, type_, key[1], surface)  # type: ignore[arg-type]
        known[key] = ident
        return ident

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    for item in attributions:
        content = item["content"]
        content_id = tb("Content", content)
        source_id = tb("Source", item["source"]) if item.get("source") else None
        cue_id = tb("Cue", item["cue"]) if item.get("cue") else None
        owner = content_id
        if style == "event":
            if cue_id is not None or source_id is not None:
                event_id = next_id("E")
                trigger = cue_id or content_id
                args = []
                if source_id:
                    args.append(("Source", source_id))
                if cue_id:
                    args.append(("Content", content_id))
                doc.events.append(Event(event_id, "Cue" if cue_id else "Content", trigger, tuple(args)))
                owner = event_id
        else:
            if cue_id is not None:
                if source_id:
                    doc.relations.append(Relation(next_id("R"), "SOURCE", (("Arg1", cue_id), ("Arg2", source_id))))
                doc.relations.append(Relation(next_id("R"), "CONTENT", (("Arg1", cue_id), ("Arg2", content_id))))
            elif source_id is not None:
                doc.relations.append(Relation(next_id("R"), "Attribution", (("Arg1", source_id), ("Arg2", content_id))))
        if mark_direct and "direct" in item:
            doc.attributes.append(Attribute(next_id("A"), "Type", owner, "Direct" if item["direct"] else "Indirect"))
    return doc


def quotes_to_brat(name: str, text: str, quotes: Iterable[Any], style: str = "event") -> BratDocument:
    """Predicted quotes (records or dicts) as a brat document, e.g. to view them in brat."""
    items = []
    for quote in quotes:
        speaker = _get(quote, "speaker")
        s_start, s_end = (_get(speaker, "start"), _get(speaker, "end")) if speaker is not None else (None, None)
        c_start, c_end = _get(quote, "cue_start"), _get(quote, "cue_end")
        items.append({
            "content": _segments(quote),  # a split quote is one discontinuous Content
            "source": (s_start, s_end) if s_start is not None else None,
            "cue": (c_start, c_end) if c_start is not None else None,
            "direct": bool(_get(quote, "direct")),
        })
    return attributions_to_brat(name, text, items, style=style)


# --------------------------------------------------------------------------- scoring


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _segments(quote: Any) -> list[tuple[int, int]]:
    """A prediction's content pieces: its ``segments`` when it has them, else [start, end)."""
    pieces = _get(quote, "segments")
    if pieces:
        return [(int(a), int(b)) for a, b in pieces]
    return [(_get(quote, "start"), _get(quote, "end"))]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


SUBSETS = ("all", "direct")


@dataclass
class AttributionScores:
    """Counts for one subset; the figures are properties."""

    gold: int = 0
    predicted: int = 0
    content_found: int = 0  # gold attributions matched
    content_right: int = 0  # predictions matched
    speaker_right: int = 0  # matched gold attributions whose speaker is right
    e2e_found: int = 0  # gold attributions matched with the right speaker
    e2e_right: int = 0  # predictions matched with the right speaker
    cue_right: int = 0  # matched gold attributions whose predicted cue overlaps a gold cue
    strict_found: int = 0  # gold attributions matched with the right speaker and cue
    strict_right: int = 0  # predictions matched with the right speaker and cue
    # content boundaries on matched pairs: letters and digits of the content in both, in the prediction, in the gold
    span_common: int = 0
    span_predicted: int = 0
    span_gold: int = 0

    def add(self, other: "AttributionScores") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def content_precision(self) -> float:
        return self.content_right / self.predicted if self.predicted else 0.0

    @property
    def content_recall(self) -> float:
        return self.content_found / self.gold if self.gold else 0.0

    @property
    def content_f1(self) -> float:
        return f1(self.content_precision, self.content_recall)

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.content_found if self.content_found else 0.0

    @property
    def cue_accuracy(self) -> float:
        return self.cue_right / self.content_found if self.content_found else 0.0

    @property
    def strict_f1(self) -> float:
        p = self.strict_right / self.predicted if self.predicted else 0.0
        r = self.strict_found / self.gold if self.gold else 0.0
        return f1(p, r)

    @property
    def span_f1(self) -> float:
        """How well matched contents agree on their extent: letters and digits in both, as F1."""
        p = self.span_common / self.span_predicted if self.span_predicted else 0.0
        r = self.span_common / self.span_gold if self.span_gold else 0.0
        return f1(p, r)

    @property
    def e2e_precision(self) -> float:
        return self.e2e_right / self.predicted if self.predicted else 0.0

    @property
    def e2e_recall(self) -> float:
        return self.e2e_found / self.gold if self.gold else 0.0

    @property
    def e2e_f1(self) -> float:
        return f1(self.e2e_precision, self.e2e_recall)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("content_precision", "content_recall", "content_f1", "speaker_accuracy", "cue_accuracy",
                     "e2e_precision", "e2e_recall", "e2e_f1", "strict_f1", "span_f1"):
            out[name] = round(getattr(self, name), 4)
        return out


@dataclass
class DocumentResult:
    name: str
    scores: dict[str, AttributionScores]
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CorpusResult:
    scores: dict[str, AttributionScores]
    documents: list[DocumentResult]
    seconds: float | None = None

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": len(self.documents),
                               **{subset: self.scores[subset].to_dict() for subset in SUBSETS}}
        if self.seconds is not None:
            out["seconds"] = round(self.seconds, 3)
        if errors:
            out["errors"] = [dict(e, document=d.name) for d in self.documents for e in d.errors]
        return out


def score_document(gold: BratDocument | list[Attribution], predicted: Iterable[Any], text: str | None = None,
                   name: str = "") -> DocumentResult:
    """Score one document's predicted quotes (records or dicts) against its gold attributions."""
    if isinstance(gold, BratDocument):
        text = gold.text if text is None else text
        name = name or gold.name
        golds = gold.attributions
    else:
        golds = list(gold)
    text = text or ""
    preds = list(predicted)
    p_spans = [(_get(p, "start"), _get(p, "end")) for p in preds]
    p_pieces = [_segments(p) for p in preds]
    # all mentions of each predicted speaker entity
    mentions: dict[str, list[tuple[int, int]]] = {}
    for p in preds:
        speaker = _get(p, "speaker")
        entity, start, end = _get(speaker, "entity"), _get(speaker, "start"), _get(speaker, "end")
        if entity is not None and start is not None and end is not None:
            mentions.setdefault(str(entity), []).append((start, end))

    pairs = []
    for gi, g in enumerate(golds):
        fragments = g.fragments
        g_size = sum(e - s for s, e in fragments)
        for pi, pieces in enumerate(p_pieces):
            size = sum(_overlap(f, piece) for f in fragments for piece in pieces)
            if size > 0:
                # largest overlap first; on a tie, the closer fit (a nested quote and its host)
                union = g_size + sum(b - a for a, b in pieces) - size
                pairs.append((-size, -size / union, gi, pi))
    pairs.sort()
    g_match: dict[int, int] = {}
    p_match: dict[int, int] = {}
    for _, _, gi, pi in pairs:
        if gi not in g_match and pi not in p_match:
            g_match[gi] = pi
            p_match[pi] = gi

    def speaker_right(g: Attribution, p: Any) -> bool:
        sources = g.source_spans
        speaker = _get(p, "speaker")
        if not sources or speaker is None:
            return False
        spans = []
        if _get(speaker, "start") is not None and _get(speaker, "end") is not None:
            spans.append((_get(speaker, "start"), _get(speaker, "end")))
        if _get(speaker, "via_start") is not None and _get(speaker, "via_end") is not None:
            spans.append((_get(speaker, "via_start"), _get(speaker, "via_end")))  # "who" for "the analyst"
        entity = _get(speaker, "entity")
        if entity is not None:
            spans += mentions.get(str(entity), [])
        return any(_overlap(s, m) for s in sources for m in spans)

    def cue_right(g: Attribution, p: Any) -> bool:
        start, end = _get(p, "cue_start"), _get(p, "cue_end")
        if start is None or end is None:
            return False
        return any(_overlap(span, (start, end)) for tb in g.cues for span in tb.spans)

    scores = {subset: AttributionScores() for subset in SUBSETS}
    errors: list[dict[str, Any]] = []
    right: dict[int, bool] = {gi: speaker_right(golds[gi], preds[pi]) for gi, pi in g_match.items()}
    cue_ok: dict[int, bool] = {gi: cue_right(golds[gi], preds[pi]) for gi, pi in g_match.items()}

    def letters(spans: Iterable[tuple[int, int]]) -> set[int]:
        return {i for a, b in spans for i in range(max(0, a), min(len(text), b)) if text[i].isalnum()}

    extent: dict[int, tuple[int, int, int]] = {}
    for gi, pi in g_match.items():
        g_set, p_set = letters(golds[gi].fragments), letters(p_pieces[pi])
        extent[gi] = (len(g_set & p_set), len(p_set), len(g_set))
    for gi, g in enumerate(golds):
        for subset in SUBSETS:
            if subset == "direct" and not g.direct:
                continue
            counts = scores[subset]
            counts.gold += 1
            if gi in g_match:
                counts.content_found += 1
                common, in_pred, in_gold = extent[gi]
                counts.span_common += common
                counts.span_predicted += in_pred
                counts.span_gold += in_gold
                if right[gi]:
                    counts.speaker_right += 1
                    counts.e2e_found += 1
                    if cue_ok[gi]:
                        counts.strict_found += 1
                if cue_ok[gi]:
                    counts.cue_right += 1
        if gi not in g_match:
            errors.append({"error": "missed", "content": text[g.start:g.end][:120], "start": g.start,
                           "direct": g.direct, "source": [tb.text for tb in g.sources],
                           "cue": [tb.text for tb in g.cues]})
        elif not right[gi]:
            p = preds[g_match[gi]]
            speaker = _get(p, "speaker")
            errors.append({"error": "speaker", "content": text[g.start:g.end][:120], "start": g.start,
                           "gold_source": [tb.text for tb in g.sources],
                           "predicted_speaker": _get(speaker, "text"), "entity": _get(speaker, "entity"),
                           "name": _get(speaker, "name")})
    for pi, p in enumerate(preds):
        is_direct = bool(_get(p, "direct"))
        for subset in SUBSETS:
            if subset == "direct" and not is_direct:
                continue
            counts = scores[subset]
            counts.predicted += 1
            if pi in p_match:
                counts.content_right += 1
                if right[p_match[pi]]:
                    counts.e2e_right += 1
                    if cue_ok[p_match[pi]]:
                        counts.strict_right += 1
        if pi not in p_match:
            speaker = _get(p, "speaker")
            errors.append({"error": "spurious", "content": (_get(p, "content") or text[p_spans[pi][0]:p_spans[pi][1]])[:120],
                           "start": p_spans[pi][0], "direct": is_direct, "predicted_speaker": _get(speaker, "text")})
    errors.sort(key=lambda e: e["start"])
    return DocumentResult(name, scores, errors)


def score_attributions(gold_docs: Iterable[BratDocument], predicted: dict[str, list[Any]] | Iterable[list[Any]]) -> CorpusResult:
    """Micro-averaged scores; ``predicted`` maps document names to quotes, or lists them in order."""
    gold_docs = list(gold_docs)
    if isinstance(predicted, dict):
        lists = [predicted.get(doc.name, []) for doc in gold_docs]
    else:
        lists = list(predicted)
        if len(lists) != len(gold_docs):
            raise ValueError(f"[E052] {len(gold_docs)} gold documents but {len(lists)} prediction lists")
    total = {subset: AttributionScores() for subset in SUBSETS}
    results = []
    for doc, quotes in zip(gold_docs, lists):
        result = score_document(doc, quotes)
        results.append(result)
        for subset in SUBSETS:
            total[subset].add(result.scores[subset])
    return CorpusResult(total, results)


def evaluate_quotes(directory: str | Path, extractor: Callable[[str], list[Any]]) -> CorpusResult:
    """Run ``extractor(text) -> quotes`` over every brat document in ``directory`` and score it."""
    import time

    docs = read_gold_folder(directory)
    started = time.perf_counter()
    predicted = [extractor(doc.text) for doc in docs]
    result = score_attributions(docs, predicted)
    result.seconds = time.perf_counter() - started
    return result


def format_report(result: CorpusResult) -> str:
    lines = [f"{len(result.documents)} documents",
             f"{'subset':<8} {'gold':>5} {'pred':>5}   {'content P':>9} {'R':>6} {'F1':>6}   {'speaker acc':>11}   "
             f"{'end-to-end P':>12} {'R':>6} {'F1':>6}   {'cue acc':>7} {'+cue F1':>7}   {'span F1':>7}"]
    for subset in SUBSETS:
        s = result.scores[subset]
        lines.append(f"{subset:<8} {s.gold:>5} {s.predicted:>5}   {s.content_precision:>9.3f} {s.content_recall:>6.3f} "
                     f"{s.content_f1:>6.3f}   {s.speaker_accuracy:>11.3f}   {s.e2e_precision:>12.3f} "
                     f"{s.e2e_recall:>6.3f} {s.e2e_f1:>6.3f}   {s.cue_accuracy:>7.3f} {s.strict_f1:>7.3f}   "
                     f"{s.span_f1:>7.3f}")
    return "\n".join(lines)
