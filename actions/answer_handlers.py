"""Which handler answers each knowledge intent: the one list of answer intents. Rules send these
intents to action_answer (data/rules.yml, and data/rules_inquiry.yml in the middle of the form),
and the inquiry form lets their questions through (actions/inquiry_form.py)."""
from __future__ import annotations

from typing import Callable, Dict

from actions import affiliation_answers as aff
from actions import jet_answers as jet
from actions import programme_answers as repp
from actions import support_answers as support
from actions.turn import Turn

HANDLERS: Dict[str, Callable[[Turn], None]] = {
    "sister_cities": aff.sister_cities,
    "sister_city_count": aff.sister_city_count,
    "list_as_of": aff.list_as_of,
    "repp_about": repp.repp_about,
    "repp_organisers": repp.repp_organisers,
    "repp_participants": repp.repp_participants,
    "repp_edition": repp.repp_edition,
    "repp_theme": repp.repp_theme,
    "repp_cancelled": repp.repp_cancelled,
    "repp_first": repp.repp_first,
    "repp_list": repp.repp_list,
    "repp_fy2015": repp.repp_fy2015,
    "seminar_about": repp.seminar_about,
    "jet_about": jet.jet_about,
    "jet_supporters": jet.jet_supporters,
    "jet_positions": jet.jet_positions,
    "jet_position_detail": jet.jet_position_detail,
    "jet_participation": jet.jet_participation,
    "jetaa": jet.jetaa,
    "support_services": support.support_services,
    "contact_office": support.contact_office,
}
ANSWER_INTENTS = frozenset(HANDLERS)
# Also sent to action_answer, with no handler of its own: it is answered from the previous answer's topic.
FOLLOWUP_INTENT = "followup"
