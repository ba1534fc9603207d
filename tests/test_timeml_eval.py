"""Tests for the TimeML reader and TIMEX3 scorer (legation.evaluation.timeml)."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from legation.evaluation.timeml import (
    GoldTimex,
    PredictedTimex,
    TimemlDocument,
    TimemlScores,
    breakdown,
    evaluate,
    format_breakdown,
    format_report,
    read_tml,
    score_documents,
    split_half,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared/eval/te3-platinum"


@dataclass
class Pred:
    start: int
    end: int
    type: str
    value: str | None


# Hand-written, invented TimeML: nested tags, entities, a TIMEX3 without value,
# a creation-time TIMEX3 in <DCT> that must not be gold, trailing TLINK/MAKEINSTANCE.
SAMPLE = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>sample_doc</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2020-05-04T09:30">May 4, 2020</TIMEX3></DCT>
<TITLE>Ducks &amp; geese</TITLE>
<TEXT>
Ducks &amp; geese <EVENT class="OCCURRENCE" eid="e1">met</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2020-05-01">Friday</TIMEX3>.
The &lt;pond&gt; <EVENT eid="e2" class="STATE">stayed</EVENT> calm for <TIMEX3 tid="t2" type="DURATION" value="P2D">two <EVENT eid="e3" class="OCCURRENCE">quiet</EVENT> days</TIMEX3>
and <TIMEX3 tid="t3" type="DATE">some time</TIMEX3> later.</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"""

EXPECTED_TEXT = (
    "\nDucks & geese met on Friday.\n"
    "The <pond> stayed calm for two quiet days\n"
    "and some time later."
)


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reader


def test_reader_text_offsets_and_metadata(tmp_path: Path) -> None:
    doc = read_tml(write(tmp_path, "sample.tml", SAMPLE))
    assert doc.name == "sample_doc"
    assert doc.title == "Ducks & geese"
    assert doc.dct == "2020-05-04"  # date part of the creation-time value
    assert doc.text == EXPECTED_TEXT  # tags stripped, entities unescaped, newlines kept
    assert "<EVENT" not in doc.text and "&amp;" not in doc.text

    friday = EXPECTED_TEXT.index("Friday")
    two_days = EXPECTED_TEXT.index("two quiet days")
    some_time = EXPECTED_TEXT.index("some time")
    assert doc.timexes == [
        GoldTimex(friday, friday + 6, "Friday", "DATE", "2020-05-01"),
        GoldTimex(two_days, two_days + 14, "two quiet days", "DURATION", "P2D"),
        GoldTimex(some_time, some_time + 9, "some time", "DATE", None),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


def test_reader_dct_timex_is_not_gold(tmp_path: Path) -> None:
    doc = read_tml(write(tmp_path, "sample.tml", SAMPLE))
    assert all(t.text != "May 4, 2020" for t in doc.timexes)
    assert len(doc.timexes) == 3


def test_reader_without_docid_title_or_dct(tmp_path: Path) -> None:
    doc = read_tml(write(tmp_path, "bare.tml", "<TimeML><TEXT>Seen <TIMEX3 type=\"DATE\" value=\"1999\">1999</TIMEX3></TEXT></TimeML>"))
    assert doc.name == "bare"
    assert doc.title is None and doc.dct is None
    assert doc.timexes == [GoldTimex(5, 9, "1999", "DATE", "1999")]


def test_reader_malformed_xml_names_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.tml", "<TimeML><TEXT>On <TIMEX3 type=\"DATE\">Monday</TEXT></TimeML>")
    with pytest.raises(ValueError, match="broken.tml"):
        read_tml(path)


def test_reader_missing_text_names_file(tmp_path: Path) -> None:
    path = write(tmp_path, "notext.tml", "<TimeML><DOCID>x</DOCID></TimeML>")
    with pytest.raises(ValueError, match=r"notext\.tml.*TEXT"):
        read_tml(path)


# --------------------------------------------------------------------------- scorer


def hand_document() -> TimemlDocument:
    text = "We met on Monday and again last week; in 2013 we left. See you tomorrow."
    def gold(s: str, type_: str, value: str) -> GoldTimex:
        i = text.index(s)
        return GoldTimex(i, i + len(s), s, type_, value)
    return TimemlDocument(
        name="hand",
        text=text,
        dct="2013-03-22",
        title=None,
        timexes=[
            gold("Monday", "DATE", "2013-03-18"),
            gold("last week", "DATE", "2013-W11"),
            gold("2013", "DATE", "2013"),
            gold("tomorrow", "DATE", "2013-03-23"),
        ],
    )


def span(doc: TimemlDocument, s: str) -> tuple[int, int]:
    i = doc.text.index(s)
    return i, i + len(s)


