"""The one list of answer intents (actions/answer_handlers.py) against what Rasa is given: each
handler's intent is a domain intent with its rule to action_answer, and another in the middle of the
inquiry form; no rule sends an intent to action_answer that no handler answers."""
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

from actions.answer_action import NEEDS_A_NAME, TOPIC_ONLY
from actions.answer_handlers import ANSWER_INTENTS, FOLLOWUP_INTENT, HANDLERS
from actions.inquiry_form import ANSWERED_MID_FORM

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORM = "affiliation_form"


def _rules() -> List[Dict]:
    rules = []
    for path in sorted((PROJECT_ROOT / "data").glob("rules*.yml")):
        rules += yaml.safe_load(path.read_text(encoding="utf-8")).get("rules") or []
    return rules


def _answered_by_rules(rules: List[Dict], in_form: bool) -> Set[str]:
    """The intents whose rule runs action_answer right after them (and then resumes the form)."""
    found = set()
    for rule in rules:
        conditions = rule.get("condition") or []
        if in_form != ({"active_loop": FORM} in conditions):
            continue
        steps = rule["steps"]
        for at, step in enumerate(steps[:-1]):
            if "intent" in step and steps[at + 1] == {"action": "action_answer"}:
                resumes = steps[at + 2:at + 3] == [{"action": FORM}]
                if not in_form or resumes:
                    found.add(step["intent"])
    return found


@pytest.fixture(scope="module")
def rules():
    return _rules()


def test_the_answer_intents_are_the_handlers():
    assert ANSWER_INTENTS == frozenset(HANDLERS) and ANSWER_INTENTS
    assert FOLLOWUP_INTENT not in HANDLERS  # answered from the previous answer's topic instead


def test_every_answer_intent_is_a_domain_intent(domain):
    assert ANSWER_INTENTS | {FOLLOWUP_INTENT} <= set(domain["intents"])


@pytest.mark.parametrize("in_form", [False, True], ids=["rules", "in the middle of the form"])
def test_every_answer_intent_has_its_rule(rules, in_form):
    missing = ANSWER_INTENTS - _answered_by_rules(rules, in_form)
    assert not missing, f"answer intents without a rule to action_answer: {sorted(missing)}"


@pytest.mark.parametrize("in_form", [False, True], ids=["rules", "in the middle of the form"])
def test_no_rule_sends_an_intent_without_a_handler_to_action_answer(rules, in_form):
    unhandled = _answered_by_rules(rules, in_form) - ANSWER_INTENTS - {FOLLOWUP_INTENT}
    assert not unhandled, f"rules send these to action_answer, which has no handler for them: {sorted(unhandled)}"


def test_the_form_lets_every_answer_intent_through():
    assert ANSWER_INTENTS | {FOLLOWUP_INTENT} <= ANSWERED_MID_FORM


def test_the_answer_action_names_only_handled_intents():
    assert NEEDS_A_NAME <= ANSWER_INTENTS and TOPIC_ONLY <= ANSWER_INTENTS


def test_the_rule_check_sees_a_missing_and_an_unhandled_rule():
    rules = [{"rule": "a", "steps": [{"intent": "sister_cities"}, {"action": "action_answer"}]},
             {"rule": "b", "steps": [{"intent": "weather"}, {"action": "action_answer"}]},
             {"rule": "c", "condition": [{"active_loop": FORM}],
              "steps": [{"intent": "jetaa"}, {"action": "action_answer"}, {"action": FORM}, {"active_loop": FORM}]},
             {"rule": "d", "condition": [{"active_loop": FORM}],
              "steps": [{"intent": "repp_first"}, {"action": "action_answer"}]}]  # does not resume the form
    assert _answered_by_rules(rules, in_form=False) == {"sister_cities", "weather"}
    assert _answered_by_rules(rules, in_form=True) == {"jetaa"}
