"""The export formats: what each is called, its media type and file suffix, and its writer.

JSON, the CSV sheets, GraphML and GEXF carry every field and read back losslessly through
``import``; the Cypher script carries every field too, for an empty Neo4j.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.domain.models import Document
from app.io.cypher_script import to_cypher
from app.io.documents import to_json
from app.io.graphfiles import to_gexf, to_graphml
from app.io.sheets import to_sheets


def zipped(files: Mapping[str, bytes]) -> bytes:
    """A ZIP archive of the given files, by name, with fixed timestamps (same input, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportFormat:
    """One way to write the whole graph."""

    media_type: str
    suffix: str
    write: Callable[[Document], bytes]
    description: str


FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat(
        "application/json",
        "json",
        lambda doc: to_json(doc).encode("utf-8"),
        "the interchange document (what import and load read back)",
    ),
    "csv": ExportFormat(
        "application/zip",
        "zip",
        lambda doc: zipped(to_sheets(doc)),
        "a ZIP of organizations.csv and relationships.csv, the sheets import reads back",
    ),
    "graphml": ExportFormat(
        "application/graphml+xml", "graphml", to_graphml, "GraphML, for Gephi, yEd, networkx"
    ),
    "gexf": ExportFormat("application/gexf+xml", "gexf", to_gexf, "GEXF 1.2, for Gephi"),
    "cypher": ExportFormat(
        "text/plain; charset=utf-8",
        "cypher",
        lambda doc: to_cypher(doc).encode("utf-8"),
        "a Cypher script that rebuilds the graph in an empty Neo4j",
    ),
}
