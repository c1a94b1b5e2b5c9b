"""Work-arounds for costs inside Rasa 3.6 itself, applied in the Rasa server process
(bot.rasa_integration.channels, which every `rasa run` of ours loads through credentials.yml, applies them).

Action server responses: Rasa validates every custom action's response with
`jsonschema.validate(response, schema)`, which first checks the *schema* against JSON Schema's
2020-12 meta-schema. With jsonschema 4 that check alone cost about 120 ms per custom action call
here (`make bench` profile; RasaHQ/rasa#11717), more than everything else in a reply together. The
schema is Rasa's constant, so here it is checked once, and each response is still validated against
it by the same validator class; an invalid response goes on to Rasa's own method, which raises
Rasa's usual error.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

_RASA_VALIDATION = RemoteAction._validate_action_result


def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)  # what jsonschema.validate picks
    validator_class.check_schema(schema)
    return validator_class(schema)


_VALIDATOR = _action_response_validator()


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if exceptions.best_match(_VALIDATOR.iter_errors(result)) is None:
        return True
    return _RASA_VALIDATION(self, result)  # raises Rasa's ValidationError with its explanation


_RASA_RESOLVE_BY_TYPE = Event.resolve_by_type
_EVENT_CLASSES: Dict[Text, type] = {}


def _resolve_by_type(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        found = _RASA_RESOLVE_BY_TYPE(type_name, default)  # may return the default, None, or raise
        if found is not None and getattr(found, "type_name", None) == type_name:
            _EVENT_CLASSES[type_name] = found
    return found


def apply() -> None:
    """Idempotent: every channel instance may call it."""
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
