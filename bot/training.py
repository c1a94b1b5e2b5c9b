"""Training with a cache keyed on a fingerprint of everything a model is trained from.

The fingerprint covers config.yml, domain.yml, data/ and the knowledge base's names (they shape
the spaCy entity ruler). Same fingerprint, same model: `make run` and the tests reuse it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable

from bot.rasa_integration.spacy_pipeline import NameRow, names_fingerprint
from bot.settings import PROJECT_ROOT, RASA_OFFLINE_ENVIRONMENT

log = logging.getLogger(__name__)

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


def _input_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for entry in TRAINING_INPUTS:
        path = root / entry
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def fingerprint(names: Iterable[NameRow], root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in _input_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(names_fingerprint(names).encode())
    return digest.hexdigest()[:16]


def model_path(models_dir: Path, model_fingerprint: str) -> Path:
    return models_dir / f"clair-{model_fingerprint}.tar.gz"


def train_if_needed(names: Iterable[NameRow], models_dir: Path, root: Path = PROJECT_ROOT) -> Path:
    """Returns the model for the current inputs, training it first when there is none."""
    target = model_path(models_dir, fingerprint(names, root))
    if target.exists():
        log.info(f"Model is up to date: {target.name}")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    log.info("Training the assistant (data, domain, config or knowledge base changed)...")
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(root / "config.yml"),
        "--domain", str(root / "domain.yml"),
        "--data", str(root / "data"),
        "--out", str(models_dir),
        "--fixed-model-name", target.name[: -len(".tar.gz")],
        "--force",  # our fingerprint already decided; Rasa's cache cannot see the spaCy ruler change
    ]
    subprocess.run(command, cwd=root, check=True, env={**os.environ, **RASA_OFFLINE_ENVIRONMENT})
    for stale in models_dir.glob("clair-*.tar.gz"):
        if stale != target:
            stale.unlink()
    return target
