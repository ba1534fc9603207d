"""Typed records shared by every stage.

Every record that comes from text carries its evidence: character offsets into the
document text (end exclusive). ``to_dict`` gives the analysis-contract form
(see DESIGN.md, "The analysis contract").
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def document_id(text: str) -> str:
    """Content hash of the text: the same text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Document:
    text: str
    id: str = ""
    source_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, or None when unknown
    publisher: str | None = None
    language: str = "en"
    origin: str | None = None  # file path or "<stdin>" it came from
    # what the reader or the pipeline had to say about it (no date in the page's metadata, not English,
    # cleaned characters, analysed in pieces ...)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "title": self.title,
            "published": self.published,
            "publisher": self.publisher,
            "url": self.url,
            "language": self.language,
            "warnings": list(self.warnings),
        }


@dataclass
class FailedDocument:
    """An input that could not become a Document; kept so nothing is lost silently."""

    origin: str
    reason: str
    source_id: str | None = None
    raw: str | None = None

    @property
    def id(self) -> str:
        return "failed-" + document_id(f"{self.origin}\x00{self.source_id}\x00{self.raw or ''}")


@dataclass
class TimeValue:
    """A time expression and its TIMEX3-style normalisation.

    ``value`` is None when the expression is relative and no anchor was available:
    Legation never guesses a date it cannot support.
    """

    text: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str | None
    anchor: str | None = None  # "published", "t3" (another expression), or None
    resolution: str = "absolute"  # absolute | relative | anaphoric | unresolved
    mod: str | None = None  # TIMEX3 mod: START, MID, END, APPROX, BEFORE, AFTER ...
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Actor:
    """A mention of a political actor, resolved (or not) to a code and a sector.

    ``code`` is ISO 3166-1 alpha-3 or an organisation code (UNO, EUR, IGO, NGO ...);
    None when the mention could not be resolved, with the reason in ``resolution``.
    """

    text: str
    start: int
    end: int
    code: str | None
    sector: str | None = None
    name: str | None = None
    entity: str | None = None  # stable id of a person or organisation ("person:ne-win")
    role: str | None = None  # "ambassador", "President" ... when known
    kind: str = "country"  # country | organisation | person | group
    resolution: str = ""  # how it was resolved, or why it was not
    antecedent: int | None = None  # index of the actor this one corefers with
    members: list[int] | None = None  # for groups ("the two sides"): indices of the member actors

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Speaker:
    text: str | None
    start: int | None
    end: int | None
    entity: str  # groups the quotes of one speaker within a document: "S1", "S2" ...
    name: str | None = None
    description: str | None = None
    anonymous: bool = False
    anonymity_reason: str | None = None
    group: bool = False
    actor: dict[str, Any] | None = None  # the resolved actor (code, sector, name) when there is one
    # the word of the cue's clause that stands for the speaker when the mention is its
    # antecedent: "who" in "the analyst, who said ..."
    via_start: int | None = None
    via_end: int | None = None


@dataclass
class Quote:
    content: str
    start: int
    end: int
    direct: bool
    cue: str | None
    speaker: Speaker | None
    cue_start: int | None = None
    cue_end: int | None = None
    partial: bool = False
    nested_in: int | None = None  # index of the quote this one sits inside
    # direct | partial | indirect (quotes and reported speech); belief | intention |
    # evidence | stance | directive | reference (other attributions)
    kind: str = "indirect"
    # the content's pieces, [start, end) in text order: one piece, or several when a speech
    # tag ('"...," she said, "..."') or narration splits one attribution's content (start
    # and end then span them all, and ``content`` is the text between them)
    segments: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.segments:
            self.segments = [(self.start, self.end)]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    """A coded event: who did what to whom, when, where, as the text tells it.

    Parties, the date, the location, the speaker, the trigger and the evidence are kept in
    their contract form (plain dicts with character offsets), as ``to_dict`` gives them.
    """

    # identity and coding: the id is a hash of the document, the trigger's offset and the code;
    # type/mode/context are PLOVER, cameo/cameo_root/quad_class/goldstein the CAMEO coding
    id: str
    type: str
    mode: str | None
    context: list[str]
    cameo: str
    cameo_root: str
    quad_class: int
    goldstein: float
    # the parties, each ``{"code", "sector", "name", "text", "start", "end", "entity"}``; a side is
    # defaulted when the text names none (a place named, or the source's own country)
    source: list[dict[str, Any]]
    target: list[dict[str, Any]]
    target_defaulted: bool
    source_defaulted: bool
    # the old partner of a switch of recognition ("switched recognition from Taiwan to China")
    switched_from: list[dict[str, Any]]
    # ``{"value", "text", "start", "end", "defaulted"}`` (+ ``"background"`` when defaulted)
    date: dict[str, Any]
    # ``{"text", "start", "end", "code"}`` (+ latitude/longitude when the gazetteer knows it)
    location: dict[str, Any] | None
    killed: int | None
    injured: int | None
    # asserted | hedged | hypothetical | future | negated; the speaker when it is reported speech
    modality: str
    attributed_to: dict[str, Any] | None
    # the trigger word ``{"text", "start", "end", "lemma"}`` and its sentence ``{"text", "start", "end"}``
    trigger: dict[str, Any]
    evidence: dict[str, Any]
    # a change of diplomatic relations the event makes (break, restore, ...), and whether both sides act
    relation: str | None
    mutual: bool
    # how it was coded: an estimate of being right (events.confidence), lexicon | classifier | composed,
    # and how prominent the trigger is in its sentence
    confidence: float | None
    method: str
    salience: float
    # operator composition (events.compose): recoded by an operator over it, or embedded under one
    # (the id of that operator's event); in ``to_dict`` only when set
    composed: bool = False
    embedded_in: str | None = None
    # main-event ranking (events.rank): the trigger's role in its sentence and whether the event is
    # the one the sentence reports
    role: str | None = None
    main: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "context": self.context,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": self.source,
            "target": self.target,
            "target_defaulted": self.target_defaulted,
            "source_defaulted": self.source_defaulted,
            "switched_from": self.switched_from,
            "date": self.date,
            "location": self.location,
            "killed": self.killed,
            "injured": self.injured,
            "modality": self.modality,
            "attributed_to": self.attributed_to,
            "trigger": self.trigger,
            "evidence": self.evidence,
            "relation": self.relation,
            "mutual": self.mutual,
            "confidence": self.confidence,
            "method": self.method,
            "salience": self.salience,
        }
        if self.composed:
            out["composed"] = True
        if self.embedded_in is not None:
            out["embedded_in"] = self.embedded_in
        out["role"] = self.role
        out["main"] = self.main
        return out


@dataclass
class Analysis:
    """The analysis of one document: the unit every stage reads and extends."""

    document: Document
    times: list[TimeValue] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relation_changes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    # the unmerged reports behind relation_changes, kept for the store (not in the contract);
    # None when the relations stage did not run
    relation_reports: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": self.document.to_dict(),
            "times": [t.to_dict() for t in self.times],
            "actors": [a if isinstance(a, dict) else a.to_dict() for a in self.actors],
            "quotes": [q if isinstance(q, dict) else q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "relation_changes": [r if isinstance(r, dict) else r.to_dict() for r in self.relation_changes],
        }
        if self.errors:
            out["errors"] = self.errors
        return out
