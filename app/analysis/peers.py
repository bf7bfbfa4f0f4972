"""Peers for exchange: organisations elsewhere that share the sector or the partnership type.

The brief finds exchange between partnerships "particularly beneficial where the partnerships
share common characteristics - notably, sector focus and type of partnership being developed"
("Sharing knowledge, experience and learning"), and its ways forward repeat it: "a similar
model of partnership and/or ... a shared sectoral focus". Peers are ranked so: first those
sharing both the sector and the partnership type, then those sharing either one, then those
whose ties' activities share words only; within each, by score, then id. The weights are data
(``graph_schema/matching.yaml``, :mod:`app.analysis.weights`): a sector each, a partnership
type each, one for both being partnership organisations of different types, and shared
activity words, capped. The kind of organisation counts for nothing: the brief does not name
it.

A peer rests on an inference (:mod:`app.analysis.inference`) when a record behind one of its
reasons does: either organisation (whose sectors and countries are compared), the
partnerships that give the two their types, or the ties whose activities give a shared word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.analysis.inference import inferred_records
from app.analysis.snapshot import Snapshot
from app.analysis.typology import partnerships
from app.analysis.weights import weights
from app.domain.messages import N_, Listed, Sentence
from app.domain.models import Organization, Relationship
from app.domain.text import fold

Shared = Literal["sector", "partnership_type"]
TIERS: dict[tuple[Shared, ...], str] = {
    ("sector", "partnership_type"): N_("shares both the sector and the partnership type"),
    ("sector",): N_("shares the sector, not the partnership type"),
    ("partnership_type",): N_("shares the partnership type, not the sector"),
    (): N_("shares neither the sector nor the partnership type"),
}
"""What a peer shares of the two characteristics the brief names, in its ranking order, and
the reason that says so."""
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
    """An organisation elsewhere: what it shares of the sector and the partnership type, its
    score and the reasons in words, whether it is in the country asked for, and whether those
    reasons rest on an inference (which records do, by id)."""

    organization: str
    score: int
    shares: tuple[Shared, ...]
    reasons: tuple[str, ...]
    said: Annotated[tuple[Sentence, ...], Field(exclude=True), SkipJsonSchema()]
    """The reasons, ``reasons`` in English, to be said in a reader's language; not part of an
    answer's JSON."""
    preferred: bool = False
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


def peers(
    snapshot: Snapshot,
    organization_id: str,
    *,
    limit: int | None = None,
    country: str | None = None,
    exclude_country: str | None = None,
) -> tuple[Peer, ...]:
    """Organisations sharing no country with ``organization_id``, best first (see the module).

    An organisation with no countries counts as elsewhere. Those in ``country`` come first,
    those in ``exclude_country`` are left out (when both name one country, it is left out).
    Those with nothing in common are left out. An id not in the snapshot (unknown, or not
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
        if exclude_country is not None and exclude_country in other.countries:
            continue
        peer = _compare(snapshot, me, other, kinds, words, country)
        if peer is not None:
            found.append(peer)
    ranks = list(TIERS)
    found.sort(key=lambda p: (not p.preferred, ranks.index(p.shares), -p.score, p.organization))
    return tuple(found if limit is None else found[:limit])


def _compare(
    snapshot: Snapshot,
    me: Organization,
    other: Organization,
    kinds: dict[str, dict[int, set[str]]],
    words: Words,
    country: str | None,
) -> Peer | None:
    """``other`` as a peer of ``me``, or ``None`` when they have nothing in common."""
    w = weights().peers
    details: list[Sentence] = []
    score, behind = 0, set[str]()
    sectors = sorted(set(me.sectors) & set(other.sectors))
    if sectors:
        score += w.sector.score(len(sectors))
        named = tuple(Sentence("{sector}", (("sector", s),)) for s in sectors)
        details.append(Sentence(N_("sectors in common: {sectors}"), (("sectors", named),)))
    mine, theirs = kinds.get(me.id, {}), kinds.get(other.id, {})
    common = sorted(set(mine) & set(theirs))
    if common:
        score += w.partnership_type.score(len(common))
        details.append(
            Sentence(N_("both in type {types} partnerships"), (("types", _types(common)),))
        )
        behind.update(i for kind in common for i in (*mine[kind], *theirs[kind]))
    elif mine and theirs:
        score += w.partnerships.score(1)
        here, there = (_types(sorted(k)) for k in (mine, theirs))
        details.append(
            Sentence(
                N_("both in union-SSE partnerships: type {here} here, type {there} there"),
                (("here", here), ("there", there)),
            )
        )
        behind.update(i for k in (mine, theirs) for records in k.values() for i in records)
    said, heard = _words(words, me.id, other.id), _words(words, other.id, me.id)
    shared = sorted(set(said) & set(heard))
    ties = {t for word in shared for t in (*said[word], *heard[word])}
    if shared:
        score += w.activity_word.score(len(shared))
        details.append(
            Sentence(N_("shared activity words: {words}"), (("words", ", ".join(shared)),))
        )
    if not score:
        return None
    flags: list[Shared] = []
    if sectors:
        flags.append("sector")
    if common:
        flags.append("partnership_type")
    reasons = [Sentence(TIERS[tuple(flags)]), *details]
    preferred = country is not None and country in other.countries
    if country is not None and preferred:
        reasons.append(Sentence(N_("in {country}, as asked"), (("country", country),)))
    records: list[Organization | Relationship] = [
        me,
        other,
        *(snapshot.relationships[t] for t in sorted(ties)),
    ]
    inferred = tuple(sorted(behind.union(inferred_records(snapshot, records))))
    return Peer(
        other.id,
        score,
        tuple(flags),
        tuple(r.say() for r in reasons),
        tuple(reasons),
        preferred,
        bool(inferred),
        inferred,
    )


def _types(types: list[int]) -> Listed:
    """Partnership types listed in prose: "1", "1 and 2"."""
    return Listed(tuple(map(str, types)))


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
