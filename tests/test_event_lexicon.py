"""Consistency checks for the event knowledge files in legation/data/events/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from legation.events.lexicon import EventLexicon

DATA = Path(__file__).resolve().parents[1] / "legation" / "data" / "events"
CAMEO2PLOVER = Path(__file__).resolve().parents[2] / "shared/eval/plover-gsr/CAMEO2PLOVER-2021.txt"

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
from legation.relations.changes import CHANGES  # noqa: E402  (the relation changes timelines know)

RELATIONS = set(CHANGES)
TRIGGER_FIELDS = {"lemma", "pos", "cameo", "object", "objects", "prep", "particle", "mutual", "weak", "negated_only",
                  "passive_ok", "type", "relation", "converse", "complement"}


def _load(name: str):
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def cameo() -> dict:
    return _load("cameo.yaml")["codes"]


@pytest.fixture(scope="module")
def entries() -> list:
    return _load("triggers.yaml")["entries"]


def test_files_load(cameo: dict, entries: list) -> None:
    assert len(cameo) > 200
    assert len(entries) > 300
    modality = _load("modality.yaml")
    for key in ("hedge", "hypothetical", "future", "negation", "not_negation", "historical", "refusal_verbs"):
        words = modality[key]
        assert words and all(isinstance(w, str) and w == w.lower() for w in words), key


def test_cameo_codes_are_well_formed(cameo: dict) -> None:
    for code, row in cameo.items():
        assert isinstance(code, str) and re.fullmatch(r"\d{2,4}", code), code
        assert row["type"] in PLOVER_TYPES, code
        assert isinstance(row["name"], str) and row["name"], code
        assert -10.0 <= float(row["goldstein"]) <= 10.0, code
        assert row["quad_class"] in (1, 2, 3, 4), code
        assert isinstance(row["context"], list), code
    for root in range(1, 21):
        assert f"{root:02d}" in cameo, root


def test_triggers_are_well_formed(cameo: dict, entries: list) -> None:
    for entry in entries:
        assert set(entry) <= TRIGGER_FIELDS, entry
        assert isinstance(entry["lemma"], str) and entry["lemma"] == entry["lemma"].lower().strip(), entry
        assert entry["pos"] in ("VERB", "NOUN"), entry
        assert isinstance(entry["cameo"], str) and entry["cameo"] in cameo, entry
        for obj in entry.get("object") or []:
            assert isinstance(obj, str) and obj == obj.lower(), entry
        for prep, objs in (entry.get("prep") or {}).items():
            # a bare on/off/yes/no key would load as a boolean
            assert isinstance(prep, str), entry
            assert all(isinstance(o, str) for o in objs or []), entry
        if "relation" in entry:
            assert entry["relation"] in RELATIONS, entry
        for flag in ("mutual", "weak", "passive_ok"):
            if flag in entry:
                assert isinstance(entry[flag], bool), entry


def test_every_plover_type_has_triggers(cameo: dict, entries: list) -> None:
    reached = {entry.get("type") or cameo[entry["cameo"]]["type"] for entry in entries}
    assert PLOVER_TYPES <= reached, PLOVER_TYPES - reached


def test_every_relation_change_has_triggers(entries: list) -> None:
    # diplomatic changes come from trigger entries; sanctions from their CAMEO codes (163, 081x)
    diplomatic = {change for change, (kind, _) in CHANGES.items() if kind == "diplomatic"}
    assert {entry["relation"] for entry in entries if "relation" in entry} == diplomatic


def test_no_conflicting_duplicate_entries(entries: list) -> None:
    seen: dict = {}
    for entry in entries:
        trigger = EventLexicon._trigger(entry)
        key = (trigger.lemma, trigger.pos, trigger.before, trigger.particle, trigger.objects, trigger.prep)
        assert seen.setdefault(key, trigger.cameo) == trigger.cameo, (entry, seen[key])


def _table() -> dict[str, set[str]]:
    types: dict[str, set[str]] = {}
    for line in CAMEO2PLOVER.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line.strip())
        if match:
            types.setdefault(match.group(1), set()).add(match.group(2))
    return types


@pytest.mark.skipif(not CAMEO2PLOVER.exists(), reason="CAMEO2PLOVER-2021.txt is not present")
def test_cameo_agrees_with_plover_table(cameo: dict) -> None:
    table = _table()
    assert table
    for code, types in table.items():
        assert code in cameo, code
        assert cameo[code]["type"] in types, (code, cameo[code]["type"], types)


def test_lexicon_loads_and_resolves_codes() -> None:
    lex = EventLexicon()
    assert lex.code("1831").type == "ASSAULT"
    assert lex.code("161").type == "SANCTION"
    assert lex.code("0541").code == "054"  # nearest listed parent
    assert ("cut", "VERB") in lex.triggers and ("attempt", "NOUN") in lex.triggers
    assert any(t.particle == "off" for t in lex.triggers[("set", "VERB")])
    assert any(t.before == ("assassination",) for t in lex.triggers[("attempt", "NOUN")])
    assert lex.cues("negation") and "failed" in lex.cues("not_negation")


def test_nominalizations_code_the_noun_with_the_verbs_object() -> None:
    from legation.events.lexicon import event_lexicon

    lexicon = event_lexicon()
    verbs = {e.cameo for e in lexicon.entries("suspend", "VERB") if "flight" in e.objects}
    nouns = {e.cameo for e in lexicon.entries("suspension", "NOUN") for prep, objects in e.prep if prep == "of" and "flight" in objects}
    assert verbs and nouns == verbs


def test_operator_table_composes_by_the_most_specific_key(cameo: dict) -> None:
    from legation.events.compose import operator_lexicon

    ops = operator_lexicon()
    assert ops["agree"].name == "agreement" and ops["stop"].name == "cessation" and ops["let"].name == "permission"
    assert ops["refuse"].compose("084") == "1243"  # 3-digit key before the root's
    assert ops["refuse"].compose("0841") == "1243"
    assert ops["refuse"].compose("04") == "125"
    assert ops["allow"].compose("190") == "080"  # "*"
    assert ops["threaten"].compose("040") == "130" and ops["threaten"].compose("030") is None
    raw = _load("operators.yaml")
    for name, table in raw["compose"].items():
        assert name in raw["classes"], name
        for key, value in (table or {}).items():
            assert value == "keep" or value in cameo, (name, key, value)
