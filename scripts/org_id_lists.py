"""Write ``graph_schema/org_id_lists.json`` from the org-id register beside the repository.

Run ``python scripts/org_id_lists.py [register folder]``; the folder defaults to
``../shared/data/org-id/register`` (one JSON file per list, as the register publishes them).
Each list keeps its code, English name, the countries it covers, whether it is deprecated and
the prefixes it was known by before.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT.parent / "shared" / "data" / "org-id" / "register"
TARGET = ROOT / "graph_schema" / "org_id_lists.json"
SOURCE = "org-id/register @ f500b45f6c2a6f8b7c54eddbfb7628e73e3f01c7 (2026-07-31), lists/*/*.json"


def entry(raw: dict[str, Any]) -> dict[str, Any]:
    """The fields of one register list that matching and reports use."""
    return {
        "code": raw["code"],
        "name": (raw.get("name") or {}).get("en") or raw["code"],
        "coverage": sorted(raw.get("coverage") or []),
        "deprecated": bool(raw.get("deprecated")),
        "former": sorted(p for p in raw.get("formerPrefixes") or [] if p),
    }


def lists(register: Path) -> list[dict[str, Any]]:
    """Every list of the register, ordered by code."""
    found = [entry(json.loads(p.read_text(encoding="utf-8"))) for p in register.glob("*/*.json")]
    return sorted(found, key=lambda item: item["code"])


def main() -> None:
    register = Path(sys.argv[1]) if len(sys.argv) > 1 else REGISTER
    document = {
        "source": SOURCE,
        "licence": "ODbL (org-id/register LICENSE)",
        "lists": lists(register),
    }
    TARGET.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(document['lists'])} lists written to {TARGET}")


if __name__ == "__main__":
    main()
