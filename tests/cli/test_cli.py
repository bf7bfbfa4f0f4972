"""The ``solgraph`` console script, run as a real process with its own environment."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import IO

import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.domain.keys import split_token
from app.domain.models import Document
from app.io.documents import to_json
from app.io.exporters import FORMATS as EXPORT_FORMATS
from app.settings import Settings
from app.store.protocol import GraphStore

SOLGRAPH = str(Path(sys.executable).with_name("solgraph"))
SEED_FILE = str(files("seed_data").joinpath("ecosystem.yaml"))


def solgraph(
    *args: str, env: dict[str, str], check: bool = False, answers: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [SOLGRAPH, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        input=answers,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An embedded store in a fresh data folder, and a terminal wide enough for tables."""
    return {
        "SOLGRAPH_STORE": "memory",
        "SOLGRAPH_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(env: dict[str, str], *options: str) -> Iterator[str]:
    """Run ``solgraph serve`` with ``options`` on a free port until the block ends; yield its
    base URL."""
    with tempfile.TemporaryFile("w+") as log:
        server, base = started(env, options, log)
        try:
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


BIND_TRIES = 3
"""Ports to try: one chosen free may be taken by another test's server before ours binds it."""


def started(
    env: dict[str, str], options: tuple[str, ...], log: IO[str]
) -> tuple[subprocess.Popen[bytes], str]:
    """``solgraph serve`` ready on a free port, and its base URL; on another port when the one
    chosen was taken before the server bound it."""
    for _ in range(BIND_TRIES):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log.seek(0)
        log.truncate()
        server = subprocess.Popen(
            [SOLGRAPH, "serve", "--port", str(port), *options],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not ready(base):
            if server.poll() is not None:
                log.seek(0)
                said = log.read()
                if "address already in use" in said.lower():
                    break
                pytest.fail(f"solgraph serve exited: {said}")
            assert time.monotonic() < deadline, "solgraph serve did not become ready"
            time.sleep(0.2)
        else:
            return server, base
    pytest.fail(f"solgraph serve found no free port in {BIND_TRIES} tries")


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_every_command_has_help(env: dict[str, str]) -> None:
    """The installed command answers --help; so does every subcommand (asked in-process,
    through the same Typer app, to spare a Python start per command)."""
    assert "Usage" in solgraph("--help", env=env, check=True).stdout
    runner = CliRunner()
    for command in (
        ["serve"],
        ["load"],
        ["validate"],
        ["export"],
        ["info"],
        ["db"],
        ["db", "init"],
        ["db", "status"],
        ["db", "import"],
        ["import"],
        ["backup"],
        ["restore"],
        ["keys", "create"],
        ["keys", "list"],
        ["keys", "revoke"],
    ):
        result = runner.invoke(cli, [*command, "--help"], env=env)
        assert result.exit_code == 0, (command, result.output)
        assert "Usage" in result.output, command


def test_validate_reports_without_loading(env: dict[str, str], tmp_path: Path) -> None:
    good = solgraph("validate", SEED_FILE, env=env, check=True)
    assert "valid:" in good.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "organizations": [
                    {"id": "x", "name": "X", "type": "union", "movement": "labour", "sources": []}
                ]
            }
        )
    )
    result = solgraph("validate", str(bad), env=env)
    assert result.returncode == 1
    assert "organization 'x'" in result.stderr and "trade_union" in result.stderr
    assert "Traceback" not in result.stderr
    assert "organizations: 0" in solgraph("db", "status", env=env, check=True).stdout


def test_load_info_export_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    loaded = solgraph("load", SEED_FILE, env=env, check=True)
    assert "created" in loaded.stdout
    again = solgraph("load", SEED_FILE, env=env, check=True)
    assert "organizations" in again.stdout
    info = solgraph("info", env=env, check=True).stdout
    assert "memory" in info and "Trade union" in info and "trade_union" not in info
    assert "partners with" in info, "labels, not keys"
    out = tmp_path / "export.json"
    solgraph("export", "--format", "json", "-o", str(out), env=env, check=True)
    exported = Document.model_validate_json(out.read_text())
    other = {**env, "SOLGRAPH_DATA_DIR": str(tmp_path / "other")}
    solgraph("load", str(out), env=other, check=True)
    assert solgraph("export", env=other, check=True).stdout == to_json(exported)


