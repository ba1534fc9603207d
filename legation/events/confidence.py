"""Event confidence: an estimate of how often an event like this one is right, from a few
features of how it was coded, with the weights in ``data/events/confidence.yaml``.

confidence = 1 / (1 + exp(-(intercept + sum of the weights of the features the event has)))

The features say how the event was found (a curated lexicon entry, PETRARCH2's imported verbs,
the learned fallback, an operator's composition), whether its trigger's sense is decided by
context, whether it is its sentence's main event or one embedded under an operator or inside
another event's argument, and whether its parties are named in the text or supplied by default.
``scripts/fit_confidence.py`` shows how the weights were set and prints calibration bins.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from legation.events.draft import Draft
from legation.knowledge import load_yaml


@dataclass(frozen=True)
class ConfidenceModel:
    intercept: float
    weights: tuple[tuple[str, float], ...]

    def logit(self, features: dict[str, float]) -> float:
        return self.intercept + sum(w * features.get(name, 0.0) for name, w in self.weights)

    def score(self, features: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-self.logit(features)))


@lru_cache(maxsize=1)
def confidence_model() -> ConfidenceModel:
    raw = load_yaml("events/confidence.yaml") or {}
    weights = tuple(sorted((str(k), float(v)) for k, v in (raw.get("weights") or {}).items()))
    return ConfidenceModel(float(raw.get("intercept") or 0.0), weights)


def _stated(actors: list[dict[str, Any]], defaulted: bool) -> bool:
    return not defaulted and any(a.get("code") for a in actors)


def features(draft: Draft) -> dict[str, float]:
    """The features of an event, from the event and how the extractor found it."""
    event = draft.event
    method = event.method
    probability = float(draft.probability or 1.0)
    return {
        "main": float(bool(event.main)),
        "embedded": float(bool(event.embedded_in)),
        "argument": float(event.role == "argument"),
        # a trigger in an adjunct clause: when such an event is its sentence's main one, the main
        # clause's own predicate was no trigger (a side-clause event stands in for it)
        "adjunct": float(event.role == "adjunct"),
        "composed": float(bool(event.composed) or method == "composed"),
        "imported": float(bool(draft.imported)),
        "classifier": float(method == "classifier"),
        # the learned fallback's own posterior, as log-odds above an even chance
        "classifier_logodds": math.log(probability / max(1e-6, 1 - probability)) if method == "classifier" and probability < 1 else 0.0,
        "ambiguous": float(bool(draft.ambiguous)),
        "noun": float(bool(draft.noun)),
        "source_stated": float(_stated(event.source or [], bool(event.source_defaulted))),
        "target_stated": float(_stated(event.target or [], bool(event.target_defaulted))),
        "defaulted": float(bool(event.source_defaulted or event.target_defaulted)),
    }


def set_confidence(drafts: list[Draft]) -> None:
    model = confidence_model()
    for draft in drafts:
        draft.event.confidence = round(model.score(features(draft)), 3)
