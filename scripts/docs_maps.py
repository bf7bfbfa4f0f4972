"""Render the README's map images from the seed ecosystem into ``docs/``.

    .venv/bin/python scripts/docs_maps.py

The same SVG exports the server gives at ``/maps/....svg``, from an embedded store that holds
only the seed, so anyone can redo them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from app.api.main import create_app
from app.io.documents import seed_document
from app.settings import Settings
from app.store.memory import MemoryStore

DOCS = Path(__file__).resolve().parents[1] / "docs"
VIEWS = {
    "ecosystem.svg": "/maps/ecosystem.svg",
    "ima-limpia-enablers.svg": "/maps/organizations/ima-limpia/enablers.svg",
}


def main() -> None:
    """Write each view's SVG export under ``docs/``."""
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = MemoryStore(Path(folder))
        store.load(seed_document())
        app = create_app(lambda: store, Settings(data_dir=Path(folder)))
        with TestClient(app, base_url="http://127.0.0.1:8000") as client:
            for name, url in VIEWS.items():
                answer = client.get(url)
                answer.raise_for_status()
                (DOCS / name).write_bytes(answer.content)
                print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
