"""Work-arounds inside the Rasa server (bot/rasa_integration/rasa_patches.py). Action responses: the schema is
checked once, responses are still validated exactly as Rasa does, and a bad response still fails
with Rasa's error. Reading events: the same classes as Rasa's search, remembered by name."""
import pytest
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction

import bot.rasa_integration.channels  # noqa: F401  (applies the patches, as in the Rasa server)
from bot.rasa_integration import rasa_patches

GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "topic", "value": "sister_cities", "timestamp": None}],
     "responses": [{"response": "utter_sister_cities", "text": None, "buttons": [], "prefecture": "Fukuoka"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "slot", "name": "requested_slot", "value": None}],
     "responses": []},
    {},
]
BAD = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot", "name": 42}], "responses": []},
    {"events": [], "responses": ["a string, not an object"]},
    {"events": [{"event": "no_such_event"}]},
]


def remote_action():
    return RemoteAction("action_answer", None)


def test_the_rasa_server_uses_our_validation_once_channels_are_loaded():
    assert RemoteAction._validate_action_result is rasa_patches._validate_action_result


@pytest.mark.parametrize("response", GOOD)
def test_valid_responses_pass_as_with_rasa(response):
    assert remote_action()._validate_action_result(response) is True
    assert rasa_patches._RASA_VALIDATION(remote_action(), response) is True


@pytest.mark.parametrize("response", BAD)
def test_invalid_responses_fail_with_rasas_error(response):
    with pytest.raises(ValidationError) as ours:
        remote_action()._validate_action_result(response)
    with pytest.raises(ValidationError) as rasas:
        rasa_patches._RASA_VALIDATION(remote_action(), response)
    assert "Failed to validate Action server response" in ours.value.message
    assert ours.value.message == rasas.value.message


def test_the_schema_is_not_checked_again_for_each_response(monkeypatch):
    checks = []
    validator_class = validators.validator_for(RemoteAction.action_response_format_spec())
    original = validator_class.check_schema
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s: checks.append(s) or original(s)))
    for response in GOOD:
        remote_action()._validate_action_result(response)
    assert checks == []
    rasa_patches._RASA_VALIDATION(remote_action(), GOOD[0])  # Rasa's own checks it every time
    assert len(checks) == 1


# -- reading events ------------------------------------------------------------------------------
def test_events_are_read_back_as_the_same_classes():
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered

    assert Event.resolve_by_type is rasa_patches._resolve_by_type
    for event in (UserUttered("hi", {"name": "greet"}), ActionExecuted("action_listen"), SlotSet("topic", "jet"),
                  ActiveLoop("affiliation_form"), SessionStarted()):
        for _ in range(2):  # found by Rasa's search, then remembered
            assert Event.from_parameters(event.as_dict()) == event
    assert rasa_patches._EVENT_CLASSES["slot"] is SlotSet


def test_unknown_event_names_behave_as_in_rasa():
    from rasa.shared.core.events import Event, SlotSet

    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert "no_such_event" not in rasa_patches._EVENT_CLASSES  # a default is not remembered
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_still_found():
    from rasa.shared.core.events import Event, SlotSet

    class CustomEvent(SlotSet):
        type_name = "clair_test_custom_event"

    assert Event.resolve_by_type("clair_test_custom_event") is CustomEvent
