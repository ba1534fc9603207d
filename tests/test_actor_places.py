"""States and provinces (data/actors/subdivisions.yaml) with the real spaCy pipeline: a state is a
place in its country, a state that shares a country's name is read by the document's context,
and a town named with its state is a town there. Sentences written for these tests."""
from __future__ import annotations

import pytest

from legation.actors.knowledge import actor_knowledge
from legation.pipeline import Pipeline
from legation.records import Document


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(stages=["times", "actors"])


def coded(pipeline: Pipeline, text: str) -> dict[str, tuple]:
    analysis = pipeline.analyze(Document(text=text, published="2016-03-02"))
    assert not analysis.errors, analysis.errors
    return {a.text: (a.code, a.kind) for a in analysis.actors}


def test_every_state_is_a_place_of_its_country() -> None:
    k = actor_knowledge()
    for name in ("Virginia", "Arizona", "Colorado", "Indiana", "Montana", "Ohio", "New Hampshire"):
        form = k.forms[name]
        assert (form.code, form.kind, form.form_type) == ("USA", "location", "subdivision"), name
    # a name a country already has is kept apart for the resolver
    assert k.forms["Georgia"].code == "GEO"
    assert k.homonym_subdivisions["Georgia"].code == "USA"


def test_state_names_are_not_gazetteer_towns_or_misspelt_countries(pipeline: Pipeline) -> None:
    found = coded(pipeline, "The senator campaigned in Virginia, Arizona and Indiana before the vote in Colorado.")
    for name in ("Virginia", "Arizona", "Indiana", "Colorado"):
        assert found[name] == ("USA", "location"), (name, found)


@pytest.mark.parametrize("text", [
    "Clinton won the primaries in Alabama, Georgia and Tennessee on Tuesday.",
    "Voters in Georgia backed the governor, and turnout in Ohio was high.",
])
def test_state_sharing_a_country_name_in_us_context(pipeline: Pipeline, text: str) -> None:
    assert coded(pipeline, text)["Georgia"] == ("USA", "location")


@pytest.mark.parametrize("text", [
    "Russian troops entered Georgia in August.",  # no other state named
    "Ohio sent aid after Russian troops entered Georgia, the government in Tbilisi said.",  # its capital named
    "The firm lobbied for Albania, Cyprus, Georgia and India, and kept an office in Ohio.",  # listed with countries
])
def test_country_sharing_a_state_name_stays_the_country(pipeline: Pipeline, text: str) -> None:
    assert coded(pipeline, text)["Georgia"] == ("GEO", "country")


def test_town_named_with_its_state(pipeline: Pipeline) -> None:
    found = coded(pipeline, "He spoke at a rally in Lebanon, Pennsylvania, and then flew to Paris, Texas.")
    assert found["Lebanon"] == ("USA", "location")
    assert found["Paris"] == ("USA", "location")
    assert found["Pennsylvania"] == ("USA", "location")


def test_state_modifying_a_group_noun_gives_its_country(pipeline: Pipeline) -> None:
    found = coded(pipeline, "Iowa voters rejected the plan, and Ohio officials said they would appeal.")
    assert found["Iowa voters"] == ("USA", "group")
    assert found["Ohio officials"] == ("USA", "group")
