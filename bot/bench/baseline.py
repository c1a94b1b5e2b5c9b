"""The baseline: the config.yml that `rasa init` writes, taken from the installed Rasa package
(not retyped), so the comparison is with Rasa's default recipe on our domain and data."""
from __future__ import annotations

import shutil
from pathlib import Path


def rasa_init_config() -> Path:
    """The config.yml of the installed Rasa's `rasa init` project template."""
    from rasa.cli.scaffold import scaffold_path

    return Path(scaffold_path()) / "config.yml"


def write_baseline_config(directory: Path) -> Path:
    """A copy of `rasa init`'s config.yml in `directory` (Rasa writes the default pipeline and
    policies it auto-configures back into the file it trains from, so never the package's own)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "config.yml"
    shutil.copyfile(rasa_init_config(), target)
    return target