def test_scorer_hand_computed_case() -> None:
    doc = hand_document()
    preds = [
        Pred(*span(doc, "Monday"), "DATE", "2013-03-18"),  # exact, right value
        Pred(*span(doc, "2013"), "DATE", "2013"),  # exact, right value
        Pred(*span(doc, "week"), "DURATION", "P1W"),  # overlaps "last week": wrong value, wrong type
        Pred(*span(doc, "again"), "DATE", "2013-03-19"),  # spurious
    ]  # "tomorrow" is missed
    # gold 4, predicted 4
    # strict tp 2  -> P = 2/4 = 0.5,  R = 2/4 = 0.5,  F1 = 0.5
    # relaxed tp 3 -> P = 3/4 = 0.75, R = 3/4 = 0.75, F1 = 0.75
    # value tp 2 (Monday, 2013) -> P = 2/4 = 0.5, R = 2/4 = 0.5, F1 = 0.5
    # type accuracy = 2/3 (week has DURATION vs DATE), value accuracy = 2/3
    s = score_documents([(doc, preds)])
    assert (s.gold, s.predicted, s.strict_tp, s.relaxed_tp, s.value_tp, s.type_correct) == (4, 4, 2, 3, 2, 2)
    assert s.strict_precision == pytest.approx(0.5)
    assert s.strict_recall == pytest.approx(0.5)
    assert s.strict_f1 == pytest.approx(0.5)
    assert s.relaxed_precision == pytest.approx(0.75)
    assert s.relaxed_recall == pytest.approx(0.75)
    assert s.relaxed_f1 == pytest.approx(0.75)
    assert s.value_precision == pytest.approx(0.5)
    assert s.value_recall == pytest.approx(0.5)
    assert s.value_f1 == pytest.approx(0.5)
    assert s.type_accuracy == pytest.approx(2 / 3)
    assert s.value_accuracy == pytest.approx(2 / 3)

    kinds = sorted(e.kind for e in s.errors)
    assert kinds == ["missed", "spurious", "wrong_span", "wrong_type", "wrong_value"]
    by_kind = {e.kind: e for e in s.errors}
    assert (by_kind["wrong_span"].gold_text, by_kind["wrong_span"].pred_text) == ("last week", "week")
    assert by_kind["missed"].gold_text == "tomorrow" and by_kind["missed"].pred_start is None
    assert by_kind["spurious"].pred_text == "again" and by_kind["spurious"].gold_value is None
    wrong = by_kind["wrong_value"]
    assert (wrong.gold_text, wrong.pred_text) == ("last week", "week")
    assert (wrong.gold_value, wrong.pred_value) == ("2013-W11", "P1W")
    assert (wrong.gold_start, wrong.gold_end) == span(doc, "last week")
    assert (wrong.pred_start, wrong.pred_end) == span(doc, "week")
    assert all(e.document == "hand" for e in s.errors)

    assert len(s.documents) == 1
    assert s.documents[0].name == "hand" and s.documents[0].relaxed_tp == 3


def test_relaxed_is_one_to_one_by_largest_overlap() -> None:
    doc = hand_document()
    a, b = span(doc, "last week")
    preds = [
        Pred(a, a + 4, "DATE", "2013-W11"),  # "last": overlap 4
        Pred(a + 2, b, "DATE", "2013-W11"),  # "st week": overlap 7, wins
    ]
    s = score_documents([(doc, preds)])
    assert s.relaxed_tp == 1 and s.strict_tp == 0 and s.value_tp == 1
    spurious = [e for e in s.errors if e.kind == "spurious"]
    assert [(e.pred_start, e.pred_end) for e in spurious] == [(a, a + 4)]


def test_prediction_without_value_never_value_correct() -> None:
    doc = TimemlDocument("n", "some time ago", None, None, [GoldTimex(0, 9, "some time", "DATE", None)])
    s = score_documents([(doc, [Pred(0, 9, "DATE", None)])])
    assert s.strict_tp == 1 and s.value_tp == 0 and s.type_correct == 1


def test_breakdown_counts_errors_by_category_and_kind() -> None:
    doc = hand_document()
    preds = [
        Pred(*span(doc, "Monday"), "DATE", "2013-03-11"),  # weekday, wrong value
        Pred(*span(doc, "week"), "DATE", "2013-W11"),  # right value, span too short
        Pred(*span(doc, "again"), "DATE", "2013-03-19"),  # spurious
    ]  # "2013" and "tomorrow" are missed
    result = breakdown(score_documents([(doc, preds)]))
    assert result.counts[("weekday", "wrong_value")] == 1
    assert result.counts[("relative unit", "span")] == 1
    assert ("relative unit", "wrong_value") not in result.counts
    assert result.counts[("year", "missed")] == 1
    assert result.counts[("relative day", "missed")] == 1
    assert sum(n for (_, kind), n in result.counts.items() if kind == "spurious") == 1
    table = format_breakdown(result)
    assert "weekday" in table and "'Monday'" in table


