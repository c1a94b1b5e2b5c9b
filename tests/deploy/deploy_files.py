"""Reads the deployment files (Dockerfile, deploy/docker-compose.yml, deploy/k8s/) the way Docker
Compose and Kubernetes would, so the tests can hold them against the code: bot/settings.py's
variables and defaults, and the commands bot/services.py runs."""
from __future__ import annotations

import ast
import os
import re
import shlex
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from unittest import mock

import yaml

from bot.services import Service, assistant_services
from bot.settings import PROJECT_ROOT, Settings, load_settings

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
NGINX_CONF = DEPLOY / "nginx.conf"
K8S = DEPLOY / "k8s"
K8S_JOBS = K8S / "jobs"
SECRET_TEMPLATE = K8S / "secret.template.yaml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
ENDPOINTS_PRODUCTION = PROJECT_ROOT / "endpoints.production.yml"

APP_IMAGE = "clair-assistant"  # the image name the k8s manifests use (kustomize sets registry and tag)


# --- bot/settings.py ----------------------------------------------------------------------------
def settings_variables() -> set[str]:
    """Every variable bot/settings.py reads: the first argument of _env/_env_int/_env_bool/_env_list
    and of os.environ.get / os.environ[...] anywhere in the module (load_settings and its helpers)."""
    tree = ast.parse((PROJECT_ROOT / "bot" / "settings.py").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = ast.unparse(node.func)
            if func in ("_env", "_env_int", "_env_bool", "_env_list", "os.environ.get", "os.getenv"):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def child_variables() -> set[str]:
    """The variables the launcher passes to the servers it starts (Settings.rasa_environment): some
    are read by Rasa (endpoints files), rasa-sdk (SANIC_HOST) or Rasa's telemetry switch."""
    return set(load_settings().rasa_environment())


def known_variables() -> set[str]:
    return settings_variables() | child_variables()


def endpoint_variables(path: Path = ENDPOINTS_PRODUCTION) -> set[str]:
    """The ${VARIABLES} in the endpoints file's values (Rasa substitutes them when it reads it)."""
    def strings(node) -> Iterator[str]:
        if isinstance(node, dict):
            for item in node.values():
                yield from strings(item)
        elif isinstance(node, str):
            yield node

    return {name for value in strings(yaml.safe_load(path.read_text())) for name in re.findall(r"\$\{(\w+)\}", value)}


@contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    with mock.patch.dict(os.environ, env, clear=True):
        yield


def settings_for(env: dict[str, str]) -> Settings:
    """The settings a container with exactly this environment gets."""
    with environment(env):
        return load_settings()


# --- the image ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def dockerfile_instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    text = re.sub(r"\\\n", " ", path.read_text())  # join continuation lines
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append(Instruction(keyword.upper(), arguments.strip()))
    return instructions


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    starts = [i for i, instruction in enumerate(instructions) if instruction.keyword == "FROM"]
    return instructions[starts[-1]:]


def image_env(instructions: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction in final_stage(instructions):
        if instruction.keyword == "ENV":
            for word in shlex.split(instruction.arguments):
                name, _, value = word.partition("=")
                env[name] = value
    return env


def image_workdir(instructions: list[Instruction]) -> str:
    return [i.arguments for i in final_stage(instructions) if i.keyword == "WORKDIR"][-1]


def launcher_commands(env: dict[str, str], models: str) -> dict[str, Service]:
    """The services bot/services.py starts for this environment, with their commands written as the
    image runs them: `python` for the interpreter, the image's WORKDIR for the project's root."""
    root = image_workdir(dockerfile_instructions())
    services = assistant_services(settings_for(env), Path(models), web_app=True)
    for service in services:
        service.command = [_as_in_image(arg, root) for arg in service.command]
    return {service.name: service for service in services}


def _as_in_image(argument: str, root: str) -> str:
    if argument == sys.executable:
        return "python"
    if argument.startswith(str(PROJECT_ROOT) + "/"):
        return root + argument[len(str(PROJECT_ROOT)):]
    return argument


# --- docker compose -----------------------------------------------------------------------------
_INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def interpolate(value, env: dict[str, str]):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, recursively."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        name, operator, argument = match.groups()
        present = name in env and (env[name] != "" or not (operator or "").startswith(":"))
        if present:
            return env[name]
        if operator in (":?", "?"):
            raise KeyError(f"{name} is required: {argument}")
        return argument if operator in (":-", "-") else ""

    return _INTERPOLATION.sub(substitute, value)


def compose_raw() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def compose(env: dict[str, str] | None = None) -> dict:
    """The compose file as `docker compose config` sees it with deploy/.env.example as deploy/.env."""
    return interpolate(compose_raw(), env_file() if env is None else env)


def compose_app_services(config: dict) -> dict[str, dict]:
    """The services that run the assistant's image (the others are PostgreSQL, Redis, nginx)."""
    return {name: service for name, service in config["services"].items() if "build" in service}


def compose_environment(service: dict) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in service.get("environment", {}).items()}


# --- Kubernetes ---------------------------------------------------------------------------------
def k8s_documents(folder: Path = K8S) -> list[dict]:
    """The resources of a kustomization, in its order."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    documents = []
    for resource in kustomization["resources"]:
        documents += [doc for doc in yaml.safe_load_all((folder / resource).read_text()) if doc]
    return documents


def all_k8s_documents() -> list[dict]:
    return k8s_documents(K8S) + k8s_documents(K8S_JOBS)


def secret_template() -> dict:
    return yaml.safe_load(SECRET_TEMPLATE.read_text())


def by_kind(documents: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == kind}


def workloads(documents: list[dict]) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] in ("Deployment", "StatefulSet", "Job")}


def pod_containers(workload: dict, *, init: bool = True) -> list[dict]:
    spec = workload["spec"]["template"]["spec"]
    return (spec.get("initContainers", []) if init else []) + spec["containers"]


def app_containers(documents: list[dict]) -> list[tuple[str, dict]]:
    """(workload name, container) for every container, init containers included, of our image."""
    return [(name, container) for name, workload in workloads(documents).items()
            for container in pod_containers(workload) if container["image"] == APP_IMAGE]


def container_environment(container: dict, documents: list[dict], secret: dict) -> dict[str, str]:
    """The environment Kubernetes gives the container: its ConfigMaps (envFrom), then its env, with
    secretKeyRef values taken from the Secret template (placeholders)."""
    config_maps = by_kind(documents, "ConfigMap")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update({k: str(v) for k, v in config_maps[source["configMapRef"]["name"]]["data"].items()})
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = str(entry["value"])
        else:
            ref = entry["valueFrom"]["secretKeyRef"]
            assert ref["name"] == secret["metadata"]["name"], f"{entry['name']}: unknown secret {ref['name']}"
            env[entry["name"]] = secret["stringData"][ref["key"]]
    return env


def expand_k8s(arguments: list[str], env: dict[str, str]) -> list[str]:
    """Kubernetes expands $(VAR) in command and args from the container's environment."""
    return [re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], str(arg)) for arg in arguments]


def workload_of(documents: list[dict], command_start: list[str]) -> list[str]:
    """Names of the workloads whose main container's command starts like this."""
    return [name for name, workload in workloads(documents).items()
            if any(c.get("command", [])[:len(command_start)] == command_start for c in pod_containers(workload, init=False))]
