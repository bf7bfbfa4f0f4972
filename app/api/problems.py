"""Maps every error to an RFC 9457 problem+json answer that a person can act on."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import annotated_types
from fastapi import FastAPI, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.api.methods import allowed_methods
from app.api.params import language_headers
from app.domain.documents import SLUG_RULE
from app.domain.errors import (
    Conflict,
    Forbidden,
    InvalidData,
    InvalidQuery,
    NotFound,
    PreconditionFailed,
    SolGraphError,
    StoreUnavailable,
    TooLarge,
    Unauthorized,
)
from app.domain.languages import DEFAULT, Language, chosen
from app.domain.models import SLUG_PATTERN
from app.maps.page import render_error

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


def is_page(path: str) -> bool:
    """Whether a path is a page a person reads in a browser or a frame: a map page, an embed,
    an analysis page, a profile, a relationship, a view or story, a form or a review (a map's
    image, ``/maps/....svg``, answers problem+json)."""
    pages = ("/embed/", "/analysis/", "/organizations/", "/relationships/", "/views/")
    if path.startswith((*pages, "/stories/", "/new/", "/review/")):
        return True
    return path.startswith("/maps/") and not path.endswith((".svg", ".png"))


def problem(
    request: Request,
    status: int,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response; with type about:blank, RFC 9457 wants the status phrase as title.

    A map page or an embed answers the same words as a short HTML page instead, so a frame
    on someone's site never shows raw JSON.
    """
    if is_page(request.url.path):
        lang = _page_language(request)
        page = render_error(
            HTTPStatus(status),
            detail,
            request.url.path.startswith("/embed/"),
            lang,
            request.url.path,
            request.query_params.multi_items(),
        )
        answer = {**(headers or {}), **language_headers(lang)}
        return HTMLResponse(page, status_code=status, headers=answer)
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(
        body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {})
    )


def _page_language(request: Request) -> Language:
    """The language a page was asked in (``?lang=``, else ``Accept-Language``); English when
    ``?lang=`` names none of ours, as the page then says in English."""
    try:
        return chosen(request.query_params.get("lang"), request.headers.get("accept-language"))
    except ValueError:
        return DEFAULT


def _location(loc: tuple[Any, ...]) -> str:
    where = {"query": "query parameter", "path": "path parameter", "body": "body field"}
    if loc and loc[0] in where:
        if len(loc) == 1:
            return "request body" if loc[0] == "body" else where[loc[0]]
        return f"{where[loc[0]]} '{'.'.join(str(p) for p in loc[1:])}'"
    return ".".join(str(p) for p in loc)


BOUNDS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def _range(request: Request, loc: tuple[Any, ...]) -> str:
    """`` (allowed: 1 to 3)`` for a query or path parameter bounded both ways, else nothing."""
    route = request.scope.get("route")
    if len(loc) != 2 or loc[0] not in ("query", "path") or not isinstance(route, APIRoute):
        return ""
    for field in get_flat_params(route.dependant):
        if field.alias == loc[1]:
            metadata = field.field_info.metadata
            low = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
            high = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
            if low is not None and high is not None:
                return f" (allowed: {low} to {high})"
    return ""


def _message(request: Request, item: Mapping[str, Any]) -> str:
    if item["type"] == "string_pattern_mismatch" and item.get("ctx", {}).get("pattern") == (
        SLUG_PATTERN
    ):  # said as documents say it, not as the pattern
        return f"{item['input']!r} is not a slug; {SLUG_RULE}"
    message = str(item["msg"]).removeprefix("Value error, ")
    if item["type"] in BOUNDS:
        message += _range(request, tuple(item["loc"]))
    return message


async def _request_invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    if any(item["type"] == "json_invalid" for item in error.errors()):
        return problem(request, 400, "the request body is not valid JSON")
    errors = [
        {"location": _location(tuple(item["loc"])), "message": _message(request, item)}
        for item in error.errors()
    ]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
    return problem(request, 422, detail, errors=errors)


async def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, SolGraphError)
    if isinstance(error, NotFound):
        return problem(request, 404, str(error))
    if isinstance(error, InvalidQuery):
        return problem(
            request, 422, str(error), parameter=error.parameter, allowed=list(error.allowed)
        )
    if isinstance(error, InvalidData):
        errors = [
            {"record": p.record, "field": p.field, "message": p.message, "allowed": list(p.allowed)}
            for p in error.problems
        ]
        return problem(request, 422, str(error), errors=errors)
    if isinstance(error, Conflict):
        return problem(request, 409, str(error))
    if isinstance(error, PreconditionFailed):
        headers = {} if error.current is None else {"ETag": f'"{error.current}"'}
        return problem(request, 412, str(error), headers=headers)
    if isinstance(error, Unauthorized):
        return problem(request, 401, str(error), headers={"WWW-Authenticate": "Bearer"})
    if isinstance(error, Forbidden):
        return problem(request, 403, str(error))
    if isinstance(error, TooLarge):
        return problem(request, 413, str(error))
    if isinstance(error, StoreUnavailable):
        log.warning("store unavailable: %s", error)
        headers = {"Retry-After": str(error.retry_after)}
        # The reason names the store's file or server: it goes to the log, not to the caller.
        detail = f"the graph store is unavailable; retry in {error.retry_after} s"
        return problem(request, 503, detail, headers=headers)
    log.error("unmapped domain error %r", error)
    return problem(request, 500, "internal error")


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    headers = dict(error.headers or {})
    if error.status_code == 404:
        detail = f"no route {request.url.path}; see /docs for the API"
    elif error.status_code == 400 and "parsing the body" in detail:
        detail = "the request body is not valid JSON"
    elif error.status_code == 405:
        allowed = allowed_methods(request.scope)  # Starlette names only the first route's
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}"
    return problem(request, error.status_code, detail, headers=headers)


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in words a person can act on."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    parameter: str | None = None
    allowed: list[str] | None = None
    errors: list[dict[str, Any]] | None = None


def documented(description: str) -> dict[str, Any]:
    """An OpenAPI response entry: a problem+json answer and when it is given."""
    schema = Problem.model_json_schema()
    return {"description": description, "content": {MEDIA_TYPE: {"schema": schema}}}


RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {
        **documented("Too many writes with this API key; retry after Retry-After seconds."),
        "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
    },
}
"""The answer of a POST, PUT, PATCH or DELETE made with a key whose writes are over its rate."""

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: documented("No valid API key: send `Authorization: Bearer <key>`."),
    403: documented("The API key's role is too weak: the problem names the role needed."),
    409: documented("The write clashes with what is stored (an id taken, ties left)."),
    412: documented("If-Match names an ETag the record no longer has; read it again."),
    **RATE_LIMITED,
}
"""Further error answers of the routes that change the graph."""

RESPONSES: dict[int | str, dict[str, Any]] = {
    400: documented("The request body could not be read as JSON."),
    404: documented("Not found: the problem names what was asked for."),
    413: documented("The request body is larger than SOLGRAPH_MAX_BODY_BYTES."),
    422: documented("Invalid input: the problem names the field and the allowed values."),
    503: documented("The store is unavailable; retry after Retry-After seconds."),
}
"""Error answers every route may give, documented as problem+json for OpenAPI clients."""

PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": entry["description"],
        "content": {"text/html": {"schema": {"type": "string"}}, **entry["content"]},
    }
    for status, entry in RESPONSES.items()
}
"""The same errors on map pages and embeds, answered as a short HTML page; a map's image
(a path ending in ``.svg`` or ``.png``) answers problem+json."""


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(SolGraphError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
