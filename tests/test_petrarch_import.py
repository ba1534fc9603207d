"""scripts/import_petrarch.py: conversion of PETRARCH2-style verb blocks (on a small dictionary
written here), and the committed data file against a fresh conversion of ../shared."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("import_petrarch", ROOT / "scripts" / "import_petrarch.py")
importer = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(importer)  # type: ignore[union-attr]

SMALL = """\
####### SYNONYM SETS #######

&VESSEL
+BOAT
+SHIP
+CARGO_SHIP

####### VERB PATTERNS #######

--- BADGER [020] ---
BADGER
HECTOR {HECTORS HECTORED}  [111]
+CALL_OFF
+SQUARE_OFF [190]
- * &VESSEL [171]  # HECTOR
- * AGAINST + [112]  # BADGER
- * WITH + OVER [046]  # BADGER
- SAID WOULD NOT * [120]  # BADGER
- * + TO STOP THE WAR NOW [025]  # BADGER
- * FUNDS [---]  # BADGER

--- GREET [010] ---
GREET
- * + WARMLY [051]  # GREET
"""


def convert(tmp_path: Path, exclude: set[str] = frozenset()) -> list[dict]:
    (tmp_path / importer.VERB_FILE).write_text(SMALL, encoding="latin-1")
    return importer.convert(tmp_path, set(exclude), {"02", "020", "11", "111", "112", "17", "171", "19", "190", "04", "046"})


def test_verbs_take_the_block_code_or_their_own(tmp_path: Path) -> None:
    entries = convert(tmp_path)
    plain = {e["lemma"]: e["cameo"] for e in entries if "object" not in e and "prep" not in e}
    assert plain["badger"] == "020" and plain["hector"] == "111"
    assert plain["call off"] == "020" and plain["square off"] == "190"  # phrases: verb + particle
    assert "greet" not in plain  # statements (CAMEO 01) are frames, not events


def test_simple_patterns_become_object_and_preposition_conditions(tmp_path: Path) -> None:
    entries = convert(tmp_path)
    objects = [e for e in entries if e.get("object")]
    assert objects == [{"lemma": "hector", "pos": "VERB", "object": ["boat", "ship"], "cameo": "171"}]  # set expanded, phrase left out
    preps = [e for e in entries if e.get("prep")]
    assert {"lemma": "badger", "pos": "VERB", "prep": {"against": []}, "cameo": "112"} in preps
    # words before the verb, long word sequences and "---" codes are left out
    assert not any(e["cameo"] in ("120", "025") for e in entries)
    assert len(preps) == 1  # "* WITH + OVER": a preposition then another preposition is no condition the parse can check


def test_excluded_lemmas_are_left_out(tmp_path: Path) -> None:
    entries = convert(tmp_path, {"hector"})
    assert not any(e["lemma"] == "hector" for e in entries)
    assert any(e["lemma"] == "badger" for e in entries)


def test_committed_lexicon_is_a_fresh_conversion_with_the_licence(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "petrarch_verbs.yaml"
    assert importer.main(["import_petrarch.py", str(shared / "lexicons" / "petrarch2"), str(out)]) == 0
    committed = ROOT / "legation" / "data" / "events" / "petrarch_verbs.yaml"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    text = committed.read_text(encoding="utf-8")
    assert "The MIT License (MIT)" in text and "Open Event Data Alliance" in text
    entries = yaml.safe_load(text)["entries"]
    assert len(entries) > 2000
    cameo = yaml.safe_load((ROOT / "legation" / "data" / "events" / "cameo.yaml").read_text(encoding="utf-8"))["codes"]
    assert all(e["cameo"] in cameo and not e["cameo"].startswith("01") for e in entries)


def test_hand_written_entries_win_and_role_verbs_keep_their_roles() -> None:
    from legation.events.lexicon import EventLexicon

    lex = EventLexicon()
    # a verb the hand-written lexicon knows keeps only its own entries
    assert lex.entries("attack", "VERB") and not any(t.imported for t in lex.entries("attack", "VERB"))
    # a verb only the dictionary knows is added, flagged
    assert lex.entries("chastise", "VERB") and all(t.imported for t in lex.entries("chastise", "VERB"))
    # verbs the extractor reads as frames or operators are not event triggers from the dictionary
    for lemma in ("intend", "think"):
        assert not any(t.imported for t in lex.entries(lemma, "VERB"))
