"""Consistency checks for the people knowledge file (legation/data/actors/people.yaml)."""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

PEOPLE_PATH = Path(__file__).resolve().parents[1] / "legation" / "data" / "actors" / "people.yaml"

SECTORS = {"GOV", "MIL", "OPP", "REB", "SPY", "JUD", "LEG", "COP", "CVL", "JRN", "BUS", "REL", "IGO", "NGO", "PTY"}
IGO_CODES = {"UNO", "EUR", "IGO"}

G20 = {"ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR",
       "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"}
ASEAN = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"}
REQUIRED = G20 | ASEAN | {"MMR", "PRK", "KOR"}

_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# Role strings that denote a head of state or head of government.
_HEAD_RE = re.compile(
    r"^(?:acting |interim |transitional |caretaker |provisional |de facto |military |co-)?"
    r"(?:president\b|prime minister|premier\b|chancellor\b|federal president|state president|"
    r"king\b|queen\b|emir\b|sultan\b|emperor\b|grand duke|supreme leader|head of state|"
    r"first prime minister|head of government\b|chief adviser|chief executive|yang di-pertuan agong|"
    r"leader and guide of the revolution|pope\b|"
    r"junta leader|coordinator of the junta|head of the (?:interim|military|national council)|"
    r"general secretary of the (?:cpsu|communist party|pdpa|sed|pzpr|lprp|romanian communist party)|"
    r"first secretary of the (?:pzpr|communist party)|"
    r"chairman of (?:the )?(?:council of state|state affairs commission|burma socialist programme party|"
    r"state council|presidium|revolutionary council|"
    r"state administration council|state law and order|slorc|sovereignty council|"
    r"transitional military council|presidential (?:leadership )?council|supreme council|"
    r"supreme soviet|high council of state|council of ministers|derg|pndc|interim administration|"
    r"national council for peace|national peace keeping council|revolutionary command council|"
    r"military council of national salvation|verkhovna rada|national transitional council))",
    re.IGNORECASE,
)
_NOT_HEAD_RE = re.compile(
    r"^(?:vice|deputy|first vice)\b|\bmayor\b|\bcity\b|\bspeaker\b|\b(?:designate|elect)\b|"
    r"^president of the (?:senate|european|un\b|international|congress|national assembly|"
    r"general national congress|the council of europe)",
    re.IGNORECASE,
)


def _parse_date(value: object) -> tuple[int, ...] | None:
    text = str(value)
    m = _DATE_RE.fullmatch(text)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return tuple(int(part) for part in (year, month, day) if part)


def _is_head_role(role: dict) -> bool:
    if role["country"] in IGO_CODES or role["sector"] not in {"GOV", "MIL"}:
        return False
    text = role.get("role", "")
    if _NOT_HEAD_RE.search(text):
        return False
    return bool(_HEAD_RE.match(text))


@pytest.fixture(scope="module")
def people() -> list[dict]:
    with PEOPLE_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, list) and data, "people.yaml must be a non-empty YAML list"
    return data


def _roles(people):
    for person in people:
        for role in person["roles"]:
            yield person, role


def test_entries_have_required_fields(people):
    for person in people:
        assert isinstance(person.get("entity"), str), person
        assert re.fullmatch(r"person:[a-z0-9]+(?:-[a-z0-9]+)*", person["entity"]), person["entity"]
        assert isinstance(person.get("name"), str) and person["name"].strip(), person["entity"]
        aliases = person.get("aliases", [])
        assert isinstance(aliases, list), person["entity"]
        assert all(isinstance(a, str) and a.strip() for a in aliases), person["entity"]
        assert isinstance(person.get("roles"), list) and person["roles"], person["entity"]


def test_entity_ids_unique(people):
    seen: dict[str, int] = defaultdict(int)
    for person in people:
        seen[person["entity"]] += 1
    dups = sorted(k for k, v in seen.items() if v > 1)
    assert not dups, f"duplicate entity ids: {dups}"


