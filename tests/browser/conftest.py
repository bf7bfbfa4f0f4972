"""A live server and a real headless Chromium (Debian's, driven by Playwright; no download).

The server runs the app in a thread on a free loopback port, on the embedded store with the
seed ecosystem plus one organisation whose name is a script-injection payload, and the
``MARKUP_GROUPS``: records with a markup or script payload in every free-text field.
"""

from __future__ import annotations

import html
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlparse

import pytest
import uvicorn
from chromium import ARGS as CHROMIUM_ARGS
from chromium import executable as chromium_executable
from playwright.sync_api import Browser, Page, sync_playwright
from starlette.types import ASGIApp

from app.api.main import create_app
from app.domain.models import Document, Organization, Relationship
from app.io.documents import seed_document
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.factories import org, rel
from tests.reliability.fields import free_text_paths, put

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
XSS_NAME = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'

MARKUP = [
    '<img src=x onerror="window.__xss=101;alert(101)">',
    "<script>window.__xss=102;alert(102)</script>",
    '"><svg onload="window.__xss=103;alert(103)">',
    "</script><script>window.__xss=104</script>",
    "' onmouseover='window.__xss=105' data-x='",
    '" autofocus onfocus="window.__xss=106" x="',
    "{{constructor.constructor('window.__xss=107')()}}",
    "${window.__xss=108}",
    "<b>bold</b><i>italic</i>",
    '<iframe src="javascript:window.__xss=110"></iframe>',
    '<a href="javascript:window.__xss=111">javascript:window.__xss=111</a>',
    "<math><mtext><table><mglyph><style><img/src=x onerror=window.__xss=112>",
    "<!--<script>window.__xss=113</script>-->",
    "\u2028</script>\u2029<svg/onload=window.__xss=114>",
    "&lt;script&gt;window.__xss=115&lt;/script&gt; &amp; &#60;b&#62;",
    "<style>*{display:none}</style><link rel=stylesheet href=//evil.example/x.css>",
]
"""Markup and script payloads; each one that ran would set ``window.__xss`` or open a dialog.

Only the first contains "img src", so the search of ``test_browser.py`` still lists
``xss-payload`` among its eight suggestions."""
URL_MARKUP = [
    "https://example.org/'onmouseover='window.__xss=120'",
    "https://example.org/#javascript:window.__xss=121;{{7*7}}",
]
"""Payloads that a ``url`` field accepts: no space, quote or angle bracket."""
REFUSED_URLS = [
    "javascript:window.__xss=130",
    "JaVaScRiPt:alert(131)",
    "data:text/html,<script>alert(132)</script>",
    'https://example.org/"><svg onload=alert(133)>',
]
"""Payloads that a ``url`` field refuses, so no page ever gets them."""


@dataclass(frozen=True)
class MarkupGroup:
    """A cooperative and its funder, both with payloads, UTRASD's tie to the cooperative, and the
    funder's grant to it; every free-text field of the four holds a payload."""

    coop: Organization
    funder: Organization
    partner_tie: Relationship
    funds_tie: Relationship

    @property
    def partnership_id(self) -> str:
        return f"partnership-{self.coop.id}"


