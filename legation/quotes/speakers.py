"""Speaker mentions and the entities they refer to.

A *mention* is the noun phrase (or pronoun) that a cue's subject points to, cut to the
phrase itself: no relative clause, appositive or participle after it ("said the
analyst, who declined to be named" -> "the analyst"). Each mention resolves to an
*entity* that groups all quotes of one speaker in the document:

* names match by full name or surname ("Mogherini" -> "Federica Mogherini");
* he/she -> a person named as the subject of a later sentence than the last speaker,
  else the last speaker that is a single person, else the last person named;
  they -> the last group or organisation; it -> the last organisation;
  I/we inside a quotation -> the speaker of that quotation;
* a definite description ("the activist", "the minister") -> the last speaker
  entity with that head noun or role, else a person named earlier with that role;
* anything else starts a new entity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span

from legation.quotes.cues import QuoteLexicon

_CUT_LEFT = {",", "–", "—", ")", "(", ":", ";", "“", "”", '"', "‘", "’", "[", "]"}
_CUT_RIGHT = _CUT_LEFT | {"-"}
_RIGHT_DEPS = {"prep", "cc", "conj", "compound", "nummod", "amod", "flat", "case", "nmod", "npadvmod", "poss"}
_RIGHT_PREPS = {"of", "from", "at", "for", "in", "with", "to", "on"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "some", "another", "one"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_NAMED_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}


@dataclass
class Mention:
    start: int  # character offsets, end exclusive
    end: int
    text: str
    head: Any  # spaCy Token
    kind: str  # pronoun | named | description
    entity_kind: str  # person | organisation | group | unknown
    name: str | None = None
    description: str | None = None
    definite: bool = False
    group: bool = False
    pronoun: str | None = None
    head_lemma: str = ""
    gender: str | None = None


@dataclass
class Entity:
    kind: str
    name: str | None = None
    description: str | None = None
    words: set[str] = field(default_factory=set)  # head nouns and role words, lower case
    anonymous: bool = False
    anonymity_reason: str | None = None
    group: bool = False
    gender: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    first: int = 10**9  # position of its first quote, for numbering
    id: str = ""
    key: str = ""  # normalised text of an unnamed group, to merge "officials" with "officials"
    actor: dict[str, Any] | None = None


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


# --------------------------------------------------------------------------- mentions


def relative_antecedent(token: Any) -> Any:
    """``who`` in "the analyst, who said ..." stands for "the analyst"."""
    if token.tag_ in ("WP", "WDT") or token.lower_ in ("who", "which", "that"):
        clause = token.head
        hops = 0
        while clause.dep_ != "relcl" and clause.head is not clause and hops < 3:
            clause = clause.head
            hops += 1
        if clause.dep_ == "relcl":
            return clause.head
        return None
    return token


def mention_tokens(head: Any) -> tuple[int, int]:
    """Token range (inclusive) of the noun phrase headed by ``head``."""
    doc = head.doc
    lo = hi = head.i
    for child in head.lefts:
        if child.dep_ in ("punct", "appos", "relcl", "acl", "advcl", "cc", "prep") and child.dep_ != "prep":
            continue
        lo = min(lo, child.left_edge.i)
    for child in head.rights:
        if child.dep_ in _RIGHT_DEPS and (child.dep_ != "prep" or child.lower_ in _RIGHT_PREPS):
            hi = max(hi, child.right_edge.i)
        else:
            break
    # never across a paragraph, a comma, a dash or a quotation mark
    for i in range(head.i - 1, lo - 1, -1):
        token = doc[i]
        if token.text in _CUT_LEFT or "\n" in token.text or token.tag_ in ("WP", "WDT"):
            lo = i + 1
            break
    for i in range(head.i + 1, hi + 1):
        token = doc[i]
        if token.text == "-" and not token.whitespace_ and not doc[i - 1].whitespace_:
            continue  # a hyphen inside a word: "al-Jubeir"
        if token.text in _CUT_RIGHT or "\n" in token.text or token.tag_ in ("WP", "WDT") or token.dep_ in ("relcl", "acl", "appos"):
            hi = i - 1
            break
    while hi > head.i and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return lo, hi


def _title_word(token: Any, lexicon: QuoteLexicon) -> bool:
    return token.lower_ in lexicon.person_titles or token.lower_.rstrip(".") in lexicon.person_titles


def _strip_titles(tokens: list[Any], lexicon: QuoteLexicon) -> list[Any]:
    start = 0
    while start < len(tokens) - 1 and (_title_word(tokens[start], lexicon) or tokens[start].lower_ in _DETERMINERS
                                       or tokens[start].dep_ == "poss" or tokens[start].tag_ == "POS"):
        start += 1
    return tokens[start:]


def _span_text(doc: Any, lo: int, hi: int) -> str:
    if hi < lo:
        return ""
    return doc[lo:hi + 1].text  # the span's own text: doc.text would rebuild the whole document


def _lower_first(text: str, token: Any) -> str:
    if token.pos_ != "PROPN" and not token.ent_type_ and not token.text.isupper():
        return text[:1].lower() + text[1:]
    return text


def clean_role(words: list[Any], lexicon: QuoteLexicon) -> str | None:
    """A role from the tokens before a name: titles in lower case, honorifics at the end dropped."""
    words = [t for t in words if t.lower_ not in _DETERMINERS and t.tag_ != "POS" and not t.is_punct and "\n" not in t.text]
    while len(words) > 1 and (words[-1].lower_ in lexicon.honorifics):
        words.pop()
    if not words or all(t.lower_ in lexicon.honorifics or t.lower_ in lexicon.gendered_honorifics for t in words):
        return None
    return " ".join(t.lower_ if _title_word(t, lexicon) else t.text for t in words)


def name_start(tokens_start: int, doc: Any, lexicon: QuoteLexicon, floor: int) -> int:
    """Extend a name to the left over proper nouns that are part of it ("María Nela" Prada)."""
    i = tokens_start
    while i - 1 >= floor:
        token = doc[i - 1]
        if token.pos_ == "PROPN" and token.dep_ in ("compound", "flat") and not _title_word(token, lexicon) \
                and token.head.i >= i and token.text[:1].isupper():
            i -= 1
            continue
        break
    return i


def title_before(first: int, doc: Any, lexicon: QuoteLexicon) -> list[Any]:
    """Title words right before a name: "Foreign Minister" Adel al-Jubeir."""
    words: list[Any] = []
    i = first - 1
    while i >= 0 and (_title_word(doc[i], lexicon) or (doc[i].pos_ in ("ADJ", "PROPN") and doc[i].ent_type_ in ("NORP", "GPE")
                                                          and words)):
        words.insert(0, doc[i])
        i -= 1
    # a nationality or country right before the title: "Saudi Foreign Minister"
    while i >= 0 and doc[i].ent_type_ in ("NORP", "GPE") and words and "\n" not in doc[i].text:
        words.insert(0, doc[i])
        i -= 1
    return words


def appositive_description(head: Any) -> str | None:
    for child in head.rights:
        if child.dep_ == "appos":
            lo, hi = child.left_edge.i, child.right_edge.i
            doc = head.doc
            for clause in child.rights:
                if clause.dep_ in ("relcl", "acl"):
                    hi = min(hi, clause.left_edge.i - 1)
            for i in range(lo, hi + 1):
                if doc[i].text in ("–", "—", "(", ";", ",") or "\n" in doc[i].text:
                    hi = i - 1
                    break
            while hi > lo and (doc[hi].is_punct or doc[hi].is_space):
                hi -= 1
            while lo < hi and (doc[lo].lower_ in _DETERMINERS or doc[lo].is_punct):
                lo += 1
            text = _span_text(doc, lo, hi)
            return text or None
    return None


def _entity_at(token: Any) -> Any:
    """The named entity a token belongs to, from the token's IOB tags (``doc.ents`` would
    rebuild every entity of the document for each mention)."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def build_mention(head: Any, lexicon: QuoteLexicon) -> Mention:
    doc = head.doc
    lower = head.lower_
    if head.pos_ == "PRON" and lower in lexicon.pronouns:
        info = lexicon.pronouns[lower]
        kind = {"person": "person", "organisation": "organisation"}.get(info.get("kind", ""), "unknown")
        return Mention(head.idx, head.idx + len(head), head.text, head, "pronoun", kind,
                       group=info.get("number") == "plural", pronoun=lower, head_lemma=lower)
    lo, hi = mention_tokens(head)
    if head.ent_type_ in _NAMED_LABELS:
        # the whole name, even where the parser broke it up ("al - Jubeir")
        whole = _entity_at(head)
        if "\n" not in whole.text:
            lo, hi = min(lo, whole.start), max(hi, whole.end - 1)
            while lo > 0 and doc[lo - 1].pos_ == "PROPN" and _title_word(doc[lo - 1], lexicon) and "\n" not in doc[lo - 1].text:
                lo -= 1
    tokens = [doc[i] for i in range(lo, hi + 1)]
    text = _span_text(doc, lo, hi)
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    head_lemma = head.lemma_.lower()
    definite = tokens[0].lower_ in _DEFINITE
    coordinated = any(t.dep_ == "conj" and t.head.i == head.i for t in tokens)
    ent = _entity_at(head) if head.ent_type_ in _NAMED_LABELS else None
    titled = any(_title_word(t, lexicon) for t in tokens if t.i < head.i)
    # a name: a named entity at the head, or proper nouns that no entity claims
    name_tokens: list[Any] = []
    label = None
    institution = head_lemma in lexicon.organisation_nouns or head_lemma in lexicon.cue_nouns
    if ent is not None and not (institution and ent.root.i != head.i):
        label = ent.label_
        name_tokens = [t for t in ent if lo <= t.i <= hi]
        if label in ("ORG", "FAC", "LOC") and titled and all(t.pos_ == "PROPN" for t in name_tokens):
            label = "PERSON"  # "Lawyer Kyee Myint" tagged as an organisation
    elif head.pos_ == "PROPN" and not coordinated and not institution:
        i = head.i
        while i >= lo and doc[i].pos_ == "PROPN":
            i -= 1
        name_tokens = [doc[j] for j in range(i + 1, head.i + 1)]
        label = "PERSON"
    if label == "PERSON":
        name_tokens = _strip_titles(name_tokens, lexicon)
        while name_tokens and name_tokens[-1].tag_ == "POS":
            name_tokens.pop()
        if name_tokens:
            first = name_start(name_tokens[0].i, doc, lexicon, lo)
            name_tokens = [doc[j] for j in range(first, name_tokens[-1].i + 1)]
    if name_tokens and not coordinated:
        name = _span_text(doc, name_tokens[0].i, name_tokens[-1].i)
        entity_kind = "person" if label == "PERSON" else "organisation"
        if label == "ORG" and len(name_tokens) == 1 and not name.isupper() and head.pos_ == "PROPN":
            entity_kind = "unknown"  # a lone surname is often tagged ORG by the small models ("Pence")
        description = appositive_description(head)
        if description is None and entity_kind == "person":
            before = [t for t in tokens if t.i < name_tokens[0].i and t.dep_ != "poss"]
            description = clean_role(before, lexicon)
        gender = next((lexicon.gendered_honorifics[t.lower_] for t in tokens
                       if t.i < name_tokens[0].i + 1 and t.lower_ in lexicon.gendered_honorifics), None)
        return Mention(start, end, text, head, "named", entity_kind, name=name, description=description,
                       definite=definite, group=coordinated, head_lemma=head_lemma, gender=gender)
    # a description with a name in apposition: "Israel's foreign ministry spokesman, Lior Haiat"
    appos = next((c for c in head.rights if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if appos is not None and head.pos_ == "NOUN" and head.lemma_.lower() not in lexicon.organisation_nouns \
            and appos.ent_type_ not in ("GPE", "NORP", "DATE", "ORG") or (appos is not None and appos.ent_type_ == "PERSON"):
        a_lo = appos.i
        while a_lo - 1 > head.i and doc[a_lo - 1].pos_ == "PROPN" and doc[a_lo - 1].head.i == appos.i:
            a_lo -= 1
        name = _span_text(doc, a_lo, appos.i)
        role = [t for t in tokens if t.lower_ not in _DETERMINERS]
        description = _lower_first(_span_text(doc, role[0].i, role[-1].i), role[0]) if role else None
        return Mention(start, end, text, head, "named", "person", name=name, description=description,
                       definite=definite, head_lemma=head_lemma)
    # a description
    plural = head.tag_ in ("NNS", "NNPS") or coordinated
    if head_lemma in lexicon.cue_nouns:
        entity_kind = "document"  # "a joint statement said"
    elif head_lemma in lexicon.organisation_nouns or (ent is not None and ent.label_ in ("ORG", "GPE", "NORP")):
        entity_kind = "organisation"
    elif plural or head_lemma in lexicon.group_nouns:
        entity_kind = "group"
    else:
        entity_kind = "person"
    desc_tokens = [t for t in tokens if t.lower_ not in _DETERMINERS or t.i == head.i]
    description = _span_text(doc, desc_tokens[0].i, desc_tokens[-1].i) if desc_tokens else text
    if desc_tokens:
        description = _lower_first(description, desc_tokens[0])
    name = None
    if coordinated and ent is not None and all(t.pos_ == "PROPN" or t.dep_ == "cc" or t.is_punct for t in tokens):
        name = text  # "Bahrain and Sudan"
    if coordinated and name is None and any(t.pos_ == "PROPN" for t in tokens):
        description = None  # "Chilean President Gabriel Boric and Colombian President Gustavo Petro"
    return Mention(start, end, text, head, "description", entity_kind, name=name, description=description,
                   definite=definite, group=entity_kind == "group" or coordinated, head_lemma=head_lemma)


def find_anonymity(text: str, intervals: list[tuple[int, int]], lexicon: QuoteLexicon) -> tuple[bool, str | None]:
    """Whether ``text`` (restricted to ``intervals``) says the source is not named, and why."""
    for lo, hi in intervals:
        chunk = text[lo:hi]
        match = lexicon.anonymity_re.search(chunk)
        if not match:
            continue
        phrase = re.sub(r"\s+", " ", match.group(0).lower())
        reason = None
        after = lexicon.reason_re.match(chunk[match.end():])
        if after:
            keep = lexicon.reason_keep.get(re.sub(r"\s+", " ", after.group("marker").lower()), "")
            reason = ((keep + " ") if keep else "") + after.group("reason").strip()
            reason = reason.strip() or None
        if reason is None and phrase in lexicon.anonymity_phrase_reasons:
            reason = lexicon.anonymity_phrase_reasons[phrase]
            tail = re.match(r"[^,.;:()\n–—]*", chunk[match.end():])
            if tail and tail.group(0).strip():
                reason = f"{reason} {tail.group(0).strip()}"
        return True, reason
    return False, None


# --------------------------------------------------------------------------- entities


@dataclass
class _Person:
    """A person the document names: the longest form of the name, its words, role words and role."""

    name: str
    words: set[str]
    roles: set[str]
    role_text: str | None


class EntityResolver:
    """In-document coreference for speakers, in reading order."""

    def __init__(self, doc: Any, lexicon: QuoteLexicon, excluded: list[tuple[int, int]]):
        self.doc = doc
        self.lexicon = lexicon
        self.entities: list[Entity] = []
        self.recent: list[tuple[int, Entity]] = []  # (position, entity) of top-level speakers
        self._excluded = sorted(excluded)
        self._persons: list[tuple[int, Any]] | None = None
        self._people: list[_Person] = []

    # --- the document's named people, computed on first use
    def _inside_excluded(self, offset: int) -> bool:
        return any(lo <= offset < hi for lo, hi in self._excluded)

    def persons(self) -> list[tuple[int, Any]]:
        """PERSON entities outside quotations (position, span); builds the name index too."""
        if self._persons is None:
            self._persons = []
            self._people = []
            for ent in self.doc.ents:
                if ent.label_ not in ("PERSON", "ORG"):
                    continue
                if ent.label_ == "ORG":
                    # the small models often tag a titled name as an organisation
                    if not all(t.pos_ == "PROPN" for t in ent):
                        continue
                    if not (_title_word(ent[0], self.lexicon) or title_before(
                            name_start(ent.start, self.doc, self.lexicon, max(0, ent.start - 4)), self.doc, self.lexicon)):
                        continue
                tokens = _strip_titles(list(ent), self.lexicon)
                while tokens and tokens[-1].tag_ == "POS":
                    tokens.pop()
                if not tokens:
                    continue
                first = name_start(tokens[0].i, self.doc, self.lexicon, max(0, ent.start - 4))
                name = _span_text(self.doc, first, tokens[-1].i)
                roles: set[str] = set()
                root = ent.root
                left = [t for t in ent if t.i < tokens[0].i]
                for child in root.lefts:
                    if child.i < first and child.dep_ in ("compound", "amod", "nmod"):
                        left.extend(self.doc[child.left_edge.i: child.i + 1])
                if not left:
                    left = title_before(first, self.doc, self.lexicon)
                left.sort(key=lambda t: t.i)
                left = [t for t in left if t.lower_ not in _DETERMINERS and t.tag_ != "POS" and not t.is_punct
                        and "\n" not in t.text and t.dep_ != "poss"]
                role_text = clean_role(left, self.lexicon)
                roles.update(t.lower_ for t in left)
                appos = appositive_description(root)
                if appos:
                    role_text = role_text or appos
                    roles.update(w.lower() for w in re.findall(r"[\w-]+", appos))
                if root.dep_ == "appos":
                    owner = root.head
                    before = [t for t in owner.subtree if owner.left_edge.i <= t.i <= owner.i and t.dep_ != "poss"
                              and t.head.dep_ != "poss" and t.tag_ != "POS"]
                    roles.update(t.lower_ for t in before if t.pos_ in ("NOUN", "PROPN", "ADJ"))
                    role_text = role_text or clean_role(before, self.lexicon)
                if not self._inside_excluded(ent.start_char):
                    self._persons.append((ent.start_char, ent))
                words = {w.lower() for w in name.replace("-", " ").split()}
                for person in self._people:
                    if words <= person.words or person.words <= words:
                        if len(name) > len(person.name):
                            person.name, person.words = name, words
                        person.roles |= roles
                        person.role_text = person.role_text or role_text
                        break
                else:
                    self._people.append(_Person(name, words, roles, role_text))
        return self._persons

    def full_name(self, name: str) -> tuple[str, set[str], str | None]:
        """The longest name in the document that contains ``name``, with its role words."""
        self.persons()
        words = {w.lower() for w in name.replace("-", " ").split()}
        best = None
        for person in self._people:
            if words and words <= person.words and (best is None or len(person.words) > len(best.words)):
                best = person
        if best is None:
            return name, set(), None
        return best.name, set(best.roles), best.role_text

    def role_holder(self, word: str, before: int) -> str | None:
        """The person named before ``before`` whose role includes ``word`` ("the minister")."""
        self.persons()
        for start, ent in reversed(self._persons or []):
            if start >= before:
                continue
            full, roles, _ = self.full_name(ent.text)
            if word in roles:
                return full
        return None

    # --- resolution
    def _new(self, mention: Mention | None, kind: str, **values: Any) -> Entity:
        entity = Entity(kind=kind, **values)
        self.entities.append(entity)
        return entity

    def _named(self, name: str, kind: str, description: str | None = None) -> Entity:
        if kind == "person" or len(name.split()) == 1:
            full, roles, role_text = self.full_name(name)
            if full != name and roles is not None:
                kind = "person"
        else:
            full, roles, role_text = name, set(), None
        words = {w.lower() for w in full.replace("-", " ").split()}
        mine = {w.lower() for w in name.replace("-", " ").split()}
        if kind != "person" and len(mine) == 1:
            for entity in reversed(self.entities):
                if entity.kind == "person" and entity.name and mine <= {w.lower() for w in entity.name.replace("-", " ").split()}:
                    return entity  # "Prada" after "María Nela Prada"
        for entity in reversed(self.entities):
            if entity.name is not None and self._norm(entity.name) == self._norm(full):
                if kind == "person" and entity.kind in ("organisation", "unknown"):
                    entity.kind = "person"
                return entity
        for entity in reversed(self.entities):
            if entity.name is None:
                continue
            theirs = {w.lower() for w in entity.name.replace("-", " ").split()}
            if entity.kind == "person" and kind == "person":
                if (mine <= theirs or words <= theirs or theirs <= words) and \
                        entity.name.split()[-1].lower() in words | theirs:
                    if len(full) > len(entity.name):
                        entity.name = full
                    return entity
            elif self._norm(entity.name) == self._norm(full):
                return entity
        entity = self._new(None, kind, name=full, description=description or role_text,
                           words=roles | words, anonymous=False)
        return entity

    def _token_of(self, offset: int) -> int:
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return span.start if span is not None else 0

    @staticmethod
    def _norm(text: str) -> str:
        text = re.sub(r"^(the)\s+", "", text.strip().lower())
        return re.sub(r"\s+", " ", text)

    def _pronoun(self, mention: Mention, outer: Entity | None) -> Entity:
        info = self.lexicon.pronouns.get(mention.pronoun or "", {})
        kind = info.get("kind")
        if kind == "self":
            if outer is not None:
                return outer
            return self._new(mention, "person" if info.get("number") == "singular" else "group",
                             group=info.get("number") == "plural", description=None)
        position = mention.start
        earlier = [start for start, _ in self.recent if start < position]
        last_pos = earlier[-1] if earlier else -1
        if kind == "person":
            gender = info.get("gender")
            # a person named as a subject after the last speaker
            for start, ent in reversed(self.persons()):
                if start >= position:
                    continue
                if start <= last_pos:
                    break
                if ent.root.dep_ in ("nsubj", "nsubjpass"):
                    entity = self._named(ent.text, "person")
                    if entity.gender in (None, gender):
                        return entity
                    break
            for start, entity in reversed(self.recent):
                if start < position and entity.kind in ("person", "unknown") and not entity.group \
                        and entity.gender in (None, gender):
                    entity.kind = "person"
                    return entity
            for start, ent in reversed(self.persons()):
                if start < position:
                    return self._named(ent.text, "person")
            return self._new(mention, "person", description=None)
        if mention.pronoun == "they":
            for start, entity in reversed(self.recent):
                if start < position and (entity.group or entity.kind in ("organisation", "unknown")):
                    return entity
            return self._new(mention, "group", group=True, anonymous=True)
        # it
        for start, entity in reversed(self.recent):
            if start < position and entity.kind in ("organisation", "document", "unknown"):
                return entity
        return self._new(mention, "organisation")

    def _description(self, mention: Mention) -> Entity:
        head = mention.head_lemma
        head_word = mention.head.lower_
        if mention.definite:
            for entity in reversed(self.entities):
                if (head in entity.words or head_word in entity.words) and entity.group == mention.group:
                    return entity
            if mention.entity_kind == "person" and not mention.group:
                holder = self.role_holder(head_word, mention.start) or self.role_holder(head, mention.start)
                if holder is not None:
                    return self._named(holder, "person")
        elif mention.group:
            key = self._norm(mention.text)
            for entity in reversed(self.entities):
                if entity.key == key:
                    return entity
        named_inside = any(t.pos_ == "PROPN" and t.ent_type_ not in ("NORP", "GPE")
                           for t in mention.head.doc[self._token_of(mention.start): self._token_of(mention.end - 1) + 1])
        anonymous = mention.entity_kind in ("person", "group") and mention.name is None and not named_inside
        entity = self._new(mention, mention.entity_kind, name=mention.name, description=mention.description,
                           words={head, head_word}, group=mention.group, anonymous=anonymous,
                           key=self._norm(mention.text) if mention.group else "")
        return entity

    def resolve(self, mention: Mention, outer: Entity | None, top_level: bool) -> Entity:
        if mention.kind == "pronoun":
            entity = self._pronoun(mention, outer)
            if mention.pronoun in ("he", "she") and entity.gender is None:
                entity.gender = self.lexicon.pronouns[mention.pronoun].get("gender")
        elif mention.kind == "named":
            entity = self._named(mention.name or mention.text, mention.entity_kind, mention.description)
            if mention.description and not entity.description:
                entity.description = mention.description
            entity.words.add(mention.head_lemma)
            if mention.gender and entity.gender is None:
                entity.gender = mention.gender
            if mention.description:
                entity.words.update(w.lower() for w in re.findall(r"[\w-]+", mention.description))
        else:
            entity = self._description(mention)
        entity.mentions.append((mention.start, mention.end))
        if top_level:
            self.recent.append((mention.start, entity))
        return entity

    def note_speaker(self, position: int, entity: Entity) -> None:
        self.recent.append((position, entity))
