"""``/api/paths``: the shortest connections between two organisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.analysis.inference import inferred_among
from app.analysis.traversal import Route, shortest_routes
from app.api.deps import VOCAB, StoreDep
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis
from app.api.schemas import RelationshipEvidence, Routes, RouteView
from app.domain.errors import InvalidQuery
from app.domain.models import SLUG_PATTERN

router = APIRouter(prefix="/api", tags=["paths"])


def relationship_types(raw: list[str] | None) -> list[str]:
    """The relationship types of repeated ``types`` values; all types when none is given."""
    if not raw:
        return sorted(VOCAB.relationship_types)
    types = sorted(set(raw))
    unknown = [t for t in types if t not in VOCAB.relationship_types]
    if unknown:
        message = f"unknown relationship type(s) {', '.join(unknown)}"
        raise InvalidQuery("types", message, sorted(VOCAB.relationship_types))
    return types


@router.get("/paths", response_model=Routes, responses=EXPENSIVE_RESPONSES)
def get_paths(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", pattern=SLUG_PATTERN, max_length=120)],
    target: Annotated[str, Query(alias="to", pattern=SLUG_PATTERN, max_length=120)],
    max_depth: Annotated[int, Query(ge=1, le=6, description="Longest route, 1 to 6 ties.")] = 4,
    types: Annotated[
        list[str] | None,
        Query(
            description="Relationship types to follow (repeat the parameter); all if none.",
            json_schema_extra={
                "items": {"type": "string", "enum": sorted(VOCAB.relationship_types)}
            },
        ),
    ] = None,
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many routes.")] = 10,
) -> Routes:
    """Every shortest route between two organisations over the given tie types, either way;
    with ``basis=stated``, over ties a source states only."""
    followed = relationship_types(types)
    routes = shortest_routes(
        store, source, target, max_depth, followed, as_of, limit, weighing=basis
    )
    return Routes(
        source=source,
        target=target,
        length=len(routes[0].relationships) if routes else None,
        routes=[_view(r, as_of) for r in routes],
    )


def _view(route: Route, as_of: int | None) -> RouteView:
    """A route as the answer shows it; it rests on an inference when one of its ties does."""
    inferred = inferred_among(route.relationships, as_of)
    return RouteView(
        organizations=route.organizations,
        relationships=[RelationshipEvidence.of(r) for r in route.relationships],
        rests_on_inference=bool(inferred),
        inferred_records=list(inferred),
    )
