"""The one precision/recall/F1 helper every scorer uses."""
from __future__ import annotations

from dataclasses import dataclass


def ratio(num: float, den: float) -> float:
    """``num / den``, 0.0 when there is nothing to divide by."""
    return num / den if den else 0.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall, 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class PRF:
    """Counts behind a precision/recall/F1 figure: ``tp`` matched pairs out of ``predicted``
    system items and ``gold`` gold items (a matched pair counts once on each side)."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    def to_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "predicted": self.predicted, "gold": self.gold, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}
