"""Maps weigh evidence: a tie resting on our inference is drawn dashed and said to be inferred,
``basis=stated`` leaves it out, the legend explains the dashes, and an undated tie counts from
the year it was first reported.

The graph is written here, after Box 3 of the brief: UTRASD established IMA Limpia (2021);
the French Development Agency, CARE and Fundación Bien Humano are its enabling partners. The
inferences (UTRASD enabling it, AFD's mode, FBH's start year, the ministry UTRASD advocates
to) are ours, made for the test, each with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from app.analysis.snapshot import SnapshotCache
from app.api.main import create_app
from app.domain.messages import as_written
from app.domain.models import Document, Organization, Relationship, Source
from app.maps import encoding as enc
from app.maps.build import View, organization_map_data
from app.maps.export import render_map_image
from app.maps.model import MapData, MapEdge
from app.maps.views import EcosystemFilters, ecosystem_map, enablers_map, organization_map
from app.settings import Settings
from app.store.memory import MemoryStore

BOX3 = {"citation": "UTRASD et al. 2020", "locator": "Box 3", "year": 2020}


def stated(quote: str, **extra: Any) -> dict[str, Any]:
    return {**BOX3, "basis": "stated", "quote": quote, **extra}


def inferred(reason: str, **extra: Any) -> dict[str, Any]:
    return {**BOX3, "basis": "inferred", "reason": reason, **extra}


def organization(id: str, name: str, type: str, movement: str, **extra: Any) -> Organization:
    return Organization.model_validate(
        {
            "id": id,
            "name": name,
            "type": type,
            "movement": movement,
            "sources": [stated(name)],
            **extra,
        }
    )


def tie(id: str, type: str, source: str, target: str, **extra: Any) -> Relationship:
    return Relationship.model_validate(
        {"id": id, "type": type, "source": source, "target": target, **extra}
    )


ORGS = [
    organization("utrasd", "Unión de Trabajadoras del Servicio Doméstico", "trade_union", "labour"),
    organization("ima-limpia", "IMA Limpia", "social_enterprise", "sse", founded=2021),
    organization("afd", "French Development Agency", "development_agency", "enabler"),
    organization("care", "CARE Latin America and the Caribbean", "ngo", "enabler"),
    organization("fbh", "Fundación Bien Humano", "foundation", "enabler"),
    organization("mintrabajo", "Ministry of Labour", "public_body", "public"),
]
ESTABLISHED = tie(
    "utrasd-established-ima-limpia",
    "ESTABLISHED",
    "utrasd",
    "ima-limpia",
    since=2021,
    sources=[stated("A worker-led and managed social enterprise was developed")],
)
ENABLES_INFERRED = tie(
    "utrasd-enables-ima-limpia",
    "ENABLES",
    "utrasd",
    "ima-limpia",
    mode="direct",
    sources=[
        inferred(
            "Box 3 says UTRASD and partners trained the workers; we read that as enabling",
            citation="IMA Limpia 2021",
            year=2022,
        ),
        inferred("the training served the enterprise's business", year=2020),
    ],
)
AFD_MODE_INFERRED = tie(
    "afd-enables-ima-limpia",
    "ENABLES",
    "afd",
    "ima-limpia",
    mode="indirect",
    sources=[
        stated("financial and technical support from enabling partners"),
        inferred("a development agency is an indirect enabling partner", fields=["mode"]),
    ],
)
CARE_MECHANISMS_INFERRED = tie(
    "care-enables-ima-limpia",
    "ENABLES",
    "care",
    "ima-limpia",
    mode="direct",
    mechanisms=["finance"],
    sources=[
        stated("financial and technical support from enabling partners"),
        inferred("which partner gave money is not said", fields=["mechanisms"]),
    ],
)
FBH_SINCE_INFERRED = tie(
    "fbh-enables-ima-limpia",
    "ENABLES",
    "fbh",
    "ima-limpia",
    mode="direct",
    since=2021,
    sources=[
        stated("financial and technical support from enabling partners"),
        inferred("the enterprise launched in late 2021", fields=["since"]),
    ],
)
ADVOCACY_INFERRED = tie(
    "utrasd-advocates-to-mintrabajo",
    "ADVOCATES_TO",
    "utrasd",
    "mintrabajo",
    sources=[inferred("advocating at national level; we take the ministry as its target")],
)
TIES = [
    ESTABLISHED,
    ENABLES_INFERRED,
    AFD_MODE_INFERRED,
    CARE_MECHANISMS_INFERRED,
    FBH_SINCE_INFERRED,
    ADVOCACY_INFERRED,
]
VIEW = View("ecosystem", "ecosystem", {}, as_written("Box 3"), (), None, 1)
GENERATED = date(2024, 1, 1)


def edges_of(data: MapData) -> dict[str, MapEdge]:
    return {e.id: e for e in data.edges}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MemoryStore]:
    memory = MemoryStore(tmp_path)
    memory.load(Document(organizations=ORGS, relationships=TIES))
    yield memory
    memory.close()


def test_a_tie_resting_on_inference_is_dashed_and_marked() -> None:
    edges = edges_of(organization_map_data(VIEW, ORGS, TIES))
    guess = edges[ENABLES_INFERRED.id]
    assert guess.basis == "inferred" and guess.inferred is True
    assert guess.dashes == list(enc.INFERRED_DASHES)
    established = edges[ESTABLISHED.id]
    assert established.basis == "stated" and established.inferred is False
    assert established.dashes == list(enc.LINE_STYLES["ESTABLISHED"].dashes)
    patterns = {style.dashes for style in enc.LINE_STYLES.values()}
    assert enc.INFERRED_DASHES not in patterns, "no relationship type is drawn with its dashes"


def test_only_an_inferred_type_makes_a_stated_tie_dashed() -> None:
    """What a tie is (its type) decides its line. AFD's inferred mode, FBH's inferred start
    year and CARE's inferred mechanisms are details, marked in the panel but not dashed: the
    brief calls no enabling partner direct or indirect, so dashing for a mode would dash every
    enabling tie."""
    retyped = AFD_MODE_INFERRED.model_copy(
        update={
            "sources": [
                *AFD_MODE_INFERRED.sources,
                Source.model_validate(inferred("we read support as enabling", fields=["type"])),
            ]
        }
    )
    edges = edges_of(organization_map_data(VIEW, ORGS, [*TIES, retyped]))
    afd, fbh, care = (
        edges[AFD_MODE_INFERRED.id],
        edges[FBH_SINCE_INFERRED.id],
        edges[CARE_MECHANISMS_INFERRED.id],
    )
    assert (afd.basis, afd.inferred_fields, afd.inferred) == ("stated", ["mode", "type"], True)
    assert afd.dashes == list(enc.INFERRED_DASHES)
    assert (fbh.basis, fbh.inferred_fields, fbh.inferred) == ("stated", ["since"], False)
    assert (care.basis, care.inferred_fields, care.inferred) == ("stated", ["mechanisms"], False)
    assert care.dashes == list(enc.LINE_STYLES["ENABLES"].dashes)
    plain = edges_of(organization_map_data(VIEW, ORGS, TIES))[AFD_MODE_INFERRED.id]
    assert (plain.inferred_fields, plain.inferred) == (["mode"], False)


def test_the_legend_explains_the_dashes_only_when_a_tie_is_dashed() -> None:
    legend = organization_map_data(VIEW, ORGS, TIES).legend
    [entry] = [e for e in legend if e.channel == "basis"]
    assert entry.key == "inferred" and entry.label.startswith("inferred (our reading")
    assert entry.dashes == list(enc.INFERRED_DASHES)
    plain = organization_map_data(VIEW, ORGS, [ESTABLISHED, CARE_MECHANISMS_INFERRED]).legend
    assert [e for e in plain if e.channel == "basis"] == []


def test_an_undated_tie_is_reported_in_the_year_of_its_earliest_source() -> None:
    """UTRASD's ENABLES tie has sources of 2022 and 2020 and no start: it counts from 2020."""
    edges = edges_of(organization_map_data(VIEW, ORGS, TIES))
    guess = edges[ENABLES_INFERRED.id]
    assert guess.undated is True and guess.reported == 2020
    assert guess.since_label == "undated, reported in 2020"
    assert edges[ESTABLISHED.id].since_label == "2021"
    assert edges[ESTABLISHED.id].reported is None
    nowhere = tie("a-partners-b", "PARTNERS_WITH", "afd", "care", sources=[{"citation": "c"}])
    [bare] = organization_map_data(VIEW, ORGS, [nowhere]).edges
    assert bare.since_label == "undated" and bare.reported is None


