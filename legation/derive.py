"""Cross-document data derived after a batch is loaded, only for the keys the batch touched.

Two kinds of derived rows:

- relation changes: the reports of one pair and relation kind merged across documents
  (``relation_changes``, and ``relation_reports.cluster_id``);
- event clusters: reports of the same event in several documents, with GDELT's
  NumMentions / NumSources / NumArticles (``event_clusters``).

Each is recomputed per key from the stored rows of that key, with one query for all the
keys of a batch and one bulk write per table. An event's cluster key holds its date
window (the year of its date), so a new report never re-reads the history of a busy
pair: only the events of the same type, actors and year. The result is the same
whatever the order or batching of the documents (``rebuild`` computes it from scratch).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from legation.relations.merge import cluster_event_group, cluster_reports, summarize

PairKey = tuple[str, str, str]  # a, b, kind

_YEAR = re.compile(r"^\d{4}")


def date_window(date_value: str | None) -> str:
    """The window an event is clustered in: the year of its date ('' when undated), so that a
    report dated "in 2016" can join one dated 2016-01-03."""
    value = date_value or ""
    return value[:4] if _YEAR.match(value) else ""


def cluster_key(event_type: str | None, source_codes: Iterable[str] | None, target_codes: Iterable[str] | None,
                date_value: str | None) -> str:
    """Events can be reports of one event only when they share this key: type, sorted
    source and target codes, date window."""
    return "|".join([event_type or "", ";".join(sorted(source_codes or [])), ";".join(sorted(target_codes or [])),
                     date_window(date_value)])


def _register(con: Any, name: str, table: pa.Table) -> None:
    con.register(name, table)


# --- event clusters --------------------------------------------------------------------
EVENT_CLUSTER_SCHEMA = pa.schema([("cluster_id", pa.string()), ("event_id", pa.string()), ("num_mentions", pa.int32()),
                                  ("num_sources", pa.int32()), ("num_articles", pa.int32())])


def refresh_event_clusters(con: Any, keys: Iterable[str]) -> int:
    """Recluster the events of these cluster keys and rewrite their rows with their counts.
    Returns the number of clusters written."""
    keys = sorted(set(keys))
    if not keys:
        return 0
    _register(con, "_derive_keys", pa.table({"cluster_key": pa.array(keys, pa.string())}))
    try:
        rows = con.execute(
            "SELECT e.id, e.cluster_key, e.date_value, e.date_defaulted, e.evidence_text, e.doc_id, d.publisher "
            "FROM events e JOIN documents d ON d.id = e.doc_id "
            "WHERE e.cluster_key IN (SELECT cluster_key FROM _derive_keys) ORDER BY e.cluster_key, e.id").fetchall()
    finally:
        con.unregister("_derive_keys")
    # the old rows of these events (events of documents deleted in this batch lost theirs already)
    _register(con, "_derive_events", pa.table({"id": pa.array([row[0] for row in rows], pa.string())}))
    try:
        con.execute("DELETE FROM event_clusters WHERE event_id IN (SELECT id FROM _derive_events)")
    finally:
        con.unregister("_derive_events")
    table, clusters = _cluster_rows(rows)
    if table.num_rows:
        _register(con, "_derive_clusters", table)
        try:
            con.execute("INSERT INTO event_clusters (cluster_id, event_id, num_mentions, num_sources, num_articles) "
                        "SELECT cluster_id, event_id, num_mentions, num_sources, num_articles FROM _derive_clusters")
        finally:
            con.unregister("_derive_clusters")
    return clusters


def _cluster_rows(rows: Sequence[tuple[Any, ...]]) -> tuple[pa.Table, int]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event_id, key, date_value, date_defaulted, evidence_text, doc_id, publisher in rows:
        groups[key].append({"id": event_id, "date_value": date_value, "date_defaulted": date_defaulted,
                            "evidence_text": evidence_text, "doc_id": doc_id, "publisher": publisher})
    cluster_ids: list[str] = []
    event_ids: list[str] = []
    mentions: list[int] = []
    sources: list[int] = []
    articles: list[int] = []
    count = 0
    for key, members in groups.items():
        assignment = cluster_event_group(key, members)
        by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for member in members:
            by_cluster[assignment[member["id"]]].append(member)
        count += len(by_cluster)
        for cid, cluster in by_cluster.items():
            n_sources = len({m["publisher"] for m in cluster if m["publisher"]})
            n_articles = len({m["doc_id"] for m in cluster})
            for member in cluster:
                cluster_ids.append(cid)
                event_ids.append(member["id"])
                mentions.append(len(cluster))
                sources.append(n_sources)
                articles.append(n_articles)
    table = pa.table([pa.array(cluster_ids, pa.string()), pa.array(event_ids, pa.string()), pa.array(mentions, pa.int32()),
                      pa.array(sources, pa.int32()), pa.array(articles, pa.int32())], schema=EVENT_CLUSTER_SCHEMA)
    return table, count


# --- relation changes ------------------------------------------------------------------
RELATION_CHANGE_SCHEMA = pa.schema([
    ("id", pa.string()), ("a", pa.string()), ("b", pa.string()), ("kind", pa.string()), ("change", pa.string()),
    ("by_code", pa.string()), ("date_value", pa.string()), ("dates", pa.string()), ("earliest_report", pa.string()),
    ("num_reports", pa.int32()), ("num_documents", pa.int32()), ("num_publishers", pa.int32())])
_REPORT_COLUMNS = ["event_id", "doc_id", "a", "b", "kind", "change", "by", "date", "date_defaulted", "published", "publisher",
                   "background"]


def refresh_pairs(con: Any, pairs: Iterable[PairKey]) -> int:
    """Recompute the merged changes of these pairs from all their stored reports; one read,
    one delete, one insert and one update for all pairs. Returns the number of changes."""
    pairs = sorted(set(pairs))
    if not pairs:
        return 0
    pair_table = pa.table({"a": pa.array([p[0] for p in pairs], pa.string()), "b": pa.array([p[1] for p in pairs], pa.string()),
                           "kind": pa.array([p[2] for p in pairs], pa.string())})
    _register(con, "_derive_pairs", pair_table)
    try:
        rows = con.execute(
            "SELECT r.event_id, r.doc_id, r.a, r.b, r.kind, r.change, r.by_code, r.date_value, r.date_defaulted, "
            "r.published, r.publisher, r.date_background FROM relation_reports r JOIN _derive_pairs p "
            "ON r.a = p.a AND r.b = p.b AND r.kind = p.kind ORDER BY r.a, r.b, r.kind, r.event_id").fetchall()
        con.execute("DELETE FROM relation_changes WHERE EXISTS (SELECT 1 FROM _derive_pairs p WHERE "
                    "p.a = relation_changes.a AND p.b = relation_changes.b AND p.kind = relation_changes.kind)")
    finally:
        con.unregister("_derive_pairs")
    by_change: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        report = dict(zip(_REPORT_COLUMNS, row))
        by_change[(report["a"], report["b"], report["kind"], report["change"])].append(report)
    merged = [summarize(c) for key in sorted(by_change) for c in cluster_reports(by_change[key])]
    if not merged:
        return 0
    columns: dict[str, list[Any]] = {name: [] for name in RELATION_CHANGE_SCHEMA.names}
    mapping: dict[str, list[Any]] = {"event_id": [], "a": [], "b": [], "cluster_id": []}
    for change in merged:
        values = [change["id"], change["a"], change["b"], change["kind"], change["change"], change["by"], change["date"],
                  json.dumps(change["dates"]), change["earliest_report"], change["num_reports"], change["num_documents"],
                  change["num_publishers"]]
        for name, value in zip(RELATION_CHANGE_SCHEMA.names, values):
            columns[name].append(value)
        for report in change["reports"]:
            mapping["event_id"].append(report["event_id"])
            mapping["a"].append(report["a"])
            mapping["b"].append(report["b"])
            mapping["cluster_id"].append(change["id"])
    _register(con, "_derive_changes", pa.table(columns, schema=RELATION_CHANGE_SCHEMA))
    _register(con, "_derive_map", pa.table({k: pa.array(v, pa.string()) for k, v in mapping.items()}))
    try:
        con.execute("INSERT INTO relation_changes SELECT id, a, b, kind, change, by_code, date_value, dates, "
                    "CAST(earliest_report AS DATE), num_reports, num_documents, num_publishers FROM _derive_changes")
        con.execute("UPDATE relation_reports SET cluster_id = m.cluster_id FROM _derive_map m WHERE "
                    "relation_reports.event_id = m.event_id AND relation_reports.a = m.a AND relation_reports.b = m.b")
    finally:
        con.unregister("_derive_changes")
        con.unregister("_derive_map")
    return len(merged)


# --- from scratch ----------------------------------------------------------------------
def backfill_cluster_keys(con: Any) -> None:
    """Give every stored event its cluster key (stores written before schema 6)."""
    rows = con.execute("SELECT id, type, source_codes, target_codes, date_value FROM events").fetchall()
    if not rows:
        return
    table = pa.table({"id": pa.array([r[0] for r in rows], pa.string()),
                      "cluster_key": pa.array([cluster_key(r[1], r[2], r[3], r[4]) for r in rows], pa.string())})
    _register(con, "_derive_event_keys", table)
    try:
        con.execute("UPDATE events SET cluster_key = k.cluster_key FROM _derive_event_keys k WHERE events.id = k.id")
    finally:
        con.unregister("_derive_event_keys")


def rebuild(con: Any) -> None:
    """Recompute every derived row from the stored reports and events."""
    keys = [row[0] for row in con.execute("SELECT DISTINCT cluster_key FROM events WHERE cluster_key IS NOT NULL").fetchall()]
    con.execute("DELETE FROM event_clusters")
    refresh_event_clusters(con, keys)
    pairs = con.execute("SELECT DISTINCT a, b, kind FROM relation_reports").fetchall()
    con.execute("DELETE FROM relation_changes")
    refresh_pairs(con, [tuple(p) for p in pairs])