def test_bad_files_are_refused_and_change_nothing(env: dict[str, str], tmp_path: Path) -> None:
    solgraph("load", SEED_FILE, env=env, check=True)
    before = solgraph("export", env=env, check=True).stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("organizations: [\n")
    dangling = tmp_path / "dangling.json"
    dangling.write_text(
        json.dumps(
            {
                "relationships": [
                    {
                        "id": "r",
                        "type": "FUNDS",
                        "source": "osf",
                        "target": "nobody",
                        "sources": [{"citation": "c"}],
                    }
                ]
            }
        )
    )
    for path, words in (
        (broken, "not valid YAML"),
        (dangling, "nobody"),
        (tmp_path / "data.txt", "unknown file type"),
    ):
        result = solgraph("load", str(path), env=env)
        assert result.returncode == 1 and words in result.stderr, result.stderr
    assert solgraph("export", env=env, check=True).stdout == before


def test_unknown_store_lists_the_valid_ones(env: dict[str, str]) -> None:
    result = solgraph("info", env={**env, "SOLGRAPH_STORE": "sqlite"})
    assert result.returncode == 1
    assert "SOLGRAPH_STORE" in result.stderr and "memory, neo4j" in result.stderr


def test_unreachable_neo4j_is_a_clear_error_not_a_trace(env: dict[str, str]) -> None:
    closed = {
        "SOLGRAPH_STORE": "neo4j",
        "SOLGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
        "SOLGRAPH_NEO4J_TIMEOUT": "2",
        "SOLGRAPH_NEO4J_PASSWORD": "s3cret-pass",
    }
    result = solgraph("info", env={**env, **closed})
    assert result.returncode == 1
    assert "not answering" in result.stderr and "Traceback" not in result.stderr
    assert "s3cret-pass" not in result.stderr + result.stdout


def test_serve_loads_the_seed_and_finds_utrasd(env: dict[str, str]) -> None:
    # DESIGN/issue: curl '127.0.0.1:8000/api/organizations?q=utrasd' finds UTRASD, and its
    # detail shows it established IMA Limpia with the brief's citation (Box 3).
    with serving(env) as base:
        found = httpx.get(f"{base}/api/organizations", params={"q": "utrasd"}).json()
        assert [o["id"] for o in found["items"]] == ["utrasd"]
        detail = httpx.get(f"{base}/api/organizations/utrasd").json()
        [tie] = [r for r in detail["relationships"] if r["type"] == "ESTABLISHED"]
        assert tie["other"]["name"] == "IMA Limpia"
        assert "UTRASD et al. 2020" in [s["citation"] for s in tie["sources"]]


@pytest.fixture
def neo4j_env(neo4j_settings: Settings, neo4j_store: GraphStore) -> dict[str, str]:
    """Variables that point solgraph at the test Neo4j, emptied first."""
    neo4j_store.clear()
    return {
        "SOLGRAPH_STORE": "neo4j",
        "SOLGRAPH_NEO4J_URI": neo4j_settings.neo4j_uri,
        "SOLGRAPH_NEO4J_USER": neo4j_settings.neo4j_user,
        "SOLGRAPH_NEO4J_PASSWORD": neo4j_settings.neo4j_password.get_secret_value(),
    }


@pytest.mark.neo4j
def test_neo4j_serves_the_same_seed_as_the_embedded_store(
    env: dict[str, str], neo4j_env: dict[str, str]
) -> None:
    with serving(neo4j_env) as neo4j_base, serving(env) as memory_base:
        from_neo4j = httpx.get(f"{neo4j_base}/api/export", timeout=30).json()
        from_memory = httpx.get(f"{memory_base}/api/export", timeout=30).json()
        assert from_neo4j == from_memory
        assert len(from_neo4j["organizations"]) > 40
        for path in (
            "/api/organizations/utrasd",
            "/api/organizations/niscof/network?depth=3",
            "/api/organizations?q=cooperativa",
            "/api/relationships?type=ENABLES",
        ):
            assert httpx.get(neo4j_base + path).json() == httpx.get(memory_base + path).json()


@pytest.mark.neo4j
def test_db_init_is_idempotent_and_status_reports(
    neo4j_env: dict[str, str], neo4j_settings: Settings
) -> None:
    for _ in range(2):
        assert (
            "schema version 1 applied" in solgraph("db", "init", env=neo4j_env, check=True).stdout
        )
    solgraph("load", SEED_FILE, env=neo4j_env, check=True)
    status = solgraph("db", "status", env=neo4j_env, check=True).stdout
    assert "neo4j at bolt://" in status and "schema version: 1" in status
    assert "organizations: 46" in status
    assert neo4j_settings.neo4j_password.get_secret_value() not in status


