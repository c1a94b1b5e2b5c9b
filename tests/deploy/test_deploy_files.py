"""The deployment files agree with the code: the variables they set are ones bot/settings.py reads,
the commands, ports and health checks are the ones bot/services.py uses, there is exactly one
notifier, and no secret is written in them. They cannot run here (no Docker daemon, no cluster);
these tests fail when the code changes under them."""
from __future__ import annotations

import re
import subprocess
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.training import TRAINING_INPUTS
from bot.web.public import SOCKET_IO_CLIENT
from tests.deploy.deploy_files import (
    APP_IMAGE, K8S, K8S_JOBS, SECRET_TEMPLATE, all_k8s_documents, app_containers, by_kind, child_variables,
    compose, compose_app_services, compose_environment, compose_raw, container_environment,
    dockerfile_instructions, endpoint_variables, env_file, environment, expand_k8s, final_stage, image_env,
    image_workdir, k8s_documents, known_variables, launcher_commands, pod_containers, secret_template,
    settings_for, settings_variables, workload_of, workloads,
)

# Launcher service name → its compose service and its Kubernetes Deployment.
COMPOSE_SERVICE = {"action server": "action-server", "Rasa server": "rasa-server", "web app": "web", "notifier": "notifier"}
K8S_DEPLOYMENT = {"action server": "clair-action-server", "Rasa server": "clair-rasa-server", "web app": "clair-web",
                  "notifier": "clair-notifier"}
# Values that must never be written into a committed file, only referenced.
SECRET_VARIABLES = {"RASA_API_TOKEN", "SMTP_PASSWORD", "STAFF_SECRET_KEY", "POSTGRES_PASSWORD"}
PLACEHOLDERS = {"", "change-me"}
URL_VARIABLES = {"DATABASE_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL"}


@pytest.fixture(scope="module")
def defaults() -> Settings:
    with environment({}):
        return load_settings()


@pytest.fixture(scope="module")
def k8s() -> list[dict]:
    return all_k8s_documents()


@pytest.fixture(scope="module")
def secret() -> dict:
    return secret_template()


@pytest.fixture(scope="module")
def image_models() -> str:
    return image_env(dockerfile_instructions())["MODELS_DIR"]


def compose_env(name: str) -> dict[str, str]:
    return compose_environment(compose()["services"][name])


def k8s_env(k8s, secret, deployment: str, container: int = 0) -> dict[str, str]:
    return container_environment(pod_containers(workloads(k8s)[deployment], init=False)[container], k8s, secret)


# --- variables ----------------------------------------------------------------------------------
def test_the_settings_parser_finds_what_load_settings_reads():
    names = settings_variables()
    assert {"DATABASE_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL", "CLAIR_PROFILE", "RASA_API_TOKEN",
            "SMTP_PASSWORD", "STAFF_SECRET_KEY", "WEB_HOST", "CORS_ORIGINS"} <= names
    assert "SANIC_HOST" not in names and "SANIC_HOST" in child_variables()


def test_compose_sets_only_variables_the_code_reads():
    known = known_variables()
    for name, service in compose_app_services(compose()).items():
        unknown = set(compose_environment(service)) - known
        assert not unknown, f"compose service {name} sets {unknown}, which bot/settings.py never reads"


def test_kubernetes_sets_only_variables_the_code_reads(k8s, secret):
    known = known_variables()
    for config_map in by_kind(k8s, "ConfigMap").values():
        assert set(config_map["data"]) <= known, set(config_map["data"]) - known
    for workload, container in app_containers(k8s):
        unknown = set(container_environment(container, k8s, secret)) - known
        assert not unknown, f"{workload}/{container['name']} sets {unknown}, which bot/settings.py never reads"


def test_the_image_sets_only_variables_the_code_reads():
    runtime = {"PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK", "PATH"}
    assert set(image_env(dockerfile_instructions())) - runtime <= known_variables()


