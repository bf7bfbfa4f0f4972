"""Cypher-looking payloads through the API, on both backends: kept as text, never run.

Every string field of an organisation and of a relationship (found by walking the pydantic
models, so a new field is tried too) and every parameter of every read route (found in the
OpenAPI schema) gets payloads that would break out of a Cypher string, label or comment if
anyone spliced them into a query. Each answer is a 2xx that gives the value back exactly, or
a 4xx; never a 5xx. Afterwards the graph holds exactly the records that were accepted. On
Neo4j a recorder at the driver proves that every statement sent is one of our own files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote
from xml.etree import ElementTree

import neo4j
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.api.main import create_app
from app.domain.keys import Role, new_key
from app.domain.models import Document, Organization, Relationship
from app.domain.vocabulary import vocabulary
from app.io.cypher_script import STATEMENT_END
from app.io.documents import seed_document
from app.io.exporters import FORMATS
from app.settings import Settings
from app.store.neo4j.layout import FAMILY_LABELS, MOVEMENT_LABELS
from app.store.neo4j.queries import query
from app.store.protocol import GraphStore
from tests.api.conftest import _Unclosable
from tests.reliability.fields import FieldPath, controlled, get_at, put, string_paths
from tests.reliability.profile import count, scaled

ROOT = Path(__file__).resolve().parents[2]
CYPHER_DIR = ROOT / "app" / "store" / "neo4j" / "cypher"
SCHEMA_FILES = [
    ROOT / "graph_schema" / "constraints.cypher",
    ROOT / "graph_schema" / "indexes.cypher",
]

FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
"""ASCII punctuation and letters to their fullwidth forms (U+FF01 to U+FF5E)."""
LONG_TAIL = "'}) DETACH DELETE n // "
PAYLOADS: list[str] = [
    # closing a backtick-quoted label, property key or relationship type
    "`) DETACH DELETE n //",
    "x` {id: 'x'}) DETACH DELETE n //`",
    "``DETACH DELETE n``",
    # closing a string literal and a map, then commenting out the rest
    "'}) DETACH DELETE n //",
    '"})-[:FUNDS]->(x) CALL db.labels() //',
    "'}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "') RETURN 1 UNION MATCH (n) RETURN n //",
    "' OR 1=1 OR '",
    "'}) MERGE (x:Organization {id: 'injected'}) RETURN x //",
    "*/ MATCH (n) DETACH DELETE n /*",
    "x'}) SET n.name = 'pwned' WITH n //",
    # parameters, dynamic labels, shell and template syntax
    "$(x)",
    "${x}",
    "$id",
    "{id: $id}",
    "$(row.type)",
    ":param x => 'y'",
    "{{7*7}}",
    # procedures and file access
    "CALL db.labels()",
    "CALL apoc.cypher.runFirstColumnMany('MATCH (n) DETACH DELETE n', {})",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CALL dbms.security.createUser('x', 'y', false)",
    # escape sequences that Cypher itself would decode inside a string literal
    "\\u0027}) DETACH DELETE n //",
    "\\'}) DETACH DELETE n //",
    "\\\\'}) DETACH DELETE n //",
    "\\",
    # unicode look-alikes and direction tricks
    "'}) DETACH DELETE n //".translate(FULLWIDTH),  # U+FF07 U+FF5D ...
    "\u02bc}) DETACH DELETE n //",  # modifier letter apostrophe
    "\u2018}) \u201cDETACH\u201d DELETE n //",  # typographic quotes
    "\u202e// n ETELED HCATED )}'",
    "\u0421ALL db.labels()",  # Cyrillic capital ES
    "\U0001d402\U0001d400\U0001d40b\U0001d40b db.labels()",  # mathematical bold
    "a\u200bb\ufeffc\u2028d\u2029e",
    # control characters inside (outer whitespace is trimmed by the model, so none there)
    "a\x00b'}) DETACH DELETE n //",
    "tab\there\nnew\rline'})//",
    "\x1b[2J\x07\x7f",
    # long: at the 500-character limit of short text, and at the 5,000 of descriptions
    (LONG_TAIL * 30)[:499] + "x",
    (LONG_TAIL * 300)[:4999] + "x",
]
ALWAYS = [
    "https://example.org/'})-[:FUNDS]->(x)//CALL`db.labels()`",
    "https://example.org/?q=${x}&$(x)=`1`&%27%7D)",
    "\ud800'}) DETACH DELETE n //",
]
"""Tried in every field and parameter: two URL-shaped payloads, which url fields accept, and a
lone surrogate, valid in a JSON escape but not in UTF-8, which must be refused."""

VALID: dict[str, str] = {
    "organization_id": "utrasd",
    "relationship_id": "utrasd-established-ima-limpia",
    "fmt": "svg",
    "from": "utrasd",
    "to": "ima-limpia",
    "name": "Rita Reader",
    "import_id": "imp-000000000000",
    "candidate_id": "c1",
    "url": "http://testserver/maps/organizations/utrasd",
    "view_id": "no-such-view",
    "story_id": "no-such-story",
}
"""A valid value of each required parameter, for requests that try a payload in another."""

FAST = 1_000_000
"""A write rate and burst so high that no payload comes too fast."""

EXTRA_ROUTES = [("/static/{name}", "name", "path")]
"""Read routes left out of the OpenAPI schema, with their parameters."""

neo4j_session_run = neo4j.Session.run


def segment(value: str) -> str:
    """``value`` percent-encoded for a path or query; a lone surrogate as invalid UTF-8."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def sample(items: Sequence[str], start: int, n: int) -> list[str]:
    """``n`` items from ``start`` on, wrapping round: each field gets a different window."""
    n = min(n, len(items))
    return [items[(start + i) % len(items)] for i in range(n)]