def test_validate_accepts_references_to_stored_organisations(
    env: dict[str, str], tmp_path: Path
) -> None:
    delta = tmp_path / "delta.json"
    delta.write_text(
        json.dumps(
            {
                "relationships": [
                    {
                        "id": "osf-funds-kenasvit",
                        "type": "FUNDS",
                        "source": "osf",
                        "target": "kenasvit",
                        "sources": [{"citation": "c"}],
                    }
                ]
            }
        )
    )
    assert solgraph("validate", str(delta), env=env).returncode == 1, "empty store: no osf"
    solgraph("load", SEED_FILE, env=env, check=True)
    assert "valid:" in solgraph("validate", str(delta), env=env, check=True).stdout


def test_analyse_enablers_and_paths(env: dict[str, str]) -> None:
    solgraph("load", SEED_FILE, env=env, check=True)
    # Box 6: before the collapse the SACCO funded the self-help groups, NISCOF the SACCO; the
    # table names them as the seed does, never by id.
    table = solgraph(
        "analyse",
        "enablers",
        "nairobi-street-vendor-self-help-groups",
        "--as-of",
        "2019",
        env=env,
        check=True,
    ).stdout
    assert "Enablers of Self-help groups of street vendors (Nairobi)" in table
    assert "NISCOF SACCO" in table and "Nairobi Informal Sector Confederation (NISCOF)" in table
    assert "niscof-sacco" not in table and "nairobi-street-vendor" not in table
    # Box 3: IMA Limpia's enabling partners, by name, type label and mechanism in words.
    named = solgraph("analyse", "enablers", "ima-limpia", env=env, check=True).stdout
    assert "French Development Agency (AFD)" in named and "Fundación Bien Humano" in named
    assert "Development agency" in named and "technical support" in named
    for raw_key in ("afd", "care-lac", "development_agency", "technical_support"):
        assert raw_key not in named
    raw = solgraph("analyse", "enablers", "ima-limpia", "--json", env=env, check=True).stdout
    assert {"afd", "care-lac", "fundacion-bien-humano", "utrasd"} == {
        link["organization"]["id"] for link in json.loads(raw)
    }
    routes = json.loads(
        solgraph("analyse", "paths", "sadsawu", "udwosa", "--json", env=env, check=True).stdout
    )
    assert ["sadsawu", "slp", "udwosa"] in [r["organizations"] for r in routes]
    # Box 5: both unions work with the Social Law Project; ties read as words.
    route_table = solgraph("analyse", "paths", "sadsawu", "udwosa", env=env, check=True).stdout
    assert "SADSAWU → SLP → UDWOSA" in route_table and "partners with" in route_table
    assert "PARTNERS_WITH" not in route_table
    missing = solgraph("analyse", "enablers", "ghost", env=env)
    assert missing.returncode == 1 and "ghost" in missing.stderr


def test_analyse_whole_graph_commands(env: dict[str, str]) -> None:
    solgraph("load", SEED_FILE, env=env, check=True)
    # The brief's table: the platform cooperative partnership is type 3.
    typed = json.loads(
        solgraph("analyse", "partnerships", "--type", "3", "--json", env=env, check=True).stdout
    )
    assert [p["sse_unit"] for p in typed] == ["digital-platform-cooperative-project"]
    table = solgraph("analyse", "partnerships", "--type", "3", env=env, check=True).stdout
    assert "Digital Platform Cooperative Project" in table and "South Africa" in table
    assert "digital-platform" not in table and "platform_work" not in table
    assert "--type" in solgraph("analyse", "partnerships", "--type", "4", env=env).stderr
    found = json.loads(solgraph("analyse", "gaps", "--json", env=env, check=True).stdout)
    assert {g["kind"] for g in found} >= {"single_enabler_dependency"}
    # The seed: ATGWU is Uganda's only transport organisation, and no SSE unit is there.
    uganda = solgraph("analyse", "gaps", "--country", "UG", env=env, check=True).stdout
    assert "Uganda · Transport" in uganda and "ATGWU" in uganda
    assert "cell_without_sse_unit" not in uganda and "atgwu" not in uganda
    # Box 6: without the SACCO in 2019 the self-help groups lose all enabling support.
    lost = solgraph(
        "analyse", "what-if", "--remove", "niscof-sacco", "--as-of", "2019", env=env, check=True
    ).stdout
    assert "Self-help groups of street vendors (Nairobi)" in lost and "all support" in lost
    assert "Without NISCOF SACCO" in lost and "niscof-sacco" not in lost
    assert "ghost" in solgraph("analyse", "what-if", "--remove", "ghost", env=env).stderr
    brokers = solgraph("analyse", "brokers", env=env, check=True).stdout
    assert "exact" in brokers and "Social Law Project (SLP)" in brokers  # Box 5's bridge
    # The brief's table: KKPKP and FENAMUTRA are both unions that set up an SSE unit (type 1).
    peers = solgraph("analyse", "peers", "kkpkp", env=env, check=True).stdout
    assert "National Union of Domestic Workers (FENAMUTRA)" in peers and "Dominican" in peers
    assert "fenamutra" not in peers and "trade_union" not in peers


