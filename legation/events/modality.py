"""Modality and verbal recoding: announced acts are intents or threats, refused acts are
rejections, demanded acts are requests and their content is hypothetical; practices and rules
are not events."""
from __future__ import annotations

from spacy.tokens import Token

from legation.events.cues import (
    DEMAND_ROOTS, DOCUMENT_NOUNS, FUTURE_NOUN_MODIFIERS, FUTURE_VERBS, HABITUAL_ADVERBS, HEDGE_VERBS,
    HOSTILE_ROOTS, HYPOTHETICAL_HEAD_NOUNS, HYPOTHETICAL_NOUN_MODIFIERS, INTENT_HEADS, MODALS_FUTURE,
    MODALS_HYPOTHETICAL, REFUSAL_VERBS, SPEECH_VERBS,
)
from legation.events.lexicon import Candidate
from legation.events.syntax import has_to_infinitive


class ModalityReader:
    """How an event is told (asserted, hedged, hypothetical, future, negated) and the CAMEO
    recodings that follow from it. Mixed into ``EventExtractor``."""

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

    def _intent_recoding(self, token: Token, cameo: str, candidate_at: dict[int, Candidate]) -> str:
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
    def _demanded(token: Token, candidate_at: dict[int, Candidate]) -> bool:
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
        # "have sworn to fight" may be parsed as a purpose clause
        infinitive = token.dep_ == "xcomp" or (token.dep_ == "advcl" and has_to_infinitive(token))
        return infinitive and head.lemma_.lower() in INTENT_HEADS

    def _reports_relation(self, token: Token) -> bool:
        return token.lemma_.lower() in self.lex.relation_by_lemma or token.lemma_.lower().replace("-", "") in self.lex.relation_by_lemma

    @staticmethod
    def _under_refusal(token: Token) -> bool:
        head = token.head
        return token.dep_ == "xcomp" and head.lemma_.lower() in REFUSAL_VERBS
