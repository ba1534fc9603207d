"""Which language a text is in (extraction is English-only).

py3langid (a naive Bayes model over byte n-grams, shipped in its wheel) restricted to the
candidate languages of ``data/input/languages.yaml``. A text written mostly in Latin letters is
called non-English only when the detector is sure and the text is long enough: a short English
headline must never lose its extraction to a guess.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "input" / "languages.yaml"
ENGLISH = "en"


@dataclass(frozen=True)
class LanguageConfig:
    candidates: tuple[str, ...]
    latin_min_probability: float
    latin_min_words: int
    non_latin_share: float
    sample_chars: int


@lru_cache(maxsize=1)
def config() -> LanguageConfig:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return LanguageConfig(candidates=tuple(str(c) for c in data["candidates"]),
                          latin_min_probability=float(data["latin_min_probability"]),
                          latin_min_words=int(data["latin_min_words"]),
                          non_latin_share=float(data["non_latin_share"]), sample_chars=int(data["sample_chars"]))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(config().candidates))


def non_latin_share(text: str) -> float:
    """Share of letters that are not Latin (0.0 for a text without letters)."""
    letters = latin = 0
    for char in text:
        if char.isalpha():
            letters += 1
            if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
                latin += 1
    return 0.0 if letters == 0 else (letters - latin) / letters


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; English unless the evidence says otherwise."""
    cfg = config()
    sample = text[:cfg.sample_chars]
    if not sample.strip():
        return ENGLISH
    share = non_latin_share(sample)
    try:
        language, probability = _identifier().classify(sample)
    except Exception:  # noqa: BLE001 - an unusable sample keeps the default
        return ENGLISH
    if share >= cfg.non_latin_share:
        return str(language)
    if language != ENGLISH and probability >= cfg.latin_min_probability \
            and len(sample.split()) >= cfg.latin_min_words:
        return str(language)
    return ENGLISH
