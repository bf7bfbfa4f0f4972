"""``/healthz`` (the process is alive) and ``/readyz`` (the store answers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.api.auth import requires
from app.api.deps import SettingsDep, StoreDep
from app.api.schemas import Health

router = APIRouter(tags=["health"])

_keyed = requires("reader")

HEALTHY = Health(status="ok").model_dump_json().encode("utf-8")
"""The body of every ``/healthz`` answer (also sent by ``app.api.fast_lane``)."""


async def _is_admin(request: Request, store: StoreDep, settings: SettingsDep) -> bool:
    """Whether the request comes with an admin's key.

    No key is fine whatever ``SOLGRAPH_PUBLIC_READ`` says, since health checks send none; a key
    that is sent must be valid, as on every route (401 otherwise).
    """
    if "authorization" not in request.headers:
        return False
    caller = await _keyed(request, store, settings)
    return caller.role == "admin"


@router.get("/healthz", response_model=Health)
async def healthz() -> Response:
    """Always ok while the process serves requests (async: no thread hop, no store)."""
    return Response(HEALTHY, media_type="application/json")


@router.get("/readyz", response_model=Health, response_model_exclude_none=True)
def readyz(store: StoreDep, admin: Annotated[bool, Depends(_is_admin)]) -> Health:
    """Ok when the store answers; a 503 problem with ``Retry-After`` when it does not.

    Only an admin's key is also told which store this is, where, and its graph version.
    """
    store.ping()
    if not admin:
        return Health(status="ok")
    return Health(status="ok", store=store.describe(), version=store.version())
