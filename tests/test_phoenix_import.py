"""scripts/import_phoenix.py: the Phoenix actor and agent formats (on small snippets written
here, with invented names), the loader of the imported files, and actor resolution of an
imported person by the document's date."""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from legation.actors.knowledge import Person, Role, actor_knowledge, imported_key, read_jsonl

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("import_phoenix", ROOT / "scripts" / "import_phoenix.py")
importer = importlib.util.module_from_spec(SPEC)
sys.modules["import_phoenix"] = importer  # dataclasses look their module up
SPEC.loader.exec_module(importer)  # type: ignore[union-attr]

COUNTRIES = {"USA", "ROU", "TLS", "XKX", "HTI", "GBR", "CHN", "FRA", "YEM"}

SMALL_ACTORS = """\
# a comment line
RURITANIA_  [ROM]
+STRELSAU_

OSWALD_QUIMBY_TARNE_  # CountryInfo.txt
+O._Q._TARNE_
	[ROMELI 450101-891222]
	[ROMGOV 891222-960101]
	[ROMGOV >040501]
	[ROMELI]
BARNABY_VOLE_  [HTIGOVMIL 050901-060331] ; a minister of defence
WIDGET_MINISTRY_OF_FISHERIES_ [USAGOVAGR]
DEFENSE_DEPARTMENT_
+WAR_OFFICE_
	[USAMIL]
GRIMSBY_
	[USAGOV]
"""

SMALL_INTERNATIONAL = """\
GLOBAL_FISHERIES_TRIBUNAL_	[IGOUNOJUDGFT]
+GFT_
+GLOBFISH_
PELAGIC_EUROPEAN_BOARD_	[IGOEUREEC]
FRIENDS_OF_THE_OTTER_	[NGOGBRENV]
ORANGE_HERALD_PRESS_	[CHNGOVMED]
"""

SMALL_ARMED = """\
COBALT_STAR_BRIGADE_(CSB)_ [IMGMUSALQ] #  written for this test
+COBALT_STAR_+_BLUE_STAR_FRONT_
"""

SMALL_AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON

