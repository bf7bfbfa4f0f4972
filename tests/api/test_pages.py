"""Served pages: complete, offline (no external URL), framed only where allowed, never 500."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.api.security import content_security_policy
from app.maps.assets import ASSETS

PAGES = [
    "/",
    "/docs",
    "/maps/ecosystem",
    "/maps/ecosystem?country=KE&as_of=2019",
    "/maps/organizations/utrasd?depth=2",
    "/maps/organizations/utrasd/enablers",
    "/maps/partnerships/partnership-digital-platform-cooperative-project",
    "/embed/ecosystem",
    "/embed/organizations/ima-limpia/enablers",
    "/analysis/gaps?country=CO&as_of=2022",
    "/analysis/partnerships",
    "/analysis/partnerships?country=ZA&as_of=2022",
    "/analysis/brokers",
    "/analysis/brokers?as_of=2019&top=5",
    "/analysis/what-if",
    "/analysis/what-if?remove=afd&remove=care-lac&year=2022",
    "/organizations/ima-limpia",
    "/analysis/matches/niscof-sacco?kind=enabler",
    "/analysis/matches/kkpkp?as_of=2019&basis=stated",
    "/analysis/shortlist?n=3",
]
EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
)
DISCOVERY = re.compile(
    r'<link rel="alternate" type="application/json\+oembed" '
    r'href="http://testserver/oembed\?url=[^"]*" title="[^"]*">'
)
"""A map page's oEmbed discovery link: absolute, as content systems need it, to this server,
and never loaded by a browser; the one absolute address a page may hold."""


def test_every_page_is_complete_html_with_no_external_reference(client: TestClient) -> None:
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        html = response.text
        assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
        inert = DISCOVERY.sub("", html, count=1)
        assert not EXTERNAL.search(inert), (path, EXTERNAL.search(inert))
        assert "<script>" not in html, "no inline script"
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert client.get(asset).status_code == 200, asset


def test_our_scripts_and_styles_load_nothing_from_outside(client: TestClient) -> None:
    for name, (package, _) in ASSETS.items():
        if package != "app.maps":
            continue
        # The SVG namespace is a name, never fetched.
        body = client.get(f"/static/{name}").text.replace('"http://www.w3.org/2000/svg"', "")
        assert "http://" not in body and "https://" not in body, name
        assert "innerHTML" not in body and "insertAdjacentHTML" not in body, name


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/organizations", "/maps/ecosystem", "/nowhere"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]
        assert headers["x-frame-options"] == "SAMEORIGIN"
    embed = client.get("/embed/ecosystem").headers
    assert "x-frame-options" not in embed


def test_embeds_may_be_framed_only_by_configured_origins() -> None:
    origins = ["https://partner.example", "http://localhost:8080"]
    assert content_security_policy("/embed/ecosystem", origins).endswith(
        "frame-ancestors 'self' https://partner.example http://localhost:8080"
    )
    assert content_security_policy("/maps/ecosystem", origins).endswith("frame-ancestors 'self'")


def test_bad_map_requests_are_problems(client: TestClient) -> None:
    """Map pages and embeds answer a short HTML page a person can read; assets, problem+json."""
    for path, status in (
        ("/maps/organizations/ghost", 404),
        ("/embed/organizations/ghost/enablers", 404),
        ("/maps/partnerships/partnership-ghost", 404),
        ("/maps/ecosystem?country=Kenya", 422),
        ("/maps/organizations/utrasd?depth=9", 422),
        ("/static/../../etc/passwd", 404),
        ("/static/secret.py", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        if path.startswith("/static/"):
            assert response.headers["content-type"] == "application/problem+json"
        else:
            assert response.headers["content-type"].startswith("text/html"), path
            assert 'class="map-error"' in response.text


def test_coverage_figures(client: TestClient) -> None:
    png = client.get("/figures/coverage.png")
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = client.get("/figures/coverage.svg", params={"country": "KE"})
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content and b"<!-- Kenya -->" in svg.content  # rows go by name
    assert client.get("/figures/coverage.gif").status_code == 422


def test_vocabulary_lists_every_key(client: TestClient) -> None:
    body = client.get("/api/vocabulary").json()
    assert "trade_union" in [t["key"] for t in body["organization_types"]]
    assert {"key": "KE", "label": "Kenya (KE)", "definition": None, "brief": None} in body[
        "countries"
    ]
