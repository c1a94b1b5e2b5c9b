"""Full training from scratch, timed: separate output folders, and Rasa's training cache pointed
at an empty folder (RASA_CACHE_DIRECTORY), so nothing cached by earlier runs is reused and the
project's own models (var/models) are left alone."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT, RASA_OFFLINE_ENVIRONMENT


@dataclass(frozen=True)
class TrainedModel:
    model: Path
    seconds: float  # wall time of the whole command, interpreter start included


def _run_timed(command: list[str], env: dict[str, str], log: Path) -> float:
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log, "wb") as output:
        done = subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, **RASA_OFFLINE_ENVIRONMENT, **env},
                              stdout=output, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"Training failed (exit {done.returncode}); see {log}.")
    return seconds


def _only_model(models_dir: Path) -> Path:
    models = sorted(models_dir.glob("*.tar.gz"))
    if len(models) != 1:
        raise RuntimeError(f"Expected one trained model in {models_dir}, found {len(models)}.")
    return models[0]


def train_ours(work_dir: Path) -> TrainedModel:
    """`python -m bot train` as an operator runs it (knowledge base load, spaCy pipeline, Rasa
    training), into an empty var dir and models dir. The knowledge base it loads stays in
    work_dir/clair.db for serving."""
    models_dir = work_dir / "models"
    env = {"CLAIR_VAR_DIR": str(work_dir), "CLAIR_PROFILE": "embedded", "DATABASE_URL": "",
           "TRACKER_STORE_URL": "", "MODELS_DIR": str(models_dir),
           "RASA_CACHE_DIRECTORY": str(work_dir / "rasa-cache")}
    seconds = _run_timed([sys.executable, "-m", "bot", "train"], env, work_dir / "train.log")
    return TrainedModel(_only_model(models_dir), seconds)


def train_with_config(config: Path, work_dir: Path, name: str) -> TrainedModel:
    """`rasa train` with another config on the project's domain and data (the baseline)."""
    models_dir = work_dir / "models"
    command = [sys.executable, "-m", "rasa", "train", "--config", str(config),
               "--domain", str(PROJECT_ROOT / "domain.yml"), "--data", str(PROJECT_ROOT / "data"),
               "--out", str(models_dir), "--fixed-model-name", name, "--force"]
    seconds = _run_timed(command, {"RASA_CACHE_DIRECTORY": str(work_dir / "rasa-cache")}, work_dir / "train.log")
    return TrainedModel(_only_model(models_dir), seconds)
