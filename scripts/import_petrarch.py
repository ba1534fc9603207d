"""Convert PETRARCH2's CAMEO verb dictionary into Legation's trigger lexicon format.

    python scripts/import_petrarch.py ../shared/lexicons/petrarch2 legation/data/events/petrarch_verbs.yaml

Reads ``CAMEO.verbpatterns.150430.txt`` (MIT licence, Open Event Data Alliance) and writes one
YAML file of trigger entries in the schema of ``data/events/triggers.yaml``:

* every verb of a block (``--- DEMAND [100] ---``) with the block's code, or its own
  (``EXPRESS [0110]``); two-word phrases become a verb with a particle (``+CALL_OFF``), a
  preposition (``+MEET_WITH``) or an object (``+WAGE_WAR``);
* the block's patterns (each for the verb its comment names, else the block's first verb) that translate into the parse-based conditions the lexicon knows: the
  verb followed by one object (``* AID [023]`` -> ``object: [aid]``, ``&SET`` expanded), by a
  preposition (``* AGAINST + [..]`` -> ``prep: {against: []}``) or by a preposition and its object.
  Patterns with words before the verb, clauses, or longer word sequences (written for TABARI's
  shallow parser and individual sentences) are left out, as are codes marked ``---``.

Codes of CAMEO root 01 (statements) are left out: a statement verb is the frame of a report,
not an event. ``data/events/petrarch_exclude.yaml`` lists lemmas kept out after review (too
ambiguous in news English). The lexicon (``legation/events/lexicon.py``) uses an imported
entry only for a lemma the hand-written lexicon does not know, so hand-written entries win.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

VERB_FILE = "CAMEO.verbpatterns.150430.txt"
PREPOSITIONS = {"with", "against", "to", "on", "into", "from", "for", "at", "over", "toward", "towards", "upon",
                "in", "about", "by", "of", "through", "across", "under", "between", "among", "onto"}
PARTICLES = {"up", "down", "out", "off", "back", "away", "in", "on", "over", "aside", "forward", "apart", "around"}
FUNCTION_WORDS = {"the", "a", "an", "to", "not", "its", "his", "her", "their", "of", "and", "or", "that", "it", "is",
                  "was", "were", "be", "been", "has", "have", "had", "will", "would", "said", "this", "these", "no"}
MARKERS = {"+", "$", "^", "%"}
LICENCE_NOTICE = """\
# Converted by scripts/import_petrarch.py from PETRARCH2's CAMEO verb dictionary
# (CAMEO.verbpatterns.150430.txt, Open Event Data Alliance), which carries this notice:
#
# The MIT License (MIT)
#
# Copyright (c) 2015 Open Event Data Alliance
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of
# this software and associated documentation files (the "Software"), to deal in
# the Software without restriction, including without limitation the rights to
# use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
# the Software, and to permit persons to whom the Software is furnished to do so,
# subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
# FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
# COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
# IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
# CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
#
# Do not edit by hand: change the importer or data/events/petrarch_exclude.yaml and re-run it.
"""

_BLOCK = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]\s*---")
_CODE = re.compile(r"\[(?P<code>[^\]]*)\]")


def _code(raw: str | None) -> str | None:
    """First code of "040:040"; None for "---" or an empty code."""
    if raw is None:
        return None
    code = raw.split(":")[0].strip()
    return code if code.isdigit() else None


def _word(raw: str) -> str:
    return raw.strip().strip("_").lower()


def _forms(word: str) -> list[str]:
    """A pattern word and its singular ("talks" -> talks, talk)."""
    out = [word]
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append(word[:-1])
    return out


def parse(text: str) -> tuple[dict[str, list[str]], list[dict]]:
    """Synonym sets and verb blocks ({name, code, verbs: [(words, code)], patterns: [(tokens, code, verb)]})."""
    synsets: dict[str, list[str]] = {}
    blocks: list[dict] = []
    current_set: str | None = None
    in_verbs = False
    block: dict | None = None
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip() if not line.startswith("####") else line
        if line.startswith("####") and "VERB PATTERNS" in line:
            in_verbs = True
            current_set = None
            continue
        if not in_verbs:
            if stripped.startswith("&"):
                current_set = stripped[1:].strip().rstrip("_").upper()
                synsets[current_set] = []
            elif stripped.startswith("+") and current_set:
                synsets[current_set].append(_word(stripped[1:]))
            elif not stripped.strip():
                current_set = None
            continue
        header = _BLOCK.match(stripped)
        if header:
            block = {"name": header["name"], "code": _code(header["code"]), "verbs": [], "patterns": []}
            blocks.append(block)
            continue
        if block is None or not stripped.strip():
            continue
        code_match = _CODE.search(stripped)
        own = _code(code_match["code"]) if code_match else None
        body = _CODE.sub("", stripped).strip()
        if stripped.startswith("-"):
            if code_match is None:
                continue
            # the comment names the verb the pattern was written for ("# URGE <oy 25 Dec 2005>")
            comment = line.split("#", 1)[1].split() if "#" in line else []
            origin = _word(comment[0].strip(",")) if comment and re.fullmatch(r"[A-Z_+]+,?", comment[0]) else None
            block["patterns"].append((body[1:].split(), own, origin))
        else:
            body = re.sub(r"\{[^}]*\}", "", body).strip()
            if not body:
                continue
            words = [_word(w) for w in body.lstrip("+").split("_") if w.strip("_")]
            explicit = own if code_match else block["code"]
            block["verbs"].append((words, explicit))
    return synsets, blocks


def _verb_entry(words: list[str], code: str) -> dict | None:
    if not words or not all(re.fullmatch(r"[a-z][a-z'-]*", w) for w in words):
        return None
    if len(words) == 1:
        return {"lemma": words[0], "pos": "VERB", "cameo": code}
    if len(words) == 2:
        verb, second = words
        if second in PARTICLES and second not in ("in", "on", "over"):
            return {"lemma": f"{verb} {second}", "pos": "VERB", "cameo": code}
        if second in PREPOSITIONS:
            return {"lemma": verb, "pos": "VERB", "prep": {second: []}, "cameo": code}
        if second not in FUNCTION_WORDS:
            return {"lemma": verb, "pos": "VERB", "object": _forms(second), "cameo": code}
    return None


def _pattern_condition(tokens: list[str], synsets: dict[str, list[str]]) -> dict | None:
    """The object or preposition condition a simple pattern states, or None."""
    if "*" not in tokens:
        return None
    star = tokens.index("*")
    if any(t not in ("$",) for t in tokens[:star]):
        return None  # words before the verb: negations, auxiliaries, sentence context
    after = [t for t in tokens[star + 1:] if t not in MARKERS]
    if not after or len(after) > 2 or any(m in t for t in after for m in MARKERS | {"*"}):
        return None

    def words(token: str) -> list[str] | None:
        if token.startswith("&"):
            members = synsets.get(token[1:].rstrip("_").upper())
            if not members:
                return None
            # one-word members only: "cease_fire" is a phrase the object test cannot check
            return sorted({f for m in members if m and "_" not in m for f in _forms(m)}) or None
        word = _word(token).split("_")[-1]
        if not re.fullmatch(r"[a-z][a-z-]*", word) or word in FUNCTION_WORDS or word in PREPOSITIONS:
            return None
        return _forms(word)

    first = _word(after[0])
    if first in PREPOSITIONS:
        if len(after) == 1:
            return {"prep": {first: []}}
        objects = words(after[1])
        return {"prep": {first: objects}} if objects else None
    objects = words(after[0])
    if objects is None:
        return None
    if len(after) == 2 and _word(after[1]) not in PREPOSITIONS:
        return None  # two content words: a phrase the parse cannot check as one object
    return {"object": objects}


def convert(folder: Path, exclude: set[str], known_codes: set[str]) -> list[dict]:
    synsets, blocks = parse((folder / VERB_FILE).read_text(encoding="latin-1"))

    def listed(code: str | None) -> str | None:
        """The code, or its nearest parent in cameo.yaml; None for statements (01) and unknown codes."""
        if not code or code.startswith("01"):
            return None
        return next((code[:n] for n in range(len(code), 1, -1) if code[:n] in known_codes), None)

    entries: list[dict] = []
    seen: set[tuple] = set()
    base_lemmas: set[str] = set()

    def add(entry: dict) -> None:
        key = (entry["lemma"], entry["pos"], repr(entry.get("object")), repr(entry.get("prep")))
        if key in seen:
            return  # the first block that lists a verb (or a pattern) gives its code
        seen.add(key)
        entries.append(entry)

    for block in blocks:
        verbs = []
        for words, raw_code in block["verbs"]:
            code = listed(raw_code)
            entry = _verb_entry(words, code) if code else None
            if entry is None or entry["lemma"].split()[0] in exclude:
                continue
            add(entry)
            if "object" not in entry and "prep" not in entry and " " not in entry["lemma"]:
                verbs.append(entry["lemma"])
                base_lemmas.add(entry["lemma"])
        for tokens, raw_code, origin in block["patterns"]:
            code = listed(raw_code)
            if code is None or not verbs:
                continue
            condition = _pattern_condition(tokens, synsets)
            if condition is None:
                continue
            # a pattern belongs to the verb it was written for (its comment), else the block's first verb
            verb = origin if origin in verbs else (verbs[0] if origin is None else None)
            if verb is not None:
                add({"lemma": verb, "pos": "VERB", **condition, "cameo": code})
    return entries


def _flow(entry: dict) -> str:
    parts = [f"lemma: {entry['lemma']}", f"pos: {entry['pos']}"]
    if "object" in entry:
        parts.append("object: [" + ", ".join(entry["object"]) + "]")
    if "prep" in entry:
        (prep, objects), = entry["prep"].items()
        parts.append(f'prep: {{"{prep}": [' + ", ".join(objects) + "]}")
    parts.append(f'cameo: "{entry["cameo"]}"')
    return "  - {" + ", ".join(parts) + "}"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    folder, out = Path(argv[1]), Path(argv[2])
    data = Path(__file__).resolve().parents[1] / "legation" / "data" / "events"
    exclude_raw = yaml.safe_load((data / "petrarch_exclude.yaml").read_text(encoding="utf-8")) or {}
    exclude = {str(w).lower() for w in exclude_raw.get("lemmas") or {}}
    cameo = yaml.safe_load((data / "cameo.yaml").read_text(encoding="utf-8"))
    known = {str(c) for c in (cameo.get("codes") or cameo)}
    entries = convert(folder, exclude, known)
    lines = [LICENCE_NOTICE, "# Schema: see triggers.yaml. Entries in the order of the source dictionary.", "version: 1",
             "source: PETRARCH2 CAMEO.verbpatterns.150430.txt", "entries:"]
    lines += [_flow(e) for e in entries]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries ({len({e['lemma'] for e in entries})} lemmas) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
