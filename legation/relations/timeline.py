"""The state of a relation over time, from its merged changes."""
from __future__ import annotations

import json
from typing import Any

from legation.relations.changes import CHANGES


def normalize_pair(a: str, b: str) -> tuple[str, str]:
    a, b = a.upper(), b.upper()
    return (a, b) if a <= b else (b, a)


def get_timeline(store: Any, a: str, b: str, kind: str = "diplomatic", as_of: str | None = None) -> dict[str, Any]:
    """Ordered changes with their sources, the states between them, and the state as of a date.

    Before the first reported change the state is "unknown": absence of reports is not
    absence of relations.
    """
    a, b = normalize_pair(a, b)
    rows = store.query(
        "SELECT id, change, by_code, date_value, dates, earliest_report, num_reports, num_documents, num_publishers "
        "FROM relation_changes WHERE a = ? AND b = ? AND kind = ? ORDER BY date_value NULLS LAST, earliest_report, change",
        [a, b, kind])
    changes = []
    for row in rows:
        dates = json.loads(row["dates"]) if row["dates"] else {}
        sources = [dict(s, reported_date=d) for d, items in dates.items() for s in items]
        changes.append({
            "id": row["id"], "date": row["date_value"], "change": row["change"], "by": row["by_code"],
            "num_reports": row["num_reports"], "num_documents": row["num_documents"], "num_publishers": row["num_publishers"],
            "earliest_report": str(row["earliest_report"]) if row["earliest_report"] else None,
            "dates_reported": sorted(d for d, items in dates.items() if d != "unknown" and any(not i.get("defaulted") for i in items)),
            "sources": sources,
        })
    states: list[dict[str, Any]] = []
    state, since = "unknown", None
    for change in changes:
        effect = CHANGES.get(change["change"], (kind, None))[1]
        if effect is None or effect == state:
            continue
        states.append({"from": since, "to": change["date"], "state": state})
        state, since = effect, change["date"]
    states.append({"from": since, "to": None, "state": state})
    return {"pair": [a, b], "kind": kind, "changes": changes, "states": states,
            "as_of": as_of, "state_as_of": state_at(states, as_of) if as_of else state}


def state_at(states: list[dict[str, Any]], when: str) -> str:
    """The state on a date (ISO prefix); a change dated "2007" counts from 2007 on."""
    current = "unknown"
    for span in states:
        start = span["from"]
        if start is None or start[: len(when)] <= when[: len(start)]:
            current = span["state"]
    return current


def list_relations(store: Any, actor: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """Pairs with changes, the latest change first."""
    sql = ("SELECT a, b, kind, count(*) AS changes, max(date_value) AS latest_change_date, "
           "arg_max(change, coalesce(date_value, '')) AS latest_change, sum(num_documents) AS reports "
           "FROM relation_changes WHERE 1=1")
    params: list[Any] = []
    if actor:
        sql += " AND (a = ? OR b = ?)"
        params += [actor.upper()] * 2
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    return store.query(sql + " GROUP BY a, b, kind ORDER BY latest_change_date DESC NULLS LAST, a, b", params)


def plot_timeline(timeline: dict[str, Any], path: str) -> None:
    """A chart of the states over time with the changes marked (PNG or SVG by suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    colours = {"active": "#2e7d32", "broken": "#c62828", "suspended": "#ef6c00", "lifted": "#2e7d32", "unknown": "#bdbdbd"}
    years = [_year(c["date"]) for c in timeline["changes"] if c["date"]]
    start = (min(years) - 3) if years else 2000
    end = max(years + [start]) + 3
    fig, ax = plt.subplots(figsize=(10, 2.6))
    for span in timeline["states"]:
        left = _year(span["from"]) if span["from"] else start
        right = _year(span["to"]) if span["to"] else end
        ax.barh(0, right - left, left=left, height=0.5, color=colours.get(span["state"], "#9e9e9e"))
    for change in timeline["changes"]:
        if change["date"]:
            x = _year(change["date"])
            ax.axvline(x, color="black", linewidth=0.8)
            ax.annotate(f"{change['change']} {change['date']}\n{change['num_documents']} doc(s)", (x, 0.3),
                        rotation=0, fontsize=7, ha="left", va="bottom")
    ax.set_yticks([])
    ax.set_xlim(start, end)
    ax.set_title(f"{timeline['pair'][0]}-{timeline['pair'][1]} {timeline['kind']} relations")
    ax.legend(handles=[Patch(color=c, label=s) for s, c in colours.items() if s != "lifted"], loc="upper left",
              fontsize=7, ncol=4, bbox_to_anchor=(0, -0.15))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _year(value: str) -> float:
    """A date as a fractional year for plotting (month and day when given)."""
    parts = value.split("-")
    year = float(parts[0][:4])
    if len(parts) > 1 and parts[1].isdigit():
        year += (int(parts[1]) - 1) / 12
    if len(parts) > 2 and parts[2][:2].isdigit():
        year += (int(parts[2][:2]) - 1) / 365
    return year
