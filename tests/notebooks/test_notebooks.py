"""The walkthroughs in notebooks/ run top to bottom, so they cannot rot, and read like the pages:
names, labels and sentences where the analyses answer with ids and keys, and one map each."""

from __future__ import annotations

import re
from pathlib import Path

import tempfile

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from app.io.documents import seed_document

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SEED_IDS = sorted(org.id for org in seed_document().organizations)


def run(name: str) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh kernel that talks over Unix sockets: TCP ports are picked
    free and bound later, and another test's server can take one in between (a CI run lost
    the kernel so, 'Address already in use')."""
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        ipc = Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/kernel"}})
        NotebookClient(
            book,
            timeout=180,
            kernel_name="python3",
            config=ipc,
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        ).execute()
    return book


def outputs(book: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]


def printed(book: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in outputs(book))


def pictures(book: nbformat.NotebookNode, media: str) -> list[str]:
    return [o["data"][media] for o in outputs(book) if media in o.get("data", {})]


def assert_no_ids_or_keys(text: str) -> None:
    """No seed organisation id as a word, and no snake_case vocabulary key or relationship
    type (``domestic_work``, ``trade_union``, ``PARTNERS_WITH``) where a person reads."""
    ids = [i for i in SEED_IDS if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    assert ids == []
    assert re.findall(r"\b\w+_\w+\b", text) == []


@pytest.mark.parametrize("name", ["analyst.ipynb", "funder.ipynb"])
def test_committed_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert outputs(book) == []
    nbformat.validate(book)


def test_analyst_notebook_runs_and_shows_the_briefs_types() -> None:
    book = run("analyst.ipynb")
    text = printed(book)
    assert "French Development Agency" in text and "Development agency" in text  # Box 3
    assert "IMA Limpia: Social enterprise (Social and solidarity economy) in Colombia" in text
    # Box 6: NISCOF seed-funded the SACCO, which lent to the groups until Covid-19. COTU-K's
    # support to NISCOF is undated, so it counts from the brief's year (2022), not in 2019.
    assert "reaches it through 1 organisation: NISCOF → NISCOF SACCO" in text
    assert "COTU-K →" not in text
    assert "type 3  Digital Platform Cooperative Project, South Africa" in text  # the table
    assert "SADSAWU → SLP → UDWOSA" in text and "SADSAWU partners with SLP" in text  # Box 5
    assert_no_ids_or_keys(text)
    [chain] = pictures(book, "image/svg+xml")
    assert "Who enables IMA Limpia" in chain and "AFD" in chain  # Box 3, as a map
    assert pictures(book, "image/png") == []


def test_funder_notebook_runs_and_shows_gaps_coverage_and_a_map() -> None:
    book = run("funder.ipynb")
    text = printed(book)
    # The seed: ATGWU is Uganda's only transport organisation, and no SSE unit is there.
    assert "In Uganda, the transport sector has union-side organisations (ATGWU)" in text
    assert "SSE units that depend on a single enabler:" in text  # the gaps page's heading
    # Box 3: IMA Limpia's enablers count in its cell, wherever they are based.
    assert "enablers: AFD, CARE Latin America and the Caribbean, Fundación Bien Humano" in text
    assert "Without NISCOF SACCO (2019):" in text  # Box 6
    assert "loses all support: Self-help groups of street vendors (Nairobi)" in text
    # KKPKP (a waste picker union, type 1) finds UNISOL (waste picking, Box 4) first; the
    # table's FENAMUTRA shares its type of partnership.
    assert "UNISOL Brasil, Brazil: shares the sector, not the partnership type" in text
    assert (
        "FENAMUTRA, Dominican Republic: shares the partnership type, not the sector; both in "
        "type 1 partnerships" in text
    )
    # Box 6: COTU-K supports NISCOF, so it is active in Kenya's street vending, where the
    # SACCO that NISCOF seeks to revive worked.
    assert "13  COTU-K: enables NISCOF in street vending in Kenya" in text
    assert "introductions close" in text and "could enable" in text and "Exact:" in text
    assert_no_ids_or_keys(text)
    heatmap, kenya = pictures(book, "image/svg+xml")
    assert "Coverage of the ecosystem by country and sector" in heatmap and "Colombia" in heatmap
    assert "Ecosystem: Kenya, in 2019" in kenya and "NISCOF SACCO" in kenya  # Box 6, as a map
    assert pictures(book, "image/png") == []
