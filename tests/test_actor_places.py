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


def test_continents_are_not_gazetteer_towns(pipeline: Pipeline) -> None:
    found = coded(pipeline, "The senator said Asia and Africa would gain from the deal.")
    assert not {"PHL", "TUN"} & {code for code, _ in found.values()}, found  # GeoNames: Asia (PHL), Africa (TUN)


def test_white_house_without_article(pipeline: Pipeline) -> None:
    found = coded(pipeline, "A White House official said the talks in Geneva would resume.")
    assert found["White House official"] == ("USA", "country")


def test_language_adjective_is_not_a_country(pipeline: Pipeline) -> None:
    found = coded(pipeline, "Spanish-language media in Ohio reported the speech.")
    assert not any(code == "ESP" for code, _ in found.values()), found


def test_surname_tagged_as_a_place_is_the_person(pipeline: Pipeline) -> None:
    # a surname the tagger reads as a place ("Palin" is also a Guatemalan town) is the person named
    # in full before; the entity is set by hand so that the case does not hang on the tagger
    from spacy.tokens import Span

    from legation.actors.resolve import ActorResolver
    from legation.model import component_for

    doc = pipeline.nlp("Sarah Palin endorsed him in Iowa. Palin said the party would win.")
    palin = next(t.i for t in doc if t.text == "Palin" and t.i > 2)
    doc.ents = [e for e in doc.ents if not (e.start <= palin < e.end)] + [Span(doc, palin, palin + 1, label="GPE")]
    found = {(a.text, a.start): (a.code, a.kind) for a in component_for(doc, ActorResolver).resolve(doc)}
    assert found[("Palin", doc[palin].idx)][1] == "person", found


def test_gazetteer_town_outside_the_documents_countries_must_be_a_city() -> None:
    from legation.actors.gazetteer import FOREIGN_MIN_POPULATION, gazetteer
    g = gazetteer()
    palm_beach = g.lookup("Palm Beach")  # the Australian suburb is GeoNames' only Palm Beach
    if palm_beach is None or palm_beach.population >= FOREIGN_MIN_POPULATION:
        pytest.skip("GeoNames data without the small Palm Beach")
    assert g.lookup("Palm Beach", {"USA"}) is None  # in a report on the United States: not Australia
    assert g.lookup("Palm Beach", {"AUS"}).code == "AUS"
    nice = g.lookup("Nice", {"USA"})  # a city abroad is still read
    assert nice is not None and nice.code == "FRA"


def test_unlisted_town_with_its_state_and_in_a_report_on_a_known_person(pipeline: Pipeline) -> None:
    found = coded(pipeline, "Trump spoke to supporters in Palm Beach, Florida on Sunday.")
    assert found["Palm Beach"] == ("USA", "location")
    found = coded(pipeline, "Trump spent the weekend at his club in Palm Beach.")
    assert found.get("Palm Beach", (None,))[0] != "AUS"
