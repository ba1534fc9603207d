"""Event arguments: who acts (source) and on whom (target), read from the dependency parse
and mapped onto the actors the actor stage resolved. Handles passives (and the by-phrases
the small parser mis-attaches), control, coordination, groups, nominal events, complements,
own forces sent somewhere, and the default target when the text names none."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from legation.events.cues import (
    AGENT_TARGET_PREPS, DEFAULT_PLACE_PREPS, DOMESTIC_ROOTS, HOSTILE_ROOTS, FORCE_SECTORS, FROM_SOURCE_ROOTS, GROUP_HEADS, LOCATED_PREPS,
    PROTEST_HEADS, SELF_MOVED_ROOTS, VENUE_ROOTS,
    SUBJECT_DEPS, TARGET_PREPS, THREAT_ROOTS,
)
from legation.events.lexicon import Candidate
from legation.events.syntax import conjuncts, in_clause, own_clause, phrase, prep_children
from legation.records import Actor

# how the actor stage codes a sector noun with no country of its own from the sentence or the
# article around it: evidence weaker than any place the argument itself names
BORROWED_RESOLUTIONS = ("context: country acting in the same sentence", "context: the place the sentence names",
                        "context: country of the article")


def _borrowed(actor: Actor) -> bool:
    return actor.resolution in BORROWED_RESOLUTIONS


class ArgumentFinder:
    """Source and target of a trigger, from the dependency parse and the resolved actors.
    Mixed into ``EventExtractor``; reads its per-document state (``_actors``, ``_people_tokens``, ...)."""

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

    def _actors_at(self, token: Token | None, token_actor: dict[int, int], located: bool = False) -> list[int]:
        """Actors an argument stands for: its head's actor, conjoined ones, group members.
        ``located`` (a target): a place or facility with no party of its own ("camps in Afghanistan",
        "the embassy at Islamabad") stands for the country it is in, as GSR coders code it."""
        found = self._argument_actors(token, token_actor)
        if not located or token is None or token.pos_ != "NOUN" or any(self._actors[i].code and not _borrowed(self._actors[i]) for i in found):
            return found
        return self._located_places(token, token_actor) or found

    def _located_places(self, token: Token, token_actor: dict[int, int]) -> list[int]:
        """The coded countries and places a noun phrase is located in: "camps in Afghanistan and a
        chemical plant in Sudan", "the departure of personnel from the embassy at Islamabad" (through
        its prepositional phrases, not through a clause)."""
        out: list[int] = []
        stack = [token]
        while stack:
            node = stack.pop()
            for child in node.children:
                if child.dep_ in ("prep", "conj") or (child.dep_ == "pobj" and node.dep_ == "prep"):
                    stack.append(child)
                if child.dep_ == "pobj" and node.dep_ == "prep" and node.lower_ in LOCATED_PREPS:
                    index = self._place_at(child, token_actor)
                    if index is not None and index not in out:
                        out.append(index)
        return sorted(out, key=lambda i: self._actors[i].start)

    def _place_at(self, node: Token, token_actor: dict[int, int]) -> int | None:
        """A coded country or place whose mention covers ``node`` ("Afghanistan", "the Czech Republic")."""
        index = token_actor.get(node.i)
        if index is not None and self._actors[index].code and self._actors[index].kind in ("country", "location") \
                and not _borrowed(self._actors[index]):
            return index
        for t in phrase(node):
            index = self._places_by_start.get(t.idx)
            if index is not None and self._actors[index].start <= node.idx < self._actors[index].end:
                return index
        return None

    def _argument_actors(self, token: Token | None, token_actor: dict[int, int]) -> list[int]:
        if token is None:
            return []
        out: list[int] = []
        nodes = [token] + conjuncts(token)
        # "Saudi Arabia, the United Arab Emirates, Bahrain and Egypt": a list the parser took for an apposition
        for appos in (c for c in token.children if c.dep_ == "appos"):
            index = token_actor.get(appos.i)
            if index is not None and self._actors[index].kind == "country" and token.i in token_actor:
                nodes += [appos] + conjuncts(appos)
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
                index = next((token_actor[t.i] for t in phrase(node) if t.i in token_actor
                              and self._actors[token_actor[t.i]].code), uncoded)
            parties = self._coordinated_modifiers(node, token_actor) or self._coordinated_owners(node, index, token_actor)
            if parties:
                # "Moroccan and Spanish officials": two parties, not one group of the first's nationality
                out += [i for i in parties if i not in out]
            elif index is not None and index not in out:
                out.append(index)
        return out

    def _coordinated_owners(self, node: Token, index: int | None, token_actor: dict[int, int]) -> list[int]:
        """"the foreign ministers of Egypt and Jordan", "the presidents of Poland and the Czech
        Republic": a head with no actor of its own stands for every coded party of its of-phrase."""
        if index is None or token_actor.get(node.i) is not None:
            return []
        for prep in node.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                if token_actor.get(pobj.i) != index:
                    continue
                others = [token_actor[c.i] for c in conjuncts(pobj) if c.i in token_actor and self._actors[token_actor[c.i]].code
                          and self._actors[token_actor[c.i]].kind in ("country", "organisation")]
                return [index] + [i for i in others if i != index] if others else []
        return []

    def _coordinated_modifiers(self, node: Token, token_actor: dict[int, int]) -> list[int]:
        for modifier in node.children:
            if modifier.dep_ not in ("amod", "compound") or modifier.i not in token_actor:
                continue
            others = [token_actor[c.i] for c in conjuncts(modifier) if c.i in token_actor and self._actors[token_actor[c.i]].code]
            if others:
                return [token_actor[modifier.i]] + others
        return []

    def _arguments(self, doc: Doc, cand: Candidate, token_actor: dict[int, int]) -> tuple[list[int], list[int]]:
        token = cand.token
        source: list[int] = []
        target: list[int] = []
        # an attack, raid, sanction or arrest aimed at a place or facility is aimed at its country
        hostile = cand.trigger.cameo[:2] in HOSTILE_ROOTS
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
                # (a person or group released or expelled too; a relation's object stands for a state:
                # "reopened its embassy in Riyadh" is not a change with its own embassy)
                parties = ("country", "organisation") if cand.trigger.relation else ("country", "organisation", "person", "group")
                target += [i for i in self._actors_at(cand.object_token, token_actor)
                           if self._actors[i].code and self._actors[i].kind in parties]
                # "ending its recognition of Taiwan"
                target += [i for c in cand.object_token.children if c.dep_ == "prep" and c.lower_ == "of"
                           for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor, located=hostile) if i not in target]
            direct_object = cand.object_token if cand.object_token is not None else next(
                (c for c in token.children if c.dep_ == "dobj"), None)
            # "granted asylum to five Panamanian officers": the recipient may hang on the object
            places = [token] + ([direct_object] if direct_object is not None else [])
            # "walked out of the talks with the government": the partner hangs on the required phrase
            places += [p for prep, _ in cand.trigger.prep for c in prep_children(token) if c.lower_ == prep
                       for p in c.children if p.dep_ == "pobj"]
            for place in places:
                seen_preps: set[str] = set()
                for child in (prep_children(place) + [c for c in place.children if c.dep_ != "prep"]):
                    if child.dep_ in ("dobj", "dative", "iobj") and (cand.object_token is None or child.i != cand.object_token.i):
                        target += [i for i in self._actors_at(child, token_actor, located=hostile) if i not in target]
                    if child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
                        if child.lower_ in seen_preps and child.lower_ == "with":
                            continue  # "relations with Ecuador in solidarity with Mexico": the first partner
                        seen_preps.add(child.lower_)
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                target += [i for i in self._actors_at(pobj, token_actor, located=hostile) if i not in target]
            if passive_subject is not None and (cand.object_token is None or passive_subject.i != cand.object_token.i):
                target += [i for i in self._actors_at(passive_subject, token_actor, located=hostile) if i not in target]
            if not target and agent is not None:
                # "sanctions imposed by the EU on Iran": the parser hangs the party acted on from the agent's noun
                target = [i for c in agent.children if c.dep_ == "prep" and c.lower_ in AGENT_TARGET_PREPS
                          for p in c.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor) if i not in source]
            if not target:
                target = self._complement_target(token, token_actor, source, cand.trigger.cameo[:2] in THREAT_ROOTS)
            if cand.trigger.converse:
                givers = [i for c in prep_children(token) + ([c for c in direct_object.children if c.dep_ == "prep"]
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
        places = self._places_by_start
        for node in verb.subtree:
            if node.i <= verb.i or in_clause(node, verb):
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
                          and not in_clause(t, verb) and t.head.dep_ in ("pobj", "dobj", "attr", "oprd")
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
        """No target in the text: the country of a place the trigger's own clause names with a
        locative preposition ("imposed a curfew in Cizre", "evacuate settlements in the Gaza Strip"),
        else, for concessions and conflict (CAMEO 08-15, 17-20), another actor of the source's
        country in that same clause: a strike, a curfew or a refusal to resign that names no other
        party is aimed at home, which is how ICEWS-style coding records domestic events. Nothing
        from another clause of the sentence (a speech tag, an adjunct, a relative clause) or from
        elsewhere in the text: no party is better than a guessed one. Never the source itself.
        Flagged ``target_defaulted``."""
        by_start = self._places_by_start
        clause = own_clause(token)
        for child in clause if cameo[:2] not in VENUE_ROOTS else ():
            index = by_start.get(child.idx)
            place = actors[index] if index is not None else None
            if place is None:
                continue
            if _in_locative_phrase(child):
                return [index]
        if cameo[:2] in DOMESTIC_ROOTS and source:
            first = source[0]
            if not actors[first].code:
                return []
            # another actor of the source's country in the clause ("Turkish police ... in Turkey"), never
            # the source itself: an event's two sides are two actors
            # not the source again: inside its mention ("Clinton's lawyers"), or the same entity by coreference
            spans = [(actors[i].start, actors[i].end) for i in source]
            same = set(source) | {actors[i].antecedent for i in source if actors[i].antecedent is not None}
            for child in clause:
                index = token_actor.get(child.i)
                if index is None or index in same:
                    continue
                actor = actors[index]
                if actor.antecedent in same or any(start <= actor.start < end for start, end in spans):
                    continue
                if actor.code == actors[first].code and actor.kind != "location":
                    return [index]
        return []

    def _between_parties(self, noun: Token, token_actor: dict[int, int]) -> list[int]:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "between":
                return [i for p in prep.children if p.dep_ == "pobj" for i in self._actors_at(p, token_actor)]
        return []

    def _switch_parties(self, token: Token, cand: Candidate, token_actor: dict[int, int]) -> tuple[list[int], list[int]] | None:
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
            if not found and subject is not None and subject.dep_ == "nsubjpass":
                # "allege the attacks were plotted by bin Laden": the agent of a passive complement
                agent = self._agent(clause, True, token_actor)
                found = other(self._actors_at(agent, token_actor)) if agent is not None else []
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
                    # "the establishment of diplomatic relations between South Korea and China"
                    between += [i for p in pobjs for c in p.children if c.dep_ == "prep" and c.lower_ == "between"
                                for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                    # "the expulsion of 18 Russian diplomats by the Czech Republic": the by-phrase may hang on the object
                    source += [i for p in pobjs for c in p.children if c.dep_ == "prep" and c.lower_ == "by"
                               for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                    # the object itself or its premodifiers ("of Eritrean troops"), not a party further
                    # along its phrase ("a suspension of flights to Serbia")
                    for p in pobjs:
                        found = [i for i in self._actors_at(p, token_actor) if self._actors[i].start < p.idx + len(p.text)]
                        if cameo_root in HOSTILE_ROOTS and p.pos_ == "NOUN" and not any(
                                self._actors[i].code and not _borrowed(self._actors[i]) for i in found):
                            found = self._located_places(p, token_actor) or found  # "the bombing of the embassy in Nairobi"
                        of_actor += found
                    # "restoration of ties with Colombia", "withdrawal of diplomats from Argentina"
                    to_actor += [i for p in pobjs for c in p.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                                 for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                elif child.lower_ in TARGET_PREPS:
                    for p in pobjs:
                        # "a freeze on U.S. assistance to Pakistan": the recipient, not the giver's label
                        onward = [i for c in p.children if c.dep_ == "prep" and c.lower_ == "to"
                                  for q in c.children if q.dep_ == "pobj" for i in self._actors_at(q, token_actor)]
                        to_actor += onward or self._actors_at(p, token_actor, located=cameo_root in HOSTILE_ROOTS)
        if not to_actor:
            # "appointment of X as envoy to Y": the destination sits lower in the phrase, outside clauses
            for node in token.subtree:
                if node.dep_ == "prep" and node.lower_ == "to" and node.head.i != token.i and not in_clause(node, token):
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


def _in_locative_phrase(place: Token) -> bool:
    """The place sits in a locative prepositional phrase: "in Montenegro province", "in the town of
    Cizre", "near the capital city of Algiers"."""
    node = place
    for _ in range(6):
        if node.dep_ not in ("pobj", "compound", "amod", "nmod", "poss", "appos", "conj", "prep"):
            return False
        node = node.head
        if node.dep_ == "prep" and node.lower_ in DEFAULT_PLACE_PREPS:
            return True
        if node.dep_ == "prep" and node.lower_ != "of":
            return False  # "in" is not ours beyond another preposition: "to the border of X"
    return False
