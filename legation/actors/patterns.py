"""Tokenised matcher patterns of the actor knowledge, cached between processes.

The sector nouns (about 4,000 written forms, half of them from the Phoenix agent lists) are
matched on their lemmas, so each must go through the tagger once: about 2 s of CPU at every
process start. Their tokens, spaces and lemmas are kept in a JSON file in the user's cache
directory, keyed by a hash of everything the result depends on: the pattern texts themselves
(so any change to the knowledge files gives a new key), the spaCy version, the pipeline's
name, version and components, and the tokenizer's special cases (``add_tokenizer_exceptions``).
A stale file can therefore never be read; a missing, unreadable or unwritable cache only means
the patterns are computed as before.

The cache folder is ``$LEGATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/legation``, else
``~/.cache/legation``; ``LEGATION_CACHE_DIR=off`` turns the cache off.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

FORMAT = 1  # bump when the stored layout or the way patterns are computed changes


@dataclass(frozen=True)
class TokenPattern:
    """One pattern as the pipeline tokenises and lemmatises it."""

    words: tuple[str, ...]
    spaces: tuple[bool, ...]
    lemmas: tuple[str, ...]

    def doc(self, vocab: Any) -> Any:
        from spacy.tokens import Doc

        return Doc(vocab, words=list(self.words), spaces=list(self.spaces), lemmas=list(self.lemmas))

    @property
    def lemma_key(self) -> str:
        return " ".join(lemma.lower() for lemma in self.lemmas)


def cache_dir() -> Path | None:
    setting = os.environ.get("LEGATION_CACHE_DIR")
    if setting:
        return None if setting.lower() in ("off", "0", "none") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "legation"


def pipeline_fingerprint(nlp: Any) -> str:
    """What the tokens and lemmas of a text depend on, besides the text."""
    import spacy

    meta = getattr(nlp, "meta", {}) or {}
    rules = getattr(nlp.tokenizer, "rules", None) or {}
    ruler = len(nlp.get_pipe("attribute_ruler").patterns) if "attribute_ruler" in nlp.pipe_names else 0
    parts = [f"format {FORMAT}", f"spacy {spacy.__version__}",
             f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}", ",".join(nlp.pipe_names),
             f"attribute_ruler {ruler}", "\n".join(sorted(rules))]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def lemmatised_patterns(nlp: Any, texts: Sequence[str]) -> list[TokenPattern]:
    """``texts`` tokenised and lemmatised by ``nlp`` (tagger and lemmatizer only), read from the
    cache when the same texts went through the same pipeline before."""
    key = hashlib.sha256((pipeline_fingerprint(nlp) + "\0" + "\n".join(texts)).encode("utf-8")).hexdigest()[:32]
    folder = cache_dir()
    path = folder / f"lemma-patterns-{key}.json" if folder is not None else None
    if path is not None:
        cached = _read(path, len(texts))
        if cached is not None:
            return cached
    disable = [p for p in ("parser", "ner") if p in nlp.pipe_names]
    patterns = [TokenPattern(tuple(t.text for t in doc), tuple(bool(t.whitespace_) for t in doc),
                             tuple(t.lemma_ for t in doc))
                for doc in nlp.pipe(texts, disable=disable)]
    if path is not None:
        _write(path, patterns)
    return patterns


def _read(path: Path, expected: int) -> list[TokenPattern] | None:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        patterns = [TokenPattern(tuple(w), tuple(bool(s) for s in sp), tuple(lem)) for w, sp, lem in rows]
    except (OSError, ValueError, TypeError):
        return None  # absent or damaged: computed again (and rewritten)
    if len(patterns) != expected or any(len(p.words) != len(p.lemmas) for p in patterns):
        return None
    return patterns


def _write(path: Path, patterns: list[TokenPattern]) -> None:
    """Written to a temporary file and renamed, so a parallel process never reads half a file."""
    rows = [[list(p.words), [int(s) for s in p.spaces], list(p.lemmas)] for p in patterns]
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(rows, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        # a read-only home: the patterns are simply not kept
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