def test_analyse_matches_and_shortlist(env: dict[str, str]) -> None:
    solgraph("load", SEED_FILE, env=env, check=True)
    # Box 6: NISCOF seeks seed funding to revive its SACCO; COTU-K supports NISCOF, so it is
    # active in Kenya's street vending and comes first among the SACCO's enablers.
    table = solgraph(
        "analyse", "matches", "niscof-sacco", "--kind", "enabler", env=env, check=True
    ).stdout
    assert "Enabler matches for NISCOF SACCO" in table
    assert "Central Organization of Trade Unions Kenya (COTU-K)" in table
    assert "cotu-k" not in table and "street_vending" not in table
    raw = json.loads(
        solgraph(
            "analyse", "matches", "niscof-sacco", "--kind", "enabler", "--json", env=env, check=True
        ).stdout
    )
    assert raw["items"][0]["organization"] == "cotu-k" and raw["items"][0]["facts"]
    bad = solgraph("analyse", "matches", "kkpkp", "--kind", "friend", env=env)
    assert bad.returncode == 2
    assert "--kind 'friend' is not allowed; allowed: partner, enabler" in bad.stderr
    shortlist = json.loads(
        solgraph("analyse", "shortlist", "--n", "2", "--json", env=env, check=True).stdout
    )
    assert len(shortlist["picks"]) == 2 and shortlist["method"] == "exact"
    closed = [
        (g["kind"], tuple(g["organizations"])) for p in shortlist["picks"] for g in p["closes"]
    ]
    assert len(closed) == len(set(closed)) == shortlist["closed"]
    words = solgraph("analyse", "shortlist", "--n", "2", env=env, check=True).stdout
    assert "could enable" in words and "Exact:" in " ".join(words.split())
    # The brief's table: FENAMUTRA and COOPFENAMUTRA (Dominican Republic) come first when
    # that country is asked for.
    peers = json.loads(
        solgraph(
            "analyse", "peers", "kkpkp", "--country", "DO", "--json", env=env, check=True
        ).stdout
    )
    assert {p["organization"] for p in peers[:2]} == {"fenamutra", "coopfenamutra"}
    assert peers[0]["reasons"][-1] == "in Dominican Republic, as asked"
    refused = solgraph("analyse", "peers", "kkpkp", "--exclude-country", "XX", env=env)
    assert refused.returncode == 2 and "--exclude-country 'XX' is not allowed" in refused.stderr


SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_import_open_data_files_idempotently(env: dict[str, str], tmp_path: Path) -> None:
    iati = str(SHARED_DATA / "iati" / "example_203_file.xml")
    dry = solgraph("import", iati, "--dry-run", env=env, check=True).stdout
    assert "13 activity record(s) read" in dry and "nothing written" in dry
    assert "organizations: 0" in solgraph("db", "status", env=env, check=True).stdout
    solgraph("import", iati, env=env, check=True)
    # The file's reporting organisation is the Netherlands MFA, org-id XM-DAC-7.
    mfa = json.loads(solgraph("export", env=env, check=True).stdout)["organizations"]
    assert "XM-DAC-7" in {i for o in mfa for i in o["identifiers"]}
    before = solgraph("export", env=env, check=True).stdout
    solgraph("import", iati, env=env, check=True)
    assert solgraph("export", env=env, check=True).stdout == before, "importing twice"
    grants = str(SHARED_DATA / "360giving" / "fundingproviders_grants_2_grants.csv")
    assert "record(s) read" in solgraph("import", grants, env=env, check=True).stdout
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    refused = solgraph("import", str(other), env=env)
    assert refused.returncode == 1 and "IATI activities .xml" in refused.stderr


