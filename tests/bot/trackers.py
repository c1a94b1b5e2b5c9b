"""Conversations built in memory for the tracker store tests."""
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def conversation(sender: str, turns: int = 3) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    for n in range(turns):
        tracker.update(UserUttered(f"message {n}", {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_greet"))
        tracker.update(BotUttered(f"reply {n}"))
        tracker.update(ActionExecuted("action_listen"))
    return tracker
