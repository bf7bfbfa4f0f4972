"""Static assets, all served by this server: our own files, vis-network as shipped in the
pyvis package, and Swagger UI as shipped in the swagger-ui-py package. Nothing from a CDN."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

ASSETS: dict[str, tuple[str, str]] = {
    "map.js": ("app.maps", "static/map.js"),
    "page.css": ("app.maps", "static/page.css"),
    "map.css": ("app.maps", "static/map.css"),
    "explorer.js": ("app.maps", "static/explorer.js"),
    "explorer.css": ("app.maps", "static/explorer.css"),
    "docs.js": ("app.maps", "static/docs.js"),
    "docs.css": ("app.maps", "static/docs.css"),
    "profile.js": ("app.maps", "static/profile.js"),
    "profile.css": ("app.maps", "static/profile.css"),
    "forms.css": ("app.maps", "static/forms.css"),
    "account.js": ("app.maps", "static/account.js"),
    "edit.js": ("app.maps", "static/edit.js"),
    "dom.js": ("app.maps", "static/dom.js"),
    "text.js": ("app.maps", "static/text.js"),
    "history.js": ("app.maps", "static/history.js"),
    "story-builder.js": ("app.maps", "static/story-builder.js"),
    "story.js": ("app.maps", "static/story.js"),
    "pins.js": ("app.maps", "static/pins.js"),
    "explorer-story.js": ("app.maps", "static/explorer-story.js"),
    "story.css": ("app.maps", "static/story.css"),
    "review.js": ("app.maps", "static/review.js"),
    "review.css": ("app.maps", "static/review.css"),
    "upload.js": ("app.maps", "static/upload.js"),
    "gaps.js": ("app.maps", "static/gaps.js"),
    "gaps.css": ("app.maps", "static/gaps.css"),
    "analysis.js": ("app.maps", "static/analysis.js"),
    "analysis.css": ("app.maps", "static/analysis.css"),
    "partnerships.js": ("app.maps", "static/partnerships.js"),
    "brokers.js": ("app.maps", "static/brokers.js"),
    "what-if.js": ("app.maps", "static/what-if.js"),
    "matches.js": ("app.maps", "static/matches.js"),
    "shortlist.js": ("app.maps", "static/shortlist.js"),
    "vis-network.min.js": ("pyvis", "templates/lib/vis-9.1.2/vis-network.min.js"),
    "vis-network.min.css": ("pyvis", "templates/lib/vis-9.1.2/vis-network.css"),
    "swagger-ui-bundle.js": ("swagger_ui", "static/swagger-ui-bundle.js"),
    "swagger-ui.css": ("swagger_ui", "static/swagger-ui.css"),
}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@cache
def asset(name: str) -> bytes | None:
    """The bytes of a named asset, or ``None`` if there is no asset of that name."""
    if name not in ASSETS:
        return None
    package, path = ASSETS[name]
    resource: Traversable = files(package)
    for part in path.split("/"):
        resource = resource.joinpath(part)
    return resource.read_bytes()


def media_type(name: str) -> str:
    """The Content-Type of an asset, from its extension."""
    return MEDIA_TYPES["." + name.rsplit(".", 1)[-1]]