QUILL!PERSON! [~MED]
LOBSTER_FISHER [~AGR]
NEWT_HERDER {} [~AGR]
OPPOSITION_BROADSHEET [~OPPMED]
MOSLEM_ZEALOT [~MOS]
PRESS_GANG_LEADER_OF_THE_FLEET [~MIL]
FARMER [~AGR]
TELEVISION [~MED]
CONVICT [~CRM]
"""


def test_dates_two_digit_years_and_open_ends() -> None:
    assert importer.parse_date("450703") == "1945-07-03"
    assert importer.parse_date("050901") == "2005-09-01"
    assert importer.parse_date("300101") == "2030-01-01"
    assert importer.parse_date("310101") == "1931-01-01"
    assert importer.parse_date("19270101") == "1927-01-01"
    assert importer.parse_date("090231") == "2009-02-28"  # day past the month's end
    assert importer.parse_code_line("USAGOV 010120-050120") == ("USAGOV", "2001-01-20", "2005-01-20")
    assert importer.parse_code_line("USAGOV >050501") == ("USAGOV", "2005-05-01", None)
    assert importer.parse_code_line("USAGOV <061231") == ("USAGOV", None, "2006-12-31")
    assert importer.parse_code_line("USAELI") == ("USAELI", None, None)


@pytest.mark.parametrize("code,person,expected", [
    ("ROMGOV", True, ("ROU", "GOV")),  # CAMEO's Romania
    ("TMPGOV", True, ("TLS", "GOV")),
    ("KSVGOV", True, ("XKX", "GOV")),
    ("USAGOVMIL", True, ("USA", "MIL")),  # a defence minister
    ("USAGOVLEG", False, ("USA", "LEG")),
    ("USAGOVJUD", False, ("USA", "JUD")),  # a country's courts
    ("USAGOVJUD", True, ("USA", "GOV")),  # a justice minister
    ("USAGOVAGR", True, ("USA", "GOV")),
    ("CHNGOVMED", False, ("CHN", "JRN")),  # state media
    ("CHNGOVMED", True, ("CHN", "GOV")),  # a minister of information
    ("HTIELI", True, ("HTI", None)),  # out of office: country only
    ("IGOUNOJUDICJ", False, ("UNO", "JUD")),
    ("IGOUNO", False, ("UNO", "IGO")),
    ("IGOEUREEC", False, ("EUR", "IGO")),
    ("IGOAFRAU", False, ("IGO", "IGO")),
    ("NGOGBRENV", False, ("GBR", "ENV")),
    ("NGOHRI", False, ("NGO", "ACT")),
    ("MNCUSA", False, ("USA", "BUS")),
    ("IMGMUSALQ", False, (None, "REB")),
    ("GRCREB", False, None),  # Greece is not among this test's countries
    ("---", False, None),
])
def test_decode_codes(code: str, person: bool, expected: tuple | None) -> None:
    assert importer.decode(code, COUNTRIES, person=person) == expected


def test_parse_records_names_aliases_and_code_lines() -> None:
    records = importer.parse_actor_file(SMALL_ACTORS, "countries")
    by_name = {r.names[0]: r for r in records}
    tarne = by_name["OSWALD_QUIMBY_TARNE_"]
    assert [n.strip() for n in tarne.names] == ["OSWALD_QUIMBY_TARNE_", "O._Q._TARNE_"]
    assert tarne.codes == ["ROMELI 450101-891222", "ROMGOV 891222-960101", "ROMGOV >040501", "ROMELI"]
    vole = next(r for r in records if r.names[0].startswith("BARNABY"))
    assert vole.codes == ["HTIGOVMIL 050901-060331"]  # the code on the name's line; the ; comment dropped
    office = next(r for r in records if r.names[0].startswith("DEFENSE"))
    assert [n.strip() for n in office.names] == ["DEFENSE_DEPARTMENT_", "WAR_OFFICE_"]


def _convert(text: str, source: str, known: set[str] | None = None) -> tuple[dict, Counter]:
    drops: Counter = Counter()
    common = {"defense", "department", "war", "office", "ministry", "fisheries"}
    entries = importer.convert(importer.parse_actor_file(text, source), COUNTRIES, known or set(), common, drops)
    return {e.name: e for e in importer.remove_conflicts(entries, drops)}, drops


def test_convert_people_organisations_and_drops() -> None:
    entries, drops = _convert(SMALL_ACTORS, "countries", known={"widget ministry of fisheries"})
    tarne = entries["Oswald Quimby Tarne"]
    assert tarne.kind == "person" and tarne.aliases == ["O. Q. Tarne"]
    # dated roles in date order, the undated default last
    assert tarne.roles == [["ROU", None, "1945-01-01", "1989-12-22"], ["ROU", "GOV", "1989-12-22", "1996-01-01"],
                           ["ROU", "GOV", "2004-05-01", None], ["ROU", None, None, None]]
    assert entries["Barnaby Vole"].roles == [["HTI", "MIL", "2005-09-01", "2006-03-31"]]
    assert "Ruritania" not in entries and drops["countries: country name or place (countries.yaml covers these)"] == 1
    assert "Widget Ministry of Fisheries" not in entries  # the hand-written files have it
    assert "Defense Department" not in entries and "War Office" not in entries  # which state's?
    assert "Grimsby" not in entries and drops["organisation: one-word name"] == 1


def test_convert_international_and_armed_groups() -> None:
    entries, _ = _convert(SMALL_INTERNATIONAL, "international")
    assert entries["Global Fisheries Tribunal"].roles == [["UNO", "JUD", None, None]]
    assert entries["Global Fisheries Tribunal"].aliases == ["GFT"]  # an acronym of its name, kept as written
    assert entries["Pelagic European Board"].roles == [["EUR", "IGO", None, None]]
    assert entries["Friends of the Otter"].roles == [["GBR", "ENV", None, None]]
    assert entries["Orange Herald Press"].roles == [["CHN", "JRN", None, None]]
    armed, _ = _convert(SMALL_ARMED, "armed")
    brigade = armed["Cobalt Star Brigade"]
    assert brigade.kind == "armed_group" and brigade.roles == [[None, "REB", None, None]]
    assert set(brigade.aliases) == {"CSB", "Cobalt Star", "Blue Star Front"}


def test_conflicting_forms_are_dropped_from_both_entries() -> None:
    text = "ALPHA_BETA_GROUP_ [USAGOV]\n+SHARED_NAME_\nGAMMA_DELTA_GROUP_ [GBRGOV]\n+SHARED_NAME_\n"
    entries, drops = _convert(text, "countries")
    assert set(entries) == {"Alpha Beta Group", "Gamma Delta Group"}
    assert all("Shared Name" not in e.aliases for e in entries.values())
    assert drops["organisation: form with different codes in two Phoenix entries"] == 2


def test_agents_substitution_and_filters() -> None:
    pairs = importer.parse_agents(SMALL_AGENTS)
    assert ("QUILLMAN", "~MED") in pairs and ("QUILLWOMAN", "~MED") in pairs and ("QUILLMEN", "~MED") not in pairs
    drops: Counter = Counter()
    nouns = {"quillman", "quillwoman", "quillperson", "fisher", "herder", "broadsheet", "zealot", "fleet", "farmer",
             "television", "convict"}
    agents = importer.convert_agents(pairs, {"farmer"}, drops, nouns, frozenset({"television"}), {"convict"})
    assert agents["AGR"] == ["lobster fisher", "newt herder"]
    assert agents["JRN"] == ["opposition broadsheet", "quillman", "quillperson", "quillwoman"]
    flat = {w for words in agents.values() for w in words}
    assert not flat & {"farmer", "television", "convict", "moslem zealot", "press gang leader of the fleet"}
    assert drops["agent: word sectors.yaml has"] == 1


def test_output_is_deterministic(tmp_path: Path) -> None:
    entries, _ = _convert(SMALL_ACTORS + SMALL_INTERNATIONAL, "countries")
    values = list(entries.values())
    importer.write_jsonl(tmp_path / "a.jsonl", values, "test")
    importer.write_jsonl(tmp_path / "b.jsonl", list(reversed(values)), "test")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    text = (tmp_path / "a.jsonl").read_text()
    assert text.startswith("# Converted by scripts/import_phoenix.py") and "The MIT License (MIT)" in text


def test_strict_person_holds_roles_only_inside_their_dates() -> None:
    person = Person("phoenix:person:x", "X", [Role("ROU", "GOV", "", date(1990, 1, 1), date(1995, 12, 31))],
                    strict=True)
    assert person.role_at(date(1992, 6, 1)).country == "ROU"
    assert person.role_at(date(1999, 6, 1)) is None
    assert person.role_at(None).country == "ROU"
    with_default = Person("phoenix:person:y", "Y", [Role("ROU", "GOV", "", date(1990, 1, 1), date(1995, 12, 31)),
                                                    Role("ROU", None, "", None, None)], strict=True)
    assert with_default.role_at(date(1999, 6, 1)).sector is None
    hand_written = Person("person:z", "Z", [Role("ROU", "GOV", "", date(1990, 1, 1), date(1995, 12, 31))])
    assert hand_written.role_at(date(1999, 6, 1)).country == "ROU"  # nearest in time, as before


# ---------------------------------------------------------------------------------------------
# the committed data files
PHOENIX_DIR = ROOT / "legation" / "data" / "actors" / "phoenix"


def test_imported_files_carry_the_licence_and_known_codes() -> None:
    import yaml

    countries = {row["code"] for row in yaml.safe_load((ROOT / "legation/data/actors/countries.yaml").read_text())}
    sectors = set(yaml.safe_load((ROOT / "legation/data/actors/sectors.yaml").read_text()))
    allowed = countries | importer.TERRITORIES | {"UNO", "EUR", "IGO", "NGO", None}
    for name in ("people.jsonl", "organisations.jsonl", "armed_groups.jsonl", "agents.yaml"):
        head = (PHOENIX_DIR / name).read_text(encoding="utf-8")[:3000]
        assert "The MIT License (MIT)" in head and "Open Event Data Alliance" in head, name
    for name in ("people.jsonl", "organisations.jsonl", "armed_groups.jsonl"):
        rows = read_jsonl(f"actors/phoenix/{name}")
        assert len(rows) > 500, name
        for row in rows:
            for code, sector, start, end in row["roles"]:
                assert code in allowed and (sector is None or sector in sectors), row
                assert start is None or end is None or start <= end, row
    agents = yaml.safe_load((PHOENIX_DIR / "agents.yaml").read_text())
    assert set(agents) <= sectors


def test_hand_written_forms_win() -> None:
    k = actor_knowledge()
    hand = {imported_key(f) for f in k.forms}
    assert k.imported_forms and not set(k.imported_forms) & hand
    assert not {a.lower() for a in k.imported_acronyms} & {f.lower() for f in k.forms if f.isupper()}
    # agents only add words: every hand-written word keeps its sector
    import yaml

    for sector, spec in yaml.safe_load((ROOT / "legation/data/actors/sectors.yaml").read_text()).items():
        for word in spec.get("words", []):
            assert k.sector_words[str(word).lower()] == sector, word


def _one_role_person() -> tuple[str, list]:
    """The first imported person (file order) with one role dated at both ends, a plain
    two-word name and no alias: read from the data file."""
    k = actor_knowledge()
    for row in read_jsonl("actors/phoenix/people.jsonl"):
        roles = row["roles"]
        name = row["name"]
        if (len(roles) == 1 and roles[0][2] and roles[0][3] and roles[0][0] and roles[0][1] and not row.get("aliases")
                and len(name.split()) == 2 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in name.split())
                and imported_key(name) in k.imported_forms and roles[0][2] >= "1990"):
            return name, roles[0]
    raise AssertionError("no imported person with one dated role")


def test_imported_person_resolved_by_document_date() -> None:
    from legation.pipeline import Pipeline
    from legation.records import Document

    name, (code, sector, start, end) = _one_role_person()
    pipeline = Pipeline(stages=["times", "actors"])
    text = f"{name} said the talks would resume soon."

    def resolved(published: str) -> tuple:
        analysis = pipeline.analyze(Document(text=text, published=published))
        found = [a for a in analysis.actors if a.text == name]
        assert found, (name, [a.text for a in analysis.actors])
        return found[0].code, found[0].sector

    inside = date.fromisoformat(start) + (date.fromisoformat(end) - date.fromisoformat(start)) / 2
    assert resolved(inside.isoformat()) == (code, sector)
    after = date.fromisoformat(end).replace(year=date.fromisoformat(end).year + 3)
    assert resolved(after.isoformat()) != (code, sector)
    assert resolved(after.isoformat())[0] is None  # no country in the text: no guess


@pytest.mark.slow
def test_committed_files_match_a_fresh_conversion(shared: Path, tmp_path: Path) -> None:
    source = shared / "lexicons" / "petrarch2"
    if not (source / "Phoenix.Countries.actors.txt").exists():
        pytest.skip("Phoenix dictionaries not in ../shared")
    # run as users run it, in a process of its own: what the suite's earlier tests left in this
    # process (cached knowledge) must not change the conversion
    import subprocess
    import sys

    script = Path(importer.__file__)
    done = subprocess.run([sys.executable, str(script), str(source), str(tmp_path)], capture_output=True, text=True,
                          cwd=script.parents[1], timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("people.jsonl", "organisations.jsonl", "armed_groups.jsonl", "agents.yaml"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (PHOENIX_DIR / name).read_text(encoding="utf-8"), name


def test_read_jsonl_reports_a_broken_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "bad.jsonl").write_text("# header\n" + json.dumps({"name": "A B"}) + "\n{broken\n")
    monkeypatch.setenv("LEGATION_DATA", str(tmp_path))
    with pytest.raises(ValueError, match=r"\[E051\].*bad.jsonl:3"):
        read_jsonl("actors/bad.jsonl")


def test_name_trie_matches_the_longest_capitalised_name() -> None:
    from legation.actors.knowledge import Form
    from legation.actors.resolve import _name_tokens, _name_trie, _trie_matches
    from legation.model import load_model

    assert _name_tokens("Ban Ki-moon") == ["ban", "ki", "-", "moon"]
    assert _name_tokens("Heidrick & Struggles") == ["heidrick", "&", "struggles"]
    forms = {imported_key(t): Form(t, "GBR", "organisation", "imported", "NGO", t)
             for t in ("Friends of the Otter", "Friends of the Otter Trust", "Otter Kin-folk")}
    trie = _name_trie(forms)
    doc = load_model().make_doc("The Friends of the Otter Trust met the Otter Kin-folk, not the friends of the otter.")
    found = {doc[s:e].text: key for (s, e), key in _trie_matches(doc, trie).items()}
    assert found == {"Friends of the Otter Trust": "friends of the otter trust", "Otter Kin-folk": "otter kin-folk"}
