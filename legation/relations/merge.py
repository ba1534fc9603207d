"""Merging across documents: one relation change with all its sources; event clusters.

The store recomputes them for the pairs (or event keys) a batch touches
(``legation.derive``), with deterministic ids: ingesting in any order, or twice, gives
the same rows.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from legation.relations.changes import compatible, more_precise

PairKey = tuple[str, str, str]  # a, b, kind


def _hash(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def cluster_reports(reports: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group reports of one change (same pair, kind and change) that name the same moment.

    Explicit dates decide: equal at the coarser precision ("2023" and "2023-09-11"), or
    precise dates a month or less apart, kept side by side. A report whose date only
    defaulted to its publication joins the latest cluster dated before it was published.
    """
    explicit = sorted((r for r in reports if not r["date_defaulted"] and r["date"]),
                      key=lambda r: (-len(r["date"]), r["date"], str(r["published"] or ""), r["event_id"]))
    clusters: list[list[dict[str, Any]]] = []
    for report in explicit:
        home = next((c for c in clusters if _same_moment(c[0]["date"], report["date"])), None)
        if home is None:
            clusters.append([report])
        else:
            home.append(report)
    for report in sorted((r for r in reports if r["date_defaulted"] or not r["date"]), key=lambda r: (str(r["published"] or ""), r["event_id"])):
        published = str(report["published"] or "9999")
        same_month = [c for c in clusters if compatible(c[0]["date"], report["date"])]
        earlier = [c for c in clusters if (c[0]["date"] or "") <= published[:len(c[0]["date"] or "")]]
        if same_month:
            max(same_month, key=lambda c: c[0]["date"] or "").append(report)
        elif earlier and report.get("background", True):
            # told as background ("had severed ties"): the latest such change before publication
            max(earlier, key=lambda c: c[0]["date"] or "").append(report)
        else:
            clusters.append([report])
    return clusters


def _same_moment(cluster_date: str | None, date: str | None) -> bool:
    if compatible(cluster_date, date):
        return True
    return bool(cluster_date and date and len(cluster_date) >= 7 and len(date) >= 7
                and abs(_months(cluster_date) - _months(date)) <= 1)


def _months(value: str | None) -> int:
    match = re.match(r"(\d{4})(?:-(\d{2}))?", value or "")
    if not match:
        return 0
    return int(match.group(1)) * 12 + int(match.group(2) or 6)


def summarize(cluster: list[dict[str, Any]]) -> dict[str, Any]:
    """A merged change: the most precise date, other reported dates kept beside it."""
    first = cluster[0]
    dates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    best = None
    for report in cluster:
        if not report["date_defaulted"]:
            best = more_precise(best, report["date"])
        dates[report["date"] or "unknown"].append({"doc_id": report["doc_id"], "publisher": report["publisher"],
                                                   "published": str(report["published"]) if report["published"] else None,
                                                   "event_id": report["event_id"], "defaulted": report["date_defaulted"]})
    if best is None:
        best = min((r["date"] for r in cluster if r["date"]), default=None)
    by = _acting_party(cluster)
    published = [str(r["published"]) for r in cluster if r["published"]]
    return {
        "id": _hash(first["a"], first["b"], first["kind"], first["change"], best, min(r["event_id"] for r in cluster)),
        "a": first["a"], "b": first["b"], "kind": first["kind"], "change": first["change"], "by": by,
        "date": best,
        "dates": {d: sources for d, sources in sorted(dates.items())},
        "earliest_report": min(published) if published else None,
        "num_reports": len(cluster),
        "num_documents": len({r["doc_id"] for r in cluster}),
        "num_publishers": len({r["publisher"] for r in cluster if r["publisher"]}) or len({r["doc_id"] for r in cluster}),
        "reports": cluster,
    }


def _acting_party(cluster: list[dict[str, Any]]) -> str | None:
    """Whose act the change was: the party most reports name; on a tie, the one reported first
    (earliest publication), then the code. Never set or hash order, so the same reports give the
    same answer whatever PYTHONHASHSEED."""
    counts: dict[str, int] = defaultdict(int)
    first_seen: dict[str, str] = {}
    for report in cluster:
        code = report["by"]
        if code is None:
            continue
        counts[code] += 1
        published = str(report.get("published") or "9999")
        first_seen[code] = min(first_seen.get(code, published), published)
    if not counts:
        return None
    return min(counts, key=lambda code: (-counts[code], first_seen[code], code))


# --- event clusters ------------------------------------------------------------------
_WORD = re.compile(r"[a-z]{3,}")


def _words(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").lower()))


def cluster_events(events: Sequence[dict[str, Any]], min_similarity: float = 0.15) -> dict[str, str]:
    """Cluster reports of the same event: type, source and target codes and date window
    (``legation.derive.cluster_key``), then compatible dates and overlapping evidence words.
    Returns event id -> cluster id. O(n log n) in the number of events: grouping by key,
    then a sweep over dates inside each group."""
    from legation.derive import cluster_key

    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        groups[cluster_key(event["type"], event["source_codes"], event["target_codes"], event.get("date_value"))].append(event)
    assignment: dict[str, str] = {}
    for key, members in groups.items():
        assignment.update(cluster_event_group(key, members, min_similarity))
    return assignment


def cluster_event_group(key: str, members: Sequence[dict[str, Any]], min_similarity: float = 0.15) -> dict[str, str]:
    """The sweep inside one cluster key: events in date order join one of the last eight open
    clusters with a compatible date and enough shared evidence words."""
    assignment: dict[str, str] = {}
    open_clusters: list[tuple[str, str | None, set[str]]] = []  # (cluster id, date, words)
    for event in sorted(members, key=lambda e: (e["date_value"] or "", e["id"])):
        words = _words(event.get("evidence_text"))
        date = None if event.get("date_defaulted") else event.get("date_value")
        home = None
        for index in range(len(open_clusters) - 1, max(-1, len(open_clusters) - 8), -1):
            cluster_id, cluster_date, cluster_words = open_clusters[index]
            if not compatible(cluster_date, date):
                continue
            union = len(words | cluster_words) or 1
            if len(words & cluster_words) / union >= min_similarity:
                home = index
                break
        if home is None:
            cluster_id = _hash(key, event["id"])
            open_clusters.append((cluster_id, date, words))
        else:
            cluster_id, cluster_date, cluster_words = open_clusters[home]
            open_clusters[home] = (cluster_id, more_precise(cluster_date, date), cluster_words | words)
        assignment[event["id"]] = cluster_id
    return assignment
