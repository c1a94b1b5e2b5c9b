"""`rasa data validate` passes on the domain, NLU data, rules and config, and the NLU data meets
the bar: at least 15 examples per intent the model is trained to predict."""
import os
import subprocess
import sys
from collections import Counter

import yaml

from bot.settings import PROJECT_ROOT, RASA_OFFLINE_ENVIRONMENT

# Reached only through the REST channel's length cap (a `/message_too_long` shortcut), never typed.
NOT_TRAINED = {"message_too_long"}


def test_rasa_data_validate_passes():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", "domain.yml", "--data", "data",
         "--config", "config.yml"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, env={**os.environ, **RASA_OFFLINE_ENVIRONMENT}, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "No story structure conflicts found" in result.stdout + result.stderr


def test_every_intent_has_at_least_15_training_examples():
    counts = Counter()
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            counts[block["intent"]] += len([line for line in block["examples"].splitlines() if line.strip()])
    intents = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]) - NOT_TRAINED
    assert {intent: counts[intent] for intent in intents if counts[intent] < 15} == {}


def test_the_held_out_set_is_separate_and_large_enough():
    heldout = yaml.safe_load((PROJECT_ROOT / "tests" / "nlu" / "heldout.yml").read_text())["nlu"]
    held = {line.strip()[2:] for block in heldout for line in block["examples"].splitlines() if line.strip()}
    trained = set()
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            trained |= {line.strip()[2:] for line in block["examples"].splitlines() if line.strip()}
    assert len(held) >= 150
    assert held & trained == set()