def test_the_report_opens_with_a_summary_and_review_decides_name_matches(
    env: dict[str, str], tmp_path: Path
) -> None:
    # A grant (written here) to "KENASVIT" and one to "CUT", with no identifier or country: the
    # seed has both names (Kenya's street vendors, Brazil's CUT), so nothing confirms either.
    solgraph("load", SEED_FILE, env=env, check=True)
    grants = [
        {
            "id": f"360G-CLI-{n}",
            "title": "Organising support",
            "recipientOrganization": [{"name": name}],
            "fundingOrganization": [{"id": "GB-CHC-200051", "name": "Esmée Fairbairn Foundation"}],
        }
        for n, name in enumerate(["KENASVIT", "CUT"], start=1)
    ]
    grants_file = tmp_path / "grants.json"
    grants_file.write_text(json.dumps({"grants": grants}))
    imported = solgraph("import", str(grants_file), env=env, check=True).stdout
    head = imported.splitlines()[:5]
    assert head[0].endswith("2 grant record(s) read")
    assert "organisations created: 3" in head[1] and "candidate matches for review: 2" in head[3]
    assert "2 name matches await review: solgraph import --review" in imported
    reviewed = solgraph("import", "--review", env=env, check=True, answers="a\nr\n").stdout
    assert "against:  the imported record states no country" in reviewed
    assert "accepted; merged into kenasvit" in reviewed and "rejected" in reviewed
    exported = json.loads(solgraph("export", env=env, check=True).stdout)
    names = [o["name"] for o in exported["organizations"]]
    assert names.count("CUT") == 1, "the rejected CUT stays apart from the seed's"
    assert "KENASVIT" not in names, "the accepted one merged into the seed's record"
    again = solgraph("import", "--review", env=env, check=True).stdout
    assert "no name matches await review" in again


def test_keys_are_made_once_listed_without_secrets_and_revoked(env: dict[str, str]) -> None:
    made = solgraph("keys", "create", "--name", "alice", "--role", "editor", env=env, check=True)
    token = made.stdout.strip()
    assert token.startswith("sgk_") and "shown once" in made.stderr
    listing = solgraph("keys", "list", env=env, check=True).stdout
    assert "alice" in listing and "editor" in listing
    parts = split_token(token)  # a secret may hold "_": read it as the app does
    assert parts is not None and parts[1] not in listing, "the secret is never shown again"
    again = solgraph("keys", "create", "--name", "alice", env=env)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = solgraph("keys", "create", "--name", "bob", "--role", "owner", env=env)
    assert bad.returncode == 1 and "reader, editor, admin" in bad.stderr
    solgraph("keys", "revoke", "alice", env=env, check=True)
    missing = solgraph("keys", "revoke", "nobody", env=env)
    assert missing.returncode == 1 and "'nobody'" in missing.stderr
    with serving(env) as base:
        answer = httpx.post(
            f"{base}/api/organizations",
            json={},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]


@pytest.mark.parametrize("fmt", ["csv", "graphml", "gexf", "cypher"])
def test_export_formats_write_files(env: dict[str, str], tmp_path: Path, fmt: str) -> None:
    solgraph("load", SEED_FILE, env=env, check=True)
    target = tmp_path / f"graph.{EXPORT_FORMATS[fmt].suffix}"
    solgraph("export", "--format", fmt, "-o", str(target), env=env, check=True)
    assert target.stat().st_size > 0
    if fmt != "cypher":
        other = {**env, "SOLGRAPH_DATA_DIR": str(tmp_path / "other")}
        solgraph("import", str(target), env=other, check=True)
        assert (
            solgraph("export", env=other, check=True).stdout
            == solgraph("export", env=env, check=True).stdout
        ), f"{fmt} reads back losslessly"


def test_a_zip_is_never_written_under_a_csv_name_and_is_known_by_its_bytes(
    env: dict[str, str], tmp_path: Path
) -> None:
    # Issue 16: `export --format csv -o x.csv` wrote a ZIP named .csv, which import refused.
    solgraph("load", SEED_FILE, env=env, check=True)
    misnamed = tmp_path / "x.csv"
    refused = solgraph("export", "--format", "csv", "-o", str(misnamed), env=env)
    assert refused.returncode == 2 and "x.zip" in refused.stderr
    assert not misnamed.exists()
    zipped = tmp_path / "x.zip"
    solgraph("export", "--format", "csv", "-o", str(zipped), env=env, check=True)
    zipped.rename(misnamed)
    other = {**env, "SOLGRAPH_DATA_DIR": str(tmp_path / "other")}
    solgraph("import", str(misnamed), env=other, check=True)
    assert (
        solgraph("export", env=other, check=True).stdout
        == solgraph("export", env=env, check=True).stdout
    )
