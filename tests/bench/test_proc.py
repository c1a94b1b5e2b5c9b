"""A server's memory and CPU time, read from /proc for its whole process tree (the Rasa server
and the action server are each a process that may start children)."""
import os
import subprocess
import sys
import time

import pytest

from bot.bench.cpu import cpu_seconds, tree_cpu_seconds
from bot.bench.memory import descendants, rss_kib, tree_rss_kib

# A child that holds 200 MB and burns about 0.5 s of CPU, then waits to be stopped.
CHILD = ("import time\nblock = bytearray(200 * 1024 * 1024)\nend = time.process_time() + 0.5\n"
         "while time.process_time() < end: pass\nprint('ready', flush=True)\ntime.sleep(60)\n")


@pytest.fixture
def busy_child():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    yield child
    child.kill()
    child.wait()


def test_tree_counts_the_children(busy_child):
    me = os.getpid()
    assert busy_child.pid in descendants(me)
    assert rss_kib(busy_child.pid) > 200 * 1024
    assert tree_rss_kib(me) >= rss_kib(me) + rss_kib(busy_child.pid)
    assert cpu_seconds(busy_child.pid) >= 0.4
    assert tree_cpu_seconds(me) >= cpu_seconds(me) + 0.4


def test_cpu_time_grows_with_work_and_not_with_waiting():
    me = os.getpid()
    before = cpu_seconds(me)
    time.sleep(0.3)
    assert cpu_seconds(me) - before < 0.1
    end = time.process_time() + 0.3
    while time.process_time() < end:
        pass
    assert cpu_seconds(me) - before >= 0.25


def test_an_ended_process_has_nothing():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert rss_kib(child.pid) == 0 and cpu_seconds(child.pid) == 0.0
