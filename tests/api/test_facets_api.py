"""``/api/facets``: the filter values organisations have, counted independently here."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient

from app.domain.models import Document
from app.domain.timeline import organization_exists


def test_facets_count_the_values_organisations_have(client: TestClient, seed: Document) -> None:
    living = [o for o in seed.organizations if organization_exists(o, None)]
    body = client.get("/api/facets").json()
    countries = {v["key"]: v["count"] for v in body["countries"]}
    assert countries == dict(Counter(c for o in living for c in o.countries))
    assert {v["key"]: v["count"] for v in body["types"]} == dict(Counter(o.type for o in living))
    kenya = next(v for v in body["countries"] if v["key"] == "KE")
    assert kenya["label"] == "Kenya"
    street = next(v for v in body["sectors"] if v["key"] == "street_vending")
    assert street["label"] == "Street vending"
    counts = [v["count"] for v in body["countries"]]
    assert counts == sorted(counts, reverse=True), "most organisations first"
    assert client.get("/api/facets?as_of=1700").status_code == 422