def markup_groups() -> list[MarkupGroup]:
    """One group per payload: group ``k`` puts payload ``k + s`` in free-text slot ``s`` (a
    ``url`` slot takes a ``URL_MARKUP`` one instead), so every payload reaches every field in
    some group, and each group holds all payloads but one."""
    source = {"citation": "c", "locator": "l", "url": "https://example.org/"}
    groups = []
    for k in range(len(MARKUP)):
        coop_id, funder_id = f"markup-coop-{k}", f"markup-funder-{k}"
        bases: list[
            tuple[type[Organization] | type[Relationship], str | None, dict[str, object]]
        ] = [
            (
                Organization,
                None,
                {
                    "id": coop_id,
                    "name": "n",
                    "type": "cooperative",
                    "movement": "sse",
                    "countries": ["CO"],
                    "sectors": ["domestic_work"],
                    "sources": [source],
                },
            ),
            (
                Organization,
                None,
                {
                    "id": funder_id,
                    "name": "n",
                    "type": "funder",
                    "movement": "enabler",
                    "countries": ["FR"],
                    "sources": [source],
                },
            ),
            (
                Relationship,
                "PARTNERS_WITH",
                {
                    "id": f"utrasd-partners-with-{coop_id}",
                    "type": "PARTNERS_WITH",
                    "source": "utrasd",
                    "target": coop_id,
                    "sources": [source],
                },
            ),
            (
                Relationship,
                "FUNDS",
                {
                    "id": f"{funder_id}-funds-{coop_id}",
                    "type": "FUNDS",
                    "source": funder_id,
                    "target": coop_id,
                    "mechanisms": ["finance"],
                    "amount": 1000.0,
                    "currency": "EUR",
                    "sources": [source],
                },
            ),
        ]
        records: list[Organization | Relationship] = []
        slot = k
        for model, relationship_type, record in bases:
            for path in free_text_paths(model, relationship_type):
                payload = URL_MARKUP[slot % 2] if path[-1] == "url" else MARKUP[slot % len(MARKUP)]
                record = put(record, path, payload)
                slot += 1
            records.append(model.model_validate(record))
        coop, funder, partner_tie, funds_tie = records
        assert isinstance(coop, Organization) and isinstance(funder, Organization)
        assert isinstance(partner_tie, Relationship) and isinstance(funds_tie, Relationship)
        groups.append(MarkupGroup(coop, funder, partner_tie, funds_tie))
    return groups


MARKUP_GROUPS = markup_groups()


class AppThread:
    """An ASGI app served by uvicorn in a thread; ``base`` is its URL on 127.0.0.1.

    The listening socket is bound here, on a port the system picks, and handed to uvicorn:
    a port chosen free and bound later can be taken in between by another test's server."""

    def __init__(self, app: ASGIApp) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


class LiveServer(AppThread):
    """The seed, the markup payloads and an XSS organisation, served in a thread."""

    def __init__(
        self,
        allowed_origin: str,
        data_dir: Path,
        map_max_organizations: int = 500,
        seed_only: bool = False,
    ) -> None:
        def store() -> MemoryStore:
            memory = MemoryStore(data_dir)
            seed = seed_document()
            if seed_only:
                memory.load(seed)
                return memory
            evil = org(
                "xss-payload",
                XSS_NAME,
                type="cooperative",
                movement="sse",
                aliases=["</script><b>bold</b>"],
                countries=["CO"],
            )
            tie = rel("utrasd-partners-with-xss", "PARTNERS_WITH", "utrasd", "xss-payload")
            groups = MARKUP_GROUPS
            memory.load(
                Document(
                    organizations=[
                        *seed.organizations,
                        evil,
                        *(o for g in groups for o in (g.coop, g.funder)),
                    ],
                    relationships=[
                        *seed.relationships,
                        tie,
                        *(r for g in groups for r in (g.partner_tie, g.funds_tie)),
                    ],
                )
            )
            return memory

        settings = Settings(
            data_dir=data_dir,
            embed_origins=allowed_origin,
            map_max_organizations=map_max_organizations,
        )
        super().__init__(create_app(store, settings))
        self.data_dir = data_dir


class HostPages:
    """Another web site that embeds our maps: ``/host?src=URL`` is a page with that iframe.

    Reached as ``http://localhost:PORT`` it is the allowed origin; reached as
    ``http://127.0.0.1:PORT`` it is another origin, which must not be able to frame maps.
    """

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                src = query.get("src", [""])[0]
                tall = '<div style="height:3000px">host text</div>' if "tall" in query else ""
                body = (
                    "<!doctype html><title>host</title>"
                    f'<iframe id="f" src="{html.escape(src)}" width="900" height="600"></iframe>'
                    f"{tall}"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.allowed = f"http://localhost:{self.port}"
        self.refused = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def host() -> Iterator[HostPages]:
    pages = HostPages()
    yield pages
    pages.server.shutdown()
    pages.server.server_close()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[LiveServer]:
    with LiveServer(host.allowed, tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page; its screenshot is saved under test-artifacts/ whatever the outcome."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
