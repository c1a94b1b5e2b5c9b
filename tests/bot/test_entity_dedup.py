from bot.rasa_integration.nlu_components import unique_spans


def test_the_first_extractor_wins_on_the_same_or_overlapping_span():
    ruler = {"entity": "place", "value": "La Trinidad", "start": 8, "end": 19, "extractor": "SpacyEntityExtractor"}
    crf_same = {"entity": "place", "value": "La Trinidad", "start": 8, "end": 19, "extractor": "CRFEntityExtractor"}
    crf_part = {"entity": "prefecture", "value": "Trinidad", "start": 11, "end": 19, "extractor": "CRFEntityExtractor"}
    other = {"entity": "country", "value": "Japan", "start": 30, "end": 35, "extractor": "CRFEntityExtractor"}
    assert unique_spans([ruler, crf_same, crf_part, other]) == [ruler, other]


def test_entities_without_positions_are_kept():
    injected = {"entity": "prefecture", "value": "Osaka"}
    assert unique_spans([injected, dict(injected)]) == [injected, injected]
