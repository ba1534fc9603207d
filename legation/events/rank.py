"""Main-event choice: one event per sentence is the one the sentence reports (``main``).

The ranking is in ``data/events/ranking.yaml``: syntactic role of the trigger (root or main
clause > complement > coordinated clause > adjunct > noun inside another event's argument),
operator scope (an event embedded under an operator is never main), argument completeness,
subordination depth, then the trigger's specificity; text order decides only when all of these
tie. Each event gets ``main`` (bool) and ``role`` (the role's name), which every consumer sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from legation.events.draft import Draft
from legation.events.syntax import has_to_infinitive
from legation.knowledge import load_yaml
from legation.records import Event


@dataclass(frozen=True)
class RankingRules:
    levels: dict[str, int]
    step_roles: dict[str, str]  # dependency label -> role name
    noun_argument_deps: frozenset[str]
    predicate_verbs: frozenset[str]

    def level(self, role: str) -> int:
        return self.levels.get(role, 0)


@lru_cache(maxsize=1)
def ranking_rules() -> RankingRules:
    raw = load_yaml("events/ranking.yaml") or {}
    levels = {str(k): int(v) for k, v in (raw.get("roles") or {}).items()}
    step_roles = {str(dep): str(role) for role, deps in (raw.get("steps") or {}).items() for dep in deps or ()}
    deps = frozenset(str(d) for d in raw.get("noun_argument_deps") or ())
    predicate_verbs = frozenset(str(v) for v in raw.get("predicate_verbs") or ())
    return RankingRules(levels, step_roles, deps, predicate_verbs)


def trigger_role(token: Token, triggers: set[int], rules: RankingRules) -> tuple[str, int]:
    """The role of a trigger in its sentence and the number of clause steps up to the root.

    Walking up from the trigger, a step out of a clause gives that clause's role (complement,
    coordinated, adjunct) and the path keeps its weakest; steps within a phrase (an argument of a
    verb, a noun's prepositional phrase) change nothing, and a prepositional phrase on a verb is an
    adjunct. Reaching another event's trigger before leaving any clause means the trigger is part
    of that event's argument ("killed in an attack", "because of fighting")."""
    role = "main"
    depth = 0
    node = token
    in_phrase = True  # no clause left yet
    for _ in range(40):
        if node.head.i == node.i:
            break
        step = _step(node, rules)
        if step is not None:
            in_phrase = False
            depth += 1
            if rules.level(step) < rules.level(role):
                role = step
        node = node.head
        if in_phrase and node.i in triggers:
            return "argument", depth
    return role, depth


def _step(node: Token, rules: RankingRules) -> str | None:
    """The role a step from ``node`` to its head gives, or None for a step within a phrase."""
    verb = node.pos_ in ("VERB", "AUX")
    if verb and node.dep_ in rules.step_roles:
        return rules.step_roles[node.dep_]  # a complement or a coordinated clause
    if verb and node.dep_ == "advcl" and has_to_infinitive(node) and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in node.children):
        return "complement"  # "have sworn to fight", "used tear gas to disperse": an infinitive the parser calls advcl
    if node.dep_ in rules.noun_argument_deps:
        return None  # an argument or a noun phrase's part: the clause is the same
    if node.dep_ in ("prep", "agent"):
        if node.head.pos_ not in ("VERB", "AUX") or node.head.lemma_.lower() in rules.predicate_verbs:
            return None  # a noun's phrase, or the predicate of "went on strike"
        return "adjunct"
    if not verb and node.dep_ in ("npadvmod", "nmod", "poss", "amod", "nummod", "det"):
        return None
    return rules.step_roles.get(node.dep_, "adjunct")


def _code_specificity(cameo: str) -> int:
    if len(cameo) >= 4:
        return 2
    return 0 if cameo.endswith("0") else 1


def _completeness(event: Event) -> float:
    def side(actors: list[dict[str, Any]], defaulted: bool) -> float:
        if not any(a.get("code") for a in actors):
            return 0.0
        return 0.5 if defaulted else 1.0
    return side(event.source, bool(event.source_defaulted)) + side(event.target, bool(event.target_defaulted))


def rank_key(draft: Draft, token: Token, role: str, depth: int, rules: RankingRules) -> tuple:
    """Higher is more the sentence's main event (text order is the caller's last resort)."""
    event = draft.event
    return (
        not event.embedded_in,
        rules.level(role),
        -depth,
        _completeness(event),
        draft.specificity,
        not draft.imported,
        token.pos_ in ("VERB", "AUX"),
        _code_specificity(str(event.cameo or "")),
    )


def mark_main(doc: Doc, drafts: list[Draft]) -> None:
    """Sets ``main`` and ``role`` on every event: one main event per sentence (events of one
    sentence share their evidence span)."""
    rules = ranking_rules()
    triggers = {d.token for d in drafts}
    best: dict[int, tuple[tuple, Event]] = {}
    for draft in drafts:
        event = draft.event
        token = doc[draft.token]
        role, depth = trigger_role(token, triggers - {token.i}, rules)
        event.role = role
        event.main = False
        # earlier trigger wins a full tie: -offset makes the key total and the choice deterministic
        key = rank_key(draft, token, role, depth, rules) + (-token.i,)
        sentence = event.evidence["start"]
        if sentence not in best or key > best[sentence][0]:
            best[sentence] = (key, event)
    for _, event in best.values():
        event.main = True
