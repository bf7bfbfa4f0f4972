"""The coverage figure: rows past the 25th summed into one, a colour scale whose numbers stay
readable, and a title clear of the heatmap, on hand-made graphs and a synthetic ecosystem."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.text import Text

from app.analysis.gaps import coverage
from app.analysis.snapshot import Snapshot, build_snapshot
from app.domain.models import Document, Organization
from app.io.synthetic import document
from app.maps.figures import Row, _heatmap, coverage_heatmap, rows, shades
from tests.factories import org, rel


def coop(id: str, *countries: str, **fields: Any) -> Organization:
    return org(id, type="cooperative", movement="sse", countries=list(countries), **fields)


def four_countries() -> Snapshot:
    """By hand: Kenya has three cooperatives, Colombia two, Uganda two (one of them, ``both``,
    also in Rwanda), Rwanda one; the NGO n enables both Ugandan ones. All in transport."""
    orgs = [
        *(coop(f"k{i}", "KE", sectors=["transport"]) for i in range(3)),
        *(coop(f"c{i}", "CO", sectors=["transport"]) for i in range(2)),
        coop("both", "RW", "UG", sectors=["transport"]),
        coop("ug", "UG", sectors=["transport"]),
        org("n", type="ngo", movement="enabler"),
    ]
    ties = [rel("n-both", "ENABLES", "n", "both"), rel("n-ug", "ENABLES", "n", "ug")]
    return build_snapshot(Document(organizations=orgs, relationships=ties), 1, None)


def test_countries_past_the_top_share_one_row_counting_each_organisation_once() -> None:
    # Top 2 by organisations: Kenya (3), then Colombia before Uganda (2 each, by name).
    # Uganda and Rwanda together: SSE units {both, ug} = 2, enablers {n} = 1.
    assert rows(coverage(four_countries()), top=2) == (
        Row("Colombia", ((0, 2, 0),)),
        Row("Kenya", ((0, 3, 0),)),
        Row("other countries (2)", ((0, 2, 1),)),
    )
    assert [r.label for r in rows(coverage(four_countries()))] == [
        "Colombia",
        "Kenya",
        "Rwanda",
        "Uganda",
    ]


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance, computed here apart from the module's own."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_every_step_of_the_scale_is_readable_and_the_steps_cover_every_count() -> None:
    steps = shades()
    assert steps[0].low == 0 and steps[-1].high is None
    for before, after in pairwise(steps):
        assert before.high is not None and after.low == before.high + 1
    for step in steps:
        light, dark = sorted((luminance(step.background), luminance(step.text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, step  # WCAG AA for small text
    assert len({s.background for s in steps}) == len(steps)


def test_the_title_stays_clear_of_the_heatmap_at_2000_organisations() -> None:
    matrix = coverage(build_snapshot(document(2000, 7), 1, None))
    figure = _heatmap(matrix, "Coverage of the ecosystem by country and sector", "en")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    [title] = [t for t in figure.findobj(Text) if t.get_text() == figure.get_suptitle()]
    title_box = title.get_window_extent(renderer)
    heatmap_box = figure.axes[0].get_tightbbox(renderer)
    assert heatmap_box is not None and title_box.y0 >= heatmap_box.y1
    assert len(figure.axes[0].get_yticklabels()) == 26  # 25 countries and the rest
    plt.close(figure)


def test_an_empty_matrix_still_draws_a_figure() -> None:
    empty = coverage(four_countries(), country="FR")
    assert empty.cells == ()
    assert coverage_heatmap(empty, "png", "Coverage").startswith(b"\x89PNG\r\n\x1a\n")
