"""Target verdicts and the report written into docs/benchmarks.md, from made-up results."""
import json

import pytest

from bot.bench.measurements import (ConfigResults, Concurrency, HugeMessage, LongConversation, Sequential,
                                    ServerMemory, unanswered)
from bot.bench.plot import plot_latency
from bot.bench.report import RunInfo, render, target_rows, write_docs, write_json
from bot.bench.stats import LatencySummary
from bot.bench.targets import TARGETS, politely_refused

INFO = RunInfo(date="2026-11-28 21:00", cores=2, ram_gib=23.4, load_average=0.3, rasa_version="3.6.21",
               quick=False, sequential_count=200, long_conversation_count=600, concurrency_seconds=20)


def latency(p50, p95):
    return LatencySummary(count=100, p50=p50, p95=p95, mean=p50, maximum=p95 * 2)


def results(name="ours", *, p50=0.020, p95=0.045, throughput_20=45.0, p95_20=0.400, ratio_last=0.030,
            huge_seconds=0.030, growth_kib=0, training=55.0, startup=18.0, unanswered_seq=0):
    return ConfigResults(
        name=name, training_seconds=training, startup_seconds=startup,
        sequential=Sequential(latency(p50, p95), unanswered_seq),
        concurrency=[Concurrency(n, 20.0, 900, throughput_20 if n == 20 else 30.0,
                                 latency(0.1, p95_20 if n == 20 else 0.3), 0, 18.0, 2.7) for n in (1, 10, 20, 50)],
        long_conversation=LongConversation(600, 0.050, ratio_last, 0.020, ratio_last, ratio_last / 0.020, 0),
        huge_message=HugeMessage(100_000, huge_seconds, 500_000, 500_000 + growth_kib, "That message is too long", True),
        memory=ServerMemory(600_000, 150_000))


def verdicts(config):
    return {target.label: target.verdict(config) for target in TARGETS}


def test_results_within_every_target_meet_them_all():
    assert set(verdicts(results()).values()) == {True}


@pytest.mark.parametrize("change, missed", [
    ({"p50": 0.026}, "knowledge answer p50 (one user)"),
    ({"p95": 0.051}, "knowledge answer p95 (one user)"),
    ({"throughput_20": 39.9}, "throughput, 20 conversations"),
    ({"p95_20": 0.501}, "p95, 20 conversations"),
    ({"ratio_last": 0.031}, "last 10 / first 10 messages of one conversation (medians)"),
    ({"huge_seconds": 0.100}, "100,000-character message: reply time"),
    ({"growth_kib": 2048}, "100,000-character message: Rasa server RSS growth"),
    ({"training": 60.5}, "full training"),
    ({"startup": 20.1}, "start-up to first answer"),
])
def test_each_target_is_missed_just_past_its_limit(change, missed):
    outcome = verdicts(results(**change))
    assert outcome[missed] is False
    assert all(met for label, met in outcome.items() if label != missed)


def test_limits_themselves_are_met():
    exact = results(p50=0.025, p95=0.050, throughput_20=40.0, p95_20=0.500, ratio_last=0.030, training=60.0,
                    startup=20.0, growth_kib=1024)
    assert set(verdicts(exact).values()) == {True}


def test_what_was_not_measured_has_no_verdict():
    bare = ConfigResults("baseline")
    assert set(verdicts(bare).values()) == {None}
    assert politely_refused(bare) is None


def test_a_huge_message_that_got_no_reply_is_not_a_polite_refusal():
    config = results()
    config.huge_message = HugeMessage(100_000, 0.02, 1, 1, "", False)
    assert politely_refused(config) is False
    assert unanswered(config) == 1


def test_report_shows_both_configurations_side_by_side_with_verdicts():
    text = render([results("ours"), results("baseline", p50=0.080, training=420.0)], INFO, "bench-latency.png")
    assert "| measurement | ours | baseline |" in text
    assert "| target | limit | ours | baseline |" in text
    assert "| knowledge answer p50 (one user) | ≤ 25 ms | 20 ms (met) | 80 ms (**missed**) |" in text
    assert "| full training | ≤ 60 s | 55.0 s (met) | 420.0 s (**missed**) |" in text
    assert "| throughput, 20 conversations | ≥ 40 msg/s | 45.0 msg/s (met) | 45.0 msg/s (met) |" in text
    assert "| 20 concurrent conversations: msg/s, p50 / p95 | 45.0 msg/s, 100 ms / 400 ms |" in text
    assert "2 cores, 23.4 GiB RAM" in text and "2026-11-28" in text and "full run" in text
    assert "![" in text and "(bench-latency.png)" in text


def test_server_cpu_per_message_says_how_busy_the_rasa_server_was():
    text = render([results()], INFO, "plot.png")
    assert ("| Rasa server CPU per message (share of one core in use) at 1 / 10 / 20 / 50 conversations | "
            "20 ms (90%) / 20 ms (90%) / 20 ms (90%) / 20 ms (90%) |") in text
    assert "| action server CPU per message at 1 / 10 / 20 / 50 conversations | 3 ms / 3 ms / 3 ms / 3 ms |" in text


def test_a_reused_model_says_so_instead_of_a_training_time():
    config = results(training=None)
    text = render([config], INFO, "plot.png")
    assert "| full training from scratch (wall time) | reused |" in text
    assert ["full training", "≤ 60 s", "– (not measured)"] in target_rows([config])


def test_written_report_keeps_the_evaluation_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n<!-- evaluate:start -->\nNLU table\n<!-- evaluate:end -->\n")
    write_docs(render([results()], INFO, "plot.png"), doc)
    write_docs(render([results(p50=0.011)], INFO, "plot.png"), doc)
    text = doc.read_text()
    assert "NLU table" in text
    assert text.count("<!-- bench:start -->") == 1 and "| 11 ms (met) |" in text


def test_raw_results_are_saved_as_json(tmp_path):
    path = tmp_path / "bench" / "results.json"
    write_json([results()], INFO, path)
    saved = json.loads(path.read_text())
    assert saved["run"]["cores"] == 2
    assert saved["results"][0]["concurrency"][2]["conversations"] == 20
    assert saved["results"][0]["sequential"]["latency"]["p95"] == 0.045


def test_plot_is_a_png(tmp_path):
    path = tmp_path / "latency.png"
    plot_latency([results("ours"), results("baseline")], path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
