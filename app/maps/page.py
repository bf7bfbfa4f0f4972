"""Map pages: our own HTML template, with the map's data as inert JSON and no inline script.

The template is filled with ``string.Template``; the title is HTML-escaped and the data is
JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, so
no field of the data can close the block or start markup.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from string import Template

from app.maps.model import MapData

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def inert_json(value: object) -> str:
    """JSON that is safe inside an HTML ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return text


@cache
def template(name: str) -> Template:
    """A page template from ``app/maps/templates``."""
    return Template(files("app.maps").joinpath("templates", name).read_text("utf-8"))


def render_map(data: MapData, embed: bool, oembed: str = "") -> str:
    """The complete HTML page of a map; ``embed`` drops the page chrome for iframes; ``oembed``
    is the URL of its oEmbed answer, linked for discovery when given.

    The page carries exactly what ``/api/maps/...`` answers for the same view.
    """
    return template("map.html").substitute(
        discovery=discovery_link(oembed, data.title) if oembed else "",
        title=html.escape(data.title),
        body_class="embed" if embed else "page",
        data=inert_json(data.model_dump(mode="json")),
    )


def discovery_link(oembed: str, title: str) -> str:
    """The oEmbed discovery ``<link>`` of a page whose oEmbed answer is at ``oembed`` (oEmbed
    1.0, section 4), every value escaped."""
    return (
        f'<link rel="alternate" type="application/json+oembed" href="{html.escape(oembed)}" '
        f'title="{html.escape(title)}">'
    )


def render_error(title: str, detail: str, embed: bool) -> str:
    """A short HTML page that says what went wrong, for map pages and embeds."""
    return template("error.html").substitute(
        title=html.escape(title),
        detail=html.escape(detail),
        body_class="embed" if embed else "page",
    )
