"""The map as data: what ``/api/maps/...`` answers, what the pages draw and what exports render.

Every position, colour, shape and line style is decided on the server, so a page, an embed,
an SVG and a PNG of the same view show the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.domain.evidence import Basis
from app.domain.messages import Sentence
from app.domain.models import Source

MapKind = Literal["ecosystem", "organization", "enablers", "partnership"]


class MapNode(BaseModel):
    """An organisation, or a cluster of organisations that opens into its own map."""

    id: str
    kind: Literal["organization", "cluster"]
    label: str = Field(description="Short name drawn on the map (acronym or name).")
    name: str = Field(description="Full name, or what the cluster holds.")
    x: float = Field(description="Position in px at zoom 1, computed once on the server.")
    y: float
    colour: str = Field(description="Fill colour: the movement.")
    shape: str = Field(description="Shape: the family of organisation type.")
    size: float
    outline: float = Field(description="Outline width: centre, or the brief's enabling mode.")
    rank: int = Field(description="Label priority: 0 is the most connected, drawn first.")
    movement: str | None = None
    movement_label: str | None = None
    family: str | None = None
    type: str | None = None
    type_label: str | None = None
    role: Literal["centre"] | None = None
    distance: int | None = Field(None, description="Steps in the enabling chain (enablers map).")
    distance_label: str | None = None
    partner_mode: Literal["direct", "indirect"] | None = Field(
        None, description="The brief's direct or indirect enabling partner (enablers map)."
    )
    aliases: list[str] = []
    countries: list[str] = Field([], description="Country names.")
    sectors: list[str] = Field([], description="Sector labels.")
    status: str | None = None
    founded: int | None = Field(None, description="Year founded; faded on the slider before it.")
    reported: int | None = Field(
        None, description="With no founding year, the year of its earliest evidence."
    )
    basis: Basis | None = Field(
        None, description="How its sources back it as a whole: stated, imported or inferred."
    )
    inferred_fields: list[str] = Field([], description="Fields that only our inference backs.")
    sources: list[Source] = []
    count: int | None = Field(None, description="Organisations in a cluster.")
    opens: dict[str, str] | None = Field(
        None, description="Filters that open a cluster as its own map; null if it cannot open."
    )


class MapEdge(BaseModel):
    """A relationship, or the ties between two clusters summed into one line."""

    id: str
    kind: Literal["relationship", "aggregate"]
    type: str | None = None
    label: str = Field(description="The relationship as words, e.g. 'partners with'.")
    source: str
    target: str
    colour: str
    width: float
    dashes: list[int] = Field([], description="Dash pattern in px; empty for a solid line.")
    arrow: bool = Field(description="False for relationships that read both ways.")
    curve: float = Field(description="Bend that keeps parallel ties apart; 0 is straight.")
    mode: str | None = None
    mechanisms: list[str] = []
    since: int | None = None
    until: int | None = None
    status: str | None = None
    undated: bool = Field(False, description="No start year is known.")
    reported: int | None = Field(
        None,
        description="For an undated tie, the year it was first reported (its earliest "
        "evidence): it counts from then.",
    )
    since_label: str | None = Field(
        None, description="The start in words: '2021', 'undated, reported in 2020', 'undated'."
    )
    in_force: bool = Field(description="In force in the map's year (or now): drawn at first.")
    years: list[int] = Field([], description="Which of the map's years the tie is in force in.")
    basis: Basis | None = Field(
        None, description="How its sources back the tie as a whole: stated, imported or inferred."
    )
    inferred_fields: list[str] = Field([], description="Fields that only our inference backs.")
    inferred: bool = Field(
        False,
        description="Drawn dashed, as our inference: the tie itself, or its type.",
    )
    sources: list[Source] = []
    count: int | None = Field(None, description="Ties summed into an aggregate line.")
    inferred_count: int | None = Field(
        None, description="Of the ties summed, those drawn as our inference."
    )


class LegendItem(BaseModel):
    """One legend line: the channel, the key it encodes, its words and its swatch."""

    channel: Literal["colour", "shape", "line", "basis", "outline", "column", "cluster"]
    key: str
    label: str
    colour: str
    shape: str | None = None
    width: float | None = None
    dashes: list[int] = []


class Group(BaseModel):
    """Organisations on the map that share a movement, country or type (for clustering)."""

    key: str
    label: str
    members: list[str]


class Column(BaseModel):
    """A heading over one column of a layered map: the distance in the enabling chain."""

    x: float
    label: str


@dataclass(frozen=True)
class MapWords:
    """A map's own sentences, kept to be said in each reader's language; the map's ``title``,
    ``filters``, ``note`` and ``empty`` are them said in English."""

    title: Sentence
    filters: tuple[Sentence, ...] = ()
    note: Sentence | None = None
    empty: Sentence | None = None


class MapData(BaseModel):
    """One map: its nodes with positions, its edges, the legend entries it uses, its groups."""

    kind: MapKind
    path: str = Field(description="The view, as in /maps/{path}, /embed/{path}, /api/maps/{path}.")
    query: dict[str, str] = Field(description="The view's query parameters.")
    title: str
    filters: list[str] = Field(description="The filters in words, for titles and exports.")
    as_of: int | None
    version: int = Field(description="The graph version the map was computed from.")
    total: int = Field(description="Organisations in the view, drawn or inside clusters.")
    note: str | None = None
    empty: str | None = Field(None, description="What the map would show, when it shows nothing.")
    nodes: list[MapNode]
    edges: list[MapEdge]
    legend: list[LegendItem]
    groups: dict[str, list[Group]]
    years: list[int] = Field(description="The years in which ties start or end, for the slider.")
    columns: list[Column] = []
    words: Annotated[MapWords | None, Field(exclude=True), SkipJsonSchema()] = None
    """Its sentences, to be said in another language; never in the answer's JSON."""