def test_split_half_interleaves_files_in_name_order() -> None:
    files = [Path(f"{name}.tml") for name in ("d", "a", "c", "b", "e")]
    assert [f.stem for f in split_half(files, 1)] == ["a", "c", "e"]
    assert [f.stem for f in split_half(files, 2)] == ["b", "d"]
    with pytest.raises(ValueError, match="E040"):
        split_half(files, 3)


def test_empty_predictions_give_zeros() -> None:
    s = score_documents([(hand_document(), [])])
    assert s.gold == 4 and s.predicted == 0
    for figure in (
        s.strict_precision, s.strict_recall, s.strict_f1,
        s.relaxed_precision, s.relaxed_recall, s.relaxed_f1,
        s.value_precision, s.value_recall, s.value_f1,
        s.type_accuracy, s.value_accuracy,
    ):
        assert figure == 0.0
    assert [e.kind for e in s.errors] == ["missed"] * 4
    empty = score_documents([])
    assert empty.strict_f1 == 0.0 and empty.type_accuracy == 0.0
    format_report(empty)


def test_micro_average_over_documents_and_to_dict() -> None:
    doc = hand_document()
    full = [Pred(t.start, t.end, t.type, t.value) for t in doc.timexes]
    s = score_documents([(doc, full), (doc, [])])
    # 8 gold, 4 predicted, all 4 exact and right -> P = 1, R = 0.5, F1 = 2/3
    assert s.strict_precision == 1.0 and s.strict_recall == 0.5
    assert s.strict_f1 == pytest.approx(2 / 3)
    assert [d.strict_f1 for d in s.documents] == [1.0, 0.0]
    data = json.loads(json.dumps(s.to_dict()))
    assert data["gold"] == 8 and data["strict"]["recall"] == 0.5
    assert len(data["documents"]) == 2 and len(data["errors"]) == 4
    assert isinstance(s, TimemlScores)
    assert isinstance(full[0], PredictedTimex)


def test_format_report() -> None:
    s = score_documents([(hand_document(), [Pred(10, 16, "DATE", "2013-03-18")])])
    report = format_report(s)
    for word in ("strict", "relaxed", "value", "type accuracy", "gold 4", "predicted 1"):
        assert word in report
    assert "1.000" in report and "0.250" in report


def test_evaluate_walks_directories_and_passes_dct(tmp_path: Path) -> None:
    write(tmp_path / "corpus", "b.tml", SAMPLE.replace("sample_doc", "b"))
    write(tmp_path / "corpus" / "sub", "a.tml", SAMPLE.replace("sample_doc", "a"))
    write(tmp_path / "corpus", "ignored.txt", "not TimeML")
    single = write(tmp_path, "c.tml", SAMPLE.replace("sample_doc", "c"))
    calls: list[tuple[str, str | None]] = []

    def tagger(text: str, dct: str | None) -> list[Pred]:
        calls.append((text, dct))
        i = text.index("Friday")
        return [Pred(i, i + 6, "DATE", "2020-05-01")]

    s = evaluate([tmp_path / "corpus", str(single)], tagger)
    assert [d.name for d in s.documents] == ["b", "a", "c"]  # b.tml sorts before sub/a.tml
    assert calls == [(EXPECTED_TEXT, "2020-05-04")] * 3
    assert (s.gold, s.predicted, s.strict_tp, s.value_tp) == (9, 3, 3, 3)


# --------------------------------------------------------------------------- real corpus


@pytest.mark.skipif(not CORPUS.is_dir(), reason="TempEval-3 platinum corpus not present")
def test_real_corpus_reads() -> None:
    files = sorted(CORPUS.rglob("*.tml"))
    assert len(files) == 20
    docs = [read_tml(f) for f in files]
    assert sum(len(d.timexes) for d in docs) == 138
    for path, doc in zip(files, docs):
        assert doc.dct is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.dct)
        # independent check: regex-strip the raw <TEXT> and compare
        raw = path.read_text(encoding="utf-8")
        inner = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        assert inner is not None
        assert doc.text == html.unescape(re.sub(r"<[^>]+>", "", inner.group(1)))
        raw_timexes = [
            html.unescape(re.sub(r"<[^>]+>", "", m))
            for m in re.findall(r"<TIMEX3[^>]*>(.*?)</TIMEX3>", inner.group(1), re.S)
        ]
        assert [t.text for t in doc.timexes] == raw_timexes
        for t in doc.timexes:
            assert doc.text[t.start : t.end] == t.text
            assert t.type in {"DATE", "TIME", "DURATION", "SET"}
    # a perfect tagger scores 1.0 everywhere
    s = score_documents((d, d.timexes) for d in docs)
    assert s.strict_f1 == s.relaxed_f1 == s.value_f1 == s.type_accuracy == 1.0
