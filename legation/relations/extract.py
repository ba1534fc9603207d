"""Relation changes read from the parse: who changed relations with whom, how, and when.

The events stage finds relation triggers among all its events; this module re-reads the
sentences that hold one (its own cues, in ``data/relations/cues.yaml``, or an event with a
``relation``) and decides the parties, the change and the date itself:

* expulsions ("expelled 23 British diplomats", "declared ... persona non grata", "ordered the
  ambassador to leave"): the expelling state and the diplomats' state;
* recalls ("recalled its ambassador to/from/in Y"): the recalling state and the host;
* recognition switches ("switched recognition from Taiwan to China", "... in favour of China"):
  an ``establish`` with the new partner and a ``break`` with the old one;
* mediators and hosts ("brokered by China", "with Kuwait's mediation") are never parties;
* first-ever ties are ``establish``; "resumed"/"restored"/"after a break" are ``restore``;
* lists ("Botswana (2014), Jordan (2017) and Malaysia cut ties with X") give one change per
  country, each with its own year; joint acts give no pair among the actors on one side;
* the date is the time expression of the trigger's own clause (day-precise when the text is).

Only sentences with a cue are looked at, so the stage stays cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from legation.knowledge import load_yaml
from legation.records import Event
from legation.relations.changes import COUNTABLE_MODALITIES, DIRECTED, calendar_date, compatible
from legation.timex.dateline import dateline

NON_COUNTRIES = frozenset({"UNO", "EUR", "IGO", "NGO"})
SUBJECT_DEPS = ("nsubj", "csubj")
CLAUSE_DEPS = ("xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp")
GOVERNED_DEPS = ("xcomp", "ccomp", "acl", "pcomp", "prep", "pobj", "dobj")
TWO_SIDES = "coreference: the two"  # the actors stage's mark on "the two countries", "both sides"
TIE_CHANGES = ("establish", "restore", "normalize", "upgrade", "break", "suspend", "downgrade")


@dataclass(frozen=True)
class VerbCue:
    change: str
    object: str  # tie | envoy | recognition | party


@dataclass(frozen=True)
class RelationCues:
    tie_nouns: frozenset[str]
    envoy_nouns: frozenset[str]
    recognition_nouns: frozenset[str]
    verbs: dict[str, tuple[VerbCue, ...]]
    phrasal: dict[tuple[str, str], VerbCue]
    nouns: dict[str, VerbCue]
    png_verbs: frozenset[str]
    png_words: tuple[str, ...]
    leave_verbs: frozenset[str]
    leave_order_verbs: frozenset[str]
    recall_places: frozenset[str]
    partner_preps: frozenset[str]
    switch_to_phrases: tuple[str, ...]
    first_time: tuple[str, ...]
    returning: tuple[str, ...]
    mediator_verbs: frozenset[str]
    mediator_nouns: frozenset[str]
    blockers: frozenset[str]
    hedges: frozenset[str]
    list_preps: tuple[str, ...]
    recognize_skip: tuple[str, ...]
    recognize_objects: frozenset[str]
    elapsed_units: dict[str, int]
    no_change_objects: frozenset[str]
    number_words: dict[str, int | None]
    announcing_verbs: frozenset[str]
    rivals: dict[str, tuple[str, ...]]
    anaphoric_times: Any
    home_words: frozenset[str]
    reciprocal_words: frozenset[str]
    follow_verbs: frozenset[str]
    definite_words: frozenset[str]
    group_nouns: frozenset[str]
    embassy_nouns: frozenset[str]
    hedge_adverbs: frozenset[str]
    former_states: dict[str, tuple[tuple[str, str], ...]]
    pair_pronouns: frozenset[str]
    drop_verbs: frozenset[str]
    sequence_words: frozenset[str]
    precedent_words: frozenset[str]
    tie_pronouns: frozenset[str]
    hedge_nouns: frozenset[str]
    state_verbs: frozenset[str]
    purpose_verbs: frozenset[str]

    def verbs_of(self, *changes: str) -> frozenset[str]:
        """The verb lemmas that report these changes."""
        return frozenset(lemma for lemma, cues in self.verbs.items() if any(c.change in changes for c in cues)) \
            | {lemma for (lemma, _), cue in self.phrasal.items() if cue.change in changes}

    def lemmas(self) -> frozenset[str]:
        """Every lemma that can start a look at a sentence."""
        return frozenset(self.verbs) | {lemma for lemma, _ in self.phrasal} | frozenset(self.nouns) \
            | self.png_verbs | self.leave_order_verbs | self.follow_verbs | self.drop_verbs


@lru_cache(maxsize=1)
def load_cues() -> RelationCues:
    data = load_yaml("relations/cues.yaml") or {}
    verbs: dict[str, list[VerbCue]] = {}
    for entry in data.get("verbs") or []:
        for lemma in entry["lemmas"]:
            verbs.setdefault(lemma, []).append(VerbCue(entry["change"], entry["object"]))
    nouns = {lemma: VerbCue(entry["change"], entry["of"]) for entry in data.get("nouns") or [] for lemma in entry["lemmas"]}
    phrasal = {(e["lemma"], e["particle"]): VerbCue(e["change"], e["object"]) for e in data.get("phrasal") or []}
    png = data.get("persona_non_grata") or {}
    leave = data.get("leave_orders") or {}
    return RelationCues(
        tie_nouns=frozenset(data.get("tie_nouns") or ()), envoy_nouns=frozenset(data.get("envoy_nouns") or ()),
        recognition_nouns=frozenset(data.get("recognition_nouns") or ()),
        verbs={k: tuple(v) for k, v in verbs.items()}, phrasal=phrasal, nouns=nouns,
        png_verbs=frozenset(png.get("verbs") or ()), png_words=tuple(png.get("words") or ()),
        leave_verbs=frozenset(leave.get("leave_verbs") or ()), leave_order_verbs=frozenset(leave.get("verbs") or ()),
        recall_places=frozenset(data.get("recall_places") or ()), partner_preps=frozenset(data.get("partner_preps") or ()),
        switch_to_phrases=tuple(data.get("switch_to_phrases") or ()),
        first_time=tuple(data.get("first_time_cues") or ()), returning=tuple(data.get("return_cues") or ()),
        mediator_verbs=frozenset(data.get("mediator_verbs") or ()), mediator_nouns=frozenset(data.get("mediator_nouns") or ()),
        blockers=frozenset(data.get("blockers") or ()), hedges=frozenset(data.get("hedges") or ()),
        list_preps=tuple(data.get("list_preps") or ()), recognize_skip=tuple(data.get("recognize_skip") or ()),
        recognize_objects=frozenset(data.get("recognize_objects") or ()),
        elapsed_units=dict(data.get("elapsed_units") or {}),
        no_change_objects=frozenset(data.get("no_change_objects") or ()), number_words=dict(data.get("number_words") or {}),
        announcing_verbs=frozenset(data.get("announcing_verbs") or ()),
        rivals={code: tuple(c for c in group if c != code) for group in data.get("rival_governments") or () for code in group},
        anaphoric_times=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data.get("anaphoric_times") or ["that year"]) + r")\b", re.I),
        home_words=frozenset(data.get("home_words") or ()), reciprocal_words=frozenset(data.get("reciprocal_words") or ()),
        follow_verbs=frozenset(data.get("follow_verbs") or ()),
        definite_words=frozenset(data.get("definite_words") or ()), group_nouns=frozenset(data.get("group_nouns") or ()),
        embassy_nouns=frozenset(data.get("embassy_nouns") or ()), hedge_adverbs=frozenset(data.get("hedge_adverbs") or ()),
        pair_pronouns=frozenset(data.get("pair_pronouns") or ()), drop_verbs=frozenset(data.get("drop_verbs") or ()),
        sequence_words=frozenset(data.get("sequence_words") or ()),
        precedent_words=frozenset(data.get("precedent_words") or ()),
        tie_pronouns=frozenset(data.get("tie_pronouns") or ()), hedge_nouns=frozenset(data.get("hedge_nouns") or ()),
        former_states={code: tuple(sorted((str(e["until"]), e["was"]) for e in data.get("former_states") or ()
                                          if e["code"] == code))
                       for code in {e["code"] for e in data.get("former_states") or ()}},
        state_verbs=frozenset(data.get("state_verbs") or ()), purpose_verbs=frozenset(data.get("purpose_verbs") or ()),
    )


@dataclass
class Candidate:
    """A relation trigger in a sentence: the word, the change it reports, and what it acts on."""

    token: Any
    change: str
    object_kind: str
    objects: list[Any] = field(default_factory=list)
    event: Event | None = None


def _lemma(token: Any) -> str:
    return token.lemma_.lower()


def _done(verb: Any) -> bool:
    """A verb told as done: simple past ("helped"), or perfect with no modal ("has helped")."""
    if verb.tag_ == "VBD":
        return True
    auxes = [c for c in verb.children if c.dep_ == "aux"]
    return verb.tag_ == "VBN" and any(_lemma(a) == "have" for a in auxes) and not any(a.tag_ == "MD" for a in auxes)


def _governing_verb(token: Any) -> Any | None:
    """The verb a nominal trigger is the object of ("resume normalization"), which says how and
    when the change happened; None for other triggers."""
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "nsubjpass") and token.head.i != token.i:
        return token.head
    return None


def _days(earlier: str, later: str) -> int:
    from datetime import date

    return (date.fromisoformat(later[:10]) - date.fromisoformat(earlier[:10])).days


def _conjuncts(token: Any) -> list[Any]:
    """The token and the members coordinated or listed with it ("Botswana, Jordan and Malaysia")."""
    out, stack = [], [token]
    while stack:
        current = stack.pop()
        if any(t.i == current.i for t in out):
            continue
        out.append(current)
        stack.extend(c for c in current.children if c.dep_ in ("conj", "appos") and c.pos_ in ("PROPN", "NOUN", "PRON"))
    return sorted(out, key=lambda t: t.i)


class SentenceReader:
    """Relation changes in one document, sentence by sentence."""

    def __init__(self, doc: Any, actors: list[Any], times: list[Any], events: list[Event],
                 published: str | None, doc_id: str) -> None:
        self.cues = load_cues()
        self.doc = doc
        self.doc_id = doc_id
        self.published = published
        self.actors = [a if isinstance(a, dict) else vars(a) for a in actors]  # read only; no copies
        self.token_actors: dict[int, list[int]] = {}
        self.actor_last: dict[int, int] = {}
        for index, actor in enumerate(self.actors):
            for token in doc.char_span(actor["start"], actor["end"], alignment_mode="expand") or []:
                self.token_actors.setdefault(token.i, []).append(index)
                self.actor_last[index] = token.i
        self.text = text = doc.text  # Doc.text joins every token: built once per document
        self.dateline = dateline(text)
        self.dateline_tokens = {t.i for start, end in self.dateline
                                for t in (doc.char_span(start, end, alignment_mode="expand") or [])}
        times = [t if isinstance(t, dict) else vars(t) for t in times]
        anchor = self._dateline_date(times)
        if anchor and anchor != str(published or "")[:10]:
            # "WASHINGTON, Aug. 13 - ... on Thursday": the times stage anchored the days on the
            # dateline's date (legation.timex.dateline); the story's day is that date too
            self.published = anchor
        self.last_pair: tuple[str, str] | None = None  # the pair of the latest change read, for "the two countries"
        self.last_reports: list[dict[str, Any]] = []  # the changes of the latest sentence that had some
        self.last_end = -1
        self.told_here: dict[int, list[dict[str, Any]]] = {}
        self.skip_times: set[int] = set()  # times of the precedents of the change being read
        # undated changes told in a relative clause with another country ("Bahrain, which cut ties with
        # Iran alongside Riyadh"): that country's same kind of change gives the date
        self.companions: dict[str, list[str]] = {}
        self.envoy_reports: list[dict[str, Any]] = []  # the expulsions and recalls told last, for "the envoys"
        self.first_ids: set[str] = set()  # reports of ties stated as the first ever
        self.embassy_ids: set[str] = set()  # reports read from an embassy opening ("reopened its embassy")
        self.times = []
        previous: str | None = None
        for time in sorted(times, key=lambda t: t["start"]):
            value = calendar_date(time.get("value"))
            if time.get("type") == "TIME" and value and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
                time = dict(time, type="DATE")  # "on Friday evening", "at 10 a.m. on Monday": the day
                value = value[:10]
            told = text[time["start"]:time["end"] + 16]  # the expression and what follows ("October" "that year")
            anaphor = self.cues.anaphoric_times.search(told) if value and previous and time.get("type") == "DATE" else None
            if anaphor is not None and anaphor.start() <= time["end"] - time["start"] + 1:
                # "in October that year", "later that month": the year (month) of the time told before
                keep = 7 if "month" in anaphor.group(0).lower() else 4
                value = previous[:keep] + value[keep:] if len(previous) >= keep else value
            if value and time.get("type") == "DATE" and re.match(r"^\d{4}", value) and not self._subordinate(time):
                previous = value  # (not "after suspending them in 1967": "that year" is the main clause's)
            if time.get("type") == "DATE" and value and re.match(r"^\d{3}[\dX]", value):
                span = doc.char_span(time["start"], time["end"], alignment_mode="expand")
                if span is not None and len(span):
                    self.times.append((span, value))
        self.story_date = self._story_date()
        self.events_at: dict[int, list[Event]] = {}
        for event in events:
            trigger = event.trigger or {}
            if event.relation and trigger.get("start") is not None:
                span = doc.char_span(trigger["start"], max(trigger["end"], trigger["start"] + 1), alignment_mode="expand")
                if span is not None and len(span):
                    self.events_at.setdefault(span[0].i, []).append(event)

    def _subordinate(self, time: dict[str, Any]) -> bool:
        """A time told in a clause or phrase of what came before or after ("after suspending them in 1967")."""
        span = self.doc.char_span(time["start"], time["end"], alignment_mode="expand")
        if span is None or not len(span):
            return False
        for ancestor in span.root.ancestors:
            if ancestor.dep_ == "prep" and ancestor.lower_ in self.cues.sequence_words:
                return True
            if any(c.dep_ == "mark" and c.lower_ in self.cues.sequence_words for c in ancestor.children):
                return True
        return False

    def _story_date(self) -> str | None:
        """The day the story tells of: the first day named in its lead ("Canada and India expelled each
        other's diplomats on Monday"), up to a week before publication; else the dateline's day or the
        publication day. An undated report of the story's change is dated by it."""
        published = str(self.published or "")[:10]
        lead_end = next((end for start, end in self.dateline), None)
        lead = next((s for s in self.doc.sents if lead_end is None or s.end_char > lead_end), None)
        if lead is not None and published:
            for span, value in self.times:
                if lead.start <= span[0].i < lead.end and span[0].i not in self.dateline_tokens and len(value) == 10 \
                        and value <= published and _days(value, published) <= 7:
                    return value
        return published or None

    def _paragraph_time(self, sent: Any) -> str | None:
        """The latest time told earlier in the sentence's paragraph ("The two countries first traded
        expulsions in September last year, ... Canada expelled a senior Indian official")."""
        text = self.text
        start = max(text.rfind("\n", 0, sent.start_char), 0)
        found = [(span.start_char, value) for span, value in self.times
                 if start <= span.start_char and span.end_char <= sent.start_char and span[0].i not in self.dateline_tokens]
        return max(found)[1] if found else None

    def _dateline_date(self, times: list[dict[str, Any]]) -> str | None:
        """The day a dateline gives ("DUBAI, March 11 (Reuters) -"), if it gives one."""
        for start, end in self.dateline:
            for time in times:
                if start <= time["start"] < end and time.get("type") == "DATE" and \
                        re.match(r"^\d{4}-\d{2}-\d{2}$", str(time.get("value") or "")):
                    return str(time["value"])
        return None

    # --- actors ---------------------------------------------------------------------
    def _codes(self, tokens: list[Any], excluded: set[int]) -> list[str]:
        codes: list[str] = []
        for token in tokens:
            if token.i in excluded:
                continue
            for index in self.token_actors.get(token.i, []):
                for code in self._actor_codes(index):
                    if code not in codes:
                        codes.append(code)
        return codes

    def _actor_codes(self, index: int, depth: int = 0) -> list[str]:
        actor = self.actors[index]
        if actor.get("members") and depth < 3:
            return [c for m in actor["members"] for c in self._actor_codes(m, depth + 1)]
        code = actor.get("code")
        if not code or len(code) != 3 or code in NON_COUNTRIES or str(actor.get("resolution") or "").startswith("context:"):
            return []
        return [code]

    def _phrase_codes(self, head: Any, excluded: set[int], skip_children: set[int] | None = None) -> list[str]:
        """Countries in a noun phrase, leaving out its clauses and the members listed beside it. A country
        the actors stage gave a bare noun by coreference yields to one named in the same phrase ("the
        administration of President George W. Bush" is Bush's)."""
        return self._codes(self._named_first(self._phrase_tokens(head, skip_children), excluded), excluded)

    def _named_first(self, tokens: list[Any], excluded: set[int]) -> list[Any]:
        """The phrase's tokens less those whose country is only a coreference guess, where another
        token of the phrase names a country."""
        tokens = [t for t in tokens if t.i not in excluded]
        coded = [t for t in tokens if any(self._actor_codes(i) for i in self.token_actors.get(t.i, []))]
        named = [t for t in coded if any(self._actor_codes(i) and not self._guessed(i) for i in self.token_actors.get(t.i, []))]
        if not named or len(named) == len(coded):
            return tokens
        return [t for t in tokens if t not in coded or t in named]

    def _guessed(self, index: int) -> bool:
        resolution = str(self.actors[index].get("resolution") or "")
        return resolution.startswith("coreference: same")

    def _phrase_tokens(self, head: Any, skip_children: set[int] | None = None) -> list[Any]:
        skip = set(skip_children or ())
        tokens = []
        stack = [head]
        while stack:
            current = stack.pop()
            tokens.append(current)
            for child in current.children:
                if child.i in skip or child.dep_ in ("relcl", "acl", "advcl", "conj", "appos", "cc", "punct"):
                    continue
                if child.dep_ == "prep" and _lemma(child) not in ("of",):
                    continue
                stack.append(child)
        return sorted(tokens, key=lambda t: t.i)

    # --- detection --------------------------------------------------------------------
    def candidates(self, sent: Any) -> list[Candidate]:
        cues = self.cues
        found: dict[int, Candidate] = {}
        lower = sent.text.lower()
        for token in sent:
            lemma = _lemma(token)
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                particle = next((c.lower_ for c in token.children if c.dep_ == "prt"
                                 or (c.dep_ == "prep" and c.lower_ == "out")), None)  # "pulled its staff out of Tehran"
                options = list(cues.verbs.get(lemma, ()))
                if particle and (lemma, particle) in cues.phrasal:
                    options.insert(0, cues.phrasal[(lemma, particle)])
                for cue in options:
                    objects = self._objects(token, cue.object)
                    if objects:
                        found.setdefault(token.i, Candidate(token, cue.change, cue.object, objects))
                        break
                if token.i not in found and lemma in cues.drop_verbs:
                    # "Burkina Faso abandoned Taipei": dropping one of two rival governments breaks with it
                    dropped = [o for o in self._objects(token, "party") if any(c in cues.rivals for c in self._codes([o], set()))]
                    if dropped:
                        found[token.i] = Candidate(token, "break", "party", dropped)
                if token.i not in found and lemma in cues.png_verbs and all(w in lower for w in cues.png_words):
                    envoys = [t for t in sent if token.i < t.i and _lemma(t) in cues.envoy_nouns
                              and not any(w == t.lower_ for w in cues.png_words)][:1]
                    envoys = envoys or [c for c in token.children if c.dep_ == "nsubjpass" and _lemma(c) in cues.envoy_nouns]
                    if envoys:
                        found[token.i] = Candidate(token, "expel", "envoy", envoys)
                if token.i not in found and lemma in cues.leave_order_verbs and any(
                        c.dep_ in ("advmod", "prt", "npadvmod") and c.lower_ in cues.home_words for c in token.children):
                    envoys = [m for c in token.children if c.dep_ == "dobj" for m in _conjuncts(c) if _lemma(m) in cues.envoy_nouns]
                    if envoys:  # "ordered the envoys home for consultations"
                        found[token.i] = Candidate(token, "recall", "envoy", envoys)
                if token.i not in found and lemma in cues.leave_order_verbs:
                    # "ordered X to leave", "gave X 72 hours to leave" (the infinitive hangs on the time)
                    near = list(token.children) + [g for d in token.children if d.dep_ == "dobj" for g in d.children]
                    leave = next((c for c in near if c.dep_ in ("xcomp", "advcl", "ccomp", "relcl", "acl")
                                  and _lemma(c) in cues.leave_verbs), None)
                    if leave is not None:
                        envoys = [m for c in list(token.children) + list(leave.children)
                                  if c.dep_ in ("dobj", "dative", "nsubj", "iobj", "nsubjpass")
                                  for m in _conjuncts(c) if _lemma(m) in cues.envoy_nouns]
                        if envoys:
                            found[token.i] = Candidate(token, "expel", "envoy", envoys)
            elif token.pos_ == "NOUN" and token.dep_ == "compound" and lemma in cues.verbs and token.i > sent.start \
                    and token.nbor(-1).lower_ == "to":
                # "agreed to normalise relations" parsed as a noun compound of "relations"
                cue = next((c for c in cues.verbs[lemma] if self._is_object(token.head, c.object)), None)
                if cue is not None:
                    found[token.i] = Candidate(token, cue.change, cue.object, [token.head])
            elif token.pos_ in ("NOUN", "PROPN") and lemma in cues.nouns:
                cue = cues.nouns[lemma]
                objects = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                           for p in c.children if p.dep_ == "pobj" and self._is_object(p, cue.object)]
                if objects or (cue.object == "tie" and any(c.dep_ == "prep" and c.lower_ == "between" for c in token.children)):
                    found[token.i] = Candidate(token, cue.change, cue.object, objects)
        for index, events in self.events_at.items():
            if sent.start <= index < sent.end:
                if index in found:
                    found[index].event = events[0]
                elif any(c.dep_ == "dobj" and _lemma(c) in cues.no_change_objects for c in self.doc[index].children):
                    continue  # "closing the consulate in St Petersburg": no change of relations
                else:
                    change = events[0].relation
                    lemma = _lemma(self.doc[index])
                    if any(c.change == "normalize" for c in cues.verbs.get(lemma, ())) or (
                            lemma in cues.nouns and cues.nouns[lemma].change == "normalize"):
                        change = "normalize"  # decided later from the document (see _settle_normalizations)
                    kind = {"expel": "envoy", "recall": "envoy", "recognize": "party",
                            "switch_recognition": "recognition"}.get(change, "tie")
                    found[index] = Candidate(self.doc[index], "switch" if change == "switch_recognition" else change,
                                             kind, [], events[0])
        return [found[i] for i in sorted(found)]

    def _is_object(self, token: Any, kind: str) -> bool:
        lemma = _lemma(token)
        if kind == "tie":
            return lemma in self.cues.tie_nouns
        if kind == "envoy":
            return lemma in self.cues.envoy_nouns
        if kind == "recognition":
            return lemma in self.cues.recognition_nouns
        return bool(self._codes([token], set()))

    def _objects(self, verb: Any, kind: str) -> list[Any]:
        heads = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
            heads.append(verb.head)  # "the ties that were cut", "relations cut in 1983"
        if kind == "party":
            heads = [c for c in verb.children if c.dep_ == "dobj"]
        out = []
        for head in heads:
            if kind == "tie" and head.lower_ in self.cues.tie_pronouns:
                # "downgraded its relations with Iran in 2016, upgraded them again": the ties told just before
                head = next((t for t in reversed(list(head.doc[head.sent.start:head.i])) if self._is_object(t, "tie")
                             and t.dep_ in ("dobj", "nsubjpass") and _lemma(t.head) in self.cues.verbs), head)
            for member in _conjuncts(head):
                if self._is_object(member, kind):
                    out.append(member)
        return out

    # --- blockers ---------------------------------------------------------------------
    def _blocked(self, token: Any) -> bool:
        """Threatened, proposed, refused, conditional or negated: not a change that happened; a state
        held since a time ("had recognised Taipei since 1980") is no change either."""
        cues = self.cues
        if _lemma(token) not in self.cues.verbs_of("break", "suspend", "downgrade", "expel", "recall") and any(
                c.dep_ == "prep" and c.lower_ == "since" for c in token.children):
            return True  # "had recognised Taipei since 1980" (not "since 2016, four states have cut ties")
        if _lemma(token) in cues.state_verbs:
            return True  # "does not have ties with Taiwan", "has had no relations since 1980": a state
        if any(c.dep_ == "neg" for c in token.children):
            return True
        if any(c.dep_ == "aux" and _lemma(c) in cues.hedges for c in token.children):
            return True
        if any(c.dep_ == "advmod" and c.lower_ in cues.hedge_adverbs for c in token.children):
            return True  # "about possibly restoring relations"
        for current in [token, *list(token.ancestors)[:3]]:
            if any(c.dep_ == "prep" and any(_lemma(p) in cues.hedge_nouns for p in c.children) for c in current.children):
                return True  # "agreed in principle to establish ties"
        for current in [token, *list(token.ancestors)[:6]]:
            if any(c.dep_ in SUBJECT_DEPS and (c.lower_ in ("neither", "none", "nobody") or any(
                    d.dep_ == "det" and d.lower_ in ("neither", "no") for d in c.children)) for c in current.children):
                return True  # "Neither side has gone as far as cutting relations"
        current, steps = token, 0
        while steps < 6:
            if any(c.dep_ == "mark" and _lemma(c) in ("if", "unless", "whether") for c in current.children):
                return True

            if current.i != token.i and _lemma(current) in cues.purpose_verbs and not _done(current):
                return True  # "a move that will help restore ties": aimed at, not done
            if current.i != token.i and (self._is_blocker(current)
                                         or any(c.dep_ in ("neg", "det") and c.lower_ in ("no", "not", "never")
                                                for c in current.children)):
                return True
            # "in order to restore ties", "the way to restore relations": the infinitive's governor decides
            infinitive = current.dep_ in ("advcl", "relcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
            if (current.dep_ not in GOVERNED_DEPS and not infinitive) or current.head.i == current.i:
                break
            current, steps = current.head, steps + 1
        return False

    def _is_blocker(self, token: Any) -> bool:
        """The lemma, or the word less an inflection where the lemmatizer slips ("hoped" -> "hop")."""
        word = token.lower_
        forms = {_lemma(token), word, word[:-1], word[:-2], word[:-3] + "e"}
        return bool(forms & self.cues.blockers)

    # --- mediators ----------------------------------------------------------------------
    def _mediators(self, sent: Any) -> set[int]:
        """Tokens naming a mediator or host: the agent or subject of "brokered", "hosted", the
        owner of "mediation", "with the help of China"."""
        cues = self.cues
        out: set[int] = set()
        for token in sent:
            lemma = _lemma(token)
            roots: list[Any] = []
            if lemma in cues.mediator_verbs or lemma.split("-")[-1] in cues.mediator_verbs:
                roots += [c for c in token.children if c.dep_ in ("nsubj", "agent", "npadvmod", "compound")]
                roots += [p for c in token.children if c.dep_ == "agent" for p in c.children]
                if "-" in token.text:  # "a China-brokered deal"
                    out.add(token.i)
            if lemma in cues.mediator_nouns:
                roots += [c for c in token.children if c.dep_ in ("poss", "compound", "amod")]
                roots += [p for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "from")
                          for p in c.children if p.dep_ == "pobj"]
            for root in roots:
                out.update(t.i for t in root.subtree)
        return out

    # --- parties --------------------------------------------------------------------------
    def _subject(self, token: Any) -> Any | None:
        current, steps = token, 0
        if token.dep_ == "compound" and token.pos_ == "NOUN":
            while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
                current = current.head
        while steps < 4:
            subject = next((c for c in current.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is None:
                agent = next((p for c in current.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
                if agent is not None:
                    return agent
                subject = next((c for c in current.children if c.dep_ == "npadvmod" and c.i < current.i
                                and c.pos_ == "PROPN"), None)
            if subject is not None:
                if subject.lower_ in ("that", "which", "who") and current.dep_ == "relcl":
                    return current.head
                return subject
            if any(c.dep_ == "nsubjpass" for c in current.children):
                return None
            controller = next((c for c in current.head.children if c.dep_ == "dobj"), None) \
                if current.dep_ == "xcomp" and current.head.i != current.i else None
            if controller is not None and self._codes([controller], set()):
                return controller  # "prompting China to break off relations": China breaks them
            if current.dep_ in ("xcomp", "conj", "advcl", "acl", "ccomp") and current.head.i != current.i:
                current, steps = current.head, steps + 1
                continue
            return None
        return None

    def _items(self, subject: Any | None, excluded: set[int], token: Any | None = None) -> list[tuple[Any, list[str]]]:
        """The subject's listed members, each with its countries. A pronoun subject in a reported
        clause is the reporting clause's subject ("Iran and Saudi Arabia said they would ...");
        a generic subject with a list ("several states, including Panama in 2017 and ...") is the list."""
        if subject is None:
            return []
        if self.last_pair is not None and any(str(self.actors[i].get("resolution") or "").startswith(TWO_SIDES)
                                              for i in self.token_actors.get(subject.i, [])):
            # "the two countries cut ties in 2016": the pair whose change the article is telling
            return [(subject, list(self.last_pair))]
        if token is not None and (subject.pos_ == "PRON" or self._owned_by_pronoun(subject, excluded)):
            # "they would ...", "Panama's president said his government was suspending relations"
            governing = self._governing_subject(token, subject)
            if governing is not None:
                subject = governing
        if token is not None and subject.tag_ in ("NNS", "NNPS") and subject.pos_ == "NOUN":
            listed = self._listed(subject, token)
            if listed is not None:
                return self._linear_list(listed, excluded)
        if subject.i in self.dateline_tokens:
            # "DUBAI, March 11 - Iran and Saudi Arabia agreed ...": the parser hangs the subject on the
            # dateline; the countries between the dateline and the verb are the subject
            return self._members([t.i for t in subject.sent if t.i < subject.head.i and t.i not in excluded])
        members = _conjuncts(subject)
        member_ids = {m.i for m in members}
        return self._members(sorted({t.i for member in members
                                     for t in self._named_first(self._phrase_tokens(member, member_ids - {member.i}), excluded)}))

    def _owned_by_pronoun(self, subject: Any, excluded: set[int]) -> bool:
        """"his government", "its foreign ministry": owned by the one who tells of it (a country the
        actors stage gives the bare noun by coreference is a guess; the teller is named)."""
        return subject.pos_ == "NOUN" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.children)

    def _members(self, tokens: list[int]) -> list[tuple[Any, list[str]]]:
        """Each country named in these tokens is one member, in text order, whatever the parse made
        of the list ("Sao Tome and Principe (2016), Panama (2017), ...")."""
        out: list[tuple[Any, list[str]]] = []
        seen_actors: set[int] = set()
        seen_codes: set[str] = set()
        for i in tokens:
            for index in self.token_actors.get(i, []):
                if index in seen_actors:
                    continue
                seen_actors.add(index)
                codes = [c for c in self._actor_codes(index) if c not in seen_codes]
                if codes:
                    seen_codes.update(codes)
                    out.append((self.doc[i], codes))
        return out

    def _governing_subject(self, token: Any, pronoun: Any) -> Any | None:
        current, steps = token, 0
        while current.head.i != current.i and steps < 5:
            if current.dep_ not in ("ccomp", "xcomp", "conj", "advcl"):
                return None
            current, steps = current.head, steps + 1
            subject = next((c for c in current.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None and subject.i != pronoun.i and subject.pos_ != "PRON":
                return subject if self._phrase_codes(subject, set()) or len(_conjuncts(subject)) > 1 else None
        return None

    def _listed(self, subject: Any, token: Any) -> Any | None:
        """The preposition of an "including ..." list on the subject or the trigger."""
        for head in (subject, token):
            for prep in head.children:
                words = prep.lower_ if prep.dep_ == "prep" else ""
                if not words:
                    continue
                follower = prep.doc[prep.i + 1] if prep.i + 1 < len(prep.doc) else None
                if words in self.cues.list_preps or (follower is not None and f"{words} {follower.lower_}" in self.cues.list_preps):
                    return prep
            for prep in head.children:  # "in recent years, including ...": the list hangs lower
                if prep.dep_ == "prep":
                    for pobj in prep.children:
                        for inner in pobj.children:
                            if inner.dep_ == "prep" and inner.lower_ in self.cues.list_preps:
                                return inner
        return None

    def _linear_list(self, prep: Any, excluded: set[int]) -> list[tuple[Any, list[str]]]:
        """The countries after "including", in text order, up to the next clause (the parser often
        breaks such lists apart, so they are read in order, not from the tree)."""
        return [(token, codes) for token, _, codes in self._coded_after(prep, excluded)]

    def _coded_after(self, prep: Any, excluded: set[int]) -> list[tuple[Any, int, list[str]]]:
        """The coded actors after a preposition up to the next verb of its sentence, each once, in text
        order: (first token, actor index, codes)."""
        out: list[tuple[Any, int, list[str]]] = []
        seen: set[int] = set()
        for token in prep.doc[prep.i + 1:prep.sent.end]:
            if token.pos_ in ("VERB", "AUX"):
                break
            for index in self.token_actors.get(token.i, []):
                if index in seen or token.i in excluded:
                    continue
                seen.add(index)
                codes = self._actor_codes(index)
                if codes:
                    out.append((token, index, codes))
        return out

    def _pp_codes(self, heads: list[Any], preps: set[str] | frozenset[str], excluded: set[int]) -> list[str]:
        codes: list[str] = []
        for head in heads:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            for member in _conjuncts(pobj):
                                codes += [c for c in self._phrase_codes(member, excluded) if c not in codes]
                            listed = self._listed(pobj, pobj) if pobj.pos_ == "NOUN" and pobj.tag_ == "NNS" else None
                            if listed is not None:  # "ties with former adversaries including Hungary, Poland and Mongolia"
                                codes += [c for _, cs in self._linear_list(listed, excluded) for c in cs if c not in codes]
        return codes

    def _envoy_nationality(self, envoy: Any, excluded: set[int], own: list[str]) -> list[str]:
        """"23 British diplomats", "Canada's ambassador", "the ambassador of Iran"."""
        tokens = [envoy] + [t for c in envoy.children if c.dep_ in ("amod", "compound", "poss", "nmod", "nummod")
                            for t in c.subtree]
        tokens += [p for c in envoy.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.subtree]
        codes = self._codes(tokens, excluded)
        pronoun_own = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in envoy.children)
        return [] if pronoun_own else [c for c in codes if c not in own]

    def changes(self, sent: Any) -> list[dict[str, Any]]:
        candidates = self.candidates(sent)
        if not candidates and not any(_lemma(t) in self.cues.follow_verbs for t in sent):
            return []
        excluded = self._mediators(sent) | self.dateline_tokens  # the dateline's place is where it was written
        lower = sent.text.lower()
        trigger_ids = {c.token.i for c in candidates}
        reports: list[dict[str, Any]] = []
        told: list[tuple[int, dict[str, Any]]] = []  # (trigger token, report), for "X followed"
        self.told_here = {}  # the changes of this sentence by trigger token, for "ties severed in 2016"
        for cand in candidates:
            event = cand.event
            if event is not None and event.modality not in COUNTABLE_MODALITIES | {"future"}:
                continue
            if self._blocked(cand.token):
                continue
            found = self._changes_of(cand, sent, lower, excluded, trigger_ids, candidates)
            self.told_here[cand.token.i] = found
            reports += found
            told += [(cand.token.i, r) for r in found]
        reports += self._followers(sent, told, excluded)
        if any(r["change"] in DIRECTED for r in reports):
            self.envoy_reports = [r for r in reports if r["change"] in DIRECTED]
        if reports:
            self.last_pair = (reports[-1]["a"], reports[-1]["b"])
            self.last_reports = reports
            self.last_end = sent.end
        return reports

    def _followers(self, sent: Any, reports: list[tuple[int, dict[str, Any]]], excluded: set[int]) -> list[dict[str, Any]]:
        """"Riyadh restored relations with Doha in January 2021, and Egypt followed later that month",
        "Bahrain followed suit": the change just told, by the follower, with the same partner."""
        out: list[dict[str, Any]] = []
        for token in sent:
            if _lemma(token) not in self.cues.follow_verbs or token.pos_ != "VERB" or any(
                    c.dep_ == "dobj" and c.lower_ != "suit" for c in token.children):
                continue
            # the change told before the verb, in this sentence or the one just before
            told = [r for i, r in reports if i < token.i] or (self.last_reports if self.last_end == sent.start else [])
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            followers = [c for _, codes in self._items(subject, excluded) for c in codes]
            if not told or not followers:
                continue
            last = told[-1]
            partner = last["b"] if last["by"] == last["a"] else last["a"]
            own = [(s, v) for s, v in self.times if sent.start <= s[0].i < sent.end and self._attached(s, token)]
            date = max(own, key=lambda sv: len(sv[1]))[1] if own else last["date"]
            for code in followers:
                if code in (partner, last["by"]):
                    continue
                a, b = sorted((code, partner))
                out.append(dict(last, event_id=f"{self.doc_id[:12]}:rel:{token.idx}:{code}", a=a, b=b, by=code, date=date,
                                date_defaulted=not own and last["date_defaulted"],
                                evidence={"text": sent.text, "start": sent.start_char, "end": sent.end_char}))
        return out

    def _changes_of(self, cand: Candidate, sent: Any, lower: str, excluded: set[int], trigger_ids: set[int],
                    candidates: list[Candidate]) -> list[dict[str, Any]]:
        token = cand.token
        nominal = token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound"
        subject = self._subject(token) if not nominal else None
        items = self._items(subject, excluded, token)
        if nominal:
            own = self._codes([c for c in token.children if c.dep_ in ("poss", "compound", "amod")], excluded)
            own += [c for c in self._pp_codes([token], {"by"}, excluded) if c not in own]
            governor = _governing_verb(token)
            if not own and governor is not None and _lemma(governor) in self.cues.announcing_verbs:
                # "Riyadh and Tehran announced the restoration of relations": the announcers are the parties
                items = self._items(self._subject(governor), excluded, governor)
            if own:
                items = [(token, own)]
        own_codes = list(dict.fromkeys(c for _, codes in items for c in codes))
        places = [token] + cand.objects
        partners: list[str] = []
        olds: list[str] = []
        between = self._pp_codes(places, {"between"}, excluded)
        if cand.object_kind in ("tie", "recognition", "party"):
            partners = self._pp_codes(places, self.cues.partner_preps, excluded)
            if cand.object_kind == "party":
                partners += [c for o in cand.objects for c in self._phrase_codes(o, excluded) if c not in partners]
        elif cand.object_kind == "envoy":
            if cand.change == "recall":
                partners = self._pp_codes(places, self.cues.recall_places, excluded)
                partners = partners or self._pp_codes([c for p in places for c in p.children if c.dep_ == "prep"
                                                       and c.lower_ == "out"], {"of"}, excluded)
            if not partners:
                partners = [c for o in cand.objects for c in self._envoy_nationality(o, excluded, own_codes)]
            if not partners:
                # "ordered diplomats from seven Latin American countries to leave ... withdrawing its staff
                # from Argentina, Chile, ...": the countries counted, named in a list nearby
                partners = self._counted_countries(places, sent, excluded)
            if not partners and self._definite(cand.objects):
                # "France's recall of its ambassadors to the US and Australia ... Macron ordered the
                # envoys home on Friday": the envoys told before, with their hosts
                told = [r for r in self.envoy_reports if r["change"] == cand.change] or self.envoy_reports
                told = [r for r in told if not own_codes or r["by"] in own_codes]
                partners = list(dict.fromkeys(r["b"] if r["by"] == r["a"] else r["a"] for r in told))
                if partners and not own_codes:
                    own_codes = list(dict.fromkeys(r["by"] for r in told))
                    items = [(token, own_codes)]
            if not own_codes and cand.change == "expel" and any(c.dep_ == "nsubjpass" for c in token.children):
                # "were declared persona non grata by the Netherlands", "were expelled from Poland",
                # "were ordered to leave Poland": the expelling state, in that order
                places = [token] + [c for c in token.children if c.dep_ in ("oprd", "xcomp", "advcl", "ccomp")]
                found = [c for c in self._pp_codes(places, {"by"}, excluded) if c not in partners]
                found = found or [c for c in self._pp_codes(places, {"from"}, excluded) if c not in partners]
                found = found or [c for p in places if _lemma(p) in self.cues.leave_verbs
                                  for o in p.children if o.dep_ == "dobj" for c in self._phrase_codes(o, excluded)
                                  if c not in partners]
                items = [(token, found)] if found else []
                own_codes = found
            elif not own_codes and cand.change == "expel":
                # "Bush ordered four Russian diplomats to leave the United States": the country they must
                # leave expels them, where the one who ordered it has no country of its own
                found = [c for p in list(token.children) if _lemma(p) in self.cues.leave_verbs
                         for o in p.children if o.dep_ == "dobj" for c in self._phrase_codes(o, excluded) if c not in partners]
                if found:
                    items, own_codes = [(token, found[:1])], found[:1]
        change = cand.change
        if change == "switch":
            partners = self._pp_codes(places, {"to"}, excluded)
            olds = self._pp_codes(places, {"from"}, excluded)
            if not olds:
                # "switched recognition to Beijing": from the rival government, named or not
                own = {c for _, codes in items for c in codes}
                olds = [r for p in partners for r in self.cues.rivals.get(p, ()) if r not in own and r not in partners]
            change = "establish"
        if len(own_codes) < 2 and not partners and not between and change in TIE_CHANGES and self.last_pair is not None \
                and subject is not None and subject.lower_ in self.cues.pair_pronouns:
            # "They restored relations in May 1988": the pair whose change the story is telling
            items = [(subject, list(self.last_pair))]
            own_codes = list(self.last_pair)
        if not items and cand.object_kind == "tie" and not nominal:
            # "Qatar's relations with Egypt, which were broken off in 2013, were restored in 2021": the
            # owner of the ties acted on
            owners = self._codes([t for o in cand.objects for c in o.children if c.dep_ in ("poss", "compound", "amod")
                                  for t in c.subtree], excluded)
            if owners:
                items = [(token, owners)]
                own_codes = owners
        if not items and not partners and not between and change in TIE_CHANGES and token.dep_ in ("acl", "relcl"):
            # "would re-establish relations severed in 2016": the pair of the change whose ties these are
            prior = next((self.told_here.get(c.token.i) for c in candidates if c is not cand
                          and any(o.i == token.head.i for o in c.objects) and self.told_here.get(c.token.i)), None)
            if prior:
                between = [prior[0]["a"], prior[0]["b"]]
        favoured = self._favoured(token, excluded)
        if not partners and not between and change in TIE_CHANGES and len(own_codes) == 1 and self._answers(token):
            # "..., only to return to Taiwan in 2005, at which point China severed ties", "established
            # ties with Taipei, prompting China to break off relations": with the one whose act it answers
            partners = self._chain_partner(token, own_codes, excluded)
        # fall back on the event's parties where the parse gave none
        if event_parties := self._event_parties(cand.event, excluded):
            source, target = event_parties
            if subject is not None and subject.tag_ in ("NN", "NNP") and token.dep_ in ("advcl", "relcl", "conj", "acl"):
                # "nine days after the tiny Pacific island nation cut its ties with Taiwan": the clause
                # names its own subject; the event's source borrowed from the main clause is not it
                inside = {t.i for t in subject.subtree}
                source = [c for c in source if c in self._codes([self.doc[i] for i in sorted(inside)], excluded)]
            if not items and not between:
                items = [(token, [c for c in source if c not in partners])] if source else []
            if not partners and not between and not (len(own_codes) == 2 and change in TIE_CHANGES):
                partners = [c for c in target if c not in [c for _, cs in items for c in cs]]
        recallers = list(dict.fromkeys(c for _, codes in items for c in codes))
        if not partners and not between and change in TIE_CHANGES and len(recallers) == 1 and not olds and not favoured \
                and self.last_pair is not None and recallers[0] in self.last_pair and not nominal \
                and not any(c.dep_ == "prep" and c.lower_ in self.cues.partner_preps for p in places for c in p.children):
            # "in October 1967 Indonesia suspended diplomatic relations": with the other of the story's pair
            partners = [c for c in self.last_pair if c != recallers[0]]
        if not partners and cand.change == "recall" and len(recallers) == 1:
            # "... the Israeli ambassador had left the kingdom and Bahrain had recalled its own envoy":
            # the one other country of the sentence, else of the pair the story tells of
            others = [c for c in self._codes(list(sent), excluded) if c not in recallers]
            if len(others) == 1:
                partners = others
            elif not others and self.last_pair is not None and recallers[0] in self.last_pair:
                partners = [c for c in self.last_pair if c != recallers[0]]
        if change == "recognize" and any(skip in o.doc[o.left_edge.i:o.right_edge.i + 1].text.lower()
                                         for o in cand.objects for skip in self.cues.recognize_skip):
            return []  # "recognised only one China": a position, not a change of relations
        if change == "recognize" and not self._recognizes_a_state(token):
            return []  # "recognised Moroccan sovereignty over Western Sahara": a claim, not relations
        if change in ("establish", "restore", "normalize", "recognize", "upgrade"):
            change = self._establish_or_restore(change, self._clause_text(token, candidates), candidates, cand,
                                                own_codes, excluded)
        if change == "recognize":
            return []  # recognising a state or a government is a position on it, not a change of relations
        first = change == "establish" and self._says_first(self._clause_text(token, candidates))
        embassy = any(c.dep_ in ("dobj", "nsubjpass") and _lemma(c) in self.cues.embassy_nouns for c in token.children)
        precedents, self.skip_times = self._precedents(token, sent, excluded)
        date, defaulted, background = self._date(cand, sent, trigger_ids)
        self.skip_times = set()
        pairs: list[tuple[str, str, str, str | None]] = []  # a, b, change, item date
        item_dates = self._item_dates(items, token, sent) if len(items) >= 2 else {}
        if len(between) >= 2:
            pairs.append((between[0], between[1], change, None))
        elif partners:
            for member, codes in items:
                for code in codes:
                    for partner in partners:
                        if partner != code:
                            pairs.append((code, partner, change, item_dates.get(member.i)))
        elif change in TIE_CHANGES and len(own_codes) == 2:
            pairs.append((own_codes[0], own_codes[1], change, None))  # "Iran and Saudi Arabia restored ties"
        elif cand.object_kind == "envoy" and len(own_codes) == 2 and any(
                t.lower_ in self.cues.reciprocal_words for o in cand.objects for c in o.children if c.dep_ == "poss" for t in c.subtree):
            # "Canada and India expelled each other's diplomats": one act by each side
            pairs += [(own_codes[0], own_codes[1], change, None), (own_codes[1], own_codes[0], change, None)]
        for old in olds:
            for member, codes in items:
                pairs += [(code, old, "break", item_dates.get(member.i)) for code in codes if code != old]
        for new in favoured:
            for member, codes in items:
                pairs += [(code, new, "establish", item_dates.get(member.i)) for code in codes if code != new]
        own_set = {c for _, codes in items for c in codes}
        companions = [c for c in self._codes(list(token.subtree), excluded) if c not in own_set and c not in partners] \
            if defaulted and token.dep_ == "relcl" else []
        for code, when in precedents:
            # "the third Arab country to establish ties with Israel, after Egypt in 1979 and Jordan in 1994"
            pairs += [(code, other, pair_change, when) for by, other, pair_change, _ in list(pairs)
                      if by in own_set and other != code]
        out = []
        seen = set()
        for by, other, pair_change, item_date in pairs:
            a, b = sorted((by, other))
            key = (a, b, pair_change, by if pair_change in DIRECTED else None)
            if key in seen:
                continue
            seen.add(key)
            event_id = cand.event.id if cand.event else f"{self.doc_id[:12]}:rel:{token.idx}"
            if pair_change != change or (cand.change == "switch" and pair_change == "break"):
                event_id += f":{pair_change}"
            if pair_change in DIRECTED and any(p[0] != by and {p[0], p[1]} == {by, other} for p in pairs):
                event_id += f":{by}"  # each side's act of a reciprocal expulsion is its own report
            if first and pair_change == "establish":
                self.first_ids.add(event_id)
            if embassy:
                self.embassy_ids.add(event_id)
            if companions and not item_date:
                self.companions[event_id] = companions
            out.append({
                "event_id": event_id, "a": a, "b": b, "kind": "diplomatic", "change": pair_change, "by": by,
                "date": item_date or date, "date_defaulted": defaulted and not item_date,
                "background": background and not item_date,
                "evidence": {"text": sent.text, "start": sent.start_char, "end": sent.end_char},
            })
        return out

    @staticmethod
    def _answers(token: Any) -> bool:
        """A change told as the answer to the clause it hangs on: "prompting China to break off
        relations" (a participle's object made to act), "at which point China severed ties"."""
        if token.dep_ == "xcomp" and token.head.dep_ == "advcl" and any(c.dep_ == "dobj" for c in token.head.children):
            return True
        return token.dep_ == "advcl" and any(
            c.dep_ == "prep" and any(d.dep_ == "det" and d.lower_ == "which" for p in c.children for d in p.children)
            for c in token.children)

    def _precedents(self, token: Any, sent: Any, excluded: set[int]) -> tuple[list[tuple[str, str]], set[int]]:
        """Countries that did the same before, each with its date ("..., after Egypt in 1979 and Jordan
        in 1994", "following Panama in 2017"), and the tokens of their times. Read in text order from the
        preposition to the next verb; a country without a date of its own is no precedent."""
        prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in self.cues.precedent_words), None)
        if prep is None:
            return [], set()
        end = next((t.i for t in self.doc[prep.i + 1:sent.end] if t.pos_ in ("VERB", "AUX")), sent.end)
        countries = [(t.i, self.actor_last[index], codes)  # first token, last token, codes
                     for t, index, codes in self._coded_after(prep, excluded)]
        out: list[tuple[str, str]] = []
        skip: set[int] = set()
        at = prep.i + 1  # each country follows the preposition or the date before it, joined by "," "and" "the"
        for k, (first, last, codes) in enumerate(countries):
            if any(t.lower_ not in (",", "and", "the") for t in self.doc[at:first]):
                break  # "after Chinese mediation in Beijing", "after talks in Kuwait": no list of precedents
            stop = countries[k + 1][0] if k + 1 < len(countries) else end
            when = next(((span, value) for span, value in self.times if last < span[0].i < stop), None)
            if when is None or any(t.lower_ not in ("in", "on", "(", "since") for t in self.doc[last + 1:when[0][0].i]):
                break
            skip.update(t.i for t in when[0])
            out += [(code, when[1]) for code in codes]
            at = when[0][-1].i + 1
        return out, skip

    def _chain_partner(self, token: Any, own: list[str], excluded: set[int]) -> list[str]:
        """The actor of the clause a subordinate change answers: the subject (or the coded source of
        the event) of the nearest governing clause that names a country other than the changer's."""
        current, steps = token, 0
        while current.dep_ in ("advcl", "xcomp") and current.head.i != current.i and steps < 4:
            current, steps = current.head, steps + 1
            subject = next((c for c in current.children if c.dep_ in SUBJECT_DEPS), None)
            codes = self._phrase_codes(subject, excluded) if subject is not None else []
            if not codes:
                event = next(iter(self.events_at.get(current.i, [])), None)
                codes = (self._event_parties(event, excluded) or ([], []))[0]
            codes = [c for c in codes if c not in own]
            if codes:
                return codes[:1]
        return []

    def _definite(self, envoys: list[Any]) -> bool:
        """"the envoys", "those diplomats": envoys named before."""
        return any(c.dep_ == "det" and c.lower_ in self.cues.definite_words for o in envoys for c in o.children)

    def _counted_countries(self, heads: list[Any], sent: Any, excluded: set[int]) -> list[str]:
        """The countries of "diplomats from seven countries": a list of exactly that many countries
        told in the rest of the sentence or in the two sentences after it."""
        count = None
        for head in heads:
            for prep in head.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("from", "of"):
                    continue
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and _lemma(pobj) in self.cues.group_nouns:
                        number = next((c for c in pobj.children if c.dep_ == "nummod"), None)
                        if number is not None:
                            count = int(number.text) if number.text.isdigit() else self.cues.number_words.get(number.lower_)
        if not count or count < 2:
            return []
        doc = sent.doc
        after = [s for s in doc[sent.end:].sents][:2] if sent.end < len(doc) else []
        for span in [doc[heads[0].i:sent.end]] + after:
            for token in span:
                if token.dep_ == "conj" or not any(c.dep_ == "conj" for c in token.children):
                    continue
                members = _conjuncts(token)
                codes = list(dict.fromkeys(c for m in members for c in self._phrase_codes(m, excluded, {x.i for x in members})))
                if len(codes) == count:
                    return codes
        return []

    def _favoured(self, token: Any, excluded: set[int]) -> list[str]:
        """"cut ties with Taiwan in favour of China": the new partner."""
        out: list[str] = []
        for prep in token.children:
            if prep.dep_ != "prep":
                continue
            for pobj in prep.children:
                phrase = f"{prep.lower_} {pobj.lower_} of"
                if pobj.dep_ == "pobj" and any(p.startswith(phrase) for p in self.cues.switch_to_phrases):
                    out += [c for c in self._pp_codes([pobj], {"of"}, excluded) if c not in out]
        return out

    def _event_parties(self, event: Event | None, excluded: set[int]) -> tuple[list[str], list[str]] | None:
        if event is None:
            return None

        def codes(actors: list[dict[str, Any]]) -> list[str]:
            out = []
            for actor in actors or []:
                code = actor.get("code")
                span = self.doc.char_span(actor.get("start", 0), actor.get("end", 0), alignment_mode="expand") \
                    if actor.get("start") is not None else None
                if span is not None and any(t.i in excluded for t in span):
                    continue
                if span is not None and any(str(self.actors[i].get("resolution") or "").startswith("context:")
                                            and self.actors[i]["start"] == actor.get("start")
                                            for i in self.token_actors.get(span[0].i, [])):
                    continue  # a party guessed from context ("ambassadors" -> the country acting nearby)
                if code and len(code) == 3 and code not in NON_COUNTRIES and code not in out:
                    out.append(code)
            return out
        return codes(event.source), codes(event.target)

    def _recognizes_a_state(self, token: Any) -> bool:
        """The thing recognised is a country or its government, statehood or independence."""
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        objects += [p for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "as")
                    for p in c.children if p.dep_ == "pobj"]
        if token.dep_ in ("relcl", "acl"):
            objects.append(token.head)
        for obj in objects:
            for member in _conjuncts(obj):
                if _lemma(member) in self.cues.recognize_objects:
                    return True
                if any(self._actor_codes(i) and self.actors[i]["start"] <= member.idx < self.actors[i]["end"]
                       and member.pos_ == "PROPN" for i in self.token_actors.get(member.i, [])):
                    return True
        return False

    def _clause_text(self, token: Any, candidates: list[Candidate]) -> str:
        """The words of the trigger's own clause (not of a clause coordinated with it), with the
        adverbials of the verbs that govern it ("agreed, for the first time, to establish")."""
        others = {c.token.i for c in candidates if c.token.i != token.i}
        skip: set[int] = set()
        for child in token.children:
            if child.dep_ == "conj" or child.i in others:
                skip.update(t.i for t in child.subtree)
        words = [t for t in token.subtree if t.i not in skip]
        current = token
        if (governor := _governing_verb(token)) is not None:
            current = governor  # "agreed to restore normalization": the governing verb says how
            words.append(current)
        while current.dep_ in ("xcomp", "ccomp") and current.head.i != current.i:
            current = current.head
            words += [t for c in current.children if c.dep_ in ("prep", "advmod", "npadvmod", "appos") for t in c.subtree]
        return " ".join(t.lower_ for t in sorted(words, key=lambda t: t.i))

    def _establish_or_restore(self, change: str, lower: str, candidates: list[Candidate], cand: Candidate,
                              own: list[str], excluded: set[int]) -> str:
        if change == "recognize":
            # "recognised Beijing and ended its relations with Taiwan": a switch, so ties are established
            for other in candidates:
                if other is not cand and other.change == "break":
                    theirs = [c for _, codes in self._items(self._subject(other.token), excluded, other.token) for c in codes]
                    if set(theirs) & set(own):
                        return "establish"
            return change
        if self._says_first(lower):
            return "establish"
        if change == "normalize" and any(re.search(rf"\b{re.escape(cue)}\b", lower) for cue in self.cues.returning):
            return "restore"
        if change == "establish" and any(re.search(rf"\b{re.escape(cue)}\b", lower) for cue in self.cues.returning):
            return "restore"
        return change

    def _says_first(self, lower: str) -> bool:
        """"for the first time", "never had" (not "for the first time since 1961")."""
        for cue in self.cues.first_time:
            at = lower.find(cue)
            while at >= 0:
                after = lower[at + len(cue):at + len(cue) + 7]
                if not after.startswith((" since", " in ")):
                    return True
                at = lower.find(cue, at + 1)
        return False

    # --- dates ----------------------------------------------------------------------------
    def _is_place(self, token: Any) -> bool:
        return any(self.actors[i].get("kind") in ("country", "location") for i in self.token_actors.get(token.i, []))

    def _elapsed(self, token: Any, in_sentence: list[tuple[Any, str]]) -> str | None:
        """"seven years after the two countries cut ties": the year, counted back from the date of
        the clause it is told from (or the publication)."""
        if token.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "after" for c in token.children):
            return None
        for child in token.children:
            unit = self.cues.elapsed_units.get(_lemma(child))
            if child.dep_ != "npadvmod" or unit is None:
                continue
            number = next((c for c in child.children if c.dep_ in ("nummod", "det")), None)
            if number is None:
                continue
            count = int(number.text) if number.text.isdigit() else self.cues.number_words.get(number.lower_)
            if not count:
                return None
            base = next((v for s, v in in_sentence if self._attached(s, token.head)), None) or self.published or ""
            if not re.match(r"^\d{4}", base):
                return None
            return f"{int(base[:4]) - count * unit:04d}"
        return None

    @staticmethod
    def _inherits_time(clause: Any) -> bool:
        """A clause told at the time of the verb governing it: a complement ("agreed to", "said it
        would"), a participle ("..., severing ties"), a coordinated verb sharing the subject; not a
        subordinate clause with its own time ("seven years after the two countries cut ties")."""
        if clause.dep_ in ("xcomp", "ccomp"):
            return True
        if clause.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            return True  # "Argentina's decision on Monday to expel three diplomats"
        if clause.dep_ == "advcl":
            # "as the two countries restored relations" happens then; "after they cut ties" does not
            return not any((c.dep_ == "mark" and c.lower_ not in ("as", "while", "when"))
                           or (c.dep_ == "advmod" and c.lower_ in ("after", "before", "since")) for c in clause.children)
        if clause.dep_ == "conj":
            return not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
        return False

    def _attached(self, span: Any, head: Any) -> bool:
        """The time hangs on ``head`` through nouns and prepositions only ("on Monday", "in a
        statement on Dec. 9"), not through another clause."""
        current = span.root
        while current.head.i != current.i:
            current = current.head
            if current.i == head.i:
                return True
            if current.pos_ == "PROPN" and self._is_place(current) and current.dep_ not in ("poss",):
                return False  # "after Egypt in 1979": that country's date
            if current.pos_ in ("VERB", "AUX") and _lemma(current) not in self.cues.png_words:
                return False  # (the parser may read "persona" in "persona non grata" as a verb)
        return False

    def _reaches(self, span: Any, head: Any, trigger_ids: set[int]) -> bool:
        """The time sits lower in the trigger's phrase, through participles ("in a deal brokered by
        China on March 10") but not through a clause with its own subject or another trigger."""
        current = span.root
        while current.head.i != current.i:
            if current.dep_ == "relcl" or (current.pos_ in ("VERB", "AUX") and any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in current.children)):
                return False
            current = current.head
            if current.i == head.i:
                return True
            if current.i in trigger_ids or (current.pos_ == "PROPN" and self._is_place(current)):
                return False
        return False

    def _date(self, cand: Candidate, sent: Any, trigger_ids: set[int]) -> tuple[str | None, bool, bool]:
        token = cand.token
        in_sentence = [(span, value) for span, value in self.times if sent.start <= span[0].i < sent.end
                       and span[0].i not in self.dateline_tokens  # the dateline says when it was written
                       and span[0].i not in self.skip_times]  # the years of "after Egypt in 1979" are Egypt's
        subject = self._subject(token)
        if subject is not None and subject.i not in self.dateline_tokens and len(_conjuncts(subject)) >= 2:
            # the years of a list belong to its members
            members = _conjuncts(subject)
            in_list = [(s, v) for s, v in in_sentence if members[0].i <= s[0].i < token.i]
            if len(in_list) >= 2:
                in_sentence = [sv for sv in in_sentence if sv not in in_list]
        heads = [token]
        current = token
        if token.dep_ == "compound" and token.pos_ == "NOUN":  # a verb read as a noun: its clause's verb
            while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
                current = current.head
            heads.append(current)
        elif (governor := _governing_verb(token)) is not None:
            current = governor  # "agreed on Tuesday to resume normalization": the governing verb's time
            heads.append(current)
        while current.head.i != current.i and len(heads) < 5:
            if current.dep_ == "pcomp" and current.head.lower_ in ("in", "by") and current.head.head.i != current.head.i:
                current = current.head.head  # "joined them on Tuesday in cutting ties"
            elif self._inherits_time(current):
                current = current.head
            else:
                break
            heads.append(current)  # "said on Saturday it would expel", "agreed on Thursday to normalise"
        heads += [t for t in [token.head] + list(token.children) if t.i in trigger_ids and t.i != token.i
                  and (t.dep_ == "conj" or token.dep_ == "conj")]  # "... and ended its relations with Taipei on Tuesday"
        found: list[tuple[Any, str]] = []
        for head in heads:
            found = [(s, v) for s, v in in_sentence if self._attached(s, head)]
            if found:
                break
        if not found:
            found = [(s, v) for s, v in in_sentence if self._reaches(s, token, trigger_ids)]
        if not found and (elapsed := self._elapsed(token, in_sentence)):
            return elapsed, False, True
        if not found and token.dep_ in ("relcl", "advcl", "acl"):
            # "in 2014, when Saudi Arabia, the UAE and Bahrain withdrew their ambassadors": the clause
            # describes the time it hangs on
            found = [(s, v) for s, v in in_sentence if s.start <= token.head.i < s.end]
        if found:
            best = max(found, key=lambda sv: (len(sv[1]), -sv[0].start))
            return best[1], False, False
        event_date = (cand.event.date if cand.event else None) or {}
        inside = event_date.get("start") is not None and sent.start_char <= event_date["start"] < sent.end_char
        if event_date.get("value") and not event_date.get("defaulted") and not inside:
            return calendar_date(event_date.get("value")), False, bool(event_date.get("background"))
        # told with no time: the time of its paragraph (then it is no vague background to merge away),
        # else the day of the story
        if in_sentence:
            # the sentence names a time of its own that the change does not hang on ("Under the deal
            # announced on March 10, the two sides gave themselves two months to reopen embassies"):
            # neither the paragraph's time nor the story's day is surely the change's; the publication month
            if event_date.get("value") and not inside:
                return calendar_date(event_date.get("value")), True, bool(event_date.get("background"))
            return (self.published or "")[:7] or None, True, False
        told = self._paragraph_time(sent)
        if told:
            return told, True, False
        return self.story_date, True, bool(event_date.get("background"))

    @staticmethod
    def _between_items(span: Any, subject: Any, token: Any) -> bool:
        members = _conjuncts(subject)
        return members[0].i <= span[0].i < token.i and len(members) >= 2

    def _item_dates(self, items: list[tuple[Any, list[str]]], token: Any, sent: Any) -> dict[int, str]:
        """"Botswana (2014), Jordan (2017) and Malaysia (2021)", "Senegal in 2016, Chad in 2017",
        "including Panama in 2017 and El Salvador in 2018": a date standing right after a listed
        country, before the next one, is that country's date."""
        members = sorted((m for m, _ in items), key=lambda m: m.i)
        ends = [m.i for m in members[1:]] + [token.i if token.i > members[-1].i else sent.end]
        out: dict[int, str] = {}
        lasts = [max((self.actor_last[i] for i in self.token_actors.get(m.i, [])), default=m.i) for m in members]
        for member, last, end in zip(members, lasts, ends):
            for span, value in self.times:
                if last < span[0].i < end and sent.start <= span[0].i < sent.end:
                    out[member.i] = value
                    break
        for k in range(len(members) - 2, -1, -1):
            # "the Dominican Republic and El Salvador in 2018": joined by "and", they share the year
            if members[k].i not in out and members[k + 1].i in out \
                    and self.doc[lasts[k] + 1:members[k + 1].left_edge.i].text.strip() in ("and", "and the"):
                out[members[k].i] = out[members[k + 1].i]
        return out if len(out) >= 2 or (len(out) == 1 and len(members) == 1) else {}


