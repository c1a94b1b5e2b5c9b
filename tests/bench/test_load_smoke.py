"""Smoke runs of the load generator and the whole bench runner against a real assistant (action
server + Rasa server, started as the benchmark starts them), with tiny counts. Every measured
message must get a real reply; nothing here looks at how long anything took."""
import asyncio
import json
import shutil

import pytest

from bot.bench import load
from bot.bench.questions import knowledge_intents, knowledge_questions, long_message
from bot.bench.runner import Plan, run
from bot.bench.serving import embedded_settings, serve

pytestmark = pytest.mark.e2e

TOO_LONG_REPLY = "That message is too long for me (1000 characters at most). Please ask in a shorter message."


@pytest.fixture(scope="module")
def questions():
    return knowledge_questions()


@pytest.fixture(scope="module")
def served(e2e_settings, trained_model, tmp_path_factory, questions):
    settings = embedded_settings(tmp_path_factory.mktemp("bench-var"), e2e_settings.database_url)
    with serve(trained_model, settings, questions[0]) as served:
        yield served


def assert_all_answered(replies, count):
    assert len(replies) == count
    unanswered = [reply for reply in replies if not reply.answered]
    assert not unanswered, unanswered


def test_questions_are_the_held_out_knowledge_questions(questions):
    assert len(questions) > 100
    assert "whats the REPP" in questions  # a repp_about example of tests/nlu/heldout.yml
    assert "hello!" not in questions  # greet: answered from the domain, not the knowledge base
    assert {"sister_cities", "jet_positions", "repp_edition"} <= knowledge_intents()
    assert not any("](" in question for question in questions)  # entity markup removed


def test_long_message_is_exactly_as_long_as_asked_and_made_of_questions(questions):
    text = long_message(questions, 100_000)
    assert len(text) == 100_000
    assert text.startswith(questions[0])


def test_start_up_ends_with_a_real_first_answer(served):
    assert served.first_reply.answered
    assert served.startup_seconds > 0
    assert served.pid("Rasa server") != served.pid("action server")


def test_sequential_questions_with_a_new_visitor_every_few(served, questions):
    run = asyncio.run(load.sequential(served.settings.rasa_url, questions[:6], count=7, per_sender=3))
    assert_all_answered(run.replies, 7)
    assert len({reply.sender for reply in run.replies}) == 3


def test_concurrent_conversations_each_keep_their_own_sender(served, questions):
    run = asyncio.run(load.concurrent(served.settings.rasa_url, questions, conversations=3, seconds=2))
    assert len({reply.sender for reply in run.replies}) == 3
    assert_all_answered(run.replies, len(run.replies))
    assert run.elapsed >= 2


def test_one_long_conversation_uses_one_sender(served, questions):
    run = asyncio.run(load.one_conversation(served.settings.rasa_url, questions, count=12))
    assert_all_answered(run.replies, 12)
    assert len({reply.sender for reply in run.replies}) == 1


def test_a_huge_message_is_refused_politely(served, questions):
    reply = asyncio.run(load.single(served.settings.rasa_url, long_message(questions, 100_000)))
    assert reply.answered
    assert reply.texts == (TOO_LONG_REPLY,)


def test_a_server_error_is_not_a_reply(served):
    reply = asyncio.run(load.single(served.settings.rasa_url.replace(str(served.settings.rasa_port), "1"), "hi"))
    assert reply.status == 0 and reply.error and not reply.answered


def test_the_runner_measures_everything_and_leaves_the_docs_alone(trained_model, tmp_path):
    """The whole runner on one configuration with a saved model (no training), tiny counts."""
    from bot.bench.runner import BENCHMARKS, PLOT

    docs_before = BENCHMARKS.read_text()
    plot_before = PLOT.read_bytes() if PLOT.exists() else None
    saved = tmp_path / "bench" / "models"
    saved.mkdir(parents=True)
    shutil.copyfile(trained_model, saved / "ours.tar.gz")
    plan = Plan(sequential_count=4, per_sender=2, concurrency_levels=(1, 3), concurrency_seconds=1,
                long_conversation_count=20, huge_message_chars=5_000)
    [ours] = run(plan, quick=True, reuse_models=True, configs=["ours"], var_dir=tmp_path)
    assert ours.training_seconds is None  # reused, not trained
    assert ours.sequential.latency.count == 4 and ours.sequential.unanswered == 0
    assert [level.conversations for level in ours.concurrency] == [1, 3]
    assert all(level.unanswered == 0 and level.messages > 0 for level in ours.concurrency)
    assert all(level.rasa_cpu_seconds > 0 for level in ours.concurrency)  # the server's own /proc figures
    assert ours.long_conversation.messages == 20 and ours.long_conversation.unanswered == 0
    assert ours.huge_message.answered and ours.huge_message.reply == TOO_LONG_REPLY
    assert ours.huge_message.rss_before_kib > 0 and ours.memory.action_server_kib > 0
    assert (tmp_path / "bench" / "logs" / "ours" / "serve" / "log" / "rasa-server.log").exists()  # kept for reading
    [saved_json] = (tmp_path / "bench").glob("results-*-quick.json")
    assert json.loads(saved_json.read_text())["results"][0]["name"] == "ours"
    assert BENCHMARKS.read_text() == docs_before
    assert (PLOT.read_bytes() if PLOT.exists() else None) == plot_before
