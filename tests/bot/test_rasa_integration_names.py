"""Rasa finds our classes only by the dotted names in its YAML files, and a stale name fails only
when Rasa starts (or trains). Every name of ours there must import, and live in bot.rasa_integration."""
import importlib

import pytest
import yaml

from bot.settings import PROJECT_ROOT


def _yaml(name):
    with open(PROJECT_ROOT / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _our_names():
    config = _yaml("config.yml")
    names = [entry["name"] for entry in config["pipeline"] + config["policies"]]
    for endpoints in ("endpoints.yml", "endpoints.production.yml"):
        names += [entry.get("type", "") for entry in _yaml(endpoints).values() if isinstance(entry, dict)]
    names += list(_yaml("credentials.yml"))
    return sorted({name for name in names if name.startswith("bot.")})


def test_the_yaml_files_name_our_classes():
    assert len(_our_names()) == 7  # 2 NLU components, 3 stores, 2 channels


@pytest.mark.parametrize("dotted", _our_names())
def test_each_name_is_a_class_in_the_integration_package(dotted):
    module_name, _, class_name = dotted.rpartition(".")
    assert module_name.startswith("bot.rasa_integration.")
    assert isinstance(getattr(importlib.import_module(module_name), class_name), type)
