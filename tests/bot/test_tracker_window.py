"""Long conversations are handed to Rasa as their recent turns plus the state they start from
(bot/rasa_integration/tracker_window.py): the state, the recent history the policies see and what gets stored must
be exactly those of the whole conversation; anything the window cannot stand for is read whole."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionExecutionRejected, ActiveLoop, BotUttered,
                                     ConversationPaused, ConversationResumed, Restarted, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import PROJECT_ROOT
from bot.rasa_integration.sqlite_tracker_store import SQLiteTrackerStore
from bot.rasa_integration.tracker_window import (WINDOW_TURNS, EventRow, Summary, add_rows, form_opener,
                                                 window_start)

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
FORM = "affiliation_form"


# -- the choice of events, on rows -------------------------------------------------------------
def rows(*kinds):
    return [EventRow(number, kind, name) for number, (kind, name) in enumerate(kinds, start=1)]


def test_window_starts_at_the_user_message_of_the_last_turns():
    tail = rows(("user", None), ("bot", None), ("user", None), ("action", "x"), ("user", None), ("bot", None))
    assert window_start(tail, 2) == 3
    assert window_start(tail, 3) is None  # three turns or fewer: the whole session is read


def test_a_form_reaches_back_to_the_message_that_opened_it():
    tail = rows(("user", None), ("action", FORM), ("active_loop", FORM), ("user", None), ("user", None))
    assert form_opener(tail, 3) == 1
    assert form_opener(tail[1:], 3) is None  # its opener is not among the latest events: read it whole


def test_summary_keeps_the_latest_event_of_each_slot_and_of_the_form():
    summary = Summary.of({("user", None): (40, 3), ("slot", "topic"): (38, 6), ("slot", "context_year"): (21, 21),
                          ("active_loop", FORM): (12, 12), ("active_loop", None): (30, 30),
                          ("action", "action_listen"): (41, 2)})
    assert summary.state_ids == [21, 30, 38]
    assert summary.first_user_id == 3
    assert summary.active_form_event is None and summary.summarisable
    active = Summary.of({("user", None): (9, 3), ("active_loop", None): (5, 5), ("active_loop", FORM): (8, 8)})
    assert active.active_form_event == 8


@pytest.mark.parametrize("kind", ["restart", "rewind", "undo", "reset_slots", "pause", "resume", "followup", "form"])
def test_events_with_lasting_effects_before_the_window_mean_reading_it_whole(kind):
    assert not Summary.of({("user", None): (9, 3), (kind, None): (5, 5)}).summarisable


def test_rows_passed_by_the_window_are_added_to_the_groups():
    groups = {("user", None): (10, 3), ("slot", "topic"): (8, 8)}
    moved = add_rows(groups, rows(*[("x", None)] * 10) + [EventRow(11, "user", None), EventRow(12, "slot", "topic"),
                                                          EventRow(13, "slot", "context_year")])
    assert moved[("user", None)] == (11, 3) and moved[("slot", "topic")] == (12, 8)
    assert moved[("slot", "context_year")] == (13, 13)
    assert groups == {("user", None): (10, 3), ("slot", "topic"): (8, 8)}  # the cached groups stay as they were


# -- the store, against Rasa's own -------------------------------------------------------------
@pytest.fixture
def stores(tmp_path):
    """Our store and Rasa's, on the same database file."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    ours = SQLiteTrackerStore(domain=DOMAIN, host=url)
    rasas = SQLTrackerStore(domain=DOMAIN, host=url)
    yield ours, rasas
    ours.engine.dispose()
    rasas.engine.dispose()


def session_start():
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def question(n):
    """A knowledge question and its answer, setting the context slots as action_answer does."""
    return [UserUttered(f"question {n}", {"name": "sister_cities", "confidence": 0.9}),
            ActionExecuted("action_answer"), BotUttered(f"answer {n}"),
            SlotSet("topic", "sister_cities"), SlotSet("context_prefecture", f"prefecture {n % 4}"),
            *([SlotSet("context_year", str(2000 + n))] if n % 3 == 0 else []),
            ActionExecuted("action_listen")]


def form_start():
    return [UserUttered("we want a sister city", {"name": "request_affiliation", "confidence": 0.9}),
            ActionExecuted(FORM), ActiveLoop(FORM), SlotSet("requested_slot", "organisation"),
            BotUttered("Which organisation?"), ActionExecuted("action_listen")]


def form_answer(slot, value, next_slot):
    return [UserUttered(value, {"name": "inform", "confidence": 0.9}), ActionExecuted(FORM), SlotSet(slot, value),
            SlotSet("requested_slot", next_slot), BotUttered(f"And {next_slot}?"), ActionExecuted("action_listen")]


def form_interrupted(n):
    """A knowledge question asked in the middle of the form; the form then asks again."""
    return [UserUttered(f"question {n}", {"name": "jet_about", "confidence": 0.9}), ActionExecutionRejected(FORM),
            ActionExecuted("action_answer"), BotUttered(f"answer {n}"), ActionExecuted(FORM),
            BotUttered("Which organisation?"), ActionExecuted("action_listen")]


def form_end():
    return [UserUttered("cancel", {"name": "cancel", "confidence": 0.9}), ActionExecuted("action_cancel_inquiry"),
            ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("organisation", None),
            BotUttered("Cancelled."), ActionExecuted("action_listen")]


