"""Source and target of events in patterns seen in real news (sentences written for these tests):
a place or facility attacked stands for its country, and "the presidents of A and B" are two parties."""
from __future__ import annotations

import pytest

from legation.pipeline import Pipeline
from legation.records import Document


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def main_event(pipeline: Pipeline, text: str) -> dict:
    analysis = pipeline.analyze(Document(text=text, published="2023-09-14"))
    assert not analysis.errors, analysis.errors
    mains = [e.to_dict() for e in analysis.events if e.main]
    assert mains, [(e.type, e.trigger["text"]) for e in analysis.events]
    return mains[0]


def codes(actors: list[dict]) -> set[str]:
    return {a["code"] for a in actors if a.get("code")}


def test_facilities_attacked_in_two_countries_are_those_countries(pipeline: Pipeline) -> None:
    # "rebel" takes the attacker's country from the sentence; the places named are the target
    e = main_event(pipeline, "Russian jets bombed rebel depots in Syria and a fuel plant in Iraq.")
    assert e["type"] == "ASSAULT"
    assert codes(e["source"]) == {"RUS"} and codes(e["target"]) == {"SYR", "IRQ"}


def test_party_with_its_own_country_stays_the_target(pipeline: Pipeline) -> None:
    e = main_event(pipeline, "Israeli troops killed three Egyptian soldiers near Rafah.")
    assert codes(e["source"]) == {"ISR"} and codes(e["target"]) == {"EGY"}


def test_staff_withdrawn_from_an_embassy_in_a_capital(pipeline: Pipeline) -> None:
    e = main_event(pipeline, "The State Department ordered the departure of staff and families of employees "
                             "from the embassy at Nairobi.")
    assert e["type"] == "SANCTION"
    assert codes(e["source"]) == {"USA"} and codes(e["target"]) == {"KEN"}


def test_leaders_of_two_countries_are_both_parties(pipeline: Pipeline) -> None:
    e = main_event(pipeline, "The presidents of Kenya and Uganda signed a border agreement on Monday.")
    assert codes(e["source"]) == {"KEN", "UGA"} and codes(e["target"]) == {"KEN", "UGA"}
    e = main_event(pipeline, "The defence ministers of Greece and Cyprus met in Athens.")
    assert e["type"] == "CONSULT"
    assert codes(e["source"]) == {"GRC", "CYP"} and codes(e["target"]) == {"GRC", "CYP"}


def test_person_released_is_the_target(pipeline: Pipeline) -> None:
    # the required object is a person with a country from the text, not only a state or a body
    e = main_event(pipeline, "Cuba also released Alan Gross, an American contractor accused of spying.")
    assert e["type"] == "RETREAT"
    assert codes(e["source"]) == {"CUB"} and codes(e["target"]) == {"USA"}


def test_agent_of_a_passive_complement_is_the_party_accused(pipeline: Pipeline) -> None:
    e = main_event(pipeline, "American authorities allege the attacks were plotted by Saudi terrorist Osama bin Laden.")
    assert e["type"] == "ACCUSE"
    assert codes(e["source"]) == {"USA"} and codes(e["target"]) == {"SAU"}
