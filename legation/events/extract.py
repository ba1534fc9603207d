"""Events from a parsed document: triggers, arguments, date, modality, attribution.

Triggers are found by lemma with a spaCy Matcher; each candidate is checked against
its lexicon entries (particle, required object, preposition) and the most specific
entry wins. Arguments come from the dependency parse (subject or passive agent as
source; object, dative or prepositional object as target), mapped onto the actors
the actor stage resolved. Dates come from the time expressions attached to the
trigger's own clause, then its governing clause, else the publication month.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Iterable

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from legation.actors.gazetteer import gazetteer
from legation.actors.resolve import LOCATIVE_PREPS
from legation.events.lexicon import EventLexicon, Trigger, event_lexicon
from legation.knowledge import load_yaml
from legation.records import Actor, TimeValue

SUBJECT_DEPS = ("nsubj", "csubj")
RECIPROCAL = re.compile(r"\b(?:each other|one another)\b", re.I)
_WORDS = (load_yaml("events/modality.yaml") or {}).get("cue_words", {})
SPEECH_VERBS = frozenset(_WORDS.get("speech_verbs", ()))  # verbs that frame a report
INTENT_HEADS = frozenset(_WORDS.get("intent_heads", ()))  # "is willing to", "vowed to"
LIGHT_VERBS = frozenset(_WORDS.get("light_verbs", ()))  # "held joint exercises": the noun names the event
STATIVE_VERBS = frozenset(_WORDS.get("stative_verbs", ()))  # "has", "remains", "lies": states, not acts
HABITUAL_ADVERBS = frozenset(_WORDS.get("habitual_adverbs", ()))  # "usually meets": a practice, not an event
DOCUMENT_NOUNS = frozenset(_WORDS.get("document_nouns", ()))  # "the Convention bans": a text, not an actor
EVENT_HEADS = frozenset(_WORDS.get("event_heads", ()))  # "mediation effort": the modifier names the event
GROUP_HEADS = frozenset(_WORDS.get("group_heads", ()))  # "a group of Moroccan diplomats"
HEDGE_VERBS = frozenset(_WORDS.get("hedge_verbs", ()))  # "are believed to"
FUTURE_VERBS = frozenset(_WORDS.get("future_verbs", ()))  # "plans to"
REFUSAL_VERBS = frozenset(_WORDS.get("refusal_verbs", ()))  # "refused to": REJECT, not negation
MODALS_HYPOTHETICAL = frozenset(_WORDS.get("modals_hypothetical", ()))
MODALS_FUTURE = frozenset(_WORDS.get("modals_future", ()))
HEDGE_ADVERBS = frozenset(_WORDS.get("hedge_adverbs", ()))
HYPOTHETICAL_HEAD_NOUNS = frozenset(_WORDS.get("hypothetical_head_nouns", ()))  # "the potential for X to sell"
HYPOTHETICAL_NOUN_MODIFIERS = frozenset(_WORDS.get("hypothetical_noun_modifiers", ()))
FUTURE_NOUN_MODIFIERS = frozenset(_WORDS.get("future_noun_modifiers", ()))
CLASSIFIER_THRESHOLD = 0.6  # posterior below which the learned fallback codes nothing
LEAD_SENTENCES = 3  # headline, dateline or lead, first sentence
DOMESTIC_ROOTS = {"08", "09", "10", "11", "12", "13", "14", "15", "17", "18", "19", "20"}
SELF_MOVED_ROOTS = {"15"}  # military posture: a force deployed or put on alert acts itself
FROM_SOURCE_ROOTS = {"01", "02", "03", "04", "05", "06", "07", "10", "11", "12", "13"}  # "a request from Somalia"
PROTEST_ROOT = "14"
PROTEST_HEADS = {"defiance", "protest", "opposition", "anger", "disapproval"}  # "in defiance of X"
THREAT_ROOTS = {"13"}  # a threat's complement names the side threatened, never the source's own
HOSTILE_ROOTS = {"16", "17", "18", "19", "20"}  # an intent to do these is a threat ("vowed to carry out attacks")
CROWD_SECTORS = {"ACT"}  # protesters, demonstrators, rioters
CROWD_ACT_ROOTS = {"17", "18", "19"}  # coercion and force by a crowd: "occupied the square", "stormed parliament"
CROWD_PROTEST_CODE = "145"  # protest violently, riot
PEOPLE_CLASS = "@people"  # in a trigger's object list: any person or group of people among the actors
ACTOR_CLASS = "@actor"  # in a trigger's object list: any coded party (a state, a body, people)
PEOPLE_SECTORS = {"CVL", "ACT", "REF", "MIL", "COP", "JRN", "LAB", "EDU", "MED", "REL", "REB", "OPP", "CRM", "SPY", "UAF"}
ADVERB_PARTICLES = {"out", "away", "back", "off", "up", "down"}  # "pulled its troops out of": parsed as prep
DEMAND_ROOTS = {"02", "10", "13"}  # appeals, demands, threats: their content has not happened
REQUEST_CODE = "020"  # appeal or request, not specified below
FORCE_SECTORS = {"MIL", "COP"}  # troops and police: moved by the source, not its target
TARGET_PREPS = ("with", "to", "against", "on", "toward", "towards", "at", "into", "upon", "from", "over")
CASUALTY_RE = re.compile(
    r"\b(?P<verb>kill(?:ing|ed|s)?|wound(?:ing|ed|s)?|injur(?:ing|ed|es|e))\s+(?:at\s+least\s+|nearly\s+|about\s+|some\s+|more\s+than\s+|over\s+|around\s+|up\s+to\s+)?"
    r"(?P<num>\d[\d,]*|(?:[a-z]+-)?[a-z]+)\b", re.I)
CASUALTY_PASSIVE_RE = re.compile(
    r"\b(?P<num>\d[\d,]*|[a-z]+)\s+(?:people|persons|civilians|soldiers|others|troops|police(?:men)?|officers|children|protesters)?\s*(?:were|was|have\s+been|had\s+been)\s+(?P<verb>killed|wounded|injured)\b", re.I)


@dataclass
class _Candidate:
    token: Token
    trigger: Trigger
    object_token: Token | None
    probability: float = 1.0


class EventExtractor:
    """Built once per spaCy pipeline."""

    def __init__(self, nlp: Any, lexicon: EventLexicon | None = None):
        self.lex = lexicon or event_lexicon()
        self.matcher = Matcher(nlp.vocab)
        verbs, nouns = self.lex.lemmas("VERB"), self.lex.lemmas("NOUN")
        if verbs:
            self.matcher.add("VERB", [[{"LEMMA": {"IN": verbs}, "POS": {"IN": ["VERB", "AUX"]}}]])
        if nouns:
            self.matcher.add("NOUN", [[{"LEMMA": {"IN": nouns}, "POS": "NOUN"}], [{"LOWER": {"IN": nouns}, "POS": "NOUN"}]])
        self.obligation_matcher = Matcher(nlp.vocab)  # "must"/"should" auxiliaries: demands in reported speech
        self.obligation_matcher.add("OBLIGATION", [[{"LOWER": {"IN": ["must", "should"]}, "DEP": "aux"}]])
        self.hedge_cues = self.lex.cues("hedge") | HEDGE_ADVERBS
        # per-document state, set at the start of ``extract``
        self._actors: list[Actor] = []
        self._switched_from: dict[int, list[int]] = {}
        self._people_tokens: set[int] = set()
        self._party_tokens: set[int] = set()
        self._trigger_token_set: set[int] = set()
        self._sent_starts: list[int] = []
        self._sent_ends: list[int] = []
        from legation.timex.lexicon import time_lexicon

        self._numbers = time_lexicon()

    # ------------------------------------------------------------------------------
    def extract(self, doc: Doc, actors: list[Actor], times: Iterable[TimeValue] = (), quotes: Iterable[Any] = (),
                published: str | None = None, doc_id: str = "") -> list[dict[str, Any]]:
        self._actors = actors
        self._switched_from: dict[int, list[int]] = {}
        self._sent_starts = [sent.start for sent in doc.sents]
        self._sent_ends = self._sent_starts[1:] + [len(doc)]
        token_actor = self._index_actors(doc, actors)
        self._people_tokens = {t for t, i in token_actor.items() if _is_people(actors[i])}
        self._party_tokens = {t for t, i in token_actor.items() if actors[i].code and actors[i].kind != "location"}
        time_heads = self._index_times(doc, times)
        quote_spans = [(_get(q, "start"), _get(q, "end"), _get(q, "speaker")) for q in quotes]
        candidates = self._candidates(doc)
        candidates += self._obligations(doc, {c.token.i for c in candidates}, token_actor)
        learned = self._classified(doc, candidates, token_actor)
        candidates = sorted(candidates + list(learned.values()), key=lambda c: c.token.i)
        trigger_tokens = {c.token.i for c in candidates}
        candidate_at = {c.token.i: c for c in candidates}
        self._trigger_token_set = set(candidate_at)
        events: list[dict[str, Any]] = []
        last_relation: dict[str, Any] | None = None
        for cand in candidates:
            token, trigger = cand.token, cand.trigger
            sent = self._sentence(doc, token.i)
            if not any(t.pos_ in ("VERB", "AUX") for t in sent):
                continue  # a heading ("Assassination attempt") reports no event
            if self._under_refusal(token) and trigger.cameo[:2] != "12" and token.head.i in trigger_tokens:
                continue  # "refused to restore ties": the refusal verb is coded (REJECT), not a negated restore
            if self._generic(token):
                continue  # "the Convention bans chemical weapons", "the board usually meets in Vienna"
            source, target = self._arguments(doc, cand, token_actor)
            relation = trigger.relation or (self.lex.relation_by_lemma.get(trigger.lemma) if cand.object_token is not None
                                            and cand.object_token.lemma_.lower() in self.lex.relation_objects | {"it", "they", "them"} else None)
            if relation and last_relation is not None and sent.start - last_relation["sent"] <= 400:
                # "renewing ties that were cut five years ago": the partner carries over
                if not target:
                    target = [a for a in last_relation["target"] if a not in source] or list(last_relation["target"])
                if not source:
                    source = list(last_relation["source"])
            reciprocal = trigger.mutual or bool(RECIPROCAL.search(sent.text))
            source_codes = {actors[i].code for i in source}
            if reciprocal and len(source) >= 2 and all(actors[i].code in source_codes for i in target):
                # "A and B named ambassadors to each other's capitals", "Egypt and Greece held joint
                # air force exercises" (their own forces are not the other party)
                target = list(reversed(source))
            if not target and trigger.cameo[:2] in ("10", "12", "13"):
                target = self._condition_target(token, token_actor, source)
            target_defaulted = False
            if source and not any(actors[i].code for i in target) and trigger.cameo[:2] == PROTEST_ROOT:
                target = self._protest_target(token, source, token_actor) or target
            if source and not target and trigger.cameo[:2] in SELF_MOVED_ROOTS and token.pos_ in ("VERB", "AUX"):
                # "moved rocket launchers closer to Israel's border": where the force is sent
                target = self._destination(token, {actors[i].code for i in source} - {None}, token_actor)
            if source and not any(actors[i].code for i in target):
                # nothing coded: a place the clause names, or home; an uncoded party named stays first
                # ("inspectors to Esfahan Uranium Conversion Facilities in central Iran")
                default = [i for i in self._default_target(token, trigger.cameo, source, token_actor, actors) if i not in target]
                target_defaulted = bool(default)
                target = target + default
            cameo = trigger.cameo
            date = self._date(doc, token, time_heads, trigger_tokens, published)
            modality = self._modality(token)
            if trigger.negated_only:
                denied = modality == "negated" or (cand.object_token is not None and any(
                    c.lower_ == "no" for c in cand.object_token.children))
                if not denied:
                    continue
                modality = "asserted"  # "have had no relations since 1980": the break is asserted
            if trigger.relation and self._under_refusal(token) and trigger.cameo[:2] <= "08":
                # "declined to recognize Somaliland": a rejection, and no change in relations
                cameo = (self.lex.modality.get("refusal_codes") or {}).get(trigger.cameo[:2], "120")
                relation = None
            elif not trigger.relation:
                cameo, modality, source, target = self._verbal_recoding(token, cameo, modality, source, target, token_actor)
            cameo = self._intent_recoding(token, cameo, candidate_at)
            if cameo[:2] in CROWD_ACT_ROOTS and source and all(actors[i].sector in CROWD_SECTORS for i in source):
                cameo = CROWD_PROTEST_CODE  # "protesters stormed the government headquarters": a violent protest
            if modality == "asserted" and self._demanded(token, candidate_at):
                modality = "hypothetical"  # "urged Ukraine to release the prisoners": asked for, not done
            if modality in ("asserted", "future") and sent.text.rstrip().endswith("?"):
                modality = "hypothetical"  # "Will the truce survive Ramadan?"
            code = self.lex.code(cameo)
            if code is None:
                continue
            attributed = next((speaker for start, end, speaker in quote_spans
                               if start is not None and start <= token.idx < end), None)
            evidence_start = sent.start_char
            evidence_text = sent.text.rstrip()  # doc.text would rebuild the whole document per event
            killed, injured = self._casualties(sent) if code.type == "ASSAULT" else (None, None)
            location = self._location(token, token_actor, actors)
            event = {
                "id": _event_id(doc_id, token.idx, cameo),
                "type": (trigger.type if cameo == trigger.cameo else None) or code.type,
                "mode": code.mode,
                "context": list(code.context),
                "cameo": cameo,
                "cameo_root": cameo[:2],
                "quad_class": code.quad_class,
                "goldstein": code.goldstein,
                "source": [_actor_ref(actors[i]) for i in source],
                "target": [_actor_ref(actors[i]) for i in target],
                "target_defaulted": target_defaulted,  # no target in the text: a place named, or the source's own country
                "switched_from": [_actor_ref(actors[i]) for i in self._switched_from.get(token.i, [])],
                "date": date,
                "location": location,
                "killed": killed,
                "injured": injured,
                "modality": modality,
                "attributed_to": _speaker_ref(attributed),
                "trigger": {"text": token.text, "start": token.idx, "end": token.idx + len(token.text), "lemma": token.lemma_},
                "evidence": {"text": evidence_text, "start": evidence_start, "end": evidence_start + len(evidence_text)},
                "relation": relation,
                "mutual": trigger.mutual,
                "confidence": round((0.4 + 0.25 * bool(source) + 0.2 * bool(target) + 0.15 * (not trigger.weak))
                                    * (learned[token.i].probability if token.i in learned else 1.0), 2),
                "method": "classifier" if token.i in learned else "lexicon",
                "salience": round(1.0 / (1 + _depth(token)), 3),
                "_weak": trigger.weak,
                "_token": token.i,
                "_complement_of": token.head.i if token.dep_ in ("xcomp", "ccomp") else None,
            }
            events.append(event)
            if relation:
                last_relation = {"sent": sent.start, "source": source, "target": target}
        return self._drop_repeats(self._drop_weak(events))

    # ------------------------------------------------------------------------------
    def _candidates(self, doc: Doc) -> list[_Candidate]:
        found: dict[int, _Candidate] = {}
        for match_id, start, _ in self.matcher(doc):
            token = doc[start]
            if token.dep_ == "amod" and token.tag_ in ("VBN", "VBG"):
                continue  # "detained Americans", "failed attempt"
            if token.dep_ == "compound" and token.pos_ == "NOUN" and token.head.lemma_.lower() not in EVENT_HEADS:
                continue  # "riot police", "aid workers": a kind of thing; but "a mediation effort" is the event
            pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN"
            lemma = token.lemma_.lower()
            entries = self.lex.entries(lemma, pos) or self.lex.entries(token.lower_, pos)
            best: tuple[int, _Candidate] | None = None
            for entry in entries:
                object_token = self._satisfies(token, entry)
                if object_token is False:
                    continue
                score = entry.specificity * 2 + (not entry.weak)
                if best is None or score > best[0]:
                    best = (score, _Candidate(token, entry, object_token or None))
            if best is not None:
                cand = best[1]
                if cand.trigger.weak and pos == "VERB" and self._asks_to(token):
                    # "Iraq asked Turkey to release more water": asking someone to act is a request
                    cand = _Candidate(token, dataclasses.replace(cand.trigger, weak=False, cameo=REQUEST_CODE), None)
                found[token.i] = cand
        # a noun that is the required object of a verb trigger belongs to that verb ("held talks"),
        # and a modifier of a multiword trigger to that trigger ("assassination" in "assassination attempt");
        # a multiword noun names the event better than its light verb ("held joint exercises")
        for i, cand in list(found.items()):
            noun = found.get(cand.object_token.i) if cand.object_token is not None else None
            if noun is not None and noun.trigger.before and cand.token.lemma_.lower() in LIGHT_VERBS:
                found[i] = _Candidate(cand.token, dataclasses.replace(noun.trigger, pos="VERB", before=(), objects=frozenset(),
                                                                      prep=()), cand.object_token)
        objects = {c.object_token.i for c in found.values() if c.object_token is not None}
        modifiers = {t.i for c in found.values() if c.trigger.before for t in c.token.lefts
                     if t.lemma_.lower() in c.trigger.before or t.lower_ in c.trigger.before}
        return [c for i, c in sorted(found.items()) if not (c.trigger.pos == "NOUN" and (i in objects or i in modifiers))]

    def _obligations(self, doc: Doc, covered: set[int], token_actor: dict[int, int]) -> list[_Candidate]:
        """"Russia said Sudan must return the helicopter": what one actor says another must or
        should do is a demand even when the act itself is in no lexicon entry. The candidate
        carries the generic demand code; ``_verbal_recoding`` makes the speaker its source."""
        code = (self.lex.modality.get("demand_codes") or {}).get("default", "100")
        out = []
        for _, start, _ in self.obligation_matcher(doc):
            token = doc[start].head
            if token.dep_ != "ccomp" or token.i in covered or token.pos_ not in ("VERB", "AUX"):
                continue
            if token.head.lemma_.lower() not in SPEECH_VERBS:
                continue
            covered.add(token.i)
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None or not any(self._actors[i].code for i in self._actors_at(subject, token_actor)):
                continue
            trigger = Trigger(lemma=token.lemma_.lower(), pos="VERB", cameo=code)
            out.append(_Candidate(token, trigger, None))
        return out

    @staticmethod
    def _asks_to(token: Token) -> bool:
        """"asked Turkey to release", "was asked by Washington to hand over": an addressee and
        an infinitive complement."""
        addressee = any(c.dep_ in ("dobj", "nsubjpass", "dative") for c in token.children)
        infinitive = any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                         for c in token.children)
        return addressee and infinitive

    def _classified(self, doc: Doc, candidates: list[_Candidate], token_actor: dict[int, int]) -> dict[int, _Candidate]:
        """Sentences no trigger covers, whose main verb has a named actor as subject: typed by
        the learned fallback (``events.classify``) when it is confident."""
        from legation.events.classify import type_classifier

        classifier = type_classifier()
        if classifier is None:
            return {}
        covered = {self._sentence_start(c.token.i) for c in candidates}
        out: dict[int, _Candidate] = {}
        for k, start in enumerate(self._sent_starts):
            if start in covered:
                continue
            sent = doc[start:self._sent_ends[k]]
            root = sent.root
            if root.pos_ not in ("VERB", "AUX") or root.lemma_.lower() in SPEECH_VERBS | STATIVE_VERBS:
                continue  # "has 15 members", "is home to", "makes up": descriptions, not acts
            if root.tag_ in ("VBZ", "VBP") and not any(c.dep_ == "aux" for c in root.children):
                continue  # the simple present describes ("the council meets twice a year"); news reports acts in the past
            subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            actors = [i for i in self._actors_at(subject, token_actor) if self._actors[i].code
                      and self._actors[i].kind in ("country", "organisation", "person")] if subject is not None else []
            if not actors:
                continue
            label, probability = classifier.predict(sent.text)
            code = self.lex.generic_code(label)
            if probability < CLASSIFIER_THRESHOLD or code is None:
                continue
            trigger = Trigger(lemma=root.lemma_.lower(), pos="VERB", cameo=code, type=label)
            out[root.i] = _Candidate(root, trigger, None, probability)
        return out

    def _satisfies(self, token: Token, entry: Trigger) -> Token | None | bool:
        """False if the entry's conditions fail; else the required object token (or None)."""
        if entry.before:
            lefts = token.doc[token.left_edge.i:token.i]  # "joint air force exercises": any premodifier
            left = [t.lemma_.lower() for t in lefts] + [t.lower_ for t in lefts]
            if not all(word in left for word in entry.before):
                return False
        if entry.pos == "VERB" and entry.particle is None:
            particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
            if particles & {e.particle for e in self.lex.entries(entry.lemma, "VERB") if e.particle}:
                return False  # "call off a strike" is not "call a strike" when the phrasal verb is known
        if entry.complement and not any(_is_content_clause(c) for c in token.children) and not (
                # "reiterated its demand today that Israel ease ...": the clause hung on the verb
                token.dep_ == "dobj" and any(_is_content_clause(c) and c.i > token.i for c in token.head.children)):
            return False
        if entry.particle and not any(c.lower_ == entry.particle and c.i > token.i and (
                c.dep_ == "prt" or (c.dep_ in ("prep", "advmod") and c.lower_ in ADVERB_PARTICLES)) for c in token.children):
            nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
            if nxt is None or nxt.lower_ != entry.particle:
                return False
        for prep, objects in entry.prep:
            heads = [c for c in _prep_children(token, ("prep", "agent", "dative")) if c.lower_ == prep]
            if not heads:
                return False
            if objects and not any(self._names(p, objects) for h in heads for p in h.children if p.dep_ == "pobj"):
                return False
        if entry.objects:
            for obj in self._objects(token):
                if self._names(obj, entry.objects):
                    return obj
                if obj.lower_ in ("it", "they", "them", "that", "which") and entry.lemma in self.lex.relation_by_lemma:
                    return obj
            return False
        if entry.pos == "VERB" and not entry.passive_ok and any(c.dep_ == "auxpass" for c in token.children):
            return False
        return None

    def _names(self, obj: Token, objects: frozenset[str]) -> bool:
        """Whether a noun names one of an entry's objects: its head, a compound or the complement
        of a partitive ("aid deliveries", "82 of the schoolgirls"), or a class: "@people" (any
        person or group of people the actors stage found), "@actor" (any coded party)."""
        words = [obj] + _object_words(obj)
        if any(w.lemma_.lower() in objects or w.lower_ in objects for w in words):
            return True
        if PEOPLE_CLASS in objects and any(w.i in self._people_tokens for w in words):
            return True
        return ACTOR_CLASS in objects and any(w.i in self._party_tokens for w in words)

    @staticmethod
    def _objects(token: Token) -> list[Token]:
        objs = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative")
                and c.lower_ not in ("that", "which", "who")]
        objs += [p for c in _prep_children(token) for p in c.children if p.dep_ == "pobj"]
        if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN") and not any(
                c.dep_ == "mark" for c in token.children):  # not "the demand that Israel withdraw"
            objs.insert(0, token.head)  # "ties that were cut", "relations cut in 1983"
        objs += [c for o in list(objs) for c in o.children if c.dep_ == "conj"]
        # "allowed IAEA inspectors to reinstall cameras": the subject of an infinitive complement
        objs += [c for clause in token.children if clause.dep_ == "ccomp"
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in clause.children)
                 for c in clause.children if c.dep_ == "nsubj"]
        own = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        if not own and token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX"):
            objs += [c for c in token.head.children if c.dep_ in ("dobj", "nsubjpass")]
        return objs

    # ------------------------------------------------------------------------------
    @staticmethod
    def _index_actors(doc: Doc, actors: list[Actor]) -> dict[int, int]:
        index: dict[int, int] = {}
        for i, actor in enumerate(actors):
            if actor.kind == "location" and actor.sector is None:
                continue
            span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                # a group ("the two governments") wins its tokens; otherwise the shorter mention
                current = actors[index[token.i]] if token.i in index else None
                if current is None or (actor.members and not current.members) or (
                        not current.members and (current.end - current.start) > (actor.end - actor.start)):
                    index[token.i] = i
        return index

    def _actors_at(self, token: Token | None, token_actor: dict[int, int]) -> list[int]:
        """Actors an argument stands for: its head's actor, conjoined ones, group members."""
        if token is None:
            return []
        out: list[int] = []
        nodes = [token] + _conjuncts(token)
        # "Saudi Arabia, the United Arab Emirates, Bahrain and Egypt": a list the parser took for an apposition
        for appos in (c for c in token.children if c.dep_ == "appos"):
            index = token_actor.get(appos.i)
            if index is not None and self._actors[index].kind == "country" and token.i in token_actor:
                nodes += [appos] + _conjuncts(appos)
        for node in nodes:
            index = uncoded = token_actor.get(node.i)
            if index is not None and not self._actors[index].code:
                index = None  # "Iraqi Kurds" with "Kurds" unknown: a coded modifier below stands for it
            if index is None:
                # "the former civilian government": the actor may cover only part of the phrase
                index = next((token_actor[t.i] for t in node.subtree if t.i in token_actor and t.head.i == node.i
                              and t.dep_ in ("compound", "poss", "amod", "nmod", "appos")), None)
            if index is None and node.lemma_.lower() in GROUP_HEADS:
                # "a group of Moroccan diplomats", "leaders of the opposition"
                index = next((token_actor[p.i] for c in node.children if c.dep_ == "prep" and c.lower_ == "of"
                              for p in c.children if p.dep_ == "pobj" and p.i in token_actor), None)
            if index is None:
                # "a camp for Congolese refugees", "scores of Liberian refugees": the actor inside the phrase
                index = next((token_actor[t.i] for t in _phrase(node) if t.i in token_actor
                              and self._actors[token_actor[t.i]].code), uncoded)
            parties = self._coordinated_modifiers(node, token_actor)
            if parties:
                # "Moroccan and Spanish officials": two parties, not one group of the first's nationality
                out += [i for i in parties if i not in out]
            elif index is not None and index not in out:
                out.append(index)
        return out

    def _coordinated_modifiers(self, node: Token, token_actor: dict[int, int]) -> list[int]:
        for modifier in node.children:
            if modifier.dep_ not in ("amod", "compound") or modifier.i not in token_actor:
                continue
            others = [token_actor[c.i] for c in _conjuncts(modifier) if c.i in token_actor and self._actors[token_actor[c.i]].code]
            if others:
                return [token_actor[modifier.i]] + others
        return []

    def _arguments(self, doc: Doc, cand: _Candidate, token_actor: dict[int, int]) -> tuple[list[int], list[int]]:
        token = cand.token
        source: list[int] = []
        target: list[int] = []
        if cand.trigger.pos == "VERB":
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            passive_subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
            agent = self._agent(token, passive_subject is not None, token_actor)
            if subject is None and agent is None:
                subject = self._inherited_subject(token)
            if token.dep_ == "relcl" and subject is not None and subject.lower_ in ("that", "which", "who"):
                subject = token.head
            source = self._actors_at(agent or subject, token_actor)
            if not source and agent is None and passive_subject is not None and cand.trigger.cameo[:2] in SELF_MOVED_ROOTS:
                # "Thousands of Turkish police were deployed in Istanbul": the force deployed is the actor
                source = self._actors_at(passive_subject, token_actor)
                passive_subject = None
            if not source and agent is None and token.dep_ == "acl" and (token.tag_ != "VBN" or token.head.dep_ == "ROOT"):
                source = self._participle_subject(token, token_actor)
            # targets: object, dative, prepositional objects on the verb or on the required object
            between = self._expand_groups(self._between_parties(cand.object_token, token_actor)) if cand.object_token is not None else []
            if len(between) >= 2:
                return between, list(reversed(between))  # "relations between Ecuador and Mexico were suspended"
            switched = self._switch_parties(token, cand, token_actor)
            if switched is not None:
                return switched
            if cand.object_token is not None:
                # "recognised the People's Republic of China": the required object is itself the other party
                target += [i for i in self._actors_at(cand.object_token, token_actor)
                           if self._actors[i].code and self._actors[i].kind in ("country", "organisation")]
                # "ending its recognition of Taiwan"
                target += [i for c in cand.object_token.children if c.dep_ == "prep" and c.lower_ == "of"
                           for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor) if i not in target]
            direct_object = cand.object_token if cand.object_token is not None else next(
                (c for c in token.children if c.dep_ == "dobj"), None)
            # "granted asylum to five Panamanian officers": the recipient may hang on the object
            places = [token] + ([direct_object] if direct_object is not None else [])
            # "walked out of the talks with the government": the partner hangs on the required phrase
            places += [p for prep, _ in cand.trigger.prep for c in _prep_children(token) if c.lower_ == prep
                       for p in c.children if p.dep_ == "pobj"]
            for place in places:
                seen_preps: set[str] = set()
                for child in (_prep_children(place) + [c for c in place.children if c.dep_ != "prep"]):
                    if child.dep_ in ("dobj", "dative", "iobj") and (cand.object_token is None or child.i != cand.object_token.i):
                        target += [i for i in self._actors_at(child, token_actor) if i not in target]
                    if child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
                        if child.lower_ in seen_preps and child.lower_ == "with":
                            continue  # "relations with Ecuador in solidarity with Mexico": the first partner
                        seen_preps.add(child.lower_)
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                target += [i for i in self._actors_at(pobj, token_actor) if i not in target]
            if passive_subject is not None and (cand.object_token is None or passive_subject.i != cand.object_token.i):
                target += [i for i in self._actors_at(passive_subject, token_actor) if i not in target]
            if not target:
                target = self._complement_target(token, token_actor, source, cand.trigger.cameo[:2] in THREAT_ROOTS)
            if cand.trigger.converse:
                givers = [i for c in _prep_children(token) + ([c for c in direct_object.children if c.dep_ == "prep"]
                                                                 if direct_object is not None else [])
                          if c.lower_ == "from" for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
                return givers, source  # the receiver is the target
            own = {self._actors[i].code for i in source} - {None}
            if own and target and not cand.trigger.mutual and all(
                    self._actors[i].code in own and (self._actors[i].sector in FORCE_SECTORS or cand.trigger.cameo[:2] in SELF_MOVED_ROOTS)
                    for i in target):
                target = self._destination(token, own, token_actor) or target
        else:
            source, target = self._nominal_arguments(token, token_actor, cand.trigger.cameo[:2])
        grouped = any(self._actors[i].members for i in source)
        source = self._expand_groups(source)
        target = [i for i in self._expand_groups(target) if i not in source or cand.trigger.mutual]
        if grouped and len(source) >= 2 and not target:
            target = list(reversed(source))  # "the two sides ... cooperation": each with the other
        return source, target

    def _participle_subject(self, verb: Token, token_actor: dict[int, int]) -> list[int]:
        """"demonstrators protesting election results": an active participle's subject is the noun
        it modifies; "issued a declaration demanding that ...": a document's, its issuer.
        (The small parser also reads "Doctors from aid groups donated" this way.)"""
        noun = verb.head
        found = self._actors_at(noun, token_actor)
        if found or noun.dep_ not in ("dobj", "pobj"):
            return found
        governor = noun.head.head if noun.dep_ == "pobj" else noun.head
        subject = next((c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return self._actors_at(subject, token_actor) if subject is not None else []

    def _destination(self, verb: Token, own: set[str], token_actor: dict[int, int]) -> list[int]:
        """"massed troops along its border with Eritrea", "pulled its troops out of Lebanon":
        when the only target found is the source's own force, the event is aimed at the first
        other party or place named after the verb in its clause."""
        places = {a.start: i for i, a in enumerate(self._actors) if a.code and a.kind == "location"}
        for node in verb.subtree:
            if node.i <= verb.i or _in_clause(node, verb):
                continue
            index = token_actor.get(node.i)
            if index is None:
                index = places.get(node.idx)
            if index is not None and self._actors[index].code and self._actors[index].code not in own \
                    and self._actors[index].kind in ("country", "location", "organisation"):
                return [index]
        return []

    def _protest_target(self, token: Token, source: list[int], token_actor: dict[int, int]) -> list[int]:
        """Whom a protest is aimed at: "in defiance of Chinese authorities", "to protest against
        the government", "demanding that the president resign"."""
        own = set(source)
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
        skip = {t.i for t in subject.subtree} if subject is not None else set()
        for node in token.subtree:
            if node.i in skip or node.i == token.i:
                continue
            if node.dep_ == "prep" and node.lower_ in ("against", "at", "of") and (
                    node.lower_ == "against" or node.head.lemma_.lower() in PROTEST_HEADS):
                found = []
                for p in (c for c in node.children if c.dep_ == "pobj"):
                    if p.i in self._trigger_token_set:
                        # "against the arrest of X by Kosovo police": whoever did what is protested
                        p = next((q for c in p.children if c.dep_ == "prep" and c.lower_ == "by"
                                  for q in c.children if q.dep_ == "pobj"), None)
                        if p is None:
                            continue
                    found += [i for i in self._actors_at(p, token_actor) if i not in own and self._actors[i].code]
                if found:
                    return found
            if node.lemma_.lower() in ("demand", "call", "urge") and node.pos_ == "VERB" and node.dep_ in ("advcl", "acl", "xcomp", "conj"):
                clause = next((c for c in node.children if c.dep_ in ("ccomp", "xcomp")), None)
                addressee = next((c for c in (clause.children if clause is not None else []) if c.dep_ == "nsubj"), None) \
                    or next((c for c in node.children if c.dep_ in ("dobj", "dative")), None)
                found = [i for i in self._actors_at(addressee, token_actor) if i not in own and self._actors[i].code] \
                    if addressee is not None else []
                if found:
                    return found
        return []

    def _agent(self, verb: Token, passive: bool, token_actor: dict[int, int]) -> Token | None:
        """The by-phrase of a passive. The small parser often mis-attaches it: "by Shining Path
        guerrillas" as a clause (pcomp + dobj), "recognized as independent states by Germany"
        under the preceding noun; the first actor noun under such a "by" is the agent."""
        by_phrases = [c for c in verb.children if c.dep_ == "agent"]
        if passive and not by_phrases:
            by_phrases = [t for t in verb.subtree if t.dep_ == "prep" and t.lower_ == "by" and t.head.i != verb.i
                          and not _in_clause(t, verb) and t.head.dep_ in ("pobj", "dobj", "attr", "oprd")
                          and t.head.head.head.i == verb.i]
        for by in by_phrases:
            nouns = [t for t in by.subtree if t.i != by.i and t.pos_ in ("NOUN", "PROPN", "PRON")]
            direct = next((t for t in nouns if t.head.i == by.i and t.dep_ == "pobj"), None)
            if direct is not None:
                return direct
            found = next((t for t in nouns if t.i in token_actor), None)
            if found is not None:
                return found
        return None

    def _default_target(self, token: Token, cameo: str, source: list[int], token_actor: dict[int, int],
                        actors: list[Actor]) -> list[int]:
        """No target in the text: the country of a place the clause names ("imposed a curfew in
        Cizre", the source's own country included), else, for concessions and conflict
        (CAMEO 08-15, 17-20), the source's own country: a strike, a curfew or a refusal to
        resign that names no other party is aimed at home, which is how ICEWS-style coding
        records domestic events. The event is flagged ``target_defaulted``."""
        by_start = {a.start: i for i, a in enumerate(actors) if a.code and a.kind in ("location", "country")}
        source_codes = {actors[i].code for i in source}
        for child in token.subtree:
            index = by_start.get(child.idx)
            place = actors[index] if index is not None else None
            if place is None or _in_clause(child, token):
                continue
            phrase = child.head if child.dep_ in ("compound", "amod") else child  # "in Montenegro province"
            if place.kind == "location" or (phrase.dep_ == "pobj" and phrase.head.lower_ in ("in", "inside", "into", "within")):
                return [index]
        if cameo[:2] in DOMESTIC_ROOTS and source_codes:
            first = source[0]
            return [first] if actors[first].code else []
        return []

    def _between_parties(self, noun: Token, token_actor: dict[int, int]) -> list[int]:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "between":
                return [i for p in prep.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
        return []

    def _switch_parties(self, token: Token, cand: _Candidate, token_actor: dict[int, int]) -> tuple[list[int], list[int]] | None:
        """"switched recognition from Taiwan to China": the new partner is the target; the old one
        is kept on the event as ``switched_from`` (a break in relation timelines)."""
        if cand.trigger.relation != "switch_recognition":
            return None
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None) or self._inherited_subject(token)
        source = self._actors_at(subject, token_actor)
        places = [token] + ([cand.object_token] if cand.object_token is not None else [])
        old = [i for place in places for c in place.children if c.dep_ == "prep" and c.lower_ == "from"
               for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
        new = [i for place in places for c in place.children if c.dep_ == "prep" and c.lower_ == "to"
               for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
        self._switched_from[token.i] = old
        return source, new

    def _condition_target(self, token: Token, token_actor: dict[int, int], source: list[int]) -> list[int]:
        """"threatened to launch an offensive unless Baghdad accepted", "demanded ... if Hamas ran":
        the party whose act is the condition is the one threatened or pressed."""
        clauses = [c for c in token.children if c.dep_ in ("xcomp", "ccomp")] + [token]
        for clause in clauses:
            for advcl in clause.children:
                if advcl.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless", "until") for m in advcl.children):
                    subject = next((c for c in advcl.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    found = [i for i in self._actors_at(subject, token_actor) if i not in source] if subject is not None else []
                    if found:
                        return found
        return []

    @staticmethod
    def _after_phrases(token: Token) -> list[Token]:
        """"after/following X" on the trigger or, for "not long after X", on its modifier."""
        out = []
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("after", "following"):
                out.append(child)
            elif child.dep_ == "advmod":
                out += [c for c in child.children if c.dep_ == "prep" and c.lower_ in ("after", "following")]
        return out

    def _event_anaphor(self, doc: Doc, prep: Token, time_heads: list[tuple[Token, TimeValue]]) -> list[TimeValue]:
        """The dated earlier mention of the event an "after" phrase names in other words."""
        groups = self.lex.event_groups
        target = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if target is None or not groups:
            return []
        names = {target.lemma_.lower()}
        names |= {f"{target.lemma_.lower()} {c.lemma_.lower()}" for c in target.children if c.dep_ == "dobj"}
        group = next((g for name in names for g in groups if name in g), None)
        if group is None:
            return []
        dated = {}
        for head, t in time_heads:
            for node in (head, head.head):
                dated.setdefault(node.i, t)
        for candidate in reversed(doc[max(0, prep.i - 1500):prep.i]):
            if candidate.pos_ == "NOUN" and candidate.lemma_.lower() in group and candidate.i in dated:
                return [dated[candidate.i]]
        return []

    def _background(self, token: Token) -> bool:
        """An undated act told as background: past perfect, a relative clause, or anywhere
        after the headline and lead (news of the day comes first)."""
        in_lead = bisect.bisect_right(self._sent_starts, token.i) - 1 < LEAD_SENTENCES
        return _background(token) or not in_lead

    def _sentence_start(self, i: int) -> int:
        return self._sent_starts[bisect.bisect_right(self._sent_starts, i) - 1]

    def _sentence(self, doc: Doc, i: int) -> Span:
        k = bisect.bisect_right(self._sent_starts, i) - 1
        return doc[self._sent_starts[k]:self._sent_ends[k]]

    def _complement_target(self, token: Token, token_actor: dict[int, int], source: list[int],
                           others_only: bool = False) -> list[int]:
        """"demanded that the US cancel ...", "offered to hand over to Britain": the party the
        demanded or offered act concerns, from the complement clause; a threat is aimed at another
        side than the source's own ("warned that it would use force against Taiwan")."""
        own = {self._actors[i].code for i in source} - {None} if others_only else set()

        def other(found: list[int]) -> list[int]:
            return [i for i in found if i not in source and self._actors[i].code not in own]
        for clause in token.children:
            if clause.dep_ not in ("ccomp", "xcomp", "acl") or (clause.dep_ == "acl" and token.pos_ not in ("NOUN", "PROPN")):
                continue
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            found = other(self._actors_at(subject, token_actor)) if subject is not None else []
            if found:
                return found
            for child in clause.children:
                if child.dep_ in ("dobj", "dative"):
                    found = other(self._actors_at(child, token_actor)) or other(
                        [i for c in child.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS  # "use force against Taiwan"
                         for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)])
                elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS + ("between",):
                    # "offered to mediate between Colombia and Venezuela"
                    found = other([i for p in child.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)])
                if found:
                    return found
        return []

    def _nominal_arguments(self, token: Token, token_actor: dict[int, int], cameo_root: str = "") -> tuple[list[int], list[int]]:
        source: list[int] = []
        target: list[int] = []
        of_actor: list[int] = []
        to_actor: list[int] = []
        between: list[int] = []
        from_actor: list[int] = []
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < token.i:
                source += self._actors_at(child, token_actor)
            if child.dep_ == "prep":
                pobjs = [p for p in child.children if p.dep_ == "pobj"]
                if child.lower_ == "by":
                    source += [i for p in pobjs for i in self._actors_at(p, token_actor)]
                elif child.lower_ == "between":
                    between += [i for p in pobjs for i in self._actors_at(p, token_actor)]  # "talks between A and B"
                elif child.lower_ == "from":
                    from_actor += [i for p in pobjs for i in self._actors_at(p, token_actor)]
                elif child.lower_ == "of":
                    # "the expulsion of 18 Russian diplomats by the Czech Republic": the by-phrase may hang on the object
                    source += [i for p in pobjs for c in p.children if c.dep_ == "prep" and c.lower_ == "by"
                               for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                    # the object itself or its premodifiers ("of Eritrean troops"), not a party further
                    # along its phrase ("a suspension of flights to Serbia")
                    of_actor += [i for p in pobjs for i in self._actors_at(p, token_actor)
                                 if self._actors[i].start < p.idx + len(p.text)]
                    # "restoration of ties with Colombia", "withdrawal of diplomats from Argentina"
                    to_actor += [i for p in pobjs for c in p.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                                 for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                elif child.lower_ in TARGET_PREPS:
                    for p in pobjs:
                        # "a freeze on U.S. assistance to Pakistan": the recipient, not the giver's label
                        onward = [i for c in p.children if c.dep_ == "prep" and c.lower_ == "to"
                                  for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                        to_actor += onward or self._actors_at(p, token_actor)
        if not to_actor:
            # "appointment of X as envoy to Y": the destination sits lower in the phrase, outside clauses
            for node in token.subtree:
                if node.dep_ == "prep" and node.lower_ == "to" and node.head.i != token.i and not _in_clause(node, token):
                    to_actor += [i for p in node.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
        if not source and len(self._expand_groups(between)) >= 2:
            parties = self._expand_groups(between)
            return parties, list(reversed(parties))  # each party with the other
        if not source and from_actor and cameo_root in FROM_SOURCE_ROOTS:
            source = from_actor  # "a promise from Taliban leaders", "aid from the United States to Ethiopia"
        elif from_actor:
            to_actor += [i for i in from_actor if i not in to_actor]  # "the withdrawal of troops from Cambodia"
        if not source:
            source = self._left_possessor(token, token_actor)
        if not to_actor and not of_actor:
            # "its demand that Israel withdraw", "a threat to pull investments out of Canada"
            to_actor = self._complement_target(token, token_actor, source, cameo_root in THREAT_ROOTS)
        if not to_actor and token.dep_ == "dobj":
            # "completed their pullout from Afghanistan": the phrase hangs on the verb
            to_actor = [i for c in token.head.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                        for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
        if of_actor and cameo_root in SELF_MOVED_ROOTS:
            # "a build-up of Eritrean troops": the troops act; "Russia's mobilization of reservists":
            # the force moved is never the target
            source, of_actor = source or of_actor, []
        if cameo_root in SELF_MOVED_ROOTS and not to_actor and source:
            # "a buildup of Indian troops along the border with Pakistan"
            to_actor = self._destination(token, {self._actors[i].code for i in source} - {None}, token_actor)
        if of_actor and to_actor and not source:
            source, target = of_actor, to_actor  # the one "of" whom it is goes "to" the other
        else:
            target = to_actor or of_actor
        if not source:
            governor = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
            if governor is not None:
                # "a freeze on aid was announced by the Trump administration": the agent of a passive governor
                agent = self._agent(governor, any(c.dep_ == "auxpass" for c in governor.children), token_actor)
                subject = agent or next((c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")), None) \
                    or self._inherited_subject(governor)
                if subject is not None and subject.i != token.i and not any(t.i == token.i for t in subject.subtree):
                    source = self._actors_at(subject, token_actor)
                    if source and not target and token.head.dep_ == "prep" and token.head.head.i == governor.i:
                        # "wounded two British soldiers in a bomb attack": the clause's object is hit
                        obj = next((c for c in governor.children if c.dep_ == "dobj"), None)
                        target = [i for i in self._actors_at(obj, token_actor) if i not in source]
        if not target and token.dep_ == "nsubj" and token.head.pos_ in ("VERB", "AUX"):
            # "a veto by the United States blocked a Security Council resolution": what it acted on
            obj = next((c for c in token.head.children if c.dep_ == "dobj"), None)
            target = [i for i in self._actors_at(obj, token_actor) if i not in source] if obj is not None else []
        return source, target

    def _left_possessor(self, token: Token, token_actor: dict[int, int]) -> list[int]:
        """"North Korea's Oct. 9, 1983, failed assassination attempt": the possessor before
        the premodifiers, found on the surface when the parse loses it."""
        doc = token.doc
        i = token.i - 1
        while i > self._sentence(doc, token.i).start and token.i - i < 14:
            t = doc[i]
            if t.tag_ == "POS":
                owner = token_actor.get(i - 1)
                return [owner] if owner is not None else []
            if not (t.is_punct or t.like_num or t.pos_ in ("PROPN", "ADJ", "NUM") or t.dep_ in ("compound", "amod", "nummod", "npadvmod", "quantmod")
                    or (t.pos_ == "VERB" and t.tag_ in ("VBN", "VBG"))):
                return []
            i -= 1
        return []

    @staticmethod
    def _inherited_subject(verb: Token) -> Token | None:
        """Control, raising and coordination: "agreed to restore", "are believed to have laid"."""
        node = verb
        for _ in range(4):
            if node.dep_ == "pcomp" and node.head.dep_ == "prep":
                node = node.head  # "resorted to throwing stones": through the preposition
            if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN") and (node.tag_ != "VBN" or node.head.dep_ == "ROOT"):
                # "demonstrators protesting ...": its noun; a noun as the sentence root means the
                # parser read the main verb as a participle ("youths resorted to throwing stones")
                return node.head
            if node.dep_ == "xcomp" and node.head.pos_ in ("VERB", "AUX"):
                # object control: "urged Ukraine to release", "asked Turkey to open"
                addressee = next((c for c in node.head.children if c.dep_ in ("dobj", "dative")), None)
                if addressee is not None and addressee.i < node.i:
                    return addressee
            if node.dep_ in ("xcomp", "advcl", "conj", "ccomp", "acl", "acomp", "prep") and node.head.i != node.i:
                head = node.head
                subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None:
                    return subject
                node = head
            else:
                return None
        return None

    def _expand_groups(self, indices: list[int]) -> list[int]:
        out: list[int] = []
        for i in indices:
            members = self._actors[i].members if i < len(self._actors) else None
            for j in (members or [i]):
                if j not in out:
                    out.append(j)
        return out


    # ------------------------------------------------------------------------------
    @staticmethod
    def _index_times(doc: Doc, times: Iterable[TimeValue]) -> list[tuple[Token, TimeValue]]:
        out = []
        for t in times:
            if t.type not in ("DATE", "TIME") or not t.value or t.value.endswith("_REF"):
                continue
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None:
                out.append((span.root, t))
        return out

    def _date(self, doc: Doc, token: Token, time_heads: list[tuple[Token, TimeValue]], trigger_tokens: set[int],
              published: str | None) -> dict[str, Any]:
        """Time of the trigger's own clause, then of its governing clauses, else publication."""
        own = []
        here = self._sentence_start(token.i)
        for head, t in time_heads:
            if self._sentence_start(head.i) != here:
                continue
            governor = _clause_head(head, trigger_tokens)
            if governor is not None and governor.i == token.i:
                own.append(t)
        if not own and token.pos_ in ("NOUN", "PROPN"):
            left = token.i - 1
            while left >= here and token.i - left < 12 and doc[left].tag_ != "POS" and doc[left].pos_ not in ("VERB", "AUX", "ADP") or (left >= 0 and doc[left].tag_ == "VBN"):
                left -= 1
            own = [t for head, t in time_heads if doc[left + 1].idx <= t.start and t.end <= token.idx]
        if not own:
            node = token
            for _ in range(3):
                if node.head.i == node.i or node.dep_ not in ("xcomp", "conj", "advcl", "acl", "relcl", "pobj", "dobj", "nsubj", "nsubjpass", "prep", "ccomp"):
                    break
                node = node.head
                own = [t for head, t in time_heads if self._sentence_start(head.i) == here
                       and (g := _clause_head(head, trigger_tokens)) is not None and g.i == node.i]
                if own:
                    break
        if not own:
            # "after the raid in May 2010": no date of its own, but the one of what it followed;
            # "not long after seizing power": the date of the coup mentioned earlier
            for prep in self._after_phrases(token):
                inside = {t.i for t in prep.subtree}
                own = [t for head, t in time_heads if head.i in inside] or self._event_anaphor(doc, prep, time_heads)
                if own:
                    break
        if own:
            best = min(own, key=lambda t: abs(t.start - token.idx))
            return {"value": best.value, "text": best.text, "start": best.start, "end": best.end, "defaulted": False}
        if published:
            return {"value": published[:7], "text": None, "start": None, "end": None, "defaulted": True,
                    "background": self._background(token)}
        return {"value": None, "text": None, "start": None, "end": None, "defaulted": True, "background": self._background(token)}

    def _modality(self, token: Token) -> str:
        chain = [token] + list(token.ancestors)[:6]
        for i, node in enumerate(chain):
            children = list(node.children)
            if any(c.dep_ == "neg" for c in children) and i == 0:
                return "negated"
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in children):
                return "hypothetical"
            if node.pos_ in ("NOUN", "PROPN") and any(c.lower_ in HYPOTHETICAL_NOUN_MODIFIERS for c in children):
                return "hypothetical"
            if node.lemma_.lower() in HYPOTHETICAL_HEAD_NOUNS and node.pos_ == "NOUN" and i > 0:
                return "hypothetical"
            aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
            if "would" in aux and node.dep_ == "ccomp" and node.head.lemma_.lower() in SPEECH_VERBS \
                    and not any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in children):
                return "future"  # "they said they would boycott": an announcement, reported
            if aux & MODALS_HYPOTHETICAL:
                return "hypothetical"
            if any(c.dep_ == "advmod" and c.lower_ in self.hedge_cues for c in children):
                return "hedged"
            if i > 0 and node.lemma_.lower() in HEDGE_VERBS and any(c.dep_ == "auxpass" for c in children):
                return "hedged"  # "are believed to have laid plans"
            if i > 0 and node.lemma_.lower() in ("threaten",) and chain[i - 1].dep_ == "xcomp":
                return "hypothetical"
            if aux & MODALS_FUTURE or (i > 0 and node.lemma_.lower() in FUTURE_VERBS and chain[i - 1].dep_ == "xcomp"):
                return "future"
            if node.pos_ in ("NOUN", "PROPN") and any(c.lower_ in FUTURE_NOUN_MODIFIERS for c in children):
                return "future"
            if node.dep_ in ("ROOT",) or (i > 0 and node.pos_ == "VERB" and node.lemma_.lower() in ("say", "tell", "note", "add")):
                break
        return "asserted"

    def _verbal_recoding(self, token: Token, cameo: str, modality: str, source: list[int], target: list[int],
                         token_actor: dict[int, int]) -> tuple[str, str, list[int], list[int]]:
        """CAMEO codes announced, refused and demanded acts as verbal events: "will withdraw"
        is an intent to yield (AGREE), "will boycott unless" a threat, "declined to resign" and
        "did not accept" a rejection, "Sudan must return" a demand by whoever says so."""
        root = cameo[:2]
        codes = self.lex.modality
        cooperative = root <= "08"
        if self._under_refusal(token) or (modality == "negated" and cooperative):
            recoded = (codes.get("refusal_codes") or {}).get(root) if cooperative else None
            if recoded:
                return recoded, "asserted", source, target
        conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
                          for c in token.children)
        if conditional and modality in ("future", "asserted"):
            return (codes.get("threat_codes") or {}).get(root, "130"), "asserted", source, target
        if modality in ("future", "asserted") and self._announced(token) and not self._reports_relation(token):
            table = codes.get("intent_codes") if cooperative else codes.get("threat_codes")
            recoded = (table or {}).get(root)
            if recoded:
                return recoded, "asserted", source, target
        obligation = {c.lower_ for c in token.children if c.dep_ == "aux"} & {"must", "should"}
        if obligation and token.dep_ == "ccomp" and token.head.lemma_.lower() in SPEECH_VERBS:
            speaker = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            demander = self._actors_at(speaker, token_actor) if speaker is not None else []
            if demander and not set(demander) & set(source):
                return (codes.get("demand_codes") or {}).get("default", "100"), "asserted", demander, source or target
        return cameo, modality, source, target

    def _intent_recoding(self, token: Token, cameo: str, candidate_at: dict[int, _Candidate]) -> str:
        """"vowed to carry out more attacks", "pledged to fight on": an intent whose content is a
        hostile act is a threat, coded as the threat of that act."""
        if cameo[:2] != "03":
            return cameo
        for clause in token.children:
            if clause.dep_ not in ("xcomp", "ccomp"):
                continue
            for node in [clause] + [c for c in clause.children if c.dep_ in ("dobj", "nsubjpass")]:
                content = candidate_at.get(node.i)
                if content is not None and content.trigger.cameo[:2] in HOSTILE_ROOTS:
                    return (self.lex.modality.get("threat_codes") or {}).get(content.trigger.cameo[:2], "130")
        return cameo

    @staticmethod
    def _generic(token: Token) -> bool:
        """A practice or a rule, not an event: a habitual adverb ("usually meets"), or a legal text
        as the subject of a present-tense verb ("the charter commits its members")."""
        verb = token if token.pos_ in ("VERB", "AUX") else None
        if verb is None:
            return False
        if any(c.dep_ == "advmod" and c.lower_ in HABITUAL_ADVERBS for c in verb.children):
            return True
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return (subject is not None and subject.lemma_.lower() in DOCUMENT_NOUNS and verb.tag_ in ("VBZ", "VBP")
                and not any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBN") for c in verb.children))

    @staticmethod
    def _demanded(token: Token, candidate_at: dict[int, _Candidate]) -> bool:
        """The act is the content of a demand, appeal or threat coded on its own ("demanded that
        Israel ease ...", "urged Ukraine to release ...", "its demand that Israel pull out")."""
        node = token
        for _ in range(2):
            if node.dep_ not in ("xcomp", "ccomp", "acl") or node.head.i == node.i:
                return False
            node = node.head
            governing = [candidate_at.get(node.i)]
            # "reiterated its demand that Israel ease ...": the demand noun is the verb's object
            governing += [candidate_at.get(c.i) for c in node.children if c.dep_ == "dobj"]
            if any(g is not None and g.trigger.cameo[:2] in DEMAND_ROOTS and not g.trigger.weak for g in governing):
                return True
        return False

    @staticmethod
    def _announced(token: Token) -> bool:
        """An act its own actor announces: "X will ...", "X is willing/prepared to ..." (not a forecast
        about a third party's act in someone else's clause)."""
        aux = {c.lower_ for c in token.children if c.dep_ == "aux"}
        if aux & {"will", "'ll", "shall", "would"}:
            return True
        head = token.head
        infinitive = token.dep_ == "xcomp" or (token.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children))  # "have sworn to fight", parsed as a purpose clause
        return infinitive and head.lemma_.lower() in INTENT_HEADS

    def _reports_relation(self, token: Token) -> bool:
        return token.lemma_.lower() in self.lex.relation_by_lemma or token.lemma_.lower().replace("-", "") in self.lex.relation_by_lemma

    @staticmethod
    def _under_refusal(token: Token) -> bool:
        head = token.head
        return token.dep_ == "xcomp" and head.lemma_.lower() in REFUSAL_VERBS

    def _casualties(self, sent: Span) -> tuple[int | None, int | None]:
        killed = injured = None
        text = sent.text
        for regex in (CASUALTY_RE, CASUALTY_PASSIVE_RE):
            for match in regex.finditer(text):
                number = self._numbers.number_value(match["num"])
                if number is None:
                    continue
                if match["verb"].lower().startswith("kill"):
                    killed = killed or int(number)
                else:
                    injured = injured or int(number)
        return killed, injured

    def _location(self, token: Token, token_actor: dict[int, int], actors: list[Actor]) -> dict[str, Any] | None:
        by_start = {a.start: a for a in actors if a.kind == "location"}
        for node in [token] + [c for c in token.children if c.dep_ in ("dobj",)]:
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "at", "near", "outside", "inside"):
                    for pobj in child.subtree:
                        actor = by_start.get(pobj.idx)
                        if actor is not None:
                            location = {"text": actor.text, "start": actor.start, "end": actor.end, "code": actor.code}
                            place = gazetteer().lookup(actor.name or actor.text)
                            if place is not None and place.code == actor.code:
                                location.update(latitude=place.latitude, longitude=place.longitude)
                            return location
        return None

    @staticmethod
    def _drop_repeats(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """"vowed to carry out attacks" codes one threat, on the verb of intent, not a second one
        on the act it governs."""
        def key(e: dict[str, Any]) -> tuple:
            return (e["cameo"], tuple(sorted(str(a["code"]) for a in e["source"])),
                    tuple(sorted(str(a["code"]) for a in e["target"])))
        by_token = {e["_token"]: e for e in events}
        out = []
        for e in events:
            governor = by_token.get(e["_complement_of"]) if e["_complement_of"] is not None else None
            if governor is not None and key(governor) == key(e):
                continue
            out.append(e)
        for e in out:
            e.pop("_token", None)
            e.pop("_complement_of", None)
        return out

    @staticmethod
    def _drop_weak(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Generic statements ("said", CAMEO 01) have no PLOVER type: they are the frame of
        a report, not an event; what was said is coded from its own clause."""
        return [e for e in events if not e.pop("_weak", False)]


def _is_content_clause(clause: Token) -> bool:
    """A that-clause or an infinitive: "that Israel withdraw", "to cut aid"."""
    return clause.dep_ in ("acl", "ccomp", "xcomp") and any(
        m.lower_ in ("that", "to") and m.dep_ in ("mark", "aux") for m in clause.children)


def _is_people(actor: Actor) -> bool:
    """A person or a group of people (not a state, a body or a place)."""
    return actor.kind == "person" or (actor.kind != "location" and actor.sector in PEOPLE_SECTORS)


def _prep_children(token: Token, deps: tuple[str, ...] = ("prep",)) -> list[Token]:
    """Prepositions of a verb, including those the parser hangs on its particle
    ("pulled out of the deal", "walked away from the talks")."""
    out = [c for c in token.children if c.dep_ in deps]
    for particle in token.children:
        if particle.dep_ in ("prt", "advmod", "prep") and particle.lower_ in ADVERB_PARTICLES:
            out += [c for c in particle.children if c.dep_ in deps]
    return out


def _background(token: Token) -> bool:
    """Told as background ("had severed", "ties, which were cut ..."): an earlier change,
    not news of the day, even when no date is given."""
    if token.dep_ in ("relcl", "acl"):
        return True
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in token.children)


SUBORDINATE_DEPS = {"advcl", "relcl", "acl", "ccomp", "csubj", "parataxis", "pcomp", "appos"}


def _depth(token: Token) -> float:
    """Distance from the sentence root: the main event of a sentence sits near it. A step into
    a subordinate clause ("after police beat demonstrators") counts whole; a step within the
    main clause's phrases ("went on strike") a half."""
    depth = 0.0
    steps = 0
    while token.head.i != token.i and steps < 30:
        depth += 1.0 if token.dep_ in SUBORDINATE_DEPS else 0.5
        token = token.head
        steps += 1
    return depth


def _clause_head(token: Token, trigger_tokens: set[int]) -> Token | None:
    """The verb or trigger noun a time expression belongs to."""
    node = token
    for _ in range(12):
        if node.head.i == node.i:
            return node
        node = node.head
        if node.i in trigger_tokens or node.pos_ in ("VERB", "AUX"):
            return node
    return None


PARTITIVES = {"part", "some", "all", "most", "much", "portion", "share", "half", "rest", "bulk", "series", "number", "set",
              "round", "wave", "ton", "tonne", "kg", "kilogram", "barrel", "million", "billion", "thousand", "hundred",
              "worth", "amount", "quantity", "lot", "package", "batch", "consignment", "shipment", "supply",
              "tanker", "cargo", "load", "truckload", "planeload", "shipload", "convoy", "dose", "crate"}


def _object_words(obj: Token) -> list[Token]:
    """Words that can name an object besides its head: compounds ("aid deliveries") and the
    complement of a partitive head ("part of a military aid program")."""
    words = [c for c in obj.children if c.dep_ in ("compound", "amod")]
    if obj.lemma_.lower() in PARTITIVES or obj.like_num:  # "82 of the Chibok schoolgirls"
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        words.append(pobj)
                        words += [c for c in pobj.children if c.dep_ == "compound"]
    return words


def _conjuncts(token: Token) -> list[Token]:
    """All coordinated items: "Saudi Arabia, the UAE, Bahrain and Egypt" chains its conjuncts."""
    out: list[Token] = []
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack and len(out) < 12:
        node = stack.pop(0)
        out.append(node)
        stack.extend(c for c in node.children if c.dep_ == "conj")
    return out


def _phrase(node: Token) -> list[Token]:
    """The tokens of a noun phrase, without the clauses hanging off it."""
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(c for c in current.children if c.dep_ not in ("relcl", "acl", "advcl", "ccomp", "appos", "punct", "cc", "conj")
                     and not (c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS))  # not "a summit in the Saudi city"
    return sorted(out, key=lambda t: t.i)


def _in_clause(node: Token, top: Token) -> bool:
    """True when ``node`` sits inside a relative or appositive clause below ``top``."""
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in ("relcl", "appos", "acl", "advcl"):
            return True
        node = node.head
    return False


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _actor_ref(actor: Actor) -> dict[str, Any]:
    return {"code": actor.code, "sector": actor.sector, "name": actor.name, "text": actor.text,
            "start": actor.start, "end": actor.end, "entity": actor.entity}


def _speaker_ref(speaker: Any) -> dict[str, Any] | None:
    if speaker is None:
        return None
    return {"entity": _get(speaker, "entity"), "name": _get(speaker, "name"), "text": _get(speaker, "text"),
            "description": _get(speaker, "description")}


def _event_id(doc_id: str, offset: int, cameo: str) -> str:
    return hashlib.sha1(f"{doc_id}:{offset}:{cameo}".encode()).hexdigest()[:16]
