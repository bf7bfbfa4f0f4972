"""``solgraph load``, ``info`` and ``import`` report in the reader's language: ``--lang``, else
the locale the environment names, else English (issue 22, point 2). Expected words come from
the catalogues, graph_schema/terms and the seed, not from the commands' code."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from typer.testing import CliRunner

from app.cli.main import cli
from app.domain.messages import gettext, ngettext
from app.domain.terms import label
from app.io.documents import seed_document

pytestmark = pytest.mark.usefixtures("wide")

SEED_FILE = str(files("seed_data").joinpath("ecosystem.yaml"))


def run(reader_env: dict[str, str], *arguments: str) -> str:
    result = CliRunner().invoke(cli, list(arguments), env=reader_env)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_load_reports_in_spanish_with_lang(reader_env: dict[str, str]) -> None:
    text = run(reader_env, "load", SEED_FILE, "--lang", "es")
    for word in ("records", "created", "unchanged", "organizations", "relationships"):
        assert gettext(word, "es") in text and gettext(word, "es") != word, word
    seed = seed_document()
    row = next(line for line in text.splitlines() if gettext("organizations", "es") in line)
    assert str(len(seed.organizations)) in row, "every organisation of the seed was created"
    assert "unchanged" not in text


def test_info_names_types_in_the_language_the_environment_names(reader_env: dict[str, str]) -> None:
    run(reader_env, "load", SEED_FILE)
    text = run({**reader_env, "LANG": "fr_FR.UTF-8"}, "info")
    assert label("organization_types", "trade_union", "fr") in text  # "Syndicat"
    assert label("relationship_types", "PARTNERS_WITH", "fr") in text
    assert gettext("graph version: {version}", "fr").split("{")[0] in text
    assert "Trade union" not in text and "graph version" not in text
    english = run({**reader_env, "LANG": "fr_FR.UTF-8"}, "info", "--lang", "en")
    assert "Trade union" in english and "graph version" in english, "--lang overrides"


def test_an_import_reports_and_queues_in_portuguese(
    reader_env: dict[str, str], tmp_path: Path
) -> None:
    """The seed has both names (Kenya's street vendors, Brazil's CUT), and nothing confirms
    either, so both wait for review."""
    run(reader_env, "load", SEED_FILE)
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
    checked = run(reader_env, "import", str(grants_file), "--dry-run", "--lang", "pt")
    said = gettext("candidate matches for review: {count}", "pt")
    assert said != "candidate matches for review: {count}"
    assert said.format(count=format_decimal(2, locale="pt")) in checked
    assert gettext("dry run: valid against the store; nothing written", "pt") in checked
    imported = run(reader_env, "import", str(grants_file), "--lang", "pt")
    waiting = ngettext(
        "{count} name match awaits review: solgraph import --review",
        "{count} name matches await review: solgraph import --review",
        2,
        "pt",
    )
    assert waiting.format(count="2") in imported
    assert "await review" not in imported
    reviewed = CliRunner().invoke(
        cli, ["import", "--review", "--lang", "es"], env=reader_env, input="s\ns\n"
    )
    assert reviewed.exit_code == 0, reviewed.output
    plural = ngettext(
        "{count} name match awaits review", "{count} name matches await review", 2, "es"
    )
    assert plural.format(count="2") in reviewed.output
    assert f"  {gettext('imported', 'es')}:" in reviewed.output


def test_keys_the_database_status_and_validate_speak_the_language(
    reader_env: dict[str, str],
) -> None:
    """The operator's commands too: the keys table and its roles, the status lines, the
    verdict of validate, with numbers as the language writes them."""
    made = CliRunner().invoke(
        cli,
        ["keys", "create", "--name", "Ana", "--role", "editor", "--lang", "pt"],
        env=reader_env,
    )
    assert made.exit_code == 0, made.output
    shown = gettext("made {role} key '{name}'; it is shown once:", "pt")
    assert shown.format(role=gettext("editor", "pt"), name="Ana") in made.output
    listed = run(reader_env, "keys", "list", "--lang", "fr")
    for word in ("name", "role", "key id", "created by", "editor"):
        assert gettext(word, "fr") in listed and gettext(word, "fr") != word, word
    status = run(reader_env, "db", "status", "--lang", "es")
    for line in ("schema version: {value}", "graph version: {value}", "relationships: {value}"):
        assert gettext(line, "es").split("{")[0] in status and "version:" not in status, line
    seed = seed_document()
    valid = gettext(
        "valid: {organizations} organizations, {relationships} relationships", "pt"
    ).format(
        organizations=format_decimal(len(seed.organizations), locale="pt"),
        relationships=format_decimal(len(seed.relationships), locale="pt"),
    )
    assert valid in run(reader_env, "validate", SEED_FILE, "--lang", "pt")