# --- the query recorder ---------------------------------------------------------------------


def own_statements() -> set[str]:
    """Every statement the project may send: each cypher/*.cypher file whole, and each
    ``;``-separated statement of the graph_schema files (without their comment lines)."""
    statements = {path.read_text("utf-8") for path in CYPHER_DIR.glob("*.cypher")}
    for path in SCHEMA_FILES:
        lines = [
            line
            for line in path.read_text("utf-8").splitlines()
            if not line.lstrip().startswith("//")
        ]
        statements |= {s.strip() for s in "\n".join(lines).split(";") if s.strip()}
    return statements


@contextmanager
def recording_cypher() -> Iterator[list[str]]:
    """Record the text of every query handed to the driver, wherever it is handed over."""
    seen: list[str] = []
    patched: list[tuple[type, str, Any]] = []

    def wrap(cls: type, name: str) -> None:
        original = cls.__dict__.get(name)
        inherited = getattr(cls, name)

        def run(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(query.text if isinstance(query, neo4j.Query) else str(query))
            return inherited(self, query, *args, **kwargs)

        patched.append((cls, name, original))
        setattr(cls, name, run)

    for cls in (neo4j.ManagedTransaction, neo4j.Transaction, neo4j.Session):
        wrap(cls, "run")
    wrap(neo4j.Driver, "execute_query")
    try:
        yield seen
    finally:
        for cls, name, original in reversed(patched):
            if original is None:
                delattr(cls, name)
            else:
                setattr(cls, name, original)


def assert_only_own_cypher(seen: list[str], at_least: int) -> None:
    own = own_statements()
    foreign = sorted({text for text in seen if text not in own})
    assert not foreign, f"statements not from the project's files: {foreign[:3]}"
    assert len(seen) >= at_least, f"the recorder saw only {len(seen)} statements"


def label_census(store: GraphStore) -> dict[str, int]:
    """Nodes per label and relationships per type, straight from Neo4j."""
    from app.store.neo4j.store import Neo4jStore

    driver = cast(Neo4jStore, store)._driver
    with driver.session() as session:
        nodes = session.run("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")
        found = {f":{row['label']}": int(row["n"]) for row in nodes}
        rels = session.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
        found.update({f"-{row['type']}-": int(row["n"]) for row in rels})
    return found


def pop_secondary_labels(census: dict[str, int], organizations: int) -> None:
    """Take the family and movement labels out of ``census``: each organisation carries one
    of each (README, "Cypher in Neo4j"), so each kind sums to ``organizations``."""
    for labels in (FAMILY_LABELS, MOVEMENT_LABELS):
        assert sum(census.pop(f":{label}", 0) for label in labels.values()) == organizations


# --- the app over a store of each backend ---------------------------------------------------


class Api:
    """A test client over ``store`` with the seed loaded, and an editor and an admin key."""

    def __init__(self, client: TestClient, tokens: dict[Role, str]) -> None:
        self.client = client
        self.tokens = tokens

    def auth(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def post_json(
        self, path: str, body: object, role: Role = "editor", method: str = "POST"
    ) -> Response:
        """Send the body as ASCII JSON, so that even a lone surrogate gets there."""
        headers = {**self.auth(role), "Content-Type": "application/json"}
        response: Response = self.client.request(
            method, path, content=json.dumps(body), headers=headers
        )
        return response

    def state(self) -> tuple[Any, int]:
        exported = self.client.get("/api/export")
        assert exported.status_code == 200, exported.text
        trail = self.client.get("/api/changes", params={"limit": 1})
        assert trail.status_code == 200, trail.text
        return exported.json(), int(trail.json()["total"])


@pytest.fixture
def recorded(store: GraphStore) -> Iterator[list[str] | None]:
    """On Neo4j, every statement sent from here on (the schema and seed included); else None."""
    from app.store.neo4j.store import Neo4jStore

    if not isinstance(store, Neo4jStore):
        yield None
        return
    with recording_cypher() as seen:
        store.init_schema()
        yield seen


@pytest.fixture
def api(store: GraphStore, recorded: list[str] | None) -> Iterator[Api]:
    store.load(seed_document())
    tokens: dict[Role, str] = {}
    for role in ("editor", "admin"):
        record, token = new_key(f"Injection {role}", role, "test_injection", datetime.now(UTC))
        store.add_key(record)
        tokens[role] = token
    settings = Settings(public_read=True, write_rate=FAST, write_burst=FAST)
    app = create_app(lambda: _Unclosable(store), settings)  # type: ignore[arg-type, return-value]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, tokens)


def no_server_error(response: Response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:500]}"


def refused_or_verbatim(
    api: Api,
    response: Response,
    path: str,
    field: FieldPath,
    payload: str,
    what: str,
    success: int = 201,
) -> bool:
    """Whether the record was stored; if so, the answer and a GET give ``payload`` back exactly."""
    no_server_error(response, what)
    assert response.status_code != 429, f"{what}: rate-limited; raise FAST"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), what
        return False
    assert response.status_code == success, f"{what}: {response.status_code}"
    assert get_at(response.json(), field) == payload, f"{what}: the answer changed the value"
    read = api.client.get(path)
    assert read.status_code == 200, f"{what}: {read.text[:300]}"
    assert get_at(read.json(), field) == payload, f"{what}: the stored value changed"
    return True


