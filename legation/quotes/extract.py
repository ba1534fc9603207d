"""Quotes and their speakers from a parsed document.

The text is scanned once for quotation marks (:mod:`legation.quotes.marks`) and the
tokens once for cue words (``quote_cues.yaml``); only the cue sentences' dependency
parses are read after that. A quotation becomes a direct quote when

1. a speech verb's reported clause (``ccomp``) lies inside it (`"...," he said`,
   `warning that Myanmar could "become like North Korea"`), or
2. a speech verb and its subject follow it (`"...," said the analyst`) or come right
   before it with a colon or comma (`He told reporters: "..."`; the second half of a
   split quote), or
3. a characterisation verb governs it (`called the move "a huge insult"`,
   `described the talks as "constructive"`), or
4. it is a whole sentence with no cue right after another quote, whose speaker it
   inherits (``cue`` None).

A speech or belief verb whose reported clause lies outside quotation marks, or
"according to X", gives an indirect quote whose content is that clause; quoted
phrases inside it make it ``partial``. Any other quotation (scare quotes, titles,
nicknames) is not a quote.

As PolNeAR annotates it, one attribution's content may come in pieces: the halves of a
quotation split by its speech tag (`"...," she said, "..."`) and the quotations that
continue a quote with no cue of their own make one record, whose ``segments`` are the
pieces and whose ``start``/``end`` span them all.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from legation.quotes.attribution import AttributionRules, coarse_pos, content_relation_labels, default_rules
from legation.quotes.cues import QuoteLexicon, default_lexicon
from legation.quotes.marks import DOUBLE_CLOSE, DOUBLE_OPEN, QUOTE_CHARS, SINGLE_CLOSE, SINGLE_OPEN, QuoteSpan, scan_quotes
from legation.quotes.speakers import Entity, EntityResolver, Mention, build_mention, find_anonymity, mention_tokens, paragraph_bounds, relative_antecedent
from legation.records import Quote, Speaker

_OPENING = DOUBLE_OPEN + SINGLE_OPEN + "\"'(["
_CLOSING = DOUBLE_CLOSE + SINGLE_CLOSE + "\"')]"
_SEPARATORS = {",", "—", "–", "-", "--", "…", "..."}
_GOVERNED_DEPS = {"oprd", "dobj", "xcomp", "ccomp", "attr", "acomp", "npadvmod", "advcl", "appos", "conj"}
_REFLEXIVE = {"itself", "himself", "herself", "themselves", "ourselves", "myself", "yourself"}
_CONTINUATION_GAP = re.compile(r"[^.!?\n“”\"]*[.!?…]?[”\"’']?\s*")


@dataclass
class Cue:
    token: Any
    kind: str  # speech | belief | character | according
    speaker: Any | None  # head token of the speaker mention
    content_head: Any | None
    text: str
    start: int
    end: int
    inverted: bool = False  # the cue is a parenthetical inside its content ("X, he said, is ...")


@dataclass
class _Candidate:
    start: int
    end: int
    direct: bool
    partial: bool
    cue: Cue | None
    span: int | None = None
    previous: "_Candidate | None" = None
    mention: Mention | None = None
    entity: Entity | None = None
    outer: "_Candidate | None" = None
    how: str = ""
    pieces: list[tuple[int, int]] | None = None  # when the cue sits inside the content ("X, he said, is ...")

    @property
    def reach(self) -> int:
        """Where the quote and its attribution end in the text."""
        ends = [self.end]
        if self.cue is not None:
            ends.append(self.cue.end)
        if self.mention is not None:
            ends.append(self.mention.end)
        return max(ends)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


class QuoteExtractor:
    """Extract quotes from one parsed document; see the module docstring."""

    def __init__(self, doc: Any, actors: list[Any] | None = None, lexicon: QuoteLexicon | None = None,
                 rules: AttributionRules | None = None):
        self.doc = doc
        self.text: str = doc.text
        self.lex = lexicon or default_lexicon()
        self.rules = rules if rules is not None else default_rules()
        self.actors = sorted((a for a in actors or [] if _get(a, "start") is not None and _get(a, "end") is not None),
                             key=lambda a: _get(a, "start"))
        self._actor_starts = [_get(a, "start") for a in self.actors]
        self._longest_actor = max((_get(a, "end") - _get(a, "start") for a in self.actors), default=0)
        self.spans: list[QuoteSpan] = scan_quotes(self.text)
        self.starts = [t.idx for t in doc]
        self.innermost: dict[int, int] = {}
        for k, span in enumerate(self.spans):  # parents come first, children overwrite
            first = bisect.bisect_left(self.starts, span.start)
            last = bisect.bisect_left(self.starts, span.end)
            for i in range(first, last):
                self.innermost[i] = k
        self.cues: list[Cue] = []
        self.cue_at: dict[int, Cue] = {}
        self._find_cues()
        self.cue_index = [c.token.i for c in self.cues]

    # ------------------------------------------------------------------ helpers
    def _chain(self, i: int) -> list[int]:
        """Quotation spans containing token ``i``, innermost first."""
        k = self.innermost.get(i)
        chain = []
        while k is not None:
            chain.append(k)
            k = self.spans[k].parent
        return chain

    def _container(self, i: int) -> int | None:
        return self.innermost.get(i)

    def _token_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def _span_tokens(self, k: int) -> range:
        span = self.spans[k]
        return range(bisect.bisect_left(self.starts, span.start), bisect.bisect_left(self.starts, span.end))

    # ------------------------------------------------------------------ cues
    def _find_cues(self) -> None:
        doc, lex = self.doc, self.lex
        n = len(doc)
        rules = self.rules
        self._rule_tokens: list[tuple[Any, dict[str, Any]]] = []
        for token in doc:
            lemma = token.lemma_.lower()
            by_relation = rules.for_lemma(lemma, token.pos_)
            if by_relation is not None:
                self._rule_tokens.append((token, by_relation))
            cue = None
            if lemma in lex.cue_lemmas and token.tag_.startswith("VB"):
                cue = self._verb_cue(token, lemma)
            elif token.lower_ == "according" and token.i + 1 < n and doc[token.i + 1].lower_ == "to":
                cue = self._according_cue(token)
            elif token.lower_ == "in" and token.dep_ == "prep" and lex.source_nouns:
                cue = self._in_source_cue(token)
            if cue is not None:
                self.cues.append(cue)
                self.cue_at[token.i] = cue

    def _verb_cue(self, token: Any, lemma: str) -> Cue | None:
        lex, doc = self.lex, self.doc
        kind = "speech" if lemma in lex.speech_verbs else "belief" if lemma in lex.belief_verbs else "character"
        end = token.idx + len(token)
        text = token.text
        particle = lex.phrasal_particles.get(lemma)
        if particle is not None:
            prt = next((c for c in token.children if c.dep_ == "prt" and c.lower_ == particle), None)
            if prt is None:
                return None
            end = prt.idx + len(prt)
            text = self.text[token.idx:end]
        if self._not_a_cue(token):
            return None
        children = list(token.children)
        if token.tag_ == "VB" and token.dep_ in ("ccomp", "xcomp") and not any(c.dep_ == "aux" for c in children):
            return None  # "demanded that Russia explain": a request, not speech
        if token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(c.dep_ in ("nsubj", "agent") for c in children):
            return None  # "Asked whether ..., Ryan said": a question put to the speaker
        speaker = self._subject(token, kind)
        content = next((c for c in children if c.dep_ == "ccomp"), None)
        inverted = False
        if content is None and kind in ("speech", "belief") and token.dep_ in ("ccomp", "parataxis"):
            content, inverted = self._host_clause(token), True
        return Cue(token, kind, speaker, content, text, token.idx, end, inverted)

    def _not_a_cue(self, token: Any) -> bool:
        """so-called; "what he said was ..."; "it was announced that", "he was told"."""
        doc, i = self.doc, token.i
        if i > 0 and (doc[i - 1].lower_ in ("so", "so-") or (doc[i - 1].text == "-" and i > 1 and doc[i - 2].lower_ == "so")):
            return True
        children = list(token.children)
        if any(c.tag_ in ("WP", "WDT") and c.dep_ in ("dobj", "nsubj") and c.lower_ in ("what", "whatever") for c in children):
            return True
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in children) and not any(c.dep_ == "agent" for c in children):
            return True
        return False

    def _host_clause(self, token: Any) -> Any | None:
        """The clause a parenthetical cue sits in: "X, he said, is ..."; "He claimed, ..., that X ..."."""
        head = token.head
        if head is token or head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in self.lex.cue_lemmas:
            return None
        doc = self.doc
        if head.i in self.innermost:
            return head  # a quotation: "...," he said
        if any(c.dep_ == "mark" and c.lower_ == "that" and c.i > token.right_edge.i for c in head.children):
            return head
        # the tag's words, without the commas the parser may hang on the verb
        first, last = token.left_edge.i, token.right_edge.i
        while first < token.i and doc[first].is_punct:
            first += 1
        while last > token.i and doc[last].is_punct:
            last -= 1
        before = doc[first - 1] if first > 0 else None
        after = doc[last + 1] if last + 1 < len(doc) else None
        if before is not None and before.text == "," and (after is None or after.text in (",", ".")):
            return head
        return None

    def _subject(self, verb: Any, kind: str) -> Any | None:
        unit = verb
        for _ in range(4):
            subjects = [c for c in unit.children if c.dep_ == "nsubj"]
            if len(subjects) > 1 and any(c.ent_type_ for c in subjects):
                # a name the parser broke up ("Adel al - Jubeir" as two subjects): its last part
                named = [c for c in subjects if c.ent_type_]
                return relative_antecedent(named[-1])
            for child in unit.children:
                if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and unit is not verb
                                             and unit.lemma_.lower() in ("quote", "cite")):
                    if child.lower_ in ("there",):
                        return None
                    return relative_antecedent(child)
                if child.dep_ == "agent" and unit is verb:
                    return next((g for g in child.children if g.dep_ == "pobj"), None)
            if unit.dep_ in ("advcl", "xcomp", "pcomp", "prep", "conj") and unit.head is not unit:
                unit = unit.head
                continue
            if unit.dep_ == "acl" and kind == "speech" and unit.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return unit.head
            break
        return None

    def _according_cue(self, token: Any) -> Cue | None:
        doc = self.doc
        to = doc[token.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            source = next((t for t in doc[to.i + 1: to.i + 6] if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
        if source is None:
            return None
        if source.lemma_.lower() in self.lex.cue_nouns:
            author = next((c for c in source.children if c.dep_ == "poss"), None)
            if author is None:
                for prep in source.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                        author = next((g for g in prep.children if g.dep_ == "pobj"), None)
                        break
            source = author or source
        head = token.head
        for _ in range(3):
            if head.pos_ in ("VERB", "AUX") or head.head is head:
                break
            head = head.head
        if head is token or head.i == to.i:
            head = None
        elif head.lemma_.lower() in self.lex.speech_verbs and any(c.dep_ == "ccomp" for c in head.children):
            head = None  # "X said ..., according to Y": one attribution, the verb's
        end = to.idx + len(to)
        return Cue(token, "according", source, head, self.text[token.idx:end], token.idx, end, True)

    def _in_source_cue(self, token: Any) -> Cue | None:
        """"In a new poll, Clinton leads ...": the poll is the source of the clause."""
        noun = next((c for c in token.children if c.dep_ == "pobj"), None)
        head = token.head
        if noun is None or noun.lemma_.lower() not in self.lex.source_nouns or head.pos_ not in ("VERB", "AUX"):
            return None
        lemma = head.lemma_.lower()
        if lemma in self.lex.cue_lemmas or self.rules.for_token(head) or not any(
                c.dep_ in ("nsubj", "nsubjpass", "expl") for c in head.children):
            return None  # "in an interview, he said ...": the verb is the cue
        author = next((c for c in noun.children if c.dep_ == "poss"), None)
        source = author or noun
        end = token.idx + len(token)
        return Cue(token, "according", source, head, token.text, token.idx, end, True)

    def _cues_between(self, lo: int, hi: int) -> list[Cue]:
        """Cues whose token index is in [lo, hi)."""
        a = bisect.bisect_left(self.cue_index, lo)
        b = bisect.bisect_left(self.cue_index, hi)
        return self.cues[a:b]

    # ------------------------------------------------------------------ linking quotations to cues
    def _content_in_quotes(self, cue: Cue) -> bool:
        return cue.content_head is None or cue.content_head.i in self.innermost

    def _link_parse(self, cue: Cue) -> int | None:
        if cue.kind != "speech" or cue.content_head is None or cue.speaker is None:
            return None
        inside_cue = set(self._chain(cue.token.i))
        chain = [k for k in self._chain(cue.content_head.i) if k not in inside_cue]
        return chain[-1] if chain else None

    def _embedded(self, cue: Cue, k: int) -> bool:
        """Whether the reported clause has words outside the quotation (a partial quote)."""
        span = self.spans[k]
        head = cue.content_head
        for token in head.subtree:
            if span.open <= token.idx < span.outer_end or token.is_punct or token.is_space:
                continue
            if token.dep_ == "mark" and token.head is head:
                continue
            if token.i == cue.token.i or (cue.speaker is not None and token.i == cue.speaker.i):
                continue
            return True
        return False

    def _cue_after(self, k: int) -> Cue | None:
        span, doc, text = self.spans[k], self.doc, self.text
        if span.close is None:
            return None
        j = bisect.bisect_left(self.starts, span.outer_end)
        n = len(doc)
        while j < n and doc[j].text in _SEPARATORS:
            j += 1
        if j >= n:
            return None
        first = doc[j]
        between = text[span.outer_end:first.idx]
        if "\n" in between or any(ch in QUOTE_CHARS for ch in between):
            return None
        if self._container(j) != span.parent:
            return None
        for cue in self._cues_between(j, j + 10):
            if cue.kind != "speech" or cue.speaker is None or self._container(cue.token.i) != span.parent:
                continue
            gap = text[first.idx:cue.token.idx]
            if "\n" in gap or any(ch in QUOTE_CHARS for ch in gap):
                break
            speaker = cue.speaker
            if first.i == cue.token.i or (speaker.i < cue.token.i and speaker.left_edge.i <= first.i <= speaker.i):
                if self._content_in_quotes(cue):
                    return cue
            break
        return None

    def _cue_before(self, k: int) -> Cue | None:
        span, doc, text = self.spans[k], self.doc, self.text
        i = span.open - 1
        while i >= 0 and text[i] in " \t\u00a0":
            i -= 1
        if i < 0 or text[i] not in ":,":
            return None
        p = self._token_at(i)
        u = p - 1
        if u < 0 or "\n" in text[doc[u].idx:span.open]:
            return None
        for cue in reversed(self._cues_between(max(0, u - 14), u + 1)):
            if cue.kind != "speech" or cue.speaker is None or self._container(cue.token.i) != span.parent:
                continue
            if "\n" in text[cue.token.idx:doc[u].idx]:
                return None
            verb = cue.token
            if all(doc[w].is_punct or verb in doc[w].ancestors for w in range(verb.i + 1, u + 1)):
                if self._content_in_quotes(cue):
                    return cue
            return None
        return None

    def _cue_governing(self, k: int) -> Cue | None:
        span, doc, text = self.spans[k], self.doc, self.text
        para_start, _ = paragraph_bounds(text, span.open)
        before = text[max(para_start, span.open - 30):span.open]
        if self.lex.naming_re is not None and self.lex.naming_re.search(before):
            return None
        tokens = self._span_tokens(k)
        roots = [doc[i] for i in tokens if not doc[i].is_punct and not (span.open <= doc[i].head.idx < span.outer_end)]
        for root in roots:
            candidates = []
            if root.dep_ in _GOVERNED_DEPS:
                candidates.append(root.head)
            if root.head.lower_ == "as" and root.head.head is not root.head:
                candidates.append(root.head.head)
            for verb in candidates:
                cue = self.cue_at.get(verb.i)
                if cue is None or cue.kind not in ("character", "speech") or cue.speaker is None:
                    continue
                if self._container(verb.i) != span.parent:
                    continue
                if any(c.dep_ == "dobj" and c.lower_ in _REFLEXIVE for c in verb.children):
                    continue  # "calls itself"
                if cue.kind == "character" and verb.dep_ == "acl":
                    continue  # "a film called ..."
                return cue
        return None

    # ------------------------------------------------------------------ indirect quotes
    def _clause_range(self, cue: Cue) -> tuple[int, int] | None:
        doc, text = self.doc, self.text
        verb, head = cue.token, cue.content_head
        lo, hi = head.left_edge.i, head.right_edge.i
        while hi > lo and (doc[hi].is_punct and doc[hi].text not in _CLOSING or doc[hi].is_space):
            hi -= 1
        if cue.inverted:
            pp_lo, pp_hi = verb.left_edge.i, verb.right_edge.i
            if cue.kind != "according" and cue.speaker is not None:
                pp_lo = min(pp_lo, cue.speaker.left_edge.i)
            if pp_lo <= lo <= pp_hi:
                lo = pp_hi + 1
                # "According to the report, released Tuesday, the agency ...": skip what
                # still hangs on the source before the comma
                subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
                for i in range(lo + 1, min(lo + 8, head.i)):
                    if doc[i].text == "," and (subject is None or subject.left_edge.i > i):
                        if all(doc[j].dep_ in ("advcl", "npadvmod", "acl", "prep", "pobj", "amod", "det", "compound", "punct", "nummod")
                               or doc[j].head.i in range(lo, i) for j in range(lo, i)):
                            lo = i + 1
                        break
            elif pp_lo <= hi <= pp_hi:
                hi = pp_lo - 1
        else:
            # an "according to X", or a clause with a speaker of its own ("..., while
            # Democrats counter that ..."), is not this speaker's content
            for child in head.children:
                other = self.cue_at.get(child.i)
                nested = None
                if child.lower_ == "according" and other is not None:
                    nested = child
                elif child.dep_ in ("advcl", "conj", "parataxis") and other is not None and other.speaker is not None \
                        and other.content_head is not None and any(c.dep_ == "nsubj" for c in child.children):
                    nested = child
                if nested is None:
                    continue
                if nested.i > head.i:
                    hi = min(hi, nested.left_edge.i - 1)
                else:
                    lo = max(lo, nested.right_edge.i + 1)
            for child in head.children:
                if child.dep_ == "advcl" and child.i > head.i and hi >= child.left_edge.i:
                    mark = next((m for m in child.children if m.dep_ == "mark" and m.lower_ in ("while", "whereas")), None)
                    if mark is not None and any(self.cue_at.get(t.i) is not None and self.cue_at[t.i].content_head is not None
                                                for t in child.subtree):
                        hi = min(hi, child.left_edge.i - 1)
            if head.i > verb.i:
                lo = max(lo, verb.i + 1)
            else:
                hi = min(hi, verb.i - 1)
            if cue.speaker is not None:
                s_lo, s_hi = mention_tokens(cue.speaker)
                if lo <= s_lo <= hi and s_lo > head.i:
                    hi = s_lo - 1
                elif lo <= s_hi <= hi and s_hi < head.i:
                    lo = s_hi + 1
        p0, p1 = paragraph_bounds(text, head.idx)
        while lo <= hi and doc[lo].idx < p0:
            lo += 1
        while hi >= lo and doc[hi].idx >= p1:
            hi -= 1
        while lo <= hi:
            token = doc[lo]
            if token.is_space or (token.is_punct and token.text not in _OPENING) or \
                    (token.dep_ == "mark" and token.lower_ == "that") or (token.dep_ == "cc" and token.head is head):
                lo += 1
                continue
            break
        while hi >= lo:
            token = doc[hi]
            if token.is_space or (token.is_punct and token.text not in _CLOSING) or token.dep_ == "cc":
                hi -= 1
                continue
            break
        # a closing mark whose opening mark is outside the range is not content
        while hi >= lo and doc[hi].text in _CLOSING and self.innermost.get(hi) is None:
            k = self._container_by_offset(doc[hi].idx)
            if k is not None and self.spans[k].open >= doc[lo].idx:
                break
            hi -= 1
            while hi >= lo and (doc[hi].is_space or (doc[hi].is_punct and doc[hi].text not in _CLOSING)):
                hi -= 1
        if hi < lo or sum(1 for t in doc[lo:hi + 1] if not t.is_punct) < 2:
            return None
        # a quotation opened inside the range and closed right after it belongs to it
        end = doc[hi].idx + len(doc[hi])
        for span in self.spans:
            if doc[lo].idx <= span.open < end and span.close is not None and span.close >= end \
                    and not text[end:span.close].strip(" .,!?…"):
                hi = self._token_at(span.close)
        return lo, hi

    def _around_cue(self, cue: Cue, lo: int, hi: int) -> list[tuple[int, int]] | None:
        """The content's two pieces when its cue and speaker sit inside it as a parenthetical
        ("Her countrymen, she said, should not listen ..."; "And Trump, said X, doesn't ..."),
        as PolNeAR annotates it; None when the content is one piece."""
        if not cue.inverted or cue.kind == "according" or cue.speaker is None:
            return None
        doc, verb, speaker = self.doc, cue.token, cue.speaker
        g_lo, g_hi = min(verb.left_edge.i, speaker.left_edge.i), max(verb.right_edge.i, speaker.right_edge.i)
        if not (lo < g_lo and g_hi < hi):
            return None
        first_end, second_start = g_lo - 1, g_hi + 1
        while first_end >= lo and (doc[first_end].is_space or (doc[first_end].is_punct and doc[first_end].text not in _CLOSING)):
            first_end -= 1
        while second_start <= hi and (doc[second_start].is_space or (doc[second_start].is_punct and doc[second_start].text not in _OPENING)):
            second_start += 1
        if first_end < lo or second_start > hi:
            return None
        # a fronted adverbial stays ("Now, she said, ..."): leaving it out scored no better on PolNeAR train
        return [(doc[lo].idx, doc[first_end].idx + len(doc[first_end])), (doc[second_start].idx, doc[hi].idx + len(doc[hi]))]

    def _container_by_offset(self, offset: int) -> int | None:
        for k, span in enumerate(self.spans):
            if span.close == offset:
                return k
        return None

    # ------------------------------------------------------------------ continuation
    def _without_abbreviations(self, start: int, end: int) -> str:
        """text[start:end] with the periods of abbreviations and initials ("Mr.", "George W. Bush",
        "N.Y.") blanked out: the tokenizer keeps those inside their word, a sentence's full stop apart."""
        chars = list(self.text[start:end])
        first = bisect.bisect_left(self.starts, start)
        for token in self.doc[first:bisect.bisect_left(self.starts, end)]:
            if len(token.text) > 1 and token.text.endswith(".") and token.idx + len(token.text) <= end:
                for i in range(token.idx, token.idx + len(token.text)):
                    if self.text[i] == ".":
                        chars[i - start] = "_"
        return "".join(chars)

    def _before_open(self, k: int) -> int:
        """The offset before quotation ``k``'s opening mark, the whole mark: a quotation opened
        with two apostrophes (''...'', as some papers write it) is scanned as its inner pair."""
        span, text = self.spans[k], self.text
        j = span.open - 1
        if j >= 0 and text[j] == "'" and text[span.open] == "'":
            j -= 1
        return j

    def _sentence_like(self, k: int) -> bool:
        span, text = self.spans[k], self.text
        inner = text[span.start:span.end].strip()
        if len(inner.split()) < 3:
            return False
        j = self._before_open(k)
        while j >= 0 and text[j] in " \t\u00a0":
            j -= 1
        if j >= 0 and text[j] != "\n":
            m = j
            while m >= 0 and text[m] in _CLOSING:  # '.”', ".''"
                m -= 1
            if text[j] in ".!?…":
                pass
            elif m < j and m >= 0 and text[m] in ".!?…,":
                pass
            else:
                return False
        if span.close is not None:
            a = span.close + 1
            while a < len(text) and text[a] in " \t\u00a0":
                a += 1
            if a < len(text) and text[a] != "\n" and not text[a].isupper() and text[a] not in _OPENING:
                return False
            if not re.search(r"[.!?…]\W*$", inner) and not (a < len(text) and text[a - 1:a + 1].strip() in ".!?"):
                return False
        return True

    # ------------------------------------------------------------------ the whole document
    def extract(self) -> list[Quote]:
        spans, doc, text = self.spans, self.doc, self.text
        links: dict[int, tuple[Cue, str, bool]] = {}
        for cue in self.cues:
            k = self._link_parse(cue)
            if k is not None and k not in links:
                links[k] = (cue, "parse", self._embedded(cue, k))
        for k in range(len(spans)):
            if k in links:
                continue
            if spans[k].parent is not None and spans[k].parent not in links:
                continue  # inside a quotation that is not a quote
            cue = self._cue_after(k)
            how = "after"
            if cue is None:
                cue, how = self._cue_before(k), "before"
            if cue is None:
                cue, how = self._cue_governing(k), "governed"
            if cue is not None:
                links[k] = (cue, how, how == "governed")

        candidates: list[_Candidate] = []
        by_span: dict[int, _Candidate] = {}
        for k in sorted(links):
            cue, how, partial = links[k]
            if spans[k].parent is not None and spans[k].parent not in by_span and spans[k].parent not in links:
                continue
            a, b = self._direct_range(k)
            if b <= a:
                continue
            cand = _Candidate(a, b, True, partial, cue, span=k, how=how)
            candidates.append(cand)
            by_span[k] = cand

        # indirect quotes
        linked_ranges = [(spans[k].open, spans[k].outer_end) for k in by_span]
        absorbed: set[int] = set()
        for cue in self.cues:
            if cue.kind not in ("speech", "belief", "according") or cue.content_head is None or cue.speaker is None:
                continue
            if cue.token.i in self.innermost:
                continue  # reported speech inside a quotation belongs to the quotation
            if cue.content_head.i in self.innermost:
                continue  # a direct quote (linked above)
            rng = self._clause_range(cue)
            if rng is None:
                continue
            lo, hi = rng
            a, b = doc[lo].idx, doc[hi].idx + len(doc[hi])
            covered = sum(max(0, min(b, y) - max(a, x)) for x, y in linked_ranges)
            if covered > 0.8 * (b - a) or any(links[k][0] is cue for k in by_span if k in links):
                continue
            inside = [k for k, span in enumerate(spans) if a <= span.open and span.outer_end <= b and span.parent is None]
            partial = False
            for k in inside:
                if k not in by_span:
                    absorbed.add(k)
                    absorbed.update(spans[k].children)
                partial = True
            candidates.append(_Candidate(a, b, False, partial, cue, how="indirect", pieces=self._around_cue(cue, lo, hi)))
        # beliefs reported inside someone's reported speech are part of that speech
        contents = [(c.start, c.end) for c in candidates]
        candidates = [c for c in candidates if not (c.cue is not None and c.cue.kind == "belief" and any(
            a <= c.cue.start < b for a, b in contents))]

        # continuation quotes: whole sentences with no cue right after another quote
        candidates.sort(key=lambda c: (c.start, -c.end))
        for k in range(len(spans)):
            if k in by_span or k in absorbed or spans[k].parent is not None:
                continue
            if not self._sentence_like(k):
                continue
            span = spans[k]
            previous = None
            for cand in candidates:
                if cand.outer is None and cand.reach <= span.open and (cand.span is None or spans[cand.span].parent is None):
                    if previous is None or cand.reach >= previous.reach:
                        previous = cand
            if previous is None:
                continue
            if not _CONTINUATION_GAP.fullmatch(self._without_abbreviations(previous.reach, self._before_open(k) + 1)):
                continue
            if any(c.start > previous.reach and c.start < span.open for c in candidates):
                continue
            a, b = self._direct_range(k)
            cand = _Candidate(a, b, True, False, None, span=k, previous=previous, how="continuation")
            by_span[k] = cand
            candidates.append(cand)
            candidates.sort(key=lambda c: (c.start, -c.end))

        candidates.extend(self._learned(candidates))
        candidates.sort(key=lambda c: (c.start, -c.end))

        # nesting: the smallest other quote whose content holds this one
        for cand in candidates:
            best = None
            for other in candidates:
                if other is cand or not (other.start <= cand.start and cand.end <= other.end):
                    continue
                if (other.start, other.end) == (cand.start, cand.end):
                    continue
                if best is None or (other.end - other.start) < (best.end - best.start):
                    best = other
            cand.outer = best
        return self._finish(candidates)

    # ------------------------------------------------------------------ learned cues
    def _learned(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """Attributions from the cues learned on PolNeAR train: a lemma with the dependent
        that, on train, was its content (``accused X of ...``, ``plans to ...``, ``data
        show ...``, ``endorsed X``). A cue inside another attribution's content is part of
        that attribution (nested reports are kept inside the outer one)."""
        doc, text = self.doc, self.text
        used = {c.cue.token.i for c in candidates if c.cue is not None}
        contents = [(c.start, c.end) for c in candidates]
        quoted = [(s.open, s.outer_end) for s in self.spans]
        found: list[_Candidate] = []
        for token, by_relation in self._rule_tokens:
            if token.i in used or token.i in self.innermost:
                continue
            best = None
            for child in token.children:
                rule = by_relation.get(content_relation_labels(child))
                if rule is not None and (best is None or rule.precision > best[0].precision):
                    best = (rule, child)
            if best is None:
                continue
            rule, child = best
            if any(a <= token.idx < b for a, b in contents):
                continue
            pos = coarse_pos(token)
            if pos == "VERB" and (self._not_a_cue(token) or (token.tag_ == "VBN" and token.dep_ == "acl")):
                continue  # "a song called ...", "the chairman, known to staff as ..."
            speaker = self._subject(token, "speech") if pos == "VERB" else self._noun_source(token)
            if speaker is None or speaker.i == child.i:
                continue
            rng = self._learned_range(token, child)
            if rng is None:
                continue
            a, b = rng
            inside = [t for t in doc[child.left_edge.i:child.right_edge.i + 1] if a <= t.idx < b and not t.is_punct]
            if len(inside) == 1 and inside[0].tag_ in ("WP", "WDT", "PRP", "EX"):
                continue  # "whom", "it": the content is elsewhere
            if inside and all(t.ent_type_ in ("DATE", "TIME") for t in inside):
                continue  # "said Wednesday"
            covered = sum(max(0, min(b, y) - max(a, x)) for x, y in contents)
            if covered > 0.5 * (b - a):
                continue
            if self.lex.no_content_re is not None and self.lex.no_content_re.search(text[a:b]):
                continue  # "did not respond to requests for comment"
            p0 = text.rfind("\n", 0, token.idx) + 1
            if self.lex.anonymity_re.search(text[max(p0, min(a, token.idx) - 60):max(b, token.idx + len(token))]):
                continue  # "who declined to be named": why the source is not named
            cue_end = token.idx + len(token)
            if child.dep_ in ("prep", "agent", "dative") and child.i == token.i + 1:
                cue_end = child.idx + len(child)  # "called for", "accused ... of"
            cue = Cue(token, "learned", speaker, child, text[token.idx:cue_end], token.idx, cue_end)
            partial = any(a <= x and y <= b for x, y in quoted)
            cand = _Candidate(a, b, False, partial, cue, how=f"learned:{rule.relation}")
            found.append(cand)
            contents.append((a, b))
        return found

    def _noun_source(self, noun: Any) -> Any | None:
        """The source of a noun cue: "Trump's claim that", "the claim by X", "X made the claim"."""
        for child in noun.children:
            if child.dep_ == "poss":
                return child
        for child in noun.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
            return self._subject(noun.head, "speech")
        return None

    def _learned_range(self, cue: Any, child: Any) -> tuple[int, int] | None:
        doc = self.doc
        lo, hi = child.left_edge.i, child.right_edge.i
        if child.dep_ in ("prep", "agent", "dative"):
            lo = child.i + 1
        if lo <= cue.i <= hi:
            return None
        p0, p1 = paragraph_bounds(self.text, doc[max(lo, min(hi, child.i))].idx)
        while lo <= hi and (doc[lo].idx < p0 or doc[lo].is_space or (doc[lo].is_punct and doc[lo].text not in _OPENING)
                            or (doc[lo].dep_ == "mark" and doc[lo].lower_ == "that")):
            lo += 1
        while hi >= lo and (doc[hi].idx >= p1 or doc[hi].is_space or (doc[hi].is_punct and doc[hi].text not in _CLOSING)):
            hi -= 1
        if hi < lo or not any(not t.is_punct for t in doc[lo:hi + 1]):
            return None
        return doc[lo].idx, doc[hi].idx + len(doc[hi])

    def _direct_range(self, k: int) -> tuple[int, int]:
        span, text = self.spans[k], self.text
        a, b = span.start, span.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
            b -= 1
        return a, b

    # ------------------------------------------------------------------ speakers
    def _finish(self, candidates: list[_Candidate]) -> list[Quote]:
        doc, text = self.doc, self.text
        excluded = [(c.start, c.end) for c in candidates] + [(s.open, s.outer_end) for s in self.spans]
        resolver = EntityResolver(doc, self.lex, excluded)
        for cand in candidates:
            if cand.cue is not None and cand.cue.speaker is not None:
                cand.mention = build_mention(cand.cue.speaker, self.lex)

        def position(c: _Candidate) -> int:
            return c.mention.start if c.mention is not None else c.start

        top = sorted((c for c in candidates if c.outer is None), key=position)
        nested = sorted((c for c in candidates if c.outer is not None), key=position)
        for group in (top, nested):
            for cand in group:
                if cand.previous is not None:
                    cand.entity = cand.previous.entity
                    if cand.entity is not None:
                        resolver.note_speaker(cand.start, cand.entity)
                    continue
                if cand.mention is None:
                    continue
                outer_entity = cand.outer.entity if cand.outer is not None else None
                cand.entity = resolver.resolve(cand.mention, outer_entity, top_level=cand.outer is None)
                self._anonymity(cand)
        # continuation chains resolved after their heads
        for cand in sorted(candidates, key=lambda c: c.start):
            if cand.entity is None and cand.previous is not None:
                cand.entity = cand.previous.entity
        kept = [c for c in candidates if c.entity is not None]
        kept.sort(key=lambda c: (c.start, -c.end))
        first: dict[int, int] = {}
        for cand in kept:
            first.setdefault(id(cand.entity), cand.start)
        ordered = sorted({id(c.entity): c.entity for c in kept}.values(), key=lambda e: first[id(e)])
        for number, entity in enumerate(ordered, 1):
            entity.id = f"S{number}"
            entity.actor = self._entity_actor(entity)
        groups = self._attributions(kept)
        group_of = {id(member): n for n, group in enumerate(groups) for member in group}
        quotes: list[Quote] = []
        for number, group in enumerate(groups):
            cand = group[0]
            entity = cand.entity
            assert entity is not None
            mention = cand.mention if cand.previous is None else None
            actor = self._actor_for(mention.start, mention.end) if mention is not None else None
            via = self._via(cand.cue if cand.previous is None else None, mention)
            speaker = Speaker(
                via_start=via.idx if via is not None else None,
                via_end=via.idx + len(via) if via is not None else None,
                text=mention.text if mention else None,
                start=mention.start if mention else None,
                end=mention.end if mention else None,
                entity=entity.id,
                name=entity.name,
                description=entity.description,
                anonymous=entity.anonymous,
                anonymity_reason=entity.anonymity_reason,
                group=entity.group,
                actor=actor or entity.actor,
            )
            cue = cand.cue if cand.previous is None else None
            kind = self._kind(cand)
            segments = [piece for m in group for piece in (m.pieces or [(m.start, m.end)])]
            start, end = segments[0][0], max(max(b for _, b in segments), max(m.end for m in group))
            # an indirect report continued by a quotation ("He said X. 'Y.'") is a partial quote
            mixed = not cand.direct and any(m.direct for m in group)
            if mixed and kind == "indirect":
                kind = "partial"
            outer = group_of.get(id(cand.outer)) if cand.outer is not None else None
            quotes.append(Quote(
                content=text[start:end], start=start, end=end, direct=cand.direct,
                cue=cue.text if cue else None, speaker=speaker,
                cue_start=cue.start if cue else None, cue_end=cue.end if cue else None,
                partial=cand.partial or mixed,
                nested_in=outer if outer != number else None,
                kind=kind,
                segments=segments,
            ))
        return quotes

    @staticmethod
    def _attributions(kept: list[_Candidate]) -> list[list[_Candidate]]:
        """Candidates grouped into attributions, each group in text order, groups ordered by
        their first piece. One attribution's content may come in pieces (PolNeAR's rule):
        the halves of a quotation split by its speech tag ('"...," she said, "..."': the
        same cue links the quotation before it and the one after it), and the quotations
        that continue a quote with no cue of their own ('"...," he said. "..."')."""
        parent: dict[int, _Candidate] = {}

        def root(c: _Candidate) -> _Candidate:
            while id(c) in parent:
                c = parent[id(c)]
            return c

        kept_ids = {id(c) for c in kept}
        before_cue: dict[int, _Candidate] = {}  # cue token -> the last quotation before it
        for cand in kept:  # text order
            if cand.previous is not None and id(cand.previous) in kept_ids:
                parent[id(cand)] = root(cand.previous)
                continue
            cue = cand.cue
            if cue is None or not cand.direct or cand.outer is not None:
                continue
            if cand.end <= cue.start:
                before_cue[cue.token.i] = cand
            elif cand.start >= cue.end:
                first = before_cue.pop(cue.token.i, None)
                if first is not None:
                    parent[id(cand)] = root(first)
        groups: dict[int, list[_Candidate]] = {}
        for cand in kept:
            groups.setdefault(id(root(cand)), []).append(cand)
        return sorted((sorted(g, key=lambda c: (c.start, -c.end)) for g in groups.values()),
                      key=lambda g: (g[0].start, -g[0].end))

    @staticmethod
    def _via(cue: Cue | None, mention: Mention | None) -> Any | None:
        """The relative pronoun of the cue's clause when the speaker mention is its antecedent."""
        if cue is None or mention is None or cue.speaker is None:
            return None
        for child in cue.token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.tag_ in ("WP", "WDT") and child.i != cue.speaker.i:
                return child
        return None

    def _kind(self, cand: _Candidate) -> str:
        """direct, partial or indirect for quotes and reported speech; the kind named in
        ``attribution_kinds`` for other cues (belief, intention, evidence, stance ...)."""
        if cand.direct:
            return "direct"
        cue = cand.cue
        kind = None
        if cue is not None and cue.kind != "according":
            lemma = cue.token.lemma_.lower()
            head = cue.content_head
            if head is not None and head.dep_ in ("prep", "agent", "dative") and head.head is cue.token:
                kind = self.rules.kinds.get(f"{lemma} {head.lower_}")
            kind = kind or self.rules.kinds.get(lemma)
            if kind is None and cue.kind == "belief":
                kind = "belief"
        if kind is None:
            return "partial" if cand.partial else "indirect"
        return kind

    def _anonymity(self, cand: _Candidate) -> None:
        entity, cue = cand.entity, cand.cue
        if entity is None or cue is None or entity.name is not None:
            return
        sent = cue.token.sent
        p0, p1 = paragraph_bounds(self.text, cue.token.idx)
        lo, hi = max(sent.start_char, p0), min(sent.end_char, p1)
        blocked = sorted([(cand.start, cand.end), (cue.start, cue.end)]
                         + [(s.open, s.outer_end) for s in self.spans if s.outer_end > lo and s.open < hi])
        intervals = []
        cursor = lo
        for a, b in blocked:
            if a > cursor:
                intervals.append((cursor, min(a, hi)))
            cursor = max(cursor, b)
        if cursor < hi:
            intervals.append((cursor, hi))
        found, reason = find_anonymity(self.text, intervals, self.lex)
        if found:
            entity.anonymous = True
            if reason and not entity.anonymity_reason:
                entity.anonymity_reason = reason

    # ------------------------------------------------------------------ actors
    def _actor_for(self, start: int, end: int) -> dict[str, Any] | None:
        best = None
        # only actors starting within one actor-length before the span can overlap it
        lo = bisect.bisect_left(self._actor_starts, start - self._longest_actor)
        hi = bisect.bisect_left(self._actor_starts, end)
        for actor in self.actors[lo:hi]:
            a, b = _get(actor, "start"), _get(actor, "end")
            if not (a < end and start < b):
                continue
            overlap = min(b, end) - max(a, start)
            if best is None or overlap > best[0]:
                best = (overlap, actor)
        if best is None:
            return None
        actor = best[1]
        return {key: _get(actor, key) for key in ("text", "start", "end", "code", "sector", "name", "entity")}

    def _entity_actor(self, entity: Entity) -> dict[str, Any] | None:
        for start, end in entity.mentions:
            found = self._actor_for(start, end)
            if found is not None:
                return found
        return None


def extract_quotes(doc: Any, actors: list[Any] | None = None, lexicon: QuoteLexicon | None = None,
                   rules: AttributionRules | None = None) -> list[Quote]:
    """Quotes of a parsed spaCy ``Doc``, in text order, with speakers grouped into entities.

    ``actors`` are the actor stage's records (dicts or :class:`legation.records.Actor`);
    a speaker is linked to the actor whose span overlaps its mention.
    """
    if doc is None or not doc.text.strip():
        return []
    return QuoteExtractor(doc, actors, lexicon, rules).extract()
