"""Real TimeML corpora in ../shared (skipped when absent): value F1 must not fall below
a floor just under the figure measured when the tagger last changed."""
from __future__ import annotations

from pathlib import Path

import pytest

from legation.evaluation.timeml import evaluate, find_tml_files, split_half
from legation.timex import tag_times

# measured: AQUAINT 0.781 (half 1 0.790, half 2 0.773); TE3 platinum 0.878
FLOORS = {"aquaint": 0.775, "aquaint-half-2": 0.765, "te3": 0.87}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_value_f1_stays_above_its_floor(shared: Path, name: str) -> None:
    if name.startswith("aquaint"):
        files = find_tml_files([shared / "eval" / "aquaint" / "AQUAINT"])
        if name.endswith("half-2"):
            files = split_half(files, 2)
    else:
        files = find_tml_files([shared / "eval" / "te3-platinum"])
    scores = evaluate(files, tag_times)
    assert scores.gold > 100
    assert scores.value_f1 >= FLOORS[name], (name, round(scores.value_f1, 3))
