"""``solgraph analyse gaps`` in the reader's language: ``--lang``, else the locale the
environment names, else English (issue 22, point 2)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.domain.messages import gettext
from app.domain.terms import label

pytestmark = pytest.mark.usefixtures("wide")


def gaps(reader_env: dict[str, str], *options: str) -> str:
    result = CliRunner().invoke(
        cli, ["analyse", "gaps", "--country", "UG", *options], env=reader_env
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_portuguese_labels_with_lang(reader_env: dict[str, str]) -> None:
    text = gaps(reader_env, "--lang", "pt")
    # The seed: ATGWU is Uganda's only transport organisation, and no SSE unit is there.
    assert "ATGWU" in text and "Uganda" in text  # CLDR's Portuguese name is the English one
    assert label("sectors", "transport", "pt") in text  # "Transporte"
    for header in ("Gaps", "organisations", "where", "why"):
        assert gettext(header, "pt") in text and gettext(header, "pt") != header
    assert "but no SSE unit" not in text and "nenhuma unidade da ESS" in text


def test_the_environment_names_the_language_and_lang_overrides_it(
    reader_env: dict[str, str],
) -> None:
    french = gaps({**reader_env, "LANG": "fr_FR.UTF-8"})
    assert "Ouganda" in french and "Lacunes" in french  # CLDR's French name for Uganda
    assert "Gaps" not in french
    english = gaps({**reader_env, "LANG": "fr_FR.UTF-8"}, "--lang", "en")
    assert "In Uganda, the transport sector has union-side organisations (ATGWU)" in english
    unknown = gaps({**reader_env, "LANG": "de_DE.UTF-8"})
    assert "Gaps" in unknown, "a language we do not have reads as English"


def test_an_unknown_lang_is_refused_naming_ours(reader_env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["analyse", "gaps", "--lang", "de"], env=reader_env)
    assert result.exit_code == 2
    assert "'de' is not a language we have; allowed: en, es, fr, pt" in result.output


def test_the_other_analyses_print_their_tables_in_the_language(reader_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["analyse", "enablers", "ima-limpia", "--lang", "es"], env=reader_env
    )
    assert result.exit_code == 0, result.output
    # Box 3: AFD, a development agency, enables IMA Limpia.
    assert gettext("Enablers of {name}", "es").format(name="IMA Limpia") in result.output
    assert label("organization_types", "development_agency", "es") in result.output
    assert gettext("mechanisms", "es") in result.output
    brokers = CliRunner().invoke(cli, ["analyse", "brokers", "--lang", "fr"], env=reader_env)
    assert brokers.exit_code == 0, brokers.output
    assert gettext("Bridges between movements", "fr") in brokers.output
