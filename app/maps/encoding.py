"""The visual encoding of every map, defined once and used by the browser and the exports alike.

Five channels, each meaning one thing: fill colour is the movement, shape is the family of
organisation type, line colour and width (solid or dotted) are the relationship type, a dashed
line is a tie that rests on our inference rather than on a source's words, and the outline of
an enabler is the brief's enabling mode (direct or indirect enabling partner). On an enablers
map the distance in the chain is a sixth, separate channel: the column a node stands in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, gettext, ngettext
from app.domain.terms import Section, english_terms, label, labels
from app.domain.vocabulary import vocabulary
from app.maps.model import LegendItem

MOVEMENT_COLOURS = {
    "labour": "#c0392b",
    "informal_workers": "#e67e22",
    "sse": "#27ae60",
    "enabler": "#2980b9",
    "public": "#7f8c8d",
}
"""Fill colour per movement (red, orange, green, blue, grey: apart in hue and lightness)."""

MOVEMENT_LABELS = labels("movements")
"""Each movement in words, for legends, details and filters."""

FAMILY_SHAPES = {
    "unions": "square",
    "worker_organisations": "triangle",
    "sse_units": "dot",
    "enablers": "diamond",
    "public_bodies": "hexagon",
}
"""One shape per family of organisation types; each is drawn exactly as its legend swatch."""

FAMILY_LABELS = labels("families")
"""Each family of organisation types in words: the legend entry of its shape."""


@dataclass(frozen=True)
class LineStyle:
    """How one relationship type is drawn: colour, width in px and dash pattern (empty: solid)."""

    colour: str
    width: float
    dashes: tuple[int, ...] = ()


LINE_STYLES: dict[str, LineStyle] = {
    "ESTABLISHED": LineStyle("#1e8449", 3),
    "PARTNERS_WITH": LineStyle("#7d3c98", 2),
    "MEMBER_OF": LineStyle("#7f8c8d", 1.5, (2, 4)),
    "AFFILIATE_OF": LineStyle("#4d5656", 1.5, (1, 2, 1, 6)),
    "ENABLES": LineStyle("#2471a3", 2),
    "FUNDS": LineStyle("#b7950b", 2.5),
    "ADVOCATES_TO": LineStyle("#943126", 1.5),
    "IN_DIALOGUE_WITH": LineStyle("#17a589", 1.5),
    "AGREEMENT_WITH": LineStyle("#873600", 2),
    "ORGANISES": LineStyle("#d35400", 2, (1, 3)),
    "SEEKS_FUNDING_FOR": LineStyle("#a93279", 2, (2, 4)),
    "FACILITATES_ACCESS_TO": LineStyle("#0b5345", 2),
    "WORKS_THROUGH": LineStyle("#5b2c6f", 1.5),
    "LINKED_TO": LineStyle("#839192", 1),
}
"""Line style per relationship type; no two types share one, and no two share a colour, so a
dashed (inferred) tie still shows its type. Patterns are solid or dotted only: long dashes
are kept for :data:`INFERRED_DASHES`."""

INFERRED_DASHES = (10, 6)
"""The pattern of a tie drawn as our inference, in place of its type's own pattern."""
DRAWN_FIELDS = frozenset({"type"})
"""Fields that say what a tie is: a tie whose type is our reading is drawn as inferred too.
Inferred years, modes and statuses are marked in the tie's panel, not on its line: the brief
says of no enabling partner whether it is direct or indirect, so dashing for an inferred
mode would dash every enabling tie and the dashes would tell nothing."""
BASIS_COLOUR = "#566573"
INFERRED_LABEL = N_("inferred (our reading of the source, not its words)")

OUTLINE_LABELS = {
    "direct": N_("direct enabling partner (the brief's term)"),
    "indirect": N_("indirect enabling partner (the brief's term)"),
}
"""The legend's words for each enabling mode's outline."""
CLUSTER_LABEL = N_("a group of organisations: click to open it")

