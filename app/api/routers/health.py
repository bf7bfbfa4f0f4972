"""``/healthz`` (the process is alive) and ``/readyz`` (the store answers)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Always ok while the process serves requests (async: no thread hop, no store)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health)
def readyz(store: StoreDep) -> Health:
    """Ok when the store answers; a 503 problem with ``Retry-After`` when it does not."""
    store.ping()
    return Health(status="ok", store=store.describe(), version=store.version())