def test_the_env_example_defines_every_variable_compose_needs():
    raw = (PROJECT_ROOT / "deploy" / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{(\w+)", raw))
    assert used == set(env_file()), f"used but not in .env.example: {used - set(env_file())}; unused: {set(env_file()) - used}"
    required = set(re.findall(r"\$\{(\w+):\?", raw))
    with pytest.raises(KeyError):
        compose({k: v for k, v in env_file().items() if k not in required})


def test_every_rasa_server_can_resolve_the_production_endpoints(k8s, secret):
    """Rasa refuses to start when a ${VARIABLE} of its endpoints file is unset."""
    needed = endpoint_variables()
    assert needed, "endpoints.production.yml reads no variables?"
    assert needed <= set(compose_env("rasa-server"))
    assert needed <= set(k8s_env(k8s, secret, "clair-rasa-server"))


# --- commands, ports, health checks -------------------------------------------------------------
@pytest.mark.parametrize("name", list(COMPOSE_SERVICE))
def test_compose_commands_are_the_launchers(name, image_models):
    service = compose()["services"][COMPOSE_SERVICE[name]]
    expected = launcher_commands(compose_environment(service), image_models)[name]
    assert service["command"] == expected.command


@pytest.mark.parametrize("name", list(K8S_DEPLOYMENT))
def test_kubernetes_commands_are_the_launchers(name, k8s, secret, image_models):
    container = pod_containers(workloads(k8s)[K8S_DEPLOYMENT[name]], init=False)[0]
    env = container_environment(container, k8s, secret)
    assert expand_k8s(container["command"], env) == launcher_commands(env, image_models)[name].command


def test_the_rasa_command_uses_the_images_model_and_files(image_models):
    """The image trains into MODELS_DIR and runs from WORKDIR: the command points there."""
    command = compose()["services"]["rasa-server"]["command"]
    root = image_workdir(dockerfile_instructions())
    assert command[command.index("--model") + 1] == image_models
    for option in ("--endpoints", "--credentials"):
        path = command[command.index(option) + 1]
        assert path.startswith(root + "/") and (PROJECT_ROOT / path[len(root) + 1:]).is_file()
    assert command[command.index("--endpoints") + 1].endswith("/endpoints.production.yml")


@pytest.mark.parametrize("name", ["action server", "Rasa server", "web app"])
def test_compose_health_checks_are_the_launchers(name, image_models):
    service = compose()["services"][COMPOSE_SERVICE[name]]
    health_url = launcher_commands(compose_environment(service), image_models)[name].health_url
    inside = urlsplit(health_url)._replace(netloc=f"127.0.0.1:{urlsplit(health_url).port}").geturl()
    test = service["healthcheck"]["test"]
    assert test[0] == "CMD" and f"healthy('{inside}')" in test[-1]


@pytest.mark.parametrize("name", ["action server", "Rasa server", "web app"])
def test_kubernetes_probes_are_the_launchers_health_checks(name, k8s, secret, image_models):
    container = pod_containers(workloads(k8s)[K8S_DEPLOYMENT[name]], init=False)[0]
    health = urlsplit(launcher_commands(container_environment(container, k8s, secret), image_models)[name].health_url)
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": health.path, "port": health.port}
    assert [port["containerPort"] for port in container["ports"]] == [health.port]
    service = by_kind(k8s, "Service")[K8S_DEPLOYMENT[name]]
    assert service["spec"]["selector"] == workloads(k8s)[K8S_DEPLOYMENT[name]]["spec"]["selector"]["matchLabels"]
    assert [p["targetPort"] for p in service["spec"]["ports"]] == [health.port]


def test_the_rasa_server_waits_long_enough_to_load_its_model(k8s):
    container = pod_containers(workloads(k8s)["clair-rasa-server"], init=False)[0]
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120
    assert int(compose_raw()["services"]["rasa-server"]["healthcheck"]["start_period"].rstrip("s")) >= 120


def test_the_ports_are_the_settings_defaults(defaults, image_models):
    """5005, 5055, 8000 in the files, the docs and the README are the defaults of bot/settings.py."""
    launched = launcher_commands(compose_env("rasa-server"), image_models)
    assert launched["Rasa server"].port == defaults.rasa_port
    assert int(compose_env("action-server")["ACTION_PORT"]) == defaults.action_port
    assert launcher_commands(compose_env("web"), image_models)["web app"].port == defaults.web_port
    expose = [i.arguments for i in final_stage(dockerfile_instructions()) if i.keyword == "EXPOSE"][0].split()
    assert sorted(map(int, expose)) == sorted([defaults.rasa_port, defaults.action_port, defaults.web_port])


def test_the_rasa_servers_reach_the_action_servers_by_their_service_names(k8s, secret):
    for env, action_service in ((compose_env("rasa-server"), "action-server"),
                                (k8s_env(k8s, secret, "clair-rasa-server"), "clair-action-server")):
        settings = settings_for(env)
        assert env["ACTION_ENDPOINT_URL"] == settings.action_endpoint_url  # what the launcher would pass
        assert settings.action_host == action_service
    assert "action-server" in compose()["services"] and "clair-action-server" in by_kind(k8s, "Service")


def test_the_stores_are_the_ones_the_files_define(k8s, secret):
    compose_env_all = {**compose_env("rasa-server"), **compose_env("web")}
    k8s_env_all = {**k8s_env(k8s, secret, "clair-rasa-server"), **k8s_env(k8s, secret, "clair-web")}
    for env, services, postgres, redis in (
            (compose_env_all, set(compose()["services"]), "postgres", "redis"),
            (k8s_env_all, set(by_kind(k8s, "Service")), "clair-postgres", "clair-redis")):
        settings = settings_for(env)
        assert settings.profile == "production" and settings.endpoints_file.name == "endpoints.production.yml"
        for url, database in ((settings.database_url, "clair"), (settings.tracker_store_url, "clair_tracker")):
            assert (make_url(url).host, make_url(url).port, make_url(url).database) == (postgres, 5432, database)
        assert urlsplit(settings.lock_store_url).hostname == redis
        assert {postgres, redis} <= services


# --- topology -----------------------------------------------------------------------------------
def test_exactly_one_notifier():
    notifier_command = ["python", "-m", "bot", "notifier"]
    services = compose()["services"]
    runs_it = [name for name, service in services.items() if service.get("command") == notifier_command]
    assert runs_it == ["notifier"]
    assert services["notifier"]["deploy"]["replicas"] == 1


def test_exactly_one_notifier_in_kubernetes(k8s):
    runs_it = workload_of(k8s, ["python", "-m", "bot", "notifier"])
    assert runs_it == ["clair-notifier"]
    deployment = workloads(k8s)["clair-notifier"]
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"]["type"] == "Recreate"  # never two during an upgrade


def test_both_files_have_the_same_topology(k8s):
    services = compose()["services"]
    for name in ("rasa-server", "action-server"):
        assert services[name]["deploy"]["replicas"] >= 2
        assert workloads(k8s)[f"clair-{name}"]["spec"]["replicas"] == services[name]["deploy"]["replicas"]
    assert {"postgres", "redis", "nginx", "migrate"} <= set(services)
    assert {"clair-postgres", "clair-redis"} <= set(workloads(k8s))
    assert set(by_kind(k8s, "Ingress"))


def test_the_migration_step_is_the_same_and_runs_real_commands(k8s):
    from bot.cli import build_parser

    job = workloads(k8s_documents(K8S_JOBS))["clair-migrate"]
    command = pod_containers(job)[0]["command"]
    assert command == compose()["services"]["migrate"]["command"]
    assert command[:3] == ["python", "-m", "bot"]
    build_parser().parse_args(command[3:])  # exits on a command bot/cli.py does not have
    assert command[3:] == ["db", "prepare"]


def test_compose_services_start_after_the_migration():
    services = compose()["services"]
    assert services["migrate"]["restart"] == "no"
    for name, service in compose_app_services(compose()).items():
        if name != "migrate":
            assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
            assert service["restart"] == "unless-stopped", name
    assert services["rasa-server"]["depends_on"]["action-server"]["condition"] == "service_healthy"
    assert services["postgres"]["volumes"][0].split(":")[1] == "/var/lib/postgresql/data"
    assert set(compose_raw()["volumes"]) == {services["postgres"]["volumes"][0].split(":")[0]}


def test_kubernetes_servers_that_use_our_tables_wait_for_the_schema(k8s):
    from bot.cli import build_parser

    for name in ("clair-action-server", "clair-web", "clair-notifier"):
        init = workloads(k8s)[name]["spec"]["template"]["spec"]["initContainers"][0]
        inner = re.search(r"until python -m bot (.+?) 2>", init["command"][-1]).group(1)
        assert inner == "db current"
        build_parser().parse_args(inner.split())


def test_every_kubernetes_container_is_sized_and_unprivileged(k8s):
    for name, workload in workloads(k8s).items():
        for container in pod_containers(workload, init=False):
            resources = container["resources"]
            assert resources["requests"]["memory"] and resources["limits"]["memory"], name
    for name, container in app_containers(k8s):
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
    for name, workload in workloads(k8s).items():
        if any(c["image"] == APP_IMAGE for c in pod_containers(workload)):
            assert workload["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True, name


def test_both_kustomizations_deploy_the_same_image():
    images = [yaml.safe_load((folder / "kustomization.yaml").read_text())["images"] for folder in (K8S, K8S_JOBS)]
    assert images[0] == images[1] and images[0][0]["name"] == APP_IMAGE


def test_the_secret_template_is_not_applied_with_the_kustomization():
    resources = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert SECRET_TEMPLATE.name not in resources
    assert all(doc["kind"] != "Secret" for doc in all_k8s_documents())


# --- secrets ------------------------------------------------------------------------------------
def test_the_env_example_holds_placeholders_only():
    values = env_file()
    for name in SECRET_VARIABLES:
        assert values[name] in PLACEHOLDERS, f"{name} in deploy/.env.example must be a placeholder"


def test_compose_references_secrets_and_never_writes_them():
    for name, service in compose_raw()["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            if variable in SECRET_VARIABLES:
                assert re.fullmatch(r"\$\{" + variable + r"(:?[-?][^}]*)?\}", str(value)), f"{name}: {variable}"
            if variable in URL_VARIABLES:
                password = make_url(str(value)).password
                assert password is None or re.fullmatch(r"\$\{POSTGRES_PASSWORD[^}]*\}", password), f"{name}: {variable}"
        command = " ".join(map(str, service.get("command") or []))
        if "--auth-token" in command:
            assert re.search(r"--auth-token \$\{RASA_API_TOKEN", command)


def test_kubernetes_secrets_come_from_the_secret_only(k8s, secret):
    for value in secret["stringData"].values():
        password = make_url(value).password if "://" in value else value
        assert password in PLACEHOLDERS
    for workload in workloads(k8s).values():
        for container in pod_containers(workload):
            for entry in container.get("env", []):
                if entry["name"] in SECRET_VARIABLES | URL_VARIABLES - {"LOCK_STORE_URL"}:
                    assert "secretKeyRef" in entry.get("valueFrom", {}), entry["name"]
    for config_map in by_kind(k8s, "ConfigMap").values():
        assert not set(config_map["data"]) & (SECRET_VARIABLES | {"DATABASE_URL", "TRACKER_STORE_URL"})
        assert all(make_url(v).password is None for k, v in config_map["data"].items() if k in URL_VARIABLES)


def test_the_real_env_file_is_never_committed():
    assert subprocess.run(["git", "check-ignore", "-q", "deploy/.env"], cwd=PROJECT_ROOT).returncode == 0
    tracked = subprocess.run(["git", "ls-files", "deploy"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    assert "deploy/.env\n" not in tracked


def test_the_image_carries_no_deployment_secrets():
    patterns = [line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert ignored("deploy/.env", patterns) and ignored("deploy", patterns) and ignored(".venv", patterns)
    assert ignored("var", patterns) and ignored("node_modules", patterns)


# --- binding ------------------------------------------------------------------------------------
def test_services_listen_on_all_interfaces_only_inside_containers_and_explicitly(defaults, k8s, secret):
    assert (defaults.rasa_host, defaults.action_host, defaults.web_host) == ("127.0.0.1",) * 3
    assert not {"RASA_HOST", "ACTION_HOST", "WEB_HOST", "SANIC_HOST"} & set(image_env(dockerfile_instructions()))
    for env in (compose_env("rasa-server"), k8s_env(k8s, secret, "clair-rasa-server")):
        assert env["RASA_HOST"] == "0.0.0.0"
    for env in (compose_env("web"), k8s_env(k8s, secret, "clair-web")):
        assert env["WEB_HOST"] == "0.0.0.0"
    # rasa-sdk listens on 0.0.0.0 when SANIC_HOST is unset: the files say it anyway.
    for env in (compose_env("action-server"), k8s_env(k8s, secret, "clair-action-server")):
        assert env["SANIC_HOST"] == "0.0.0.0"
    published = {name for name, service in compose()["services"].items() if service.get("ports")}
    assert published == {"nginx"}


# --- the image ----------------------------------------------------------------------------------
def ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore matching for the simple patterns we use: a pattern matches a path or a parent."""
    parts = Path(path).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatch(prefix, pattern) or fnmatch(prefix, pattern.removeprefix("**/"))
               or fnmatch(prefix.split("/")[-1], pattern.removeprefix("**/"))
               for prefix in prefixes for pattern in patterns)


def test_the_image_gets_everything_the_services_read():
    patterns = [line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    needed = [*TRAINING_INPUTS, "credentials.yml", "endpoints.production.yml", "endpoints.yml", "bot", "actions",
              "knowledge", "knowledge/data", "requirements.lock", "package-lock.json", "package.json"]
    assert not [path for path in needed if ignored(path, patterns)]


def test_the_dockerfile_builds_what_the_deployments_run():
    instructions = dockerfile_instructions()
    final = final_stage(instructions)
    assert final[0].arguments == "python:3.10-slim"
    runs = " ".join(i.arguments for i in final if i.keyword == "RUN")
    assert "-r /opt/requirements.lock" in runs and "python -m bot train" in runs
    users = [i.arguments for i in final if i.keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    # The chat page serves socket.io-client from the project's node_modules/.
    root = image_workdir(instructions)
    copied = [i.arguments.split() for i in final if i.keyword == "COPY" and "--from=web-assets" in i.arguments]
    assert copied and copied[0][-1] in ("./node_modules", f"{root}/node_modules")
    assert SOCKET_IO_CLIENT.relative_to(PROJECT_ROOT).parts[0] == "node_modules"
