"""Packaging: the wheel carries the schema, seed and Cypher files, so `pip install .` works
anywhere, and the dependency ranges and pins are the versions the tests run.

Each range in pyproject.toml must start low enough to hold the pinned version and stop before
the next release that may break (the next major version, or the next minor one below 1.0);
constraints.txt must pin what the project resolves to, and pin what is installed.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pin_versions
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
CONSTRAINTS = ROOT / "constraints.txt"


def test_wheel_ships_schema_seed_and_queries(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("solidarity_graph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "graph_schema/vocabulary.yaml",
        "graph_schema/matching.yaml",
        "graph_schema/countries.yaml",
        "graph_schema/constraints.cypher",
        "graph_schema/org_id_lists.json",
        "graph_schema/indexes.cypher",
        "seed_data/ecosystem.yaml",
        "app/store/neo4j/cypher/list_organizations.cypher",
    ):
        assert required in names, required
    cypher = {n for n in names if n.endswith(".cypher") and n.startswith("app/")}
    in_tree = {str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.cypher")}
    assert cypher == in_tree
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "solgraph = app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def direct_requirements() -> list[Requirement]:
    """Every requirement pyproject.toml lists, in every extra, but the project's own."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        lines += extra
    found = [Requirement(line) for line in lines]
    return [r for r in found if canonicalize_name(r.name) != canonicalize_name(project["name"])]


def pins() -> dict[str, str]:
    """constraints.txt as package name (canonical) to version."""
    found: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"'{line}' is not name==version"
            found[canonicalize_name(name)] = version
    return found


def next_breaking(version: Version) -> Version:
    """The first release that may break ``version``'s users: next major, or next 0.x minor."""
    if version.major > 0:
        return Version(f"{version.major + 1}")
    return Version(f"0.{version.minor + 1}")


DIRECT = direct_requirements()


def test_direct_requirements_are_read() -> None:
    names = {canonicalize_name(r.name) for r in DIRECT}
    assert {"fastapi", "uvicorn", "neo4j", "pytest", "types-pyyaml"} <= names


@pytest.mark.parametrize("requirement", DIRECT, ids=str)
def test_each_range_holds_its_pin_and_stops_before_the_next_breaking_release(
    requirement: Requirement,
) -> None:
    operators = {spec.operator for spec in requirement.specifier}
    assert operators & {">=", "~=", "=="}, f"{requirement} has no lower bound"
    assert operators & {"<", "<=", "~=", "=="}, f"{requirement} has no upper bound"
    pinned = pins().get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} is not in constraints.txt"
    assert requirement.specifier.contains(pinned, prereleases=True), (pinned, str(requirement))
    assert not requirement.specifier.contains(next_breaking(Version(pinned))), str(requirement)


def test_the_pins_are_the_installed_versions() -> None:
    installed: dict[str, str] = {
        canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()
    }
    assert {name: installed.get(name) for name in pins()} == pins()


def test_the_pins_are_what_the_project_resolves_to() -> None:
    # Nothing missing, nothing extra: the file is what scripts/pin_versions.py writes now.
    closure = pin_versions.installed_closure(pin_versions.project_requirements(PYPROJECT))
    assert CONSTRAINTS.read_text(encoding="utf-8") == pin_versions.render(closure)


@pytest.mark.parametrize(
    ("version", "breaking"),
    [("0.165.0", "0.166"), ("0.3.2", "0.4"), ("25.7.1", "26"), ("6.0.12.20261122", "7")],
)
def test_next_breaking_release(version: str, breaking: str) -> None:
    assert next_breaking(Version(version)) == Version(breaking)
