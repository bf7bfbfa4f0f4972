"""The embedded store keeps what it acknowledged across kill -9, and never half a load.

A child process writes and is killed with SIGKILL; the parent then reopens the data folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app.store.memory import MemoryStore
from app.store.protocol import OrganizationFilter
from tests.factories import small_ecosystem

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from pathlib import Path
from app.domain.models import Document
from app.store.memory import MemoryStore
from tests.factories import org, small_ecosystem

store = MemoryStore(Path(sys.argv[1]))
mode = sys.argv[2]
if mode == "ack":
    store.load(small_ecosystem())
    print("ACK", flush=True)
    time.sleep(60)
else:
    many = Document(organizations=[org(f"org-{i}") for i in range(50_000)])
    def progress(n):
        print("PROGRESS", flush=True)
        time.sleep(60)
    store.load(many, progress=progress)
"""


def run_and_kill(data_dir: Path, mode: str, wait_for: str) -> None:
    """Start the writer, wait until it prints ``wait_for``, then SIGKILL it."""
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            assert line == wait_for, f"writer said {line!r}"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def test_acknowledged_load_survives_kill_9(tmp_path: Path) -> None:
    run_and_kill(tmp_path, "ack", "ACK")
    store = MemoryStore(tmp_path)
    expected = small_ecosystem()
    assert store.export().organizations == sorted(expected.organizations, key=lambda o: o.id)
    assert store.counts().relationships == len(expected.relationships)
    store.close()


def test_load_killed_part_way_changes_nothing(tmp_path: Path) -> None:
    before = MemoryStore(tmp_path)
    before.load(small_ecosystem())
    exported, version = before.export(), before.version()
    before.close()
    run_and_kill(tmp_path, "partial", "PROGRESS")
    after = MemoryStore(tmp_path)
    assert after.export() == exported, "the killed load left no trace"
    assert after.version() == version
    after.close()


def test_a_write_in_one_process_is_seen_by_the_next_read_in_another(tmp_path: Path) -> None:
    reader = MemoryStore(tmp_path)
    assert reader.counts().organizations == 0
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from app.store.memory import MemoryStore;"
            "from tests.factories import small_ecosystem;"
            "MemoryStore(Path(sys.argv[1])).load(small_ecosystem())",
            str(tmp_path),
        ],
        cwd=ROOT,
        check=True,
    )
    found = reader.list_organizations(OrganizationFilter(q="limpia"), 0, 10).items
    assert [o.id for o in found] == ["coop"]
    reader.close()
