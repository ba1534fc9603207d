"""The quote stage's knowledge (``legation/data/quote_cues.yaml``) in lookup form."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from legation.knowledge import load_yaml


@dataclass(frozen=True)
class QuoteLexicon:
    speech_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    characterisation_verbs: frozenset[str]
    phrasal_particles: dict[str, str]
    naming_markers: tuple[str, ...]
    according_to: tuple[str, ...]
    cue_nouns: frozenset[str]
    anonymity_re: re.Pattern[str]
    anonymity_phrase_reasons: dict[str, str]
    reason_re: re.Pattern[str]
    reason_keep: dict[str, str]
    group_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    person_titles: frozenset[str]
    honorifics: frozenset[str]
    gendered_honorifics: dict[str, str]
    pronouns: dict[str, dict[str, str]]
    cue_lemmas: frozenset[str] = field(default=frozenset())
    naming_re: re.Pattern[str] | None = None
    no_content_re: re.Pattern[str] | None = None
    source_nouns: frozenset[str] = frozenset()


def _words(values: Any) -> list[str]:
    return [str(v).strip().lower() for v in (values or []) if str(v).strip()]


def _alternation(phrases: list[str]) -> str:
    # longest first so that "on the condition of anonymity" wins over "anonymous"
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in phrase.split()) for phrase in ordered)


def build_lexicon(data: dict[str, Any]) -> QuoteLexicon:
    speech = frozenset(_words(data.get("speech_verbs")))
    belief = frozenset(_words(data.get("belief_verbs")))
    characterisation = frozenset(_words(data.get("characterisation_verbs")))
    phrasal = {str(k).lower(): str(v).lower() for k, v in (data.get("phrasal_particles") or {}).items()}
    anonymity = _words(data.get("anonymity_phrases"))
    reasons = data.get("anonymity_reasons") or []
    markers = [str(r["marker"]).lower() for r in reasons]
    keep = {str(r["marker"]).lower(): str(r.get("keep") or "") for r in reasons}
    # the reason runs to the next clause boundary
    reason_re = re.compile(r"^[\s,]*(?P<marker>" + _alternation(markers) + r")\s+(?P<reason>[^,.;:()\n–—]+)", re.I)
    naming = _words(data.get("naming_markers"))
    return QuoteLexicon(
        speech_verbs=speech,
        belief_verbs=belief,
        characterisation_verbs=characterisation,
        phrasal_particles=phrasal,
        naming_markers=tuple(naming),
        according_to=tuple(_words(data.get("according_to"))),
        cue_nouns=frozenset(_words(data.get("cue_nouns"))),
        anonymity_re=re.compile(r"\b(?:" + _alternation(anonymity) + r")\b", re.I),
        anonymity_phrase_reasons={str(k).lower(): str(v) for k, v in (data.get("anonymity_phrase_reasons") or {}).items()},
        reason_re=reason_re,
        reason_keep=keep,
        group_nouns=frozenset(_words(data.get("group_nouns"))),
        organisation_nouns=frozenset(_words(data.get("organisation_nouns"))),
        person_titles=frozenset(_words(data.get("person_titles"))),
        honorifics=frozenset(_words(data.get("honorifics"))),
        gendered_honorifics={str(k).lower(): str(v) for k, v in (data.get("gendered_honorifics") or {}).items()},
        pronouns={str(k).lower(): dict(v) for k, v in (data.get("pronouns") or {}).items()},
        cue_lemmas=speech | belief | characterisation,
        naming_re=re.compile(r"(?:" + _alternation(naming) + r")\s*[,:]?\s*$", re.I) if naming else None,
        source_nouns=frozenset(_words(data.get("in_source_nouns"))),
        no_content_re=re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in data["formula_contents"]) + r")\W*$", re.I)
        if data.get("formula_contents") else None,
    )


@lru_cache(maxsize=1)
def default_lexicon() -> QuoteLexicon:
    """The lexicon from ``quote_cues.yaml`` (cached; honours ``$LEGATION_DATA``)."""
    data = load_yaml("quote_cues.yaml")
    if not isinstance(data, dict):
        raise ValueError("[E040] quote_cues.yaml must be a mapping of lists; see legation/data/quote_cues.yaml")
    return build_lexicon(data)
