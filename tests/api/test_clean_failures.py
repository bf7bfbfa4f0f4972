"""Clean failures (issue 17): every 500 is problem+json with the security headers; deeply nested
uploads and XML entity declarations (in any encoding) are 422 naming the file; 405 names what
is allowed, HEAD and OPTIONS answer on every route; a refused CORS preflight is problem+json;
a write with If-Match to a missing record is 412 whatever the method.

Expected method lists come from the app's own OpenAPI document, expected limits from the
constants the code documents, and seed ids from ``seed_data/ecosystem.yaml``.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.api.main import create_app
from app.domain.keys import Role, new_key
from app.io.documents import MAX_DEPTH, seed_document
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.api.conftest import Keys, graph_state
from tests.api.test_write_api import new_org, new_rel, refused

PROBLEM = "application/problem+json"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")
"""The headers ``app/api/security.py`` adds to every answer; and X-Frame-Options outside
``/embed/``, whose pages other sites may frame."""


@dataclass(frozen=True)
class Served:
    """A client of an app over the seed in an embedded store, with a token per role."""

    client: TestClient
    store: MemoryStore
    tokens: dict[Role, str]

    def auth(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def serve(data_dir: Path, **settings: Any) -> tuple[TestClient, MemoryStore, dict[Role, str]]:
    store = MemoryStore(data_dir)
    store.load(seed_document())
    tokens: dict[Role, str] = {}
    for role in ("reader", "editor", "admin"):
        record, token = new_key(f"{role} key", role, "test_clean_failures", datetime.now(UTC))
        store.add_key(record)
        tokens[role] = token
    app = create_app(lambda: store, Settings(data_dir=data_dir, **settings))
    return TestClient(app), store, tokens


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    client, store, tokens = serve(tmp_path / "data")
    with client:
        yield Served(client, store, tokens)


def assert_secured(answer: httpx.Response) -> None:
    for name in SECURITY_HEADERS:
        assert answer.headers.get(name), f"{name} missing"
    if not answer.request.url.path.startswith("/embed/"):
        assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


def problem_of(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    return body


# --- 500: problem+json with the security headers ---------------------------------------------

SECRET = "/var/lib/solgraph/secret.sqlite3 password=hunter2"


@pytest.fixture
def broken(served: Served, monkeypatch: pytest.MonkeyPatch) -> Served:
    """The store fails with an unexpected error (a bug) whenever a neighbourhood is read."""

    def fail(*_: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(served.store, "ego_network", fail)
    return served


def test_an_unexpected_error_is_a_problem_with_security_headers_and_is_logged(
    broken: Served, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        answer = broken.client.get("/api/organizations/utrasd")
    body = problem_of(answer, 500)
    assert body["title"] == "Internal Server Error"
    assert body["instance"] == "/api/organizations/utrasd"
    assert body["detail"]
    assert "hunter2" not in answer.text and "RuntimeError" not in answer.text
    assert "Traceback" not in answer.text
    assert_secured(answer)
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged, "the error is logged with its traceback"
    assert "/api/organizations/utrasd" in logged[0].getMessage()


def test_an_unexpected_error_on_a_page_is_a_short_html_page(broken: Served) -> None:
    answer = broken.client.get("/organizations/utrasd")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "Internal Server Error" in answer.text
    assert "hunter2" not in answer.text and "RuntimeError" not in answer.text
    assert_secured(answer)


# --- deep nesting: 422 naming the file and the limit -----------------------------------------


def block_yaml(depth: int) -> str:
    """A YAML block sequence nested ``depth`` deep, written compactly: ``- - - ... x``."""
    return "- " * depth + "x\n"


DEEP_UPLOADS = {
    "brackets.json": "[" * 100_000,
    "objects.json": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "flow.yaml": "[" * 50_000 + "]" * 50_000,
    "block.yaml": block_yaml(50_000),
    "kumu.json": '{"elements": [{"attributes": {"x": ' + "[" * 5_000 + "]" * 5_000 + "}}], "
    '"connections": []}',
    "grants.json": '{"grants": [{"id": "g1", "x": ' + "[" * 5_000 + "]" * 5_000 + "}]}",
    "document.json": '{"organizations": ' + "[" * 5_000 + "]" * 5_000 + ', "relationships": []}',
    "just-past.json": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
}
"""Uploads nested far past the limit, in each JSON and YAML layout, and one level past it."""


@pytest.mark.parametrize("name", DEEP_UPLOADS)
def test_a_deeply_nested_upload_is_422_naming_the_file_and_the_limit(
    served: Served, name: str
) -> None:
    before = graph_state(served.client)
    answer = served.client.post(
        "/api/import",
        params={"filename": name},
        content=DEEP_UPLOADS[name].encode(),
        headers=served.auth("editor"),
    )
    body = problem_of(answer, 422)
    assert name in body["detail"]
    assert f"the limit is {MAX_DEPTH}" in body["detail"]
    assert_secured(answer)
    assert graph_state(served.client) == before
    assert served.client.get("/api/imports").json()["total"] == 0


def test_nesting_up_to_the_limit_is_read(served: Served) -> None:
    # An interchange document nested exactly MAX_DEPTH deep (the document, its organisations
    # list, MAX_DEPTH - 3 lists, an object) is refused for its shape, naming the record.
    wrapped = "[" * (MAX_DEPTH - 3) + "{}" + "]" * (MAX_DEPTH - 3)
    text = '{"organizations": [' + wrapped + '], "relationships": []}'
    answer = served.client.post(
        "/api/import",
        params={"filename": "deep-enough.json", "dry_run": "true"},
        content=text.encode(),
        headers=served.auth("editor"),
    )
    body = problem_of(answer, 422)
    assert "the limit is" not in body["detail"]
    assert "organization #1" in body["detail"]


# --- XML entity declarations: refused in any encoding ----------------------------------------

SMUGGLED = "Entity Smuggled Org"
DECLARED = f'<!DOCTYPE x [<!ENTITY e "{SMUGGLED}">]>\n'
IATI = (
    '<?xml version="1.0" encoding="{encoding}"?>\n{doctype}'
    '<iati-activities version="2.03"><iati-activity>'
    "<iati-identifier>XM-DAC-7-1</iati-identifier>"
    '<reporting-org ref="XM-DAC-7" type="10"><narrative>{name}</narrative></reporting-org>'
    '<participating-org role="1" type="80"><narrative>{name}</narrative></participating-org>'
    '<participating-org role="4" type="22"><narrative>Implementer</narrative>'
    "</participating-org></iati-activity></iati-activities>"
)
GRAPHML = (
    '<?xml version="1.0" encoding="{encoding}"?>\n{doctype}'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    '<key id="t" for="node" attr.name="type"/><key id="n" for="node" attr.name="name"/>'
    '<graph edgedefault="directed"><node id="smuggled"><data key="t">ngo</data>'
    '<data key="n">{name}</data></node></graph></graphml>'
)
ENCODINGS = {
    "utf-16-le-bom": ("UTF-16", codecs.BOM_UTF16_LE, "utf-16-le"),
    "utf-16-be-bom": ("UTF-16", codecs.BOM_UTF16_BE, "utf-16-be"),
    "utf-16-be": ("UTF-16BE", b"", "utf-16-be"),
    "utf-32-le-bom": ("UTF-32", codecs.BOM_UTF32_LE, "utf-32-le"),
}
"""How a file is written: the declared encoding, the byte order mark, Python's codec."""
FILES = {"iati.xml": IATI, "graph.graphml": GRAPHML}


