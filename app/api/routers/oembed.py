"""``/oembed``: any map's page or embed URL as an oEmbed 1.0 ``rich`` answer (an ``<iframe>``).

Content systems that follow oEmbed discovery (each map page links here) turn a pasted map link
into the map itself. The map is asked of this same app, as the caller (their API key, if any),
at ``/api/maps/...`` with the URL's query: so the map's parameters are checked, a missing
organisation is a 404, and the title is the map's own, exactly as on its page. A saved view's
or a story's page or embed URL is answered the same way from ``/api/views/{id}`` or
``/api/stories/{id}``, its embed being ``/embed/views/{id}`` or ``/embed/stories/{id}``.
Whether a site may frame an embed is still ``SOLGRAPH_EMBED_ORIGINS``' to say. Spec:
https://oembed.com/
(sections 2.2 to 2.4).

A URL in a language (``lang=``, one of ours) is answered in it: a map's title is the one its
embed in that language shows (the map data route answers in English), and the iframe keeps
the language; a saved view's or a story's title stays as its curator wrote it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.types import Message

from app.api.problems import problem
from app.domain.errors import InvalidQuery
from app.domain.languages import DEFAULT, LANGUAGES, Language, language

router = APIRouter(tags=["maps"])

WIDTH, HEIGHT = 800, 600
"""The embed's size when the consumer sets no ``maxwidth`` or ``maxheight`` (pixels)."""

_MAP = re.compile(
    r"^/(?:maps|embed)/(ecosystem|organizations/[a-z0-9][a-z0-9-]*(?:/enablers)?"
    r"|partnerships/[a-z0-9][a-z0-9-]*)$"
)
"""The path of a map page or embed, with the part the map's data route shares."""
_PUBLISHED = re.compile(r"^/(?:embed/)?((?:views|stories)/[a-z0-9][a-z0-9-]*)$")
"""The path of a saved view's or a story's page or embed, with the part its API route shares."""
_MAP_DATA = re.compile(r'<script id="map-data" type="application/json">(.*?)</script>', re.S)
"""The map a map page or embed carries, as inert JSON."""


class OEmbed(BaseModel):
    """An oEmbed 1.0 answer of type ``rich`` (spec section 2.3.4)."""

    version: Literal["1.0"] = "1.0"
    type: Literal["rich"] = "rich"
    title: str = Field(description="The map's title, as its page shows it.")
    provider_name: str = "Solidarity Graph"
    provider_url: str = Field(description="This server.")
    html: str = Field(description="An <iframe> of the map's embed, to place as it is.")
    width: int = Field(description="The iframe's width in pixels.")
    height: int = Field(description="The iframe's height in pixels.")


def iframe(src: str, title: str, width: int, height: int) -> str:
    """The markup of an embed, every value escaped as a double-quoted attribute (an
    apostrophe, harmless there, stays as typed so that pasted code reads as written)."""
    return (
        f'<iframe src="{_attribute(src)}" width="{width}" height="{height}" '
        f'title="{_attribute(title)}" loading="lazy" style="border:0" '
        "allowfullscreen></iframe>"
    )


def _attribute(value: str) -> str:
    """``value`` escaped for a double-quoted HTML attribute: &, <, > and "."""
    return html.escape(value, quote=False).replace('"', "&quot;")


