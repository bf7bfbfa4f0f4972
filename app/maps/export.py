"""Static images of one map, SVG or PNG, for reports and downloads.

The picture is the server's: every position, colour, shape and line style comes from
``MapData``, so an export shows what the page shows. It is drawn on a bare ``Figure`` (no
pyplot), so concurrent renders share no figure state; the SVG settings are process-wide
rcParams, so SVG saving holds a lock. Every string from the data is drawn as plain text.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal
from urllib.parse import urlencode

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, gettext
from app.maps.encoding import OUTLINE_COLOUR
from app.maps.model import LegendItem, MapData, MapEdge, MapNode

ImageFormat = Literal["svg", "png"]
Point = tuple[float, float]
Bounds = tuple[float, float, float, float]
"""Left, right, top and bottom, in layout px."""

MARKERS = {"dot": "o", "square": "s", "triangle": "^", "diamond": "D", "hexagon": "h"}
"""The matplotlib marker of each vis-network shape; any other shape is drawn as a dot."""
MARKER_SCALE = {"D": 1 / math.sqrt(2)}
"""matplotlib's diamond is a square on its corner, √2 taller than the others; vis-network's
reaches exactly as far as its dot, so it is drawn that much smaller."""
PT_PER_PX = 0.75
"""Widths and dashes are CSS px on the page, and a CSS px is 0.75 pt."""
MAX_SCALE = 1 / 96
"""Inches per layout px at most: the page's own size at zoom 1 (96 CSS px to the inch)."""
NODE_SCALE = 0.8
"""Nodes a little smaller than on the page, which leaves their labels room on paper."""
MIN_WIDTH, MAX_WIDTH = 8.0, 24.0
MAX_MAP_HEIGHT = 24.0
MARGIN = 0.4
"""Blank border around the figure, in inches."""
GAP = 0.22
"""Space between the header, the map, the legend and the attribution, in inches."""
COLUMN_ROOM = 0.3
"""Space above the map for column headings, in inches."""
EMPTY_HEIGHT = 2.5
LEGEND_GAP = 0.45
"""Horizontal space between legend blocks, in inches."""
DPI = 100
"""Figure dpi: the PNG is saved at twice this (2x), the SVG is sized in points."""
LABEL_HALF_PX = 3.5
"""Half the width of a label character in layout px (the layout's own estimate)."""
PAD_PX = 12.0
LABELLED = 150
"""On a map of more nodes than this, only nodes ranked below it are labelled (0 is the most
connected), so a large map stays legible."""
LABEL_SIZE = 7.5
INK = "#1b2631"
MUTED = "#5d6d7e"
TIE_LABEL = "#7f8c8d"
HEAD = "-|>,head_length=0.45,head_width=0.22"
SVG_SALT = "solidarity-graph-export"
"""Salt of the SVG element ids, constant so that the same map gives the same bytes."""
CHANNEL_TITLES = {
    "colour": N_("Movement (fill)"),
    "shape": N_("Type of organisation (shape)"),
    "line": N_("Relationship (line)"),
    "basis": N_("Evidence (line pattern)"),
    "outline": N_("Enabling mode (outline)"),
    "cluster": N_("Groups"),
    "column": N_("Distance in the chain (column)"),
}
_SVG_LOCK = threading.Lock()


