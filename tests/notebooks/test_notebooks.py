"""The walkthroughs in notebooks/ run top to bottom, so they cannot rot."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def run(name: str) -> nbformat.NotebookNode:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        book, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return book


def outputs(book: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]


@pytest.mark.parametrize("name", ["analyst.ipynb", "funder.ipynb"])
def test_committed_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert outputs(book) == []
    nbformat.validate(book)


def test_analyst_notebook_runs_and_shows_the_briefs_types() -> None:
    text = "".join(o.get("text", "") for o in outputs(run("analyst.ipynb")))
    assert "French Development Agency" in text  # Box 3
    assert "type 3  digital-platform-cooperative-project" in text  # the table, type 3
    assert "sadsawu -> slp -> udwosa" in text  # Box 5


def test_funder_notebook_runs_and_draws_the_heatmap() -> None:
    book = run("funder.ipynb")
    images = [o for o in outputs(book) if "image/png" in o.get("data", {})]
    assert len(images) == 1, "the coverage heatmap"
    text = "".join(o.get("text", "") for o in outputs(book))
    assert "loses all support: nairobi-street-vendor-self-help-groups" in text  # Box 6
