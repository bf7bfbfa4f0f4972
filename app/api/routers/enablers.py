"""``/api/organizations/{id}/enablers`` and ``/enabled``: who enables whom, and through whom."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.analysis.inference import inferred_among
from app.analysis.traversal import Link, enabled, enablers
from app.api.answers import Answer, Answers
from app.api.deps import AnswersDep, StoreDep
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis, OrganizationId
from app.api.schemas import LinkPage, LinkView, OrganizationRef, RelationshipEvidence
from app.domain.evidence import Weighing
from app.store.protocol import GraphStore

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


Walk = Callable[..., list[Link]]
"""``enablers`` or ``enabled``: the links of one organisation."""


async def _kept(
    request: Request,
    answers: Answers,
    store: GraphStore,
    walk: Walk,
    organization_id: str,
    depth: int,
    as_of: int | None,
    basis: Weighing,
    limit: int,
) -> Response:
    """One page of ``walk``'s links, kept per graph version under the question asked."""

    def render() -> Answer:
        links = walk(store, organization_id, depth, as_of, weighing=basis)
        return Answer.of(_page(organization_id, depth, as_of, basis, links, limit))

    key = (walk.__name__, organization_id, depth, as_of, basis, limit)
    return await answers.reply(request, key, render)


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

    return await _kept(
        request, answers, store, enablers, organization_id, depth, as_of, basis, limit
    )


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

    return await _kept(
        request, answers, store, enabled, organization_id, depth, as_of, basis, limit
    )
