"""The offsets-only sentence gold (legation.evaluation.sentences) and `legation eval plover` on it."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from legation.evaluation.sentences import (PARTS, SentenceGoldError, document_part, load_sentence_records)

TML = ('<?xml version="1.0"?>\n<TimeML><DOCID>X1</DOCID><TEXT>Ruritania <EVENT eid="e1">expelled</EVENT> '
       'two diplomats of Freedonia on <TIMEX3 tid="t1" type="DATE" value="1999-05-04">Tuesday</TIMEX3>.'
       ' Freedonia &amp; its allies protested.</TEXT></TimeML>')
TXT = "Officials met in Geneva.\nThe envoy of Freedonia accused Ruritania of lying.\n"


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "aquaint/AQUAINT").mkdir(parents=True)
    (tmp_path / "polnear/train/text").mkdir(parents=True)
    (tmp_path / "aquaint/AQUAINT/X1.tml").write_text(TML, encoding="utf-8")
    (tmp_path / "polnear/train/text/p1.txt").write_text(TXT, encoding="utf-8")
    return tmp_path


def _item(text: str, corpus: str, file: str, sentence: str, event: str, source: str, target: str) -> dict:
    start = text.index(sentence)
    def span(word: str) -> list[int]:
        at = text.index(word, start)
        return [at, at + len(word)]
    return {"id": f"{file}-{event}", "corpus": corpus, "file": file, "sentence": [start, start + len(sentence)],
            "sha1": hashlib.sha1(sentence.encode()).hexdigest(), "event": event, "eventText": span(sentence.split()[1]),
            "source": [{"span": span(source), "code": "RUR", "sector": "GOV"}],
            "target": [{"span": span(target), "code": "FRE", "sector": "GOV"}]}


def _gold() -> dict:
    tml_text = "Ruritania expelled two diplomats of Freedonia on Tuesday. Freedonia & its allies protested."
    return {"sentences": [
        _item(tml_text, "aquaint", "X1.tml", "Ruritania expelled two diplomats of Freedonia on Tuesday.", "COERCE",
              "Ruritania", "Freedonia"),
        _item(TXT, "polnear-train", "p1.txt", "The envoy of Freedonia accused Ruritania of lying.", "ACCUSE",
              "envoy", "Ruritania")]}


def test_records_take_the_sentence_and_actor_strings_from_the_corpus(tmp_path):
    records = load_sentence_records(_gold(), _corpus(tmp_path))
    assert [r["text"] for r in records] == ["Ruritania expelled two diplomats of Freedonia on Tuesday.",
                                           "The envoy of Freedonia accused Ruritania of lying."]
    assert records[0]["source"] == [{"actorText": "Ruritania", "code": "RUR", "sector": "GOV"}]
    assert records[1]["target"][0]["actorText"] == "Ruritania"
    assert records[0]["eventText"] == "expelled"


def test_parts_split_by_document_and_cover_the_set(tmp_path):
    root = _corpus(tmp_path)
    halves = {part: load_sentence_records(_gold(), root, part) for part in PARTS}
    assert sorted(r["id"] for rs in halves.values() for r in rs) == sorted(r["id"] for r in load_sentence_records(_gold(), root))
    for part, records in halves.items():
        assert all(document_part(r["id"].split("-")[0]) == part for r in records)


def test_a_changed_corpus_is_refused(tmp_path):
    root = _corpus(tmp_path)
    (root / "polnear/train/text/p1.txt").write_text(TXT.replace("lying", "cheating"), encoding="utf-8")
    with pytest.raises(SentenceGoldError, match="sha1"):
        load_sentence_records(_gold(), root)


@pytest.mark.parametrize("change, message", [({"corpus": "nyt"}, "unknown corpus"), ({"file": "none.tml"}, "missing"),
                                             ({"sentence": None}, "malformed")])
def test_bad_records_get_numbered_errors(tmp_path, change, message):
    gold = _gold()
    gold["sentences"][0].update(change)
    with pytest.raises(SentenceGoldError, match=message) as info:
        load_sentence_records(gold, _corpus(tmp_path))
    assert str(info.value).startswith("[E06")


def test_cli_scores_a_sentence_gold_and_refuses_a_bad_part(tmp_path):
    from typer.testing import CliRunner

    from legation.cli import app

    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(_gold()), encoding="utf-8")
    root = _corpus(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "plover", str(gold), "--corpus", str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["records"] == 2
    bad = runner.invoke(app, ["eval", "plover", str(gold), "--corpus", str(root), "--part", "half"])
    assert bad.exit_code != 0 and "E064" in bad.output


def test_the_committed_real_sentence_gold_fits_the_corpora(shared):
    path = Path(__file__).parent / "fixtures/events/real_sentences.json"
    if not path.exists():
        pytest.skip("no real sentence gold")
    records = load_sentence_records(json.loads(path.read_text(encoding="utf-8")), shared / "eval")
    assert len(records) >= 100
    assert all(r["text"].strip() and r["event"] for r in records)
