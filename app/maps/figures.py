"""Static figures for reports: the gap coverage heatmap (country x sector) as PNG or SVG."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Literal

import matplotlib

matplotlib.use("Agg")  # draw to files only; must precede the pyplot import

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from app.analysis.gaps import Coverage, CoverageCell

FigureFormat = Literal["png", "svg"]
PANELS: tuple[tuple[str, Callable[[CoverageCell], int]], ...] = (
    ("unions and workers' organisations", lambda c: c.unions + c.worker_organisations),
    ("SSE units", lambda c: c.sse_units),
    ("enablers", lambda c: c.enablers),
)


def _panels(coverage: Coverage) -> Figure:
    """One annotated heatmap per kind of organisation, sharing the country axis."""
    cells = {(c.country, c.sector): c for c in coverage.cells}
    rows, columns = coverage.countries, coverage.sectors
    width = max(8.0, 2.2 + 3 * (0.55 * len(columns) + 0.6))
    figure, panels = plt.subplots(
        1, 3, figsize=(width, max(3.0, 1.2 + 0.4 * len(rows))), sharey=True, squeeze=False
    )
    for panel, (name, count) in zip(panels[0], PANELS, strict=True):
        values = [[count(cells[(r, c)]) for c in columns] for r in rows]
        panel.imshow(values, cmap="YlGn", vmin=0, aspect="auto")
        panel.set_title(name, fontsize=10)
        panel.set_xticks(
            range(len(columns)),
            [c.replace("_", " ") for c in columns],
            rotation=60,
            ha="right",
            fontsize=8,
        )
        panel.set_yticks(range(len(rows)), rows, fontsize=8)
        for y, line in enumerate(values):
            for x, value in enumerate(line):
                panel.text(x, y, str(value), ha="center", va="center", fontsize=8)
    return figure


def coverage_heatmap(coverage: Coverage, fmt: FigureFormat, title: str) -> bytes:
    """Three heatmaps side by side: per country and sector, how many organisations of each kind.

    A row with unions or workers' organisations but no SSE unit is a place where the brief's
    type 1 partnerships have not happened yet.
    """
    if not coverage.cells:
        figure = plt.figure(figsize=(8.0, 2.0))
        figure.text(
            0.5,
            0.5,
            "No organisation lists both a country and a sector here.",
            ha="center",
            va="center",
        )
    else:
        figure = _panels(coverage)
    figure.suptitle(title, fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=120)
    plt.close(figure)
    return buffer.getvalue()