class Conversation:
    """Plays turns as Rasa's processor does (retrieve, add the turn's events, save) and keeps the
    whole conversation aside for comparison."""

    def __init__(self, store):
        self.store = store
        self.sender = f"visitor-{uuid.uuid4().hex[:8]}"
        self.whole = DialogueStateTracker(self.sender, DOMAIN.slots)

    def play(self, events):
        tracker = asyncio.run(self.store.retrieve(self.sender)) or DialogueStateTracker(self.sender, DOMAIN.slots)
        for event in events:
            tracker.update(event)
            self.whole.update(event)
        asyncio.run(self.store.save(tracker))
        return tracker

    def current(self):
        return asyncio.run(self.store.retrieve(self.sender))


def fresh_store_agrees(store, sender):
    """A store that has not followed the conversation (nothing remembered) reads the same events."""
    fresh = SQLiteTrackerStore(domain=DOMAIN, host=str(store.engine.url))
    try:
        return fresh._session_events(sender) == store._session_events(sender)
    finally:
        fresh.engine.dispose()


def assert_same_state(windowed, whole):
    assert windowed.current_slot_values() == whole.current_slot_values()
    assert windowed.active_loop == whole.active_loop
    assert windowed.latest_message.text == whole.latest_message.text
    assert windowed.latest_action == whole.latest_action
    assert windowed.is_paused() == whole.is_paused()
    # What the policies see: the states of the recent turns (they look 4 back).
    assert windowed.past_states(DOMAIN)[-6:] == whole.past_states(DOMAIN)[-6:]


def stored_events(rasas, sender):
    return asyncio.run(rasas.retrieve_full_tracker(sender)).events


def test_a_long_conversation_is_windowed_with_the_same_state_and_every_event_stored(stores):
    ours, rasas = stores
    talk = Conversation(ours)
    talk.play(session_start())
    for n in range(40):
        talk.play(question(n))
        windowed = talk.current()
        assert_same_state(windowed, talk.whole)
        assert list(stored_events(rasas, talk.sender)) == list(talk.whole.events)
    users = [e for e in windowed.events if isinstance(e, UserUttered)]
    assert [e.text for e in users] == [f"question {n}" for n in range(40 - WINDOW_TURNS, 40)]
    assert len(windowed.events) < len(talk.whole.events) / 3
    assert windowed.get_slot("context_year") == "2039"  # set by turn 39
    assert windowed.get_slot("context_prefecture") == "prefecture 3"
    assert fresh_store_agrees(ours, talk.sender)


def test_an_active_form_is_kept_from_the_message_that_opened_it(stores):
    ours, rasas = stores
    talk = Conversation(ours)
    talk.play(session_start())
    for n in range(12):
        talk.play(question(n))
    talk.play(form_start())
    talk.play(form_answer("organisation", "Kuching City", "organisation_country"))
    for n in range(12, 12 + WINDOW_TURNS + 2):  # more turns inside the form than the window holds
        talk.play(form_interrupted(n))
        windowed = talk.current()
        assert_same_state(windowed, talk.whole)
        assert fresh_store_agrees(ours, talk.sender)
    assert windowed.active_loop_name == FORM
    assert "we want a sister city" in [e.text for e in windowed.events if isinstance(e, UserUttered)]
    assert "question 11" not in [e.text for e in windowed.events if isinstance(e, UserUttered)]
    talk.play(form_end())
    for n in range(30, 30 + WINDOW_TURNS + 1):
        talk.play(question(n))
    windowed = talk.current()
    assert_same_state(windowed, talk.whole)
    assert windowed.active_loop_name is None and windowed.get_slot("organisation") is None
    assert list(stored_events(rasas, talk.sender)) == list(talk.whole.events)


@pytest.mark.parametrize("lasting", [lambda: [Restarted()], lambda: [ConversationPaused(), ConversationResumed()]],
                         ids=["restart", "pause"])
def test_events_with_lasting_effects_before_the_window_mean_the_whole_session_is_read(stores, lasting):
    ours, rasas = stores
    talk = Conversation(ours)
    talk.play(session_start())
    talk.play(question(0) + lasting())  # made now: an event older than the session is not in it
    for n in range(1, WINDOW_TURNS + 5):
        talk.play(question(n))
    assert ours._session_events(talk.sender) is None  # left to Rasa's own reading
    assert list(talk.current().events) == list(asyncio.run(rasas.retrieve(talk.sender)).events)
    assert list(stored_events(rasas, talk.sender)) == list(talk.whole.events)


def test_a_short_conversation_is_read_whole_as_rasa_reads_it(stores):
    ours, rasas = stores
    talk = Conversation(ours)
    talk.play(session_start())
    for n in range(WINDOW_TURNS):
        talk.play(question(n))
    assert list(talk.current().events) == list(asyncio.run(rasas.retrieve(talk.sender)).events)
    assert list(stored_events(rasas, talk.sender)) == list(talk.whole.events)


def test_an_unknown_conversation_is_none_as_with_rasa(stores):
    ours, _ = stores
    assert asyncio.run(ours.retrieve("nobody-said-anything")) is None


def test_only_the_latest_session_is_read(stores):
    ours, rasas = stores
    talk = Conversation(ours)
    talk.play(session_start())
    for n in range(WINDOW_TURNS + 3):
        talk.play(question(n))
    talk.play(session_start())  # the session expired; slots are not carried over
    for n in range(100, 100 + WINDOW_TURNS + 3):
        talk.play(question(n))
    windowed = talk.current()
    assert [e.text for e in windowed.events if isinstance(e, UserUttered)][0] == "question 103"
    assert windowed.get_slot("context_year") == "2108"  # the latest turn with a year (108)
    assert windowed.current_slot_values() == asyncio.run(rasas.retrieve(talk.sender)).current_slot_values()
    assert list(stored_events(rasas, talk.sender)) == list(talk.whole.events)
