"""``solgraph analyse peers``, ``matches`` and ``shortlist`` in the reader's language (issue
22): headers, titles, vocabulary and countries, and each reason, said from the catalogues;
``--json`` stays English."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.analysis.matching import GONE_IN
from app.analysis.shortlist import EXACT
from app.cli.main import cli
from app.domain.languages import country_name
from app.domain.messages import gettext
from app.domain.terms import label

pytestmark = pytest.mark.usefixtures("wide")


def analyse(reader_env: dict[str, str], *arguments: str) -> str:
    result = CliRunner().invoke(cli, ["analyse", *arguments], env=reader_env)
    assert result.exit_code == 0, result.output
    return result.output


def test_peers_in_spanish(reader_env: dict[str, str]) -> None:
    text = analyse(reader_env, "peers", "ima-limpia", "--lang", "es")
    # The brief's domestic workers: COOPFENAMUTRA (Dominican Republic) is a type 1 partnership too.
    assert gettext("Peers of {name}", "es").format(name="IMA Limpia") in text
    assert gettext("reasons", "es") in text and gettext("reasons", "es") != "reasons"
    assert gettext("shares both the sector and the partnership type", "es") in text
    domestic = label("sectors", "domestic_work", "es")
    assert gettext("sectors in common: {sectors}", "es").format(sectors=domestic.lower()) in text
    assert country_name("DO", "es") in text
    assert "sectors in common" not in text


def test_matches_in_french_and_a_note_in_french(reader_env: dict[str, str]) -> None:
    text = analyse(reader_env, "matches", "niscof-sacco", "--kind", "enabler", "--lang", "fr")
    # Box 6: COTU-K supports NISCOF, the SACCO's union side, in Kenya's street vending.
    assert gettext("Enabler matches for {name}", "fr").format(name="NISCOF SACCO") in text
    vending = label("sectors", "street_vending", "fr").lower()
    place = gettext("{sector} in {countries}", "fr").format(
        sector=vending, countries=country_name("KE", "fr")
    )
    assert gettext("enables {names} in {places}", "fr").format(names="NISCOF", places=place) in text
    assert label("bases", "inferred", "fr").lower() in text
    gone = analyse(reader_env, "matches", "niscof-sacco", "--as-of", "1900", "--lang", "fr")
    assert gettext(GONE_IN, "fr").format(year="1900") in gone


def test_shortlist_in_portuguese_and_its_json_in_english(reader_env: dict[str, str]) -> None:
    text = analyse(reader_env, "shortlist", "--lang", "pt")
    assert gettext("introduction", "pt") in text and gettext("why they fit", "pt") in text
    could = gettext("{enabler} could enable {organisation}", "pt")
    assert could.format(enabler="SEWA", organisation="SWaCH") in text
    assert gettext(EXACT, "pt").split("{n}")[0] in text
    answer = json.loads(analyse(reader_env, "shortlist", "--lang", "pt", "--json"))
    assert answer["how"].startswith(EXACT.split("{n}")[0]), "the JSON stays English"
