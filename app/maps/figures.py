"""Static figures for reports: the coverage heatmap (country x sector) as PNG or SVG.

Each cell of :func:`app.analysis.gaps.coverage` is drawn as three squares on one colour
scale: U (unions and informal workers' organisations), S (SSE units) and E (enablers that
reach them). The ``/analysis/gaps`` page colours its cells with the same :func:`shades`, so
a number has the same colour on the page and in the figure.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import matplotlib

matplotlib.use("Agg")  # draw to files only; must precede the pyplot import

import matplotlib.pyplot as plt
from matplotlib.colors import BoundaryNorm, ListedColormap, to_hex, to_rgb
from matplotlib.figure import Figure

from app.analysis.gaps import ENABLER_DEPTH, Coverage, CoverageCell
from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import N_, gettext
from app.domain.terms import label

FigureFormat = Literal["png", "svg"]
TOP_COUNTRIES = 25
"""Rows the figure draws one by one: the countries with the most organisations; the rest are
summed into one row, so the figure stays legible however many countries there are."""
KINDS: tuple[tuple[str, str, Callable[[CoverageCell], Iterable[str]]], ...] = (
    (
        "U",
        N_("unions and informal workers' organisations"),
        lambda c: c.organizations.unions + c.organizations.worker_organisations,
    ),
    ("S", N_("SSE units"), lambda c: c.organizations.sse_units),
    ("E", N_("enablers"), lambda c: c.organizations.enablers),
)
"""The three numbers of a cell: a letter, what it counts, and the ids behind it."""
BOUNDS = (0, 1, 2, 3, 5, 10, 20, 50, 100, 500)
"""Lowest count of each step of the colour scale; fixed, so a colour always means the same
counts, and steps widen as counts grow so that one crowded cell does not wash out the rest."""
RAMP = (0.12, 0.24, 0.36, 0.48, 0.6, 0.72, 0.82, 0.91, 1.0)
"""Where each step from 1 up takes its colour on YlGnBu; mid-blues that neither white nor
near-black text reads well on (WCAG contrast under 4.5) are stepped over."""
NONE_COLOUR, ZERO_TEXT = "#f1f1f1", "#5f5f5f"
"""None: a light grey cell whose 0 is set in grey, quieter than a count yet readable."""
DARK_TEXT, LIGHT_TEXT = "#1d1d1d", "#ffffff"


@dataclass(frozen=True)
class Shade:
    """One step of the colour scale: counts ``low`` to ``high`` (``None``: no limit)."""

    low: int
    high: int | None
    label: str
    background: str
    text: str


@dataclass(frozen=True)
class Row:
    """A row of the figure: its label and, per sector, the U, S and E counts."""

    label: str
    values: tuple[tuple[int, int, int], ...]


def shades() -> tuple[Shade, ...]:
    """The colour scale: grey for none, then light yellow to dark blue; text is white on the
    dark steps and near-black on the light ones, so every number stays readable."""
    ramp = plt.get_cmap("YlGnBu")
    colours = [to_hex(ramp(x)) for x in RAMP]
    found = [Shade(0, 0, "0", NONE_COLOUR, ZERO_TEXT)]
    for i, (low, colour) in enumerate(zip(BOUNDS[1:], colours, strict=True)):
        high = BOUNDS[i + 2] - 1 if i + 2 < len(BOUNDS) else None
        text = max((DARK_TEXT, LIGHT_TEXT), key=lambda t: _contrast(t, colour))
        found.append(Shade(low, high, _range(low, high), colour, text))
    return tuple(found)


def _range(low: int, high: int | None) -> str:
    """``0``, ``3\N{EN DASH}4`` or ``500+``: the counts of one step, as the colour bar reads."""
    if high is None:
        return f"{low}+"
    return str(low) if high == low else f"{low}\N{EN DASH}{high}"


def _contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    """WCAG relative luminance."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def rows(coverage: Coverage, top: int = TOP_COUNTRIES, lang: Language = DEFAULT) -> tuple[Row, ...]:
    """The ``top`` countries with the most unions, workers' organisations and SSE units, by
    name, then one row "other countries (N)" for the rest, whose organisations are counted
    once each however many of those countries they list."""
    names = {c: country_name(c, lang) for c in coverage.countries}
    by_country: dict[str, dict[str, CoverageCell]] = {}
    for cell in coverage.cells:
        by_country.setdefault(cell.country, {})[cell.sector] = cell

    def size(country: str) -> int:
        cells = by_country[country].values()
        return len({i for c in cells for _, _, ids in KINDS[:2] for i in ids(c)})

    ranked = sorted(coverage.countries, key=lambda c: (-size(c), names.get(c, c)))
    shown, rest = ranked[:top], ranked[top:]
    found = [
        Row(
            names.get(country, country),
            tuple(_counts([by_country[country][s]]) for s in coverage.sectors),
        )
        for country in sorted(shown, key=lambda c: names.get(c, c))
    ]
    if rest:
        values = tuple(_counts([by_country[c][s] for c in rest]) for s in coverage.sectors)
        others = gettext(N_("other countries ({count})"), lang).format(count=len(rest))
        found.append(Row(others, values))
    return tuple(found)


