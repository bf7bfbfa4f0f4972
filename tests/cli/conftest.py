"""What the CLI language tests share: an environment that names no language, so that only
``--lang`` or the variable a test sets chooses one, and consoles wide enough that no line of
a table wraps, whatever the terminal (``pytest.mark.usefixtures("wide")``)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from rich.console import Console

CONSOLES = ("app.cli.analyse", "app.cli.main", "app.cli.imports", "app.cli.keys", "app.cli.db")
"""The modules whose ``out`` console prints the tables and reports under test."""


@pytest.fixture
def reader_env(tmp_path: Path) -> dict[str, str]:
    return {
        "SOLGRAPH_STORE": "memory",
        "SOLGRAPH_DATA_DIR": str(tmp_path / "data"),
        "LANGUAGE": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "LANG": "C.UTF-8",
    }


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    console = Console(width=400, markup=False, highlight=False)
    for module in CONSOLES:
        # app.cli.main() hides the name ``out`` behind its function of that module's name.
        monkeypatch.setattr(import_module(module), "out", console)
