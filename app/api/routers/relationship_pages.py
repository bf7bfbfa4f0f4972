"""``/relationships/{id}``: one relationship as a page: who, how and whom in words, its facts,
its sources with their basis, and its history, from which an editor may restore a version.

Everything from data is escaped; the history is drawn by ``history.js`` from inert JSON.
"""

from __future__ import annotations

import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.api.actors import Actors
from app.api.deps import VOCAB, StoreDep
from app.api.params import RelationshipId
from app.api.problems import PAGE_RESPONSES
from app.api.record_history import fact_words, record_history
from app.api.routers.analysis_pages import tie_dates
from app.domain.models import Relationship, Source
from app.maps.encoding import relationship_label
from app.maps.page import inert_json, template

router = APIRouter(tags=["pages"])

FACTS = (
    ("Mode", "mode"),
    ("Mechanisms", "mechanisms"),
    ("Level", "level"),
    ("Status", "status"),
    ("Activities", "activities"),
    ("Programme", "programme"),
    ("Reference", "reference"),
    ("Awarded on", "awarded"),
)
"""The facts a relationship page lists after its type and years, when the tie has them."""


@router.get(
    "/relationships/{relationship_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def relationship_page(
    store: StoreDep, actors: Actors, relationship_id: RelationshipId
) -> HTMLResponse:
    """A relationship in words, with its sources and its history."""
    rel = store.get_relationship(relationship_id)
    names = {o.id: o.name for o in store.get_organizations([rel.source, rel.target])}
    source, target = (names.get(i, i) for i in (rel.source, rel.target))
    heading = (
        f'<a href="/organizations/{rel.source}">{html.escape(source)}</a> '
        f"{html.escape(relationship_label(rel.type))} "
        f'<a href="/organizations/{rel.target}">{html.escape(target)}</a>'
    )
    page = template("relationship.html").substitute(
        title=html.escape(f"{source} {relationship_label(rel.type)} {target}"),
        id=rel.id,
        heading=heading,
        facts=_facts(rel),
        sources="".join(_source(s) for s in rel.sources),
        history=inert_json(record_history(store, actors, rel)),
    )
    return HTMLResponse(page)


def _facts(rel: Relationship) -> str:
    """The tie's facts as ``<dt>``/``<dd>`` pairs: its type with the vocabulary's meaning,
    its years in words, then whichever of :data:`FACTS` it has, and a grant's amount."""
    rule = VOCAB.relationship_types[rel.type]
    pairs = [
        ("Relationship", f"{relationship_label(rel.type)}: {rule.term.definition}"),
        ("When", tie_dates(rel)),
    ]
    pairs += [
        (label, _words(field, getattr(rel, field)))
        for label, field in FACTS
        if getattr(rel, field) not in (None, [], "")
    ]
    if rel.amount is not None:
        pairs.append(("Amount", f"{rel.amount:,.2f} {rel.currency or ''}".strip()))
    return "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in pairs)


def _words(field: str, value: object) -> str:
    """A fact in words: free text as entered (activities one after another), vocabulary keys
    as words."""
    if field == "activities" and isinstance(value, list):
        return "; ".join(value)
    return fact_words(field, value)


def _source(source: Source) -> str:
    """One source: its basis, citation and where in it, the source's words or our reason."""
    where = f", {source.locator}" if source.locator else ""
    cited = html.escape(source.citation + where)
    if source.url:
        cited = f'<a href="{html.escape(source.url)}">{cited}</a>'
    said = source.quote or source.reason
    extra = f'<span class="quote">{html.escape(said)}</span>' if said else ""
    basis = f'<span class="basis basis-{source.basis}">{html.escape(source.basis)}</span>'
    return f'<li class="source">{basis} <span class="cite">{cited}</span>{extra}</li>'