def reports_from_parse(doc: Any, analysis: Any) -> list[dict[str, Any]]:
    """Diplomatic relation reports read from the parse (see the module notes). Only sentences
    holding a cue lemma or a relation event are read; one pass over the tokens finds them."""
    cues = load_cues()
    lemmas = cues.lemmas()
    event_starts = sorted((e.trigger or {}).get("start", -1) for e in analysis.events if e.relation)
    wanted: list[Any] = []
    for sent in doc.sents:
        if any(sent.start_char <= start < sent.end_char for start in event_starts) or any(
                t.lemma_.lower() in lemmas for t in sent):
            wanted.append(sent)
    if not wanted:
        return []
    reader = SentenceReader(doc, analysis.actors, analysis.times, analysis.events, analysis.document.published,
                            analysis.document.id)
    reports: list[dict[str, Any]] = []
    for sent in wanted:
        reports += reader.changes(sent)
    published = str(reader.published or "")
    reports = _companion_dates(reports, reader.companions)
    return _settle_history(_settle_normalizations(_former_states(reports, cues, published)), reader.first_ids,
                           reader.embassy_ids)


AGAINST = ("break", "suspend", "downgrade", "recall", "expel")


def _companion_dates(reports: list[dict[str, Any]], companions: dict[str, list[str]]) -> list[dict[str, Any]]:
    """"Bahrain, which cut ties with Iran alongside Riyadh", "which downgraded its relations with Iran at
    the time of the Saudi rupture": undated, told with another country; dated by that country's change
    of the same kind with the same partner."""
    for report in reports:
        with_codes = companions.get(report["event_id"])
        if not with_codes or not report["date_defaulted"]:
            continue
        partner = report["b"] if report["by"] == report["a"] else report["a"]
        family = report["change"] in AGAINST
        dated = [r for r in reports if r["by"] in with_codes and partner in (r["a"], r["b"]) and not r["date_defaulted"]
                 and (r["change"] in AGAINST) == family and r["date"]]
        if dated:
            report.update(date=min(r["date"] for r in dated), date_defaulted=False, background=True)
    return reports


