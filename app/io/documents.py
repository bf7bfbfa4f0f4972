"""Reading and writing interchange documents as JSON or YAML files, and the shipped seed."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import CollectionNode, MappingNode, Node, SequenceNode

from app.domain.documents import parse_document
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_DEPTH = 100
"""How deeply lists and objects may nest in a JSON or YAML file (every import, ``solgraph load``).

Our formats need fewer than ten levels. The parsers, and code that walks what they return,
recurse once or more per level, so a file nested deeper is refused before that recursion goes
far: a 422 (or a CLI error) naming the file and this limit, never a RecursionError.
"""

_NOT_NESTING = re.compile(r'[^\[\]{}"]*(?:"[^"\\]*(?:\\.[^"\\]*)*"?[^\[\]{}"]*)*', re.DOTALL)
"""A stretch of JSON text with no bracket outside a string. Deleting every such stretch leaves
only the brackets that nest. An unclosed string runs to the end, so the scan stays linear."""


def json_too_deep(text: str) -> bool:
    """Whether JSON text's brackets outside strings nest past MAX_DEPTH; one pass, no recursion."""
    depth = 0
    for bracket in _NOT_NESTING.sub("", text):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


class _TooDeep(Exception):
    """YAML nested past MAX_DEPTH, found at ``line`` (counted from 1)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


NEXT_LINE = "\x85"
"""NEL, which YAML 1.1 counts as a line break and PyYAML's reader turns into a line feed."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with two changes: a depth limit, and NEL kept as itself.

    Lists and mappings nested past MAX_DEPTH are refused as they are composed, so its
    recursion (a few frames a level) stops long before Python's limit. An alias nests as deep
    as the collection it names, so a chain of anchors cannot build a deeper value than the
    limit allows; an alias inside the collection it names (a cycle) nests without end and is
    refused too.

    A NEL (U+0085) that breaks a line inside a text is kept, as PyYAML keeps the line and
    paragraph separators (U+2028, U+2029), not read as a line feed. PyYAML's own writer, with
    ``allow_unicode=True``, writes a NEL in a text as a bare line break, which a line feed
    would fold into a space or a newline: such a text would not come back as written. (YAML
    1.2, like JSON, does not count NEL as a line break at all.)
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        """Collections open around the node being composed."""
        self._deepest = 0
        """The deepest level reached so far inside the innermost open collection."""
        self._outer: list[int] = []
        """``_deepest`` of each enclosing collection, innermost last."""
        self._heights: dict[int, int] = {}
        """Levels each composed collection spans, itself included, by the node's ``id``."""

    def scan_line_break(self) -> str:
        """The line break at the reading position as a text holds it: NEL stays NEL."""
        if self.peek() == NEXT_LINE:
            self.forward()
            return NEXT_LINE
        line_break: str = super().scan_line_break()  # type: ignore[no-untyped-call]
        return line_break

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        alias = self.check_event(AliasEvent)
        node = super().compose_node(parent, index)
        if alias and isinstance(node, CollectionNode):
            height = self._heights.get(id(node))  # none yet: the alias is inside its anchor
            self._reach(MAX_DEPTH + 1 if height is None else self._depth + height)
        return node

    def compose_sequence_node(self, anchor: Any) -> SequenceNode:
        self._enter()
        node = super().compose_sequence_node(anchor)
        self._leave(node)
        return node

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        self._enter()
        node = super().compose_mapping_node(anchor)
        self._leave(node)
        return node

    def _reach(self, level: int) -> None:
        if level > MAX_DEPTH:
            raise _TooDeep(self.get_mark().line + 1)
        self._deepest = max(self._deepest, level)

    def _enter(self) -> None:
        self._depth += 1
        self._reach(self._depth)
        self._outer.append(self._deepest)
        self._deepest = self._depth

    def _leave(self, node: Node) -> None:
        self._heights[id(node)] = self._deepest - self._depth + 1
        self._depth -= 1
        self._deepest = max(self._outer.pop(), self._deepest)


def too_deep(origin: str, where: str) -> InvalidData:
    """The refusal of a file nested past :data:`MAX_DEPTH`, at ``where`` in it."""
    message = f"nested more than {MAX_DEPTH} levels deep; the limit is {MAX_DEPTH}"
    return InvalidData([Problem(origin, where, message)])


def parse_text(text: str, fmt: str, origin: str) -> Any:
    """Parse JSON or YAML text, naming ``origin`` and the position in a syntax error.

    Text nested past :data:`MAX_DEPTH` is refused before the recursive parsers meet it.
    """
    if fmt == "json" and json_too_deep(text):
        raise too_deep(origin, "(file)")
    try:
        if fmt == "json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except _TooDeep as error:
        raise too_deep(origin, f"line {error.line}") from None
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        problem = Problem(origin, "(file)", f"not valid {fmt.upper()}: {error}")
        raise InvalidData([problem]) from None
    except RecursionError:  # a last guard: the checks above leave the parsers none to meet
        message = f"{fmt.upper()} nested too deeply to read; the limit is {MAX_DEPTH} levels"
        raise InvalidData([Problem(origin, "(file)", message)]) from None


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