Parameter = tuple[str, str, str, bool]
"""A parameter of a read route: (route, name, where, required)."""


def get_routes(api: Api) -> dict[str, list[Parameter]]:
    """Every GET route of the OpenAPI schema, and those left out of it, with its parameters."""
    schema = api.client.get("/openapi.json").json()
    routes = {
        route: [
            (route, parameter["name"], parameter["in"], bool(parameter.get("required")))
            for parameter in operations["get"].get("parameters", [])
            if parameter["in"] in ("path", "query")
        ]
        for route, operations in schema["paths"].items()
        if "get" in operations
    }
    for route, name, where in EXTRA_ROUTES:
        routes.setdefault(route, []).append((route, name, where, True))
    return routes


def read_parameters(api: Api) -> list[Parameter]:
    """Every parameter of every read route."""
    found = [parameter for params in get_routes(api).values() for parameter in params]
    assert len(found) > 40, "the OpenAPI schema lists the read routes' parameters"
    return found


def request_url(
    route: str,
    params: list[Parameter],
    fuzzed: str,
    payload: str,
    valid: dict[str, str],
) -> str:
    """``route`` with ``payload`` in parameter ``fuzzed`` and valid values in the required rest."""
    path, pairs = route, []
    for _, name, where, required in params:
        if name != fuzzed and not required:
            continue
        value = segment(payload if name == fuzzed else valid[name])
        if where == "path":
            path = path.replace("{" + name + "}", value)
        else:
            pairs.append(f"{name}={value}")
    text = "&".join(pairs)
    return path + ("?" + text if text else "")


