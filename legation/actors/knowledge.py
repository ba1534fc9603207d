"""Actor knowledge: countries, organisations, people with dated roles, sector words.

Loaded once from ``data/actors/*.yaml`` into lookup tables keyed by surface form.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from legation.knowledge import data_path, load_yaml


@dataclass(frozen=True)
class Form:
    """One way of writing an actor: "Burma", "Burmese", "Pyongyang", "the Kremlin"."""

    text: str
    code: str | None
    kind: str  # country | organisation | person
    form_type: str  # name | alias | demonym | capital | metonym | context | city
    sector: str | None
    name: str
    entity: str | None = None
    when_also: tuple[str, ...] = ()
    ambiguous: bool = False
    homes: tuple[str, ...] = ()  # a people's countries ("Kurds": IRQ, TUR, SYR, IRN); the sentence picks one


@dataclass(frozen=True)
class Role:
    country: str | None
    sector: str | None
    role: str
    start: date | None
    end: date | None
    also: tuple[str, ...] = ()

    def active(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass
class Person:
    entity: str
    name: str
    roles: list[Role] = field(default_factory=list)
    # imported (Phoenix) people hold a role only inside its dates, else their undated default role,
    # else none: the nearest role in time is not guessed for them
    strict: bool = False

    def role_at(self, when: date | None, former: bool = False) -> Role | None:
        """The role held on ``when``; for "former X", the last role ended before it.

        With no date, the latest role. With no role on that date, the nearest one in time
        (for a ``strict`` person, the undated default role or none).
        """
        if not self.roles:
            return None
        if self.strict:
            return self._strict_role_at(when, former)
        if when is None:
            return max(self.roles, key=lambda r: r.start or date.min)
        if former:
            ended = [r for r in self.roles if r.end is not None and r.end <= when]
            if ended:
                return max(ended, key=lambda r: r.end)
        active = [r for r in self.roles if r.active(when)]
        if active:
            return active[0]

        def distance(role: Role) -> int:
            if role.start and when < role.start:
                return (role.start - when).days
            if role.end and when > role.end:
                return (when - role.end).days
            return 0

        return min(self.roles, key=distance)

    def _strict_role_at(self, when: date | None, former: bool) -> Role | None:
        dated = [r for r in self.roles if r.start is not None or r.end is not None]
        default = next((r for r in self.roles if r.start is None and r.end is None), None)
        if when is None:
            return max(dated, key=lambda r: r.start or date.min) if dated else default
        if former:
            ended = [r for r in dated if r.end is not None and r.end <= when]
            if ended:
                return max(ended, key=lambda r: r.end or date.min)
        active = [r for r in dated if r.active(when)]
        if active:
            # the most specific: the latest started of the roles held that day
            return max(active, key=lambda r: r.start or date.min)
        return default


@dataclass(frozen=True)
class Office:
    """Offices and party labels that make a person of one country (data/actors/offices.yaml)."""

    code: str
    titles: dict[str, str]  # lower-case title -> sector
    context: tuple[str, ...]  # words that place a document in this country's politics
    labels: dict[str, str] = field(default_factory=dict)  # party label as written -> sector


@dataclass
class Organisation:
    entity: str
    code: str | None
    name: str
    sector: str | None
    since: date | None = None
    before: str | None = None

    def sector_at(self, when: date | None) -> str | None:
        if self.since and self.before and when is not None and when < self.since:
            return self.before
        return self.sector


def parse_date(value: Any) -> date | None:
    """Dates in the data may be YYYY, YYYY-MM or YYYY-MM-DD (start of the period)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 1, 1)
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(f"[E050] bad date {value!r} in actor data") from exc


def _end_date(value: Any) -> date | None:
    """End dates of coarse precision cover the whole period (an end of "1988" is 1988-12-31)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    parts = str(value).split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 12, 31)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        return date(year, month, calendar.monthrange(year, month)[1])
    return date.fromisoformat(str(value)[:10])


def _variants(text: str) -> list[str]:
    """Surface variants: curly apostrophes, a leading "the" and a lower-case particle
    ("al-Qaeda", "de Klerk") capitalised at the start of a sentence."""
    out = [text]
    if "'" in text:
        out.append(text.replace("'", "’"))
    if text.startswith("the "):
        out.append("The " + text[4:])
    elif text[:1].islower() and re.match(r"(?:al|el|ad|as|ash|an|de|van|von|bin|ibn)[- ]", text):
        out.append(text[0].upper() + text[1:])
    return out


IMPORTED_DIR = "actors/phoenix"
IMPORTED_FILES = ("people.jsonl", "organisations.jsonl", "armed_groups.jsonl")
NAME_PARTICLES = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "al", "el", "bin", "ibn", "van",
                            "von", "der", "da", "do", "dos", "das", "y", "e", "di", "in", "on", "to", "at", "against",
                            "&"})


def imported_key(text: str) -> str:
    """How imported names are compared: case folded, curly apostrophes straightened, no leading "the"."""
    text = " ".join(text.lower().replace("’", "'").split())
    return text[4:] if text.startswith("the ") else text


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """A JSON Lines knowledge file; lines starting with ``#`` are its licence notice and provenance."""
    path = data_path(name)
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"[E051] {path}:{number} is not a JSON object: {exc.msg}; "
                                 "re-run scripts/import_phoenix.py") from exc
    return rows


