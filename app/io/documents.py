"""Reading and writing interchange documents as JSON or YAML files, and the shipped seed."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from app.domain.documents import parse_document
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def parse_text(text: str, fmt: str, origin: str) -> Any:
    """Parse JSON or YAML text, naming ``origin`` and the position in a syntax error."""
    try:
        return json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        problem = Problem(origin, "(file)", f"not valid {fmt.upper()}: {error}")
        raise InvalidData([problem]) from None
    except RecursionError:
        problem = Problem(origin, "(file)", f"{fmt.upper()} nested too deeply to read")
        raise InvalidData([problem]) from None


def read_document(path: Path) -> Document:
    """Read and validate the interchange document in a ``.json``, ``.yaml`` or ``.yml`` file."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidData(
            [Problem(str(path), "(file)", "unknown file type", tuple(sorted(FORMATS)))]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None
    return parse_document(parse_text(text, fmt, str(path)))


def seed_document() -> Document:
    """The brief's ecosystem as shipped in the ``seed_data`` package."""
    text = files("seed_data").joinpath("ecosystem.yaml").read_text(encoding="utf-8")
    return parse_document(parse_text(text, "yaml", "seed_data/ecosystem.yaml"))


def to_json(document: Document) -> str:
    """The document as interchange JSON, with every field present so import is lossless."""
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
