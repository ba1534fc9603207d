"""The quote stage: one test per construction, over hand-written text and the real pipeline."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.quotes import extract_quotes, scan_quotes
from legation.quotes.cues import build_lexicon, default_lexicon
from legation.records import Actor, Analysis, Document, Quote

SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"


@pytest.fixture(scope="module")
def nlp():
    from legation.model import load_model

    return load_model()


@pytest.fixture(scope="module")
def quotes(nlp):
    def run(text: str, actors=None) -> list[Quote]:
        found = extract_quotes(nlp(text), actors)
        for quote in found:  # the evidence contract: offsets index the text exactly
            assert text[quote.start:quote.end] == quote.content
            if quote.speaker.start is not None:
                assert text[quote.speaker.start:quote.speaker.end] == quote.speaker.text
            if quote.cue_start is not None:
                assert text[quote.cue_start:quote.cue_end] == quote.cue
        return found

    return run


def brief(found: list[Quote]) -> list[tuple]:
    return [(q.content, q.direct, q.cue, q.speaker.text, q.speaker.entity) for q in found]


# --------------------------------------------------------------------------- quotation marks


def test_scan_pairs_curly_straight_single_and_apostrophes():
    text = "“A is ‘so-called’ B,” he said. \"C's turn,\" she said. The leaders’ talks, Myanmar’s 'D,' they said."
    spans = [(text[s.start:s.end], s.level, s.kind) for s in scan_quotes(text)]
    assert spans == [("A is ‘so-called’ B,", 0, "double"), ("so-called", 1, "single"), ("C's turn,", 0, "double"),
                     ("D,", 0, "single")]


def test_scan_multi_paragraph_convention_and_unterminated_quote():
    text = "“First part.\n\n“Second part,” she said.\n\n“Never closed.\n\nNext paragraph."
    spans = scan_quotes(text)
    assert [(text[s.start:s.end], len(s.reopened)) for s in spans] == [
        ("First part.\n\n“Second part,", 1), ("Never closed.", 0)]
    assert spans[1].close is None


# --------------------------------------------------------------------------- direct quotes


def test_direct_quote_cue_after_straight_quotes(quotes):
    found = quotes('"We will not give up," said Anna Keller, the party leader.')
    assert brief(found) == [("We will not give up", True, "said", "Anna Keller", "S1")]
    speaker = found[0].speaker
    assert (speaker.name, speaker.description, speaker.anonymous) == ("Anna Keller", "party leader", False)


def test_direct_quote_cue_before_with_colon_multi_sentence(quotes):
    found = quotes("The minister told reporters: “The border will open on Monday. Trucks will be checked.”")
    assert brief(found) == [("The border will open on Monday. Trucks will be checked.", True, "told", "The minister", "S1")]


def test_multi_paragraph_quote_is_one_quote(quotes):
    text = ("Interior Minister Rafael Ostrov spoke on television. He said: “We cannot hold a free vote now.\n\n"
            "“As soon as the roads are safe, we will set a new date.”\n\nThe opposition was unconvinced.")
    found = quotes(text)
    assert len(found) == 1
    assert found[0].content == "We cannot hold a free vote now.\n\n“As soon as the roads are safe, we will set a new date."
    assert (found[0].speaker.text, found[0].speaker.name) == ("He", "Rafael Ostrov")


def pieces(text: str, quote: Quote) -> list[str]:
    return [text[a:b] for a, b in quote.segments]


def test_split_quote_is_one_attribution_with_two_segments(quotes):
    text = '"Inflation is falling," the governor, Paul Mercer, said, "but not fast enough."'
    found = quotes(text)
    assert [(q.direct, q.cue, q.speaker.text, q.speaker.entity, q.kind) for q in found] == [
        (True, "said", "the governor", "S1", "direct")]
    assert pieces(text, found[0]) == ["Inflation is falling", "but not fast enough."]
    assert (found[0].start, found[0].end) == (found[0].segments[0][0], found[0].segments[-1][1])
    assert found[0].speaker.name == "Paul Mercer"


def test_split_quote_with_the_cue_before_its_subject(quotes):
    text = "“We will not sign,” said Lena Varga, the union leader, “until the pay offer is improved.”"
    found = quotes(text)
    assert [(q.cue, q.speaker.text) for q in found] == [("said", "Lena Varga")]
    assert pieces(text, found[0]) == ["We will not sign", "until the pay offer is improved."]


def test_quotes_with_different_cues_are_not_merged(quotes):
    text = '"Prices are up," Anna Keller said on Monday. Her rival, Tom Berg, replied: "They are falling."'
    found = quotes(text)
    assert [(pieces(text, q), q.speaker.text) for q in found] == [
        (["Prices are up"], "Anna Keller"), (["They are falling."], "Her rival")]


def test_continuation_quote_without_cue_belongs_to_the_last_speaker(quotes):
    text = ("“There is still a lot of work ahead,” said Tomas Brenner. “We will judge them by their actions.”\n\n"
            "“Words are cheap.”")
    found = quotes(text)
    # one attribution (PolNeAR's rule): the quotations with no cue continue the first one
    assert [(q.direct, q.cue, q.speaker.text, q.speaker.entity) for q in found] == [(True, "said", "Tomas Brenner", "S1")]
    assert pieces(text, found[0]) == ["There is still a lot of work ahead", "We will judge them by their actions.",
                                      "Words are cheap."]
    assert found[0].speaker.name == "Tomas Brenner"


def test_single_quotes_nested_in_double_quotes(quotes):
    text = ("\"When the ministry wrote to me, the letter said 'This film damages the national interest,'\" "
            "the director said.")
    found = quotes(text)
    assert brief(found) == [
        ("When the ministry wrote to me, the letter said 'This film damages the national interest,'", True, "said",
         "the director", "S1"),
        ("This film damages the national interest", True, "said", "the letter", "S2"),
    ]
    assert found[1].nested_in == 0


def test_british_single_quotes(quotes):
    found = quotes("An officer at the base said, 'We asked for more men three times and nobody listened.'")
    assert brief(found) == [("We asked for more men three times and nobody listened.", True, "said",
                             "An officer at the base", "S1")]


def test_characterisation_verbs_make_partial_direct_quotes(quotes):
    found = quotes("The activist called the move “a huge insult” to the country. "
                   "President Ilse Marek described the caravan as \"a reminder of what unites us\".")
    assert brief(found) == [("a huge insult", True, "called", "The activist", "S1"),
                            ("a reminder of what unites us", True, "described", "President Ilse Marek", "S2")]
    assert all(q.partial for q in found)


# --------------------------------------------------------------------------- indirect and partial quotes


def test_indirect_with_and_without_that(quotes):
    found = quotes("The ministry said that an inquiry would examine the delays. "
                   "Local journalists said the fighting had displaced hundreds of families.")
    assert brief(found) == [("an inquiry would examine the delays", False, "said", "The ministry", "S1"),
                            ("the fighting had displaced hundreds of families", False, "said", "Local journalists", "S2")]
    assert found[1].speaker.group and found[1].speaker.anonymous
    assert not found[0].speaker.anonymous  # an institution is not an anonymous source


def test_told_somebody(quotes):
    found = quotes("Lawyer Kyee Myint told RFA he was not surprised by the decision.")
    assert brief(found) == [("he was not surprised by the decision", False, "told", "Lawyer Kyee Myint", "S1")]
    assert (found[0].speaker.name, found[0].speaker.description) == ("Kyee Myint", "lawyer")


def test_according_to_before_and_after(quotes):
    found = quotes("According to a senior diplomat, the deal was nearly derailed. "
                   "Growth slowed to 0.2 percent, according to the statistics office.")
    assert brief(found) == [("the deal was nearly derailed", False, "According to", "a senior diplomat", "S1"),
                            ("Growth slowed to 0.2 percent", False, "according to", "the statistics office", "S2")]


def test_partial_quote_inside_reported_speech_is_one_indirect_quote(quotes):
    found = quotes("Activists and analysts said the decision was an act of “desperation” for the junta.")
    assert brief(found) == [("the decision was an act of “desperation” for the junta", False, "said",
                             "Activists and analysts", "S1")]
    assert found[0].partial
    speaker = found[0].speaker
    assert (speaker.group, speaker.anonymous, speaker.description) == (True, True, "activists and analysts")


def test_cue_after_indirect_content_and_inverted_subject(quotes):
    found = quotes("The talks could resume next week, said the analyst, who declined to be named citing security concerns.")
    assert brief(found) == [("The talks could resume next week", False, "said", "the analyst", "S1")]
    assert (found[0].speaker.anonymous, found[0].speaker.anonymity_reason) == (True, "security concerns")


def test_parenthetical_cue(quotes):
    found = quotes("Trump has claimed, without evidence, that millions voted illegally.")
    assert brief(found) == [("millions voted illegally", False, "claimed", "Trump", "S1")]


def test_nested_quote_inside_reported_speech(quotes):
    text = ("He noted that, after seizing power, General Min Aung Hlaing threatened the people by warning that "
            "Myanmar could “become like North Korea,” a police state.")
    found = quotes(text)
    assert [q.content for q in found] == [
        "after seizing power, General Min Aung Hlaing threatened the people by warning that Myanmar could "
        "“become like North Korea,” a police state",
        "become like North Korea",
    ]
    assert found[1].nested_in == 0 and found[1].direct and found[1].cue == "warning"
    assert (found[1].speaker.text, found[1].speaker.name) == ("General Min Aung Hlaing", "Min Aung Hlaing")


# --------------------------------------------------------------------------- speakers


def test_pronoun_resolves_to_the_last_speaker_and_shares_its_entity(quotes):
    text = ("Moe Zaw Oo, deputy foreign minister of the shadow government, said the move would weaken stability.\n\n"
            "“The world needs to take this seriously,” he said.")
    found = quotes(text)
    assert [(q.speaker.text, q.speaker.entity, q.speaker.name) for q in found] == [
        ("Moe Zaw Oo", "S1", "Moe Zaw Oo"), ("he", "S1", "Moe Zaw Oo")]
    assert found[1].speaker.description == "deputy foreign minister of the shadow government"


def test_pronoun_prefers_a_person_named_as_subject_after_the_last_speaker(quotes):
    text = ("Analysts said the talks would fail. Foreign Minister Adel al-Jubeir announced the decision on Sunday. "
            "He said that the kingdom would not back down.")
    found = quotes(text)
    # "announced the decision" is an attribution too (a noun-phrase content)
    assert [(q.speaker.text, q.speaker.entity, q.speaker.name) for q in found] == [
        ("Analysts", "S1", None), ("Foreign Minister Adel al-Jubeir", "S2", "Adel al-Jubeir"),
        ("He", "S2", "Adel al-Jubeir")]
    assert found[1].content == "the decision" and found[1].cue == "announced"


def test_definite_description_links_to_its_first_mention(quotes):
    text = ("“They are looking for friends,” said an anti-junta activist, speaking on condition of anonymity for fear "
            "of reprisal.\n\nThe activist called the move “a huge insult”.")
    found = quotes(text)
    assert [(q.speaker.text, q.speaker.entity) for q in found] == [("an anti-junta activist", "S1"),
                                                                 ("The activist", "S1")]
    speaker = found[1].speaker
    assert (speaker.description, speaker.anonymous, speaker.anonymity_reason) == (
        "anti-junta activist", True, "fear of reprisal")


def test_definite_description_links_to_a_named_role_holder(quotes):
    text = ("Foreign Minister Adel al-Jubeir announced the decision in Riyadh. "
            "\"We are ending our relations with Iran,\" the minister said.")
    found = quotes(text)
    assert [(q.speaker.text, q.speaker.name, q.speaker.entity) for q in found] == [
        ("Foreign Minister Adel al-Jubeir", "Adel al-Jubeir", "S1"), ("the minister", "Adel al-Jubeir", "S1")]


def test_surname_links_to_the_full_name(quotes):
    text = ("Cuban Foreign Minister Bruno Rodríguez spoke first. Rodríguez said the embargo was the main obstacle. "
            "\"This is a historic day,\" Rodríguez said.")
    found = quotes(text)
    assert {q.speaker.name for q in found} == {"Bruno Rodríguez"}
    assert {q.speaker.entity for q in found} == {"S1"}


def test_anonymous_source_with_a_because_reason(quotes):
    found = quotes("A Gulf diplomat, who spoke on condition of anonymity because he was not authorised to speak to "
                   "the press, said the talks had stalled.")
    speaker = found[0].speaker
    assert (speaker.text, speaker.anonymous, speaker.anonymity_reason) == (
        "A Gulf diplomat", True, "he was not authorised to speak to the press")


def test_anonymous_source_without_reason(quotes):
    found = quotes("A congressional aide, who spoke on condition of anonymity, said the review would take months.")
    speaker = found[0].speaker
    assert (speaker.text, speaker.anonymous, speaker.anonymity_reason, speaker.description) == (
        "A congressional aide", True, None, "congressional aide")


def test_speaker_entity_ids_follow_first_appearance(quotes):
    text = ('"Yes," said Alice Brown. "No," said Bob Green. "Maybe," said Alice Brown.')
    found = quotes(text)
    assert [(q.content, q.speaker.entity) for q in found] == [("Yes", "S1"), ("No", "S2"), ("Maybe", "S1")]


def test_speakers_link_to_overlapping_actors(nlp, quotes):
    text = "Bahrain and Sudan said they were breaking off ties. Officials said nothing else had changed."
    actors = [Actor(text="Bahrain", start=0, end=7, code="BHR", sector="GOV", name="Bahrain"),
              {"text": "Sudan", "start": 12, "end": 17, "code": "SDN", "sector": "GOV", "name": "Sudan", "entity": None}]
    found = quotes(text, actors)
    assert found[0].speaker.actor["code"] == "BHR"
    assert found[1].speaker.actor is None


# --------------------------------------------------------------------------- not quotes


def test_scare_quotes_titles_and_nicknames_are_not_quotes(quotes):
    text = ("The so-called \"peace caravan\" reached the capital. Organisers had nicknamed the convoy \"the Long Road\", "
            "and a song called \"Home Again\" played. The documentary \"Borderlands\" opened on Friday. "
            "The government has promoted what it calls \"reforms\". The chairman, known to staff as \"the Professor\", "
            "did not respond to requests for comment.")
    assert quotes(text) == []


def test_what_he_said_is_not_a_cue(quotes):
    found = quotes("He was not surprised, given what he said was the junta's support for the North.")
    assert [q.cue for q in found if q.cue == "said"] == []
    # the noun cue is a stance of its possessor, not a quote
    assert [(q.cue, q.kind, q.speaker.text) for q in found] == [("support for", "stance", "the junta's")]


def test_learned_cues_np_infinitive_and_evidence_contents(quotes):
    found = quotes("The mayor plans to raise taxes next year. "
                   "New data show that unemployment fell in March.")
    got = [(q.content, q.cue, q.speaker.text, q.kind) for q in found]
    assert got == [("to raise taxes next year", "plans", "The mayor", "intention"),
                   ("unemployment fell in March", "show", "New data", "evidence")]


def test_relative_pronoun_speaker_keeps_the_pronoun_span(quotes):
    text = "The analyst, who said the talks would fail, left early."
    found = quotes(text)
    assert [q.speaker.text for q in found] == ["The analyst"]
    assert text[found[0].speaker.via_start:found[0].speaker.via_end] == "who"


def test_in_a_poll_is_the_source_of_its_clause(quotes):
    found = quotes("In a new Gallup poll released Monday, the governor leads by six points.")
    assert [(q.content, q.speaker.text) for q in found] == [
        ("the governor leads by six points", "a new Gallup poll")]


def test_empty_document(nlp):
    assert extract_quotes(nlp("")) == []
    assert extract_quotes(nlp("No one spoke.")) == []


# --------------------------------------------------------------------------- knowledge, stage


def test_lexicon_comes_from_the_yaml_file():
    lexicon = default_lexicon()
    assert {"say", "tell", "note", "warn", "add"} <= lexicon.speech_verbs
    assert "call" in lexicon.characterisation_verbs
    assert lexicon.anonymity_re.search("speaking on condition of anonymity")
    custom = build_lexicon({"speech_verbs": ["grumble"], "anonymity_phrases": ["off the record"],
                            "anonymity_reasons": [{"marker": "because"}]})
    assert custom.speech_verbs == frozenset({"grumble"})


def test_custom_lexicon_changes_the_cues(nlp):
    doc = nlp("The minister grumbled that the talks were slow.")
    assert extract_quotes(doc) == []
    lexicon = build_lexicon({"speech_verbs": ["grumble"], "anonymity_phrases": ["off the record"],
                             "anonymity_reasons": [{"marker": "because"}]})
    assert [q.content for q in extract_quotes(doc, lexicon=lexicon)] == ["the talks were slow"]


def test_stage_fills_analysis_quotes(nlp):
    from legation.registry import get_stage
    import legation.stages.quotes  # noqa: F401  (registers the stage)

    stage = get_stage("quotes")
    assert stage.needs_parse and stage.requires == ("actors",)
    text = '"We are ready," the minister said.'
    analysis = Analysis(document=Document(text=text))
    stage.function(analysis, nlp(text))
    record = analysis.to_dict()["quotes"]
    assert record[0]["content"] == "We are ready"
    assert record[0]["speaker"]["entity"] == "S1"


# --------------------------------------------------------------------------- acceptance


def test_seed_article_all_quotes_with_the_right_speakers(nlp):
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    from legation.evaluation.seed import score_quotes

    seed = SHARED / "seed"
    gold = json.loads((seed / "myanmar-north-korea-2023.gold.json").read_text(encoding="utf-8"))
    text = (seed / "myanmar-north-korea-2023.txt").read_text(encoding="utf-8")
    predicted = [q.to_dict() for q in extract_quotes(nlp(text))]
    result = score_quotes(gold["quotes"], predicted)
    assert (result["found"], result["speaker_correct"], result["spurious"]) == (18, 18, 0), result
    speakers = {q["speaker"]["entity"] for q in predicted}
    assert len(speakers) == 6


def test_fixture_set_end_to_end_f1(nlp):
    from legation.evaluation.brat import evaluate_quotes

    result = evaluate_quotes(FIXTURES, lambda text: extract_quotes(nlp(text)))
    assert result.scores["all"].gold >= 40
    assert result.scores["all"].e2e_f1 >= 0.8, result.to_dict(errors=True)
    assert result.scores["direct"].e2e_f1 >= 0.8, result.to_dict(errors=True)


def test_seed_scorer_reads_an_attribution_in_pieces():
    from legation.evaluation.seed import score_quotes

    text = '"Prices will fall," the minister said. "Wages will rise." Critics said nothing would change.'
    first, second = (1, 18), (40, 56)
    assert (text[first[0]:first[1]], text[second[0]:second[1]]) == ("Prices will fall,", "Wages will rise.")
    gold = [{"id": "Q1", "content_starts": "Prices will fall", "speaker_entity": "A"},
            {"id": "Q2", "content_starts": "Wages will rise", "speaker_entity": "A"},
            {"id": "Q3", "content_starts": "nothing would change", "speaker_entity": "B"}]
    merged = {"content": text[1:56], "start": 1, "end": 56, "segments": [first, second], "kind": "direct",
              "speaker": {"entity": "S1"}}
    other = {"content": "nothing would change", "start": 71, "end": 91, "kind": "indirect", "speaker": {"entity": "S2"}}
    result = score_quotes(gold, [merged, other])
    assert (result["found"], result["speaker_correct"], result["predicted"], result["spurious"]) == (3, 3, 3, 0)
    # without its segments, the second quotation is not found
    result = score_quotes(gold, [dict(merged, segments=None), other])
    assert (result["found"], result["predicted"]) == (2, 2)


def test_speech_tag_inside_reported_speech_splits_its_content(quotes):
    text = ("Angela Berg spoke on Monday. Her countrymen, she said, should not listen to those with hate in their "
            "hearts.")
    found = quotes(text)
    assert [(q.kind, q.cue, q.speaker.text, q.speaker.name) for q in found] == [("indirect", "said", "she", "Angela Berg")]
    assert pieces(text, found[0]) == ["Her countrymen", "should not listen to those with hate in their hearts"]


def test_event_in_a_speech_tag_is_not_attributed_to_the_speaker():
    from legation.pipeline import analyze

    text = ('"We will not give in," Anna Keller said after she met the Austrian ambassador, '
            '"and we will attack the rebels tomorrow."')
    result = analyze(text).to_dict()
    [quote] = result["quotes"]
    assert [text[a:b] for a, b in quote["segments"]] == ["We will not give in", "and we will attack the rebels tomorrow."]
    attributed = {e["trigger"]["text"]: (e["attributed_to"] or {}).get("name") for e in result["events"]}
    # "met" is the narrator's, between the quote's pieces; "give in" (its subject a pronoun) and "attack"
    # are inside the pieces
    assert attributed == {"give": "Anna Keller", "met": None, "attack": "Anna Keller"}


def test_continuation_in_doubled_apostrophes_joins_the_quote(quotes):
    # some papers write quotation marks as two apostrophes: ''...''
    text = "''It is far too late,'' Mr. Sanders said. ''That makes no sense to me.''\n\nThe vote is on Monday."
    found = quotes(text)
    assert [(q.cue, q.speaker.text) for q in found] == [("said", "Mr. Sanders")]
    assert pieces(text, found[0]) == ["It is far too late", "That makes no sense to me."]


def test_abbreviations_between_a_quote_and_its_continuation(quotes):
    text = ('"We will win this state," said Paul Grant, a former aide to President George W. Bush. '
            '"If he loses, nobody will listen to him."\n\nThe vote is on Monday.')
    found = quotes(text)
    assert [(q.cue, q.speaker.text) for q in found] == [("said", "Paul Grant")]
    assert pieces(text, found[0]) == ["We will win this state", "If he loses, nobody will listen to him."]
    # two sentences of narration in between: not a continuation
    text = '"We will win," said Anna Berg. Her rival, Tom Frey, was not convinced. "Nobody believes that."'
    assert [pieces(text, q) for q in quotes(text)] == [["We will win"]]
