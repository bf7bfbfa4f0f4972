"""Dependencies shared by the routers: the store, and vocabulary-checked query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Query, Request

from app.analysis.snapshot import SnapshotCache
from app.api.answers import Answers
from app.domain.errors import InvalidQuery
from app.domain.text import fold
from app.domain.vocabulary import vocabulary
from app.settings import Settings
from app.store.protocol import GraphStore


async def get_store(request: Request) -> GraphStore:
    """The one store the app opened at start-up."""
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]

MAX_LIMIT = 500
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="How many matches to skip.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size, 1 to 500.")]


def checked(parameter: str, value: str | None, terms: Mapping[str, object]) -> str | None:
    """``value`` if it is a vocabulary key (or absent), else an ``InvalidQuery`` listing them."""
    if value is not None and value not in terms:
        raise InvalidQuery(parameter, f"'{value}' is not allowed", sorted(terms))
    return value


def search_text(q: str | None) -> str | None:
    """The ``q`` filter, or ``None`` when it is blank once folded."""
    if q is None or not fold(q):
        return None
    return q


def enum_of(terms: Mapping[str, object]) -> dict[str, list[str]]:
    """OpenAPI ``enum`` of a query parameter whose values come from the vocabulary."""
    return {"enum": sorted(terms)}


VOCAB = vocabulary()


async def get_snapshots(request: Request) -> SnapshotCache:
    """Whole-graph snapshots of the app's store, cached per graph version."""
    cache: SnapshotCache = request.app.state.snapshots
    return cache


SnapshotsDep = Annotated[SnapshotCache, Depends(get_snapshots)]


async def get_settings(request: Request) -> Settings:
    """The settings the app was started with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_answers(request: Request) -> Answers:
    """Serialised read answers of the app's store, kept per graph version."""
    answers: Answers = request.app.state.answers
    return answers


AnswersDep = Annotated[Answers, Depends(get_answers)]