def encoded(template: str, encoding: str, doctype: str, name: str) -> bytes:
    declared, bom, codec = ENCODINGS[encoding]
    text = template.format(encoding=declared, doctype=doctype, name=name)
    data = bom + text.encode(codec)
    assert b"<!ENTITY" not in data, "the declaration is not visible as UTF-8 bytes"
    return data


def stored_names(store: MemoryStore) -> set[str]:
    return {org.name for org in store.export().organizations}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", FILES)
def test_an_entity_declaration_is_refused_in_any_encoding(
    served: Served, name: str, encoding: str
) -> None:
    data = encoded(FILES[name], encoding, DECLARED, "&e;")
    before = graph_state(served.client)
    answer = served.client.post(
        "/api/import", params={"filename": name}, content=data, headers=served.auth("editor")
    )
    body = problem_of(answer, 422)
    assert name in body["detail"]
    if encoding.startswith("utf-16"):
        assert "entity declarations" in body["detail"]
    assert graph_state(served.client) == before
    assert SMUGGLED not in stored_names(served.store)


@pytest.mark.parametrize("encoding", [e for e in ENCODINGS if e.startswith("utf-16")])
@pytest.mark.parametrize("name", FILES)
def test_the_same_file_without_the_declaration_is_read_in_utf16(
    served: Served, name: str, encoding: str
) -> None:
    # The control for the test above: UTF-16 itself is read, so the refusal is the entity's.
    data = encoded(FILES[name], encoding, "", "Plain Org")
    answer = served.client.post(
        "/api/import",
        params={"filename": name, "dry_run": "true"},
        content=data,
        headers=served.auth("editor"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["organizations"]["created"] >= 1


def workbook_with_entity(member: str) -> bytes:
    """A workbook whose ``member`` part declares an entity and uses it for a cell's text."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "organizations"
    sheet.append(["id", "name", "type", "movement"])
    sheet.append(["smuggled", "PLACEHOLDER", "ngo", "enabler"])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == member:
                text = content.decode("utf-8").replace("PLACEHOLDER", "&e;")
                text = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: m.group(0) + DECLARED, text)
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_an_entity_declaration_in_a_workbook_is_refused(served: Served, member: str) -> None:
    data = workbook_with_entity(member)
    before = graph_state(served.client)
    answer = served.client.post(
        "/api/import",
        params={"filename": "book.xlsx"},
        content=data,
        headers=served.auth("editor"),
    )
    body = problem_of(answer, 422)
    assert "book.xlsx" in body["detail"]
    assert graph_state(served.client) == before
    assert SMUGGLED not in stored_names(served.store)


# --- methods: 405 with Allow, HEAD and OPTIONS everywhere ------------------------------------


def documented_methods(client: TestClient) -> dict[str, set[str]]:
    """Each path of the OpenAPI document and the methods it lists for it."""
    paths: dict[str, dict[str, Any]] = client.get("/openapi.json").json()["paths"]
    return {path: {method.upper() for method in ops} for path, ops in paths.items()}


def allow_of(methods: set[str]) -> list[str]:
    """What ``Allow`` must list: the methods served, HEAD where GET is, and OPTIONS."""
    return sorted(methods | ({"HEAD"} if "GET" in methods else set()) | {"OPTIONS"})


def filled(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


@pytest.fixture
def path_values(served: Served) -> dict[str, str]:
    """A real value for every path parameter, from the seed (an import is made for its id)."""
    partnerships = served.client.get("/api/partnerships").json()["items"]
    sheet = b"id,name,type,movement,source_citations\nnew-ngo,New NGO,ngo,enabler,Test\n"
    made = served.client.post(
        "/api/import",
        params={"filename": "organizations.csv"},
        content=sheet,
        headers=served.auth("editor"),
    )
    assert made.status_code == 200, made.text
    view = {"id": "a-view", "title": "UTRASD", "map": {"kind": "organization", "focus": "utrasd"}}
    story = {"id": "a-story", "title": "A story", "steps": [{"view": "a-view"}]}
    for kind, body in (("views", view), ("stories", story)):
        saved = served.client.post(f"/api/{kind}", json=body, headers=served.auth("editor"))
        assert saved.status_code == 201, saved.text
    return {
        "view_id": "a-view",
        "story_id": "a-story",
        "organization_id": "utrasd",
        "relationship_id": "utrasd-established-ima-limpia",
        "partnership_id": partnerships[0]["id"],
        "import_id": made.json()["import_id"],
        "candidate_id": "c1",
        "fmt": "svg",
        "name": "reader key",
    }


UNDOCUMENTED = {
    "/": {"GET"},
    "/docs": {"GET"},
    "/openapi.json": {"GET"},
    "/static/explorer.js": {"GET"},
}
"""GET routes the OpenAPI document leaves out (the explorer's script is one of the assets)."""
QUERIES = {
    "/api/paths": {"from": "utrasd", "to": "ima-limpia"},
    "/oembed": {"url": "http://testserver/maps/organizations/utrasd"},
}
"""Required query parameters, from the seed."""
VARYING = frozenset({"date"})
"""Headers two answers to the same request may differ in."""


def test_head_answers_every_get_route_with_its_headers_and_no_body(
    served: Served, path_values: dict[str, str]
) -> None:
    routes = {**documented_methods(served.client), **UNDOCUMENTED}
    gets = [path for path, methods in routes.items() if "GET" in methods]
    assert len(gets) > 40
    admin = served.auth("admin")  # GET /api/keys is for admins; no anonymous rate applies
    for path in gets:
        url = filled(path, path_values)
        params = QUERIES.get(path, {})
        got = served.client.get(url, params=params, headers=admin)
        head = served.client.head(url, params=params, headers=admin)
        assert head.status_code == got.status_code, f"HEAD {url}: {head.text}"
        assert head.content == b"", f"HEAD {url} has a body"
        same = {k: v for k, v in got.headers.items() if k not in VARYING}
        assert {k: v for k, v in head.headers.items() if k not in VARYING} == same, url
        assert_secured(head)
        assert got.status_code == 200, f"GET {url}: {got.text}"


def test_options_answers_every_route_with_allow(
    served: Served, path_values: dict[str, str]
) -> None:
    documented = documented_methods(served.client)
    assert not [path for path, methods in documented.items() if {"HEAD", "OPTIONS"} & methods]
    for path, methods in {**documented, **UNDOCUMENTED}.items():
        url = filled(path, path_values)
        answer = served.client.options(url)
        assert answer.status_code == 204, f"OPTIONS {url}: {answer.text}"
        assert answer.headers["allow"].split(", ") == allow_of(methods), url
        assert answer.content == b""
        assert_secured(answer)


def test_a_method_not_served_is_405_naming_every_allowed_method(
    served: Served, path_values: dict[str, str]
) -> None:
    for path, methods in documented_methods(served.client).items():
        url = filled(path, path_values)
        answer = served.client.request("TRACE", url, headers=served.auth("reader"))
        assert answer.status_code == 405, url
        allowed = allow_of(methods)
        assert answer.headers["allow"].split(", ") == allowed, url
        assert_secured(answer)
        if answer.headers["content-type"] == PROBLEM:
            assert answer.json()["detail"].endswith("allowed: " + ", ".join(allowed))
        else:  # a page answers the same words as a short HTML page
            assert "allowed: " + ", ".join(allowed) in answer.text, url


def test_a_write_method_not_served_is_405_with_allow(served: Served) -> None:
    answer = served.client.delete("/api/organizations", headers=served.auth("editor"))
    problem_of(answer, 405)
    assert answer.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    head = served.client.head("/api/import", headers=served.auth("editor"))
    assert head.status_code == 405
    assert head.headers["allow"] == "OPTIONS, POST"
    assert head.content == b""


def test_options_on_no_route_is_404(served: Served) -> None:
    problem_of(served.client.options("/api/no-such-thing"), 404)


# --- CORS: a refused preflight is problem+json ------------------------------------------------

ALLOWED_ORIGIN = "https://a.example"


@pytest.fixture
def cors(tmp_path: Path) -> Iterator[TestClient]:
    client, _, _ = serve(tmp_path / "data", cors_origins=ALLOWED_ORIGIN)
    with client:
        yield client


def preflight(client: TestClient, origin: str, method: str, headers: str) -> httpx.Response:
    answer: httpx.Response = client.options(
        "/api/organizations",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )
    return answer


def test_a_preflight_from_an_unknown_origin_is_a_problem_naming_the_allowed(
    cors: TestClient,
) -> None:
    answer = preflight(cors, "https://b.example", "POST", "content-type")
    body = problem_of(answer, 400)
    assert "https://b.example" in body["detail"]
    assert ALLOWED_ORIGIN in body["detail"]
    assert body["refused"] == ["origin"]
    assert body["allowed_origins"] == [ALLOWED_ORIGIN]
    assert "access-control-allow-origin" not in answer.headers
    assert_secured(answer)


def test_a_preflight_asking_a_method_or_header_not_allowed_names_them(cors: TestClient) -> None:
    answer = preflight(cors, ALLOWED_ORIGIN, "TRACE", "authorization, x-secret")
    body = problem_of(answer, 400)
    assert body["refused"] == ["method", "headers"]
    assert "TRACE" in body["detail"] and "x-secret" in body["detail"]
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= set(body["allowed_methods"])
    assert "if-match" in body["allowed_headers"]
    assert "access-control-allow-origin" not in answer.headers


def test_an_allowed_preflight_still_passes(cors: TestClient) -> None:
    answer = preflight(cors, ALLOWED_ORIGIN, "PATCH", "authorization, if-match")
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


# --- If-Match on a missing record: 412 whatever the method ------------------------------------

STALE = '"0123456789abcdef"'
MISSING = {
    "organizations": ("no-such-org", new_org("no-such-org"), {"founded": 2000}),
    "relationships": (
        "no-such-tie",
        new_rel("no-such-tie", "ENABLES", "care-lac", "utrasd"),
        {"since": 2000},
    ),
}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("kind", MISSING)
def test_if_match_on_a_missing_record_is_412_for_every_write(
    client: TestClient, keys: Keys, kind: str, method: str
) -> None:
    # RFC 9110, section 13.1.1: If-Match with entity tags is false when the target has no
    # current representation, and a false condition answers 412.
    record_id, whole, fields = MISSING[kind]
    sent = {"PUT": {"json": whole}, "PATCH": {"json": fields}, "DELETE": {}}[method]
    headers = {**keys.auth("editor"), "If-Match": STALE}
    answer = refused(client, method, f"/api/{kind}/{record_id}", 412, headers, **sent)
    assert record_id in answer.json()["detail"]
    assert "etag" not in answer.headers
