"""Relation changes reported in one document, derived from its events.

An asserted event whose trigger reports a change of relations ("cut ties", "restored
relations", "appointed an ambassador", "imposed sanctions") between two countries
becomes a change for the pair, dated by the event's own date. Reports of the same
change within a document are merged.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from legation.records import Event


# change -> (relation kind, effect on the state: "active", "broken", "suspended" or None)
CHANGES: dict[str, tuple[str, str | None]] = {
    "establish": ("diplomatic", "active"),
    "restore": ("diplomatic", "active"),
    "upgrade": ("diplomatic", "active"),
    "recognize": ("diplomatic", "active"),
    "switch_recognition": ("diplomatic", "active"),
    "break": ("diplomatic", "broken"),
    "suspend": ("diplomatic", "suspended"),
    "downgrade": ("diplomatic", None),
    "expel": ("diplomatic", None),
    "recall": ("diplomatic", None),
    "appoint_ambassador": ("diplomatic", "active"),
    "impose_sanctions": ("sanctions", "active"),
    "lift_sanctions": ("sanctions", "lifted"),
}
DIRECTED = ("expel", "recall")  # one side's act against the other: "each other's diplomats" is two changes
COUNTABLE_MODALITIES = {"asserted", "hedged", None}
SANCTION_CODES = {"163": "impose_sanctions", "085": "lift_sanctions"}


def _country(actor: dict[str, Any]) -> str | None:
    code = actor.get("code")
    return code if code and len(code) == 3 and code not in ("UNO", "EUR", "IGO", "NGO") else None


def _sanctioning_party(actor: dict[str, Any]) -> str | None:
    """Sanctions are also imposed by the UN and the EU."""
    code = actor.get("code")
    return code if code in ("UNO", "EUR") else _country(actor)


def change_of(event: Event) -> str | None:
    change = event.relation
    if change in CHANGES:
        return change
    return SANCTION_CODES.get(str(event.cameo or ""))


def reports_from_events(events: list[Event]) -> list[dict[str, Any]]:
    """One report per (event, pair): the evidence of a change, not yet merged."""
    reports = []
    for event in events:
        change = change_of(event)
        if change is None or event.modality not in COUNTABLE_MODALITIES:
            continue
        party = _country if CHANGES[change][0] == "diplomatic" else _sanctioning_party
        sources = [c for c in (party(a) for a in event.source) if c]
        targets = [c for c in (party(a) for a in event.target) if c]
        pairs = {tuple(sorted((s, t))): s for s in sources for t in targets if s != t}
        date = event.date or {}
        # "switched recognition from Taiwan to China": a break with the old partner as well
        for old in (c for c in (_country(a) for a in event.switched_from or []) if c):
            for s in sources:
                if s != old:
                    reports.append({"event_id": f"{event.id}:from", "a": min(s, old), "b": max(s, old), "kind": "diplomatic",
                                    "change": "break", "by": s, "date": calendar_date(date.get("value")),
                                    "date_defaulted": bool(date.get("defaulted")), "evidence": event.evidence or {}})
        for (a, b), by in pairs.items():
            reports.append({
                "event_id": event.id, "a": a, "b": b, "kind": CHANGES[change][0], "change": change, "by": by,
                "date": calendar_date(date.get("value")), "date_defaulted": bool(date.get("defaulted")),
                "background": bool(date.get("background")),
                "evidence": event.evidence or {},
            })
    return reports


def calendar_date(value: str | None) -> str | None:
    """A change date on the calendar hierarchy (year, month, day): a week ("2023-W37") is
    given as the month holding its Thursday, so reports of the same change line up."""
    if not value:
        return None
    match = re.match(r"^(\d{4})-W(\d{1,2})", value)
    if match:
        thursday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 4)
        return f"{thursday.year:04d}-{thursday.month:02d}"
    if value.endswith("_REF"):
        return None
    return value


def compatible(d1: str | None, d2: str | None) -> bool:
    """Two reported dates can name the same change: equal at the coarser precision."""
    if not d1 or not d2:
        return True
    if d1.startswith(d2) or d2.startswith(d1):
        return True
    return False


def within_a_month(dated: str | None, undated: str | None) -> bool:
    """A headline's undated "recalls ambassador" (given the publication month) and the body's
    "recalled its ambassador on Friday" (the month before): the same change."""
    match_a = re.match(r"^(\d{4})-(\d{2})", dated or "")
    match_b = re.match(r"^(\d{4})-(\d{2})", undated or "")
    if not match_a or not match_b:
        return False
    months = (int(match_b.group(1)) * 12 + int(match_b.group(2))) - (int(match_a.group(1)) * 12 + int(match_a.group(2)))
    return 0 <= months <= 1


def more_precise(d1: str | None, d2: str | None) -> str | None:
    if not d1:
        return d2
    if not d2:
        return d1
    return d1 if len(d1) >= len(d2) else d2


def merge_document_reports(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The analysis contract's ``relation_changes``: one entry per change in this document."""
    merged: list[dict[str, Any]] = []
    for report in sorted(reports, key=lambda r: (r["date_defaulted"], -(len(r["date"] or "")))):
        for entry in merged:
            if (entry["a"], entry["b"], entry["kind"], entry["change"]) == (report["a"], report["b"], report["kind"], report["change"]) \
                    and (entry["by"] == report["by"] or report["change"] not in DIRECTED) \
                    and (compatible(entry["date"], report["date"]) or (report["date_defaulted"] and report.get("background"))
                         or (report["date_defaulted"] and within_a_month(entry["date"], report["date"]))):
                entry["events"].append(report["event_id"])
                if not report["date_defaulted"]:
                    entry["date"] = more_precise(entry["date"], report["date"])
                break
        else:
            merged.append({"a": report["a"], "b": report["b"], "kind": report["kind"], "change": report["change"],
                           "by": report["by"], "date": report["date"], "date_defaulted": report["date_defaulted"],
                           "background": bool(report.get("background")), "events": [report["event_id"]],
                           "evidence": report.get("evidence") or {}})
    merged.sort(key=lambda m: (m["a"], m["b"], m["date"] or "", m["change"]))
    return merged


def document_reports(analysis: Any, doc: Any = None) -> list[dict[str, Any]]:
    """The reports of one document: diplomatic changes read from the parse when there is one
    (:mod:`legation.relations.extract`), other kinds (sanctions) from the events."""
    if doc is None:
        return reports_from_events(analysis.events)
    from legation.relations.extract import reports_from_parse

    reports = reports_from_parse(doc, analysis) + [r for r in reports_from_events(analysis.events) if r["kind"] != "diplomatic"]
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for report in reports:  # one stored report per (event, pair): the store's key
        key = (report["event_id"], report["a"], report["b"])
        if key not in seen:
            seen.add(key)
            unique.append(report)
    return unique

