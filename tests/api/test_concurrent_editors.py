"""Eight editors at once on the same organisations, each reading, changing and writing back
with ``If-Match``, on both backends.

Every editor appends its own token to an organisation's aliases, a read-modify-write that
loses data unless the store refuses a write based on a stale read. So: every accepted token
must be in the final record (no lost update), every refusal must be a 412, and the audit
trail must hold one entry per accepted write, by that editor, each starting where the one
before it ended.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.domain.keys import new_key
from app.store.protocol import GraphStore
from tests.reliability.profile import count, scaled

pytestmark = pytest.mark.api_on_neo4j

EDITORS = 8
TARGETS = ["utrasd", "ima-limpia", "niscof-sacco"]
"""Organisations of the seed that every editor works on."""
ROUNDS = scaled(6, 25)
"""Writes each editor gets accepted before it stops."""


def editor_tokens(store: GraphStore) -> dict[str, str]:
    """One editor key per editor, stored; the key's name is what the audit trail records."""
    tokens = {}
    for index in range(EDITORS):
        name = f"editor-{index}"
        record, token = new_key(name, "editor", "tests/api/test_concurrent_editors.py", NOW)
        store.add_key(record)
        tokens[name] = token
    return tokens


NOW = datetime.now(UTC)


def record(client: TestClient, organization_id: str) -> dict[str, Any]:
    """The organisation as the audit trail stores it: its fields, without its relationships."""
    body: dict[str, Any] = client.get(f"/api/organizations/{organization_id}").json()
    body.pop("relationships")
    return body


def test_concurrent_editors_lose_nothing_and_conflict_only_with_412(
    client: TestClient, store: GraphStore
) -> None:
    tokens = editor_tokens(store)
    before = {target: record(client, target) for target in TARGETS}
    trail_start = client.get("/api/changes", params={"limit": 1}).json()["total"]
    accepted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    """Per organisation: (editor, token) of every write answered 200."""
    unexpected: list[str] = []
    conflicts = [0]
    lock = threading.Lock()
    start = threading.Barrier(EDITORS)

    def edit(name: str, token: str, seed: int) -> None:
        rng = random.Random(seed)
        auth = {"Authorization": f"Bearer {token}"}
        start.wait()
        done = 0
        while done < ROUNDS:
            target = rng.choice(TARGETS)
            url = f"/api/organizations/{target}"
            read = client.get(url)
            tag = f"{name} {done}"
            change = {"aliases": [*read.json()["aliases"], tag]}
            written = client.patch(
                url, json=change, headers={**auth, "If-Match": read.headers["etag"]}
            )
            with lock:
                count("concurrent edits")
                if written.status_code == 200:
                    accepted[target].append((name, tag))
                    done += 1
                elif written.status_code == 412:
                    conflicts[0] += 1
                else:
                    unexpected.append(f"{name} on {target}: {written.status_code} {written.text}")
                    return

    threads = [
        threading.Thread(target=edit, args=(name, token, index))
        for index, (name, token) in enumerate(tokens.items())
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == [], "every refusal is a 412"
    assert sum(map(len, accepted.values())) == EDITORS * ROUNDS
    key = {"Authorization": f"Bearer {tokens['editor-0']}"}
    for target in TARGETS:
        final = record(client, target)
        added = final["aliases"][len(before[target]["aliases"]) :]
        assert final["aliases"][: len(before[target]["aliases"])] == before[target]["aliases"]
        assert sorted(added) == sorted(tag for _, tag in accepted[target]), "no lost update"
        assert_trail_accounts_for(client, key, target, before[target], accepted[target])
    trail_end = client.get("/api/changes", params={"limit": 1}).json()["total"]
    assert trail_end - trail_start == EDITORS * ROUNDS, "one audit entry per accepted write"


def assert_trail_accounts_for(
    client: TestClient,
    key: dict[str, str],
    target: str,
    before: dict[str, Any],
    accepted: list[tuple[str, str]],
) -> None:
    """The organisation's history since ``before``: one update per accepted write, by the
    editor that made it, each starting from the record the previous one left (read with
    ``key``, since callers without one see roles instead of names)."""
    url = f"/api/organizations/{target}/history"
    history = client.get(url, params={"limit": 500}, headers=key).json()
    updates = [e for e in history["items"] if e["change"] == "updated"]
    recent = updates[len(updates) - len(accepted) :]
    assert len(recent) == len(accepted)
    assert recent[0]["before"] == before
    for previous, entry in pairwise(recent):
        assert entry["before"] == previous["after"], "each write saw the one before it"
    by_tag = {tag: name for name, tag in accepted}
    for entry in recent:
        [tag] = entry["after"]["aliases"][len(entry["before"]["aliases"]) :]
        assert entry["actor"] == by_tag[tag], f"{tag} was written by the editor that sent it"
