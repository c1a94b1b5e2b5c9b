"""The set-up's interpreter search: override, discovery, and the one-sentence failure."""
import os
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "find-python.sh"


def run(env):
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)


def test_an_explicit_supported_interpreter_wins():
    # The test suite itself runs on the venv's Python 3.8-3.10.
    result = run({**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 0
    assert result.stdout.strip() == sys.executable


def test_an_explicit_unsupported_interpreter_is_refused_in_one_sentence(tmp_path):
    fake = tmp_path / "python3.11"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = run({**os.environ, "PYTHON": str(fake)})
    assert result.returncode == 1
    assert "is not a Python 3.8-3.10 interpreter" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_pyenv_version_is_found_when_nothing_is_on_path(tmp_path):
    fake_python = tmp_path / "pyenv" / "versions" / "3.10.99" / "bin" / "python"
    fake_python.parent.mkdir(parents=True)
    fake_python.symlink_to(sys.executable)
    env = {"PATH": "/usr/bin:/bin", "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(fake_python)


def test_no_interpreter_means_a_clear_sentence_naming_what_is_needed(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    for tool in ("bash", "ls", "sort", "cat"):
        (empty_bin / tool).symlink_to(Path("/usr/bin") / tool if (Path("/usr/bin") / tool).exists() else Path("/bin") / tool)
    env = {"PATH": str(empty_bin), "PYENV_ROOT": str(tmp_path / "none"), "HOME": str(tmp_path)}
    result = run(env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "No Python 3.8-3.10 interpreter found: install Python 3.10 (e.g. 'pyenv install 3.10') "
        "or set PYTHON=/path/to/python3.10."
    )
