"""Peers for exchange: similar organisations in other countries, each with its reasons.

The brief ("Sharing knowledge, experience and learning"; "Ways forward") recommends study
visits and exchange between partnership organisations, and finds them most useful when the
partnerships share a sector focus and the type of partnership being developed. Those two
reasons weigh most here; the same kind of organisation and shared words in the activities of
their relationships add less.

A peer rests on an inference (:mod:`app.analysis.inference`) when a record behind one of its
reasons does: either organisation (whose sectors, type and countries are compared), the
partnerships that give the two a common type, or the ties whose activities give a shared word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.analysis.inference import inferred_records
from app.analysis.snapshot import Snapshot
from app.analysis.typology import partnerships
from app.domain.models import Organization, Relationship
from app.domain.text import fold

SECTOR_WEIGHT = 3
"""Score for each sector both organisations list."""
PARTNERSHIP_TYPE_WEIGHT = 3
"""Score for belonging to partnerships of a common type (see :mod:`app.analysis.typology`)."""
ORGANIZATION_TYPE_WEIGHT = 2
"""Score for being the same type of organisation."""
WORD_WEIGHT = 1
"""Score for each word shared by the activities of the two organisations' relationships."""
MAX_WORD_SCORE = 3
"""Cap on the score from shared words, so that wording never outweighs a shared sector."""
MIN_WORD_LENGTH = 4
"""Shorter words (of, the, and, for) are too common or too vague to count."""
STOP_WORDS = frozenset(
    {
        *("about", "after", "also", "among", "been", "both", "during", "from", "have", "into"),
        *("more", "once", "other", "some", "such", "than", "that", "their", "them", "then"),
        *("they", "this", "through", "were", "what", "when", "where", "which", "while", "with"),
        *("within", "economy", "informal", "member", "members", "support", "supports"),
        *("worker", "workers"),
    }
)
"""Words of four letters or more that say nothing about an activity, or that every
activity in this domain shares (informal economy workers, support)."""


@dataclass(frozen=True)
class Peer:
    """An organisation elsewhere, its similarity score and the reasons behind it, and whether
    those rest on an inference (which records do, by id)."""

    organization: str
    score: int
    reasons: tuple[str, ...]
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


def peers(
    snapshot: Snapshot, organization_id: str, *, limit: int | None = None
) -> tuple[Peer, ...]:
    """Organisations sharing no country with ``organization_id``, most similar first.

    An organisation with no countries counts as elsewhere. Those with nothing in common
    (score 0) are left out; ties are broken by id. An id not in the snapshot (unknown, or not
    there in its year) has no peers.
    """
    me = snapshot.organizations.get(organization_id)
    if me is None:
        return ()
    kinds = _partnership_types(snapshot)
    words = _activity_words(snapshot)
    found = []
    for other in snapshot.organizations.values():
        if other.id == me.id or not set(other.countries).isdisjoint(me.countries):
            continue
        reasons, score, behind = [], 0, set[str]()
        sectors = sorted(set(me.sectors) & set(other.sectors))
        if sectors:
            score += SECTOR_WEIGHT * len(sectors)
            reasons.append(f"shares sectors: {', '.join(sectors)}")
        mine, theirs = kinds.get(me.id, {}), kinds.get(other.id, {})
        common = sorted(set(mine) & set(theirs))
        if common:
            score += PARTNERSHIP_TYPE_WEIGHT
            reasons.append(f"both in type {' and '.join(map(str, common))} partnerships")
            behind.update(i for kind in common for i in (*mine[kind], *theirs[kind]))
        if other.type == me.type:
            score += ORGANIZATION_TYPE_WEIGHT
            reasons.append(f"same organisation type: {me.type}")
        said, heard = _words(words, me.id, other.id), _words(words, other.id, me.id)
        shared = sorted(set(said) & set(heard))
        ties = {t for w in shared for t in (*said[w], *heard[w])}
        if shared:
            score += min(WORD_WEIGHT * len(shared), MAX_WORD_SCORE)
            reasons.append(f"shared activity words: {', '.join(shared)}")
        if score:
            ties_used = [snapshot.relationships[t] for t in sorted(ties)]
            records: list[Organization | Relationship] = [me, other, *ties_used]
            inferred = tuple(sorted(behind.union(inferred_records(snapshot, records))))
            found.append(Peer(other.id, score, tuple(reasons), bool(inferred), inferred))
    found.sort(key=lambda p: (-p.score, p.organization))
    return tuple(found if limit is None else found[:limit])


def _partnership_types(snapshot: Snapshot) -> dict[str, dict[int, set[str]]]:
    """The brief types of the partnerships each organisation is a member of, each with the
    ids of the records resting on inference that those partnerships rest on."""
    kinds: dict[str, dict[int, set[str]]] = {}
    for p in partnerships(snapshot):
        if p.type is not None:
            for member in p.members:
                kinds.setdefault(member, {}).setdefault(p.type, set()).update(p.inferred_records)
    return kinds


Words = dict[str, dict[str, dict[str, set[str]]]]
"""Organisation id -> the organisation at the other end of a relationship -> each word of its
activities -> the ids of the relationships it comes from."""


def _activity_words(snapshot: Snapshot) -> Words:
    """The folded words of the activities of each organisation's relationships, by counterpart."""
    words: Words = {}
    for rel in snapshot.relationships.values():
        found = {
            w
            for activity in rel.activities
            for w in re.findall(r"[a-z]+", fold(activity))
            if len(w) >= MIN_WORD_LENGTH and w not in STOP_WORDS
        }
        for end, other in ((rel.source, rel.target), (rel.target, rel.source)):
            known = words.setdefault(end, {}).setdefault(other, {})
            for w in found:
                known.setdefault(w, set()).add(rel.id)
    return words


def _words(words: Words, organization_id: str, peer: str) -> dict[str, set[str]]:
    """The activity words of ``organization_id`` from relationships not shared with ``peer``,
    each with the ids of those relationships.

    Two ends of one relationship share its words by construction; that says nothing about
    their similarity, so those words are left out.
    """
    found: dict[str, set[str]] = {}
    for other, by_word in words.get(organization_id, {}).items():
        if other != peer:
            for w, ties in by_word.items():
                found.setdefault(w, set()).update(ties)
    return found
