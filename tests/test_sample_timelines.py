"""Merged timelines over the bundled sample corpus: several outlets, one change each.

The sample articles (written for Legation about real events) report the same changes
from different angles and dates; merging must give one change with all its sources.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from legation.ingest import iter_inputs, sample_articles_path
from legation.pipeline import Pipeline
from legation.relations.timeline import get_timeline
from legation.store import Store, ingest


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = Path(tmp_path_factory.mktemp("samples")) / "samples.duckdb"
    store = Store(path)
    ingest(store, iter_inputs([str(sample_articles_path())]), Pipeline())
    yield store
    store.close()


def change(timeline: dict, kind: str, date: str) -> dict:
    found = [c for c in timeline["changes"] if c["change"] == kind and (c["date"] or "").startswith(date)]
    assert len(found) == 1, [(c["change"], c["date"], c["num_documents"]) for c in timeline["changes"]]
    return found[0]


def test_saudi_iran(store: Store) -> None:
    timeline = get_timeline(store, "SAU", "IRN")
    rupture = change(timeline, "break", "2016-01-03")
    assert rupture["num_documents"] >= 3 and rupture["num_publishers"] >= 3
    assert rupture["earliest_report"] == "2016-01-04"
    deal = change(timeline, "restore", "2023-03-10")
    assert deal["num_documents"] >= 2
    assert get_timeline(store, "IRN", "SAU", as_of="2020-01-01")["state_as_of"] == "broken"
    assert get_timeline(store, "IRN", "SAU", as_of="2023-06")["state_as_of"] == "active"


def test_qatar_saudi_arabia(store: Store) -> None:
    timeline = get_timeline(store, "QAT", "SAU")
    blockade = change(timeline, "break", "2017-06-05")
    assert blockade["num_documents"] >= 2
    change(timeline, "restore", "2021-01")
    assert get_timeline(store, "QAT", "SAU", as_of="2019")["state_as_of"] == "broken"
    assert timeline["state_as_of"] == "active"


def test_cuba_united_states(store: Store) -> None:
    timeline = get_timeline(store, "USA", "CUB")
    change(timeline, "break", "1961")
    reopening = change(timeline, "restore", "2015-07-20")
    assert reopening["num_documents"] >= 2 and reopening["num_publishers"] >= 2
    assert get_timeline(store, "USA", "CUB", as_of="2000")["state_as_of"] == "broken"


def test_merging_is_idempotent_on_reingest(store: Store) -> None:
    before = store.query("SELECT id, num_documents FROM relation_changes ORDER BY id")
    ingest(store, iter_inputs([str(sample_articles_path())]), Pipeline(), reanalyze=True)
    assert store.query("SELECT id, num_documents FROM relation_changes ORDER BY id") == before


def test_nicaragua_switches_from_taiwan_to_china(store: Store) -> None:
    taiwan = get_timeline(store, "NIC", "TWN")
    change(taiwan, "break", "2021-12-09")
    assert taiwan["state_as_of"] == "broken"
    china = get_timeline(store, "NIC", "CHN")
    change(china, "restore", "2021-12-10")
    assert china["state_as_of"] == "active"
