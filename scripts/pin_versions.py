"""Write ``constraints.txt``: the exact version of every package ``.[dev]`` resolves to here.

``make install`` installs with ``-c constraints.txt``, so every machine runs the versions the
tests passed with. The list is the project's requirements (its ``dev`` extra, with what that
pulls in) followed through the installed packages' own requirements, for this interpreter
and platform; packages installed by hand that nothing requires are left out. Run it with the
virtual environment's Python after an upgrade has passed the tests (``make constraints``).
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
EXTRA = "dev"
HEADER = """\
# The exact versions `make test` runs: every package that `pip install -e '.[dev]'` resolves to
# on Python 3.11 / Linux. `make install` installs with `-c constraints.txt`.
# To move on: widen the range in pyproject.toml, upgrade in .venv
# (`.venv/bin/pip install -U -e '.[dev]'`), pass `make test`, then `make constraints`
# (scripts/pin_versions.py) writes this file again. Do not edit by hand.
"""


def project_requirements(pyproject: Path, extra: str = EXTRA) -> list[Requirement]:
    """The project's own requirements with ``extra``, its self-references expanded."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    name = canonicalize_name(project["name"])
    optional: dict[str, list[str]] = project.get("optional-dependencies", {})
    wanted, seen, found = [extra], set(), [Requirement(r) for r in project["dependencies"]]
    while wanted:
        current = wanted.pop()
        if current in seen:
            continue
        seen.add(current)
        for line in optional.get(current, []):
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) == name:
                wanted.extend(requirement.extras)
            else:
                found.append(requirement)
    return found


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    """Whether ``requirement`` holds here, for a package installed with ``extras``."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras | {""})


def installed_closure(requirements: list[Requirement]) -> dict[str, str]:
    """Every installed distribution ``requirements`` need, transitively: name to version.

    ``PackageNotFoundError`` if one that applies here is not installed.
    """
    pins: dict[str, str] = {}
    done: set[tuple[str, frozenset[str]]] = set()
    queue = [(r, set[str]()) for r in requirements]
    while queue:
        requirement, parent_extras = queue.pop()
        if not _applies(requirement, parent_extras):
            continue
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in done:
            continue
        done.add(key)
        distribution = metadata.distribution(requirement.name)
        pins[distribution.metadata["Name"]] = distribution.version
        extras = set(requirement.extras)
        queue += [(Requirement(line), extras) for line in distribution.requires or []]
    return pins


def render(pins: dict[str, str]) -> str:
    """The constraints file: the header, then ``name==version`` by name."""
    lines = [f"{name}=={pins[name]}" for name in sorted(pins, key=canonicalize_name)]
    return HEADER + "\n".join(lines) + "\n"


def main() -> None:
    """Write the constraints file from the packages installed for this interpreter."""
    pins = installed_closure(project_requirements(ROOT / "pyproject.toml"))
    CONSTRAINTS.write_text(render(pins), encoding="utf-8")


if __name__ == "__main__":
    main()
