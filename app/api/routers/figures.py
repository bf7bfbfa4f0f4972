"""``/figures/coverage.png`` and ``.svg``: the gap coverage heatmap for reports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.analysis.gaps import coverage
from app.api.deps import VOCAB, SnapshotsDep, checked, enum_of
from app.api.params import AsOf, Basis, ReaderLanguage, language_headers
from app.domain.messages import N_, gettext
from app.maps.figures import coverage_heatmap

router = APIRouter(prefix="/figures", tags=["figures"])
MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


@router.get(
    "/coverage.{fmt}",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
def coverage_figure(
    snapshots: SnapshotsDep,
    fmt: Annotated[Literal["png", "svg"], Path(description="png or svg")],
    lang: ReaderLanguage,
    country: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))] = None,
    sector: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))] = None,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> Response:
    """Country by sector, one heatmap: unions and workers' organisations, SSE units, and the
    enablers that reach them, with the same cells as ``/analysis/gaps``; the 25 countries with
    the most organisations, the rest summed into one row; with ``basis=stated``, counting
    only what sources state, as the title says."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of, basis)
    title = (
        gettext(N_("Coverage of the ecosystem by country and sector in {year}"), lang).format(
            year=as_of
        )
        if as_of
        else gettext(N_("Coverage of the ecosystem by country and sector"), lang)
    )
    if basis == "stated":
        title += " " + gettext(N_("(stated facts only)"), lang)
    body = snapshot.remember(
        f"figure {fmt} {country} {sector} {lang}",
        lambda: coverage_heatmap(
            coverage(snapshot, country=country, sector=sector), fmt, title, lang
        ),
    )
    return Response(body, media_type=MEDIA[fmt], headers=language_headers(lang))
