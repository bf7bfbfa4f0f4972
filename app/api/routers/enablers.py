"""``/api/organizations/{id}/enablers`` and ``/enabled``: who enables whom, and through whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.analysis.inference import inferred_among
from app.analysis.traversal import Link, enabled, enablers
from app.api.answers import Answer, respond
from app.api.deps import AnswersDep, StoreDep
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis, OrganizationId
from app.api.schemas import LinkPage, LinkView, OrganizationRef, RelationshipEvidence
from app.domain.evidence import Weighing

router = APIRouter(prefix="/api/organizations", tags=["enablers"])

Depth = Annotated[int, Query(ge=1, le=4, description="Enabling ties to follow, 1 to 4.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many, nearest first.")]


def _page(
    organization_id: str,
    depth: int,
    as_of: int | None,
    basis: Weighing,
    links: list[Link],
    limit: int,
) -> LinkPage:
    """One page of links; a link rests on an inference when a tie of its chain does."""
    items = []
    for link in links[:limit]:
        inferred = inferred_among(link.relationships, as_of)
        items.append(
            LinkView(
                organization=OrganizationRef(
                    id=link.organization.id,
                    name=link.organization.name,
                    type=link.organization.type,
                ),
                hops=link.hops,
                reach=link.reach,
                partner_mode=link.partner_mode,
                path=link.path,
                relationships=[RelationshipEvidence.of(r) for r in link.relationships],
                mechanisms=link.mechanisms,
                sources=link.sources,
                rests_on_inference=bool(inferred),
                inferred_records=list(inferred),
            )
        )
    return LinkPage(
        organization=organization_id,
        depth=depth,
        as_of=as_of,
        basis=basis,
        items=items,
        total=len(links),
    )


@router.get("/{organization_id}/enablers", response_model=LinkPage, responses=EXPENSIVE_RESPONSES)
async def get_enablers(
    request: Request,
    store: StoreDep,
    answers: AnswersDep,
    organization_id: OrganizationId,
    depth: Depth = 2,
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: Limit = 200,
) -> Response:
    """Organisations that enable this one: directly (one tie that enables, funds, organises or
    established it) or indirectly through intermediaries, each with the chain that links them.
    With ``basis=stated``, only chains of ties a source states.

    Answers are kept per graph version (concurrent requests for one are computed once); the
    ``ETag`` header tags the answer, for ``If-None-Match``."""

    def render() -> Answer:
        links = enablers(store, organization_id, depth, as_of, weighing=basis)
        return Answer.of(_page(organization_id, depth, as_of, basis, links, limit))

    key = ("enablers", organization_id, depth, as_of, basis, limit)
    return respond(request, await answers.answer(key, render))


@router.get("/{organization_id}/enabled", response_model=LinkPage, responses=EXPENSIVE_RESPONSES)
async def get_enabled(
    request: Request,
    store: StoreDep,
    answers: AnswersDep,
    organization_id: OrganizationId,
    depth: Depth = 2,
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: Limit = 200,
) -> Response:
    """Organisations this one enables, directly or through intermediaries (answers kept and
    tagged as for enablers)."""

    def render() -> Answer:
        links = enabled(store, organization_id, depth, as_of, weighing=basis)
        return Answer.of(_page(organization_id, depth, as_of, basis, links, limit))

    key = ("enabled", organization_id, depth, as_of, basis, limit)
    return respond(request, await answers.answer(key, render))
