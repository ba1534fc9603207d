"""Consistency checks for the actor knowledge files in legation/data/actors/."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "legation" / "data" / "actors"

# The 193 UN member states (ISO 3166-1 alpha-3).
UN_MEMBERS = set(
    """
    AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR BFA BDI
    CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE PRK DNK DJI DMA DOM ECU EGY SLV GNQ ERI
    EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA
    JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM
    MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT
    KOR ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
    SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
    """.split()
)
OTHER_REQUIRED = {"PSE", "VAT", "TWN", "XKX", "HKG", "MAC", "PRI", "GRL", "ESH", "SUN", "YUG", "CSK", "DDR"}
G20_STATES = set("ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA".split())
ASEAN_STATES = set("BRN KHM IDN LAO MYS MMR PHL SGP THA VNM TLS".split())
KEY_ACTORS = {"MMR", "PRK", "KOR", "RUS", "CHN", "USA", "GBR", "SAU", "IRN"}

REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania", "Middle East"}
ORG_CODES = {"UNO", "EUR", "IGO", "NGO"}
COUNTRY_LIST_KEYS = ("aliases", "demonyms", "capitals", "metonyms", "cities")


def _load(name: str):
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def countries():
    return _load("countries.yaml")


@pytest.fixture(scope="module")
def organisations():
    return _load("organisations.yaml")


@pytest.fixture(scope="module")
def sectors():
    return _load("sectors.yaml")


def norm(text: str) -> str:
    """Matching key: case-folded, curly apostrophes straightened, a leading 'the ' dropped."""
    t = text.replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"\s+", " ", t).strip().casefold()
    if t.startswith("the "):
        t = t[4:]
    return t


def country_forms(c: dict) -> list[str]:
    forms = [c["name"], c["official"], *c["aliases"], *c["demonyms"], *c["capitals"], *c["cities"]]
    forms += [m["text"] for m in c["metonyms"]]
    return forms


def org_forms(o: dict) -> list[str]:
    return [o["name"], *o["aliases"]]


# ---------------------------------------------------------------- countries


def test_country_codes_valid_and_unique(countries):
    codes = [c["code"] for c in countries]
    for code in codes:
        assert re.fullmatch(r"[A-Z]{3}", code), code
    dupes = {c for c in codes if codes.count(c) > 1}
    assert not dupes, dupes


def test_country_entries_well_formed(countries, sectors):
    codes = {c["code"] for c in countries}
    for c in countries:
        for key in ("name", "official", "region"):
            assert isinstance(c.get(key), str) and c[key].strip(), (c["code"], key)
        assert c["region"] in REGIONS, (c["code"], c["region"])
        for key in COUNTRY_LIST_KEYS:
            assert isinstance(c.get(key), list), (c["code"], key)
        for key in ("aliases", "demonyms", "capitals", "cities"):
            for s in c[key]:
                assert isinstance(s, str) and s == s.strip() and s, (c["code"], key, s)
        for m in c["metonyms"]:
            assert {"text", "sector"} <= set(m) <= {"text", "sector", "bare"}, (c["code"], m)
            assert m.get("bare", True) in (True, False) and ("bare" not in m or m["text"].startswith("the ")), (c["code"], m)
            assert m["sector"] in sectors, (c["code"], m)
        for cf in c.get("context_forms", []):
            assert set(cf) == {"text", "when_also"}, (c["code"], cf)
            assert cf["when_also"] and set(cf["when_also"]) <= codes, (c["code"], cf)
        for s in c.get("ambiguous", []):
            assert s in country_forms(c), (c["code"], s)
        if "territory_of" in c:
            assert c["territory_of"] in codes
        if c.get("historical"):
            assert str(c["valid_until"]) < "2026", c["code"]
            assert set(c["successors"]) <= codes, c["code"]


def test_required_country_coverage(countries):
    codes = {c["code"] for c in countries}
    missing = (UN_MEMBERS | OTHER_REQUIRED | KEY_ACTORS | G20_STATES | ASEAN_STATES) - codes
    assert not missing, sorted(missing)
    assert len(UN_MEMBERS) == 193
    # Only the 193 members, the listed extras, and nothing else.
    assert codes - UN_MEMBERS - OTHER_REQUIRED == set()


def test_historical_states_flagged(countries):
    by_code = {c["code"]: c for c in countries}
    for code in ("SUN", "YUG", "CSK", "DDR"):
        assert by_code[code].get("historical") is True, code
    for code in UN_MEMBERS:
        assert not by_code[code].get("historical"), code


def test_expected_forms(countries):
    lookup = {}
    for c in countries:
        for f in country_forms(c):
            lookup[norm(f)] = c["code"]
    expect = {
        "Burma": "MMR", "Burmese": "MMR", "Naypyitaw": "MMR", "Rangoon": "MMR",
        "Pyongyang": "PRK", "DPRK": "PRK", "North Koreans": "PRK",
        "ROK": "KOR", "the Blue House": "KOR", "Seoul": "KOR",
        "U.S.": "USA", "US": "USA", "America": "USA", "Americans": "USA", "the Pentagon": "USA",
        "Britain": "GBR", "U.K.": "GBR", "Britons": "GBR", "Downing Street": "GBR",
        "the Kremlin": "RUS", "Moscow": "RUS", "Zhongnanhai": "CHN", "Beijing": "CHN",
        "Saudis": "SAU", "Emirati": "ARE", "Filipino": "PHL", "Holland": "NLD", "the Netherlands": "NLD",
        "Ivory Coast": "CIV", "Côte d'Ivoire": "CIV", "Czechia": "CZE", "Czech Republic": "CZE",
        "Türkiye": "TUR", "East Timor": "TLS", "Zaire": "COD", "Swaziland": "SWZ", "Ceylon": "LKA",
        "Upper Volta": "BFA", "Kampuchea": "KHM", "USSR": "SUN", "Soviet Union": "SUN",
        "Congo": "COG", "DRC": "COD", "Democratic Republic of the Congo": "COD", "Congo-Kinshasa": "COD",
        "Georgia": "GEO", "Macedonia": "MKD", "Dominica": "DMA", "Dominican Republic": "DOM",
        "Niger": "NER", "Nigeria": "NGA", "Sudan": "SDN", "South Sudan": "SSD",
        "Guinea": "GIN", "Guinea-Bissau": "GNB", "Equatorial Guinea": "GNQ",
        "Kosovo": "XKX", "Taiwan": "TWN", "Palestine": "PSE", "Holy See": "VAT", "the Vatican": "VAT",
        "East Germany": "DDR", "Yugoslavia": "YUG", "Czechoslovakia": "CSK",
    }
    wrong = {k: (lookup.get(norm(k)), v) for k, v in expect.items() if lookup.get(norm(k)) != v}
    assert not wrong, wrong
    assert "korea" not in lookup and "korean" not in lookup and "koreans" not in lookup


def test_context_forms(countries):
    by_code = {c["code"]: c for c in countries}
    assert {"text": "the North", "when_also": ["KOR", "PRK"]} in by_code["PRK"]["context_forms"]
    assert any(cf["text"] == "the South" for cf in by_code["KOR"]["context_forms"])


# ------------------------------------------------------------ organisations


def test_organisations_well_formed(organisations, countries, sectors):
    country_codes = {c["code"] for c in countries}
    entities = [o["entity"] for o in organisations]
    assert len(entities) == len(set(entities)), {e for e in entities if entities.count(e) > 1}
    entity_set = set(entities)
    for o in organisations:
        e = o["entity"]
        assert re.fullmatch(r"org:[a-z0-9-]+", e), e
        assert isinstance(o["name"], str) and o["name"], e
        assert isinstance(o["aliases"], list), e
        assert o["sector"] in sectors, (e, o["sector"])
        code = o["code"]
        if code is None:
            assert o.get("transnational") is True and o.get("country") is None, e
        else:
            assert code in ORG_CODES or code in country_codes, (e, code)
            assert not o.get("transnational"), e
        if code in country_codes:
            assert o.get("country") == code, e
        if o.get("country") is not None:
            assert o["country"] in country_codes, e
        if "before" in o:
            assert o["before"] in sectors and "since" in o, e
        for key in ("members", "operates_in"):
            assert set(o.get(key, [])) <= country_codes, (e, key)
        assert set(o.get("member_orgs", [])) <= entity_set, e
        if "parent" in o:
            assert o["parent"] in entity_set, e
        for s in o.get("ambiguous", []):
            assert s in org_forms(o), (e, s)


def test_required_organisations(organisations):
    by_entity = {o["entity"]: o for o in organisations}
    for e in ("org:un", "org:unsc", "org:unhcr", "org:unicef", "org:wfp", "org:who", "org:unesco", "org:iaea",
              "org:icj", "org:eu", "org:nato", "org:asean", "org:au", "org:opec", "org:icc", "org:arab-league",
              "org:gcc", "org:oas", "org:sco", "org:brics", "org:g7", "org:g20", "org:world-bank", "org:imf",
              "org:wto", "org:icrc", "org:amnesty", "org:hrw", "org:msf", "org:interpol", "org:osce",
              "org:commonwealth", "org:oic", "org:ecowas", "org:sadc", "org:mercosur", "org:celac", "org:quad",
              "org:aukus", "org:hamas", "org:hezbollah", "org:taliban", "org:houthis", "org:isis", "org:al-qaeda",
              "org:boko-haram", "org:al-shabaab", "org:wagner", "org:arakan-army", "org:nug", "org:pdf",
              "org:tatmadaw", "org:knu"):
        assert e in by_entity, e
    assert by_entity["org:un"]["code"] == "UNO"
    assert by_entity["org:eu"]["code"] == "EUR"
    assert by_entity["org:nato"]["code"] == "IGO"
    assert by_entity["org:isis"]["code"] is None
    assert by_entity["org:tatmadaw"]["code"] == "MMR" and by_entity["org:tatmadaw"]["sector"] == "MIL"
    assert by_entity["org:nug"]["sector"] == "OPP"
    taliban = by_entity["org:taliban"]
    assert taliban["sector"] == "GOV" and taliban["before"] == "REB" and str(taliban["since"]) == "2021-08-15"
    assert set(by_entity["org:g20"]["members"]) == G20_STATES
    assert set(by_entity["org:asean"]["members"]) == ASEAN_STATES


# --------------------------------------------------------- cross-file names


def test_every_form_maps_to_one_actor(countries, organisations):
    owners: dict[str, set[str]] = defaultdict(set)
    for c in countries:
        for f in country_forms(c):
            owners[norm(f)].add(c["code"])
    for o in organisations:
        for f in org_forms(o):
            owners[norm(f)].add(o["entity"])
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not clashes, clashes


# ------------------------------------------------------------------ sectors


def test_sectors_well_formed(sectors):
    assert isinstance(sectors, dict) and sectors
    for code, spec in sectors.items():
        assert re.fullmatch(r"[A-Z]{3}", code), code
        assert isinstance(spec["label"], str) and spec["label"], code
        assert isinstance(spec["words"], list) and spec["words"], code
        for w in spec["words"]:
            assert isinstance(w, str) and w == w.strip() and w == w.lower() and w, (code, w)
            assert "  " not in w, (code, w)


def test_sector_words_unique(sectors):
    seen: dict[str, str] = {}
    dupes = []
    for code, spec in sectors.items():
        for w in spec["words"]:
            if w in seen:
                dupes.append((w, seen[w], code))
            seen[w] = code
    assert not dupes, dupes


def test_core_sectors_present(sectors):
    for code in ("GOV", "MIL", "OPP", "REB", "SPY", "JUD", "LEG", "COP", "CVL", "JRN", "BUS", "REL", "EDU",
                 "MED", "ACT", "NGO", "IGO", "LAB", "AGR", "ENV", "REF", "CRM", "PTY"):
        assert code in sectors, code
    lookup = {w: code for code, spec in sectors.items() for w in spec["words"]}
    for word, code in {"junta": "GOV", "troop": "MIL", "soldier": "MIL", "diplomat": "GOV", "agent": "SPY",
                       "spy": "SPY", "rebel": "REB", "insurgent": "REB", "lawmaker": "LEG", "judge": "JUD",
                       "activist": "ACT", "journalist": "JRN", "villager": "CVL", "refugee": "REF",
                       "monk": "REL", "student": "EDU", "police": "COP", "shadow government": "OPP"}.items():
        assert lookup.get(word) == code, (word, lookup.get(word), code)
    assert "officer" not in lookup  # deliberately ambiguous (police vs military)


def test_peoples_use_known_codes_and_unique_forms() -> None:
    countries = {row["code"] for row in yaml.safe_load((DATA / "countries.yaml").read_text(encoding="utf-8"))}
    peoples = yaml.safe_load((DATA / "peoples.yaml").read_text(encoding="utf-8"))["peoples"]
    seen: set[str] = set()
    for row in peoples:
        assert row["homes"] and set(row["homes"]) <= countries, row["name"]
        assert row.get("primary") is None or row["primary"] in row["homes"], row["name"]
        for form in row["forms"]:
            assert form not in seen, form
            seen.add(form)


def test_subdivisions_are_new_places_or_ambiguous_country_homonyms(countries, organisations):
    """A state or province name is new across the files, or a country's form marked ambiguous
    ("Georgia"): only those are left to the document's context."""
    spec = yaml.safe_load((DATA / "subdivisions.yaml").read_text(encoding="utf-8"))
    codes = {c["code"] for c in countries}
    owners: dict[str, str] = {}
    ambiguous: set[str] = set()
    for c in countries:
        ambiguous.update(norm(a) for a in c.get("ambiguous") or [])
        for f in country_forms(c):
            owners[norm(f)] = c["code"]
    for o in organisations:
        for f in org_forms(o):
            owners[norm(f)] = o["entity"]
    seen: set[str] = set()
    for code, entry in spec.items():
        assert code in codes and entry["label"] and entry["names"], code
        for name in entry["names"]:
            key = norm(name)
            assert name not in seen, name  # case variants ("Washington state") are matched as written
            seen.add(name)
            if key in owners:
                assert key in ambiguous and owners[key] != code, (name, owners[key])
