"""Convert the Phoenix actor and agent dictionaries into Legation's actor data files.

    python scripts/import_phoenix.py ../shared/lexicons/petrarch2 legation/data/actors/phoenix

Reads (MIT licence, Open Event Data Alliance; see the notice written at the top of each output):

* ``Phoenix.Countries.actors.txt``: people with dated roles, and state bodies, by country;
* ``Phoenix.International.actors.txt``: intergovernmental bodies, NGOs, multinationals;
* ``Phoenix.MilNonState.actors.txt``: non-state armed groups;
* ``Phoenix.agents.txt``: sector nouns ("farmer", "rancher").

and writes ``people.jsonl``, ``organisations.jsonl``, ``armed_groups.jsonl`` (one JSON object
per line: ``name``, ``aliases``, ``roles`` as ``[code, sector, start, end]``) and
``agents.yaml`` (sector -> words, only words the hand-written ``sectors.yaml`` lacks). Lines
starting with ``#`` are the licence notice and provenance.

Codes. A CAMEO actor code is a string of three-letter parts: a country or an international
type (``IGO``, ``NGO``, ``MNC``, ``IMG``), then roles (``GOV``, ``MIL``, ``ELI`` ...), religions and
regions. The first part gives Legation's ``code``: ISO 3166-1 alpha-3, with CAMEO's own
country codes mapped (``ROM`` -> ``ROU``, ``TMP`` -> ``TLS``, ``KSV`` -> ``XKX`` ...); ``IGOUNO...`` ->
``UNO``, ``IGOEUREEC`` -> ``EUR``, other ``IGO...`` -> ``IGO``; ``NGO`` + country -> that country,
other ``NGO...`` -> ``NGO``; multinationals and transnational armed groups have no code
(``null``), as in ``organisations.yaml``. The first role part that Legation's sector set knows
gives the ``sector`` (CAMEO ``MED`` media -> ``JRN``, ``HLH`` health -> ``MED``, ``HRI`` -> ``ACT``,
religions -> ``REL``). ``GOV`` with ``MIL``, ``SPY``, ``COP`` or ``LEG`` after it is that sector (a
defence minister is ``MIL``, as in ``people.yaml``); ``ELI`` (elites: people out of office) keeps
the country and has no sector.

Dates. Phoenix writes YYMMDD or YYYYMMDD. Two-digit years 00-30 are 2000-2030 and 31-99 are
1931-1999: the files were made in 2014, no two-digit year in them lies between 15 and 30,
and the earliest (birth-year-like starts of ``ELI`` ranges) are in the 1930s. ``>date`` is open
ended, ``<date`` has no start; a role line with no date is the entry's default.

What is dropped, with the reason counted: country names and places (``countries.yaml`` covers
them), names of one word (except an organisation's acronym of 3-8 capitals, matched only as
written in capitals), forms that the hand-written files already have (they win), forms that
two Phoenix entries give different codes, state bodies named only with common words
("Defense Department": which state's?), codes Legation cannot map. The output is sorted, so
the same input always gives the same files.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "countries": "Phoenix.Countries.actors.txt",
    "international": "Phoenix.International.actors.txt",
    "armed": "Phoenix.MilNonState.actors.txt",
}
AGENTS_FILE = "Phoenix.agents.txt"

# CAMEO country codes that are not ISO 3166-1 alpha-3 (or not Legation's choice)
COUNTRY_MAP = {"ROM": "ROU", "TMP": "TLS", "KSV": "XKX", "SCG": "SRB", "FRY": "YUG", "WBK": "PSE", "GZA": "PSE",
               "PAL": "PSE", "IMY": "IMN", "SRP": "BIH", "USR": "SUN", "ZAR": "COD", "BUR": "MMR", "RHO": "ZWE"}
# ISO territories Legation's countries.yaml does not list, kept as they are
TERRITORIES = {"ABW", "AIA", "ASM", "BMU", "COK", "CYM", "FLK", "FRO", "GIB", "GUM", "GUF", "IMN", "MSR", "MTQ", "NCL",
               "NIU", "PCN", "PYF", "SHN", "TKL", "VGB", "VIR", "GLP", "GGY"}
SECTORS = {"GOV": "GOV", "MIL": "MIL", "REB": "REB", "OPP": "OPP", "COP": "COP", "SPY": "SPY", "JUD": "JUD",
           "LEG": "LEG", "CVL": "CVL", "BUS": "BUS", "MED": "JRN", "HLH": "MED", "EDU": "EDU", "REL": "REL",
           "AGR": "AGR", "LAB": "LAB", "ENV": "ENV", "REF": "REF", "CRM": "CRM", "HRI": "ACT", "NGO": "NGO",
           "IGO": "IGO", "PTY": "PTY", "UAF": "UAF", "INS": "REB", "SEP": "REB", "MNC": "BUS", "NGM": "ACT",
           "ACT": "ACT"}
RELIGIONS = {"MOS", "CHR", "JEW", "HIN", "BUD", "SHI", "SUN", "CTH", "SIK", "TAO", "ITP", "JAN", "CON", "ORT",
             "PRO", "DRZ", "ALE", "SFI", "ZRO", "BAH", "JAI", "MUS", "CPT"}
# regions and other areas: an armed group coded with one has no single country (code null)
REGIONS = {"AFR", "ASA", "SAS", "SEA", "MEA", "WEU", "EEU", "LAM", "CAS", "EAF", "WAF", "NAF", "SAF", "CRB", "INT",
           "KKL", "KAS", "WST", "NMR", "ARB", "MDE", "CAU", "BLK", "SAM", "EUR", "PGS", "AMN", "CFR", "NAT"}
GOV_SUBSECTORS = {"MIL", "SPY", "COP", "LEG"}
ORG_WORDS = {"organization", "organisation", "agency", "commission", "council", "fund", "bank", "program",
             "programme", "union", "association", "foundation", "institute", "center", "centre", "committee",
             "group", "company", "corporation", "corp", "inc", "ltd", "party", "front", "army", "movement", "force",
             "forces", "court", "tribunal", "office", "department", "ministry", "mission", "federation", "league",
             "society", "network", "alliance", "coalition", "secretariat", "assembly", "parliament", "congress",
             "senate", "board", "authority", "service", "services", "bureau", "community", "command", "brigade",
             "brigades", "cell", "cells", "international", "world", "united", "nations", "un", "u.n.", "watch",
             "project", "initiative", "trust", "partnership", "conference", "forum", "team", "unit", "police",
             "government", "club", "system", "university", "school", "hospital", "church", "media", "news",
             "radio", "television", "times", "post", "press", "council's", "cooperation", "development",
             "rights", "relief", "aid", "peace", "children", "refugees", "human", "health", "food", "monitor",
             "peacekeeper", "peacekeepers", "envoy", "resident", "bodies", "chief", "secretary", "general",
             "president", "minister", "spokesman", "official", "officials", "representative", "rapporteur"}
GENERIC_BODY_WORDS = {"department", "ministry", "council", "committee", "court", "agency", "army", "police",
                      "party", "senate", "parliament", "assembly", "command", "government", "office", "community",
                      "force", "forces", "service", "commission", "bureau", "military", "navy", "guard", "cabinet",
                      "house", "congress", "enforcement", "intelligence", "security", "justices", "team",
                      "directorate", "administration"}
PARTICLES = {"of", "the", "and", "for", "de", "du", "des", "la", "le", "al", "el", "bin", "ibn", "van", "von", "der",
             "da", "do", "dos", "das", "y", "e", "di", "in", "on", "to", "at", "against", "&"}
NAME_CHARS = re.compile(r"^[A-Za-z0-9 .'&\-]+$")
CODE_RE = re.compile(r"\[([^\]]*)\]")

LICENCE_NOTICE = """\
Converted by scripts/import_phoenix.py from the Phoenix dictionaries of PETRARCH2
({source}, Open Event Data Alliance), which carry this notice:

The MIT License (MIT)

Copyright (c) 2014 Open Event Data Alliance

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


@dataclass
class Record:
    """One Phoenix entry: its names as written (upper case, underscores) and its code lines."""

    names: list[str]
    codes: list[str] = field(default_factory=list)
    comment: str = ""
    source: str = ""


@dataclass
class Entry:
    kind: str  # person | organisation | armed_group
    name: str
    aliases: list[str]
    roles: list[list]  # [code, sector, start, end]


# ---------------------------------------------------------------------------------------------
# reading the Phoenix format
def _strip_comment(line: str) -> tuple[str, str]:
    for mark in ("#", ";"):
        if mark in line:
            at = line.index(mark)
            return line[:at], line[at + 1:].strip()
    return line, ""


def parse_actor_file(text: str, source: str = "") -> list[Record]:
    """Records of an actor dictionary: a primary phrase, ``+`` synonyms, then code lines
    (indented ``[CODE dates]``; codes may also follow a phrase on its own line)."""
    records: list[Record] = []
    current: Record | None = None
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith(("#", "<!--")):
            continue
        body, comment = _strip_comment(raw)
        codes = CODE_RE.findall(body)
        phrase = CODE_RE.sub(" ", body).strip()
        indented = raw[:1] in ("\t", " ")
        if indented and not phrase:
            if current is not None:
                current.codes += codes
            continue
        if phrase.startswith("+"):
            if current is None:
                continue
            current.names += [p.strip() for p in phrase.split("+") if p.strip()]
            current.codes += codes
            continue
        if indented and current is not None and not codes:
            continue  # stray text under a record
        current = Record([p.strip() for p in phrase.split("+") if p.strip()], list(codes), comment, source)
        records.append(current)
    return [r for r in records if r.names]