OUTLINE_WIDTHS = {"centre": 2.0, "direct": 4.0, "indirect": 1.0}
"""Node outline width: the brief's enabling modes; the organisation asked about is drawn larger
with an ordinary outline, so it never reads as an enabling partner."""
OUTLINE_COLOUR = "#1b2631"
CLUSTER_COLOUR = "#95a5a6"
CENTRE_SIZE = 26
NODE_SIZE = 14


def relationship_label(relationship_type: str, lang: Language = DEFAULT) -> str:
    """How a person reads a relationship type between two names: ``PARTNERS_WITH`` is
    "partners with" (its key's words), and in another language the verb phrase of
    ``graph_schema/terms``: "colabora con"."""
    if lang == DEFAULT:
        return relationship_type.replace("_", " ").lower()
    return label("relationship_types", relationship_type, lang)


LABELLED: tuple[Section, ...] = (
    "organization_types",
    "sectors",
    "mechanisms",
    "modes",
    "levels",
    "bases",
    "organization_statuses",
    "relationship_statuses",
)
"""The sections whose keys :func:`term_label` names; their keys never collide but for the two
statuses, whose shared keys read alike."""


def term_label(key: str) -> str:
    """A vocabulary key (a type, a sector, a mechanism...) as its English label
    (``graph_schema/terms/en.yaml``): ``trade_union`` is "Trade union", ``ngo`` "NGO"; any
    other key as its words, capitalised."""
    for section in LABELLED:
        if key in english_terms(section):
            return label(section, key)
    return key.replace("_", " ").capitalize()


def is_symmetric(relationship_type: str) -> bool:
    """Whether a relationship reads both ways, and so is drawn without an arrow."""
    return vocabulary().relationship_types[relationship_type].symmetric


def family_of(organization_type: str) -> str:
    """The family key whose shape an organisation type is drawn with."""
    return vocabulary().family_of(organization_type)


def distance_label(hops: int, lang: Language = DEFAULT) -> str:
    """The distance in an enabling chain, in words that never say "direct" or "indirect"."""
    if hops <= 0:
        return gettext(N_("asked about"), lang)
    if hops == 1:
        return gettext(N_("enables it"), lang)
    between = hops - 1
    said = ngettext(
        "reaches it through {count} organisation",
        "reaches it through {count} organisations",
        between,
        lang,
    )
    return said.format(count=between)


def legend(
    movements: Iterable[str],
    families: Iterable[str],
    relationship_types: Iterable[str],
    modes: Iterable[str] = (),
    clusters: bool = False,
    inferred: bool = False,
) -> list[LegendItem]:
    """The legend of one map: only the movements, families, line styles and modes it uses,
    and, if it draws a tie as ``inferred``, the dashed line that marks one."""
    used_movements, used_families = set(movements), set(families)
    used_types, used_modes = set(relationship_types), set(modes)
    entries = [
        LegendItem(channel="colour", key=key, label=MOVEMENT_LABELS[key], colour=colour)
        for key, colour in MOVEMENT_COLOURS.items()
        if key in used_movements
    ]
    entries += [
        LegendItem(
            channel="shape", key=key, label=FAMILY_LABELS[key], colour="#ffffff", shape=shape
        )
        for key, shape in FAMILY_SHAPES.items()
        if key in used_families
    ]
    entries += [
        LegendItem(
            channel="line",
            key=key,
            label=relationship_label(key),
            colour=style.colour,
            width=style.width,
            dashes=list(style.dashes),
        )
        for key, style in LINE_STYLES.items()
        if key in used_types
    ]
    entries += [
        LegendItem(
            channel="outline",
            key=mode,
            label=OUTLINE_LABELS[mode],
            colour="#d5dbdb",
            shape="dot",
            width=OUTLINE_WIDTHS[mode],
        )
        for mode in ("direct", "indirect")
        if mode in used_modes
    ]
    if inferred:
        entries.append(
            LegendItem(
                channel="basis",
                key="inferred",
                label=INFERRED_LABEL,
                colour=BASIS_COLOUR,
                width=2,
                dashes=list(INFERRED_DASHES),
            )
        )
    if clusters:
        entries.append(
            LegendItem(
                channel="cluster",
                key="cluster",
                label=CLUSTER_LABEL,
                colour=CLUSTER_COLOUR,
                shape="dot",
            )
        )
    return entries
