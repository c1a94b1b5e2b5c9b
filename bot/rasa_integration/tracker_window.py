"""Trackers of long conversations cut to their recent turns, so message 600 costs what message 10 does.

Rasa's SQL tracker store reads every event of the conversation's session on every message and
rebuilds the tracker from all of them; the policies then compute states over the whole history
and the action server is sent all of it. With about 7 events a message, message 600 of one
conversation took some 25 times as long as message 1 (`make bench`).

What a reply depends on is the recent turns (the policies look 4 turns back; an escalation quotes
the last 5 questions) and the state they start from: slot values and the active form. So a long
session is handed to Rasa as a subset of its stored events, in their order:

* the session's opening events (before its first user message: the session start);
* the latest event of each slot and the latest `active_loop` event before the window: the state;
* every event of the last WINDOW_TURNS user turns, reaching back to the message that started the
  form when a form is active (Rasa's form logic looks at the form's whole run).

Nothing else before the window may change state for this to be exact; when something else is
there (a restart, rewind, undo, slot reset, pause, follow-up...) the whole session is read, as Rasa
does. Saving writes only the events added since the subset was read. Rasa's
`retrieve_full_tracker` (exports, transcripts) still reads everything.

A short session is read whole in one query, and saving does not count the stored events again
(Rasa's store does, before every save); an index on (conversation, type, name, time) lets the
session's start be found and a long session's earlier events be grouped without reading them.
"""
from __future__ import annotations

import itertools
import json
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, NamedTuple, Optional, Sequence, Text, Tuple

import sqlalchemy as sa
from rasa.shared.core.trackers import DialogueStateTracker

WINDOW_TURNS = 8
TAIL_ROWS = 200  # the latest events read at once (about 25 turns): a short session whole
SUMMARIES_KEPT = 10_000  # conversations whose earlier events are remembered grouped
STATE_TYPES = frozenset({"slot", "active_loop"})  # their latest event holds the state
# Events whose effect ends with their turn, or is carried by the next user message or by the
# latest active_loop event (loop interruptions and rejections concern the active form only).
TRANSIENT_TYPES = frozenset({"user", "bot", "action", "session_started", "user_featurization", "entities",
                             "loop_interrupted", "action_execution_rejected", "agent"})


class EventRow(NamedTuple):
    id: int
    type_name: str
    name: Optional[str]  # the SQL store's action_name column: an action's, slot's or loop's name


def window_start(tail: Sequence[EventRow], turns: int) -> Optional[int]:
    """Id of the first event of the last `turns` user turns, given the session's latest events in
    order; None when they hold `turns` user messages or fewer (a short session: read it whole)."""
    users = [row.id for row in tail if row.type_name == "user"]
    return users[-turns] if len(users) > turns else None


def form_opener(tail: Sequence[EventRow], loop_event_id: int) -> Optional[int]:
    """Id of the user message after which the `active_loop` event `loop_event_id` started a form."""
    users = [row.id for row in tail if row.type_name == "user" and row.id < loop_event_id]
    return users[-1] if users else None


Groups = Dict[Tuple[str, Optional[str]], Tuple[int, int]]  # (type, name) -> (highest id, lowest id)


def add_rows(groups: Groups, rows: Sequence[EventRow]) -> Groups:
    """`groups` with `rows` counted in (a new mapping)."""
    merged = dict(groups)
    for row in rows:
        key = (row.type_name, row.name)
        top, low = merged.get(key, (row.id, row.id))
        merged[key] = (max(top, row.id), min(low, row.id))
    return merged


class Summary(NamedTuple):
    """What the events before the window add up to."""
    types: frozenset
    first_user_id: Optional[int]
    state_ids: List[int]  # the latest event of each slot, and the latest active_loop event
    active_form_event: Optional[int]  # the latest active_loop event when it started a form (None: no form)

    @classmethod
    def of(cls, groups: Groups) -> "Summary":
        """groups: the events before the window, by (type name, name): (highest id, lowest id)."""
        slots = [top for (kind, _), (top, _) in groups.items() if kind == "slot"]
        loops = sorted((top, name) for (kind, name), (top, _) in groups.items() if kind == "active_loop")
        users = [low for (kind, _), (_, low) in groups.items() if kind == "user"]
        latest_loop = loops[-1] if loops else None
        return cls(frozenset(kind for kind, _ in groups), min(users) if users else None,
                   sorted(slots + ([latest_loop[0]] if latest_loop else [])),
                   latest_loop[0] if latest_loop and latest_loop[1] else None)

    @property
    def summarisable(self) -> bool:
        """Every earlier event either leaves no lasting state or is kept as state."""
        return self.first_user_id is not None and self.types <= STATE_TYPES | TRANSIENT_TYPES


