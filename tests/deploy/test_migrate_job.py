"""The migration step of the deployment files (compose's `migrate` service, the Kubernetes job),
run as written against fresh PostgreSQL databases of its own: it creates both databases, brings
the schema to the head revision (what the servers' wait-for-schema check waits for) and loads the
knowledge base; run again, as every `docker compose up` and every upgrade does, it keeps the
database's knowledge base instead of reloading the unchanged files over it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.database import make_engine
from bot.settings import PROJECT_ROOT
from tests.deploy.deploy_files import compose, compose_environment, k8s_documents, pod_containers, workloads

SERVER = "postgresql://postgres@127.0.0.1:5432"


def drop_database(url: str) -> None:
    parsed = make_url(url)
    engine = make_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture()
def job_env(tmp_path):
    """The migrate service's environment, its database URLs pointed at databases of this test."""
    name = f"deploy_{uuid.uuid4().hex[:10]}"
    env = {
        **compose_environment(compose()["services"]["migrate"]),
        "DATABASE_URL": f"{SERVER}/{name}", "TRACKER_STORE_URL": f"{SERVER}/{name}_tracker",
        "CLAIR_VAR_DIR": str(tmp_path / "var"),
        # `python` in the commands is the image's interpreter; here, this environment's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    try:
        yield env
    finally:
        drop_database(env["DATABASE_URL"])
        drop_database(env["TRACKER_STORE_URL"])


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


def affiliation_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM kb_affiliation")).scalar_one()
    finally:
        engine.dispose()


def schema_check_command() -> list[str]:
    """What the Kubernetes servers' init container waits on (until it succeeds)."""
    init = workloads(k8s_documents())["clair-web"]["spec"]["template"]["spec"]["initContainers"][0]
    return re.search(r"until (python -m bot .+?) 2>", init["command"][-1]).group(1).split()


@pytest.mark.production
def test_the_migration_step_prepares_fresh_databases_and_keeps_the_knowledge_base_on_reruns(job_env):
    job = pod_containers(workloads(k8s_documents(PROJECT_ROOT / "deploy" / "k8s" / "jobs"))["clair-migrate"])[0]["command"]
    assert job == compose()["services"]["migrate"]["command"]
    assert run(schema_check_command(), job_env).returncode != 0  # servers keep waiting before the job

    first = run(job, job_env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Loading the knowledge base" in first.stdout
    assert run(schema_check_command(), job_env).returncode == 0, "the servers would still wait"
    loaded = affiliation_count(job_env["DATABASE_URL"])
    assert loaded > 0
    tracker = make_engine(job_env["TRACKER_STORE_URL"])
    try:
        with tracker.connect() as connection:  # Rasa needs the database to exist; it makes its tables
            assert connection.execute(text("SELECT current_database()")).scalar_one().endswith("_tracker")
    finally:
        tracker.dispose()

    # A change made in the database since (as the staff console makes them) survives the next run.
    engine = make_engine(job_env["DATABASE_URL"])
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM kb_affiliation WHERE id = (SELECT min(id) FROM kb_affiliation)"))
    finally:
        engine.dispose()
    again = run(job, job_env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Loading the knowledge base" not in again.stdout
    assert affiliation_count(job_env["DATABASE_URL"]) == loaded - 1
