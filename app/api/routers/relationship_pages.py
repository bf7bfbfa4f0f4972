"""``/relationships/{id}``: one relationship as a page: who, how and whom in words, its facts,
its sources with their basis, and its history, from which an editor may restore a version.

The page speaks the reader's language (``?lang=``): the relationship type and its meaning, the
facts' names, vocabulary values, years and amounts; names, sources and activities stay as
written. Everything from data is escaped by the template; the history is drawn by
``history.js`` from inert JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.actors import Actors
from app.api.deps import StoreDep
from app.api.params import ReaderLanguage, RelationshipId, language_headers
from app.api.problems import PAGE_RESPONSES
from app.api.record_history import fact_words, record_history
from app.api.routers.analysis_pages import tie_dates
from app.domain.languages import CLDR_LOCALES, Language
from app.domain.messages import N_, gettext
from app.domain.models import Relationship, Source
from app.domain.terms import label, wording
from app.maps.encoding import relationship_label
from app.maps.page import render_page

router = APIRouter(tags=["pages"])

FACTS = (
    (N_("Mode"), "mode"),
    (N_("Mechanisms"), "mechanisms"),
    (N_("Level"), "level"),
    (N_("Status"), "status"),
    (N_("Activities"), "activities"),
    (N_("Programme"), "programme"),
    (N_("Reference"), "reference"),
    (N_("Awarded on"), "awarded"),
)
"""The facts a relationship page lists after its type and years, when the tie has them."""
AS_WRITTEN = frozenset({"activities", "programme", "reference"})
"""Facts that are text as entered, in the language it was written in."""


@router.get(
    "/relationships/{relationship_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def relationship_page(
    request: Request,
    store: StoreDep,
    actors: Actors,
    relationship_id: RelationshipId,
    lang: ReaderLanguage,
) -> HTMLResponse:
    """A relationship in words of the reader's language, with its sources and its history."""
    rel = store.get_relationship(relationship_id)
    names = {o.id: o.name for o in store.get_organizations([rel.source, rel.target])}
    source, target = (names.get(i, i) for i in (rel.source, rel.target))
    verb = relationship_label(rel.type, lang)
    page = render_page(
        "relationship.html",
        lang,
        request.url.path,
        request.query_params.multi_items(),
        title=f"{source} {verb} {target}",
        id=rel.id,
        source={"id": rel.source, "name": source},
        target={"id": rel.target, "name": target},
        verb=verb,
        facts=_facts(rel, lang),
        sources=[_source(s, lang) for s in rel.sources],
        history=record_history(store, actors, rel, lang),
    )
    return HTMLResponse(page, headers=language_headers(lang))


def _facts(rel: Relationship, lang: Language) -> list[tuple[str, str, bool]]:
    """The tie's facts as name, value in ``lang`` and whether the value is text as entered:
    its type with the vocabulary's meaning, its years in words, then whichever of
    :data:`FACTS` it has, and a grant's amount."""
    said = wording("relationship_types", rel.type, lang)
    facts = [
        (gettext(N_("Relationship"), lang), f"{said.label}: {said.definition}", False),
        (gettext(N_("When"), lang), tie_dates(rel, lang), False),
    ]
    facts += [
        (gettext(named, lang), _words(field, getattr(rel, field), lang), field in AS_WRITTEN)
        for named, field in FACTS
        if getattr(rel, field) not in (None, [], "")
    ]
    if rel.amount is not None:
        amount = format_decimal(rel.amount, format="#,##0.00", locale=lang)
        words = f"{amount} {rel.currency or ''}".strip()
        facts.append((gettext(N_("Amount"), lang), words, False))
    return facts


def _words(field: str, value: object, lang: Language) -> str:
    """A fact in words of ``lang``: free text as entered (activities one after another),
    a date as the language writes it, vocabulary keys as words."""
    if field == "activities" and isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, date):
        return format_date(value, "long", locale=CLDR_LOCALES[lang])
    return fact_words(field, value, lang, "relationship")


def _source(source: Source, lang: Language) -> dict[str, Any]:
    """One source as the page lists it: its basis in words, its citation and where in it, a
    web address to link (http or https only), the source's words or our reason."""
    url = source.url if source.url and source.url.startswith(("http://", "https://")) else None
    return {
        "basis": source.basis,
        "basis_words": label("bases", source.basis, lang).lower(),
        "cited": source.citation + (f", {source.locator}" if source.locator else ""),
        "url": url,
        "said": source.quote or source.reason,
    }
