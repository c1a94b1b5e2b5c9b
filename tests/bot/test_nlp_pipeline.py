"""The project's spaCy pipeline: blank English plus an entity ruler from the knowledge base."""
import spacy

from bot.nlp_pipeline import build_pipeline


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