def render_map_image(
    data: MapData,
    fmt: ImageFormat,
    generated: date,
    base_url: str | None = None,
    lang: Language = DEFAULT,
) -> bytes:
    """One map as an SVG (text kept as text, byte-identical for the same input) or a PNG at
    2x on white, with its title, filters, legend and an attribution naming the graph version,
    the date ``generated`` and, given ``base_url``, the address of the live map; its own words
    in ``lang`` (the map's, ``data``, are already in it)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # A name may use characters the bundled font lacks (mathematical letters, full-width
        # signs), in a label or in the title measured while laying out: an SVG keeps them as
        # text for the reader's fonts, a PNG draws a box.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure = _figure(data, generated, base_url, lang)
        if fmt == "svg":
            # Text stays text; element ids and (no) date are the same on every run.
            with (
                _SVG_LOCK,
                matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": SVG_SALT}),
            ):
                figure.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            figure.savefig(buffer, format="png", dpi=2 * DPI, facecolor="white")
    return buffer.getvalue()


def _figure(data: MapData, generated: date, base_url: str | None, lang: Language) -> Figure:
    """The whole figure: header, map (or the empty sentence), legend and attribution, stacked
    top to bottom at heights measured from the text itself."""
    shown = data.nodes if data.empty is None else []
    bounds = _bounds(shown, data.edges) if shown else None
    scale = _scale(bounds) if bounds else MAX_SCALE
    map_w = (bounds[1] - bounds[0]) * scale if bounds else 0.0
    map_h = (bounds[3] - bounds[2]) * scale if bounds else 0.0
    width = round(min(max(map_w + 2 * MARGIN, MIN_WIDTH), MAX_WIDTH), 2)
    figure = Figure(figsize=(width, 1.0), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)  # measure text as the PNG draws it
    line_pt = (width - 2 * MARGIN) * 72

    in_force = (
        gettext(N_("ties in force now"), lang)
        if data.as_of is None
        else gettext(N_("ties in force in {year}"), lang).format(year=data.as_of)
    )
    header = [
        _text(figure, data.title, line_pt, size=13, weight="bold", color=INK),
        _text(
            figure,
            " · ".join([*data.filters, in_force]),
            line_pt,
            size=9.5,
            color=MUTED,
        ),
    ]
    if data.note:
        header.append(_text(figure, data.note, line_pt, size=8.5, style="italic", color=MUTED))
    attribution = _attribution(data, generated, base_url, lang)
    footer = _text(figure, attribution, line_pt, size=7, color=MUTED, breaks=" · ")
    footer_h = _size(footer)[1]
    legends = _legends(figure, data.legend, lang) if shown else []
    spots, legend_h = _flow([_size(legend) for legend in legends], width - 2 * MARGIN)

    heights = [_size(text)[1] for text in header]
    above_map = MARGIN + sum(heights) + 0.05 * (len(heights) - 1) + GAP
    above_map += COLUMN_ROOM if data.columns and shown else 0.0
    body_h = map_h if shown else EMPTY_HEIGHT
    below_map = above_map + body_h + GAP
    total = below_map + (legend_h + GAP if legends else 0.0) + footer_h + MARGIN
    height = round(total, 2)
    figure.set_size_inches(width, height)

    def at(x: float, y: float) -> tuple[float, float]:
        """Inches from the top left corner as figure fractions."""
        return x / width, 1 - y / height

    top = MARGIN
    for text, text_h in zip(header, heights, strict=True):
        text.set_position(at(MARGIN, top))
        top += text_h + 0.05
    for legend, (x, y) in zip(legends, spots, strict=True):
        legend.set_bbox_to_anchor(at(MARGIN + x, below_map + y), transform=figure.transFigure)
    footer.set_position(at(MARGIN, height - MARGIN - footer_h))
    if bounds is None:
        sentence = data.empty or gettext(N_("There is nothing to show on this map."), lang)
        middle = _text(figure, sentence, line_pt, size=11, color=MUTED, ha="center")
        middle.set_position(at(width / 2, above_map + (body_h - _size(middle)[1]) / 2))
        return figure
    left, bottom = at((width - map_w) / 2, above_map + map_h)
    axes = figure.add_axes((left, bottom, map_w / width, map_h / height))
    _draw_map(axes, data, bounds, scale)
    return figure


def _bounds(nodes: Sequence[MapNode], edges: Iterable[MapEdge]) -> Bounds:
    """The layout's extent: every node with its shape and the label below it, and the bulge
    of every curved tie, plus a margin."""
    where = {n.id: (n.x, n.y) for n in nodes}
    bulges = [
        _middle(e.curve, where[e.source], where[e.target]) for e in _drawn(edges, where) if e.curve
    ]
    half = {n.id: max(n.size, len(n.label) * LABEL_HALF_PX) for n in nodes}
    left = min([n.x - half[n.id] for n in nodes] + [x for x, _ in bulges])
    right = max([n.x + half[n.id] for n in nodes] + [x for x, _ in bulges])
    top = min([n.y - n.size for n in nodes] + [y for _, y in bulges])
    bottom = max([n.y + n.size + 16 for n in nodes] + [y for _, y in bulges])
    return left - PAD_PX, right + PAD_PX, top - PAD_PX, bottom + PAD_PX


def _drawn(edges: Iterable[MapEdge], where: dict[str, Point]) -> list[MapEdge]:
    """The ties drawn: those in force in the map's year, between two nodes on the map."""
    return [e for e in edges if e.in_force and e.source in where and e.target in where]


def _middle(curve: float, start: Point, end: Point) -> Point:
    """The middle of a tie as ``_draw_edge`` bends it (a quadratic curve), in layout px; it is
    also the point furthest from the straight line."""
    (x0, y0), (x1, y1) = start, end
    return (x0 + x1) / 2 + curve * (y1 - y0) / 2, (y0 + y1) / 2 - curve * (x1 - x0) / 2


