"""Resolve actor mentions in a parsed document to codes, sectors and entities.

Three kinds of evidence are combined, all found with spaCy's C-level matchers:
names from the knowledge files (countries, capitals, demonyms, organisations, people),
sector nouns ("junta", "agents", "lawyer") matched on lemmas, and spaCy's named
entities for people and organisations the files do not know. The dependency parse
attaches names to sector nouns ("Myanmar's junta", "North Korean agents") and
descriptions to people (titles, appositives, "who is ... ambassador"); a last pass
links definite descriptions, pronouns and "the two sides" to earlier mentions.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from legation.actors.gazetteer import gazetteer
from legation.actors.knowledge import NAME_PARTICLES, ActorKnowledge, Form, actor_knowledge, imported_key
from legation.actors.patterns import lemmatised_patterns
from legation.knowledge import load_yaml
from legation.records import Actor, TimeValue
from legation.timex.calendar import value_year

MODIFIER_DEPS = {"poss", "amod", "compound", "nmod", "npadvmod", "nummod"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout", "within"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}
SMALL_NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6}
_WORDS = load_yaml("actors/words.yaml") or {}  # word lists: data/actors/words.yaml
# role nouns whose sector comes from what modifies them ("opposition candidates" are OPP)
GENERIC_HEADS = frozenset(_WORDS.get("generic_heads", ()))
LANGUAGE_WORDS = frozenset(_WORDS.get("language_words", ()))  # "Spanish-language media": a language
PLACE_NOUNS = frozenset(_WORDS.get("place_nouns", ()))  # "the town of X": X is a place
MULTINATIONAL_WORDS = frozenset(_WORDS.get("multinational_words", ()))  # bodies above or between states
NATIONAL_BODY_HEADS = frozenset(_WORDS.get("national_body_heads", ()))  # a state's own bodies or its parties


@dataclass
class _Mention:
    start: int  # token offsets
    end: int
    code: str | None
    sector: str | None
    kind: str
    name: str | None = None
    entity: str | None = None
    role: str | None = None
    resolution: str = ""
    antecedent: int | None = None
    members: list[int] | None = None
    needs_context: bool = False  # a sector noun with no country of its own
    described: bool = False  # built around a sector noun ("Myanmar's junta"): can be an antecedent of "the junta"
    head_lemma: str | None = None
    definite: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class ActorResolver:
    """Built once per spaCy pipeline (the matchers hold its vocabulary)."""

    def __init__(self, nlp: Any, knowledge: ActorKnowledge | None = None):
        self.k = knowledge or actor_knowledge()
        self.nlp = nlp
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names.add("NAME", list(nlp.tokenizer.pipe(self.k.forms)))
        # names imported from the Phoenix dictionaries: matched whatever their case (the source writes
        # them in capitals) but kept only where written as a name, and only where no hand-written name
        # is. A trie of lower-case tokens, built once: tokenising 26,000 names with spaCy would add as
        # many lexemes to the vocabulary and seconds to every start
        self.imported_trie = _name_trie(self.k.imported_forms)
        self.untagged_names = Matcher(nlp.vocab)  # proper nouns the tagger gave no entity type
        self.untagged_names.add("UNTAGGED", [[{"POS": "PROPN", "ENT_TYPE": "", "IS_TITLE": True, "LENGTH": {">=": 5}}]])
        self.sectors = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.sector_by_lemma: dict[str, str] = {}
        # titles are capitalised before names ("President Chun", "Lawyer Kyee Myint"), and
        # spaCy keeps the case in their lemma: match both forms
        words = [(w, sector) for w, sector in self.k.sector_words.items()]
        words += [(w.title(), sector) for w, sector in words]
        # lemmas need the tagger (about 2 s for these words): computed once per pipeline and set of
        # words, then read from the user's cache folder (legation/actors/patterns.py)
        patterns = lemmatised_patterns(nlp, [w for w, _ in words])
        for (word, sector), pattern in zip(words, patterns):
            self.sector_by_lemma.setdefault(pattern.lemma_key, sector)
        for word, sector in self.k.sector_words.items():
            self.sector_by_lemma.setdefault(word.lower(), sector)
        self.sectors.add("SECTOR", [pattern.doc(nlp.vocab) for pattern in patterns])
        # and as written: a title in context may keep a lemma the pattern alone did not get
        self.sector_words_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.sector_words_lower.add("SECTOR", list(nlp.tokenizer.pipe(list(self.k.sector_words))))
        # offices that make a person of one country ("Sen.", "Republican"), longest first, and the
        # words that place a document in that country's politics
        self.office_titles = [(re.compile(r"(?<![\w.])" + re.escape(title) + r"(?![\w])"), office.code, sector)
                              for office in self.k.offices.values()
                              for title, sector in sorted(office.titles.items(), key=lambda ts: (-len(ts[0]), ts[0]))]
        # party labels as written ("Republican", "Democrats"): a group of that country's politics
        self.party_labels = {label: (office.code, sector) for office in self.k.offices.values()
                             for label, sector in sorted(office.labels.items())}
        self.label_context = {office.code: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in office.context if w not in office.labels) + r")\b")
                              for office in self.k.offices.values() if set(office.context) - set(office.labels)}
        self.office_context = {office.code: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in office.context) + r")\b")
                               for office in self.k.offices.values() if office.context}
        # references to earlier actors, found by their words (cheap) and checked on the parse
        self.refs = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.refs.add("PRONOUN", list(nlp.tokenizer.pipe(["he", "she", "him"])))
        self.refs.add("SUBJECT_PRONOUN", list(nlp.tokenizer.pipe(["it", "they"])))
        self.refs.add("THE_COUNTRY", list(nlp.tokenizer.pipe(["the country", "the nation"])))
        self.refs.add("TWO_SIDES", list(nlp.tokenizer.pipe([f"{a} {b}" for a in ("the two", "both", "the")
                                                             for b in ("sides", "countries", "nations", "governments", "leaders")])))
        self.refs.add("SEVERAL_STATES", list(nlp.tokenizer.pipe([f"the {n} {b}" for n in SMALL_NUMBERS
                                                                  for b in ("countries", "states", "nations", "governments")])))

    # ------------------------------------------------------------------------------
    def resolve(self, doc: Doc, times: Iterable[TimeValue] = (), published: str | None = None) -> list[Actor]:
        published_date = _to_date(published)
        dated = [(t.start, t.end, _value_date(t.value)) for t in times if t.type in ("DATE", "TIME")]
        dated = [d for d in dated if d[2] is not None]

        names = self._name_spans(doc)
        names = sorted(names + self._misspelled_names(doc, names), key=lambda sf: sf[0].start)
        sectors = filter_spans([Span(doc, s, e) for _, s, e in self.sectors(doc)]
                               + [Span(doc, s, e) for _, s, e in self.sector_words_lower(doc)])
        name_by_root = {span.root.i: (span, form) for span, form in names}
        consumed: set[int] = set()  # ids of name spans attached to a sector noun or person
        mentions: list[_Mention] = []
        main_country = self._main_country(doc, names)
        # countries whose politics the document is about: offices of these make a person theirs (with
        # no country named at all, any office's: "Gov. Jeb Bush said ...")
        text = doc.text  # Doc.text joins every token: build it once, not once per office code
        office_countries = {code for code in self.k.offices if code == main_country or main_country is None
                            or any(f.form_type == "subdivision" and f.code == code for _, f in names)
                            or (code in self.office_context and self.office_context[code].search(text))}
        # a party label counts on the same evidence less the labels themselves ("one Democrat in the
        # Kenyan parliament" does not make a document about American politics)
        label_countries = {code for code in office_countries if code == main_country or main_country is None
                           or any(f.form_type == "subdivision" and f.code == code for _, f in names)
                           or (code in self.label_context and self.label_context[code].search(text))}

        def ref_date(span: Span) -> date | None:
            sent = span.sent
            best: tuple[int, date] | None = None
            for start, end, when in dated:
                if sent.start_char <= start < sent.end_char:
                    distance = abs(start - span.start_char)
                    if best is None or distance < best[0]:
                        best = (distance, when)
            return best[1] if best else published_date

        name_token_set = {i for span, _ in names for i in range(span.start, span.end)}
        form_by_span = {(span.start, span.end): form for span, form in names}
        name_by_start = {span.start: (span, form) for span, form in names}
        sector_by_root = {span.root.i: span for span in sectors}
        person_roots: dict[int, Span] = {}
        for span, form in names:
            if form.kind == "person":
                person_roots[span.root.i] = span
        for ent in doc.ents:
            if any(i in name_token_set for i in range(ent.start, ent.end)):
                continue
            person = self._person_entity(ent)
            if person is not None:
                person_roots[person.root.i] = person

        # (1) people: known from the data, or described by the text
        for root_i, span in sorted(person_roots.items()):
            # names in a description ("Myanmar's ambassador") stay mentions of their own
            descriptors = self._descriptors(doc, span, name_by_root, sector_by_root)
            form = form_by_span.get((span.start, span.end))
            mention = self._person(span, form, descriptors, ref_date(span), main_country, office_countries)
            mentions.append(mention)
            consumed.add(id(span))

        person_token_set = {i for m in mentions for i in range(m.start, m.end)}
        # (2) organisations the files do not know, named after a country or place
        for ent in doc.ents:
            if ent.label_ != "ORG" or any(i in person_token_set for i in range(ent.start, ent.end)):
                continue
            inside = [name_by_start[i] for i in range(ent.start, ent.end) if i in name_by_start]
            if any(f.kind == "organisation" for _, f in inside):
                continue
            inside = [(s, f) for s, f in inside if s.end <= ent.end and f.code and f.kind in ("country", "location")
                      and id(s) not in consumed]
            if not inside or (len(inside) == 1 and inside[0][0].start == ent.start and inside[0][0].end == ent.end):
                continue  # the entity is just the country's name, tagged ORG
            if ent.end < len(doc) and (doc[ent.end].ent_type_ == "PERSON" or ent.end in {p.start for p in person_roots.values()}):
                continue  # "British Defence Secretary Tom King": a title, not an organisation
            span, form = inside[0]
            sector = next((self.sector_by_lemma.get(_lemma_key(x)) for x in sectors if ent.start <= x.start and x.end <= ent.end), None)
            for s_, _ in inside:
                consumed.add(id(s_))
            mentions.append(_Mention(ent.start, ent.end, form.code, sector, "organisation", name=ent.text,
                                     entity="org:" + re.sub(r"[^a-z0-9]+", "-", ent.text.lower()).strip("-"),
                                     resolution=f"unknown organisation named after {form.text}"))

        organisation_tokens = {i for m in mentions if m.kind == "organisation" for i in range(m.start, m.end)}
        # (3) sector nouns, with the names that modify them
        person_tokens = {i for s in person_roots.values() for i in range(s.start, s.end)}
        name_tokens = {i for span, _ in names for i in range(span.start, span.end)}
        for sector_span in sectors:
            if self._is_person_title(sector_span, person_tokens):
                continue
            if sector_span.root.pos_ == "ADJ":
                head = sector_span.root.head
                if head.tag_ not in ("NNS", "NNPS") or any(x.start <= head.i < x.end for x in sectors):
                    continue  # "military cooperation", "civilian government": a property, not an actor
            if all(i in name_tokens for i in range(sector_span.start, sector_span.end)):
                continue  # "Government" in "National Unity Government"
            if all(i in organisation_tokens for i in range(sector_span.start, sector_span.end)):
                continue  # "Parliament" in "Lithuanian Parliament"
            sector = self.sector_by_lemma.get(_lemma_key(sector_span)) or self.sector_by_lemma.get(_text_key(sector_span))
            if sector_span.root.lemma_.lower() in GENERIC_HEADS:
                for inner in sectors:
                    if inner.root.head.i == sector_span.root.i and inner.root.dep_ in ("compound", "amod"):
                        sector = self.sector_by_lemma.get(_lemma_key(inner)) or sector
            modifiers = self._modifier_names(sector_span, name_by_root)
            # "Myanmar's junta", "Indiana voters" (a state's people and officials act for its country)
            modifiers = [(s, f) for s, f in modifiers if f.kind in ("country", "organisation") or f.form_type == "subdivision"]
            if modifiers:
                for span, form in modifiers:
                    consumed.add(id(span))
                    if len(modifiers) == 1:
                        start, end = min(span.start, sector_span.start), max(span.end, sector_span.end)
                    else:
                        start, end = span.start, span.end
                    code = form.code
                    sector_here = sector
                    if form.form_type == "demonym" and span.start > 0 and doc[span.start - 1].lower_ == "ethnic":
                        # "ethnic Albanian guerrillas" in Macedonia: coded with the country they live in
                        code = self._home_country(span, form, names) or code
                    if form.kind == "organisation" and form.sector in ("OPP", "REB", "IGO", "NGO"):
                        sector_here = form.sector  # "NUG foreign minister" is opposition, not government
                    mentions.append(_Mention(start, end, code, sector_here, "group" if form.kind == "location" else form.kind,
                                             name=f"{form.name} {sector_span.root.lemma_}", entity=form.entity,
                                             resolution=f"{form.form_type} + sector noun", described=True,
                                             head_lemma=sector_span.root.lemma_.lower()))
            elif (label := self._party_label(sector_span, label_countries, name_tokens | person_tokens)) is not None:
                # "Democratic senators", "Republican leaders": members of that country's party
                token, code, label_sector = label
                sector_here = label_sector if sector_span.root.lemma_.lower() in GENERIC_HEADS or sector is None else sector
                mentions.append(_Mention(min(token.i, sector_span.start), sector_span.end, code, sector_here, "group",
                                         name=f"{token.text} {sector_span.root.lemma_}",
                                         resolution=f"label {token.text!r} ({code}) + sector noun", described=True,
                                         head_lemma=sector_span.root.lemma_.lower()))
            elif (bare := self.party_labels.get(_strip_article(sector_span.text))) is not None and bare[0] in label_countries:
                # "Congress" in a document about American politics (or naming no country)
                start = sector_span.start + (doc[sector_span.start].lower_ == "the")
                mentions.append(_Mention(start, sector_span.end, bare[0], sector or bare[1], "group",
                                         name=doc[start:sector_span.end].text, described=True,
                                         resolution=f"label {doc[start:sector_span.end].text!r} ({bare[0]})",
                                         head_lemma=sector_span.root.lemma_.lower()))
            else:
                first = doc[sector_span.start]
                det = next((c for c in sector_span.root.children if c.dep_ == "det"), None)
                definite = (det is not None and det.lower_ in ("the", "this", "that", "these", "those")) or first.lower_ == "the"
                mentions.append(_Mention(sector_span.start, sector_span.end, None, sector, "group",
                                         name=None, needs_context=True, head_lemma=sector_span.root.lemma_.lower(),
                                         definite=definite))

        # (4) names standing alone; "Bosnian Serbs", "Iraqi Kurds": a people named with the
        # country they live in is coded with that country
        for span, form in names:
            if id(span) in consumed or form.form_type != "demonym" or span.root.tag_ not in ("NNPS", "NNS"):
                continue
            home = next((name_by_root[c.i] for c in span.root.children if c.dep_ in ("amod", "compound")
                         and c.i in name_by_root and name_by_root[c.i][1].form_type == "demonym"
                         and name_by_root[c.i][1].code not in (None, form.code)), None)
            if home is None:
                # "Serbs in northern Kosovo": a people placed in another country lives there
                home = next((name_by_root[p.i] for prep in span.root.children if prep.dep_ == "prep" and prep.lower_ in ("in", "inside")
                             for p in prep.children if p.dep_ == "pobj" and p.i in name_by_root
                             and name_by_root[p.i][1].kind in ("country", "location")
                             and name_by_root[p.i][1].code not in (None, form.code)), None)
                if home is not None:
                    consumed.add(id(span))
                    mentions.append(_Mention(span.start, span.end, home[1].code, "CVL", "group",
                                             name=f"{form.name} people in {home[1].name}",
                                             resolution=f"{form.text} ({form.code}) living in {home[1].name}"))
                continue
            if home[0].end + 1 == span.start and doc[home[0].end].text == "-":
                # "Cuban-Americans", "Arab-Israelis": the head's nationals of the modifier's origin
                consumed.update({id(span), id(home[0])})
                mentions.append(_Mention(home[0].start, span.end, form.code, "CVL", "group",
                                         name=doc[home[0].start:span.end].text,
                                         resolution=f"{form.text} ({form.code}) of {home[1].name} origin"))
                continue
            if id(home[0]) not in consumed:
                consumed.update({id(span), id(home[0])})
                mentions.append(_Mention(home[0].start, span.end, home[1].code, "CVL", "group",
                                         name=f"{home[1].name} {form.name} people",
                                         resolution=f"{form.text} ({form.code}) living in {home[1].name}"))
        for span, form in names:
            if id(span) in consumed or form.kind in ("person",):
                continue
            sector = form.sector
            kind = form.kind
            if form.kind == "location" or (form.form_type == "capital" and self._is_locative(span)):
                kind, sector = "location", None  # "in Yangon": a place, kept for its country
            elif form.form_type == "demonym" and (span.root.tag_ in ("NNPS", "NNS") or span.root.dep_ not in ("amod", "compound")
                                                   or span.root.head.tag_ == "NNPS"):
                sector = "CVL"  # "Palestinians protested", "Bosnian Serbs": the people, not the state
            if form.form_type == "demonym" and span.start > 0 and doc[span.start - 1].lower_ == "ethnic":
                # an ethnic group is coded with the country it lives in, named elsewhere in the sentence
                home = self._home_country(span, form, names)
                if home:
                    mentions.append(_Mention(span.start - 1, span.end, home, "CVL", "group", name=f"ethnic {form.name}",
                                             resolution=f"ethnic group ({form.code}) living in {home}"))
                    continue
            if form.kind == "organisation" and form.entity in self.k.organisations:
                sector = self.k.organisations[form.entity].sector_at(ref_date(span))
            mentions.append(_Mention(span.start, span.end, form.code, sector, kind, name=form.name,
                                     entity=form.entity, resolution=form.form_type))

        mentioned = {i for m in mentions for i in range(m.start, m.end)}
        # the countries the document is about: named, through its states ("Florida"), or its known people
        named_codes = {f.code for _, f in names if f.code and (f.kind in ("country", "location") or f.form_type == "subdivision")}
        named_codes |= {m.code for m in mentions if m.kind == "person" and m.code and m.resolution.startswith("known person")}
        # surnames of the people named in full: "Palin" tagged a place is Sarah Palin, not a town
        person_words = {doc[m.end - 1].lower_ for m in mentions if m.kind == "person" and m.end - m.start > 1}
        # (5) named entities the files do not know
        for ent in doc.ents:
            if ent.label_ not in ("ORG", "NORP", "GPE", "LOC") or any(i in name_token_set for i in range(ent.start, ent.end)):
                continue
            acronym = self._acronym_after(doc, ent, name_by_start) if ent.label_ == "ORG" else None
            if acronym is not None:
                # "The International Labor Office (ILO)": the name is the body its acronym names; it
                # replaces sector nouns read inside it ("Office")
                mentions[:] = [m for m in mentions if not (m.needs_context and ent.start <= m.start and m.end <= ent.end)]
                if not any(m.start < ent.end and ent.start < m.end for m in mentions):
                    start = ent.start + (doc[ent.start].lower_ == "the")
                    mentions.append(_Mention(start, ent.end, acronym.code, acronym.sector, acronym.kind, name=acronym.name,
                                             entity=acronym.entity, resolution=f"named with its acronym {acronym.text}"))
                    mentioned.update(range(ent.start, ent.end))
                continue
            if any(i in mentioned for i in range(ent.start, ent.end)):
                continue
            label = self.party_labels.get(_strip_article(ent.text)) if ent.label_ in ("NORP", "ORG") else None
            if label is not None and label[0] in label_countries:
                # "One Republican threatened ...", "the Democrats": a party label standing alone
                start = ent.start + (doc[ent.start].lower_ == "the")
                mentions.append(_Mention(start, ent.end, label[0], label[1], "group", name=doc[start:ent.end].text,
                                         resolution=f"label {doc[start:ent.end].text!r} ({label[0]})"))
                continue
            if ent.label_ in ("GPE", "NORP"):
                guess = self.k.fuzzy_country(ent.text)
                if guess is not None:
                    kind = "location" if self._is_locative(ent) or guess.kind == "location" else "country"
                    sector = None if kind == "location" else ("CVL" if guess.form_type == "demonym" and ent.root.tag_ == "NNPS" else "GOV")
                    mentions.append(_Mention(ent.start, ent.end, guess.code, sector, kind, name=guess.name,
                                             resolution=f"spelling close to {guess.text!r}"))
                    continue
            if len(ent) == 1 and ent.root.lower_ in person_words and ent.label_ in ("GPE", "NORP", "LOC") \
                    and not self._is_locative(ent):
                mentions.append(_Mention(ent.start, ent.end, None, None, "person", name=ent.text,
                                         resolution="unresolved: the name of a person named in full"))
                continue
            if ent.label_ in ("GPE", "LOC") or self._is_locative(ent):  # "near the town of Samarra" (tagged NORP)
                state = name_by_start.get(ent.end + 1) if ent.end + 1 < len(doc) and doc[ent.end].text == "," else None
                if state is not None and state[1].form_type == "subdivision" and state[1].code:
                    # "Palm Beach, Florida", "Ancaster, Ontario": a town of the state's country
                    mentions.append(_Mention(ent.start, ent.end, state[1].code, None, "location", name=ent.text,
                                             resolution=f"town in {state[0].text} ({state[1].code})"))
                    continue
                place = gazetteer().lookup(_strip_article(ent.text), named_codes)
                if place is not None:
                    # a town the files do not list: kept as a place, for the country of what happens there
                    mentions.append(_Mention(ent.start, ent.end, place.code, None, "location", name=place.name,
                                             resolution=f"GeoNames city {place.name} ({place.code})"))
                    continue
                if ent.label_ == "LOC":
                    continue
            if ent.label_ == "GPE" and self._is_locative(ent):
                continue
            head = ent.root.lemma_.lower()
            multinational = doc[ent.start].lower_ in MULTINATIONAL_WORDS or doc[min(ent.start + 1, ent.end - 1)].lower_ in MULTINATIONAL_WORDS
            if ent.label_ == "ORG" and head in NATIONAL_BODY_HEADS and not multinational:
                # "the Economic and Financial Crimes Commission": a national body, placed by its context
                mentions.append(_Mention(ent.start, ent.end, None, self.sector_by_lemma.get(head), "organisation",
                                         name=ent.text, needs_context=True, head_lemma=head,
                                         entity="org:" + re.sub(r"[^a-z0-9]+", "-", ent.text.lower()).strip("-")))
                continue
            mentions.append(_Mention(ent.start, ent.end, None, None, "organisation" if ent.label_ == "ORG" else "group",
                                     name=ent.text, resolution=f"unresolved: {ent.label_} not in the knowledge files"))

        mentions.sort(key=lambda m: (m.start, -m.end))
        mentions = _dedupe(mentions)
        self._link_references(doc, mentions, main_country)
        return [self._to_actor(doc, m) for m in mentions]

    # ------------------------------------------------------------------------------
    def _person_entity(self, ent: Span) -> Span | None:
        """A person named by an entity: PERSON without a trailing "'s"; also an ORG that
        is really a title and a name ("Lawyer Kyee Myint")."""
        start, end = ent.start, ent.end
        doc = ent.doc
        while end > start and doc[end - 1].tag_ == "POS":
            end -= 1
        if ent.label_ == "PERSON":
            return doc[start:end] if end > start else None
        if ent.label_ == "ORG" and end - start >= 3 and doc[start].is_title:
            title_sector = self.sector_by_lemma.get(doc[start].lemma_.lower())
            if title_sector and all(t.is_title for t in doc[start + 1:end]):
                return doc[start + 1:end]
        return None

    def _name_spans(self, doc: Doc) -> list[tuple[Span, Form]]:
        spans = filter_spans([Span(doc, s, e) for _, s, e in self.names(doc)])
        plain_codes = set()
        out = []
        for span in spans:
            form = self.k.forms.get(span.text)
            if form is None:
                continue
            if form.ambiguous and span.root.ent_type_ == "PERSON" and _entity_length(span.root) > len(span):
                continue  # "Chad Smith", "Jordan Bardella"; a lone "Jordan" tagged PERSON stays the country
            if form.kind == "organisation" and form.ambiguous and not span.root.ent_type_:
                continue
            if form.form_type == "demonym" and span.end + 1 < len(doc) and doc[span.end].text == "-" \
                    and doc[span.end + 1].lower_ in LANGUAGE_WORDS:
                continue  # "Spanish-language media", "a Spanish-speaking son": a language, not a country
            if form.kind == "person" and len(span) == 1 and form.entity in self.k.people and _other_person(span, self.k.people[form.entity].name):
                continue  # "Bennett" in "Bill Bennett" is not Israel's Naftali Bennett
            out.append((span, form))
            if form.form_type != "context" and form.code:
                plain_codes.add(form.code)
        out = [(s, f) for s, f in out if f.form_type != "context" or set(f.when_also) & plain_codes]
        out = [(s, self._placed_people(s, f, out) if f.kind == "people" else f) for s, f in out]
        out = self._subdivision_readings(doc, out)
        imported = self._imported_spans(doc, out)
        if not imported:
            return out
        # an imported name replaces the place names inside it ("Aden" in "Aden Abyan Islamic Army")
        inside = {i for span, _ in imported for i in range(span.start, span.end)}
        out = [(s, f) for s, f in out if s.start not in inside]
        return sorted(out + imported, key=lambda sf: sf[0].start)

    def _imported_spans(self, doc: Doc, found: list[tuple[Span, Form]]) -> list[tuple[Span, Form]]:
        """Names from the imported (Phoenix) entries, written as a name (every word capitalised but
        particles, "Ban Ki-moon") or as an acronym in capitals. The hand-written names win: an
        imported name is kept only where it crosses none of them and holds none but country and
        place names, which it then replaces."""
        owner = {}
        for span, form in found:
            for i in range(span.start, span.end):
                owner[i] = (span, form)
        keys = _trie_matches(doc, self.imported_trie)
        candidates = [Span(doc, start, end) for start, end in keys]
        candidates += [doc[t.i:t.i + 1] for t in doc if t.is_upper and t.text in self.k.imported_acronyms]
        kept = []
        for span in candidates:
            hits = {owner[i] for i in range(span.start, span.end) if i in owner}
            if any(s.start < span.start or s.end > span.end or (s.start, s.end) == (span.start, span.end)
                   or f.kind not in ("country", "location") for s, f in hits):
                continue
            if _written_as_name(span):
                kept.append(span)
        out = []
        for span in filter_spans(kept):
            key = keys.get((span.start, span.end))
            form = self.k.imported_forms.get(key) if key else self.k.imported_acronyms.get(span.text)
            if form is not None:
                out.append((span, form))
        return out

    def _subdivision_readings(self, doc: Doc, names: list[tuple[Span, Form]]) -> list[tuple[Span, Form]]:
        """States and provinces (data/actors/subdivisions.yaml). A country's name that is also a
        subdivision of another country ("Georgia") is that subdivision where the document names
        another subdivision of it, names the homonymous country by none of its unambiguous forms,
        and the mention is not listed with countries ("Albania, Cyprus, Georgia, India").
        A place followed by ", <subdivision>" ("Lebanon, Pennsylvania") is a place there."""
        homonyms = self.k.homonym_subdivisions
        subdivisions = {(f.code, s.text) for s, f in names if f.form_type == "subdivision"}
        if not subdivisions:
            return names
        out = []
        for span, form in names:
            other = homonyms.get(span.text)
            if other is not None and form.kind == "country" and any(
                    code == other.code and text != span.text for code, text in subdivisions):
                supported = any(f.code == form.code and s.text not in homonyms and not f.ambiguous
                                for s, f in names)
                listed = {t.i for t in (span.root.head, *span.root.children, *span.root.head.children)
                          if (t.dep_ == "conj" or span.root.dep_ == "conj") and not span.start <= t.i < span.end}
                with_countries = any(s.root.i in listed and f.kind == "country" and s.text not in homonyms
                                     for s, f in names)
                if not supported and not with_countries:
                    form = other
            out.append((span, form))
        by_start = {s.start: (s, f) for s, f in out if f.form_type == "subdivision"}
        for k, (span, form) in enumerate(out):
            if form.kind in ("country", "location") and form.form_type != "subdivision" and span.end + 1 < len(doc) \
                    and doc[span.end].text == "," and span.end + 1 in by_start:
                code = by_start[span.end + 1][1].code
                out[k] = (span, Form(form.text, code, "location", "city", None, span.text))
        return out

    @staticmethod
    def _placed_people(span: Span, form: Form, names: list[tuple[Span, Form]]) -> Form:
        """"Kurdish fighters" near "Syria": a people is coded with the home its sentence names,
        else its primary home (none where news has no default)."""
        sentence = span.sent
        named = [(s, f) for s, f in names if f.code in form.homes and f.kind in ("country", "location")
                 and sentence.start <= s.start < sentence.end]
        # "Sri Lankan Tamils": the home right before them; else a place ("in northern Syria") before
        # a demonym ("Turkish troops"), the nearest first
        # a demonym elsewhere in the sentence ("the Indian peacekeeping force") places them only
        # when they have no primary home ("Kurdish prisoners in Turkish jails")
        if form.code:
            named = [sf for sf in named if sf[0].end == span.start or sf[1].form_type not in ("demonym", "people")]
        named.sort(key=lambda sf: (sf[0].end != span.start, sf[1].form_type in ("demonym", "people"),
                                   abs(sf[0].start - span.start)))
        code = named[0][1].code if named else form.code
        return Form(form.text, code, "country", "people", "CVL", form.name, None, (), False, form.homes)

    def _misspelled_names(self, doc: Doc, names: list[tuple[Span, Form]]) -> list[tuple[Span, Form]]:
        """Place and people entities the files know under another spelling ("Guatamalan rebel
        leaders", "Phillippines"): read as names, so they can modify sector nouns like any other."""
        taken = {i for span, _ in names for i in range(span.start, span.end)}
        out = []
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "NORP", "ORG") or any(i in taken for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "ORG" and len(ent) > 1:
                continue  # a one-word "organisation" is often a misspelt country ("Phillippines")
            guess = self.k.fuzzy_country(ent.text)
            if guess is not None and guess.kind == "country":
                out.append((ent, Form(ent.text, guess.code, guess.kind, guess.form_type, guess.sector, guess.name,
                                      guess.entity, (), False, guess.homes)))
        for _, start, _ in self.untagged_names(doc):
            # a misspelt country the tagger left untagged: "Ethopia has agreed ..."
            token = doc[start]
            if token.i in taken or token.dep_ not in ("nsubj", "nsubjpass", "pobj", "dobj", "poss"):
                continue
            guess = self.k.fuzzy_country(token.text)
            if guess is not None and guess.kind == "country" and guess.form_type in ("name", "alias"):
                out.append((doc[token.i:token.i + 1], Form(token.text, guess.code, guess.kind, guess.form_type, guess.sector,
                                                           guess.name, guess.entity, (), False, guess.homes)))
        return out

    def _main_country(self, doc: Doc, names: list[tuple[Span, Form]]) -> str | None:
        """The article's own country: the subject of its lead (news puts the protagonist
        first), else the country named most, weighted towards subjects."""
        sentences = list(doc.sents)[:2]
        lead_end = sentences[-1].end if sentences else 0
        for span, form in names:
            if span.start >= lead_end:
                break
            if form.kind == "country" and form.code and (
                    span.root.dep_ in ("nsubj", "nsubjpass") or (span.root.dep_ == "poss" and span.root.head.dep_ in ("nsubj", "nsubjpass"))):
                return form.code
        scores: Counter[str] = Counter()
        first_sentence_end = next(iter(doc.sents)).end if len(doc) else 0
        for span, form in names:
            if form.kind == "organisation" and form.code and len(form.code) == 3 and form.code not in ("UNO", "EUR", "IGO", "NGO"):
                scores[form.code] += 0.5  # "UNITA" says Angola when no country is named
            if form.form_type == "subdivision" and form.code:
                scores[form.code] += 0.5  # "Iowa", "Ohio": an article on that country
            if form.kind != "country" or not form.code:
                continue
            weight = 1
            if span.root.dep_ in SUBJECT_DEPS or span.root.head.dep_ in ("nsubj", "nsubjpass"):
                weight += 2
            if span.start < first_sentence_end:
                weight += 1
            scores[form.code] += weight
        return scores.most_common(1)[0][0] if scores else None

    def _modifier_names(self, sector_span: Span, name_by_root: dict[int, tuple[Span, Form]]) -> list[tuple[Span, Form]]:
        """Names modifying a sector noun: "Myanmar's junta", "North Korean agents",
        "the government of Myanmar", "Hungarian and Romanian officials"."""
        found: list[tuple[Span, Form]] = []
        heads = {t.i for t in sector_span}
        children = list(sector_span.root.children)
        if sector_span.root.dep_ in ("compound", "amod"):
            # the name may hang on the noun the sector word itself modifies
            children += [c for c in sector_span.root.head.children if c.i < sector_span.start and c.dep_ in MODIFIER_DEPS]
        for token in children:
            candidates = []
            if token.dep_ == "amod" and token.lemma_.lower() == "lead":
                # "Vietnamese-led forces", "NATO-led peacekeepers": the leader's forces
                candidates += [c for c in token.children if c.dep_ in ("npadvmod", "compound", "nmod", "amod")]
            if token.dep_ in MODIFIER_DEPS:
                candidates.append(token)
            elif token.dep_ == "prep" and token.lower_ in ("of", "from"):
                candidates += [c for c in token.children if c.dep_ == "pobj"]
            for candidate in candidates:
                deps = ("conj", "compound", "amod") if candidate.dep_ == "pobj" else ("conj", "compound")
                for node in [candidate] + [c for c in candidate.children if c.dep_ in deps]:
                    hit = name_by_root.get(node.i)
                    if hit and hit not in found:
                        found.append(hit)
        # names inside the sector span itself ("the Myanmar military")
        for i in range(sector_span.start, sector_span.end):
            hit = name_by_root.get(i)
            if hit is not None and hit[0].start >= sector_span.start and hit[0].end <= sector_span.end \
                    and hit not in found and hit[0].root.head.i in heads:
                found.append(hit)
        return found

    def _party_label(self, sector_span: Span, office_countries: set[str], taken: set[int]) -> tuple[Token, str, str] | None:
        """A party label modifying a sector noun ("Democratic senators"), of a country whose politics
        the document is about: the label's token, the country and the label's sector."""
        for child in sector_span.root.children:
            if child.dep_ in ("amod", "compound") and child.i not in taken and child.text in self.party_labels:
                code, sector = self.party_labels[child.text]
                if code in office_countries:
                    return child, code, sector
        return None

    def _is_person_title(self, sector_span: Span, person_tokens: set[int]) -> bool:
        root = sector_span.root
        if root.i in person_tokens:
            return True
        if root.dep_ in ("compound", "appos", "amod") and root.head.i in person_tokens:
            return True
        if root.dep_ == "appos" and any(t.i in person_tokens for t in root.head.subtree) and root.head.i in person_tokens:
            return True
        # "Moe Zaw Oo, deputy foreign minister of ...": appositive attached to the name
        head = root.head
        if root.dep_ in ("appos",) and head.i in person_tokens:
            return True
        # "X, who is also Myanmar's ambassador": attribute of a relative clause on a person
        if root.dep_ == "attr" and head.dep_ == "relcl" and head.head.i in person_tokens:
            return True
        return False

    def _descriptors(self, doc: Doc, span: Span, name_by_root: dict[int, tuple[Span, Form]],
                     sectors_by_root: dict[int, Span]) -> dict[str, Any]:
        """Titles, appositives and relative clauses that describe a person."""
        root = span.root
        nodes: list[Token] = []
        # titles before the name: "Lawyer Kyee Myint", "then-South Korean President Chun Doo-hwan"
        nodes += [t for t in doc[max(span.sent.start, span.start - 6):span.start] if t.head.i in range(span.start, span.end) or t.head.i == root.i]
        for child in root.children:
            if child.dep_ in ("appos", "compound", "amod"):
                nodes += list(child.subtree)
            if child.dep_ == "relcl":
                nodes += [t for a in child.children if a.dep_ in ("attr", "acomp") for t in a.subtree]
        if root.dep_ == "appos":  # "General Ne Win, Myanmar's president": the name as appositive
            nodes += [t for t in root.head.subtree if t.i < span.start or t.i >= span.end][:12] if root.head.pos_ == "NOUN" else []
        node_ids = {t.i for t in nodes}
        # a destination ("ambassador to China", "envoy to Pyongyang") is not the person's country
        excluded = {t.i for t in nodes if t.dep_ == "prep" and t.lower_ in ("to", "in", "with", "at")
                    for t in t.subtree}
        titles = [sectors_by_root[i] for i in sorted(node_ids) if i in sectors_by_root]
        names_in = [name_by_root[i] for i in sorted(node_ids) if i in name_by_root and i not in excluded
                    and name_by_root[i][1].kind in ("country", "organisation") and not _overlaps(name_by_root[i][0], span)]
        text = doc[min([span.start] + list(node_ids)):span.start].text.lower()
        # the whole description, for offices: "Republican presidential candidate", "the Texas senator"
        described = {t.i for t in nodes} | {d.i for t in nodes if t.i < span.start for d in t.subtree if d.i < span.start}
        described -= excluded
        return {"titles": titles, "names": names_in,
                "former": bool(re.search(r"\bformer\b|\bex-", text)),
                "description": " ".join(doc[i].lower_ for i in sorted(described))}

    def _office(self, descriptors: dict[str, Any], office_countries: set[str]) -> tuple[str, str, str] | None:
        """The country, sector and title of an office in a person's description ("Sen.", "Republican
        presidential candidate"), where the text names no country or body for them and the document
        is about that country's politics (data/actors/offices.yaml)."""
        if not office_countries or descriptors["names"] or not descriptors.get("description"):
            return None
        for pattern, code, sector in self.office_titles:
            if code in office_countries:
                found = pattern.search(descriptors["description"])
                if found:
                    return code, sector, found.group(0)
        return None

    def _person(self, span: Span, form: Form | None, descriptors: dict[str, Any], when: date | None,
                main_country: str | None, office_countries: set[str] = frozenset()) -> _Mention:
        title_sector = None
        title = None
        for title_span in descriptors["titles"]:
            title_sector = self.sector_by_lemma.get(_lemma_key(title_span)) or self.sector_by_lemma.get(_text_key(title_span)) or title_sector
            title = title_span.text
        org = next((f for _, f in descriptors["names"] if f.kind == "organisation"), None)
        country = next((f for _, f in descriptors["names"] if f.kind == "country"), None)
        office = self._office(descriptors, office_countries)
        # a one-word name of a known person ("Bennett") may be another person named in full earlier
        weak = {"weak": "alias"} if len(span) == 1 else {}
        if form is not None and form.entity in self.k.people and office is not None and self.k.people[form.entity].strict \
                and not any(r.country == office[0] for r in self.k.people[form.entity].roles):
            form = None  # an imported entry of another country: the office the text gives wins
        if form is not None and form.entity in self.k.people:
            person = self.k.people[form.entity]
            role = person.role_at(when, former=descriptors["former"])
            titled = [r for r in person.roles if r.sector == title_sector or title_sector in r.also]
            if title_sector and role is not None and role.sector != title_sector and titled:
                role = min(titled, key=lambda r: abs(((r.start or date.min) - (when or date.max)).days) if when else 0)
            if country is not None and role is not None and role.country != country.code:
                # "Soviet Foreign Minister Eduard Shevardnadze": the role the description names
                there = [r for r in person.roles if r.country == country.code]
                if there:
                    role = max(there, key=lambda r: r.start or date.min) if when is None else min(
                        there, key=lambda r: abs(((r.start or date.min) - when).days))
            if org is not None and org.code in ("UNO", "IGO", "EUR", "NGO") and role is not None and not any(
                    r.country == org.code for r in person.roles):
                # "U.N. envoy Cyrus Vance": acting for the organisation the title names
                return _Mention(span.start, span.end, org.code, "GOV" if org.code != "NGO" else "NGO", "person",
                                name=person.name, entity=person.entity, role=title,
                                resolution=f"known person acting for {org.name}")
            if role is not None:
                return _Mention(span.start, span.end, role.country, role.sector, "person", name=person.name,
                                entity=person.entity, role=role.role,
                                resolution=f"known person; role on {when.isoformat() if when else 'latest'}", extra=weak)
        # unknown to the data: what the text says about them
        code = sector = None
        how = []
        if office is not None and org is None and country is None:
            code, sector = office[0], title_sector or office[1]
            how.append(f"office {office[2]!r} ({office[0]})")
        if org is not None:
            code, sector = org.code, (org.sector if org.sector in ("OPP", "REB", "NGO", "IGO", "ACT", "PTY") else title_sector or org.sector)
            how.append(f"member of {org.name}")
        if country is not None and code is None:
            code = country.code
            how.append(f"{country.form_type} {country.text}")
        weak = {}
        if code is None and len(span) <= 2:
            shared = self.k.surname_country(span[-1].text, span[0].text if len(span) == 2 else None)
            first_name = len(span) == 2 and shared is not None
            if shared is None and len(span) == 2:  # "Hillary Clinton": the surname alone, with support
                shared = self.k.surname_country(span[-1].text)
            if shared is not None:
                roles = [r for p in shared[1] for r in p.roles if title_sector is None or r.sector == title_sector]
                # a bare surname is one of them only with some support: their first name, a title
                # their roles share, or their country as the article's, or no country named at all
                # ("Christie" in US news is not the Bahamas' prime minister; "Cruz" is not Cuba's)
                if first_name or (title_sector is not None and roles) or main_country in (None, shared[0]):
                    code = shared[0]
                    sector = title_sector or (roles[0].sector if roles else None)
                    how.append(f"surname shared by known people of {code}")
                    weak = {"weak": "surname"} if len(span) == 1 else {}
        if sector is None:
            sector = title_sector
            if title:
                how.append(f"title {title!r}")
        if code is None and sector is not None and main_country:
            code = main_country
            how.append("country of the article")
        entity = "person:" + re.sub(r"[^a-z0-9]+", "-", span.text.lower()).strip("-")
        resolution = "described in text: " + ", ".join(how) if how else "unresolved: unknown person, no role or country in the text"
        return _Mention(span.start, span.end, code, sector, "person", name=span.text, entity=entity, role=title,
                        resolution=resolution, extra=weak)

    def _is_locative(self, span: Span) -> bool:
        head = span.root.head
        if span.root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
            return True  # "near the town of Samarra"
        return span.root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS

    # ------------------------------------------------------------------------------
    def _link_references(self, doc: Doc, mentions: list[_Mention], main_country: str | None) -> None:
        """Definite descriptions, bare sector nouns, pronouns, "the two sides", "the country"."""
        starts = [sent.start for sent in doc.sents]

        def sent_start(i: int) -> int:
            return starts[bisect.bisect_right(starts, i) - 1] if starts else 0
        # named people with the same name later ("Min Aung Hlaing" after "Senior Gen. Min Aung Hlaing")
        by_name: dict[str, int] = {}
        named: list[tuple[list[str], int]] = []  # people named in full so far: (lower-case words, index)
        for i, m in enumerate(mentions):
            if m.kind == "person" and m.extra.get("weak"):
                # a one-word name read only from the data ("Cruz" shared with Cuba's prime minister,
                # "Bennett" an alias of Israel's Bennett): the person named in full with it earlier, if
                # any, the last one with a code first. Named with no code, they still are not the
                # known person; a surname guess the article's country supports stays
                word = doc[m.start:m.end].text.lower()
                others = [j for words, j in named if word in words and mentions[j].entity != m.entity]
                if others:
                    j = next((j for j in reversed(others) if mentions[j].code), others[-1])
                    first = mentions[j]
                    if first.code is not None or m.extra["weak"] == "alias":
                        m.code, m.sector, m.entity, m.antecedent = first.code, first.sector, first.entity, j
                        m.name, m.role = first.name, first.role
                        m.resolution = "coreference: same person as an earlier mention"
                        continue
            if m.kind == "person" and len(doc[m.start:m.end]) > 1:
                named.append(([t.lower_ for t in doc[m.start:m.end]], i))
            if m.kind == "person" and m.name:
                key = m.name.lower()
                earlier = by_name.get(key) or next((j for n, j in by_name.items() if key in n.split(" ") or (len(key) > 3 and n.endswith(" " + key))), None)
                if earlier is not None and m.code is None and mentions[earlier].code is not None:
                    first = mentions[earlier]
                    m.code, m.sector, m.entity, m.antecedent = first.code, first.sector, first.entity, earlier
                    m.resolution = "coreference: same person as an earlier mention"
                if key not in by_name or (m.code is not None and mentions[by_name[key]].code is None):
                    by_name[key] = i  # the first mention of a name, or its first with a code
        # a one-word name still without a code, before its full name ("Clinton said ..." in a headline):
        # the first person named in full with that word who has one
        coded_full: dict[str, int] = {}
        for j, other in enumerate(mentions):
            if other.kind == "person" and other.code and other.end - other.start > 1:
                for token in doc[other.start:other.end]:
                    coded_full.setdefault(token.lower_, j)
        for i, m in enumerate(mentions):
            if m.kind == "person" and m.code is None and m.end - m.start == 1 and doc[m.start].lower_ in coded_full:
                j = coded_full[doc[m.start].lower_]
                if mentions[j].entity != m.entity or m.entity is None:
                    first = mentions[j]
                    m.code, m.sector, m.entity, m.antecedent = first.code, first.sector, first.entity, j
                    m.resolution = "coreference: same person as a later mention"
        place_in_sentence: dict[int, int] = {}  # the first coded place of each sentence
        for j, other in enumerate(mentions):
            if other.kind == "location" and other.code:
                place_in_sentence.setdefault(sent_start(other.start), j)
        coded_at = {t: j for j, m in enumerate(mentions) if m.code and m.kind in ("country", "location", "organisation")
                    for t in range(m.start, m.end)}
        person_at = {t: j for j, m in enumerate(mentions) if m.code and m.kind == "person" for t in range(m.start, m.end)}
        for i, m in enumerate(mentions):
            if not m.needs_context:
                continue
            span = doc[m.start:m.end]
            owner = next((person_at[c.i] for c in span.root.children if c.dep_ in ("compound", "poss") and c.i in person_at), None)
            if owner is not None:
                # "the George W. Bush administration", "Clinton aides": the person's country
                m.code = mentions[owner].code
                m.entity = m.entity or f"mention:{m.start}"
                m.resolution = "context: the person it belongs to"
                continue
            place, preposition = self._place_modifier(span, coded_at)
            if place is not None and preposition == "from" and self._sentence_agent(doc, span, mentions, i) is not None:
                place = None  # "the withdrawal of forces from Panama" by the United States: a direction, not an origin
            if place is not None:
                m.code = mentions[place].code
                m.entity = m.entity or f"mention:{m.start}"
                m.resolution = "context: the place the group is in or from"
                continue
            antecedent = None
            if m.head_lemma:
                antecedent = next((j for j in range(i - 1, max(-1, i - 200), -1) if mentions[j].head_lemma == m.head_lemma), None)
                if antecedent is None and m.definite:
                    for j in range(i - 1, -1, -1):
                        other = mentions[j]
                        if other.start < sent_start(span.start) - 120:
                            break
                        if other.sector == m.sector and other.code and other.described:
                            antecedent = j
                            break
            if antecedent is not None and (mentions[antecedent].code or mentions[antecedent].needs_context):
                other = mentions[antecedent]
                m.code = other.code
                m.entity = other.entity or f"mention:{other.start}"
                m.antecedent = antecedent
                m.resolution = "coreference: " + ("same description" if other.head_lemma == m.head_lemma else "same sector")
                continue
            agent = self._sentence_agent(doc, span, mentions, i)
            place = place_in_sentence.get(sent_start(m.start)) if agent is None and not main_country else None
            if agent is not None:
                m.code = mentions[agent].code
                m.antecedent = agent
                m.resolution = "context: country acting in the same sentence"
            elif place is not None:
                m.code = mentions[place].code
                m.resolution = "context: the place the sentence names"
            elif main_country:
                m.code = main_country
                m.resolution = "context: country of the article"
            else:
                m.resolution = "unresolved: sector noun with no country in the text"
            m.entity = m.entity or f"mention:{m.start}"
        # pronouns, "the two sides", "the country"
        extra: list[_Mention] = []
        covered = {i for m in mentions for i in range(m.start, m.end)}
        starts_list = [m.start for m in mentions]
        for match_id, start, end in self.refs(doc):
            label = self.nlp.vocab.strings[match_id]
            if start in covered:
                continue
            if label in ("PRONOUN", "SUBJECT_PRONOUN") and doc[start].pos_ != "PRON":
                continue
            if label == "SUBJECT_PRONOUN" and doc[start].dep_ not in ("nsubj", "nsubjpass"):
                continue
            upto = bisect.bisect_left(starts_list, start)
            before = [j for j in range(max(0, upto - 80), upto) if mentions[j].end <= start]
            if label == "PRONOUN":
                j = next((j for j in reversed(before) if mentions[j].kind == "person"
                          and sent_start(start) - sent_start(mentions[j].start) < 600), None)
                if j is not None:
                    a = mentions[j]
                    extra.append(_Mention(start, end, a.code, a.sector, "person", name=a.name, entity=a.entity,
                                          role=a.role, antecedent=j, resolution="coreference: pronoun"))
            elif label == "TWO_SIDES":
                pair = self._two_sides(doc, mentions, before)
                if len(pair) == 2:
                    extra.append(_Mention(start, end, None, None, "group", name=" and ".join(
                        sorted(self.k.country_names.get(mentions[p].code, mentions[p].code) for p in pair)),
                        members=sorted(pair), resolution="coreference: the two actors just mentioned"))
            elif label == "SEVERAL_STATES":
                size = SMALL_NUMBERS[doc[start + 1].lower_]
                members = self._listed_group(doc, mentions, before, size)
                if members:
                    extra.append(_Mention(start, end, None, None, "group", name=", ".join(
                        self.k.country_names.get(mentions[p].code, mentions[p].code) for p in members),
                        members=members, resolution=f"coreference: the {size} actors listed before"))
            elif label == "SUBJECT_PRONOUN":
                # "Syria says it will withdraw", "The rebels said they will release": the last
                # collective actor in this or the previous sentence
                plural = doc[start].lower_ == "they"
                here = sent_start(start)
                previous_start = sent_start(here - 1) if here > 0 else here
                j = next((j for j in reversed(before) if mentions[j].code and mentions[j].kind in ("country", "organisation", "group")
                          and mentions[j].start >= previous_start
                          and (plural or mentions[j].kind != "group" or doc[mentions[j].end - 1].tag_ in ("NN", "NNP"))), None)
                if j is not None:
                    a = mentions[j]
                    extra.append(_Mention(start, end, a.code, a.sector, a.kind, name=a.name, entity=a.entity,
                                          antecedent=j, resolution="coreference: pronoun"))
            elif label == "THE_COUNTRY":
                j = next((j for j in reversed(before) if mentions[j].kind == "country" and mentions[j].code), None)
                code = mentions[j].code if j is not None else main_country
                extra.append(_Mention(start, end, code, "GOV", "country", name=self.k.country_names.get(code or "", None),
                                      antecedent=j, resolution="coreference: the country"))
        if extra:
            # members/antecedents index the original list; keep them stable by appending in order
            mentions.extend(extra)

    @staticmethod
    def _listed_group(doc: Doc, mentions: list[_Mention], before: list[int], size: int) -> list[int]:
        """"The four countries": the last coordinated list of exactly that many named actors
        ("Saudi Arabia, the UAE, Bahrain and Egypt")."""
        by_token = {t: j for j in before for t in range(mentions[j].start, mentions[j].end)
                    if mentions[j].code and mentions[j].kind == "country"}
        for j in reversed(before):
            if j not in by_token.values():
                continue
            head = doc[mentions[j].start:mentions[j].end].root
            if head.dep_ in ("conj", "appos"):
                continue  # start from the first item of a list
            items, stack = [j], [head]
            while stack:
                node = stack.pop()
                for child in node.children:
                    if child.dep_ in ("conj", "appos") and child.i in by_token:
                        if by_token[child.i] not in items:
                            items.append(by_token[child.i])
                        stack.append(child)
            if len(items) == size:
                return sorted(items)
        return []

    @staticmethod
    def _two_sides(doc: Doc, mentions: list[_Mention], before: list[int]) -> list[int]:
        """"The two sides": the last actor named and the subject acting with it, or failing a
        subject, the last two distinct actors ("Nicaragua severed ties with Taiwan and recognised
        China, and the two governments ..." is Nicaragua and China)."""
        coded = [j for j in before if mentions[j].code and mentions[j].kind in ("country", "organisation", "person")][-12:]
        if not coded:
            return []
        last = coded[-1]
        for j in reversed(coded[:-1]):
            other = mentions[j]
            if other.code != mentions[last].code and doc[other.start:other.end].root.dep_ in ("nsubj", "nsubjpass"):
                return [j, last]
        pair = [last]
        for j in reversed(coded[:-1]):
            if mentions[j].code not in {mentions[p].code for p in pair}:
                pair.append(j)
                break
        return pair

    @staticmethod
    def _acronym_after(doc: Doc, ent: Span, name_by_start: dict[int, tuple[Span, Form]]) -> Form | None:
        """The known organisation in parentheses right after an entity: "... Office (ILO)"."""
        if ent.end + 2 >= len(doc) or doc[ent.end].text != "(" or doc[ent.end + 2].text != ")":
            return None
        span, form = name_by_start.get(ent.end + 1, (None, None))
        return form if span is not None and span.end == ent.end + 2 and form.kind == "organisation" and form.code else None

    @staticmethod
    def _home_country(span: Span, form: Form, names: list[tuple[Span, Form]]) -> str | None:
        """The first other country or place named in the sentence of an ethnic group."""
        return next((f.code for s_, f in names if f.kind in ("country", "location") and f.code and f.code != form.code
                     and s_.sent.start == span.sent.start), None)

    @staticmethod
    def _place_modifier(span: Span, coded_at: dict[int, int]) -> tuple[int | None, str]:
        """"Demonstrators in Baghdad", "doctors from two American aid groups": a group noun
        placed by its own prepositional phrase takes that place's country."""
        for prep in span.root.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "from", "inside", "near", "outside", "around"):
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                words = [pobj] + [c for c in pobj.children if c.dep_ in ("compound", "amod", "nmod", "poss")]
                found = next((coded_at[w.i] for w in words if w.i in coded_at), None)
                if found is not None:
                    return found, prep.lower_
        return None, ""

    def _sentence_agent(self, doc: Doc, span: Span, mentions: list[_Mention], index: int) -> int | None:
        """A country acting earlier in the same sentence ("North Korea's attack ... when agents ...")."""
        sent = span.sent
        for j in range(index - 1, -1, -1):
            other = mentions[j]
            if other.start < sent.start:
                break
            if other.code in self.k.country_names and other.kind in ("country", "organisation") \
                    and doc[other.start:other.end].root.dep_ in SUBJECT_DEPS:
                return j  # a state's: a body of several states ("the United Nations") has no people of its own
        return None

    def _to_actor(self, doc: Doc, m: _Mention) -> Actor:
        span = doc[m.start:m.end]
        name = m.name
        if name is None and m.code:
            label = span.root.lemma_.lower()
            name = f"{self.k.country_names.get(m.code, m.code)} {label}"
        return Actor(text=span.text, start=span.start_char, end=span.end_char, code=m.code, sector=m.sector,
                     name=name, entity=m.entity, role=m.role, kind=m.kind, resolution=m.resolution,
                     antecedent=m.antecedent, members=m.members)


