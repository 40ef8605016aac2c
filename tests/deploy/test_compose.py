"""The container deployment, checked without a Docker daemon.

docker-compose.yml is validated against the Compose specification and against the rules that
keep the stack safe to start: every dependency exists and is waited on until healthy, the Airflow
services share one configuration (CeleryExecutor), the project folders and the data volume are
mounted, secrets only ever come from .env, and every variable the file reads is explained in
.env.example. Every Airflow service reads the warehouse from MH_WAREHOUSE_URL, whose example
value names the compose warehouse service, and all of them share one data volume. The
Dockerfile must build the Airflow version uv.lock pins. deploy/compose.local-images.yml, the
override for hosts without an image registry, may swap images and the Dockerfile's base-image
arguments and nothing else. Each check is also fed a broken copy, so a check that stopped biting
fails too.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_FILE = ROOT / "include" / "marketing_health" / "settings.py"
DBT_PROFILES = ROOT / "dbt_project" / "profiles.yml"
BOOTSTRAP = ROOT / "scripts" / "bootstrap.sh"
LOCAL_IMAGES = ROOT / "deploy" / "compose.local-images.yml"

AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
)
#: Services that run a command and exit: no health check, waited on with "completed".
ONE_SHOT_SERVICES = frozenset({"airflow-init", "airflow-cli"})
PROJECT_MOUNTS = {
    "dags": "/opt/airflow/dags",
    "plugins": "/opt/airflow/plugins",
    "include": "/opt/airflow/include",
    "dbt_project": "/opt/airflow/dbt_project",
}
DATA_MOUNT = "/opt/airflow/var"
DATA_PATH_SETTINGS = (
    "MH_DATA_DIR",
    "MH_LANDING_DIR",
    "MH_WAREHOUSE",
    "MH_STAGING_DIR",
    "MH_RUNS_DIR",
    "MH_DBT_TARGET_DIR",
)

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|WEBHOOK|_KEY$|^AIRFLOW_CONN_")
#: ${NAME}, ${NAME:?message}, ${NAME?message}, ${NAME:-}, ${NAME-}: nothing literal in the file.
SUBSTITUTION_ONLY = re.compile(r"\$\{[A-Za-z_]\w*(?::?\?[^}]*|:?-)?\}")
URL_PASSWORD = re.compile(r"://[^:/@\s]*:([^@\s]+)@")
SLACK_SECRET = re.compile(r"xox[a-z]-|hooks\.slack\.com/services/")
#: ${NAME...} read by Compose; "$${NAME}" is an escaped shell variable and is skipped.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_]\w*)")


# --- helpers ---------------------------------------------------------------------------------


def _compose_text() -> str:
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(_compose_text())


@pytest.fixture(scope="module")
def env_example() -> str:
    return ENV_EXAMPLE.read_text(encoding="utf-8")


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema from this interpreter's environment, with its vendored Compose schema."""
    validator = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run(
        [str(validator), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> source of every short-syntax volume."""
    mounts = {}
    for volume in service.get("volumes") or []:
        # Split SOURCE:TARGET[:MODE] on colons outside ${...:-default} substitutions.
        source, target = re.split(r":(?![^{]*\})", str(volume))[:2]
        mounts[target] = source
    return mounts


def _documented(env_text: str) -> set[str]:
    """Variables .env.example assigns, including commented-out examples."""
    return set(re.findall(r"^#?\s*([A-Za-z_]\w*)=", env_text, flags=re.MULTILINE))


def _settings_read_by_product() -> set[str]:
    names = set(re.findall(r"[\"'](MH_[A-Z_]+)[\"']", SETTINGS_FILE.read_text(encoding="utf-8")))
    if DBT_PROFILES.exists():
        profiles = DBT_PROFILES.read_text(encoding="utf-8")
        names |= set(re.findall(r"env_var\(\s*['\"](MH_[A-Z_]+)['\"]", profiles))
    return names


def dangling_dependencies(compose: dict[str, Any]) -> list[str]:
    services = compose["services"]
    return [
        f"{name} -> {dep}"
        for name, service in services.items()
        for dep in service.get("depends_on") or {}
        if dep not in services
    ]


def unhealthy_waits(compose: dict[str, Any]) -> list[str]:
    """Dependencies not waited for: long-running ones until healthy, one-shots until done."""
    problems = []
    for name, service in compose["services"].items():
        depends = service.get("depends_on") or {}
        if isinstance(depends, list):
            problems.extend(f"{name} -> {dep}: no condition" for dep in depends)
            continue
        for dep, spec in depends.items():
            wanted = (
                "service_completed_successfully" if dep in ONE_SHOT_SERVICES else "service_healthy"
            )
            if (spec or {}).get("condition") != wanted:
                problems.append(f"{name} -> {dep}: condition should be {wanted}")
    return problems


def missing_healthchecks(compose: dict[str, Any]) -> list[str]:
    problems = []
    for name, service in compose["services"].items():
        if name in ONE_SHOT_SERVICES:
            continue
        check = service.get("healthcheck") or {}
        test = check.get("test")
        if check.get("disable") or not test or test in ("NONE", ["NONE"]):
            problems.append(name)
    return problems


def _seconds(duration: str) -> float:
    """A Compose duration such as 30s, 1m30s or 500ms, in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    return sum(
        float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    )


def unbounded_healthchecks(compose: dict[str, Any]) -> list[str]:
    """Health checks that start Airflow's or Celery's CLI without ending it before Docker's
    timeout: Docker stops waiting but leaves the check running, and on a busy host slow checks
    pile up."""
    problems = []
    for name, service in compose["services"].items():
        check = service.get("healthcheck") or {}
        test = check.get("test") or []
        command = test if isinstance(test, str) else " ".join(str(part) for part in test[1:])
        if not re.search(r"\b(airflow|celery)\s", command):
            continue
        bounded = re.match(r"\s*timeout\s+(\d+)\s", command)
        if not bounded or float(bounded.group(1)) >= _seconds(str(check.get("timeout", "30s"))):
            problems.append(name)
    return problems


def literal_secrets(compose: dict[str, Any]) -> list[str]:
    """Secret-looking settings whose value is not purely a ${...} substitution."""
    blocks = {name: block for name, block in compose.items() if name.startswith("x-")}
    blocks.update(compose["services"])
    problems = []
    for name, block in blocks.items():
        if not isinstance(block, dict):
            continue
        for key, value in _environment(block).items():
            if SECRET_NAME.search(key) and not SUBSTITUTION_ONLY.fullmatch(value):
                problems.append(f"{name}: {key}")
            for password in URL_PASSWORD.findall(value):
                if not SUBSTITUTION_ONLY.fullmatch(password):
                    problems.append(f"{name}: {key} has a password in its URL")
    return problems


# --- the Compose file ------------------------------------------------------------------------


def test_compose_file_follows_the_compose_specification() -> None:
    result = _validate(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("mistake", "replacement"),
    [
        ("condition: service_completed_successfully", "condition: service_finished"),
        ("    command: scheduler\n", "    command: scheduler\n    restart_on_failure: true\n"),
    ],
    ids=["unknown-condition", "unknown-service-key"],
)
def test_validator_rejects_a_broken_copy(tmp_path: Path, mistake: str, replacement: str) -> None:
    text = _compose_text()
    assert mistake in text
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(text.replace(mistake, replacement, 1), encoding="utf-8")
    result = _validate(broken)
    assert result.returncode != 0
    assert "validation errors" in result.stdout + result.stderr


def test_dependencies_exist_and_are_waited_on(compose: dict[str, Any]) -> None:
    assert dangling_dependencies(compose) == []
    assert unhealthy_waits(compose) == []


def test_long_running_services_have_health_checks(compose: dict[str, Any]) -> None:
    assert missing_healthchecks(compose) == []
    assert set(compose["services"]) >= {*AIRFLOW_SERVICES, "postgres", "redis", "celery-flower"}


def test_slow_health_checks_end_before_docker_stops_waiting(compose: dict[str, Any]) -> None:
    assert unbounded_healthchecks(compose) == []
    bounded = [
        name
        for name, service in compose["services"].items()
        if "timeout " in str((service.get("healthcheck") or {}).get("test"))
    ]
    assert {"airflow-dag-processor", "airflow-triggerer", "airflow-worker"} <= set(bounded)


def nested_substitutions(text: str) -> list[str]:
    """``${A:-${B}}``: Compose v2 reads the inner default, Debian's docker-compose 1.29 leaves
    it in the value (``http://localhost:${AIRFLOW_API_PORT:-8080}``) or appends a ``}``."""
    return re.findall(r"(?<!\$)\$\{[^}\n]*\$\{[^\n]*", text)


def test_no_substitution_nests_another(compose: dict[str, Any]) -> None:
    assert nested_substitutions(_compose_text()) == []
    broken = "      X: ${MH_OPS_SLACK_CHANNEL:-${MH_FALLBACK_SLACK_CHANNEL:-#marketing-ops}}\n"
    assert nested_substitutions(broken) != []
    assert nested_substitutions("      Y: ${A:-x} and ${B:-y}\n") == []


def test_flower_is_opt_in(compose: dict[str, Any]) -> None:
    assert compose["services"]["celery-flower"].get("profiles") == ["flower"]


def test_airflow_services_share_the_common_block(compose: dict[str, Any]) -> None:
    text = _compose_text()
    common = compose["x-airflow-common"]
    common_env = _environment(common)
    assert common_env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert "build" in common, "the Airflow services run the image built from ./Dockerfile"
    for name in AIRFLOW_SERVICES:
        block = re.search(rf"^  {name}:\n((?:    .*\n|\n)+)", text, flags=re.MULTILINE)
        assert block and "<<: *airflow-common\n" in block.group(1), name
        service = compose["services"][name]
        for key in ("image", "build", "volumes", "user"):
            assert service.get(key) == common.get(key), f"{name}.{key}"
        env = _environment(service)
        assert {k: env.get(k) for k in common_env} == common_env, name


def test_workers_can_be_scaled(compose: dict[str, Any]) -> None:
    worker = compose["services"]["airflow-worker"]
    assert "container_name" not in worker
    assert not worker.get("ports"), "a published port would clash between worker replicas"


def test_project_folders_and_data_volume_are_mounted(compose: dict[str, Any]) -> None:
    named_volumes = set(compose.get("volumes") or {})
    for name in AIRFLOW_SERVICES:
        mounts = _mounts(compose["services"][name])
        for folder, target in PROJECT_MOUNTS.items():
            assert mounts.get(target, "").endswith(f"/{folder}"), f"{name}: {target}"
        assert mounts.get(DATA_MOUNT) in named_volumes, f"{name}: {DATA_MOUNT}"


def test_settings_point_inside_the_containers(compose: dict[str, Any]) -> None:
    env = _environment(compose["x-airflow-common"])
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    assert env["MH_DATA_DIR"] == DATA_MOUNT
    assert env["MH_DBT_PROJECT_DIR"] == PROJECT_MOUNTS["dbt_project"]
    for name in DATA_PATH_SETTINGS:
        assert env[name].startswith(DATA_MOUNT + "/") or env[name] == DATA_MOUNT, name


def test_no_secret_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    assert literal_secrets(compose) == []
    assert not SLACK_SECRET.search(_compose_text())


def test_every_variable_is_documented_in_env_example(env_example: str) -> None:
    used = set(COMPOSE_VARIABLE.findall(_compose_text()))
    assert used, "the compose file reads its settings from .env"
    assert sorted(used - _documented(env_example)) == []


def test_required_secrets_are_listed_empty_in_env_example(env_example: str) -> None:
    """cp .env.example .env must not start a stack with a known password: Compose refuses."""
    required = set(re.findall(r"\$\{([A-Za-z_]\w*):\?", _compose_text()))
    assigned = dict(re.findall(r"^([A-Za-z_]\w*)=(.*)$", env_example, flags=re.MULTILINE))
    for name in sorted(required):
        assert assigned.get(name) == "", name
    for name, value in assigned.items():
        if SECRET_NAME.search(name):
            assert value == "", f"{name} must be a placeholder, not a value"


def test_env_example_explains_every_product_setting(env_example: str) -> None:
    settings = _settings_read_by_product()
    assert "MH_PII_HASH_KEY" in settings
    assert sorted(settings - _documented(env_example)) == []
    for conn in ("AIRFLOW_CONN_SLACK_MARKETING_HEALTH", "AIRFLOW_CONN_SLACK_MARKETING_HEALTH_OPS"):
        assert conn in _documented(env_example)
    assert '"conn_type": "slackwebhook"' in env_example
    assert '"conn_type": "slack"' in env_example


@pytest.mark.parametrize(
    ("check", "where", "change"),
    [
        (dangling_dependencies, ("airflow-scheduler", "depends_on"), {"metadata-db": {}}),
        (
            unhealthy_waits,
            ("airflow-worker", "depends_on"),
            {"airflow-apiserver": {"condition": "service_started"}},
        ),
        (missing_healthchecks, ("airflow-triggerer",), {"healthcheck": None}),
        (
            unbounded_healthchecks,
            ("airflow-triggerer", "healthcheck"),
            {"test": ["CMD-SHELL", "airflow jobs check --job-type TriggererJob"]},
        ),
        (unbounded_healthchecks, ("airflow-worker", "healthcheck"), {"timeout": "10s"}),
        (
            literal_secrets,
            ("airflow-worker", "environment"),
            {"AIRFLOW__CORE__FERNET_KEY": "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE="},
        ),
        (
            literal_secrets,
            ("postgres", "environment"),
            {"POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:-airflow}"},
        ),
        (
            literal_secrets,
            ("airflow-worker", "environment"),
            {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql://airflow:airflow@postgres/db"},
        ),
    ],
    ids=[
        "dangling",
        "not-healthy",
        "no-healthcheck",
        "unbounded-check",
        "check-outlives-timeout",
        "fernet",
        "default-password",
        "url",
    ],
)
def test_structural_checks_catch_broken_copies(
    compose: dict[str, Any], check: Any, where: tuple[str, ...], change: dict[str, Any]
) -> None:
    broken = copy.deepcopy(compose)
    block = broken["services"]
    for key in where:
        block = block[key]
    block.update(change)
    assert check(broken) != []


# --- the warehouse and the shared data folder ------------------------------------------------

WAREHOUSE_SERVICE = "warehouse"


def _env_example_value(env_text: str, name: str) -> str:
    match = re.search(rf"^{name}=(.*)$", env_text, flags=re.MULTILINE)
    assert match, f"{name} is not assigned in .env.example"
    return match.group(1).strip().strip("'\"")


def warehouse_problems(compose: dict[str, Any]) -> list[str]:
    """Airflow services that do not read MH_WAREHOUSE_URL from .env or do not wait for it."""
    problems = []
    for name in AIRFLOW_SERVICES:
        service = compose["services"][name]
        value = _environment(service).get("MH_WAREHOUSE_URL")
        if value is None or not re.fullmatch(r"\$\{MH_WAREHOUSE_URL(:?-[^}]*)?\}", value):
            problems.append(f"{name}: MH_WAREHOUSE_URL={value!r}")
        wait = (service.get("depends_on") or {}).get(WAREHOUSE_SERVICE) or {}
        if wait.get("condition") != "service_healthy":
            problems.append(f"{name}: does not wait for a healthy {WAREHOUSE_SERVICE}")
    return problems


def shared_data_volumes(compose: dict[str, Any]) -> set[str]:
    """The source mounted at the data folder, over every Airflow service: one name when shared."""
    return {_mounts(compose["services"][name]).get(DATA_MOUNT, "") for name in AIRFLOW_SERVICES}


def test_every_airflow_service_reads_the_warehouse_from_env(compose: dict[str, Any]) -> None:
    assert warehouse_problems(compose) == []


def test_example_warehouse_url_is_the_compose_warehouse_service(
    compose: dict[str, Any], env_example: str
) -> None:
    from urllib.parse import urlsplit

    from marketing_health.settings import checked_warehouse_url

    service = compose["services"][WAREHOUSE_SERVICE]
    env = _environment(service)
    url = _env_example_value(env_example, "MH_WAREHOUSE_URL")
    parts = urlsplit(url)
    assert parts.hostname == WAREHOUSE_SERVICE
    assert parts.username == env["POSTGRES_USER"]
    assert parts.path.strip("/") == env["POSTGRES_DB"]
    # the password is the one the service is created with, filled in by Compose from .env
    password_variable = re.fullmatch(r"\$\{(\w+)\}", parts.password or "")
    assert password_variable, "the URL must take its password from a variable, not hold it"
    assert env["POSTGRES_PASSWORD"].startswith("${" + password_variable.group(1) + ":?")
    assert _env_example_value(env_example, password_variable.group(1)) == ""
    assert checked_warehouse_url(url.replace(parts.password, "example")) is not None
    assert "healthcheck" in service and service.get("volumes")


def test_workers_share_one_data_volume_for_staging_and_runs(compose: dict[str, Any]) -> None:
    volumes = shared_data_volumes(compose)
    assert len(volumes) == 1 and volumes <= set(compose.get("volumes") or {}), volumes
    env = _environment(compose["x-airflow-common"])
    for name in ("MH_STAGING_DIR", "MH_RUNS_DIR", "MH_LANDING_DIR"):
        assert env[name].startswith(DATA_MOUNT + "/"), name


def test_warehouse_and_volume_checks_catch_broken_copies(compose: dict[str, Any]) -> None:
    literal = copy.deepcopy(compose)
    literal["services"]["airflow-worker"]["environment"]["MH_WAREHOUSE_URL"] = (
        "postgresql://marketing_health:x@warehouse/marketing_health"
    )
    assert warehouse_problems(literal) != []
    no_wait = copy.deepcopy(compose)
    no_wait["services"]["airflow-scheduler"]["depends_on"].pop(WAREHOUSE_SERVICE)
    assert warehouse_problems(no_wait) != []
    private = copy.deepcopy(compose)
    private["services"]["airflow-worker"]["volumes"] = [
        v if not str(v).endswith(f":{DATA_MOUNT}") else f"worker-data:{DATA_MOUNT}"
        for v in private["services"]["airflow-worker"]["volumes"]
    ]
    assert len(shared_data_volumes(private)) == 2


# --- the image -------------------------------------------------------------------------------


def _locked_version(package: str) -> str:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return next(p["version"] for p in lock["package"] if p["name"] == package)


def _base_images(dockerfile: str) -> list[str]:
    """Each stage's base image, a ``${ARG}`` read as the default the ARG line gives it."""
    defaults = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", dockerfile, flags=re.MULTILINE))
    images = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE)
    return [
        re.sub(r"\$\{(\w+)\}", lambda m: defaults.get(m.group(1), m.group(0)), i) for i in images
    ]


def test_dockerfile_builds_the_locked_airflow_version() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    images = _base_images(dockerfile)
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    python = re.search(r"\d+\.\d+", lock["requires-python"]).group(0)
    assert images[-1] == f"apache/airflow:{_locked_version('apache-airflow')}-python{python}"
    # Airflow itself must not move while the locked packages are installed on top.
    assert '"apache-airflow==${AIRFLOW_VERSION}"' in dockerfile
    assert re.search(r"uv.*export.*--frozen.*--no-dev", dockerfile.replace('", "', " "))
    assert "USER root" not in dockerfile


def test_dockerfile_reads_the_lock_with_the_projects_uv() -> None:
    if not BOOTSTRAP.exists():
        pytest.skip("no bootstrap script pins uv")
    pinned = re.search(r'UV_VERSION="([^"]+)"', BOOTSTRAP.read_text(encoding="utf-8"))
    assert pinned, "scripts/bootstrap.sh pins uv"
    images = _base_images(DOCKERFILE.read_text(encoding="utf-8"))
    assert images[0] == f"ghcr.io/astral-sh/uv:{pinned.group(1)}"


def test_build_context_holds_what_the_dockerfile_copies() -> None:
    ignored = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert ".env" in ignored, "secrets must stay out of the build context"
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0] != "COPY" or any(w.startswith("--from") for w in words):
            continue
        for source in (w for w in words[1:-1] if not w.startswith("--")):
            assert (ROOT / source).exists(), source
            assert source.rstrip("/") not in ignored, source


# --- the override for hosts without an image registry ----------------------------------------


def override_problems(compose: dict[str, Any], override: dict[str, Any]) -> list[str]:
    """What the local-images override changes beyond images and base-image build arguments,
    and the services it leaves on an image from a registry."""
    dockerfile_args = set(re.findall(r"^ARG\s+(\w+)", DOCKERFILE.read_text(encoding="utf-8"), re.M))
    problems = []
    swapped = override.get("services") or {}
    for name, service in swapped.items():
        if name not in compose["services"]:
            problems.append(f"{name}: not a service of docker-compose.yml")
        problems.extend(f"{name}: changes {key}" for key in set(service) - {"image", "build"})
        build = service.get("build") or {}
        problems.extend(f"{name}: changes build.{key}" for key in set(build) - {"args"})
        problems.extend(
            f"{name}: {arg} is no ARG of the Dockerfile"
            for arg in set(build.get("args") or {}) - dockerfile_args
        )
    for name, service in compose["services"].items():
        local = swapped.get(name) or {}
        if "build" in service:
            if set((local.get("build") or {}).get("args") or {}) != dockerfile_args:
                problems.append(f"{name}: built on the registry's base images")
        elif "image" in service and "image" not in local:
            problems.append(f"{name}: still pulls {service['image']}")
    return [p for p in problems if p]


@pytest.fixture(scope="module")
def local_images() -> dict[str, Any]:
    return yaml.safe_load(LOCAL_IMAGES.read_text(encoding="utf-8"))


def test_local_images_override_follows_the_compose_specification() -> None:
    result = _validate(LOCAL_IMAGES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_of_the_override_is_documented_in_env_example(env_example: str) -> None:
    used = set(COMPOSE_VARIABLE.findall(LOCAL_IMAGES.read_text(encoding="utf-8")))
    assert used, "the override names its images through .env"
    assert sorted(used - _documented(env_example)) == []


def test_local_images_override_swaps_only_images(
    compose: dict[str, Any], local_images: dict[str, Any]
) -> None:
    assert override_problems(compose, local_images) == []


@pytest.mark.parametrize(
    ("service", "change"),
    [
        ("redis", {"ports": ["6379:6379"]}),
        ("airflow-worker", {"build": {"context": "elsewhere"}}),
        ("postgres", {"image": None}),
        ("airflow-init", {"build": {"args": {"AIRFLOW_BASE_IMAGE": "x"}}}),
    ],
    ids=["publishes-a-port", "other-context", "pulls-postgres", "registry-uv"],
)
def test_override_check_catches_broken_copies(
    compose: dict[str, Any], local_images: dict[str, Any], service: str, change: dict[str, Any]
) -> None:
    broken = copy.deepcopy(local_images)
    broken["services"][service] = {**broken["services"][service], **change}
    broken["services"][service] = {k: v for k, v in broken["services"][service].items() if v}
    assert override_problems(compose, broken) != []
