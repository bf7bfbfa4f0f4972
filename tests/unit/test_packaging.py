"""The wheel carries the schema, seed and Cypher files, so `pip install .` works anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_schema_seed_and_queries(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("solidarity_graph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "graph_schema/vocabulary.yaml",
        "graph_schema/countries.yaml",
        "graph_schema/constraints.cypher",
        "graph_schema/org_id_lists.json",
        "graph_schema/indexes.cypher",
        "seed_data/ecosystem.yaml",
        "app/store/neo4j/cypher/list_organizations.cypher",
    ):
        assert required in names, required
    cypher = {n for n in names if n.endswith(".cypher") and n.startswith("app/")}
    in_tree = {str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.cypher")}
    assert cypher == in_tree
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "solgraph = app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
