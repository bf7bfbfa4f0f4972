"""Stable ids and bounded texts for imported records: slugs, clipped text, unique allocation."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Iterable
from pathlib import PurePath
from typing import TypeVar

from app.domain.text import fold

MAX_ID = 120
MAX_TEXT = 500

K = TypeVar("K", bound=Hashable)


def digest(text: str) -> str:
    """A short stable hash of ``text``, to keep ids unique after they are clipped."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def slugify(text: str) -> str:
    """``text`` folded (lower case, no accents) with each run of other characters as a hyphen.

    A slug longer than an id may be is clipped and ends in a hash of the whole, so that two
    long texts that share a beginning still get different slugs.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) <= MAX_ID:
        return slug
    return f"{slug[: MAX_ID - 9].rstrip('-')}-{digest(slug)}"


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line and at most ``limit`` characters, since model texts are bounded."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."


def alternative_id(key: Hashable, base: str) -> str:
    """The id a key gets when its base id is taken: the base plus a hash of the key."""
    return slugify(f"{base}-{digest(repr(key))}")


def allocate_ids(bases: Iterable[tuple[K, str]], taken: Iterable[str] = ()) -> dict[K, str]:
    """Give each key its base id, or :func:`alternative_id` when that id is already taken.

    ``taken`` holds ids in use before this import, such as those of stored organisations.
    """
    ids: dict[K, str] = {}
    used = set(taken)
    for key, base in bases:
        candidate = base if base not in used else alternative_id(key, base)
        ids[key] = candidate
        used.add(candidate)
    return ids


def file_name(origin: str) -> str:
    """The last part of ``origin``: the locator of every source an import writes."""
    return PurePath(origin).name or origin
