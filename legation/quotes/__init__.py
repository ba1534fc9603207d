"""Quotes and speakers: direct, partial and indirect quotes, named and anonymous sources.

``extract_quotes(doc, actors=None)`` reads a parsed spaCy ``Doc`` and returns
:class:`legation.records.Quote` records; the knowledge it uses (speech verbs, cue
phrases, anonymity phrases, group and organisation nouns, titles) lives in
``legation/data/quote_cues.yaml``.
"""
from legation.quotes.cues import QuoteLexicon, default_lexicon
from legation.quotes.extract import QuoteExtractor, extract_quotes
from legation.quotes.marks import QuoteSpan, scan_quotes

__all__ = ["QuoteExtractor", "QuoteLexicon", "QuoteSpan", "default_lexicon", "extract_quotes", "scan_quotes"]
