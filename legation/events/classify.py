"""A small learned fallback: the PLOVER type of a sentence no trigger covers.

Multinomial naive Bayes over word stems and stem bigrams, trained at first use from the
labelled sentences shipped in ``data/events/type_examples.jsonl`` (written for Legation;
users can add their own). Training takes milliseconds and nothing is downloaded.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from legation.knowledge import data_path

_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = frozenset("""a an the of to in on at by for with from and or but as is are was were be been being has have
had it its it's this that these those their his her they he she we our who which said says say would will could
into over after before than then also not no""".split())


def _stem(word: str) -> str:
    """A crude English stem: enough to join "shelled", "shelling" and "shells"."""
    if len(word) > 4 and word.endswith(("ied", "ies")):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    for suffix in ("ings", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def features(text: str) -> list[str]:
    stems = [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:])]


@dataclass
class TypeClassifier:
    priors: dict[str, float]
    likelihoods: dict[str, dict[str, float]]
    unseen: dict[str, float]

    def predict(self, text: str) -> tuple[str, float]:
        """The most probable type and its posterior probability."""
        feats = features(text)
        scores = {label: self.priors[label] + sum(self.likelihoods[label].get(f, self.unseen[label]) for f in feats)
                  for label in self.priors}
        best = max(scores, key=scores.get)
        top = scores[best]
        total = sum(math.exp(s - top) for s in scores.values())
        return best, 1.0 / total


def train(examples: list[tuple[str, str]], alpha: float = 0.5) -> TypeClassifier:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    docs: Counter[str] = Counter()
    for text, label in examples:
        counts[label].update(features(text))
        docs[label] += 1
    vocabulary = {f for c in counts.values() for f in c}
    priors = {label: math.log(n / sum(docs.values())) for label, n in docs.items()}
    likelihoods, unseen = {}, {}
    for label, c in counts.items():
        denominator = sum(c.values()) + alpha * len(vocabulary)
        likelihoods[label] = {f: math.log((n + alpha) / denominator) for f, n in c.items()}
        unseen[label] = math.log(alpha / denominator)
    return TypeClassifier(priors, likelihoods, unseen)


@lru_cache(maxsize=1)
def type_classifier() -> TypeClassifier | None:
    """The classifier trained on the shipped examples; None when the file is absent."""
    path = data_path("events/type_examples.jsonl")
    if not path.exists():
        return None
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                examples.append((row["text"], row["type"]))
    return train(examples) if examples else None
