"""Main-event choice (events/rank.py): one main event per sentence, chosen by syntactic role,
operator scope, completeness and specificity, never by text order alone; stored and exported."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from legation.evaluation.plover import primary_event
from legation.pipeline import Pipeline
from legation.records import Document


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def analyse(pipeline: Pipeline, text: str):
    analysis = pipeline.analyze(Document(text=text, published="2023-09-14"))
    assert not analysis.errors, analysis.errors
    return analysis


def main_of(pipeline: Pipeline, text: str) -> dict:
    evs = analyse(pipeline, text).to_dict()["events"]
    mains = [e for e in evs if e["main"]]
    assert len(mains) == 1, [(e["type"], e["trigger"]["text"], e["main"]) for e in evs]
    assert primary_event(evs) is mains[0]
    return mains[0]


def test_the_main_clause_wins_over_an_earlier_adjunct_clause(pipeline: Pipeline) -> None:
    # the subordinate clause comes first in the text: text order would pick the beating
    main = main_of(pipeline, "After police beat demonstrators in Prague, Czech students went on strike.")
    assert main["type"] == "PROTEST" and main["trigger"]["text"] == "strike" and main["role"] == "main"


def test_an_event_noun_inside_another_events_argument_is_not_main(pipeline: Pipeline) -> None:
    evs = analyse(pipeline, "Iran condemned the killing of its general in an American drone strike.").to_dict()["events"]
    main = [e for e in evs if e["main"]]
    assert [e["trigger"]["text"] for e in main] == ["condemned"]
    assert {e["trigger"]["text"]: e["role"] for e in evs}["killing"] == "argument"


def test_an_embedded_event_is_never_main(pipeline: Pipeline) -> None:
    evs = analyse(pipeline, "Turkey stopped shelling Kurdish villages in northern Iraq.").to_dict()["events"]
    embedded = [e for e in evs if e.get("embedded_in")]
    assert embedded and not any(e["main"] for e in embedded)
    assert sum(e["main"] for e in evs) == 1


def test_one_main_event_per_sentence(pipeline: Pipeline) -> None:
    text = ("Germany expelled two Russian diplomats on Monday, a week after Russia accused Berlin of spying. "
            "Police arrested dozens of protesters after a demonstration in Cairo.")
    evs = analyse(pipeline, text).to_dict()["events"]
    by_sentence: dict[int, list[dict]] = {}
    for e in evs:
        by_sentence.setdefault(e["evidence"]["start"], []).append(e)
    assert len(by_sentence) == 2
    mains = sorted((e["trigger"]["text"] for e in evs if e["main"]))
    assert mains == ["arrested", "expelled"]
    assert all(sum(e["main"] for e in group) == 1 for group in by_sentence.values())


def test_roles_from_a_parse() -> None:
    """Role levels on a hand-built parse: a complement ranks above a coordinated clause, which ranks
    above an adjunct; a path keeps its weakest step."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from legation.events.rank import ranking_rules, trigger_role

    words = ["Officials", "said", "Iran", "attacked", "ships", "and", "Britain", "protested", "after", "talks", "failed"]
    heads = [1, 1, 3, 1, 3, 3, 7, 3, 10, 10, 3]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "dobj", "cc", "nsubj", "conj", "mark", "nsubj", "advcl"]
    pos = ["NOUN", "VERB", "PROPN", "VERB", "NOUN", "CCONJ", "PROPN", "VERB", "SCONJ", "NOUN", "VERB"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)
    rules = ranking_rules()
    assert trigger_role(doc[3], set(), rules) == ("complement", 1)
    assert trigger_role(doc[7], set(), rules) == ("coordinated", 2)  # conj inside the complement: its weakest step
    assert trigger_role(doc[9], set(), rules)[0] == "adjunct"  # the noun stands for its clause, an adjunct
    assert trigger_role(doc[4], {3}, rules) == ("argument", 0)  # a noun in the attack's own argument
    assert rules.level("complement") > rules.level("coordinated") > rules.level("adjunct") > rules.level("argument")