def test_the_year_slider_counts_an_undated_tie_from_its_first_report() -> None:
    """Starts: 2021 (two dated ties), 2020 (the undated ones' first reports); no ends."""
    data = organization_map_data(VIEW, ORGS, TIES)
    assert data.years == [2020, 2021]
    edges = edges_of(data)
    assert edges[ENABLES_INFERRED.id].years == [2020, 2021]
    assert edges[ESTABLISHED.id].years == [2021]


def test_basis_stated_leaves_out_what_rests_on_inference(store: MemoryStore) -> None:
    snapshots = SnapshotCache(store)
    every = ecosystem_map(snapshots, EcosystemFilters(), 500)
    assert set(edges_of(every)) == {t.id for t in TIES}
    assert "basis" not in every.query
    only = ecosystem_map(snapshots, EcosystemFilters(basis="stated"), 500)
    resting = {ENABLES_INFERRED.id, ADVOCACY_INFERRED.id}
    assert set(edges_of(only)) == {t.id for t in TIES} - resting
    assert only.query == {"basis": "stated"}
    assert "stated facts only" in only.title
    fbh = edges_of(only)[FBH_SINCE_INFERRED.id]
    assert fbh.since is None and fbh.since_label == "undated, reported in 2020"
    assert fbh.inferred is False, "its inferred start year is not counted, so not drawn"
    afd = edges_of(only)[AFD_MODE_INFERRED.id]
    assert afd.inferred_fields == ["mode"], "an inferred mode stays, marked"


