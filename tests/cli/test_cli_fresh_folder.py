"""``solgraph analyse`` on a fresh data folder loads the brief's ecosystem first, as ``serve``
does, says so on stderr, and weighs evidence as ``--basis`` says.

Expected rows are facts of the brief's partnership types table: in the Dominican Republic
FENAMUTRA established the COOPFENAMUTRA cooperative, a type 1 partnership. Organisations are
told apart by the names the brief gives, looked up in the shipped seed, never by the ids the
seed happens to use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.models import Document
from tests.cli.test_cli import solgraph


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An embedded store in a data folder that does not exist yet."""
    return {
        "SOLGRAPH_STORE": "memory",
        "SOLGRAPH_DATA_DIR": str(tmp_path / "fresh"),
        "COLUMNS": "240",
    }


def named(seed: Document, acronym: str) -> str:
    """The id of the seed's organisation the brief calls ``acronym``."""
    [found] = [o.id for o in seed.organizations if acronym in (o.name, *o.aliases)]
    return found


def coopfenamutra_rows(output: str, seed: Document) -> list[dict[str, object]]:
    coop = named(seed, "COOPFENAMUTRA")
    return [row for row in json.loads(output) if row["sse_unit"] == coop]


@pytest.mark.parametrize("basis", ["any", "stated"])
def test_partnerships_on_a_fresh_folder_give_the_brief_s_type_1_row(
    basis: str, env: dict[str, str], seed: Document
) -> None:
    result = solgraph("analyse", "partnerships", "--json", "--basis", basis, env=env, check=True)
    [row] = coopfenamutra_rows(result.stdout, seed)
    members = row["members"]
    assert row["type"] == 1
    assert isinstance(members, list) and named(seed, "FENAMUTRA") in members
    assert "loaded the brief's ecosystem" in result.stderr
    assert f"{len(seed.organizations)} organisations" in result.stderr


def test_the_table_names_the_partnership_as_the_brief_does(env: dict[str, str]) -> None:
    table = solgraph("analyse", "partnerships", "--type", "1", env=env, check=True).stdout
    line = next(line for line in table.splitlines() if "COOPFENAMUTRA" in line)
    assert line.split("│")[1].strip() == "1"
    assert "FENAMUTRA" in line.split("│")[4]


def test_the_seed_is_loaded_once(env: dict[str, str], seed: Document) -> None:
    solgraph("analyse", "gaps", "--json", env=env, check=True)
    again = solgraph("analyse", "gaps", "--json", env=env, check=True)
    assert "loaded" not in again.stderr, "a store that holds data is left as it is"
    info = solgraph("info", env=env, check=True).stdout
    assert f"organizations │ (all) │ {len(seed.organizations)}" in " ".join(info.split())


def test_an_unknown_basis_is_refused_naming_the_allowed_values(env: dict[str, str]) -> None:
    result = solgraph("analyse", "gaps", "--basis", "probable", env=env)
    assert result.returncode == 2
    assert "--basis 'probable' is not allowed; allowed: any, stated" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["enablers", "ima-limpia"],
        ["enabled", "utrasd"],
        ["paths", "sadsawu", "udwosa"],
        ["gaps"],
        ["what-if", "--remove", "utrasd"],
        ["brokers"],
        ["peers", "kkpkp"],
        ["matches", "niscof-sacco", "--kind", "enabler"],
        ["shortlist", "--n", "2"],
    ],
)
def test_every_analysis_takes_a_basis(command: list[str], env: dict[str, str]) -> None:
    assert solgraph("analyse", *command, "--basis", "stated", env=env).returncode == 0
    assert solgraph("analyse", *command, "--basis", "maybe", env=env).returncode == 2
