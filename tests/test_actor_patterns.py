"""The cache of lemmatised sector patterns (legation/actors/patterns.py): the same patterns as the
tagger gives, read back from the cache, a new key whenever the texts or the pipeline change."""
from __future__ import annotations

from pathlib import Path

import pytest

from legation.actors import patterns as P
from legation.model import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_cached_patterns_equal_computed_ones(nlp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path))
    texts = ["armed forces", "Foreign Ministers", "human rights group", "spokeswoman"]
    first = P.lemmatised_patterns(nlp, texts)
    files = list(tmp_path.glob("lemma-patterns-*.json"))
    assert len(files) == 1
    disable = [p for p in ("parser", "ner") if p in nlp.pipe_names]
    direct = [" ".join(t.lemma_.lower() for t in doc) for doc in nlp.pipe(texts, disable=disable)]
    assert [p.lemma_key for p in first] == direct
    assert [p.words for p in first] == [tuple(t.text for t in nlp.tokenizer(x)) for x in texts]
    # read back: the file is used (a marker lemma written into it comes back)
    files[0].write_text(files[0].read_text(encoding="utf-8").replace('"spokeswoman"]', '"MARK"]'), encoding="utf-8")
    again = P.lemmatised_patterns(nlp, texts)
    assert again[3].lemmas == ("MARK",)
    assert again[:3] == first[:3]
    # a Doc built from a cached pattern carries its lemmas for the LEMMA matcher
    doc = first[0].doc(nlp.vocab)
    assert [t.lemma_ for t in doc] == list(first[0].lemmas) and doc.text == "armed forces"


def test_new_key_when_texts_or_pipeline_change(nlp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path))
    P.lemmatised_patterns(nlp, ["envoy"])
    P.lemmatised_patterns(nlp, ["envoy", "militia"])
    assert len(list(tmp_path.glob("lemma-patterns-*.json"))) == 2
    before = P.pipeline_fingerprint(nlp)
    monkeypatch.setattr(P, "FORMAT", P.FORMAT + 1)
    assert P.pipeline_fingerprint(nlp) != before


def test_damaged_or_unwritable_cache_falls_back(nlp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path))
    first = P.lemmatised_patterns(nlp, ["rebels"])
    path = next(tmp_path.glob("lemma-patterns-*.json"))
    path.write_text("{not json", encoding="utf-8")
    assert P.lemmatised_patterns(nlp, ["rebels"]) == first  # computed again and rewritten
    assert P.lemmatised_patterns(nlp, ["rebels"])[0].lemma_key == "rebel"
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("LEGATION_CACHE_DIR", str(blocked / "sub"))  # a folder cannot be made under a file
    assert P.lemmatised_patterns(nlp, ["rebels"]) == first
    monkeypatch.setenv("LEGATION_CACHE_DIR", "off")
    assert P.cache_dir() is None and P.lemmatised_patterns(nlp, ["rebels"]) == first
