"""Finding organisations by what people type: whole words and acronyms first, then near misses.

A query matches an organisation when every word of it starts a word of the organisation's name
or of one of its aliases ("servicio domestico", "KE" for "Kenya", never "KE" inside
"Healthcare"), or when it is a near miss of a name, an alias or one of their words ("UTRSD"
for "UTRASD"), measured with RapidFuzz's normalised Indel similarity. Case and accents never
matter. Matches are ranked: a whole name or alias, then word starts, then near misses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.domain.models import Organization
from app.domain.text import fold

WORD = re.compile(r"[^\W_]+")
NEAR = 80.0
"""The least similarity (0-100) for a near miss; one wrong letter in five is about 80-90."""
SHORTEST_NEAR = 4
"""Words shorter than this must match exactly: "ke" is no near miss of "kb"."""


@dataclass(frozen=True)
class Hit:
    """An organisation that matches, with its rank (higher first)."""

    organization: Organization
    score: float


def words(text: str) -> list[str]:
    """The folded words of a text, split on anything that is not a letter or a digit."""
    return WORD.findall(fold(text))


def score(query: str, org: Organization) -> float:
    """How well ``org`` matches ``query``: 300 for a whole name or alias, 200 when every query
    word starts one of its words, 100 + similarity for a near miss, 0 for no match."""
    asked = words(query)
    if not asked:
        return 0.0
    phrase = " ".join(asked)
    keys = [" ".join(words(key)) for key in (org.name, *org.aliases)]
    if phrase in keys:
        return 300.0
    for key in keys:
        own = key.split()
        if all(any(word.startswith(part) for word in own) for part in asked):
            return 200.0 + 10.0 * len(phrase) / max(len(key), 1)
    if len(phrase) < SHORTEST_NEAR:
        return 0.0
    best = 0.0
    for key in keys:
        best = max(best, fuzz.ratio(phrase, key))
        if len(asked) == 1:
            best = max([best, *(fuzz.ratio(phrase, w) for w in key.split() if len(w) >= 3)])
    return 100.0 + best if best >= NEAR else 0.0


def search(query: str, organizations: Iterable[Organization]) -> list[Hit]:
    """The organisations matching ``query``, best first, then by folded name and id."""
    hits = [Hit(org, s) for org in organizations if (s := score(query, org)) > 0]
    hits.sort(key=lambda h: (-h.score, fold(h.organization.name), h.organization.id))
    return hits