def test_main_is_stored_exported_and_filtered(pipeline: Pipeline, tmp_path: Path) -> None:
    import pandas as pd

    from legation import query
    from legation.query import EventFilter
    from legation.store import Store

    analysis = analyse(pipeline, "Iran condemned the killing of its general in an American drone strike.")
    store = Store(tmp_path / "s.duckdb")
    store.save_analysis(analysis, model="m")
    rows = store.query("SELECT trigger_text, main, role FROM events ORDER BY trigger_start")
    assert {r["trigger_text"]: r["main"] for r in rows} == {e["trigger"]["text"]: e["main"] for e in analysis.to_dict()["events"]}
    assert sum(r["main"] for r in rows) == 1 and all(r["role"] for r in rows)
    main_rows = query.event_rows(store.con, EventFilter.parse(main_only="true"), "e.trigger_text")[0]
    assert [r["trigger_text"] for r in main_rows] == ["condemned"]
    table = pd.read_csv(io.BytesIO(b"".join(query.export_stream(store.con, EventFilter.parse(), "csv"))))
    assert table["IsMainEvent"].sum() == 1 and set(table["TriggerRole"]) >= {"main", "argument"}
    store.close()


def test_a_schema_10_store_gains_main_unknown_for_old_rows(old_store) -> None:
    from legation import query
    from legation.query import EventFilter
    from legation.store import SCHEMA_VERSION, Store

    con, path = old_store(10)
    con.execute("INSERT INTO documents (id, status, ingested_at) VALUES ('d1', 'ok', now())")
    con.execute("INSERT INTO events (id, doc_id, type) VALUES ('e1', 'd1', 'CONSULT')")
    con.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION >= 11
    assert store.query("SELECT main, role FROM events") == [{"main": None, "role": None}]
    # an old row's main event is unknown: the main-only filter keeps it rather than hide it
    assert [r["id"] for r in query.event_rows(store.con, EventFilter.parse(main_only=True), "e.id")[0]] == ["e1"]
    store.close()


# --- passive agents ---------------------------------------------------------------------------
def codes(actors: list[dict]) -> set[str]:
    return {a["code"] for a in actors if a["code"]}


@pytest.mark.parametrize("text, trigger, source, target", [
    ("Israel was attacked by Iran on Monday.", "attacked", {"IRN"}, {"ISR"}),
    ("Russian diplomats were expelled by Poland on Tuesday.", "expelled", {"POL"}, {"RUS"}),
    # the parser hangs "on ..." from the agent's noun: the party acted on, not part of the agent
    ("Tariffs were imposed by the United States on Chinese steel.", "imposed", {"USA"}, {"CHN"}),
    ("Sanctions imposed by the European Union on Iran took effect on Monday.", "imposed", {"EUR"}, {"IRN"}),
])
def test_a_passive_agent_is_the_source_and_its_patient_the_target(pipeline: Pipeline, text: str, trigger: str,
                                                                  source: set, target: set) -> None:
    e = next(e for e in analyse(pipeline, text).to_dict()["events"] if e["trigger"]["text"] == trigger)
    assert codes(e["source"]) == source and codes(e["target"]) == target
    assert not e["source_defaulted"] and not e["target_defaulted"]


def test_an_agents_origin_is_not_a_target(pipeline: Pipeline) -> None:
    e = next(e for e in analyse(pipeline, "The convoy was attacked by gunmen from Syria.").to_dict()["events"] if e["trigger"]["text"] == "attacked")
    assert not (codes(e["target"]) - {"SYR"}) or not e["target"]
    assert e["target_defaulted"] is False


# --- default parties: only from the trigger's own clause ---------------------------------------
def test_no_default_target_from_a_speech_tag(pipeline: Pipeline) -> None:
    # "Iranian officials" sit in the clause that reports the attack, not in the attack's own clause
    e = next(e for e in analyse(pipeline, "Iranian officials said the Revolutionary Guards attacked a tanker.").to_dict()["events"]
             if e["trigger"]["text"] == "attacked")
    assert codes(e["source"]) == {"IRN"} and e["target"] == [] and not e["target_defaulted"]