@router.get(
    "/oembed",
    response_model=OEmbed,
    responses={
        404: {"description": "The URL is not a map of this server, or the map's record is not."},
        501: {"description": "The xml format was asked for; only json is served."},
    },
)
async def oembed(
    request: Request,
    url: Annotated[
        str,
        Query(
            max_length=2000,
            description="A map's page or embed URL on this server, such as "
            "https://example.org/maps/organizations/utrasd?depth=2.",
        ),
    ],
    maxwidth: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    maxheight: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    format: Annotated[
        str,
        Query(
            max_length=20,
            description="Only json is answered (xml: 501, as oEmbed says).",
            json_schema_extra={"enum": ["json"]},
        ),
    ] = "json",
) -> Response:
    """The map at ``url`` as an oEmbed ``rich`` answer: an iframe of its embed, at most
    ``maxwidth`` by ``maxheight`` pixels (800 by 600 when not given)."""
    if format == "xml":
        return problem(request, 501, "format 'xml' is not answered; allowed: json")
    if format != "json":
        raise InvalidQuery("format", f"'{format}' is not an oEmbed format", ["json"])
    parts = urlsplit(url)
    found = _MAP.match(parts.path) or _PUBLISHED.match(parts.path)
    here = request.url.netloc.lower()
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != here or not found:
        return problem(
            request,
            404,
            f"'{url}' is not a map of this server; allowed: http(s)://{here} followed by "
            "/maps/ecosystem, /maps/organizations/{id}, /maps/organizations/{id}/enablers or "
            "/maps/partnerships/{id} (or the same under /embed/), with the map's query, "
            "or /views/{id} or /stories/{id}",
        )
    map_page = found.re is _MAP
    asked = parse_qsl(parts.query, keep_blank_values=True)
    lang = _language(asked)
    kept = asked if map_page else [(k, v) for k, v in asked if k == "lang"]
    query = urlencode(kept)
    data = f"/api/maps/{found[1]}" if map_page else f"/api/{found[1]}"
    status, body, retry = await _get(request, data, query if map_page else "")
    if status != 200:
        return _relayed(request, url, status, body, retry)
    title = str(json.loads(body)["title"])
    if map_page and lang != DEFAULT:
        title = await _title_in(request, f"/embed/{found[1]}", query, title)
    width, height = min(WIDTH, maxwidth or WIDTH), min(HEIGHT, maxheight or HEIGHT)
    embed = f"{parts.scheme}://{parts.netloc}/embed/{found[1]}" + (f"?{query}" if query else "")
    answer = OEmbed(
        title=title,
        provider_url=f"{parts.scheme}://{parts.netloc}/",
        html=iframe(embed, title, width, height),
        width=width,
        height=height,
    )
    return JSONResponse(answer.model_dump())


def _language(query: list[tuple[str, str]]) -> Language:
    """The language a URL's query asks for (its last ``lang``), English if none; a language
    we do not have is refused, naming ours."""
    given = [v for k, v in query if k == "lang"]
    if not given:
        return DEFAULT
    try:
        return language(given[-1])
    except ValueError as error:
        said = f"its lang '{given[-1]}' is not a language we have"
        raise InvalidQuery("url", said, LANGUAGES) from error


async def _title_in(request: Request, embed: str, query: str, english: str) -> str:
    """The title the map's embed shows in the language its ``query`` asks for; the English
    ``english`` if the embed could not say it."""
    status, body, _ = await _get(request, embed, query)
    found = _MAP_DATA.search(body.decode("utf-8")) if status == 200 else None
    return str(json.loads(found[1])["title"]) if found else english


def _relayed(request: Request, url: str, status: int, body: bytes, retry: str | None) -> Response:
    """The map route's refusal, said of the URL asked about (what it names as wrong and
    allowed, and ``Retry-After``, kept)."""
    try:
        said: dict[str, Any] = json.loads(body)
    except ValueError:
        said = {}
    detail = f"{url}: {said.get('detail', 'the map could not be drawn')}"
    extra = {k: said[k] for k in ("parameter", "allowed", "errors") if k in said}
    headers = {"Retry-After": retry} if retry is not None else None
    return problem(request, status, detail, headers=headers, **extra)


async def _get(request: Request, path: str, query: str) -> tuple[int, bytes, str | None]:
    """``GET path?query`` answered by this app, in this process, for the same caller: its
    status, body and ``Retry-After``."""
    headers = [(b"host", request.url.netloc.encode("latin-1"))]
    if "authorization" in request.headers:
        headers.append((b"authorization", request.headers["authorization"].encode("latin-1")))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": request.url.scheme,
        "path": path,
        "raw_path": path.encode("ascii"),
        "query_string": query.encode("ascii"),
        "root_path": "",
        "headers": headers,
        "client": request.scope.get("client"),
        "server": request.scope.get("server"),
    }
    status, retry = 500, None
    chunks: list[bytes] = []
    asked = False

    async def receive() -> Message:
        nonlocal asked
        if asked:
            return {"type": "http.disconnect"}
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status, retry
        if message["type"] == "http.response.start":
            status = message["status"]
            retry = next(
                (v.decode("latin-1") for k, v in message["headers"] if k == b"retry-after"), None
            )
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await request.app(scope, receive, send)
    return status, b"".join(chunks), retry
