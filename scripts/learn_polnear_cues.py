"""Learn attribution cues from PolNeAR train: lemmas, content relations, content shapes, speaker positions.

    .venv/bin/python scripts/learn_polnear_cues.py ../shared/eval/polnear/train \
        [--cache /tmp/legation-parses] [--out legation/data/attribution_cues.yaml]

Reads the gold attributions (first annotator by name) and the spaCy parse of each article
and counts, for every lemma that heads a gold cue:

* ``cue``: how often it heads a cue, ``total``: how often it occurs with that part of speech
  outside the contents of other attributions (where the extractor never looks for cues);
* ``content``: for each relation between the cue and its content (a dependent such as
  ``ccomp``, ``dobj``, ``xcomp``, ``prep:of``, or ``^ccomp`` when the cue hangs on its
  content, "X, he said"), ``[hits, total]``: how often a token of that lemma with such a
  dependent heads a gold cue whose content that dependent is, and how often such a token
  occurs at all. ``hits / total`` is the precision of the rule "this lemma with this
  dependent is an attribution whose content is the dependent";
* ``source``: the relation between the cue and its source (``nsubj``, ``agent``,
  ``poss``, ``^acl`` ..., ``far`` when the source is not attached to the cue, ``none``);
* ``shapes``: the content's shape (``clause``, ``that``, ``quote``, ``infinitive``,
  ``question``, ``np``).

Only counts and lemmas are written, never corpus text. The output is the data the
attribution model in ``legation/quotes/attribution.py`` reads.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from legation.evaluation.brat import read_gold_folder  # noqa: E402
from legation.evaluation.brat_cli import cached_parser  # noqa: E402
from legation.model import load_model  # noqa: E402
from legation.quotes.attribution import content_relation_labels, coarse_pos  # noqa: E402

MIN_CUE = 3  # lemmas heading fewer gold cues are left out
QUOTES = "\"'“”‘’«»"
WH = {"what", "whether", "if", "how", "why", "who", "when", "where", "which", "whom"}


def tokens_in(doc: Any, spans: list[tuple[int, int]]) -> list[Any]:
    out = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.extend(span)
    return out


def cue_root(tokens: list[Any]) -> Any | None:
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    roots = [t for t in roots if not t.is_punct] or roots
    if not roots:
        return None
    for pos in (("VERB", "AUX"), ("NOUN", "PROPN", "ADJ")):
        found = [t for t in roots if t.pos_ in pos]
        if found:
            return found[-1] if pos[0] == "VERB" else found[0]
    return roots[0]


def relation(root: Any, target: set[int], cue_ids: set[int]) -> str:
    """The dependent of ``root`` that covers most of ``target``, or ``^dep`` when the root
    hangs (within three steps) on a token of ``target``, else ``far``."""
    best, best_size = None, 0
    for child in root.children:
        if child.i in cue_ids and child.dep_ not in ("prep", "agent", "dative"):
            continue
        sub = [t.i for t in child.subtree if t.i not in cue_ids]
        if not sub:
            continue
        inside = sum(1 for i in sub if i in target)
        if inside >= 0.5 * len(sub) and inside > best_size:
            best, best_size = child, inside
    if best is not None:
        return content_relation_labels(best)
    head, steps = root, 0
    while head.head.i != head.i and steps < 3:
        dep = head.dep_
        head = head.head
        steps += 1
        if head.i in target:
            return "^" + dep
    return "far"


def shape(doc: Any, tokens: list[Any], rel: str) -> str:
    words = [t for t in tokens if not t.is_space]
    if not words:
        return "none"
    first = words[0]
    if first.text in QUOTES or (first.i > 0 and doc[first.i - 1].text in QUOTES):
        return "quote"
    if first.lower_ == "that" and first.dep_ == "mark":
        return "that"
    if first.lower_ in WH:
        return "question"
    if first.lower_ == "to" or rel.startswith("xcomp"):
        return "infinitive"
    if any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in words):
        return "clause"
    return "np"


def learn(folder: Path, cache: Path | None) -> dict[str, Any]:
    nlp = load_model()
    parse = cached_parser(nlp, cache)
    docs = read_gold_folder(folder)
    cue_count: Counter[str] = Counter()
    total: Counter[str] = Counter()
    hits: dict[str, Counter[str]] = defaultdict(Counter)
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    shapes: dict[str, Counter[str]] = defaultdict(Counter)
    articles = 0
    for gold in docs:
        doc = parse(gold.text)
        articles += 1
        heads: dict[int, list[str]] = defaultdict(list)
        for attribution in gold.attributions:
            cue_spans = [span for tb in attribution.cues for span in tb.spans]
            cue_tokens = tokens_in(doc, cue_spans)
            root = cue_root(cue_tokens)
            if root is None:
                continue
            key = f"{root.lemma_.lower()}/{coarse_pos(root)}"
            cue_ids = {t.i for t in cue_tokens}
            content = tokens_in(doc, attribution.fragments)
            content_ids = {t.i for t in content} - cue_ids
            rel = relation(root, content_ids, cue_ids)
            cue_count[key] += 1
            hits[key][rel] += 1
            heads[root.i].append(rel)
            shapes[key][shape(doc, content, rel)] += 1
            source_ids = {t.i for t in tokens_in(doc, attribution.source_spans)} - cue_ids
            sources[key]["none" if not source_ids else relation(root, source_ids, cue_ids)] += 1
        # a cue inside another attribution's content belongs to that attribution (the
        # extractor never reads one there), so such tokens are not counted
        inside: set[int] = set()
        for attribution in gold.attributions:
            inside.update(t.i for t in tokens_in(doc, attribution.fragments))
        for token in doc:
            if token.i in inside and token.i not in heads:
                continue
            key = f"{token.lemma_.lower()}/{coarse_pos(token)}"
            total[key] += 1
            labels = {content_relation_labels(c) for c in token.children}
            if token.head.i != token.i:
                labels.add("^" + token.dep_)
            for label in labels:
                seen[key][label] += 1
    out: dict[str, Any] = {}
    for key, n in sorted(cue_count.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < MIN_CUE:
            continue
        content = {rel: [count, max(count, seen[key][rel])] for rel, count in hits[key].most_common() if count >= 2}
        out[key] = {
            "cue": n,
            "total": total[key],
            "content": content,
            "source": dict(sources[key].most_common()),
            "shapes": dict(shapes[key].most_common()),
        }
    return {"articles": articles, "cues": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="PolNeAR train folder (text/ and attributions/)")
    parser.add_argument("--cache", type=Path, default=None, help="folder for cached parses")
    parser.add_argument("--out", type=Path, default=ROOT / "legation" / "data" / "attribution_cues.yaml")
    args = parser.parse_args()
    learned = learn(args.folder, args.cache)
    header = (
        "# Attribution cues learned from PolNeAR 1.0 train (Newell, Margolin, Ruths 2018; research use):\n"
        f"# {learned['articles']} articles, first annotator by name. Derived counts only, no corpus text.\n"
        "# Written by scripts/learn_polnear_cues.py; see its docstring for the fields.\n"
        "# cue: gold cues headed by the lemma; total: tokens with that lemma and part of speech;\n"
        "# content: relation -> [gold cues with that content relation, tokens with such a dependent].\n"
    )
    body = yaml.safe_dump({"version": 1, "cues": learned["cues"]}, sort_keys=False, allow_unicode=True,
                          default_flow_style=None, width=200)
    args.out.write_text(header + body, encoding="utf-8")
    print(f"{len(learned['cues'])} cue lemmas -> {args.out}")


if __name__ == "__main__":
    main()
