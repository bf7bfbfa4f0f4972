"""Finding organisations by what people type: whole words and acronyms first, then near misses.

A query matches an organisation when every word of it starts a word of the organisation's name
or of one of its aliases ("servicio domestico", "KE" for "Kenya", never "KE" inside
"Healthcare"), or when it is a near miss of a name, an alias or one of their words ("UTRSD"
for "UTRASD"), measured with RapidFuzz's normalised Indel similarity. Case and accents never
matter. Matches are ranked: a whole name or alias, then word starts, then near misses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

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


@dataclass(frozen=True)
class SearchIndex:
    """Organisations with their words sorted for prefix look-ups, and every name, alias and
    word as a choice for near misses; built once per graph version."""

    organizations: tuple[Organization, ...]
    words: tuple[str, ...]
    word_owners: tuple[frozenset[int], ...]
    choices: tuple[str, ...]
    choice_owners: tuple[int, ...]


def build_index(organizations: Iterable[Organization]) -> SearchIndex:
    """The index of these organisations."""
    orgs = tuple(organizations)
    owners: dict[str, set[int]] = {}
    choices: list[str] = []
    choice_owners: list[int] = []
    for index, org in enumerate(orgs):
        for key in (org.name, *org.aliases):
            own = words(key)
            choices.append(" ".join(own))
            choice_owners.append(index)
            for word in own:
                owners.setdefault(word, set()).add(index)
                if len(word) >= 3:
                    choices.append(word)
                    choice_owners.append(index)
    ordered = sorted(owners)
    return SearchIndex(
        organizations=orgs,
        words=tuple(ordered),
        word_owners=tuple(frozenset(owners[w]) for w in ordered),
        choices=tuple(choices),
        choice_owners=tuple(choice_owners),
    )


def _starting(index: SearchIndex, part: str) -> set[int]:
    """The organisations with a word that starts with ``part``."""
    found: set[int] = set()
    at = bisect_left(index.words, part)
    while at < len(index.words) and index.words[at].startswith(part):
        found |= index.word_owners[at]
        at += 1
    return found


def search(query: str, index: SearchIndex) -> list[Hit]:
    """The organisations matching ``query``, best first, then by folded name and id.

    Candidates come from the index (word starts, then near misses found by RapidFuzz over
    every name, alias and word); each is then scored by :func:`score`.
    """
    asked = words(query)
    if not asked:
        return []
    candidates = set.intersection(*(_starting(index, part) for part in asked))
    phrase = " ".join(asked)
    if len(phrase) >= SHORTEST_NEAR:
        near = process.extract(
            phrase, index.choices, scorer=fuzz.ratio, score_cutoff=NEAR, limit=None
        )
        candidates.update(index.choice_owners[at] for _, _, at in near)
    scored = ((index.organizations[i], score(query, index.organizations[i])) for i in candidates)
    hits = [Hit(org, value) for org, value in scored if value > 0]
    hits.sort(key=lambda h: (-h.score, fold(h.organization.name), h.organization.id))
    return hits
