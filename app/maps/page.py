"""Map pages: our own HTML template, with the map's data as inert JSON and no inline script.

The template is filled with ``string.Template``; the title is HTML-escaped and the data is
JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, so
no field of the data can close the block or start markup.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from functools import cache
from importlib.resources import files
from string import Template

from app.maps.build import MapData

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


def render_map(data: MapData, embed: bool) -> str:
    """The complete HTML page of a map; ``embed`` drops the page chrome for iframes."""
    payload = {
        "title": data.title,
        "nodes": data.nodes,
        "edges": data.edges,
        "legend": [asdict(entry) for entry in data.legend],
        "note": data.note,
        "total": data.total,
        "embed": embed,
    }
    return template("map.html").substitute(
        title=html.escape(data.title),
        body_class="embed" if embed else "page",
        data=inert_json(payload),
    )
