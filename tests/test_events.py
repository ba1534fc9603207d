"""Event coding over hand-written sentences with the real spaCy pipeline and lexicon."""
from __future__ import annotations

import pytest

from legation.pipeline import Pipeline
from legation.records import Document


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def events(pipeline: Pipeline, text: str, published: str | None = "2023-09-14") -> list[dict]:
    analysis = pipeline.analyze(Document(text=text, published=published))
    assert not analysis.errors, analysis.errors
    evs = [e.to_dict() for e in analysis.events]
    for e in evs:
        ev = e["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"]
        assert e["trigger"]["text"] == text[e["trigger"]["start"]:e["trigger"]["end"]]
    return evs


def codes(actors: list[dict]) -> set[str]:
    return {a["code"] for a in actors}


def find(evs: list[dict], event_type: str) -> dict:
    matching = [e for e in evs if e["type"] == event_type]
    assert matching, [(e["type"], e["trigger"]["text"]) for e in evs]
    return matching[0]


def test_active_verb_with_object_and_partner(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Saudi Arabia cut diplomatic ties with Iran on Sunday."), "SANCTION")
    assert codes(e["source"]) == {"SAU"} and codes(e["target"]) == {"IRN"}
    assert e["cameo"].startswith("16") and e["relation"] == "break" and e["date"]["value"] == "2023-09-10"


def test_passive_with_agent_and_own_date(pipeline: Pipeline) -> None:
    text = "Relations with North Korea were restored in 2007 by Myanmar's junta."
    e = find(events(pipeline, text), "SUPPORT")
    assert codes(e["source"]) == {"MMR"} and e["date"]["value"] == "2007" and not e["date"]["defaulted"]
    assert e["relation"] == "restore"


def test_nominal_trigger_with_possessor_and_premodifier_date(pipeline: Pipeline) -> None:
    text = "Officials recalled North Korea's Oct. 9, 1983, failed assassination attempt on South Korea's president."
    e = find(events(pipeline, text), "ASSAULT")
    assert codes(e["source"]) == {"PRK"} and e["date"]["value"] == "1983-10-09"
    assert e["modality"] == "asserted"  # a failed attempt still happened


def test_coordinated_mutual_subjects_give_both_directions(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Bahrain and Qatar restored diplomatic relations on Monday."), "SUPPORT")
    assert codes(e["source"]) == {"BHR", "QAT"} and codes(e["target"]) == {"BHR", "QAT"}


def test_light_verb_construction(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Chinese officials held talks with Vietnamese diplomats in Hanoi."), "CONSULT")
    assert codes(e["source"]) == {"CHN"} and codes(e["target"]) == {"VNM"}
    assert e["location"] and e["location"]["code"] == "VNM"


def test_hedged_and_hypothetical_and_negated(pipeline: Pipeline) -> None:
    hedged = find(events(pipeline, "Russian troops are believed to have attacked the Ukrainian town."), "ASSAULT")
    assert hedged["modality"] == "hedged"
    hypothetical = find(events(pipeline, "If talks fail, Israeli forces could attack Hamas positions."), "ASSAULT")
    assert hypothetical["modality"] == "hypothetical"
    reported = find(events(pipeline, "Syrian troops reportedly shelled the town."), "ASSAULT")
    assert reported["modality"] == "hedged"


def test_refusal_is_reject_not_negation(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Iran refused to release the detained British sailors.")
    e = find(evs, "REJECT")
    assert codes(e["source"]) == {"IRN"}
    assert not [x for x in evs if x["type"] == "RETREAT"]


def test_announced_cooperation_is_an_intent(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Syria said it is willing to withdraw its troops from Lebanon."), "AGREE")
    assert codes(e["source"]) == {"SYR"}


def test_casualties(pipeline: Pipeline) -> None:
    text = "Militants set off a bomb in Kabul on Monday, killing 21 people and wounding nearly 50 others."
    e = find(events(pipeline, text), "ASSAULT")
    assert e["killed"] == 21 and e["injured"] == 50


def test_attribution_to_the_speaker_of_a_quote(pipeline: Pipeline) -> None:
    text = '"Pakistani troops attacked our posts on Friday," said Indian Defence Minister Rajnath Singh.'
    e = find(events(pipeline, text), "ASSAULT")
    assert e["attributed_to"] and "Rajnath Singh" in (e["attributed_to"]["name"] or e["attributed_to"]["text"])


def test_date_defaults_to_publication_month_and_says_so(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Kim Jong Un traveled to Russia to meet Vladimir Putin."), "CONSULT")
    assert e["date"] == {"value": "2023-09", "text": None, "start": None, "end": None, "defaulted": True, "background": False}


def test_no_event_in_a_sentence_that_reports_none(pipeline: Pipeline) -> None:
    assert events(pipeline, "The weather in Yangon was warm and humid.") == []
    assert events(pipeline, "Assassination attempt") == []  # a heading


def test_several_events_in_one_sentence(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Algeria cut ties with Morocco and expelled its ambassador, then closed its airspace.")
    assert len(evs) >= 2


def test_events_are_stored_and_listed(pipeline: Pipeline, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from legation.cli import app

    src = tmp_path / "a.txt"
    src.write_text("Saudi Arabia cut diplomatic ties with Iran on Sunday. Iran condemned the decision.", encoding="utf-8")
    db = str(tmp_path / "e.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(src), "--db", db, "--published", "2016-01-04"]).exit_code == 0
    rows = json.loads(runner.invoke(app, ["events", "--db", db, "--format", "json"]).stdout)
    assert {r["type"] for r in rows} >= {"SANCTION", "ACCUSE"}
    sanction = json.loads(runner.invoke(app, ["events", "--db", db, "--type", "sanction", "--pair", "IRN,SAU",
                                               "--format", "json"]).stdout)
    assert len(sanction) == 1 and sanction[0]["date"] == "2016-01-03"
    assert json.loads(runner.invoke(app, ["events", "--db", db, "--quad-class", "2", "--format", "json"]).stdout) == []
    out = tmp_path / "e.parquet"
    assert runner.invoke(app, ["events", "--db", db, "--format", "parquet", "--output", str(out)]).exit_code == 0
    import duckdb

    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0] == len(rows)


def test_no_relations_since_a_date_is_a_break(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Iran has had no diplomatic relations with the United States since 1980."), "SANCTION")
    assert e["relation"] == "break" and e["date"]["value"] == "1980" and e["modality"] == "asserted"
    assert not [x for x in events(pipeline, "Japan has diplomatic relations with Cuba.") if x["relation"]]


def test_switched_recognition_breaks_with_the_old_partner(pipeline: Pipeline) -> None:
    analysis = pipeline.analyze(Document(text="Costa Rica switched diplomatic recognition from Taiwan to China in 2007.",
                                         published="2008-01-01"))
    changes = {(c["a"], c["b"], c["change"], c["date"]) for c in analysis.relation_changes}
    assert ("CRI", "TWN", "break", "2007") in changes and ("CHN", "CRI", "establish", "2007") in changes  # a switch establishes ties with the new partner


def test_relations_between_two_parties(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Relations between Ecuador and Mexico were suspended in April 2024."), "SANCTION")
    assert codes(e["source"]) == codes(e["target"]) == {"ECU", "MEX"} and e["relation"] == "suspend"


def test_after_an_event_named_earlier_takes_its_date(pipeline: Pipeline) -> None:
    text = ("The army's 2021 coup ended a decade of civilian rule. "
            "Not long after seizing power, Myanmar's junta leader threatened the opposition.")
    e = find(events(pipeline, text), "THREATEN")
    assert e["date"]["value"] == "2021" and not e["date"]["defaulted"]


def test_passive_agent_misattached_by_the_parser(pipeline: Pipeline) -> None:
    # the small parser hangs "by Germany" under "states", not under the verb
    e = find(events(pipeline, "Croatia and Slovenia were recognized as independent states by Germany on Monday."), "SUPPORT")
    assert codes(e["source"]) == {"DEU"} and codes(e["target"]) == {"HRV", "SVN"}


def test_domestic_event_without_a_target_is_aimed_at_home(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "President Abdelaziz Bouteflicka threatened to impose a curfew in Algiers."), "THREATEN")
    assert codes(e["source"]) == {"DZA"} and codes(e["target"]) == {"DZA"} and e["target_defaulted"]
    # a cooperative act with no partner named keeps no target
    e = find(events(pipeline, "Japan pledged more reconstruction aid on Tuesday."), "AGREE")
    assert e["target"] == [] and not e["target_defaulted"]


def test_what_one_actor_says_another_must_do_is_a_demand(pipeline: Pipeline) -> None:
    # "hand over" is in no lexicon entry: the obligation in reported speech makes the demand
    e = find(events(pipeline, "Norway said on Tuesday that Chile must hand over the documents."), "REQUEST")
    assert codes(e["source"]) == {"NOR"} and codes(e["target"]) == {"CHL"}


def test_an_unknown_group_noun_takes_its_coded_modifier(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Some 20,000 Iraqi Yazidis sought refuge in Germany last month."), "REQUEST")
    assert codes(e["source"]) == {"IRQ"} and codes(e["target"]) == {"DEU"}


def test_a_noun_modifying_another_noun_is_not_an_event(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Liberian riot police used tear gas to disperse demonstrators in Monrovia.")
    assert all(e["trigger"]["text"] != "riot" for e in evs)
    evs = events(pipeline, "Qatar's emir launched a mediation effort between Saudi Arabia and the Emirates.")
    assert any(e["trigger"]["text"] == "mediation" and e["type"] == "CONSULT" for e in evs)


def test_participle_and_pronoun_subjects(pipeline: Pipeline) -> None:
    # an active participle's subject is the noun it modifies
    e = find(events(pipeline, "Police in Lima fired tear gas at demonstrators protesting against the Peruvian government."), "PROTEST")
    assert codes(e["source"]) == {"PER"}
    # a document "demanding" something: its issuer demands
    e = find(events(pipeline, "The rebel Kurdistan Workers' Party issued a statement demanding that the Turkish government free its leader."), "REQUEST")
    assert codes(e["source"]) == {"TUR"} and codes(e["target"]) == {"TUR"}
    # "the party said it will": "it" is the party
    e = find(events(pipeline, "The Algerian opposition party said it will boycott the elections unless the president resigns."), "THREATEN")
    assert codes(e["source"]) == {"DZA"}


def test_a_nominal_event_in_the_clause_takes_its_subject_and_object(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Irish guerrillas surprised two British soldiers in an ambush on Thursday, police said."), "ASSAULT")
    assert codes(e["source"]) == {"IRL"} and codes(e["target"]) == {"GBR"} and not e["target_defaulted"]


def test_event_location_carries_coordinates_for_gdelt(pipeline: Pipeline, tmp_path) -> None:
    import csv
    import io

    from typer.testing import CliRunner

    from legation.cli import app

    text = "Gunmen killed five Iraqi policemen in Ramadi on Sunday."
    e = find(events(pipeline, text), "ASSAULT")
    assert e["location"]["code"] == "IRQ" and abs(e["location"]["latitude"] - 33.42) < 0.1
    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    db = str(tmp_path / "g.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(src), "--db", db]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["export", "--db", db, "--format", "gdelt"]).stdout)))
    row = next(r for r in rows if r["EventRootCode"] == "18" or r["EventRootCode"] == "19")
    assert row["ActionGeo_CountryCode"] == "IRQ" and abs(float(row["ActionGeo_Long"]) - 43.31) < 0.1


def test_prepositions_the_parser_hangs_on_a_particle(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "The United States pulled out of the nuclear deal with Iran in May 2018."), "SANCTION")
    assert e["cameo"] == "160" and codes(e["source"]) == {"USA"} and codes(e["target"]) == {"IRN"}
    e = find(events(pipeline, "Colombian rebels walked out of the talks with the government on Monday."), "SANCTION")
    assert e["cameo"] == "164"


def test_own_forces_are_not_the_target(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Ethiopia massed troops and tanks along its border with Eritrea, diplomats said."), "MOBILIZE")
    assert codes(e["source"]) == {"ETH"} and codes(e["target"]) == {"ERI"}


def test_default_target_from_a_country_modifying_the_place(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Serbia eased emergency measures on Wednesday in Montenegro province."), "CONCEDE")
    assert codes(e["target"]) == {"MNE"} and e["target_defaulted"]


def test_asking_someone_to_act_is_a_request(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Iraq asked Turkey to release more water from its dams."), "REQUEST")
    assert codes(e["source"]) == {"IRQ"} and codes(e["target"]) == {"TUR"}
    assert not [e for e in events(pipeline, "Asked about the report, the minister said nothing.") if e["type"] == "REQUEST"]


def test_receiving_aid_makes_the_giver_the_source(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Egypt received a $3 billion loan from the International Monetary Fund on Friday."), "AID")
    assert codes(e["source"]) == {"IGO"} or codes(e["source"]) == {"UNO"}
    assert codes(e["target"]) == {"EGY"}


def test_the_main_clause_event_is_the_most_salient(pipeline: Pipeline) -> None:
    from legation.evaluation.plover import primary_event

    evs = events(pipeline, "Czech students went on strike on Monday after police beat demonstrators in Prague.")
    assert primary_event(evs)["type"] == "PROTEST"


def test_a_deployed_force_is_the_actor_of_its_deployment(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Thousands of Turkish police were deployed in Istanbul on Monday."), "MOBILIZE")
    assert codes(e["source"]) == {"TUR"}
    e = find(events(pipeline, "The deployment of Eritrean troops near the border alarmed Ethiopian officials."), "MOBILIZE")
    assert codes(e["source"]) == {"ERI"}


def test_coordinated_nationalities_and_mutual_exercises(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Moroccan and Spanish officials held talks in Rabat on migrant smuggling."), "CONSULT")
    assert codes(e["source"]) | codes(e["target"]) == {"MAR", "ESP"} and codes(e["target"])
    e = find(events(pipeline, "Egypt and Greece held joint air force exercises over the Mediterranean."), "COOPERATE")
    assert codes(e["source"]) == {"EGY", "GRC"} and codes(e["target"]) == {"EGY", "GRC"}
    e = find(events(pipeline, "Argentina offered to mediate between Colombia and Venezuela."), "AGREE")
    assert codes(e["target"]) == {"COL", "VEN"}


def test_the_content_of_a_demand_has_not_happened(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Russia urged Ukraine to release the prisoners.")
    release = next(e for e in evs if e["trigger"]["text"] == "release")
    assert release["modality"] == "hypothetical" and codes(release["source"]) == {"UKR"}
    assert find(evs, "REQUEST")["modality"] == "asserted"


def test_a_demand_or_threat_noun_with_its_content_clause(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Egypt's demand that Israel withdraw its troops was repeated on Sunday."), "REQUEST")
    assert codes(e["source"]) == {"EGY"} and codes(e["target"]) == {"ISR"}
    # "on Thursday" is no particle: "called up" stays a mobilisation, not "call on"
    e = find(events(pipeline, "Kuwait called up its military reservists on Thursday."), "MOBILIZE")
    assert codes(e["source"]) == {"KWT"}


def test_a_nominalization_is_coded_like_its_verb(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Italy announced a suspension of flights to Serbia on Wednesday."), "SANCTION")
    assert codes(e["source"]) == {"ITA"}


def test_an_uncoded_target_keeps_the_coded_place_beside_it(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "The IAEA dispatched inspectors to the Esfahan Uranium Conversion Facilities in central Iran."), "ACCUSE")
    assert "IRN" in codes(e["target"]) and e["target_defaulted"]


def test_people_the_actors_stage_found_satisfy_people_objects(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Azerbaijan released 32 Armenian servicemen on Wednesday."), "RETREAT")
    assert e["cameo"] == "0841" and codes(e["source"]) == {"AZE"}


def test_refusing_recognition_is_a_rejection_not_a_relation_change(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Kenya declined to recognize Somaliland."), "REJECT")
    assert e["relation"] is None
    assert not [x for x in events(pipeline, "Kenya declined to recognize Somaliland.") if x["type"] == "SUPPORT"]


def test_an_intent_to_attack_is_a_threat(pipeline: Pipeline) -> None:
    threats = [e for e in events(pipeline, "Al-Shabaab vowed to carry out more attacks in Kenya.") if e["type"] == "THREATEN"]
    assert len(threats) == 1 and threats[0]["trigger"]["text"] == "vowed" and codes(threats[0]["target"]) == {"KEN"}
    assert find(events(pipeline, "Morocco and Spain agreed to step up joint patrols."), "AGREE")


def test_a_crowds_force_is_a_violent_protest(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Protesters stormed the government headquarters in Bishkek overnight."), "PROTEST")
    assert e["cameo"] == "145"


def test_nominal_events_between_from_and_by(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Talks between Armenia and Azerbaijan in Washington ended without a deal."), "CONSULT")
    assert codes(e["source"]) | codes(e["target"]) == {"ARM", "AZE"} and codes(e["source"]) and codes(e["target"])
    e = find(events(pipeline, "A request from Somalia for more peacekeepers was presented in Addis Ababa."), "REQUEST")
    assert codes(e["source"]) == {"SOM"}
    e = find(events(pipeline, "The expulsion of 18 Russian diplomats by the Czech Republic angered Moscow."), "SANCTION")
    assert codes(e["source"]) == {"CZE"} and codes(e["target"]) == {"RUS"}
    e = find(events(pipeline, "A freeze on U.S. security assistance to Pakistan was announced by the Trump administration."), "SANCTION")
    assert codes(e["source"]) == {"USA"} and codes(e["target"]) == {"PAK"}
    e = find(events(pipeline, "Vietnam completed the withdrawal of its troops from Cambodia on Tuesday."), "RETREAT")
    assert codes(e["target"]) == {"KHM"}


def test_mobilisation_targets(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Russia's partial mobilization of 300,000 reservists for the war in Ukraine began on Wednesday."), "MOBILIZE")
    assert codes(e["source"]) == {"RUS"} and "RUS" not in codes(e["target"])
    e = find(events(pipeline, "A veto by the United States blocked a Security Council resolution on Gaza."), "REJECT")
    assert codes(e["source"]) == {"USA"} and codes(e["target"]) & {"UNO", "IGO"}


def test_object_classes_and_infinitive_subjects(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Boko Haram released 82 of the Chibok schoolgirls in exchange for detained militants."), "RETREAT")
    assert e["cameo"] == "0841"
    e = find(events(pipeline, "Tehran allowed IAEA inspectors to reinstall surveillance cameras."), "RETREAT")
    assert e["cameo"] == "0862" and codes(e["source"]) == {"IRN"}


def test_a_demand_noun_whose_clause_hangs_on_the_verb(pipeline: Pipeline) -> None:
    evs = events(pipeline, "The ILO reiterated its demand today that Israel ease restrictions on Palestinian workers.")
    demand = find(evs, "REQUEST")
    assert demand["trigger"]["text"] == "demand" and codes(demand["target"]) == {"ISR"}
    assert all(e["modality"] == "hypothetical" for e in evs if e["trigger"]["text"] == "ease")


def test_nominal_threats_and_withdrawals_find_the_other_side(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "China's warning that it would use force against Taiwan came days before the election."), "THREATEN")
    assert codes(e["source"]) == {"CHN"} and codes(e["target"]) == {"TWN"}
    e = find(events(pipeline, "Soviet troops completed their pullout from Afghanistan on Wednesday."), "RETREAT")
    assert codes(e["target"]) == {"AFG"}
    e = find(events(pipeline, "A massive buildup of Indian troops along the border with Pakistan followed the attack."), "MOBILIZE")
    assert codes(e["source"]) == {"IND"} and codes(e["target"]) == {"PAK"}


def test_an_oath_to_fight_parsed_as_a_purpose_clause_is_a_threat(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Ethnic Albanian rebels have sworn to fight until they gain control of the villages, officials said."), "THREATEN")
    assert e["modality"] == "asserted"


def test_whom_a_protest_is_aimed_at(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Hundreds of thousands of people blocked streets in Hong Kong in defiance of Chinese authorities."), "PROTEST")
    assert codes(e["target"]) == {"CHN"}
    e = find(events(pipeline, "Serbs in northern Kosovo blocked roads to protest against the arrest of a Serb policeman by Kosovo police."), "PROTEST")
    assert "SRB" not in codes(e["target"])


def test_force_with_no_perpetrator_is_placed_where_it_happened(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "A roadside bombing near the town of Samarra on Sunday killed one U.S. soldier."), "ASSAULT")
    assert codes(e["source"]) == {"IRQ"} and e["source_defaulted"] and codes(e["target"]) == {"USA"}
    e = find(events(pipeline, "Iraqi insurgents killed one U.S. soldier near Samarra on Sunday."), "ASSAULT")
    assert codes(e["source"]) == {"IRQ"} and not e["source_defaulted"]


def test_parties_between_in_the_object_of_a_nominal_event(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "The establishment of diplomatic relations between South Korea and China ended decades of hostility."), "SUPPORT")
    assert codes(e["source"]) | codes(e["target"]) == {"KOR", "CHN"} and codes(e["target"])


def test_defaulted_arguments_are_stored_and_can_be_left_out(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from legation.cli import app

    src = tmp_path / "a.txt"
    src.write_text("A roadside bombing near the town of Samarra killed one U.S. soldier. "
                   "Saudi Arabia cut diplomatic ties with Iran on Sunday.", encoding="utf-8")
    db = str(tmp_path / "d.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(src), "--db", db, "--published", "2016-01-04"]).exit_code == 0
    rows = json.loads(runner.invoke(app, ["events", "--db", db, "--format", "json"]).stdout)
    assert any(r["source_defaulted"] for r in rows)
    stated = json.loads(runner.invoke(app, ["events", "--db", db, "--format", "json", "--stated-only"]).stdout)
    assert stated and not any(r["source_defaulted"] or r["target_defaulted"] for r in stated)
    assert {r["type"] for r in stated} >= {"SANCTION"}


def test_a_schema_4_store_upgrades_with_its_events(old_store) -> None:
    from legation.store import SCHEMA_VERSION, Store

    con, path = old_store(4)
    con.execute("INSERT INTO events (id, doc_id, type) VALUES ('e1', 'd1', 'ASSAULT')")
    con.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION >= 5
    assert store.query("SELECT source_defaulted, target_defaulted FROM events") == [
        {"source_defaulted": False, "target_defaulted": False}]
    store.close()


def test_dictionary_verb_codes_only_between_two_named_parties(pipeline: Pipeline) -> None:
    # "chastise" comes from PETRARCH2's verb dictionary (data/events/petrarch_verbs.yaml), not the hand-written lexicon
    e = find(events(pipeline, "France chastised Italy over its budget deficit."), "ACCUSE")
    assert codes(e["source"]) == {"FRA"} and codes(e["target"]) == {"ITA"}
    assert not [x for x in events(pipeline, "The coach chastised his players in the dressing room.") if x["trigger"]["lemma"] == "chastise"]
    assert not [x for x in events(pipeline, "France chastised itself over the migrant ship.") if x["trigger"]["lemma"] == "chastise"]


def main_event(evs: list[dict]) -> dict:
    from legation.evaluation.plover import primary_event

    main = primary_event(evs)
    assert main is not None
    return main


def test_an_operator_composes_with_the_event_it_governs(pipeline: Pipeline) -> None:
    # cessation over force: a de-escalation, with the shelling kept, linked and not the main event
    evs = events(pipeline, "Turkey stopped shelling Kurdish villages in northern Iraq.")
    main = main_event(evs)
    assert main["type"] == "RETREAT" and main["cameo"] == "087" and codes(main["source"]) == {"TUR"}
    shelling = find(evs, "ASSAULT")
    assert shelling["embedded_in"] == main["id"]
    # threat over expulsion: the threat of expulsion, aimed at the party it names
    evs = events(pipeline, "France threatened to expel the Malian ambassador.")
    main = main_event(evs)
    assert main["type"] == "THREATEN" and main["cameo"] == "131" and codes(main["target"]) == {"MLI"}
    assert find(evs, "SANCTION")["modality"] == "hypothetical"


def test_operators_compose_from_the_inside_out(pipeline: Pipeline) -> None:
    # agreement over permission over inspectors: the agreement is coded as an intent to allow international involvement
    evs = events(pipeline, "Iran agreed to let the inspectors return to the Fordow site.")
    main = main_event(evs)
    assert main["trigger"]["text"] == "agreed" and main["cameo"] == "0355" and main["type"] == "AGREE"
    assert any(e.get("embedded_in") == main["id"] and e["trigger"]["text"] == "let" for e in evs)


def test_wanting_another_party_to_act_is_a_request(pipeline: Pipeline) -> None:
    # "want" with a complement that names its own subject: asked of that party (through "stop")
    evs = events(pipeline, "Kenya wants Somalia to stop the cross-border raids.")
    main = main_event(evs)
    assert main["type"] == "REQUEST" and codes(main["source"]) == {"KEN"} and codes(main["target"]) == {"SOM"}
    # wanting to act oneself is no request
    assert main_event(events(pipeline, "Turkey wants to join the European Union."))["type"] != "REQUEST"


def test_a_refused_act_of_conflict_is_a_rejection_not_the_act(pipeline: Pipeline) -> None:
    evs = events(pipeline, "China declined to condemn the Russian invasion of Ukraine.")
    main = main_event(evs)
    assert main["type"] == "REJECT" and main["trigger"]["text"] == "declined"
    assert find(evs, "ACCUSE")["modality"] == "negated"


def test_a_crowd_gathered_to_denounce_is_a_demonstration(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Thousands of Kurds gathered in Ankara to denounce the Turkish government.")
    main = main_event(evs)
    assert main["type"] == "PROTEST" and main["trigger"]["text"] == "gathered"
    assert find(evs, "ACCUSE")["embedded_in"] == main["id"]


def test_preparing_force_is_a_show_of_force_through_an_aspect_verb(pipeline: Pipeline) -> None:
    evs = events(pipeline, "The Macedonian army prepared to resume shelling the rebel villages near Tetovo.")
    main = main_event(evs)
    assert main["type"] == "MOBILIZE" and main["trigger"]["text"] == "prepared"
    assert find(evs, "ASSAULT")["embedded_in"] == main["id"]


def test_naming_in_words_of_blame_is_criticism(pipeline: Pipeline) -> None:
    main = main_event(events(pipeline, "The Iranian foreign minister called the American sanctions illegal."))
    assert main["type"] == "ACCUSE" and main["trigger"]["text"] == "called" and codes(main["source"]) == {"IRN"}
    main = main_event(events(pipeline, "Beijing described the Japanese plan as reckless."))
    assert main["type"] == "ACCUSE" and main["trigger"]["text"] == "described"
    # naming without blame is no event of criticism
    assert not [e for e in events(pipeline, "Russia called the meeting with Germany a success.") if e["type"] == "ACCUSE"]


def test_an_announced_verbal_act_is_that_act_and_a_pronoun_subject_keeps_it(pipeline: Pipeline) -> None:
    # "he" names no party the actors stage codes, but someone acts: the event is kept; an announced
    # refusal is a rejection, not a threat
    main = main_event(events(pipeline, "He will refuse to answer any questions from the panel."))
    assert main["type"] == "REJECT" and main["trigger"]["text"] == "refuse"
    # no subject and no party: still no event
    assert not events(pipeline, "The discussions are over.")
    # resisting a proposal is a rejection
    main = main_event(events(pipeline, "The Chinese steel industry pushed back hard against the European proposals."))
    assert main["type"] == "REJECT" and main["trigger"]["text"] == "pushed"


def test_prisoner_swaps_withdrawn_claims_and_denied_authority(pipeline: Pipeline) -> None:
    # a prisoner swap releases persons; trading goods stays economic cooperation
    main = main_event(events(pipeline, "Russia traded two American detainees for a Russian arms dealer held by the United States."))
    assert main["type"] == "RETREAT" and main["cameo"] == "0841"
    assert main_event(events(pipeline, "Japan traded cars with South Korea."))["type"] == "COOPERATE"
    # withdrawing a demand or a lawsuit yields; withdrawing troops de-escalates
    assert main_event(events(pipeline, "Egypt withdrew its complaint against Sudan at the United Nations."))["type"] == "CONCEDE"
    assert main_event(events(pipeline, "Syria withdrew its troops from Lebanon."))["type"] == "RETREAT"
    # not recognizing a court's jurisdiction is a rejection
    main = main_event(events(pipeline, "Kenya does not recognize the jurisdiction of the International Criminal Court."))
    assert main["type"] == "REJECT" and main["trigger"]["text"] == "recognize"


def test_a_trip_made_for_an_act_reports_the_act(pipeline: Pipeline) -> None:
    main = main_event(events(pipeline, "The Kenyan foreign minister flew to Khartoum to appeal to Sudan for the release of the aid workers."))
    assert main["type"] == "REQUEST" and main["trigger"]["text"] == "flew" and codes(main["source"]) == {"KEN"}
    # announced, the trip's act is an intent
    main = main_event(events(pipeline, "The Gambian president will visit Senegal to mediate in the border dispute."))
    assert main["type"] == "AGREE"
    # a trip with no act in view stays a visit
    assert main_event(events(pipeline, "The Kenyan foreign minister flew to Khartoum on Monday."))["type"] == "CONSULT"


def test_a_denied_permission_is_a_rejection(pipeline: Pipeline) -> None:
    main = main_event(events(pipeline, "Israel would not allow the UN envoy to visit Gaza."))
    assert main["type"] == "REJECT" and main["cameo"] == "1245" and codes(main["source"]) == {"ISR"}


def test_one_actor_is_never_both_sides(pipeline: Pipeline) -> None:
    for text in ("Thousands of Saudi protesters rallied in Riyadh on Friday.",
                 "Egyptian demonstrators rioted in Cairo after the verdict."):
        for e in events(pipeline, text):
            assert not {a["start"] for a in e["source"]} & {a["start"] for a in e["target"]}, e["type"]



def test_trigger_senses_from_context(pipeline: Pipeline) -> None:
    # sport: the vocabulary of force between two countries' teams is no event
    assert not [e for e in events(pipeline, "India defeated Pakistan in the World Cup match in Colombo.")
                if e["trigger"]["text"] == "defeated"]
    # a labour strike is a protest, not an attack
    e = find(events(pipeline, "Teachers went on strike across Kenya over unpaid wages."), "PROTEST")
    assert e["cameo"] == "143"
    # a natural hazard kills without anyone acting
    assert not [e for e in events(pipeline, "An earthquake killed 300 people in eastern Turkey.") if e["type"] == "ASSAULT"]


def test_an_act_named_as_the_subject_is_the_main_event(pipeline: Pipeline) -> None:
    main = main_event(events(pipeline, "Serbia's refusal to free the detained Kosovo police officers derailed the talks with Pristina."))
    assert main["type"] == "REJECT" and codes(main["source"]) == {"SRB"}


def test_force_vocabulary_in_political_reporting(pipeline: Pipeline) -> None:
    # an attack on a person with no weapon or casualty named is criticism
    e = find(events(pipeline, "Senator Warren attacked President Obama over the trade deal on Tuesday."), "ACCUSE")
    assert e["cameo"] == "111" and codes(e["target"]) == {"USA"}
    # armed attacks keep their code
    assert find(events(pipeline, "Militants attacked Nigerian soldiers near Maiduguri, killing five."), "ASSAULT")
    # a contest or a cause is no fight; fighting between two countries' forces or peoples is
    for text in ("Governor Cuomo is battling Mayor de Blasio for control of the state party.",
                 "Chancellor Merkel vowed to fight for lower taxes in Germany."):
        assert not [e for e in events(pipeline, text) if e["type"] == "ASSAULT"], text
    assert find(events(pipeline, "Moscow closed the border because of fighting between Georgians and Abkhazians."), "ASSAULT")
    # seizing on an issue seizes nothing
    assert not [e for e in events(pipeline, "The French president seized on the unemployment figures in his speech.")
                if e["type"] == "COERCE"]


def test_a_persons_attack_and_a_retort_are_criticism(pipeline: Pipeline) -> None:
    # an attack whose actor is a person, on no state and with no violence named, is criticism
    for text in ("Senator Rubio's attacks on Governor Christie were echoed by his campaign.",
                 "Clinton's attack on the senator's record drew applause."):
        evs = events(pipeline, text)
        assert find(evs, "ACCUSE")["cameo"] == "111", text
        assert not [e for e in evs if e["type"] == "ASSAULT"], text
    # a state's or an armed group's attack stays an attack
    assert find(events(pipeline, "Russia's attack on Georgia was condemned in Brussels."), "ASSAULT")
    # "shot back", "fired back at": a reply in words, unless the sentence is about violence
    for text in ('"That is a lie," Senator Cruz shot back on Tuesday.',
                 "Former Mexican president Vicente Fox fired back at Senator Cruz over the wall."):
        evs = events(pipeline, text)
        assert find(evs, "ACCUSE")["cameo"] == "111", text
        assert not [e for e in evs if e["type"] == "ASSAULT"], text
    assert find(events(pipeline, "After the attacks, Israeli troops fired back at Hamas fighters in Gaza."), "ASSAULT")


def test_a_police_raid_is_coercion(pipeline: Pipeline) -> None:
    e = find(events(pipeline, "Russian police raided the offices of the human rights group Memorial in Moscow."), "COERCE")
    assert e["trigger"]["text"] == "raided"
    assert find(events(pipeline, "Israeli troops raided the Jenin refugee camp, killing two gunmen."), "ASSAULT")


def test_an_event_noun_asked_for_is_embedded_in_the_request(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Senator Cruz called for a ban on Syrian refugees.")
    request = find(evs, "REQUEST")
    asked = [e for e in evs if e is not request and e.get("embedded_in")]
    assert asked and asked[0]["embedded_in"] == request["id"] and asked[0]["modality"] == "hypothetical"
    assert not [e for e in evs if e is not request and not e.get("embedded_in")]
    assert request["main"]


def test_subpoenas_tariffs_and_lifted_warnings(pipeline: Pipeline) -> None:
    assert find(events(pipeline, "A Republican senator subpoenaed the French ambassador to testify before the committee."), "REQUEST")
    assert find(events(pipeline, "The U.S. State Department issued subpoenas to the Clinton Foundation."), "REQUEST")["cameo"] == "100"
    e = find(events(pipeline, "Washington slapped tariffs on Chinese steel on Monday."), "COERCE")
    assert e["cameo"] == "163" and codes(e["source"]) == {"USA"}
    e = find(events(pipeline, "The State Department lifted its warning against travel to Kenya."), "CONCEDE")
    assert codes(e["target"]) == {"KEN"}


def test_sense_conditions_read_from_data() -> None:
    from legation.events.lexicon import Sense

    sense = Sense("retort", frozenset({"shoot"}), (), frozenset(), frozenset(), "111",
                  unless=frozenset({"shoot", "gun"}), particles=frozenset({"back"}))
    # the trigger's own word is no context; another word of the list is
    assert sense.applies("shoot", "193", {"shoot", "senator"}, None, particles={"back"})
    assert not sense.applies("shoot", "193", {"shoot", "gun"}, None, particles={"back"})
    assert not sense.applies("shoot", "193", {"shoot"}, None, particles=set())


def test_reporting_vocabulary_is_no_event(pipeline: Pipeline) -> None:
    # talking about a topic, a reporter's request for comment, offering a glimpse: no events
    for text in ("The Canadian prime minister talked about the economy at length on Monday.",
                 "A spokesman for the German chancellor did not respond to a request for comment.",
                 "The French report offered a glimpse into the election campaign."):
        assert not events(pipeline, text), text
    # talking with someone is a consultation; offering to act or offering an apology is an event
    assert find(events(pipeline, "Russian officials talked with Chinese diplomats about the border."), "CONSULT")
    assert find(events(pipeline, "Turkey offered to mediate between Russia and Ukraine."), "AGREE")
    e = find(events(pipeline, "The Japanese foreign minister offered South Korea an apology for the remarks."), "SUPPORT")
    assert e["cameo"] == "055" and codes(e["target"]) == {"KOR"}


def test_an_event_named_again_is_coded_once(pipeline: Pipeline) -> None:
    text = ("Gunmen attacked a police station in Quetta, Pakistan, on Monday. "
            "Pakistan's prime minister condemned the attack and ordered an inquiry. "
            "The attack was the third this month.")
    assaults = [e for e in events(pipeline, text) if e["type"] == "ASSAULT"]
    assert len(assaults) == 1 and assaults[0]["trigger"]["text"] == "attacked"
    # two different attacks told as such stay two events
    text = "Israeli jets attacked Gaza on Monday. Syrian rebels launched an attack on Aleppo on Tuesday."
    assert len([e for e in events(pipeline, text) if e["type"] == "ASSAULT"]) == 2


def test_agreeing_with_a_view_is_no_agreement(pipeline: Pipeline) -> None:
    for text in ("Senior Russian generals agree with him, the Kremlin said.",
                 "Experts in Brazil agree that the plan will fail."):
        assert not [e for e in events(pipeline, text) if e["type"] == "AGREE"], text
    assert find(events(pipeline, "Kerry agreed with Lavrov on a cease-fire in Syria."), "AGREE")