def test_the_ego_map_reaches_only_as_far_as_stated_ties(store: MemoryStore) -> None:
    """UTRASD reaches the ministry by an inferred tie only, and IMA Limpia's partners through
    the stated ESTABLISHED tie."""
    snapshots = SnapshotCache(store)
    every = organization_map(store, snapshots, "utrasd", 2, 500)
    assert {n.id for n in every.nodes} == {o.id for o in ORGS}
    only = organization_map(store, snapshots, "utrasd", 2, 500, "stated")
    assert {n.id for n in only.nodes} == {o.id for o in ORGS} - {"mintrabajo"}
    assert only.query == {"depth": "2", "basis": "stated"}
    one = organization_map(store, snapshots, "utrasd", 1, 500, "stated")
    assert {n.id for n in one.nodes} == {"utrasd", "ima-limpia"}


def test_the_enablers_map_follows_only_stated_ties(store: MemoryStore) -> None:
    snapshots = SnapshotCache(store)
    every = enablers_map(store, snapshots, "ima-limpia", 3, None)
    assert ENABLES_INFERRED.id in edges_of(every)
    only = enablers_map(store, snapshots, "ima-limpia", 3, None, "stated")
    assert ENABLES_INFERRED.id not in edges_of(only)
    assert {n.id for n in only.nodes} == {"ima-limpia", "utrasd", "afd", "care", "fbh"}


def test_exports_carry_the_inferred_legend_entry() -> None:
    data = organization_map_data(VIEW, ORGS, TIES)
    svg = render_map_image(data, "svg", GENERATED, None).decode()
    texts = "".join(ElementTree.fromstring(svg).itertext())
    assert "Evidence (line pattern)" in texts
    assert enc.INFERRED_LABEL in texts
    png = render_map_image(data, "png", GENERATED, None)
    assert png.startswith(b"\x89PNG")


@pytest.fixture
def client(store: MemoryStore, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(lambda: store, Settings(data_dir=tmp_path / "app"))
    with TestClient(app) as test_client:
        yield test_client


def test_every_map_route_takes_the_basis(client: TestClient) -> None:
    for path in (
        "/api/maps/ecosystem",
        "/api/maps/organizations/utrasd?depth=2",
        "/api/maps/organizations/ima-limpia/enablers",
    ):
        joiner = "&" if "?" in path else "?"
        every = client.get(path).json()
        only = client.get(f"{path}{joiner}basis=stated").json()
        assert ENABLES_INFERRED.id in {e["id"] for e in every["edges"]}, path
        assert ENABLES_INFERRED.id not in {e["id"] for e in only["edges"]}, path
        assert only["query"]["basis"] == "stated", "links and exports built from it keep it"


def test_a_wrong_basis_is_refused_naming_the_allowed_values(client: TestClient) -> None:
    answer = client.get("/api/maps/ecosystem?basis=maybe")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    detail = answer.json()["detail"]
    assert detail == "query parameter 'basis': 'maybe' is not allowed; allowed: any, stated"


def test_the_svg_export_says_it_counts_stated_facts_only(client: TestClient) -> None:
    svg = client.get("/maps/ecosystem.svg?basis=stated")
    assert svg.status_code == 200
    texts = "".join(ElementTree.fromstring(svg.text).itertext())
    assert "stated facts only" in texts
    assert "basis=stated" in texts, "the address of the live map keeps the basis"
