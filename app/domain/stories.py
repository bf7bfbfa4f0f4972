"""Saved views and stories: a map named with a caption, and an ordered walk through views.

A saved view names a map the way its address does (kind, focus, filters, year, depth, basis)
and may pin organisations where a curator placed them. A story is a title, an introduction
and a list of steps, each a view with a caption of its own. Captions are a small Markdown
subset (paragraphs, emphasis, lists, links, line breaks, inline code), rendered by
markdown-it-py with raw HTML off and then sanitised by nh3 (ammonia's allow-list) to exactly
those elements, so a caption can never carry script, style or an event handler.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from typing import Annotated, Any, Literal

import nh3
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.domain.models import LongText, Slug, Text, Year
from app.domain.vocabulary import vocabulary

PublicationKind = Literal["view", "story"]
PUBLICATION_KINDS: tuple[PublicationKind, ...] = ("view", "story")
MapKind = Literal["ecosystem", "organization", "enablers", "partnership"]
FILTERS = ("country", "sector", "type", "movement")
"""Ecosystem filters, each one vocabulary key, as the map's address takes them."""
DEPTHS: dict[MapKind, tuple[int, int]] = {"organization": (1, 3), "enablers": (1, 4)}
"""Depths each map kind takes, from and to, as its route allows."""
MAX_PINNED = 500
MAX_STEPS = 50
CAPTION_TAGS = frozenset({"p", "em", "strong", "a", "ul", "ol", "li", "br", "code"})
"""The only elements a rendered caption may hold."""

_MARKDOWN = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "link", "list", "newline", "backticks"]
)


def caption_html(markdown: str) -> str:
    """A caption's Markdown as sanitised HTML: only :data:`CAPTION_TAGS`, links to http(s)
    and mailto addresses only, opening in a new tab (captions sit in embeds) with
    ``rel="noopener noreferrer nofollow"``."""
    rendered = _MARKDOWN.render(markdown)
    return nh3.clean(
        rendered,
        tags=set(CAPTION_TAGS),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )


class _Published(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class MapRef(_Published):
    """Which map: its kind, the organisation or partnership it is about, and its settings."""

    kind: MapKind
    focus: Slug | None = None
    country: str | None = None
    sector: str | None = None
    type: str | None = None
    movement: str | None = None
    year: Year | None = None
    depth: int | None = None
    basis: Literal["any", "stated"] = "any"

    @model_validator(mode="after")
    def _fits_its_kind(self) -> MapRef:
        if (self.kind == "ecosystem") != (self.focus is None):
            raise ValueError(
                "focus names the organisation or partnership of an organization, enablers or "
                "partnership map, and is left out of an ecosystem map"
            )
        filters = {name: getattr(self, name) for name in FILTERS if getattr(self, name)}
        if filters and self.kind != "ecosystem":
            raise ValueError(f"filters ({', '.join(filters)}) apply to the ecosystem map only")
        vocab = vocabulary()
        terms: dict[str, Collection[str]] = {
            "country": vocab.countries,
            "sector": vocab.sectors,
            "type": vocab.organization_types,
            "movement": vocab.movements,
        }
        for name, value in filters.items():
            if value not in terms[name]:
                raise ValueError(f"{name} '{value}' is not in the vocabulary")
        if self.year is not None and self.kind == "organization":
            raise ValueError("an organization map has no year; use an ecosystem or enablers map")
        if self.depth is not None:
            low, high = DEPTHS.get(self.kind, (0, -1))
            if not low <= self.depth <= high:
                allowed = ", ".join(f"{k}: {a} to {b}" for k, (a, b) in DEPTHS.items())
                raise ValueError(f"depth {self.depth} does not fit a {self.kind} map ({allowed})")
        return self

    def path(self) -> str:
        """The map's path after ``/maps/`` or ``/embed/``."""
        if self.kind == "ecosystem":
            return "ecosystem"
        if self.kind == "partnership":
            return f"partnerships/{self.focus}"
        suffix = "/enablers" if self.kind == "enablers" else ""
        return f"organizations/{self.focus}{suffix}"

    def query(self) -> dict[str, str]:
        """The map address's query parameters, as its route names them."""
        values: dict[str, Any] = {name: getattr(self, name) for name in FILTERS}
        values |= {"as_of": self.year, "depth": self.depth}
        if self.basis != "any":
            values["basis"] = self.basis
        return {name: str(value) for name, value in values.items() if value is not None}


class SavedView(_Published):
    """A map with a title, a caption and, optionally, organisations pinned where placed."""

    id: Slug
    title: Text
    caption: LongText = ""
    map: MapRef
    pinned: Annotated[dict[Slug, tuple[float, float]], Field(max_length=MAX_PINNED)] = Field(
        default_factory=dict
    )


class StoryStep(_Published):
    """One step of a story: a saved view and what to say about it here."""

    view: Slug
    caption: LongText = ""


class Story(_Published):
    """A title, an introduction and the views to walk through, in order."""

    id: Slug
    title: Text
    caption: LongText = ""
    steps: Annotated[list[StoryStep], Field(min_length=1, max_length=MAX_STEPS)]


Publication = SavedView | Story


def publication_etag(body: dict[str, Any]) -> str:
    """A strong entity tag of a stored view or story: a hash of its canonical JSON, the same
    on every backend."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
