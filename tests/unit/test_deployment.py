"""Settings refuse bad values by name, and docker-compose.yml is wired to the settings."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml
from pydantic import SecretStr

from app.domain.errors import InvalidData
from app.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_unknown_store_names_the_variable_and_the_valid_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOLGRAPH_STORE", "sqlite")
    with pytest.raises(InvalidData) as caught:
        load_settings()
    [problem] = caught.value.problems
    assert problem.field == "SOLGRAPH_STORE"
    assert "memory, neo4j" in problem.message


@pytest.mark.parametrize("password", ["", "neo4j", "password"])
def test_production_refuses_default_neo4j_passwords(password: str) -> None:
    with pytest.raises(ValueError, match="SOLGRAPH_NEO4J_PASSWORD"):
        Settings(store="neo4j", environment="production", neo4j_password=SecretStr(password))
    Settings(store="neo4j", environment="development", neo4j_password=SecretStr(password))


def test_secrets_are_not_shown_in_settings_repr() -> None:
    settings = Settings(neo4j_password=SecretStr("hunter2-long"))
    assert "hunter2-long" not in repr(settings) + str(settings)


def test_compose_wires_neo4j_5_26_and_the_api_by_settings() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j, api = compose["services"]["neo4j"], compose["services"]["api"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "healthcheck" in neo4j
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    environment = api["environment"]
    known = {f"SOLGRAPH_{name.upper()}" for name in Settings.model_fields}
    assert set(environment) <= known, "every variable the compose file sets is a setting"
    assert environment["SOLGRAPH_STORE"] == "neo4j"
    assert environment["SOLGRAPH_ENVIRONMENT"] == "production"
    # ${VAR:?message} makes compose stop when the password is missing.
    assert environment["SOLGRAPH_NEO4J_PASSWORD"].startswith("${SOLGRAPH_NEO4J_PASSWORD:?")
    assert ":?" in neo4j["environment"]["NEO4J_AUTH"]


def test_dockerfile_ships_schema_and_seed() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("app", "graph_schema", "seed_data"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "'.[neo4j]'" in dockerfile


def _dockerfile_instructions(keyword: str) -> list[str]:
    """The arguments of each of the Dockerfile's instructions named ``keyword``."""
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    return [line.removeprefix(keyword).strip() for line in lines if line.startswith(keyword)]


def test_dockerfile_cuts_off_slow_clients_and_caps_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The image sets the server's deadlines and cap explicitly, to the documented values."""
    variables = ("SOLGRAPH_HEADER_TIMEOUT", "SOLGRAPH_BODY_TIMEOUT", "SOLGRAPH_MAX_CONNECTIONS")
    for variable in variables:
        monkeypatch.delenv(variable, raising=False)
    set_by_image = [
        pair.partition("=")
        for arguments in _dockerfile_instructions("ENV ")
        for pair in shlex.split(arguments)
    ]
    for name, _, value in set_by_image:
        monkeypatch.setenv(name, value)
    assert set(variables) <= {name for name, _, _ in set_by_image}
    settings = load_settings()
    assert (settings.header_timeout, settings.body_timeout, settings.max_connections) == (
        10,
        60,
        200,
    )
    [command] = _dockerfile_instructions("CMD ")
    assert json.loads(command)[:2] == ["solgraph", "serve"], "the guarded server runs"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SOLGRAPH_HEADER_TIMEOUT", "0"),
        ("SOLGRAPH_BODY_TIMEOUT", "-5"),
        ("SOLGRAPH_MAX_CONNECTIONS", "0"),
        ("SOLGRAPH_HEADER_TIMEOUT", "1e9"),
    ],
)
def test_server_limits_refuse_values_that_would_serve_nobody_or_never_cut_off(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidData) as caught:
        load_settings()
    [problem] = caught.value.problems
    assert problem.field == variable
    assert "greater than" in problem.message or "less than" in problem.message


def test_a_password_inside_the_neo4j_uri_is_refused_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The URI is shown in errors and by ``solgraph info``, so it may hold no credentials."""
    monkeypatch.setenv("SOLGRAPH_NEO4J_URI", "bolt://neo4j:hunter2-long@db.example.org:7687")
    with pytest.raises(InvalidData) as caught:
        load_settings()
    [problem] = caught.value.problems
    assert problem.field == "SOLGRAPH_NEO4J_URI"
    assert "SOLGRAPH_NEO4J_PASSWORD" in problem.message
    assert "hunter2-long" not in str(caught.value)
    Settings(neo4j_uri="neo4j+s://db.example.org:7687")
