"""``/api/facets``: the filter values present in the graph, with counts and readable labels."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from app.analysis.facets import facets
from app.api.deps import SnapshotsDep
from app.api.params import AsOf, Basis, ReaderLanguage, language_headers
from app.domain.languages import country_name
from app.domain.terms import label, labels

router = APIRouter(prefix="/api", tags=["vocabulary"])


class FacetValue(BaseModel):
    """One value a filter can take, in words, with how many organisations have it."""

    key: str
    label: str
    count: int


class FacetsView(BaseModel):
    """Each filter's values present in the graph, most organisations first."""

    countries: list[FacetValue]
    sectors: list[FacetValue]
    types: list[FacetValue]
    movements: list[FacetValue]


def _values(counts: dict[str, int], label: dict[str, str]) -> list[FacetValue]:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], label[kv[0]]))
    return [FacetValue(key=k, label=label[k], count=n) for k, n in ordered]


@router.get("/facets", response_model=FacetsView)
def get_facets(
    snapshots: SnapshotsDep,
    lang: ReaderLanguage,
    response: Response,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> FacetsView:
    """The countries, sectors, types and movements that organisations have, with counts;
    with ``basis=stated``, those that sources state. Labels are in the reader's language
    (``lang``, else ``Accept-Language``, else English); keys never change."""
    response.headers.update(language_headers(lang))
    found = facets(snapshots.get(as_of, basis))
    return FacetsView(
        countries=_values(found.countries, {k: country_name(k, lang) for k in found.countries}),
        sectors=_values(found.sectors, {k: label("sectors", k, lang) for k in found.sectors}),
        types=_values(found.types, {k: label("organization_types", k, lang) for k in found.types}),
        movements=_values(found.movements, labels("movements", lang)),
    )
