"""Schemathesis against the app's own OpenAPI schema, in process: every operation, default
checks (no server error, responses match the schema, bad input refused): 20 examples per
operation in the fast profile, 100 in the long one (``tests/reliability/profile.py``).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from schemathesis.checks import positive_data_acceptance

from app.api.main import create_app
from app.domain.keys import new_key
from app.io.documents import seed_document
from app.io.exporters import zipped
from app.io.sheets import to_sheets
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.reliability.profile import count, scaled

FOLDER = Path(tempfile.mkdtemp(prefix="solgraph-fuzz-"))


ADMIN, TOKEN = new_key("fuzzer", "admin", "tests/api/test_fuzz.py", datetime.now(UTC))


def seeded_store() -> MemoryStore:
    """The seed, and an admin key, so that every write route is exercised past its auth."""
    store = MemoryStore(FOLDER)
    store.load(seed_document())
    if store.find_key(ADMIN.key_id) is None:  # the lifespan may run more than once
        store.add_key(ADMIN)
    return store


def workbook(sheets: dict[str, bytes]) -> bytes:
    """An XLSX workbook with one worksheet per CSV sheet, named after it."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, data in sheets.items():
        sheet = book.create_sheet(name.removesuffix(".csv"))
        for row in csv.reader(io.StringIO(data.decode("utf-8"))):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


APP = create_app(
    seeded_store, Settings(data_dir=FOLDER, write_rate=1_000_000, write_burst=1_000_000)
)
"""One key makes every write, far faster than people do: its rate limit is lifted."""
CLIENT = TestClient(APP)
CLIENT.__enter__()  # the lifespan opens the store; closed by the fixture below
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schemathesis.openapi.media_type(
    "application/zip",
    st.one_of(st.just(zipped(to_sheets(seed_document()))), st.binary(max_size=512)),
)
"""Import bodies may be ZIP archives of sheets: the seed's, or arbitrary bytes."""
schemathesis.openapi.media_type(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    st.one_of(st.just(workbook(to_sheets(seed_document()))), st.binary(max_size=512)),
)
"""Or XLSX workbooks: the seed's sheets, or arbitrary bytes."""


@pytest.fixture(scope="module", autouse=True)
def close_app() -> Iterator[None]:
    yield
    CLIENT.__exit__(None, None, None)


@schema.parametrize()
@settings(max_examples=scaled(20, 100), deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case: schemathesis.Case[Any]) -> None:
    """Reads must accept every schema-valid request; writes may refuse one the schema allows
    (a type rule, a taken id, a stale If-Match), but never with a server error."""
    excluded = [] if case.method == "GET" else [positive_data_acceptance]
    count("requests fuzzed")
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=excluded)