def sweep_reads(api: Api, organization_id: str, relationship_id: str) -> int:
    """Every read route once with valid parameters, and every export format, over a graph
    that holds the payloads: each answers 200, and the XML formats stay well-formed. A view
    and a story with payloads in their title and captions are saved for their routes; the
    audit entries that leaves are counted."""
    partnerships = api.client.get("/api/partnerships").json()["items"]
    # An import that writes nothing still keeps its record, so the import routes have one.
    imported = api.client.post(
        "/api/import?filename=nothing.json",
        content=b'{"organizations": [], "relationships": []}',
        headers=api.auth("editor"),
    )
    assert imported.status_code == 200, imported.text
    view = {
        "id": "payload-view",
        "title": PAYLOADS[0],
        "caption": "\n\n".join(PAYLOADS[:8]),
        "map": {"kind": "organization", "focus": organization_id},
    }
    story = {
        "id": "payload-story",
        "title": PAYLOADS[1],
        "caption": PAYLOADS[2],
        "steps": [{"view": "payload-view", "caption": PAYLOADS[3]}],
    }
    published = (("views", view), ("stories", story))
    for kind, body in published:
        saved = api.post_json(f"/api/{kind}", body)
        assert saved.status_code == 201, saved.text
    valid = {
        **VALID,
        "organization_id": organization_id,
        "relationship_id": relationship_id,
        "partnership_id": partnerships[0]["id"],
        "import_id": imported.json()["import_id"],
        "view_id": "payload-view",
        "story_id": "payload-story",
    }
    for route, params in get_routes(api).items():
        if any(route == extra[0] for extra in EXTRA_ROUTES):
            continue
        url = request_url(route, params, "", "", valid)
        response = api.client.get(url, headers=api.auth("admin"))
        assert response.status_code == 200, (
            f"GET {url}: {response.status_code} {response.text[:300]}"
        )
    for name in FORMATS:
        response = api.client.get("/api/export", params={"format": name})
        assert response.status_code == 200, f"export {name}: {response.text[:300]}"
        if name in ("graphml", "gexf"):
            ElementTree.fromstring(response.content)
    return len(published)


def rebuild_from_cypher_export(api: Api, store: GraphStore) -> None:
    """Run the Cypher export in the emptied database: the payloads come back as the same text
    and the script makes nothing else, so none of them was read as Cypher."""
    from app.store.neo4j.store import Neo4jStore

    script = api.client.get("/api/export", params={"format": "cypher"})
    assert script.status_code == 200, script.text[:300]
    before = store.export()
    store.clear()
    with cast(Neo4jStore, store)._driver.session() as session:
        for statement in script.text.split(STATEMENT_END):
            if statement.strip():
                session.run(statement).consume()
    assert store.export() == before
    census = label_census(store)
    assert census.pop(":Organization") == len(before.organizations)
    assert census.pop(":GraphMeta") == 1
    pop_secondary_labels(census, len(before.organizations))
    assert {k for k in census if k.startswith(":")} == set(), f"unexpected labels: {census}"
    assert sum(census.values()) == len(before.relationships)


# --- the tests ------------------------------------------------------------------------------


def test_payloads_have_no_outer_whitespace() -> None:
    """The model trims outer whitespace, so such a payload could never come back verbatim."""
    tried = [*PAYLOADS, *ALWAYS]
    assert all(p == p.strip() and p for p in tried)
    assert len(set(tried)) == len(tried)


def _bases(
    base_org: dict[str, Any],
    org_paths: list[FieldPath],
    rel_paths: list[FieldPath],
    seed: Document,
) -> Iterator[tuple[str, int, FieldPath, dict[str, Any]]]:
    """Each string place of each kind of record, with its index among its kind's places and a
    valid record to carry a payload there: for a relationship, a seed tie whose type may have
    that field."""
    for index, field in enumerate(org_paths):
        yield "organization", index, field, base_org
    allowed_fields = vocabulary().relationship_fields
    for index, field in enumerate(rel_paths):
        wanted = allowed_fields.get(str(field[0]))
        base = next(
            r
            for r in sorted(seed.relationships, key=lambda r: r.id)
            if not wanted or r.type in wanted
        )
        yield "relationship", index, field, base.model_dump(mode="json", exclude_none=True)


