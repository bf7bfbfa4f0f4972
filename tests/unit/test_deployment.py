"""Settings refuse bad values by name, and docker-compose.yml is wired to the settings."""

from __future__ import annotations

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
