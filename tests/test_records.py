"""The typed records' contract form: ``Event.to_dict`` and the events of ``Analysis.to_dict``."""
from __future__ import annotations

import json

import pytest

from legation.records import Analysis, Document, Event
from tests.factories import event_record

# the keys of an event in the analysis contract, in order (DESIGN.md, "The analysis contract");
# ``composed`` and ``embedded_in`` come only when set, before ``role`` and ``main``
BASE_KEYS = ["id", "type", "mode", "context", "cameo", "cameo_root", "quad_class", "goldstein", "source", "target",
             "target_defaulted", "source_defaulted", "switched_from", "date", "location", "killed", "injured",
             "modality", "attributed_to", "trigger", "evidence", "relation", "mutual", "confidence", "method",
             "salience"]


def sample(**fields) -> Event:
    return event_record(**{**dict(
        id="e1", type="SANCTION", mode="withdraw", context=["diplomatic"], cameo="161", cameo_root="16", quad_class=4,
        goldstein=-4.0, source=[{"code": "MMR", "start": 0, "end": 7}], target=[{"code": "PRK", "start": 20, "end": 25}],
        date={"value": "1983", "text": None, "start": None, "end": None, "defaulted": True, "background": False},
        modality="asserted", trigger={"text": "cut", "start": 8, "end": 11, "lemma": "cut"},
        evidence={"text": "Myanmar cut ties with North Korea.", "start": 0, "end": 34}, relation="break",
        confidence=0.9, role="main", main=True), **fields})


def test_an_events_dict_has_the_contract_keys_in_order() -> None:
    assert list(sample().to_dict()) == BASE_KEYS + ["role", "main"]
    assert list(sample(composed=True).to_dict()) == BASE_KEYS + ["composed", "role", "main"]
    assert list(sample(composed=True, embedded_in="e0").to_dict()) == BASE_KEYS + ["composed", "embedded_in", "role", "main"]
    d = sample(embedded_in="e0").to_dict()
    assert list(d) == BASE_KEYS + ["embedded_in", "role", "main"] and d["embedded_in"] == "e0"
    assert d["relation"] == "break" and d["source"][0]["code"] == "MMR" and d["date"]["defaulted"] is True


@pytest.mark.parametrize("fields", [{}, {"composed": True}, {"embedded_in": "e0"}, {"composed": True, "embedded_in": "e0"}])
def test_an_event_comes_back_from_its_dict(fields: dict) -> None:
    event = sample(**fields)
    back = Event(**event.to_dict())
    assert back == event and back.to_dict() == event.to_dict()
    # and through JSON, as the CLI writes it
    assert Event(**json.loads(json.dumps(event.to_dict()))) == event


def test_an_analysis_gives_its_events_in_the_contract_form() -> None:
    events = [sample(), sample(id="e2", embedded_in="e1", main=False, role="complement")]
    out = Analysis(document=Document(text="Myanmar cut ties with North Korea."), events=events).to_dict()
    assert list(out) == ["document", "times", "actors", "quotes", "events", "relation_changes"]
    assert out["events"] == [e.to_dict() for e in events]
    assert all(isinstance(e, dict) for e in out["events"])
    assert not any(key.startswith("_") for e in out["events"] for key in e)
    json.dumps(out)  # plain JSON: no record objects left inside


def test_the_pipelines_events_are_typed_records_with_their_working_state_inside_the_extractor() -> None:
    from legation.pipeline import Pipeline

    text = "Iran condemned the killing of its general in an American drone strike. Turkey stopped shelling Kurdish villages."
    analysis = Pipeline().analyze(Document(text=text, published="2023-09-14"))
    assert analysis.events and all(isinstance(e, Event) for e in analysis.events)
    out = analysis.to_dict()["events"]
    assert [e["id"] for e in out] == [e.id for e in analysis.events]
    for e in out:
        assert list(e)[:len(BASE_KEYS)] == BASE_KEYS and list(e)[-2:] == ["role", "main"]
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
    assert any("embedded_in" in e for e in out)  # "stopped shelling": the shelling is embedded
