"""Event coding over the project's own labelled sets (tests/fixtures/events): regression floors
well below the measured figures, so a change that breaks a construction shows here. The
held-out PLOVER GSR is scored by `legation eval plover`, not by tests."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from legation.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "events"
pytestmark = pytest.mark.slow


def _json(args: list[str]) -> dict:
    import json

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_independent_set_stays_above_its_floor() -> None:
    scores = _json(["eval", "plover", str(FIXTURES / "own_plover.json"), "--json"])
    assert scores["records"] == 192
    assert scores["top1_accuracy"] >= 0.85 and scores["type_source_target"] >= 0.70


def test_sentences_that_report_no_event_stay_mostly_empty() -> None:
    scores = _json(["eval", "no-events", str(FIXTURES / "no_event.json"), "--json"])
    assert scores["records"] == 200
    assert scores["with_asserted_event"] <= 0.10
    assert scores["by_kind"]["statistics"]["asserted"] <= 2
