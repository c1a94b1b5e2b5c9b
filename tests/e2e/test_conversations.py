"""Conversation tests: Rasa's own `rasa test core --e2e` over tests/stories, against the trained model
and the real action server; any wrong intent, entity or action prediction fails the build.
(Without --e2e Rasa scores the stories' labelled intents and never checks NLU.)"""
import os
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e


def test_every_story_is_predicted_exactly(assistant, trained_model, e2e_settings, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--e2e", "--model", str(trained_model),
         "--stories", str(PROJECT_ROOT / "tests" / "stories"), "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
         "--fail-on-prediction-errors", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT, env={**os.environ, **e2e_settings.rasa_environment()},
        capture_output=True, text=True, timeout=600,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
    assert "Evaluating 0 stories" not in result.stdout + result.stderr
