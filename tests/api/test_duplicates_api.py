"""``GET /api/duplicates`` reads the graph's ties: an acronym pair needs common ground.

The case is a real one: a 360Giving file import brought in Evesham Sea Cadets, a UK charity,
and the seed's "ESC" (Argentina's Emergency Social Committee, ``seed_data/ecosystem.yaml``)
spells its initials. The rule is ``app/analysis/duplicates.py``'s: the acronym counts only when
the two share a country or an organisation tied to both.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Keys

ESC = "argentina-emergency-social-committee"
SOURCE = {
    "citation": "Duplicates API test",
    "locator": "tests/api/test_duplicates_api.py",
    "url": "https://example.org/duplicates-api-test",
}
EVESHAM: dict[str, Any] = {
    "id": "evesham-sea-cadets",
    "name": "Evesham Sea Cadets",
    "type": "ngo",
    "movement": "enabler",
    "countries": ["GB"],
    "sources": [SOURCE],
}


def pairs(client: TestClient) -> dict[tuple[str, str], list[str]]:
    """Every likely duplicate pair (first id, second id) with its reasons."""
    response = client.get("/api/duplicates", params={"limit": 500})
    assert response.status_code == 200, response.text
    return {(p["first"]["id"], p["second"]["id"]): p["reasons"] for p in response.json()["items"]}


def created(client: TestClient, path: str, body: dict[str, Any], keys: Keys) -> None:
    response = client.post(path, json=body, headers=keys.auth("editor"))
    assert response.status_code == 201, response.text


def test_an_acronym_pair_counts_once_the_two_share_a_neighbour(
    client: TestClient, keys: Keys
) -> None:
    created(client, "/api/organizations", EVESHAM, keys)
    assert (ESC, EVESHAM["id"]) not in pairs(client)
    # The seed has UTEP in dialogue with ESC; tie the charity to UTEP as well.
    tie = {
        "id": "evesham-sea-cadets-enables-utep",
        "type": "ENABLES",
        "source": EVESHAM["id"],
        "target": "utep",
        "mode": "direct",
        "mechanisms": ["training"],
        "sources": [SOURCE],
    }
    created(client, "/api/relationships", tie, keys)
    assert pairs(client)[(ESC, EVESHAM["id"])] == [
        "'ESC' is the acronym of 'Evesham Sea Cadets'; both tied to "
        "Unión de Trabajadores y Trabajadoras de la Economía Popular"
    ]


def test_publisher_codes_are_not_identifiers(client: TestClient, keys: Keys) -> None:
    # An importer stored publisher codes "1" and "61" as identifiers on unrelated records.
    for org_id, name in (("code-holder-a", "Alpha Trust"), ("code-holder-b", "Beta Fund")):
        body = {**EVESHAM, "id": org_id, "name": name, "identifiers": ["1", "61"]}
        created(client, "/api/organizations", body, keys)
    assert ("code-holder-a", "code-holder-b") not in pairs(client)
