"""brat attribution gold: reader, writer, attribution building, scorer and the CLI command."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.evaluation.brat import (
    attributions_to_brat,
    evaluate_quotes,
    find_brat_documents,
    format_ann,
    format_report,
    parse_ann,
    quotes_to_brat,
    read_brat,
    score_attributions,
    score_document,
    write_brat,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


# --------------------------------------------------------------------------- reading and writing

ANN = (
    "T1\tSource 0 4\tAnna\n"
    "T2\tCue 15 19\tsaid\n"
    "T3\tContent 21 30;35 40\tWe will win more\n"
    "R1\tSOURCE Arg1:T2 Arg2:T1\n"
    "R2\tCONTENT Arg1:T2 Arg2:T3\n"
    "E1\tCue:T2 Source:T1 Content:T3\n"
    "A1\tType E1 Direct\n"
    "A2\tNegated T2\n"
    "#1\tAnnotatorNotes T1\ta note\n"
)


def test_parse_and_format_round_trip():
    text = "x" * 60
    doc = parse_ann(ANN, text, "d")
    assert doc.textbounds["T3"].spans == ((21, 30), (35, 40))
    assert doc.relations[0].args == (("Arg1", "T2"), ("Arg2", "T1"))
    assert doc.events[0].trigger == "T2" and doc.events[0].args == (("Source", "T1"), ("Content", "T3"))
    assert (doc.attributes[0].name, doc.attributes[0].target, doc.attributes[0].value) == ("Type", "E1", "Direct")
    assert doc.attributes[1].value is None
    assert format_ann(doc) == ANN
    again = parse_ann(format_ann(doc), text, "d")
    assert again == doc


def test_write_and_read_files(tmp_path):
    text = "Anna said: \"We will win.\"\n"
    doc = attributions_to_brat("one", text, [
        {"content": span(text, "We will win."), "source": span(text, "Anna"), "cue": span(text, "said"), "direct": True}])
    path = write_brat(doc, tmp_path)
    assert path.name == "one.ann" and (tmp_path / "one.txt").read_text(encoding="utf-8") == text
    back = read_brat(path)
    assert back.textbounds == doc.textbounds and back.events == doc.events and back.attributes == doc.attributes
    assert find_brat_documents(tmp_path) == [path]


@pytest.mark.parametrize("style", ["event", "relation"])
def test_attributions_round_trip_in_both_styles(tmp_path, style):
    text = ('"Inflation is falling," the governor said, "but slowly." Critics said the bank was late. '
            '"It is," she added. Growth slowed, according to officials.')
    items = [
        {"content": [span(text, "Inflation is falling"), span(text, "but slowly.")], "source": span(text, "the governor"),
         "cue": span(text, "said"), "direct": True},
        {"content": span(text, "the bank was late"), "source": span(text, "Critics"), "cue": span(text, "said", 1),
         "direct": False},
        {"content": span(text, "It is"), "source": span(text, "she"), "cue": span(text, "added"), "direct": True},
        {"content": span(text, "Growth slowed"), "source": span(text, "officials"), "cue": span(text, "according to"),
         "direct": False},
    ]
    write_brat(attributions_to_brat("doc", text, items, style=style), tmp_path)
    back = read_brat(tmp_path / "doc.ann").attributions
    got = [{"content": [tuple(s) for s in a.fragments], "source": a.source_spans, "cue": [c.spans[0] for c in a.cues],
            "direct": a.direct} for a in back]
    want = [{"content": list(i["content"]) if isinstance(i["content"], list) else [i["content"]],
             "source": [i["source"]], "cue": [i["cue"]], "direct": i["direct"]} for i in items]
    assert got == want


def test_relation_variants_and_direct_rules():
    text = 'Anna said "we won" and Bob said they lost. Carl: "no".'
    ann = "\n".join([
        f"T1\tSource {span(text, 'Anna')[0]} {span(text, 'Anna')[1]}\tAnna",
        f"T2\tCue {span(text, 'said')[0]} {span(text, 'said')[1]}\tsaid",
        f"T3\tContent {span(text, 'we won')[0]} {span(text, 'we won')[1]}\twe won",
        f"T4\tSource {span(text, 'Bob')[0]} {span(text, 'Bob')[1]}\tBob",
        f"T5\tContent {span(text, 'they lost')[0]} {span(text, 'they lost')[1]}\tthey lost",
        f"T6\tSource {span(text, 'Carl')[0]} {span(text, 'Carl')[1]}\tCarl",
        f"T7\tContent {span(text, 'no')[0]} {span(text, 'no')[1]}\tno",
        "R1\tSOURCE Arg1:T2 Arg2:T1",           # PolNeAR-like: the cue links to the others
        "R2\tCONTENT Arg1:T2 Arg2:T3",
        "R3\tAttribution Arg1:T5 Arg2:T4",      # content <-> source, no cue
        "R4\tAttribution Source:T6 Content:T7",  # named roles
        "A1\tType T7 Indirect",
    ])
    got = [([tb.text for tb in a.content], [tb.text for tb in a.sources], [tb.text for tb in a.cues], a.direct)
           for a in parse_ann(ann, text).attributions]
    # "we won" sits between quotation marks: direct by the span rule; "no" is too, but the attribute says not
    assert got == [(["we won"], ["Anna"], ["said"], True), (["they lost"], ["Bob"], [], False),
                   (["no"], ["Carl"], [], False)]


def test_event_variant_with_numbered_roles_and_unlinked_content():
    text = "Dana told us: A and B. Unclaimed words."
    ann = "\n".join([
        "T1\tSpeaker_Source 0 4\tDana",
        "T2\tCue 5 9\ttold",
        "T3\tContent 14 15\tA",
        "T4\tContent 20 21\tB",
        "T5\tContent 23 32\tUnclaimed",
        "E1\tCue:T2 Source:T1 Content:T3 Content2:T4",
        "A1\tDirect E1",
    ])
    got = [([tb.text for tb in a.content], [tb.text for tb in a.sources], a.direct)
           for a in parse_ann(ann, text).attributions]
    assert got == [(["A", "B"], ["Dana"], True), (["Unclaimed"], [], False)]


def test_quotes_to_brat_writes_predictions(tmp_path):
    text = '"Yes," said Anna.'
    quotes = [{"content": "Yes", "start": 1, "end": 4, "direct": True, "cue": "said", "cue_start": 7, "cue_end": 11,
               "speaker": {"text": "Anna", "start": 12, "end": 16, "entity": "S1"}}]
    doc = quotes_to_brat("p", text, quotes)
    write_brat(doc, tmp_path)
    [attribution] = read_brat(tmp_path / "p.ann").attributions
    assert (attribution.content[0].text, attribution.sources[0].text, attribution.cues[0].text, attribution.direct) == (
        "Yes", "Anna", "said", True)


def test_quotes_to_brat_writes_a_split_quote_as_one_discontinuous_content(tmp_path):
    text = '"Yes," said Anna, "at once."'
    first, second = span(text, "Yes"), span(text, "at once.")
    quotes = [{"start": first[0], "end": second[1], "segments": [first, second], "direct": True,
               "cue_start": 7, "cue_end": 11, "speaker": {"text": "Anna", "start": 12, "end": 16, "entity": "S1"}}]
    write_brat(quotes_to_brat("p", text, quotes), tmp_path)
    assert f"\tContent {first[0]} {first[1]};{second[0]} {second[1]}\tYes at once." in \
        (tmp_path / "p.ann").read_text(encoding="utf-8")
    [attribution] = read_brat(tmp_path / "p.ann").attributions
    assert attribution.fragments == [first, second]


# --------------------------------------------------------------------------- scoring


def test_scorer_on_a_hand_made_gold():
    text = '"We will win," Anna said. Bob said the plan failed. "Never," he added. Critics said it was late.'
    gold = attributions_to_brat("g", text, [
        {"content": span(text, "We will win"), "source": span(text, "Anna"), "cue": span(text, "said")},  # G1 direct
        {"content": span(text, "the plan failed"), "source": span(text, "Bob"), "cue": span(text, "said", 1)},  # G2
        {"content": span(text, "Never"), "source": span(text, "Anna"), "cue": span(text, "added")},  # G3 direct
        {"content": span(text, "it was late"), "source": span(text, "Critics"), "cue": span(text, "said", 2)},  # G4
    ], mark_direct=False)

    def quote(needle, direct, speaker, entity, nth=0):
        start, end = span(text, needle, nth)
        s_start, s_end = span(text, speaker)
        return {"content": needle, "start": start, "end": end, "direct": direct,
                "speaker": {"text": speaker, "start": s_start, "end": s_end, "entity": entity}}

    predicted = [
        quote("We will win", True, "Anna", "S1"),        # P1 = G1, speaker right
        quote("the plan failed", False, "Critics", "S2"),  # P2 = G2, speaker wrong
        quote("Never", True, "he", "S1"),                # P3 = G3: "he" is not the gold "Anna", but its entity S1 is
        quote("the plan", False, "Bob", "S3"),           # P4 overlaps G2, which P2 matches better: spurious
    ]                                                    # G4 is missed
    # By hand. All: 4 gold, 4 predicted, 3 matched -> content P = R = F1 = 3/4;
    # speaker right on 2 of the 3 matches (G1, G3) -> accuracy 2/3; end to end P = R = F1 = 2/4.
    # Direct (G1, G3 by the quotation-mark rule; P1, P3 flagged direct): 2 gold, 2 predicted, both matched with the
    # right speaker -> everything 1.0.
    result = score_document(gold, predicted)
    everything, direct = result.scores["all"], result.scores["direct"]
    assert (everything.gold, everything.predicted, everything.content_found, everything.content_right) == (4, 4, 3, 3)
    assert everything.content_f1 == pytest.approx(0.75)
    assert everything.speaker_accuracy == pytest.approx(2 / 3)
    assert (everything.e2e_precision, everything.e2e_recall, everything.e2e_f1) == pytest.approx((0.5, 0.5, 0.5))
    assert (direct.gold, direct.predicted, direct.content_f1, direct.speaker_accuracy, direct.e2e_f1) == (2, 2, 1.0, 1.0, 1.0)
    assert sorted(e["error"] for e in result.errors) == ["missed", "speaker", "spurious"]


def test_split_quote_is_one_attribution_for_the_scorer():
    text = '"Inflation is falling," he said, "but slowly."'
    first, second = span(text, "Inflation is falling"), span(text, "but slowly.")
    gold = attributions_to_brat("g", text, [{"content": [first, second],
                                             "source": span(text, "he"), "cue": span(text, "said")}])
    speaker = {"text": "he", "start": span(text, "he")[0], "end": span(text, "he")[1], "entity": "S1"}
    # two predictions, one per half: the second is spurious, as an outside scorer counts it
    halves = [{"start": first[0], "end": first[1], "direct": True, "speaker": speaker},
              {"start": second[0], "end": second[1], "direct": True, "speaker": speaker}]
    scores = score_attributions([gold], [halves]).scores["all"]
    assert (scores.gold, scores.predicted, scores.e2e_precision, scores.e2e_recall) == (1, 2, 0.5, 1.0)
    # one prediction with both halves as segments
    merged = [{"start": first[0], "end": second[1], "segments": [first, second], "direct": True, "speaker": speaker}]
    scores = score_attributions([gold], [merged]).scores["all"]
    assert (scores.gold, scores.predicted, scores.e2e_precision, scores.e2e_recall) == (1, 1, 1.0, 1.0)


def test_segments_decide_the_overlap_not_the_span_around_them():
    # "X," she said, noting that Y, "Z.": the report in the speech tag lies inside the quote's
    # start..end but outside its segments, so it is matched to its own gold, not to the quote
    text = '"No," Ines Roth said, noting that wages had stalled for a decade in every region, "never."'
    a, b = span(text, "No"), span(text, "never.")
    note = span(text, "wages had stalled for a decade in every region")
    source = span(text, "Ines Roth")
    gold = attributions_to_brat("g", text, [
        {"content": [a, b], "source": source, "cue": span(text, "said")},
        {"content": note, "source": source, "cue": span(text, "noting")}])
    speaker = {"text": "Ines Roth", "start": source[0], "end": source[1], "entity": "S1"}
    shorter = span(text, "wages had stalled for a decade")  # a boundary error on the report
    predicted = [{"start": a[0], "end": b[1], "segments": [a, b], "direct": True, "speaker": speaker},
                 {"start": shorter[0], "end": shorter[1], "direct": False, "speaker": speaker}]
    scores = score_attributions([gold], [predicted]).scores["all"]
    assert (scores.gold, scores.predicted, scores.e2e_found, scores.e2e_right) == (2, 2, 2, 2)
    # read as start..end, the quote would overlap the report's gold most and take it
    whole = [dict(predicted[0], segments=None), predicted[1]]
    assert score_attributions([gold], [whole]).scores["all"].e2e_found == 1


def test_score_attributions_accepts_a_mapping_and_checks_lengths():
    text = "Anna said it rained."
    gold = attributions_to_brat("g", text, [{"content": span(text, "it rained"), "source": span(text, "Anna")}])
    assert score_attributions([gold], {"g": []}).scores["all"].content_recall == 0.0
    with pytest.raises(ValueError):
        score_attributions([gold], [[], []])


def test_report_and_json():
    text = "Anna said it rained."
    gold = attributions_to_brat("g", text, [{"content": span(text, "it rained"), "source": span(text, "Anna")}])
    result = score_attributions([gold], [[]])
    report = format_report(result)
    assert "end-to-end" in report and "direct" in report
    data = result.to_dict(errors=True)
    assert data["all"]["gold"] == 1 and data["errors"][0]["error"] == "missed"


# --------------------------------------------------------------------------- fixtures and CLI


def test_fixture_set_is_large_and_covers_both_styles():
    docs = [read_brat(p) for p in find_brat_documents(FIXTURES)]
    attributions = [a for d in docs for a in d.attributions]
    assert len(attributions) >= 40
    assert any(d.relations for d in docs) and any(d.events for d in docs)
    assert sum(a.direct for a in attributions) >= 15
    for doc in docs:  # every annotation's text is the text at its offsets
        for tb in doc.textbounds.values():
            assert " ".join(doc.text[s:e] for s, e in tb.spans).replace("\n", " ") == tb.text


def test_evaluate_quotes_with_a_perfect_extractor():
    docs = {p.with_suffix("").name: read_brat(p) for p in find_brat_documents(FIXTURES)}

    def oracle(text):
        doc = next(d for d in docs.values() if d.text == text)
        quotes = []
        for n, a in enumerate(doc.attributions):
            source = a.sources[0] if a.sources else None
            quotes.append({"start": a.start, "end": a.end, "direct": a.direct,
                           "speaker": {"start": source.start if source else None, "end": source.end if source else None,
                                       "entity": f"E{n}"}})
        return quotes

    result = evaluate_quotes(FIXTURES, oracle)
    assert result.scores["all"].e2e_f1 == 1.0 and result.scores["direct"].e2e_f1 == 1.0


def test_cli_eval_quotes_json():
    import typer
    from typer.testing import CliRunner

    from legation.evaluation.brat_cli import register_eval_quotes

    app = typer.Typer()
    register_eval_quotes(app)

    @app.command("other")
    def other() -> None:  # a second command keeps typer from collapsing the app into one command
        pass

    runner = CliRunner()
    result = runner.invoke(app, ["quotes", str(FIXTURES), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] >= 10 and data["all"]["e2e_f1"] >= 0.8
    empty = runner.invoke(app, ["quotes", str(FIXTURES.parent.parent)  + "/__nothing__"])
    assert empty.exit_code != 0


def test_independent_gold_set() -> None:
    """Attributions annotated by someone who never saw the extractor (tests/fixtures/quotes_independent)."""
    from pathlib import Path

    from legation.evaluation.brat import evaluate_quotes
    from legation.model import load_model
    from legation.quotes import extract_quotes
    from legation.registry import get_stage
    from legation.records import Analysis, Document

    nlp = load_model()
    actors = get_stage("actors")

    def extractor(text: str):
        doc = nlp(text)
        analysis = Analysis(document=Document(text=text))
        actors.function(analysis, doc)
        # the set annotates quotes and reported speech only: other kinds of attribution
        # (beliefs, stances, evidence ...) are not in it
        return [q for q in extract_quotes(doc, analysis.actors) if q.kind in ("direct", "partial", "indirect")]

    folder = Path(__file__).parent / "fixtures" / "quotes_independent"
    scores = evaluate_quotes(folder, extractor)
    data = scores.to_dict() if hasattr(scores, "to_dict") else scores
    assert data["all"]["e2e_f1"] >= 0.9
    assert data["direct"]["e2e_f1"] >= 0.9


# --------------------------------------------------------------------------- the PolNeAR layout


def _polnear_folder(tmp_path: Path) -> Path:
    text = 'Anna said it rained. "We lost," Ben said. The memo has been well documented.'
    folder = tmp_path / "pn"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    (folder / "text" / "art_one.txt").write_text(text, encoding="utf-8")
    a, b = span(text, "Anna"), span(text, "said")
    c, d = span(text, "it rained"), span(text, "We lost,")
    e, f = span(text, "Ben"), span(text, "said", 1)
    g, h = span(text, "has been well documented"), span(text, "The memo")
    ann = (f"T1\tSource {a[0]} {a[1]}\tAnna\nT2\tCue {b[0]} {b[1]}\tsaid\nT3\tContent {c[0]} {c[1]}\tit rained\n"
           f"T4\tAttribution {b[0]} {b[1]}\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
           f"T5\tContent {d[0]} {d[1]}\tWe lost,\nT6\tSource {e[0]} {e[1]}\tBen\nT7\tCue {f[0]} {f[1]}\tsaid\n"
           f"T8\tAttribution {f[0]} {f[1]}\tsaid\nE2\tAttribution:T8 Content:T5 Source:T6 Cue:T7\n"
           f"T9\tCue {g[0]} {g[1]}\tx\nT10\tContent {h[0]} {h[1]}\tThe memo\n"
           f"T11\tAttribution-no-source {g[0]} {g[1]}\tx\nE3\tAttribution-no-source:T11 Cue:T9 Content:T10\n")
    # two annotators: the first by name is the gold
    (folder / "attributions" / "art_one_4e07.ann").write_text(ann, encoding="utf-8")
    (folder / "attributions" / "art_one_9zzz.ann").write_text("", encoding="utf-8")
    (folder / "attributions" / "orphan_4e07.ann").write_text("", encoding="utf-8")
    return folder


def test_polnear_layout_is_read_directly(tmp_path):
    from legation.evaluation.brat import find_polnear_documents, is_polnear_layout, read_gold_folder

    folder = _polnear_folder(tmp_path)
    assert is_polnear_layout(folder) and not is_polnear_layout(FIXTURES)
    pairs = find_polnear_documents(folder)
    assert [(t.name, a.name) for t, a in pairs] == [("art_one.txt", "art_one_4e07.ann")]
    doc, = read_gold_folder(folder)
    attributions = doc.attributions
    assert len(attributions) == 3
    by_text = {doc.text[a.start:a.end]: a for a in attributions}
    assert [s.text for s in by_text["it rained"].sources] == ["Anna"]
    assert by_text["We lost,"].direct and not by_text["it rained"].direct
    # the trigger of a no-source attribution is not its source
    assert by_text["The memo"].sources == [] and [c.text for c in by_text["The memo"].cues] == ["x"]


def test_cue_accuracy_and_strict_f1(tmp_path):
    folder = _polnear_folder(tmp_path)
    text = (folder / "text" / "art_one.txt").read_text(encoding="utf-8")

    def extractor(text_: str):
        return [{"start": span(text, "it rained")[0], "end": span(text, "it rained")[1], "direct": False,
                 "cue_start": span(text, "said")[0], "cue_end": span(text, "said")[1],
                 "speaker": {"start": 0, "end": 4, "entity": "S1"}},
                {"start": span(text, "We lost")[0], "end": span(text, "We lost")[1], "direct": True,
                 "cue_start": 0, "cue_end": 4, "speaker": {"start": span(text, "Ben")[0], "end": span(text, "Ben")[1], "entity": "S2"}}]

    result = evaluate_quotes(folder, extractor)
    everything = result.scores["all"]
    assert (everything.gold, everything.predicted, everything.e2e_right) == (3, 2, 2)
    assert everything.cue_accuracy == pytest.approx(0.5)
    assert everything.strict_f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))


@pytest.mark.slow
def test_polnear_dev_floor(shared):
    """End-to-end attribution F1 on PolNeAR dev (84 real articles) stays above its measured level."""
    from legation.evaluation.brat_cli import default_extractor

    result = evaluate_quotes(shared / "eval" / "polnear" / "dev", default_extractor())
    assert len(result.documents) == 84
    assert result.scores["all"].e2e_f1 >= 0.69, format_report(result)
    assert result.scores["direct"].e2e_f1 >= 0.82, format_report(result)


def test_annotation_text_over_a_line_break_is_read():
    text = "Anna said:\nit rained a lot"
    ann = "T1\tSource 0 4\tAnna\nT2\tContent 11 25\tit rained\na lot\n#1\tAnnotatorNotes T1\tone\ntwo\nE1\tCue:T1 Content:T2\n"
    doc = parse_ann(ann, text, "d")
    assert doc.textbounds["T2"].text == "it rained\na lot" and doc.other == ["#1\tAnnotatorNotes T1\tone\ntwo"]
    assert len(doc.events) == 1


def test_span_f1_shows_a_content_cut_short_that_overlap_matching_accepts():
    text = "Anna said the plan failed because the money ran out."
    gold = attributions_to_brat("g", text, [{"content": span(text, "the plan failed because the money ran out"),
                                             "source": span(text, "Anna"), "cue": span(text, "said")}])
    speaker = {"text": "Anna", "start": 0, "end": 4, "entity": "S1"}
    whole = span(text, "the plan failed because the money ran out")
    short = span(text, "the plan failed")
    exact = score_attributions([gold], [[{"start": whole[0], "end": whole[1], "speaker": speaker}]]).scores["all"]
    cut = score_attributions([gold], [[{"start": short[0], "end": short[1], "speaker": speaker}]]).scores["all"]
    assert exact.e2e_f1 == cut.e2e_f1 == 1.0
    assert exact.span_f1 == 1.0
    # 13 of the gold's 34 letters: P 1.0, R 13/34
    assert cut.span_f1 == pytest.approx(2 * (13 / 34) / (1 + 13 / 34))