if TYPE_CHECKING:
    # The store the mixin goes into, for the type checker: its engine, tables, queries and the
    # methods it extends through super(). At run time the mixin's base is object (the MRO of
    # SQLiteTrackerStore puts Rasa's class after it).
    from rasa.core.tracker_store import SQLTrackerStore as _MixedInto
else:
    _MixedInto = object


class WindowedTrackers(_MixedInto):
    """For a SQLTrackerStore subclass: `retrieve` hands out windowed trackers of long sessions and
    `save` appends only what was added to them (see the module)."""

    window_turns = WINDOW_TURNS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stored_events: Dict[int, int] = {}  # id(windowed tracker) -> how many of its events are stored
        # Per conversation: (session start, first id of the window, the groups before it). The next
        # message moves the window by a turn, and the rows it passes are in the tail just read:
        # grouping the whole earlier session again each time would grow with the conversation.
        self._summaries: "OrderedDict[Text, Tuple[Any, int, Groups]]" = OrderedDict()
        # Rasa indexes the events by conversation only: finding a session's start or grouping its
        # earlier events would read every stored event of the conversation (several KB each).
        # (Plain DDL: an Index object would join Rasa's table definition, which Rasa creates itself.)
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS ix_events_sender_type ON "
                                       f"{self.SQLEvent.__tablename__} (sender_id, type_name, action_name, timestamp)"))

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        events = self._session_events(sender_id) if self.domain else None
        if events is None:  # something before the window it cannot stand for: Rasa reads it all
            return await super().retrieve(sender_id)
        if not events:
            return None  # no such conversation (as Rasa answers)
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        key = id(tracker)
        # Trackers define __eq__ without a hash: they are known by identity, and forgotten with them.
        weakref.finalize(tracker, self._stored_events.pop, key, None)
        self._stored_events[key] = len(tracker.events)
        return tracker

    def _session_events(self, sender_id: Text) -> Optional[List[Dict[Text, Any]]]:
        """The latest session's events: all of them when the session is short, else the window
        (see the module); None when the window cannot stand for the session. One query for a
        short session; for a long one, its latest TAIL_ROWS events, the earlier ones grouped on
        the index (not read), and the few kept from before the window."""
        event = self.SQLEvent
        with self.session_scope() as session:
            # Rasa's own query for the latest session's events: sessions are cut exactly as Rasa does.
            events = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).order_by(None)
            latest = events.with_entities(event.id, event.type_name, event.action_name, event.data) \
                .order_by(event.id.desc()).limit(TAIL_ROWS).all()[::-1]
            tail = [EventRow(row_id, kind, name) for row_id, kind, name, _ in latest]
            data = {row_id: text for row_id, _, _, text in latest}
            start = window_start(tail, self.window_turns)
            if start is None:
                # Short enough to hand over whole, if the latest events are all of it.
                return [json.loads(text) for text in data.values()] if len(latest) < TAIL_ROWS else None

            session_start = session.query(sa.func.max(event.timestamp)).filter(
                event.sender_id == sender_id, event.type_name == "session_started").scalar()

            def summary_before(first_kept: int) -> Summary:
                known = self._summaries.get(sender_id)
                if known and known[0] == session_start and tail[0].id <= known[1] <= first_kept:
                    groups = add_rows(known[2], [row for row in tail if known[1] <= row.id < first_kept])
                else:  # grouped on the index, not read
                    groups = {(kind, name): (top, low) for kind, name, top, low in events.with_entities(
                        event.type_name, event.action_name, sa.func.max(event.id), sa.func.min(event.id))
                        .filter(event.id < first_kept).group_by(event.type_name, event.action_name)}
                self._summaries[sender_id] = (session_start, first_kept, groups)
                self._summaries.move_to_end(sender_id)
                if len(self._summaries) > SUMMARIES_KEPT:
                    self._summaries.popitem(last=False)
                return Summary.of(groups)

            summary = summary_before(start)
            if summary.active_form_event is not None:  # a form is active: keep its whole run
                start = form_opener(tail, summary.active_form_event)
                if start is None:
                    return None
                summary = summary_before(start)
            if not summary.summarisable:
                return None
            opening = events.with_entities(event.id).filter(event.id < summary.first_user_id)
            kept = session.query(event.data).filter(event.id.in_([row_id for (row_id,) in opening] +
                                                                 summary.state_ids)).order_by(event.id).all()
            return [json.loads(text) for (text,) in kept] + \
                [json.loads(text) for row_id, text in data.items() if row_id >= start]

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = self._stored_events.get(id(tracker))
        if stored is None:  # not read here (new, or read by Rasa): Rasa counts what is stored
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if id(tracker) in self._stored_events:
            self._stored_events[id(tracker)] = len(tracker.events)