def _former_states(reports: list[dict[str, Any]], cues: RelationCues, published: str) -> list[dict[str, Any]]:
    """A party's code at the time of the change ("Moscow" in 1960 is the Soviet Union)."""
    def then(code: str, when: str) -> str:
        for until, was in cues.former_states.get(code, ()):
            if when and when < until:
                return was
        return code

    out = []
    for report in reports:
        when = str(report["date"] or published)
        a, b, by = then(report["a"], when), then(report["b"], when), then(report["by"], when)
        if a == b:
            continue
        out.append(dict(report, a=min(a, b), b=max(a, b), by=by) if (a, b, by) != (report["a"], report["b"], report["by"])
                   else report)
    return out


def _settle_normalizations(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"normalised relations": a restoration where the document reports a break of the same pair
    before it, otherwise the first ties (Israel and the UAE in 2020)."""
    broken = {}
    for report in reports:
        if report["change"] in ("break", "suspend"):
            key = (report["a"], report["b"])
            broken[key] = min(broken.get(key, "9999"), report["date"] or "9999")
    for report in reports:
        if report["change"] == "normalize":
            earlier = broken.get((report["a"], report["b"]))
            report["change"] = "restore" if earlier is not None and earlier <= (report["date"] or "9999") else "establish"
    return reports


def _settle_history(reports: list[dict[str, Any]], first_ids: set[str], embassy_ids: set[str]) -> list[dict[str, Any]]:
    """Establish or restore from the pair's history told anywhere in the document:
    * ties "established" after a break the document tells of in an earlier year are restored
      ("South Korea and Cuba established relations" after "Castro broke off relations in 1959");
    * a restoration of ties the document calls the first ever, at the same time, is their establishment;
    * an embassy reopened (closed) where the document tells the restoration or establishment (the
      break or suspension) of the pair's ties from another trigger is no second change."""
    def year(report: dict[str, Any]) -> str:
        return str(report["date"] or "")[:4]

    pair = lambda r: (r["a"], r["b"])  # noqa: E731
    broken: dict[tuple[str, str], str] = {}
    for report in reports:
        if report["change"] in ("break", "suspend") and year(report):
            broken[pair(report)] = min(broken.get(pair(report), "9999"), year(report))
    firsts = [r for r in reports if r["event_id"] in first_ids]
    for report in reports:
        if report["change"] == "establish" and report["event_id"] not in first_ids \
                and broken.get(pair(report), "9999") < (year(report) or "0000"):
            report["change"] = "restore"
        elif report["change"] == "restore" and any(pair(f) == pair(report) and compatible(f["date"], report["date"])
                                                   for f in firsts):
            report["change"] = "establish"
    told = {pair(r) for r in reports if r["change"] in ("restore", "establish") and r["event_id"] not in embassy_ids}
    ended = {pair(r) for r in reports if r["change"] in ("break", "suspend") and r["event_id"] not in embassy_ids}
    return [r for r in reports if not (r["event_id"] in embassy_ids and (
        (r["change"] in ("restore", "establish") and pair(r) in told) or (r["change"] in ("break", "suspend") and pair(r) in ended)))]
