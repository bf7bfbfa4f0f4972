"""The store's Cypher, one statement per ``.cypher`` file, and the schema files of graph_schema.

Queries are read once from the package; none is ever built from request data. Values travel
only as parameters, and relationship types come from the vocabulary.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import LiteralString


@cache
def query(name: str) -> LiteralString:
    """The text of ``cypher/<name>.cypher``."""
    text = files("app.store.neo4j").joinpath("cypher", f"{name}.cypher").read_text("utf-8")
    return text  # our own file, never input


def schema_statements() -> list[LiteralString]:
    """The constraint and index statements of ``graph_schema``, in the order to apply them."""
    statements: list[LiteralString] = []
    for name in ("constraints.cypher", "indexes.cypher"):
        text = files("graph_schema").joinpath(name).read_text("utf-8")
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
        statements += [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
    return statements