def test_every_string_field_keeps_payloads_as_text(
    api: Api, store: GraphStore, recorded: list[str] | None
) -> None:
    seed = seed_document()
    per_field = scaled(4, len(PAYLOADS))
    stored_orgs: dict[str, dict[str, Any]] = {}
    stored_rels: dict[str, dict[str, Any]] = {}
    accepted: dict[FieldPath, int] = {}
    writes = 0
    _, changes_before = api.state()

    base_org: dict[str, Any] = {
        "name": "Injection base",
        "aliases": ["IB"],
        "type": "ngo",
        "movement": "enabler",
        "countries": ["CO"],
        "sectors": ["domestic_work"],
        "description": "A record that carries one payload.",
        "identifiers": ["XI-IATI-INJ"],
        "sources": [
            {"citation": "Injection test", "locator": "Box 0", "url": "https://example.org/"}
        ],
    }
    org_paths, rel_paths = string_paths(Organization), string_paths(Relationship)
    stored = {"organization": stored_orgs, "relationship": stored_rels}
    n = 0
    for kind, index, field, base in _bases(base_org, org_paths, rel_paths, seed):
        for payload in [*sample(PAYLOADS, index * per_field, per_field), *ALWAYS]:
            n += 1
            record = put({**base, "id": f"inj-{kind[:3]}-{n}"}, field, payload)
            response = api.post_json(f"/api/{kind}s", record)
            count("payloads tried")
            record_id = str(record["id"])
            what = f"{kind} {field} = {payload!r}"
            url = f"/api/{kind}s/{segment(record_id)}"
            if refused_or_verbatim(api, response, url, field, payload, what):
                stored[kind][record_id] = record
                writes += 1
                accepted[(kind, *field)] = accepted.get((kind, *field), 0) + 1

    patched = put({"id": "inj-patched", **base_org}, ("name",), "Patched by payloads")
    assert api.post_json("/api/organizations", patched).status_code == 201
    stored_orgs["inj-patched"] = patched
    writes += 1
    patches = 0
    free_org_paths = [p for p in org_paths if not controlled(p)]
    for index, payload in enumerate([*sample(PAYLOADS, 0, 2 * per_field), *ALWAYS]):
        url = "/api/organizations/inj-patched"
        as_key = api.post_json(url, {payload: "x"}, method="PATCH")
        nested = {"sources": [{"citation": "c", payload: "x"}]}
        as_nested_key = api.post_json(url, nested, method="PATCH")
        for response in (as_key, as_nested_key):
            no_server_error(response, f"PATCH with the field name {payload!r}")
            assert response.status_code == 422, f"field name {payload!r}: {response.text}"
        field = free_org_paths[index % len(free_org_paths)]
        change = put(patched, field, payload)
        top = str(field[0])
        response = api.post_json(url, {top: change[top]}, method="PATCH")
        count("payloads tried", 3)
        what = f"PATCH {field} = {payload!r}"
        if refused_or_verbatim(api, response, url, field, payload, what, success=200):
            patched = stored_orgs["inj-patched"] = change
            patches += 1
    assert patches > 0, "no patch kept its payload"
    writes += patches

    for payload in [*sample(PAYLOADS, 0, per_field), *ALWAYS]:
        made = api.post_json("/api/keys", {"name": payload, "role": "reader"}, role="admin")
        revoked = api.client.delete(f"/api/keys/{segment(payload)}", headers=api.auth("admin"))
        count("payloads tried", 2)
        no_server_error(made, f"key name {payload!r}")
        no_server_error(revoked, f"revoking key {payload!r}")
        assert made.status_code >= 400 or made.json()["name"] == payload

    free = [
        (kind, *path)
        for kind, paths in (("organization", org_paths), ("relationship", rel_paths))
        for path in paths
        if not controlled(path)
    ]
    assert [f for f in free if f not in accepted] == [], "free-text fields that kept no payload"
    assert [f for f in accepted if controlled(f[1:])] == [], "controlled fields took a payload"

    exported, changes_after = api.state()
    orgs = {o["id"]: o for o in exported["organizations"]}
    rels = {r["id"]: r for r in exported["relationships"]}
    assert set(orgs) == {o.id for o in seed.organizations} | set(stored_orgs)
    assert set(rels) == {r.id for r in seed.relationships} | set(stored_rels)
    for record_id, sent in stored_orgs.items():
        assert orgs[record_id] == Organization.model_validate(sent).model_dump(mode="json")
    for record_id, sent in stored_rels.items():
        assert rels[record_id] == Relationship.model_validate(sent).model_dump(mode="json")
    assert changes_after - changes_before == writes

    saved = sweep_reads(api, "inj-patched", next(iter(stored_rels)))
    if recorded is not None:
        assert_only_own_cypher(recorded, at_least=n)
        census = label_census(store)
        assert census.pop(":Organization") == len(orgs)
        assert census.pop(":ApiKey") == len(
            api.client.get("/api/keys", headers=api.auth("admin")).json()
        )
        assert census.pop(":Change") == changes_after + saved
        assert census.pop(":Publication") == saved  # the view and the story
        assert census.pop(":GraphMeta") == 1
        assert census.pop(":Import") == api.client.get("/api/imports").json()["total"]
        pop_secondary_labels(census, len(orgs))
        assert {k for k in census if k.startswith(":")} == set(), f"unexpected labels: {census}"
        assert sum(census.values()) == len(rels)
        rebuild_from_cypher_export(api, store)