def clean_name(raw: str) -> tuple[str | None, str | None]:
    """``ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_`` -> ("Aden Abyan Islamic Army", "AAIA"); None for
    phrases that are not names (stray symbols)."""
    acronym = None
    match = re.search(r"\(([A-Z]{3,8})\)", raw)
    if match:
        acronym = match.group(1)
    text = re.sub(r"\([^)]*\)", " ", raw).replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip(" -")
    if not text or not NAME_CHARS.match(text) or not re.search(r"[A-Za-z]", text):
        return None, acronym
    return display_case(text), acronym


def display_case(text: str) -> str:
    """Readable case for an upper-case name: words capitalised, particles lower case
    ("JAVIER_DE_CUELLAR" -> "Javier de Cuellar"); matching ignores case anyway."""
    words = []
    for i, word in enumerate(text.split(" ")):
        low = word.lower()
        if i > 0 and low in PARTICLES:
            words.append(low)
        elif re.fullmatch(r"[A-Z]{2,}", word) and not re.search(r"[AEIOUY]", word):
            words.append(word)  # an acronym with no vowel ("MPLA" is written as a name; case is not matched)
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


def parse_date(text: str, end: bool = False) -> str | None:
    """YYMMDD or YYYYMMDD -> ISO; two-digit years 00-30 are 20xx, 31-99 are 19xx."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = text[2:4], text[4:6]
    elif len(text) == 8:
        year, month, day = int(text[:4]), text[4:6], text[6:8]
    else:
        raise ValueError(f"bad date {text!r}")
    month = min(max(int(month), 1), 12)
    day = max(int(day), 1)
    import calendar

    day = min(day, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_code_line(code_line: str) -> tuple[str, str | None, str | None]:
    """``USAGOV 010120-050120`` -> ("USAGOV", "2001-01-20", "2005-01-20"); ``>050501`` open
    ended; ``<061231`` with no start."""
    parts = code_line.split()
    code = parts[0] if parts else ""
    start = end = None
    if len(parts) > 1:
        when = "".join(parts[1:])
        if when.startswith(">"):
            start = parse_date(when[1:])
        elif when.startswith("<"):
            end = parse_date(when[1:])
        elif "-" in when:
            a, b = when.split("-", 1)
            start, end = parse_date(a), parse_date(b)
        else:
            start = parse_date(when)
    return code, start, end


def decode(code: str, countries: set[str], person: bool = False) -> tuple[str | None, str | None] | None:
    """A CAMEO actor code -> (Legation code, sector); None where it cannot be mapped."""
    code = code.strip().upper()
    if len(code) < 3 or not code.isalpha() or code == "---":
        return None
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    first, rest = chunks[0], chunks[1:]
    actor: str | None
    default: str | None = None
    if first == "IGO":
        if rest[:1] == ["UNO"]:
            actor, rest = "UNO", rest[1:]
        elif rest[:2] == ["EUR", "EEC"]:
            actor, rest = "EUR", rest[2:]
        else:
            actor = "IGO"
        default = "IGO"
    elif first == "EUR" and rest[:1] == ["EEC"]:
        actor, rest, default = "EUR", rest[1:], "IGO"
    elif first == "UNO":
        actor, default = "UNO", "IGO"
    elif first == "NGO":
        country = _country(rest[0], countries) if rest else None
        actor = country or "NGO"
        rest = rest[1:] if country else rest
        default = "NGO"
    elif first == "MNC":
        country = _country(rest[0], countries) if rest else None
        actor = country
        rest = [] if country else rest
        default = "BUS"
        return actor, "BUS"
    elif first == "IMG":
        actor, default = None, "REB"
    elif first in ("MED",):
        return None, "JRN"
    elif first in RELIGIONS and first != "MUS":
        return None, "REL"
    elif first in REGIONS:
        actor = None
    else:
        actor = _country(first, countries)
        if actor is None:
            return None
    sector = None
    if "MED" in rest and not person:
        sector = "JRN"  # state or party media (CHNGOVMED, NICOPPMED) are media, as in organisations.yaml
    elif rest[:1] == ["GOV"]:
        sector = "GOV"
        if len(rest) > 1 and rest[1] in GOV_SUBSECTORS:
            sector = rest[1]
        elif len(rest) > 1 and rest[1] == "JUD" and not person:
            sector = "JUD"  # a country's courts; a person coded GOVJUD is a justice minister
    elif rest[:1] == ["ELI"]:
        sector = None
    else:
        for part in rest:
            if part in SECTORS:
                sector = SECTORS[part]
                break
        if sector is None and first != "IMG" and any(p in RELIGIONS for p in rest) and actor in (None, "NGO"):
            sector = "REL"
    return actor, sector or default


def _country(chunk: str, countries: set[str]) -> str | None:
    chunk = COUNTRY_MAP.get(chunk, chunk)
    return chunk if chunk in countries or chunk in TERRITORIES else None


# ---------------------------------------------------------------------------------------------
# turning records into entries
def normal(text: str) -> str:
    text = text.lower().replace("’", "'").strip()
    return text[4:] if text.startswith("the ") else text


def looks_like_person(names: list[str]) -> bool:
    words = [w.lower() for w in names[0].split()]
    return 2 <= len(words) <= 4 and not (set(words) & ORG_WORDS) and all(re.fullmatch(r"[a-z.'\-]+", w) for w in words)


def convert(records: list[Record], countries: set[str], known_forms: set[str], common_words: set[str],
            drops: Counter) -> list[Entry]:
    out: list[Entry] = []
    known_upper = {f.upper() for f in known_forms}  # built per call: no cache that outlives its set
    for rec in records:
        kind_file = rec.source
        parsed = []
        for line in rec.codes:
            try:
                parsed.append(parse_code_line(line))
            except ValueError:
                drops["role line with a bad date"] += 1
        if not parsed:
            drops[f"{kind_file}: no code"] += 1
            continue
        dated = any(s or e for _, s, e in parsed)
        eli = any(c.endswith("ELI") or "ELI" == c[3:6] for c, _, _ in parsed)
        names = []
        aliases_extra = []
        for raw in rec.names:
            name, acronym = clean_name(raw)
            if name:
                # one word in capitals is kept as written: an acronym ("IAEA") is matched only so
                names.append(name if " " in name else re.sub(r"\([^)]*\)|[_.]", "", raw).strip().upper())
            if acronym:
                aliases_extra.append(acronym)
        names += aliases_extra
        if not names:
            drops[f"{kind_file}: no usable name"] += 1
            continue
        codes_only = {c for c, _, _ in parsed}
        if kind_file == "countries" and not dated and all(len(c) == 3 for c in codes_only):
            drops["countries: country name or place (countries.yaml covers these)"] += 1
            continue
        if kind_file == "armed":
            kind = "armed_group"
        elif dated or eli or "countryinfo" in rec.comment.lower() or (
                kind_file != "countries" and not codes_only & {"MNC"} and not any(c.startswith("MNC") for c in codes_only)
                and looks_like_person(names)):
            kind = "person"
        else:
            kind = "organisation"
        roles = []
        for code, start, end in parsed:
            mapped = decode(code, countries, person=kind == "person")
            if mapped is None:
                drops[f"{kind_file}: role code Legation cannot map"] += 1
                continue
            roles.append([mapped[0], mapped[1], start, end])
        if not roles or all(r[0] is None and r[1] is None for r in roles):
            drops[f"{kind_file}: entry with no code Legation can map"] += 1
            continue
        if kind != "person":
            # an organisation keeps one code: its undated one, else its latest
            undated = [r for r in roles if not r[2] and not r[3]]
            roles = [undated[0] if undated else max(roles, key=lambda r: r[2] or "")]
            roles[0][2] = roles[0][3] = None
        # drop duplicate roles, dated before undated (the default)
        seen, ordered = set(), []
        for r in sorted(roles, key=lambda r: (r[2] is None and r[3] is None, r[2] or "", r[3] or "")):
            key = tuple(r)
            if key not in seen:
                seen.add(key)
                ordered.append(r)
        kept = []
        initials = [[w[0] for w in n.upper().split() if w[:1].isalpha()] for n in names if " " in n]
        for name in names:
            key = normal(name)
            words = key.split()
            if len(words) < 2:
                # one word is kept only as an acronym: of a longer name of the entry ("DOJ" of "United
                # States Department of Justice") or given in parentheses after it
                if kind in ("organisation", "armed_group") and re.fullmatch(r"[A-Z]{3,8}", name) \
                        and (name in aliases_extra or any(_subsequence(name, i) for i in initials)) \
                        and name not in known_upper:
                    kept.append(name)
                else:
                    drops[f"{kind}: one-word name"] += 1
                continue
            if key in known_forms:
                drops[f"{kind}: form the hand-written files have"] += 1
                continue
            if kind_file == "countries" and kind == "organisation" and set(words) & GENERIC_BODY_WORDS \
                    and all(w in common_words or w in PARTICLES for w in words):
                drops["organisation: state body named only with common words"] += 1
                continue
            kept.append(name)
        if not kept:
            continue
        out.append(Entry(kind, kept[0], sorted(set(kept[1:]) - {kept[0]}), ordered))
    return out


def _subsequence(letters: str, initials: list[str]) -> bool:
    """Each letter among the initials, in order ("DOJ" in U S D O J)."""
    it = iter(initials)
    return all(any(letter == i for i in it) for letter in letters)


def remove_conflicts(entries: list[Entry], drops: Counter) -> list[Entry]:
    """A form two entries give different codes is ambiguous: it is dropped from both."""
    codes_by_form: dict[str, set] = defaultdict(set)
    for e in entries:
        signature = tuple(tuple(r) for r in e.roles)
        for form in [e.name] + e.aliases:
            codes_by_form[normal(form)].add(signature)
    out = []
    seen_forms: set[str] = set()
    for e in entries:
        forms = []
        for form in [e.name] + e.aliases:
            key = normal(form)
            if len(codes_by_form[key]) > 1:
                drops[f"{e.kind}: form with different codes in two Phoenix entries"] += 1
                continue
            if key in seen_forms:
                drops[f"{e.kind}: form repeated (same codes)"] += 1
                continue
            seen_forms.add(key)
            forms.append(form)
        if forms:
            out.append(Entry(e.kind, forms[0], forms[1:], e.roles))
    return out


# ---------------------------------------------------------------------------------------------
# agents
def parse_agents(text: str) -> list[tuple[str, str]]:
    """(phrase, CAMEO agent code) pairs; ``!SET!`` markers expanded with singular members."""
    sets: dict[str, list[str]] = {}
    out = []
    for raw in text.splitlines():
        body, _ = _strip_comment(raw)
        body = body.strip()
        if not body or body.startswith("<!--"):
            continue
        match = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", body)
        if match:
            sets[match.group(1)] = [w.strip() for w in match.group(2).split(",") if w.strip()]
            continue
        match = re.match(r"^([^\[{]+?)\s*(\{[^}]*\})?\s*\[([^\]}]*)[\]}]", body)
        if not match:
            continue
        phrase, code = match.group(1).strip(), match.group(3).strip()
        phrases = [phrase]
        for marker, members in sets.items():
            if marker in phrase:
                # singular members only: the matcher lemmatises
                singular = [m for m in members if not m.endswith(("MEN", "S")) or m.endswith("SS")]
                phrases = [p.replace(marker, m) for p in phrases for m in singular]
        for p in phrases:
            out.append((p, code))
    return out


def agent_sector(code: str) -> str | None:
    code = code.replace("~", "").strip().upper()
    if not code.isalpha() or len(code) < 3:
        return None
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    if "MED" in chunks:
        return "JRN"  # "opposition newspaper" (OPPMED) is media first, as in organisations.yaml
    # a religion is an identity, not a sector ("Moslem" [~MOS]): only a role after it counts
    for part in chunks:
        if part in SECTORS:
            return SECTORS[part]
        if part not in RELIGIONS:
            return None
    return None


def convert_agents(pairs: list[tuple[str, str]], sector_words: set[str], drops: Counter,
                   nouns: set[str] | None = None, excluded: frozenset[str] = frozenset(),
                   verbs: set[str] | None = None) -> dict[str, list[str]]:
    """Sector nouns: at most three words, ending in an English noun (``nouns``, singular or with a
    plural -s; a truncated stem such as "minist" or an adjective such as "jewish" is left out)."""
    out: dict[str, set[str]] = defaultdict(set)
    sector_of: dict[str, set[str]] = defaultdict(set)
    for phrase, code in pairs:
        sector = agent_sector(code)
        if sector is None:
            drops["agent: code with no Legation sector"] += 1
            continue
        if "!" in phrase or not re.fullmatch(r"[A-Z_ \-']+", phrase):
            drops["agent: phrase with a marker or symbol"] += 1
            continue
        word = re.sub(r"\s+", " ", phrase.replace("_", " ")).strip().lower()
        if len(word.split()) > 3:
            drops["agent: phrase of more than three words"] += 1
            continue
        head = word.split()[-1]
        singular = {head} | ({head[:-1]} if head.endswith("s") else set()) | ({head[:-2]} if head.endswith("es") else set())
        if nouns is not None and not singular & nouns:
            drops["agent: last word not an English noun (a stem or an adjective)"] += 1
            continue
        sector_of[word].add(sector)
    for word, sectors in sorted(sector_of.items()):
        if word in excluded:
            drops["agent: word excluded after review (phoenix_agents_exclude.yaml)"] += 1
            continue
        if verbs is not None and " " not in word and word in verbs:
            drops["agent: one word that is also a verb (the matcher reads lemmas: \"convicted\")"] += 1
            continue
        if word in sector_words:
            drops["agent: word sectors.yaml has"] += 1
            continue
        if len(sectors) > 1:
            drops["agent: word with two sectors"] += 1
            continue
        out[next(iter(sectors))].add(word)
    return {k: sorted(v) for k, v in sorted(out.items())}


# ---------------------------------------------------------------------------------------------
def hand_written_forms() -> set[str]:
    """Every form the hand-written actor files give, normalised."""
    sys.path.insert(0, str(ROOT))
    from legation.actors.knowledge import ActorKnowledge

    knowledge = ActorKnowledge(include_imported=False)
    return {normal(f) for f in knowledge.forms}


def common_word_set(pos: str | None = None) -> set[str]:
    """Lower-case English words (the lemmatiser's WordNet index of the spaCy model), of one
    part of speech if ``pos`` is given."""
    sys.path.insert(0, str(ROOT))
    from legation.model import load_model

    lookups = load_model().get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index")
    if pos is not None:
        return set(index[pos])
    return {w for words in index.values() for w in words}


def write_jsonl(path: Path, entries: list[Entry], source: str) -> None:
    header = "".join(f"# {line}".rstrip() + "\n" for line in LICENCE_NOTICE.format(source=source).splitlines())
    header += "# One entry per line: name, aliases (when any), roles as [code, sector, start, end]\n"
    header += "# (dates ISO; null start or end is open; a role with neither is the entry's default).\n"
    entries = sorted(entries, key=lambda e: (e.name.lower(), json.dumps(e.roles)))
    lines = [json.dumps({"name": e.name, **({"aliases": e.aliases} if e.aliases else {}), "roles": e.roles},
                        ensure_ascii=False, separators=(",", ":")) for e in entries]
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    target.mkdir(parents=True, exist_ok=True)
    countries = {row["code"] for row in yaml.safe_load((ROOT / "legation/data/actors/countries.yaml").read_text())}
    known = hand_written_forms()
    common = common_word_set()
    drops: Counter = Counter()
    entries: list[Entry] = []
    read: Counter = Counter()
    for key, filename in FILES.items():
        records = parse_actor_file((source / filename).read_text(encoding="utf-8", errors="replace"), key)
        read[key] = len(records)
        entries += convert(records, countries, known, common, drops)
    entries = remove_conflicts(entries, drops)
    by_kind = {"person": "people.jsonl", "organisation": "organisations.jsonl", "armed_group": "armed_groups.jsonl"}
    files_used = {"person": "Phoenix.Countries.actors.txt, Phoenix.International.actors.txt",
                  "organisation": "Phoenix.Countries.actors.txt, Phoenix.International.actors.txt",
                  "armed_group": "Phoenix.MilNonState.actors.txt"}
    for kind, filename in by_kind.items():
        write_jsonl(target / filename, [e for e in entries if e.kind == kind], files_used[kind])
    sector_words = {str(w).lower() for spec in yaml.safe_load((ROOT / "legation/data/actors/sectors.yaml").read_text()).values()
                    for w in spec.get("words", [])}
    pairs = parse_agents((source / AGENTS_FILE).read_text(encoding="utf-8", errors="replace"))
    excluded = frozenset(yaml.safe_load((ROOT / "legation/data/actors/phoenix_agents_exclude.yaml").read_text())["exclude"])
    agents = convert_agents(pairs, sector_words, drops, common_word_set("noun"), excluded, common_word_set("verb"))
    header = "".join(f"# {line}".rstrip() + "\n" for line in LICENCE_NOTICE.format(source=AGENTS_FILE).splitlines())
    header += "# Sector nouns that the hand-written sectors.yaml lacks (sector -> words, lower case).\n"
    (target / "agents.yaml").write_text(header + yaml.safe_dump(agents, sort_keys=True, allow_unicode=True), encoding="utf-8")

    print("records read: " + ", ".join(f"{k} {v}" for k, v in read.items()) + f", agent phrases {len(pairs)}")
    for kind, filename in by_kind.items():
        chosen = [e for e in entries if e.kind == kind]
        print(f"imported {filename}: {len(chosen)} entries, {sum(1 + len(e.aliases) for e in chosen)} forms, "
              f"{sum(len(e.roles) for e in chosen)} roles")
    print(f"imported agents.yaml: {sum(len(v) for v in agents.values())} words in {len(agents)} sectors")
    print("dropped:")
    for reason, n in sorted(drops.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:6d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
