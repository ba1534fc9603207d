"""Attributions beyond quotes: cue words learned from PolNeAR train and their contents.

Helpers shared by the learning script (``scripts/learn_polnear_cues.py``) and the
extractor: a token's coarse part of speech and the label of the relation between a cue
and one of its dependents.
"""
from __future__ import annotations

from typing import Any


_COARSE = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN", "ADJ": "ADJ"}


def coarse_pos(token: Any) -> str:
    return _COARSE.get(token.pos_, "OTHER")


def content_relation_labels(child: Any) -> str:
    """``dobj``, ``ccomp``, ``xcomp`` ...; a preposition carries its word: ``prep:of``."""
    if child.dep_ in ("prep", "agent", "dative"):
        return f"prep:{child.lower_}"
    return child.dep_


# --------------------------------------------------------------------------- learned rules

import re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from functools import lru_cache  # noqa: E402

from legation.knowledge import load_yaml  # noqa: E402


@dataclass(frozen=True)
class Rule:
    """A cue lemma with one relation to its content, and how often it held on train."""

    key: str  # lemma/POS
    relation: str
    hits: int
    total: int

    @property
    def precision(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True)
class AttributionRules:
    """Rules "a token of this lemma with this dependent attributes that dependent to its
    subject", chosen from ``attribution_cues.yaml`` by precision and frequency on train."""

    rules: dict[str, dict[str, Rule]]
    kinds: dict[str, str] = field(default_factory=dict)  # lemma -> kind
    sourceless: frozenset[str] = frozenset()  # lemma/POS whose gold cues mostly have no source ("seemed")
    min_precision: float = 0.5
    min_hits: int = 4

    def for_token(self, token: Any) -> dict[str, Rule] | None:
        return self.for_lemma(token.lemma_.lower(), token.pos_)

    def for_lemma(self, lemma: str, pos: str) -> dict[str, Rule] | None:
        """The rules of a lemma with a spaCy part of speech (``VERB``, ``NOUN`` ...)."""
        key = f"{lemma}/{_COARSE.get(pos, 'OTHER')}"
        if key in self.sourceless:
            return None
        return self.rules.get(key)

    def kind(self, lemma: str, default: str = "indirect") -> str:
        return self.kinds.get(lemma, default)


# relations that never carry a content of their own
_NOT_CONTENT = {"nsubj", "nsubjpass", "punct", "aux", "auxpass", "neg", "advmod", "mark", "cc", "det", "far",
                "prt", "compound", "amod", "poss", "case", "expl", "npadvmod", "intj", "nummod", "agent", "csubj"}


def build_rules(data: dict[str, Any], kinds: dict[str, str], min_precision: float, min_hits: int) -> AttributionRules:
    rules: dict[str, dict[str, Rule]] = {}
    sourceless: set[str] = set()
    for key, entry in (data.get("cues") or {}).items():
        if int((entry.get("source") or {}).get("none", 0)) >= 0.5 * int(entry.get("cue") or 1):
            sourceless.add(str(key))
        for relation, counts in (entry.get("content") or {}).items():
            hits, total = int(counts[0]), int(counts[1])
            if relation in _NOT_CONTENT or relation.startswith("^") or relation.startswith("prep:by"):
                continue
            rule = Rule(str(key), str(relation), hits, total)
            if rule.hits >= min_hits and rule.precision >= min_precision:
                rules.setdefault(str(key), {})[rule.relation] = rule
    return AttributionRules(rules, kinds, frozenset(sourceless), min_precision, min_hits)


@lru_cache(maxsize=1)
def default_rules() -> AttributionRules:
    """Rules from ``attribution_cues.yaml`` with the thresholds and kinds in ``quote_cues.yaml``."""
    cues = load_yaml("quote_cues.yaml") or {}
    settings = cues.get("learned_cues") or {}
    kinds: dict[str, str] = {}
    for kind, lemmas in (cues.get("attribution_kinds") or {}).items():
        for lemma in lemmas or []:
            kinds[str(lemma).lower()] = str(kind)
    data = load_yaml("attribution_cues.yaml") or {}
    return build_rules(data, kinds, float(settings.get("min_precision", 0.5)), int(settings.get("min_hits", 4)))


_WORD = re.compile(r"\w")
