"""Operator composition (``data/events/operators.yaml``): an operator (intend, agree, allow,
refuse, demand, threaten, stop, fail ...) that governs another event in its complement makes
one composed event; the embedded event stays, linked and never the main event."""
from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache

from spacy.tokens import Doc, Token

from legation.events.cues import SUBJECT_DEPS
from legation.events.draft import Draft
from legation.events.syntax import depth
from legation.knowledge import load_yaml
from legation.records import Event

COMPLEMENT_DEPS = ("xcomp", "ccomp")
NOUN_COMPLEMENT_DEPS = ("acl", "xcomp", "ccomp")


@dataclasses.dataclass(frozen=True)
class OperatorClass:
    name: str
    embedded_modality: str
    table: tuple[tuple[str, str], ...]  # embedded-code key -> composed code ("keep": the embedded code)
    # where a verb operator carries its content as an event noun: "dobj" ("demanded the release of
    # the hostages") or a preposition ("called for a ban", "threatened Iran with sanctions")
    noun_slots: tuple[str, ...] = ()
    # the complement must name its own subject ("wants Somalia to stop the raids": a request of
    # Somalia; "wants to join" is the wanter's own intent, read by the modality stage)
    needs_subject: bool = False
    # an infinitive of purpose counts as the operator's content ("gathered to denounce the policy")
    purpose: bool = False
    # only the active verb ("the army prepared to attack"; "is prepared to fight" is willingness)
    active_only: bool = False

    def compose(self, code: str) -> str | None:
        table = dict(self.table)
        for key in (code[:4], code[:3], code[:2], "*"):
            if key in table:
                return code if table[key] == "keep" else table[key]
        return None


@lru_cache(maxsize=1)
def operator_lexicon() -> dict[str, OperatorClass]:
    """Operator lemma -> its class (the first class that lists a lemma keeps it)."""
    raw = load_yaml("events/operators.yaml") or {}
    tables = raw.get("compose") or {}
    out: dict[str, OperatorClass] = {}
    for name, spec in (raw.get("classes") or {}).items():
        table = tuple(sorted((str(k), str(v)) for k, v in (tables.get(spec.get("table") or name) or {}).items()))
        cls = OperatorClass(name, str(spec.get("embedded_modality") or "asserted"), table,
                            tuple(str(w).lower() for w in spec.get("noun_slots") or ()),
                            bool(spec.get("needs_subject")), bool(spec.get("purpose")), bool(spec.get("active_only")))
        for lemma in spec.get("lemmas") or ():
            out.setdefault(str(lemma).lower(), cls)
    return out


@lru_cache(maxsize=1)
def transparent_verbs() -> frozenset[str]:
    """Aspect and attempt verbs an operator's content passes through ("prepared to resume
    shelling", "agreed to begin talks"): the event is their own complement's."""
    raw = load_yaml("events/operators.yaml") or {}
    return frozenset(str(w).lower() for w in raw.get("transparent") or ())