def _scale(bounds: Bounds) -> float:
    """Inches per layout px: the page's size, less when the map would outgrow the page."""
    width, height = bounds[1] - bounds[0], bounds[3] - bounds[2]
    return min(MAX_SCALE, (MAX_WIDTH - 2 * MARGIN) / width, MAX_MAP_HEIGHT / height)


def _text(
    figure: Figure,
    text: str,
    width_pt: float,
    size: float,
    color: str,
    weight: str = "normal",
    style: Literal["normal", "italic"] = "normal",
    ha: Literal["left", "center"] = "left",
    breaks: str = " ",
) -> Text:
    """A figure text, wrapped at ``breaks`` to ``width_pt``; placed later, once heights are
    known. A piece longer than a line (a long address) stays whole and runs over."""
    font = FontProperties(size=size, weight=weight, style=style)
    lines: list[str] = []
    for word in text.split(breaks):
        trial = f"{lines[-1]}{breaks}{word}" if lines else word
        if lines and text_to_path.get_text_width_height_descent(trial, font, False)[0] > width_pt:
            lines.append(word)
        else:
            lines[-1:] = [trial]
    return figure.text(
        0,
        0,
        "\n".join(lines),
        fontproperties=font,
        color=color,
        ha=ha,
        va="top",
        usetex=False,
        parse_math=False,
    )


def _size(artist: Text | Legend) -> tuple[float, float]:
    """Width and height of a text or legend, in inches."""
    box = artist.get_window_extent()
    return box.width / DPI, box.height / DPI


def _attribution(data: MapData, generated: date, base_url: str | None, lang: Language) -> str:
    """Who made the image, from which graph version and when, where the live map is (with the
    view's query, so the address opens this very view), and where the evidence is."""
    version = gettext(N_("graph version {number}"), lang).format(number=data.version)
    parts = ["Solidarity Graph", version, generated.isoformat()]
    if base_url is not None:
        asked = data.query | ({} if lang == DEFAULT else {"lang": lang})
        query = f"?{urlencode(asked)}" if asked else ""
        parts.append(f"{base_url.rstrip('/')}/maps/{data.path}{query}")
    parts.append(gettext(N_("sources: see each organisation's and tie's citations"), lang))
    return " · ".join(parts)


def _legends(figure: Figure, entries: Sequence[LegendItem], lang: Language) -> list[Legend]:
    """One legend block per channel, in the order the data lists them."""
    channels: dict[str, list[LegendItem]] = {}
    for entry in entries:
        channels.setdefault(entry.channel, []).append(entry)
    legends = []
    for channel, items in channels.items():
        text_only = channel == "column"
        legend = figure.legend(
            [_swatch(item) for item in items],
            [item.label for item in items],
            loc="upper left",
            ncols=math.ceil(len(items) / 6),
            title=gettext(CHANNEL_TITLES[channel], lang),
            title_fontproperties=FontProperties(size=8.5, weight="bold"),
            alignment="left",
            fontsize=8,
            labelcolor=INK,
            frameon=False,
            borderpad=0,
            borderaxespad=0,
            handlelength=0 if text_only else 2.4,
            handletextpad=0 if text_only else 0.6,
            columnspacing=1.6,
        )
        for text in [legend.get_title(), *legend.get_texts()]:
            text.set_usetex(False)
            text.set_parse_math(False)
        legends.append(legend)
    return legends


def _swatch(item: LegendItem) -> Line2D:
    """The legend handle of one entry, drawn as its channel is drawn on the map."""
    if item.channel in ("line", "basis"):
        width = (item.width or 1.0) * PT_PER_PX
        return Line2D(
            [], [], color=item.colour, linewidth=width, linestyle=_dashes(item.dashes, width)
        )
    if item.channel == "column":
        return Line2D([], [], linestyle="none")
    marker = MARKERS.get(item.shape or "dot", "o")
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=9 * MARKER_SCALE.get(marker, 1.0),
        markerfacecolor=item.colour,
        markeredgecolor=OUTLINE_COLOUR,
        markeredgewidth=(item.width or 1.0) * PT_PER_PX,
    )


def _dashes(
    dashes: Sequence[int], width: float
) -> Literal["solid"] | tuple[float, tuple[float, ...]]:
    """A page dash pattern (px on, px off, ...) as a matplotlib line style at ``width`` pt,
    which matplotlib multiplies by the line width."""
    if not dashes:
        return "solid"
    return 0.0, tuple(d * PT_PER_PX / width for d in dashes)


