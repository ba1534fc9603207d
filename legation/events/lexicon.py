"""The event vocabulary: trigger lexicon, CAMEO codebook, modality cues (data/events/*.yaml)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from legation.knowledge import load_yaml

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    type: str
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True)
class Trigger:
    lemma: str  # head lemma ("talk" for "talks", "attempt" for "assassination attempt")
    pos: str  # VERB | NOUN
    cameo: str
    before: tuple[str, ...] = ()  # lemmas that must precede the head ("assassination" attempt)
    particle: str | None = None
    objects: frozenset[str] = frozenset()  # head lemmas of the required object
    prep: tuple[tuple[str, frozenset[str]], ...] = ()  # required prepositions and their object lemmas
    mutual: bool = False
    weak: bool = False
    passive_ok: bool = True
    type: str | None = None  # override of the type CAMEO gives
    relation: str | None = None  # relation change this trigger reports (break, restore ...)
    negated_only: bool = False  # "have had no relations since 1980" reports a break; "have relations" nothing
    converse: bool = False  # "Egypt received a loan from the IMF": the giver ("from") is the source
    complement: bool = False  # only with a that-clause or infinitive: "its demand that Israel withdraw"
    imported: bool = False  # from PETRARCH2's verb dictionary: coded only between two named parties

    @property
    def specificity(self) -> int:
        return len(self.before) + (self.particle is not None) + bool(self.objects) + len(self.prep) + self.complement


@dataclass(frozen=True)
class Sense:
    """A reading of an ambiguous trigger from its context (``data/events/senses.yaml``)."""

    name: str
    lemmas: frozenset[str]
    roots: tuple[str, ...]
    context: frozenset[str]
    subject: frozenset[str]
    cameo: str | None  # None: this sense reports no event
    unless: frozenset[str] = frozenset()  # none of these lemmas may be in the sentence
    objects: frozenset[str] = frozenset()  # an object of the trigger must name one of these (or a class: "@people")
    preps: frozenset[str] = frozenset()  # the trigger must govern one of these prepositions
    no_state: bool = False  # only when the trigger's subject and objects name no state or its people
    particles: frozenset[str] = frozenset()  # the trigger carries one of these particles ("shot back")
    source_kinds: frozenset[str] = frozenset()  # who acts (subject, agent, possessor) is an actor of one of these kinds
    source_sectors: frozenset[str] = frozenset()  # ... or of one of these sectors (COP: police)

    def applies(self, lemma: str, cameo: str, sentence_lemmas: set[str], subject: str | None,
                preps: set[str] | frozenset[str] = frozenset(), particles: set[str] | frozenset[str] = frozenset()) -> bool:
        """Whether the sense applies, apart from its ``objects`` (which need the parse: the caller checks them)."""
        if self.lemmas and self.roots:  # both given: the lemma with one of these codes
            if not (lemma in self.lemmas and cameo[:2] in self.roots):
                return False
        elif not (lemma in self.lemmas or (self.roots and cameo[:2] in self.roots)):
            return False
        if self.context and not self.context & sentence_lemmas:
            return False
        if self.unless & (sentence_lemmas - {lemma}):  # the trigger's own word ("shot back") is no context
            return False
        if self.preps and not self.preps & preps:
            return False
        if self.particles and not self.particles & particles:
            return False
        return not self.subject or subject in self.subject


@dataclass
class Candidate:
    """A trigger entry matched at a token, with the object token that satisfied it (if any)."""

    token: Token
    trigger: Trigger
    object_token: Token | None
    probability: float = 1.0  # below 1 for the learned fallback


class EventLexicon:
    def __init__(self) -> None:
        cameo_raw = load_yaml("events/cameo.yaml") or {}
        rows = cameo_raw.get("codes", cameo_raw) if isinstance(cameo_raw, dict) else cameo_raw
        self.cameo: dict[str, CameoCode] = {}
        items = rows.items() if isinstance(rows, dict) else ((r["code"], r) for r in rows)
        for code, row in items:
            code = str(code)
            if not isinstance(row, dict):
                continue
            context = row.get("context") or ()
            if isinstance(context, str):
                context = tuple(c.strip() for c in context.split(",") if c.strip())
            self.cameo[code] = CameoCode(code, row.get("name", ""), float(row.get("goldstein", 0.0)),
                                         int(row.get("quad_class", 0)), row.get("type") or row.get("plover") or "",
                                         row.get("mode") or None, tuple(context))
        self.triggers: dict[tuple[str, str], list[Trigger]] = {}
        self.modality_words: dict[str, Any] = (load_yaml("events/modality.yaml") or {}).get("cue_words") or {}
        raw = load_yaml("events/triggers.yaml") or {}
        for entry in raw.get("entries", raw if isinstance(raw, list) else []):
            trigger = self._trigger(entry)
            self.triggers.setdefault((trigger.lemma, trigger.pos), []).append(trigger)
        self._add_imported(load_yaml("events/petrarch_verbs.yaml") or {})
        self.senses: list[Sense] = []
        for row in (load_yaml("events/senses.yaml") or {}).get("senses") or []:
            words = lambda key: frozenset(str(w).lower() for w in _flat(row.get(key) or ()))  # noqa: E731
            cameo = str(row.get("cameo") or "none")
            self.senses.append(Sense(str(row.get("name") or ""), words("lemmas"), tuple(str(r) for r in row.get("roots") or ()),
                                     words("context"), words("subject"), None if cameo == "none" else cameo,
                                     words("unless"), words("objects"), words("preps"), bool(row.get("no_state")),
                                     words("particles"), words("source_kinds"),
                                     frozenset(str(w).upper() for w in _flat(row.get("source_sectors") or ()))))
        self._add_nominalizations((load_yaml("events/nominalizations.yaml") or {}).get("nouns") or {})
        relations = load_yaml("events/relations.yaml") or {}
        self.relation_by_lemma: dict[str, str] = {}
        for change, lemmas in (relations.get("changes") or {}).items():
            for lemma in lemmas:
                self.relation_by_lemma[lemma] = change
        self.relation_objects = frozenset(relations.get("objects") or ())
        self.modality: dict[str, Any] = load_yaml("events/modality.yaml") or {}
        anaphora = load_yaml("events/anaphora.yaml") or {}
        self.event_groups: list[frozenset[str]] = [frozenset(str(w).lower() for w in g) for g in anaphora.get("groups") or []]

    @staticmethod
    def _trigger(entry: dict[str, Any]) -> Trigger:
        words = str(entry["lemma"]).lower().split()
        pos = str(entry.get("pos", "VERB")).upper()
        particle = entry.get("particle")
        if pos == "VERB" and len(words) == 2 and particle is None:
            particle = words[1]  # "set off"
            words = words[:1]
        objects = entry.get("object") or entry.get("objects") or []
        if isinstance(objects, str):
            objects = [objects]
        prep = entry.get("prep") or {}
        if isinstance(prep, str):
            prep = {prep: []}
        return Trigger(
            lemma=words[-1], pos=pos, cameo=str(entry["cameo"]), before=tuple(words[:-1]) if pos == "NOUN" else (),
            particle=particle, objects=frozenset(str(o).lower().split()[-1] for o in objects),
            prep=tuple((p.lower(), frozenset(str(o).lower().split()[-1] for o in (objs or []))) for p, objs in prep.items()),
            mutual=bool(entry.get("mutual", False)), weak=bool(entry.get("weak", False)),
            passive_ok=bool(entry.get("passive_ok", True)), type=entry.get("type"), relation=entry.get("relation"),
            negated_only=bool(entry.get("negated_only", False)), converse=bool(entry.get("converse", False)),
            complement=bool(entry.get("complement", False)),
        )

    def _add_imported(self, raw: dict[str, Any]) -> None:
        """PETRARCH2's verbs (``scripts/import_petrarch.py``) for the lemmas the hand-written lexicon
        does not know. Hand-written entries win: adding the dictionary's object patterns to known verbs
        was measured on the GSR dev half (4 right types lost, none gained). Verbs the extractor reads as
        frames, operators or states (speech, intent, hedge, future, refusal, stative, light verbs) keep
        those roles."""
        roles = {str(w).lower() for name in ("speech_verbs", "intent_heads", "stative_verbs", "light_verbs", "hedge_verbs",
                                                 "future_verbs", "refusal_verbs") for w in self.modality_words.get(name) or ()}
        known = {lemma.replace("-", "") for lemma, pos in self.triggers if pos == "VERB"}
        for entry in raw.get("entries") or []:
            trigger = dataclasses.replace(self._trigger(entry), imported=True)
            if trigger.pos != "VERB" or trigger.lemma in roles or trigger.lemma.replace("-", "") in known:
                continue
            if self.code(trigger.cameo) is not None:
                self.triggers.setdefault((trigger.lemma, trigger.pos), []).append(trigger)

    def _add_nominalizations(self, nouns: dict[str, str]) -> None:
        """"suspended air links" -> "a suspension of air links": each verb entry that requires an
        object also codes its noun with that object in an "of" phrase, after the nouns the file
        lists itself (the most specific entry wins; ties go to the first listed)."""
        derived: dict[tuple[str, str], list[Trigger]] = {}
        for (lemma, pos), entries in self.triggers.items():
            noun = nouns.get(lemma)
            if pos != "VERB" or not noun:
                continue
            for entry in entries:
                if not entry.objects or entry.particle or entry.prep or entry.weak or entry.negated_only or entry.converse:
                    continue
                derived.setdefault((noun, "NOUN"), []).append(dataclasses.replace(
                    entry, lemma=noun, pos="NOUN", objects=frozenset(), prep=(("of", entry.objects),), passive_ok=True))
        for key, entries in derived.items():
            self.triggers.setdefault(key, []).extend(entries)

    def lemmas(self, pos: str) -> list[str]:
        """Trigger lemmas, with the hyphenated spelling of prefixed verbs ("re-establish")."""
        out = set()
        for lemma, p in self.triggers:
            if p == pos:
                out.add(lemma)
                for prefix in ("re", "co", "de", "pre"):
                    if lemma.startswith(prefix) and len(lemma) > len(prefix) + 3 and lemma[len(prefix)] != "-":
                        out.add(f"{prefix}-{lemma[len(prefix):]}")
        return sorted(out)

    def entries(self, lemma: str, pos: str) -> list[Trigger]:
        return self.triggers.get((lemma, pos)) or self.triggers.get((lemma.replace("-", ""), pos)) or []

    def code(self, cameo: str) -> CameoCode | None:
        """The code, or its nearest listed parent ("0231" -> "023" -> "02")."""
        code = cameo
        while code:
            if code in self.cameo:
                return self.cameo[code]
            code = code[:-1]
        return None

    def generic_code(self, plover_type: str) -> str | None:
        """The least specific CAMEO code of a PLOVER type ("ASSAULT" -> "180")."""
        codes = [c for c, row in self.cameo.items() if row.type == plover_type and len(c) >= 3 and not c.startswith("01")]
        return min(codes, key=lambda c: (len(c), not c.endswith("0"), c)) if codes else None

    def cues(self, name: str) -> set[str]:
        value = self.modality.get(name) or []
        if isinstance(value, dict):
            value = [w for words in value.values() for w in (words or [])]
        return {str(v).lower() for v in value}


def _flat(words: Any) -> list[Any]:
    """A word list, or a list of word lists (a shared YAML list and words of one entry's own)."""
    return [w for item in words for w in (_flat(item) if isinstance(item, list) else [item])]


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    return EventLexicon()