def _lemma_key(span: Span | Doc) -> str:
    return " ".join(t.lemma_.lower() for t in span)


def _text_key(span: Span | Doc) -> str:
    return " ".join(t.lower_ for t in span)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _dedupe(mentions: list[_Mention]) -> list[_Mention]:
    """Drop a mention nested inside a longer one that already covers it."""
    out: list[_Mention] = []
    for m in mentions:
        if out and out[-1].start <= m.start and m.end <= out[-1].end and (out[-1].code or not m.code):
            continue
        out.append(m)
    return out


def _to_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _value_date(value: str | None) -> date | None:
    """First day of the period a TIMEX3 value names (year, month or day precision)."""
    if not value:
        return None
    year = value_year(value)
    if year is None:
        return None
    match = re.match(r"^\d{4}-(\d{2})(?:-(\d{2}))?", value)
    if match:
        try:
            return date(year, int(match.group(1)), int(match.group(2) or 1))
        except ValueError:
            return date(year, 1, 1)
    return date(year, 1, 1)


def _other_person(span: Span, known_name: str) -> bool:
    """A one-word name inside a longer PERSON entity whose other words are not in the known
    person's name: "Bill Bennett" is not Naftali Bennett; "Vladimir V. Putin" is Vladimir Putin."""
    for ent in span.doc.ents:
        if ent.label_ == "PERSON" and ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
            known = {w.lower().strip(".") for w in known_name.replace("-", " ").split()}
            others = [t for t in ent if not (span.start <= t.i < span.end) and t.is_alpha and len(t.text) > 1]
            return bool(others) and not any(t.lower_ in known for t in others)
    return False