def test_a_place_the_clause_names_is_a_flagged_default(pipeline: Pipeline) -> None:
    e = next(e for e in analyse(pipeline, "Turkish authorities imposed a curfew in the town of Cizre.").to_dict()["events"]
             if e["trigger"]["text"] == "imposed")
    assert codes(e["target"]) == {"TUR"} and e["target_defaulted"]


def test_own_clause_stops_at_clauses_above_and_below() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from legation.events.syntax import own_clause

    words = ["Officials", "said", "troops", "entered", "towns", "leading", "into", "Kabul", "after", "talks", "failed"]
    heads = [1, 1, 3, 1, 3, 4, 5, 6, 10, 10, 3]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "dobj", "acl", "prep", "pobj", "mark", "nsubj", "advcl"]
    pos = ["NOUN", "VERB", "NOUN", "VERB", "NOUN", "VERB", "ADP", "PROPN", "SCONJ", "NOUN", "VERB"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)
    # a participle inside the object stays; the speech tag above and the adjunct clause below do not
    assert [t.text for t in own_clause(doc[3])] == ["troops", "entered", "towns", "leading", "into", "Kabul"]


# --- confidence --------------------------------------------------------------------------------
def test_confidence_follows_the_data_file_weights() -> None:
    import math

    from legation.events.confidence import confidence_model, features
    from legation.events.draft import Draft
    from tests.factories import event_record

    model = confidence_model()
    weights = dict(model.weights)
    event = {"main": True, "source": [{"code": "IRN"}], "target": [{"code": "ISR"}], "method": "lexicon",
             "source_defaulted": False, "target_defaulted": False, "role": "main"}

    def draft(**fields) -> Draft:
        return Draft(event_record(**{**event, **fields}), token=0, complement_of=None, base="")

    f = features(draft())
    expected = model.intercept + weights["main"] + weights["source_stated"] + weights["target_stated"]
    assert model.score(f) == pytest.approx(1 / (1 + math.exp(-expected)))
    # a party supplied by default earns no more than no party (prefer none over a guessed one)
    guessed = features(draft(target_defaulted=True))
    missing = features(draft(target=[]))
    assert model.score(guessed) <= model.score(f) and model.score(guessed) == pytest.approx(model.score(missing))
    # not main, or inside another event's argument: less often right
    assert model.score(features(draft(main=False))) < model.score(f)
    assert model.score(features(draft(main=False, role="argument"))) < model.score(features(draft(main=False)))


def test_confidence_ranks_the_main_event_with_named_parties_highest(pipeline: Pipeline) -> None:
    evs = analyse(pipeline, "Iran condemned the killing of its general in an American drone strike.").to_dict()["events"]
    assert all(0.0 < e["confidence"] < 1.0 for e in evs)
    main = next(e for e in evs if e["main"])
    assert all(main["confidence"] > e["confidence"] for e in evs if e is not main)
    assert not any(k.startswith("_") for e in evs for k in e)  # working keys never leave the extractor


def test_a_venue_is_not_a_party_of_talks(pipeline: Pipeline) -> None:
    e = next(e for e in analyse(pipeline, "Iranian diplomats held talks in Geneva on Monday.").to_dict()["events"] if e["type"] == "CONSULT")
    assert codes(e["source"]) == {"IRN"} and e["target"] == [] and not e["target_defaulted"]
    # where a concession is made, that place is its target, flagged as supplied
    e = next(e for e in analyse(pipeline, "Serbia lifted a night curfew in Montenegro.").to_dict()["events"] if e["trigger"]["text"] == "lifted")
    assert codes(e["target"]) == {"MNE"} and e["target_defaulted"]


def test_no_domestic_default_for_verbal_acts() -> None:
    from legation.events.cues import DOMESTIC_ROOTS, VENUE_ROOTS

    # demands, disapproval, rejection and threats name their target or have none
    assert not DOMESTIC_ROOTS & {"09", "10", "11", "12", "13"}
    assert {"17", "18", "19", "20", "14"} <= DOMESTIC_ROOTS and "04" in VENUE_ROOTS