@pytest.mark.neo4j
def test_the_recorder_catches_a_statement_of_no_file(neo4j_store: GraphStore) -> None:
    """The recorder sees every way into the driver, and its check is not vacuous."""
    from app.store.neo4j.store import Neo4jStore

    driver = cast(Neo4jStore, neo4j_store)._driver
    with recording_cypher() as seen:
        neo4j_store.ping()
        with driver.session() as session:
            session.execute_read(lambda tx: tx.run("RETURN 1 AS one").consume())
            session.run("RETURN 2 AS two").consume()
        driver.execute_query("RETURN 3 AS three")
    assert seen[0] == query("ping")
    assert {"RETURN 1 AS one", "RETURN 2 AS two", "RETURN 3 AS three"} <= set(seen)
    with pytest.raises(AssertionError, match="RETURN 1 AS one"):
        assert_only_own_cypher(seen, at_least=1)
    assert neo4j.Session.run is neo4j_session_run, "the recorder put the driver back"


def test_every_read_parameter_refuses_or_answers(
    api: Api, store: GraphStore, recorded: list[str] | None
) -> None:
    partnerships = api.client.get("/api/partnerships").json()["items"]
    valid = {**VALID, "partnership_id": partnerships[0]["id"]}
    by_route = get_routes(api)
    routes = read_parameters(api)
    before = api.state()
    per_parameter = scaled(3, len(PAYLOADS))
    searched = 0
    for index, (route, name, _, _) in enumerate(routes):
        for payload in [*sample(PAYLOADS, index * per_parameter, per_parameter), *ALWAYS]:
            url = request_url(route, by_route[route], name, payload, valid)
            response = api.client.get(url)
            count("payloads tried")
            no_server_error(response, f"GET {url}")
            if (route, name) == ("/api/organizations", "q") and response.status_code == 200:
                assert response.json()["total"] == 0, f"{url} found something"
                searched += 1
    for payload in PAYLOADS:
        if not payload.isascii() or not payload.isprintable():
            continue  # a header carries printable ASCII only
        token = {"Authorization": f"Bearer sgk_{payload}"}
        response = api.client.get("/api/organizations/utrasd", headers=token)
        count("payloads tried")
        assert response.status_code == 401, f"token {payload!r}: {response.status_code}"
    assert api.state() == before, "a read changed the graph"
    assert searched >= per_parameter, "most search payloads reach the store"
    if recorded is not None:
        # Searches are ranked over the cached snapshot (app.analysis.search), so search text
        # never reaches Neo4j; every statement that did is one of ours.
        assert_only_own_cypher(recorded, at_least=20)
