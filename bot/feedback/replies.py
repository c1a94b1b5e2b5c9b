"""Which kind of reply a bot message is, for the feedback loop: a fallback, an out-of-scope reply,
"the page does not say", or anything else. Read from the response name Rasa records with the
message (``metadata.utter_action``), else from its text matched against domain.yml's responses
(bot/responses.py), so a reply is classified the same way `make evaluate` judges it."""
from __future__ import annotations

from typing import Iterable, Optional

from bot.responses import names_of

FALLBACK = frozenset({"utter_default", "utter_did_you_mean"})
OUT_OF_SCOPE = frozenset({"utter_out_of_scope"})
# actions/honesty.py: a page gap is said with utter_not_on_page (or _body); the other "the page does
# not give it" replies name what the page lacks for one edition or place.
NOT_ON_PAGE = frozenset({"utter_not_on_page", "utter_not_on_page_body", "utter_edition_length_unknown",
                         "utter_edition_participants_unknown", "utter_edition_cities_unknown",
                         "utter_place_region_unknown"})
KNOWLEDGE_ACTION = "action_answer"


def response_names(bot_data: dict) -> set[str]:
    named = (bot_data.get("metadata") or {}).get("utter_action")
    if isinstance(named, str) and named:
        return {named}
    return names_of(str(bot_data.get("text") or ""))


def reason_of(names: Iterable[str]) -> Optional[str]:
    """The reason a turn counts as unanswered, from the response names of its replies (a gap wins
    over the fallback it may come with), or None when it was answered."""
    found = set(names)
    if found & NOT_ON_PAGE:
        return "not_on_page"
    if found & OUT_OF_SCOPE:
        return "out_of_scope"
    if found & FALLBACK:
        return "fallback"
    return None
