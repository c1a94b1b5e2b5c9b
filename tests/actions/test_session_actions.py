"""/restart and /session_start typed by a visitor get a reply; a session that starts by itself
says nothing (the visitor's first answer must not follow a greeting)."""
from actions.session_actions import ActionRestart, ActionSessionStart


def test_restart_replies_and_restarts(run_action):
    messages, events = run_action(ActionRestart(), text="/restart", intent="restart")
    assert [m["response"] for m in messages] == ["utter_restarted"]
    assert [e["event"] for e in events] == ["restart"]


def test_a_typed_session_start_greets(run_action):
    messages, events = run_action(ActionSessionStart(), text="/session_start", intent="session_start")
    assert [m["response"] for m in messages] == ["utter_greet"]
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_an_automatic_session_start_is_silent(run_action):
    messages, events = run_action(ActionSessionStart(), text="")
    assert messages == [] and [e["event"] for e in events] == ["session_started", "action"]
