"""``solgraph load``, ``info`` and ``import`` report in the reader's language: ``--lang``, else
the locale the environment names, else English (issue 22, point 2). Expected words come from
the catalogues, graph_schema/terms and the seed, not from the commands' code."""

from __future__ import annotations

import json
from importlib import import_module
from importlib.resources import files
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from rich.console import Console
from typer.testing import CliRunner

from app.cli import imports
from app.cli.main import cli
from app.domain.messages import gettext
from app.domain.terms import label
from app.io.documents import seed_document

SEED_FILE = str(files("seed_data").joinpath("ecosystem.yaml"))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "SOLGRAPH_STORE": "memory",
        "SOLGRAPH_DATA_DIR": str(tmp_path / "data"),
        "LANGUAGE": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "LANG": "C.UTF-8",
    }


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console wide enough that no line of a table wraps, whatever the terminal."""
    console = Console(width=400, markup=False, highlight=False)
    monkeypatch.setattr(import_module("app.cli.main"), "out", console)  # app.cli.main() hides it
    monkeypatch.setattr(imports, "out", console)


def run(env: dict[str, str], *arguments: str) -> str:
    result = CliRunner().invoke(cli, list(arguments), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_load_reports_in_spanish_with_lang(env: dict[str, str]) -> None:
    text = run(env, "load", SEED_FILE, "--lang", "es")
    for word in ("records", "created", "unchanged", "organizations", "relationships"):
        assert gettext(word, "es") in text and gettext(word, "es") != word, word
    seed = seed_document()
    row = next(line for line in text.splitlines() if gettext("organizations", "es") in line)
    assert str(len(seed.organizations)) in row, "every organisation of the seed was created"
    assert "unchanged" not in text


def test_info_names_types_in_the_language_the_environment_names(env: dict[str, str]) -> None:
    run(env, "load", SEED_FILE)
    text = run({**env, "LANG": "fr_FR.UTF-8"}, "info")
    assert label("organization_types", "trade_union", "fr") in text  # "Syndicat"
    assert label("relationship_types", "PARTNERS_WITH", "fr") in text
    assert gettext("graph version: {version}", "fr").split("{")[0] in text
    assert "Trade union" not in text and "graph version" not in text
    english = run({**env, "LANG": "fr_FR.UTF-8"}, "info", "--lang", "en")
    assert "Trade union" in english and "graph version" in english, "--lang overrides"


def test_an_import_reports_and_queues_in_portuguese(env: dict[str, str], tmp_path: Path) -> None:
    """The seed has both names (Kenya's street vendors, Brazil's CUT), and nothing confirms
    either, so both wait for review."""
    run(env, "load", SEED_FILE)
    grants = [
        {
            "id": f"360G-LANG-{n}",
            "title": "Organising support",
            "recipientOrganization": [{"name": name}],
            "fundingOrganization": [{"id": "GB-CHC-200051", "name": "Esmée Fairbairn Foundation"}],
        }
        for n, name in enumerate(["KENASVIT", "CUT"], start=1)
    ]
    grants_file = tmp_path / "grants.json"
    grants_file.write_text(json.dumps({"grants": grants}))
    checked = run(env, "import", str(grants_file), "--dry-run", "--lang", "pt")
    said = gettext("candidate matches for review: {count}", "pt")
    assert said != "candidate matches for review: {count}"
    assert said.format(count=format_decimal(2, locale="pt")) in checked
    assert gettext("dry run: valid against the store; nothing written", "pt") in checked
    imported = run(env, "import", str(grants_file), "--lang", "pt")
    waiting = gettext("{count} name match(es) await review: solgraph import --review", "pt")
    assert waiting.format(count="2") in imported
    assert "await review" not in imported
    reviewed = CliRunner().invoke(
        cli, ["import", "--review", "--lang", "es"], env=env, input="s\ns\n"
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert gettext("{count} name match(es) await review", "es").format(count="2") in reviewed.output
    assert f"  {gettext('imported', 'es')}:" in reviewed.output
