"""``/api/facets``: the filter values present in the graph, with counts and readable labels."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.analysis.facets import facets
from app.api.deps import VOCAB, SnapshotsDep
from app.api.params import AsOf, Basis
from app.maps.encoding import MOVEMENT_LABELS, term_label

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
def get_facets(snapshots: SnapshotsDep, as_of: AsOf = None, basis: Basis = "any") -> FacetsView:
    """The countries, sectors, types and movements that organisations have, with counts;
    with ``basis=stated``, those that sources state."""
    found = facets(snapshots.get(as_of, basis))
    return FacetsView(
        countries=_values(found.countries, {k: VOCAB.countries.get(k, k) for k in found.countries}),
        sectors=_values(found.sectors, {k: term_label(k) for k in found.sectors}),
        types=_values(found.types, {k: term_label(k) for k in found.types}),
        movements=_values(found.movements, dict(MOVEMENT_LABELS)),
    )
