"""The project's spaCy pipeline: blank English plus an entity ruler from the knowledge base."""
import spacy

from bot.rasa_integration.spacy_pipeline import build_pipeline


def entities(nlp, text):
    return [(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


def test_the_ruler_finds_names_and_aliases_case_insensitively(kb_names, tmp_path):
    build_pipeline(kb_names, tmp_path / "en_clair")
    nlp = spacy.load(tmp_path / "en_clair")
    assert ("fukuoka", "prefecture", "Fukuoka") in entities(nlp, "sister cities of fukuoka")
    assert ("Saigon", "place", "Ho Chi Minh City") in entities(nlp, "who is Saigon twinned with")
    assert ("Viet Nam", "country", "Vietnam") in entities(nlp, "affiliations with Viet Nam")
    assert ("La Trinidad", "place", "La Trinidad") in entities(nlp, "La Trinidad partners")


def test_short_codes_match_only_in_capitals(kb_names, tmp_path):
    build_pipeline(kb_names, tmp_path / "en_clair")
    nlp = spacy.load(tmp_path / "en_clair")
    assert ("SEA", "position", "SEA") in entities(nlp, "what does an SEA do")
    assert entities(nlp, "a city by the sea") == []


def test_rebuilding_with_the_same_names_is_skipped_and_new_names_rebuild(kb_names, tmp_path):
    target = tmp_path / "en_clair"
    assert build_pipeline(kb_names, target) is True
    assert build_pipeline(kb_names, target) is False
    assert build_pipeline(kb_names + [("place", "Atlantis", "Atlantis")], target) is True
    assert ("Atlantis", "place", "Atlantis") in entities(spacy.load(target), "Atlantis sister city")


def test_an_organisation_name_is_not_read_as_a_country(kb_names, tmp_path):
    names = kb_names + [("organisation", "CLAIR Singapore", "CLAIR Singapore")]
    build_pipeline(names, tmp_path / "en_clair")
    nlp = spacy.load(tmp_path / "en_clair")
    assert ("Singapore", "country", "Singapore") in entities(nlp, "sister cities in Singapore")
    assert [e[1] for e in entities(nlp, "how does CLAIR Singapore help")] == ["organisation"]