def test_role_country_and_sector(people):
    bad = []
    for person, role in _roles(people):
        if not re.fullmatch(r"[A-Z]{3}", str(role.get("country", ""))):
            bad.append((person["entity"], "country", role.get("country")))
        if role.get("sector") not in SECTORS:
            bad.append((person["entity"], "sector", role.get("sector")))
        for extra in role.get("also", []) or []:
            if extra not in SECTORS:
                bad.append((person["entity"], "also", extra))
        if not isinstance(role.get("role"), str) or not role["role"].strip():
            bad.append((person["entity"], "role", role.get("role")))
    assert not bad, bad


def test_role_dates(people):
    bad = []
    for person, role in _roles(people):
        start = _parse_date(role.get("start"))
        if start is None:
            bad.append((person["entity"], "start", role.get("start")))
            continue
        end_raw = role.get("end")
        if end_raw is None:
            continue
        end = _parse_date(end_raw)
        if end is None:
            bad.append((person["entity"], "end", end_raw))
            continue
        n = min(len(start), len(end))
        if end[:n] < start[:n]:
            bad.append((person["entity"], "end<start", role.get("start"), end_raw))
    assert not bad, bad


def test_no_alias_maps_to_two_entities(people):
    owners: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for alias in [person["name"], *person.get("aliases", [])]:
            owners[alias.casefold().strip()].add(person["entity"])
    clashes = {alias: sorted(ents) for alias, ents in owners.items() if len(ents) > 1}
    assert not clashes, clashes


def test_head_of_state_or_government_coverage(people):
    countries = {role["country"] for _, role in _roles(people) if _is_head_role(role)}
    assert len(countries) >= 60, f"only {len(countries)} countries: {sorted(countries)}"
    missing = sorted(REQUIRED - countries)
    assert not missing, f"no head of state/government for: {missing}"


def test_eu_leaders_present(people):
    roles = [role["role"] for _, role in _roles(people) if role["country"] == "EUR"]
    assert any("President of the European Commission" in r for r in roles)
    assert any("President of the European Council" in r for r in roles)
    assert any("High Representative" in r for r in roles)


# --- spot checks of time-dependent resolution -------------------------------------------

def _resolve(people, entity: str, date: str) -> set[tuple[str, str]]:
    target = _parse_date(date)
    assert target is not None
    out = set()
    for person in people:
        if person["entity"] != entity:
            continue
        for role in person["roles"]:
            start = _parse_date(role["start"])
            end = _parse_date(role["end"]) if role["end"] is not None else None
            if target[: len(start)] < start:
                continue
            if end is not None and target[: len(end)] > end:
                continue
            out.add((role["country"], role["sector"]))
            for extra in role.get("also", []) or []:
                out.add((role["country"], extra))
    return out


@pytest.mark.parametrize(
    ("entity", "date", "expected"),
    [
        ("person:vladimir-putin", "2010-06-01", ("RUS", "GOV")),
        ("person:aung-san-suu-kyi", "2010-06-01", ("MMR", "OPP")),
        ("person:aung-san-suu-kyi", "2018-06-01", ("MMR", "GOV")),
        ("person:min-aung-hlaing", "2015-06-01", ("MMR", "MIL")),
        ("person:min-aung-hlaing", "2022-06-01", ("MMR", "GOV")),
        ("person:than-shwe", "2000-06-01", ("MMR", "MIL")),
        ("person:ne-win", "1985-06-01", ("MMR", "GOV")),
        ("person:chun-doo-hwan", "1985-06-01", ("KOR", "GOV")),
        ("person:kim-jong-un", "2020-06-01", ("PRK", "GOV")),
        ("person:choe-son-hui", "2023-06-01", ("PRK", "GOV")),
        ("person:duwa-lashi-la", "2022-06-01", ("MMR", "OPP")),
        ("person:antonio-guterres", "2020-06-01", ("UNO", "IGO")),
    ],
)
def test_spot_resolution(people, entity, date, expected):
    assert expected in _resolve(people, entity, date)


def test_spot_resolution_negative(people):
    # Suu Kyi held no government post before 2016; Min Aung Hlaing did not head the state before 2021.
    assert ("MMR", "GOV") not in _resolve(people, "person:aung-san-suu-kyi", "2010-06-01")
    assert ("MMR", "GOV") not in _resolve(people, "person:min-aung-hlaing", "2015-06-01")