def _flow(
    sizes: Sequence[tuple[float, float]], width: float
) -> tuple[list[tuple[float, float]], float]:
    """Blocks of the given sizes placed left to right in rows no wider than ``width``: each
    block's offset from the top left corner, and the height of all rows."""
    spots: list[tuple[float, float]] = []
    x = y = row_h = 0.0
    for block_w, block_h in sizes:
        if x > 0 and x + block_w > width:
            x, y, row_h = 0.0, y + row_h + GAP, 0.0
        spots.append((x, y))
        x += block_w + LEGEND_GAP
        row_h = max(row_h, block_h)
    return spots, y + row_h


def _draw_map(axes: Axes, data: MapData, bounds: Bounds, scale: float) -> None:
    """Ties, nodes, labels and column headings at the server's px positions (y down)."""
    axes.set_xlim(bounds[0], bounds[1])
    axes.set_ylim(bounds[3], bounds[2])
    axes.set_aspect("equal")
    axes.set_axis_off()
    pt_per_px = 72 * scale * NODE_SCALE
    radius = {n.id: n.size * pt_per_px + n.outline * PT_PER_PX / 2 for n in data.nodes}
    where = {n.id: (n.x, n.y) for n in data.nodes}
    for edge in _drawn(data.edges, where):
        start, end = where[edge.source], where[edge.target]
        _draw_edge(axes, edge, start, end, radius[edge.source] + 1, radius[edge.target] + 1)
    _draw_nodes(axes, data.nodes, pt_per_px)
    for node in (n for n in data.nodes if len(data.nodes) <= LABELLED or n.rank < LABELLED):
        axes.annotate(
            node.label,
            (node.x, node.y),
            xytext=(0, -radius[node.id] - 1.5),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=LABEL_SIZE,
            color=INK,
            usetex=False,
            parse_math=False,
            zorder=3,
            annotation_clip=False,
            bbox={
                "boxstyle": "round,pad=0.12",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.75,
            },
        )
    # The outermost headings lean inwards, so a long one never runs off the image.
    xs = [c.x for c in data.columns]
    edges = {min(xs): "left", max(xs): "right"} if len(xs) > 1 else {}
    for column in data.columns:
        axes.annotate(
            column.label,
            (column.x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 6),
            textcoords="offset points",
            ha=edges.get(column.x, "center"),
            va="bottom",
            fontsize=9,
            fontweight="bold",
            color=MUTED,
            usetex=False,
            parse_math=False,
            annotation_clip=False,
        )


def _draw_edge(
    axes: Axes,
    edge: MapEdge,
    start: Point,
    end: Point,
    shrink_start: float,
    shrink_end: float,
) -> None:
    """One tie from border to border, bent by its curve; an arrowhead only if it reads one
    way. The head is a separate, filled-only patch so a dashed line keeps a solid head.

    The page draws a positive curve as vis-network's ``curvedCW`` (bulging to the left of
    the tie's direction on screen); ``arc3`` on this y-down axis bulges to the right, so the
    bend is negated to bend to the same side as on the page."""
    width = max(edge.width * PT_PER_PX, 0.25)
    bend = f"arc3,rad={-edge.curve}"
    axes.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-",
            connectionstyle=bend,
            shrinkA=shrink_start,
            shrinkB=shrink_end,
            color=edge.colour,
            linewidth=width,
            linestyle=_dashes(edge.dashes, width),
            capstyle="butt",
            zorder=1,
        )
    )
    if edge.arrow:
        axes.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle=HEAD,
                connectionstyle=bend,
                shrinkA=shrink_start,
                shrinkB=shrink_end,
                mutation_scale=12 + 2 * width,
                color=edge.colour,
                linewidth=0,
                zorder=1,
            )
        )
    if edge.kind == "aggregate":
        axes.text(
            *_middle(edge.curve, start, end),
            edge.label,
            fontsize=6.5,
            color=TIE_LABEL,
            ha="center",
            va="center",
            usetex=False,
            parse_math=False,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )


def _draw_nodes(axes: Axes, nodes: Iterable[MapNode], pt_per_px: float) -> None:
    """Nodes filled with their colour, one scatter per marker, sized by their px radius."""
    by_marker: dict[str, list[MapNode]] = {}
    for node in nodes:
        by_marker.setdefault(MARKERS.get(node.shape, "o"), []).append(node)
    for marker, group in by_marker.items():
        axes.scatter(
            [n.x for n in group],
            [n.y for n in group],
            s=[(2 * n.size * pt_per_px * MARKER_SCALE.get(marker, 1.0)) ** 2 for n in group],
            c=[n.colour for n in group],
            marker=marker,
            edgecolors=OUTLINE_COLOUR,
            linewidths=[n.outline * PT_PER_PX for n in group],
            zorder=2,
            clip_on=False,
        )
