"""The batch writer and the derived rows: real DuckDB stores in tmp_path."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from legation import derive, writer
from legation.records import Analysis, Document, TimeValue
from legation.store import SCHEMA_VERSION, Store
from legation.writer import BatchWriter
from tests.factories import event_record

# every stored table, with the columns that identify a row (ingest time left out)
TABLES = {
    "documents": "id, source_id, title, url, published, publisher, language, text, origin, status, reason, stage_errors, model",
    "time_expressions": "*",
    "actors": "*",
    "quotes": "*",
    "events": "*",
    "relation_reports": "*",
    "relation_changes": "*",
    "event_clusters": "*",
}
CODES = ["SAU", "IRN", "QAT", "USA", "CHN"]
TEXTS = ["cut diplomatic ties with", "restored relations with", "imposed sanctions on", "met the envoy of",
         "accused the government of"]


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(store.con.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
            for table, cols in TABLES.items()}


def synthetic(n: int, seed: int = 7) -> list[Analysis]:
    """Documents with events among a few pairs and dates, some of them relation changes."""
    rng = random.Random(seed)
    analyses = []
    for i in range(n):
        published = f"20{rng.choice(['16', '17'])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        doc = Document(text=f"Report {i}.", published=published, publisher=rng.choice(["Wire", "Post", "Daily", None]),
                       source_id=f"r{i}")
        events = []
        for j in range(rng.randint(0, 3)):
            src, tgt = rng.sample(CODES, 2)
            relation = rng.choice(["break", "restore", None, None])
            text = f"{src} {rng.choice(TEXTS)} {tgt}"
            date = rng.choice([published, published[:7], published[:4], None])
            events.append(event_record(
                id=f"{doc.id}-e{j}", type=rng.choice(["SANCTION", "CONSULT"]), cameo="161", relation=relation,
                modality="asserted", source=[{"code": src, "text": src}], target=[{"code": tgt, "text": tgt}],
                date={"value": date or published, "defaulted": date is None, "text": None},
                evidence={"text": text, "start": 0, "end": len(text)}, quad_class=4, goldstein=-4.0,
                context=[], mode=None))
        analyses.append(Analysis(
            document=doc, events=events,
            times=[TimeValue(text="Monday", start=0, end=6, type="DATE", value=published, id="t1")],
            actors=[{"text": "Iran", "start": 0, "end": 4, "code": "IRN", "kind": "country", "members": [1, 2] if i % 3 else None}],
            quotes=[{"content": "We will respond", "start": 1, "end": 16, "direct": True, "cue": "said",
                     "speaker": {"entity": "S1", "text": "the minister", "start": 20, "end": 32,
                                 "actor": {"code": "IRN", "sector": "GOV"}}}]))
    return analyses


def load(path: Path, batches: list[list[Analysis]]) -> Store:
    store = Store(path)
    for batch in batches:
        BatchWriter(store, "m").write(batch)
    return store


def test_one_batch_loads_every_table(tmp_path: Path) -> None:
    analyses = synthetic(12)
    store = load(tmp_path / "w.duckdb", [analyses])
    counts = store.counts()
    assert counts["documents_ok"] == 12
    assert counts["events"] == sum(len(a.events) for a in analyses)
    assert counts["time_expressions"] == counts["actors"] == counts["quotes"] == 12
    assert store.query("SELECT members FROM actors WHERE doc_id = ?", [analyses[1].document.id])[0]["members"] == "[1, 2]"
    assert store.query("SELECT speaker_code FROM quotes LIMIT 1")[0]["speaker_code"] == "IRN"
    # every event is in one cluster, and its counts agree with the cluster's members
    clusters = store.query("SELECT ec.cluster_id, ec.num_mentions, count(*) OVER (PARTITION BY ec.cluster_id) AS members, "
                           "ec.num_articles, e.cluster_key FROM event_clusters ec JOIN events e ON e.id = ec.event_id")
    assert len(clusters) == counts["events"]
    assert all(c["num_mentions"] == c["members"] and c["num_articles"] >= 1 for c in clusters)
    assert store.query("SELECT count(*) AS n FROM relation_reports WHERE cluster_id IS NULL")[0]["n"] == 0
    store.close()


def test_batches_in_any_split_or_order_give_the_same_rows(tmp_path: Path) -> None:
    analyses = synthetic(30)
    one = load(tmp_path / "one.duckdb", [analyses])
    shuffled = analyses[:]
    random.Random(1).shuffle(shuffled)
    split = load(tmp_path / "split.duckdb", [shuffled[:7], shuffled[7:19], shuffled[19:]])
    assert snapshot(one) == snapshot(split)
    assert snapshot(one)["relation_changes"] and snapshot(one)["event_clusters"]
    one.close()
    split.close()


def test_reanalysis_replaces_rows_and_derived_data(tmp_path: Path) -> None:
    analyses = synthetic(10)
    store = load(tmp_path / "r.duckdb", [analyses])
    target = next(a for a in analyses if any(e.relation for e in a.events))
    changed = Analysis(document=target.document, events=[])  # re-analysed: no events any more
    BatchWriter(store, "m").write([changed])
    assert store.query("SELECT count(*) AS n FROM events WHERE doc_id = ?", [target.document.id])[0]["n"] == 0
    assert store.query("SELECT count(*) AS n FROM relation_reports WHERE doc_id = ?", [target.document.id])[0]["n"] == 0
    reference = load(tmp_path / "ref.duckdb", [[a if a is not target else changed for a in analyses]])
    assert snapshot(store) == snapshot(reference)
    store.close()
    reference.close()


def test_derived_rows_are_refreshed_for_touched_keys_only_and_match_a_rebuild(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    analyses = synthetic(40)
    store = load(tmp_path / "d.duckdb", [analyses[:30]])
    seen: dict[str, set[Any]] = {}
    refresh_clusters, refresh_pairs = writer.refresh_event_clusters, writer.refresh_pairs

    def spy_clusters(con: Any, keys: Any) -> int:
        seen["keys"] = set(keys)
        return refresh_clusters(con, keys)

    def spy_pairs(con: Any, pairs: Any) -> int:
        seen["pairs"] = set(pairs)
        return refresh_pairs(con, pairs)

    monkeypatch.setattr(writer, "refresh_event_clusters", spy_clusters)
    monkeypatch.setattr(writer, "refresh_pairs", spy_pairs)
    batch = analyses[30:]
    BatchWriter(store, "m").write(batch)
    stored_keys = {r[0] for r in store.con.execute("SELECT DISTINCT cluster_key FROM events").fetchall()}
    assert seen["keys"] == {derive.cluster_key(e.type, [e.source[0]["code"]], [e.target[0]["code"]],
                                               e.date["value"]) for a in batch for e in a.events}
    assert seen["keys"] < stored_keys  # the other keys were not read again
    assert seen["pairs"] == {(r[2], r[3], r[4]) for r in store.con.execute(
        "SELECT * FROM relation_reports WHERE doc_id IN (SELECT unnest(?))", [[a.document.id for a in batch]]).fetchall()}
    incremental = snapshot(store)
    store.con.execute("BEGIN")
    derive.rebuild(store.con)
    store.con.execute("COMMIT")
    assert snapshot(store) == incremental
    store.close()


def test_a_report_dated_by_year_joins_the_cluster_of_a_dated_one(tmp_path: Path) -> None:
    def analysis(text: str, date: str, publisher: str) -> Analysis:
        return Analysis(document=Document(text=text, published="2016-02-01", publisher=publisher), events=[event_record(
            id=text, type="SANCTION", source=[{"code": "SAU"}], target=[{"code": "IRN"}],
            date={"value": date}, evidence={"text": "Saudi Arabia cut diplomatic ties with Iran"})])

    store = load(tmp_path / "y.duckdb", [[analysis("a", "2016-01-03", "Wire")], [analysis("b", "2016", "Post")],
                                         [analysis("c", "2017-05-01", "Post")]])
    rows = store.query("SELECT e.id, c.num_mentions, c.num_sources FROM events e JOIN event_clusters c ON c.event_id = e.id "
                       "ORDER BY e.id")
    assert [(r["id"], r["num_mentions"], r["num_sources"]) for r in rows] == [("a", 2, 2), ("b", 2, 2), ("c", 1, 1)]
    store.close()


def test_failed_inputs_are_kept_once_and_never_replace_a_document(tmp_path: Path) -> None:
    from legation.records import FailedDocument

    store = Store(tmp_path / "f.duckdb")
    failure = FailedDocument(origin="x.txt", reason="empty: no text")
    out = BatchWriter(store, None, batch_documents=2)
    out.add_failure(failure)
    out.add_failure(failure)
    out.add(synthetic(1)[0])  # the batch is full: loaded now
    assert store.counts()["documents_failed"] == 1 and store.counts()["documents_ok"] == 1
    out.add_failure(failure)
    out.flush()
    assert store.counts()["documents_failed"] == 1
    store.close()


def test_save_analysis_is_a_batch_of_one(tmp_path: Path) -> None:
    analyses = synthetic(6)
    batched = load(tmp_path / "b.duckdb", [analyses])
    single = Store(tmp_path / "s.duckdb")
    for analysis in analyses:
        single.save_analysis(analysis, model="m")
    assert snapshot(single) == snapshot(batched)
    single.close()
    batched.close()


def test_a_schema_5_store_gets_cluster_keys_and_counts(old_store) -> None:
    con, path = old_store(5)
    con.execute("INSERT INTO documents (id, status, ingested_at, publisher) VALUES ('d1', 'ok', now(), 'Wire'), "
                "('d2', 'ok', now(), 'Post')")
    con.execute("INSERT INTO events (id, doc_id, type, source_codes, target_codes, date_value, evidence_text) VALUES "
                "('e1', 'd1', 'SANCTION', ['SAU'], ['IRN'], '2016-01-03', 'Saudi Arabia cut ties with Iran'), "
                "('e2', 'd2', 'SANCTION', ['SAU'], ['IRN'], '2016', 'Saudi Arabia cut its ties with Iran')")
    con.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION >= 6
    rows = store.query("SELECT e.cluster_key, c.num_mentions, c.num_sources FROM events e JOIN event_clusters c "
                       "ON c.event_id = e.id ORDER BY e.id")
    assert rows == [{"cluster_key": "SANCTION|SAU|IRN|2016", "num_mentions": 2, "num_sources": 2}] * 2
    store.close()


@pytest.mark.slow
def test_ingesting_in_two_batches_gives_the_rows_of_one(tmp_path: Path) -> None:
    from legation.ingest import iter_inputs, sample_articles_path
    from legation.pipeline import Pipeline
    from legation.store import ingest

    pipeline = Pipeline()
    items = list(iter_inputs([str(sample_articles_path())]))
    one = Store(tmp_path / "one.duckdb")
    ingest(one, items, pipeline)
    two = Store(tmp_path / "two.duckdb")
    half = len(items) // 2
    ingest(two, items[:half], pipeline, write_batch=5)
    summary = ingest(two, items, pipeline, write_batch=7)  # the first half again: unchanged
    assert summary["unchanged"] == half and summary["new"] == len(items) - half
    rows = snapshot(one)
    assert rows == snapshot(two)
    assert rows["events"] and rows["relation_changes"] and rows["event_clusters"] and rows["quotes"]
    one.close()
    two.close()
