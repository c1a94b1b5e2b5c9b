"""The Rasa server sends the domain only to the actions that read it (enable_selective_domain in
endpoints.yml, send_domain in domain.yml): the "did you mean" suggestions, labelled from the
domain's responses, must still be labelled through the real servers."""
import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.responses import find

pytestmark = pytest.mark.e2e


def test_suggestions_are_labelled_from_the_domain(chat):
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    message = find(chat.say("selective-domain", "programme"), "utter_did_you_mean")  # too vague: NLU is unsure
    assert message, "a one-word question gets suggestions"
    titles = [button["title"] for button in message["buttons"]]
    assert domain["responses"]["utter_label_human_handoff"][0]["text"] in titles
    assert len(titles) >= 2 and all(isinstance(t, str) and t for t in titles)


def test_only_the_actions_that_read_the_domain_are_sent_it():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    readers = {name for entry in domain["actions"] if isinstance(entry, dict)
               for name, config in entry.items() if config.get("send_domain")}
    readers |= {entry for entry in domain["actions"] if isinstance(entry, str) and entry.startswith("validate_")}
    source = {path.name: path.read_text() for path in (PROJECT_ROOT / "actions").glob("*.py")}
    # Actions that look into the domain they are passed (rather than just accepting it).
    assert "domain.get(" in source["suggest_action.py"] and "action_suggest_intents" in readers
    for name, text in source.items():
        if name != "suggest_action.py":
            assert "domain.get(" not in text and "domain[" not in text, name
    for endpoints in ("endpoints.yml", "endpoints.production.yml"):
        assert yaml.safe_load((PROJECT_ROOT / endpoints).read_text())["action_endpoint"]["enable_selective_domain"]
