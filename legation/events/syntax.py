"""Dependency-parse helpers shared by the event extractor's parts: clauses, phrases,
conjuncts and prepositions, with the repairs the small parser needs."""
from __future__ import annotations

from spacy.tokens import Token

from legation.actors.resolve import LOCATIVE_PREPS
from legation.events.cues import ADVERB_PARTICLES, PARTITIVES, PEOPLE_SECTORS, SUBORDINATE_DEPS
from legation.records import Actor


def has_to_infinitive(verb: Token) -> bool:
    """The verb heads a to-infinitive ("to release", "to fight")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def is_content_clause(clause: Token) -> bool:
    """A that-clause or an infinitive: "that Israel withdraw", "to cut aid"."""
    return clause.dep_ in ("acl", "ccomp", "xcomp") and any(
        m.lower_ in ("that", "to") and m.dep_ in ("mark", "aux") for m in clause.children)


def is_people(actor: Actor) -> bool:
    """A person or a group of people (not a state, a body or a place)."""
    return actor.kind == "person" or (actor.kind != "location" and actor.sector in PEOPLE_SECTORS)


def prep_children(token: Token, deps: tuple[str, ...] = ("prep",)) -> list[Token]:
    """Prepositions of a verb, including those the parser hangs on its particle
    ("pulled out of the deal", "walked away from the talks")."""
    out = [c for c in token.children if c.dep_ in deps]
    for particle in token.children:
        if particle.dep_ in ("prt", "advmod", "prep") and particle.lower_ in ADVERB_PARTICLES:
            out += [c for c in particle.children if c.dep_ in deps]
    return out


def is_background(token: Token) -> bool:
    """Told as background ("had severed", "ties, which were cut ..."): an earlier change,
    not news of the day, even when no date is given."""
    if token.dep_ in ("relcl", "acl"):
        return True
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in token.children)


def depth(token: Token) -> float:
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


def clause_head(token: Token, trigger_tokens: set[int]) -> Token | None:
    """The verb or trigger noun a time expression belongs to."""
    node = token
    for _ in range(12):
        if node.head.i == node.i:
            return node
        node = node.head
        if node.i in trigger_tokens or node.pos_ in ("VERB", "AUX"):
            return node
    return None


def object_words(obj: Token) -> list[Token]:
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


def conjuncts(token: Token) -> list[Token]:
    """All coordinated items: "Saudi Arabia, the UAE, Bahrain and Egypt" chains its conjuncts."""
    out: list[Token] = []
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack and len(out) < 12:
        node = stack.pop(0)
        out.append(node)
        stack.extend(c for c in node.children if c.dep_ == "conj")
    return out


def phrase(node: Token) -> list[Token]:
    """The tokens of a noun phrase, without the clauses hanging off it."""
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(c for c in current.children if c.dep_ not in ("relcl", "acl", "advcl", "ccomp", "appos", "punct", "cc", "conj")
                     and not (c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS))  # not "a summit in the Saudi city"
    return sorted(out, key=lambda t: t.i)


def in_clause(node: Token, top: Token) -> bool:
    """True when ``node`` sits inside a relative or appositive clause below ``top``."""
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in ("relcl", "appos", "acl", "advcl"):
            return True
        node = node.head
    return False


CLAUSE_DEPS = {"advcl", "relcl", "acl", "ccomp", "xcomp", "csubj", "parataxis", "pcomp", "appos", "conj"}


def own_clause(token: Token) -> list[Token]:
    """The tokens of the trigger's own clause: its verb (a noun trigger's governing verb) and what
    hangs on it, without the clauses below it (complements, adjuncts, relative clauses,
    coordinated clauses) and without the clauses above it (a speech tag)."""
    head = token
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i and head.dep_ not in CLAUSE_DEPS:
        head = head.head
    out = []
    stack = [head]
    while stack:
        node = stack.pop()
        out.append(node)
        # a participle inside an argument stays ("power lines leading into Kabul"): part of the phrase
        stack.extend(c for c in node.children if not (c.dep_ in CLAUSE_DEPS and c.dep_ != "acl" and (c.pos_ in ("VERB", "AUX") or c.dep_ in ("relcl", "appos")))
                     and not (c.dep_ == "conj" and node.pos_ in ("VERB", "AUX")))
    return sorted(out, key=lambda t: t.i)
