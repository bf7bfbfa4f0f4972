"""A live server and a real headless Chromium (Debian's, driven by Playwright; no download).

The server runs the app in a thread on a free loopback port, on the embedded store with the
seed ecosystem plus one organisation whose name is a script-injection payload.
"""

from __future__ import annotations

import html
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import uvicorn
from chromium import ARGS as CHROMIUM_ARGS
from chromium import executable as chromium_executable
from playwright.sync_api import Browser, Page, sync_playwright

from app.api.main import create_app
from app.domain.models import Document
from app.io.documents import seed_document
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.factories import org, rel

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
XSS_NAME = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """The app served by uvicorn in a thread; ``base`` is its URL on 127.0.0.1."""

    def __init__(self, port: int, allowed_origin: str, data_dir: Path) -> None:
        def store() -> MemoryStore:
            memory = MemoryStore(data_dir)
            seed = seed_document()
            evil = org(
                "xss-payload",
                XSS_NAME,
                type="cooperative",
                movement="sse",
                aliases=["</script><b>bold</b>"],
                countries=["CO"],
            )
            tie = rel("utrasd-partners-with-xss", "PARTNERS_WITH", "utrasd", "xss-payload")
            memory.load(
                Document(
                    organizations=[*seed.organizations, evil],
                    relationships=[*seed.relationships, tie],
                )
            )
            return memory

        settings = Settings(data_dir=data_dir, embed_origins=allowed_origin)
        config = uvicorn.Config(
            create_app(store, settings), host="127.0.0.1", port=port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base = f"http://127.0.0.1:{port}"
        self.port = port

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the live server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class HostPages:
    """Another web site that embeds our maps: ``/host?src=URL`` is a page with that iframe.

    Reached as ``http://localhost:PORT`` it is the allowed origin; reached as
    ``http://127.0.0.1:PORT`` it is another origin, which must not be able to frame maps.
    """

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                src = parse_qs(urlparse(self.path).query).get("src", [""])[0]
                body = (
                    "<!doctype html><title>host</title>"
                    f'<iframe id="f" src="{html.escape(src)}" width="900" height="600"></iframe>'
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
    with LiveServer(free_port(), host.allowed, tmp_path_factory.mktemp("live")) as server:
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