def _entity_length(token: Token) -> int:
    """Length in tokens of the named entity ``token`` belongs to (0 outside any)."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return len(ent)
    return 0


_NAME_SPLIT = re.compile(r"(?<=[^\W\d_])(-)(?=[^\W\d_])|([&/,()])")
_TRIE_END = ""  # key of the name a trie node completes


def _name_tokens(text: str) -> list[str]:
    """The lower-case tokens of a name as spaCy's English tokenizer splits a name: at spaces, at
    a hyphen between letters ("Ki-moon": ki, -, moon), around & / , and brackets."""
    out = []
    for piece in text.split():
        out += [part.lower() for part in _NAME_SPLIT.split(piece) if part]
    return out


def _name_trie(forms: dict[str, Form]) -> dict:
    """A trie of lower-case name tokens; the node that completes a name holds its key."""
    root: dict = {}
    for key, form in sorted(forms.items()):
        node = root
        for token in _name_tokens(_strip_article(form.text)):
            node = node.setdefault(token, {})
        node.setdefault(_TRIE_END, key)
    return root


def _trie_matches(doc: Doc, trie: dict) -> dict[tuple[int, int], str]:
    """The longest name starting at each capitalised token: (start, end) -> name key."""
    found: dict[tuple[int, int], str] = {}
    lowers = [t.lower_ for t in doc]
    n = len(lowers)
    for i, token in enumerate(doc):
        node = trie.get(lowers[i])
        if node is None or not token.text[:1].isupper():
            continue
        best = None
        j = i + 1
        while True:
            if _TRIE_END in node:
                best = (j, node[_TRIE_END])
            if j >= n:
                break
            node = node.get(lowers[j])
            if node is None:
                break
            j += 1
        if best is not None:
            found[(i, best[0])] = best[1]
    return found


def _written_as_name(span: Span) -> bool:
    """Every word capitalised, except particles ("Javier de Cuellar", "Army of God") and the
    part after a hyphen ("Ban Ki-moon")."""
    for token in span:
        if not token.is_alpha or token.lower_ in NAME_PARTICLES:
            continue
        if token.i > span.start and token.nbor(-1).text == "-":
            continue
        if not token.text[0].isupper():
            return False
    return True


def _strip_article(text: str) -> str:
    return text[4:] if text[:4].lower() == "the " else text