def _counts(cells: list[CoverageCell]) -> tuple[int, int, int]:
    """U, S and E over ``cells``: each organisation once."""
    u, s, e = (len({i for c in cells for i in ids(c)}) for _, _, ids in KINDS)
    return u, s, e


def _heatmap(coverage: Coverage, title: str, lang: Language) -> Figure:
    """One heatmap, one colour scale and its colour bar: three columns per sector."""
    lines = rows(coverage, lang=lang)
    sectors = coverage.sectors
    width = 3 * len(sectors)
    values = [[v for triple in line.values for v in triple] for line in lines]
    scale = shades()
    colours = ListedColormap([s.background for s in scale])
    norm = BoundaryNorm([b - 0.5 for b in BOUNDS] + [10**9], len(scale))
    size = (3.6 + 0.36 * width, max(4.2, 2.6 + 0.3 * len(lines)))  # room for the colour bar
    figure = plt.figure(figsize=size, layout="constrained")
    axes = figure.add_subplot()
    mesh = axes.pcolormesh(values, cmap=colours, norm=norm, edgecolors="white", linewidth=0.6)
    axes.invert_yaxis()
    axes.set_yticks([y + 0.5 for y in range(len(lines))], [line.label for line in lines])
    axes.tick_params(length=0, labelsize=8)
    axes.xaxis.tick_top()
    axes.set_xticks([x + 0.5 for x in range(width)], [k for _ in sectors for k, _, _ in KINDS])
    axes.tick_params(axis="x", labelsize=7, pad=2)
    groups = axes.secondary_xaxis("top")
    groups.set_xticks(
        [3 * i + 1.5 for i in range(len(sectors))],
        [textwrap.fill(label("sectors", s, lang), 12) for s in sectors],
    )
    groups.tick_params(length=0, pad=14, labelsize=8)
    for x in range(3, width, 3):
        axes.axvline(x, color="white", linewidth=4)
    for spine in (*axes.spines.values(), *groups.spines.values()):
        spine.set_visible(False)
    for y, line in enumerate(values):
        for x, value in enumerate(line):
            colour = next(s for s in reversed(scale) if value >= s.low).text
            axes.text(
                x + 0.5, y + 0.5, str(value), ha="center", va="center", fontsize=7, color=colour
            )
    if len(lines) > len(coverage.countries):
        axes.axhline(len(lines) - 1, color="white", linewidth=4)
    caption = gettext(
        N_(
            "U: {unions} that list the country and the sector. S: {units} that list them. "
            "E: {enablers}, the organisations that enable one of those, directly or through "
            "others (up to {depth} enabling ties), wherever they are based."
        ),
        lang,
    ).format(
        unions=gettext(KINDS[0][1], lang),
        units=gettext(KINDS[1][1], lang),
        enablers=gettext(KINDS[2][1], lang),
        depth=ENABLER_DEPTH,
    )
    axes.set_xlabel(textwrap.fill(caption, int(13 * (size[0] - 2))), fontsize=8, loc="left")
    bar = figure.colorbar(mesh, ax=axes, fraction=0.04, pad=0.02, aspect=30)
    bar.set_ticks(
        [(b + c) / 2 - 0.5 for b, c in zip(BOUNDS, [*BOUNDS[1:], BOUNDS[-1] * 2], strict=True)],
        labels=[s.label for s in scale],
    )
    bar.ax.tick_params(labelsize=7, length=0)
    bar.set_label(gettext(N_("organisations"), lang), fontsize=8)
    figure.suptitle(title, fontsize=11)
    return figure


def coverage_heatmap(
    coverage: Coverage, fmt: FigureFormat, title: str, lang: Language = DEFAULT
) -> bytes:
    """The coverage matrix as one heatmap: per country and sector, how many unions and
    workers' organisations, SSE units and enablers reaching them.

    A cell with a U but no S is a place where the brief's type 1 partnerships have not
    happened yet; one with no E is one no enabling partner reaches.
    """
    if not coverage.cells:
        figure = plt.figure(figsize=(8.0, 2.0), layout="constrained")
        figure.text(
            0.5,
            0.5,
            gettext(N_("No organisation lists both a country and a sector here."), lang),
            ha="center",
            va="center",
        )
        figure.suptitle(title, fontsize=11)
    else:
        figure = _heatmap(coverage, title, lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=120)
    plt.close(figure)
    return buffer.getvalue()
