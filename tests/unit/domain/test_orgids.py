"""Org-id identifiers read against the whole register in ``../shared/data/org-id/register``.

Expected values come from the register's own files (list codes, names, coverage and each list's
``exampleIdentifiers``), read here independently of ``graph_schema/org_id_lists.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.domain.orgids import org_id_lists, read_org_id

REGISTER = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "org-id" / "register"


def register() -> list[dict[str, Any]]:
    return [json.loads(path.read_text("utf-8")) for path in sorted(REGISTER.glob("*/*.json"))]


def test_the_shipped_table_holds_every_list_of_the_register() -> None:
    lists = register()
    assert len(lists) == 823, "SOURCES.md: the register has 823 lists"
    shipped = org_id_lists()
    for raw in lists:
        found = shipped[raw["code"]]
        assert found.name == (raw["name"]["en"] or raw["code"])
        assert list(found.coverage) == sorted(raw.get("coverage") or [])
        assert found.deprecated == bool(raw.get("deprecated"))


def examples() -> list[tuple[str, str]]:
    """(list code, example number) for every list whose examples are plain numbers."""
    pairs = []
    for raw in register():
        text = (raw.get("access") or {}).get("exampleIdentifiers") or ""
        first = re.split(r"[,;\s]+", text.strip())[0]
        if re.fullmatch(r"[A-Za-z0-9]*[1-9A-Za-z][A-Za-z0-9]*", first):
            pairs.append((raw["code"], first))
    return pairs


def test_every_example_of_the_register_reads_as_an_org_id_of_its_list() -> None:
    pairs = examples()
    assert len(pairs) > 150
    for code, number in pairs:
        found = read_org_id(f"{code}-{number}")
        assert found.kind == "org-id", (code, number)
        assert found.key == f"{code}-{number.upper()}"
        assert found.list is not None and found.list.code == code


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("GB-REV", "bare prefix"),  # issue 16: HMRC-registered charities filed with no number
        ("GB-CHC-", "bare prefix"),
        ("GB-CHC-000000", "placeholder"),  # 360Giving's fundingproviders fixture
        ("GB-COH-N/A", "placeholder"),
        ("GB-1", "unknown prefix"),  # the old DFID ref in IATI 1.0x files; GB is no list
        ("AA-AAA-123456789", "unknown prefix"),  # IATI's annotated examples
        ("1", "not an identifier"),  # issue 16: a publisher's internal codes
        ("61", "not an identifier"),
        ("RUBBISH-COH-RC000000", "not an identifier"),  # 360Giving's deliberately bad id
    ],
)
def test_texts_that_must_never_join_organisations(text: str, kind: str) -> None:
    found = read_org_id(text)
    assert found.kind == kind
    assert found.key is None


def test_case_and_spaces_do_not_count_and_a_list_gives_its_one_country() -> None:
    assert read_org_id("gb-chc-1068839").key == read_org_id("GB-CHC-1068839").key
    assert read_org_id("GB-CHC-1068839").country == "GB"
    assert read_org_id("XM-DAC-7").country is None, "the DAC list covers no one country"
