"""The existing answers a group of unanswered messages can be pointed to: the intents the assistant
answers (actions/answer_handlers.py, the one list), plus a request for a partner city and talking to
a person, labelled as the "did you mean" buttons label them (domain.yml's utter_label_*)."""
from __future__ import annotations

from functools import lru_cache

import yaml

from bot.settings import PROJECT_ROOT

EXTRA_INTENTS = ("request_affiliation", "human_handoff")


@lru_cache(maxsize=1)
def answer_choices() -> dict[str, str]:
    """intent -> label, in label order."""
    from actions.answer_handlers import ANSWER_INTENTS  # imported late: it loads the actions package

    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]

    def label(intent: str) -> str:
        variants = responses.get(f"utter_label_{intent}")
        if variants:
            return str(variants[0]["text"])
        return intent.replace("_", " ").capitalize()

    intents = sorted(ANSWER_INTENTS) + list(EXTRA_INTENTS)
    return dict(sorted(((i, f"{label(i)} ({i})") for i in intents), key=lambda item: item[1].lower()))