class Composer:
    """Mixed into ``EventExtractor``: runs over a document's events after they are built."""

    def _compose(self, doc: Doc, drafts: list[Draft], token_actor: dict[int, int], doc_id: str) -> list[Draft]:
        operators = operator_lexicon()
        if not drafts or not operators:
            return drafts
        by_token = {d.token: d for d in drafts}
        sentences = sorted({self._sentence_start(t) for t in by_token})  # only those with an event
        heads = [t for start in sentences for t in self._sentence(doc, start)
                 if t.lemma_.lower() in operators and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN")]
        # inner operators first: "agreed to let monitors return" composes "let" before "agreed"
        for op in sorted(heads, key=lambda t: (-depth(t), t.i)):
            cls = operators[op.lemma_.lower()]
            if cls.active_only and any(c.dep_ == "auxpass" for c in op.children):
                continue
            embedded = self._embedded_event(op, by_token, cls)
            if embedded is None or embedded.event.embedded_in:
                continue
            code = cls.compose(embedded.base)
            existing = by_token.get(op.i)
            if code is None and cls.name != "failure":
                if existing is not None:
                    self._embed(embedded.event, existing.event, cls)
                continue
            if cls.name == "failure":
                embedded.event.modality = "negated"  # "failed to reach a deal": nothing happened
                continue
            if existing is not None and code == embedded.base and existing.event.cameo != existing.base:
                # "will visit Senegal to mediate": the operator's own verb was announced (an intent or a
                # threat); what it carries over is announced too
                code = self._announced_code(code)
            draft = existing if existing is not None else self._operator_event(doc, op, embedded, cls, token_actor, doc_id)
            if draft is None:
                continue
            event = draft.event
            if event.modality == "negated" and code[:2] <= "08" and "refusal" in self._operator_classes():
                # "would not allow the envoy to meet her": a refused concession is a rejection
                refused = self._operator_classes()["refusal"].compose(code)
                if refused is not None:
                    code = refused
                    event.modality = "asserted"
            self._recode(draft, code)
            if existing is not None and not event.target:
                self._inherit_target(event, embedded.event, cls)
            if existing is None:
                drafts.append(draft)
                by_token[op.i] = draft
            self._embed(embedded.event, event, cls)
        return sorted(drafts, key=lambda d: d.token)

    @staticmethod
    def _embedded_event(op: Token, by_token: dict[int, Draft], cls: OperatorClass | None = None) -> Draft | None:
        """The event in the operator's complement clause: its verb, or the event noun that verb
        carries ("agreed to hold talks"), also through an aspect verb ("prepared to resume
        shelling"); else, for a verb operator whose class names them, an event noun in one of its
        noun slots ("called for a ban on imports", "demanded the release of")."""
        noun_slots = cls.noun_slots if cls is not None else ()
        deps = NOUN_COMPLEMENT_DEPS if op.pos_ == "NOUN" else COMPLEMENT_DEPS
        if cls is not None and cls.purpose and op.pos_ in ("VERB", "AUX"):
            deps = deps + ("advcl",)
        transparent = transparent_verbs()
        for clause in op.children:
            if clause.dep_ not in deps or clause.i < op.i:
                continue
            if (op.pos_ == "NOUN" and clause.dep_ == "acl") or clause.dep_ == "advcl":
                if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                    continue  # "the refusal to ...", not "the refusal announced on Monday"
                if clause.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in clause.children):
                    continue  # a purpose infinitive has no subject or conjunction of its own
            if cls is not None and cls.needs_subject and not (
                    any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
                    or (clause.dep_ == "xcomp" and any(c.dep_ in ("dobj", "dative") for c in op.children))):
                continue
            nodes = [clause]
            for _ in range(2):  # "prepared to resume shelling", "agreed to begin to withdraw"
                last = nodes[-1]
                if last.i in by_token or last.lemma_.lower() not in transparent:
                    break
                inner = next((c for c in last.children if c.dep_ in ("xcomp", "ccomp") and c.i > last.i), None)
                if inner is None:
                    break
                nodes.append(inner)
            for step in nodes:
                for node in [step] + [c for c in step.children if c.dep_ in ("dobj", "nsubjpass")]:
                    if node.i in by_token:
                        return by_token[node.i]
        if noun_slots and op.pos_ in ("VERB", "AUX"):
            for child in op.children:
                if child.dep_ == "dobj" and "dobj" in noun_slots and not any(c.dep_ == "oprd" for c in op.children):
                    # (with an object predicate the object is what is named: "called the murder wrong")
                    nouns = [child]
                elif child.dep_ == "prep" and child.lower_ in noun_slots:
                    nouns = [p for p in child.children if p.dep_ == "pobj"]
                else:
                    continue
                for noun in nouns:
                    if noun.i in by_token and noun.pos_ == "NOUN" and by_token[noun.i].noun:
                        return by_token[noun.i]
        return None

    def _announced_code(self, cameo: str) -> str:
        """The intent (cooperative acts) or threat (conflict) code of an announced act (modality.yaml)."""
        codes = self.lex.modality
        table = codes.get("intent_codes") if cameo[:2] <= "08" else codes.get("threat_codes")
        return str((table or {}).get(cameo[:2]) or cameo)

    def _recode(self, draft: Draft, cameo: str) -> None:
        code = self.lex.code(cameo)
        if code is None:
            return
        event = draft.event
        event.cameo, event.cameo_root, event.type, event.mode = cameo, cameo[:2], code.type, code.mode
        event.context, event.quad_class, event.goldstein, event.composed = list(code.context), code.quad_class, code.goldstein, True
        draft.base = cameo

    @staticmethod
    def _operator_classes() -> dict[str, OperatorClass]:
        return {cls.name: cls for cls in operator_lexicon().values()}

    @staticmethod
    def _inherit_target(event: Event, embedded: Event, cls: OperatorClass) -> None:
        """"declined to resign", "agreed to allow aid into Darfur": the operator's event has no
        target of its own; the party its content acts on (or, for a permission, the party let act)."""
        own = {a["start"] for a in event.source}
        pool = embedded.source + embedded.target if cls.name == "permission" or cls.needs_subject else embedded.target
        event.target = [a for a in pool if a["start"] not in own] or (
            list(embedded.target) if embedded.target_defaulted else [])
        event.target_defaulted = bool(embedded.target_defaulted) and bool(event.target)

    @staticmethod
    def _embed(embedded: Event, event: Event, cls: OperatorClass) -> None:
        embedded.embedded_in = event.id
        if cls.embedded_modality != "keep" and embedded.modality not in ("negated", "hypothetical"):
            embedded.modality = cls.embedded_modality
        embedded.salience = round(min(embedded.salience, event.salience) * 0.5, 3)

    def _operator_event(self, doc: Doc, op: Token, embedded: Draft, cls: OperatorClass,
                        token_actor: dict[int, int], doc_id: str) -> Draft | None:
        """A new event on an operator the lexicon does not code ("let", "stopped"): its subject acts;
        the party permitted (its embedded event's source) or acted on (its target) is the target."""
        verb = op if op.pos_ in ("VERB", "AUX") else op.head
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None and verb.dep_ in ("xcomp", "ccomp", "conj"):
            subject = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
        source_idx = self._actors_at(subject, token_actor) if subject is not None else []
        from legation.events.extract import _actor_ref

        inner = embedded.event
        source = [_actor_ref(self._actors[i]) for i in source_idx if self._actors[i].code]
        if not source:
            source = list(inner.source) if cls.name != "permission" else []
        if not source:
            return None
        own = {a["start"] for a in source}  # the same mention, not the same country: domestic events count
        if cls.name == "permission" or cls.needs_subject:
            # the party let act, or asked to act ("wants Somalia to stop the raids")
            target = [a for a in inner.source if a["start"] not in own] or [a for a in inner.target if a["start"] not in own]
        else:
            # a default the embedded event carries (a domestic act aimed at home) stays, flagged
            target = [a for a in inner.target if a["start"] not in own] or (
                list(inner.target) if inner.target_defaulted else [])
        # the embedded event's coding, how it was found and its features, on the operator's trigger
        event = dataclasses.replace(
            inner,
            id=hashlib.sha1(f"{doc_id}:{op.idx}:operator".encode()).hexdigest()[:16],
            source=source, target=target, source_defaulted=False,
            target_defaulted=bool(inner.target_defaulted) and bool(target),
            trigger={"text": op.text, "start": op.idx, "end": op.idx + len(op.text), "lemma": op.lemma_},
            modality=self._modality(op), salience=round(1.0 / (1 + depth(op)), 3), method="composed",
            relation=None, embedded_in=None,
        )
        return dataclasses.replace(embedded, event=event, token=op.i, complement_of=None, weak=False)