class ActorKnowledge:
    def __init__(self, include_imported: bool = True) -> None:
        self.forms: dict[str, Form] = {}
        self.people: dict[str, Person] = {}
        self.organisations: dict[str, Organisation] = {}
        self.country_names: dict[str, str] = {}
        self.sector_words: dict[str, str] = {}
        self.by_surname: dict[str, list[Person]] = {}
        self._fuzzy_keys: dict[str, list[str]] | None = None
        self._fuzzy_cache: dict[str, Form | None] = {}
        self.sector_labels: dict[str, str] = {}
        # subdivision names that are also a country's form ("Georgia"): the document's context decides
        self.homonym_subdivisions: dict[str, Form] = {}
        self._load_countries(load_yaml("actors/countries.yaml") or [])
        if data_path("actors/subdivisions.yaml").exists():
            self._load_subdivisions(load_yaml("actors/subdivisions.yaml") or {})
        self._load_organisations(load_yaml("actors/organisations.yaml") or [])
        if data_path("actors/peoples.yaml").exists():
            self._load_peoples((load_yaml("actors/peoples.yaml") or {}).get("peoples") or [])
        if data_path("actors/people.yaml").exists():
            self._load_people(load_yaml("actors/people.yaml") or [])
        self.offices: dict[str, Office] = {}
        if data_path("actors/offices.yaml").exists():
            for code, spec in (load_yaml("actors/offices.yaml") or {}).items():
                self.offices[code] = Office(code, {str(t).lower(): s for t, s in (spec.get("titles") or {}).items()},
                                            tuple(spec.get("context") or ()),
                                            {str(label): sector for label, sector in (spec.get("labels") or {}).items()})
        for sector, spec in (load_yaml("actors/sectors.yaml") or {}).items():
            self.sector_labels[sector] = spec.get("label", sector)
            for word in spec.get("words", []):
                self.sector_words.setdefault(str(word).lower(), sector)
        # entries imported from the Phoenix dictionaries (scripts/import_phoenix.py): a lower-priority
        # source, consulted only where the hand-written forms above do not match
        self.imported_forms: dict[str, Form] = {}  # imported_key(text) -> form, matched case-insensitively
        self.imported_acronyms: dict[str, Form] = {}  # "IAEA": matched only as written
        if include_imported:
            self._load_imported()

    def _load_imported(self) -> None:
        if not data_path(f"{IMPORTED_DIR}/people.jsonl").exists():
            return
        taken = {imported_key(f) for f in self.forms}
        slugs: set[str] = set()
        for filename in IMPORTED_FILES:
            kind = "person" if filename == "people.jsonl" else "organisation"
            for row in read_jsonl(f"{IMPORTED_DIR}/{filename}"):
                slug = re.sub(r"[^a-z0-9]+", "-", row["name"].lower()).strip("-")
                entity = f"phoenix:{kind}:{slug}"
                n = 2
                while entity in slugs:
                    entity, n = f"phoenix:{kind}:{slug}-{n}", n + 1
                slugs.add(entity)
                roles = [Role(code, sector, "", parse_date(start), _end_date(end)) for code, sector, start, end in row["roles"]]
                if kind == "person":
                    self.people[entity] = Person(entity, row["name"], roles, strict=True)
                first = roles[0]
                for text in [row["name"]] + list(row.get("aliases") or []):
                    key = imported_key(text)
                    if key in taken:
                        continue  # the hand-written files win
                    form = Form(text, first.country, kind, "imported", first.sector, row["name"], entity)
                    if " " not in text.strip() and text.isupper():
                        self.imported_acronyms.setdefault(text, form)
                    elif " " in text.strip():
                        self.imported_forms.setdefault(key, form)
        agents = data_path(f"{IMPORTED_DIR}/agents.yaml")
        if agents.exists():
            for sector, words in (load_yaml(f"{IMPORTED_DIR}/agents.yaml") or {}).items():
                for word in words or []:
                    self.sector_words.setdefault(str(word).lower(), sector)  # hand-written words first

    def _add(self, form: Form) -> None:
        for variant in _variants(form.text):
            # the first writer wins: data files are checked for unique forms
            self.forms.setdefault(variant, Form(variant, form.code, form.kind, form.form_type, form.sector,
                                                form.name, form.entity, form.when_also, form.ambiguous, form.homes))

    def _load_countries(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            code, name = row["code"], row["name"]
            self.country_names[code] = name
            ambiguous = set(row.get("ambiguous") or [])
            for text, form_type in ([(name, "name"), (row.get("official"), "alias")]
                                    + [(a, "alias") for a in row.get("aliases") or []]
                                    + [(d, "demonym") for d in row.get("demonyms") or []]
                                    + [(c, "capital") for c in row.get("capitals") or []]):
                if text:
                    self._add(Form(text, code, "country", form_type, "GOV", name, None, (), text in ambiguous))
            for city in row.get("cities") or []:
                self._add(Form(city, code, "location", "city", None, city))
            for metonym in row.get("metonyms") or []:
                self._add(Form(metonym["text"], code, "country", "metonym", metonym.get("sector", "GOV"), name))
                if metonym["text"].startswith("the ") and metonym.get("bare", True):
                    # "State Department officials", "a Pentagon spokesman": as a modifier, with no "the"
                    self._add(Form(metonym["text"][4:], code, "country", "metonym", metonym.get("sector", "GOV"), name))
            for context in row.get("context_forms") or []:
                self._add(Form(context["text"], code, "country", "context", "GOV", name, None,
                               tuple(context.get("when_also") or ())))

    def _load_subdivisions(self, spec: dict[str, Any]) -> None:
        """States and provinces: places of their country. A name some country already has is kept
        apart, for the resolver to choose by the document's context."""
        for code, entry in spec.items():
            for text in (entry or {}).get("names") or []:
                form = Form(text, code, "location", "subdivision", None, text)
                if text in self.forms:
                    if self.forms[text].code != code:
                        self.homonym_subdivisions[text] = form
                    continue
                self._add(form)

    def _load_organisations(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            org = Organisation(row["entity"], row.get("code"), row["name"], row.get("sector"),
                               parse_date(row.get("since")), row.get("before"))
            self.organisations[org.entity] = org
            ambiguous = set(row.get("ambiguous") or [])
            for text in [row["name"]] + list(row.get("aliases") or []):
                self._add(Form(text, org.code, "organisation", "name", org.sector, org.name, org.entity, (),
                               text in ambiguous))

    def _load_peoples(self, rows: list[dict[str, Any]]) -> None:
        """Peoples without a state of their own: coded with the home country the sentence names,
        else their primary home (null where news gives no default)."""
        for row in rows:
            homes = tuple(row.get("homes") or ())
            ambiguous = set(row.get("ambiguous") or [])
            for text in row.get("forms") or []:
                if text not in self.forms:  # country and organisation forms come first
                    self._add(Form(text, row.get("primary"), "people", "people", "CVL", row["name"], None, (),
                                   text in ambiguous, homes))

    def _load_people(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            roles = [Role(r["country"], r["sector"], r.get("role", ""), parse_date(r.get("start")),
                          _end_date(r.get("end")), tuple(r.get("also") or ()))
                     for r in row.get("roles") or []]
            person = Person(row["entity"], row["name"], roles)
            self.people[person.entity] = person
            surname = row["name"].split()[-1]
            self.by_surname.setdefault(surname, []).append(person)
            for text in [row["name"]] + list(row.get("aliases") or []):
                code = roles[0].country if roles else None
                self._add(Form(text, code, "person", "name", roles[0].sector if roles else None, row["name"], person.entity))

    def surname_country(self, surname: str, first_name: str | None = None) -> tuple[str, list[Person]] | None:
        """The country all known people of this surname share ("President Bush" -> USA), or all
        of this first name and surname ("George Bush": both presidents are American)."""
        people = self.by_surname.get(surname, [])
        if first_name is not None:
            people = [p for p in people if p.name.split()[0] == first_name]
        countries = {r.country for p in people for r in p.roles}
        if people and len(countries) == 1:
            return next(iter(countries)), people
        return None

    def fuzzy_country(self, text: str) -> Form | None:
        """A misspelled country, demonym or capital ("Ethopia", "Ghanians", "Khatmandu")."""
        import difflib

        if len(text) < 5:
            return None
        if text in self._fuzzy_cache:
            return self._fuzzy_cache[text]
        if self._fuzzy_keys is None:
            self._fuzzy_keys = {}
            for f, form in self.forms.items():
                if form.kind in ("country", "location") and form.form_type in ("name", "alias", "demonym", "capital", "city") and len(f) >= 5:
                    self._fuzzy_keys.setdefault(f[0].lower(), []).append(f)
        # a misspelling rarely changes the first letter: compare within it
        match = difflib.get_close_matches(text, self._fuzzy_keys.get(text[0].lower(), []), n=1, cutoff=0.85)
        result = self.forms[match[0]] if match else None
        self._fuzzy_cache[text] = result
        return result



@lru_cache(maxsize=1)
def actor_knowledge() -> ActorKnowledge:
    return ActorKnowledge()
