"""The brief's three partnership types, read off the structure of the graph.

The brief's table ("Partnership types") sorts partnerships between trade unions and the SSE
into three types: (1) unions and organisations of informal economy workers establishing
independent SSE units; (2) established trade unions working with the SSE to organise,
represent or serve informal economy workers; (3) partnerships established through an enabling
partner that facilitates collective action. Here a partnership is centred on one SSE unit:

- its **members** are the SSE unit S and every union-side organisation (families ``unions``
  and ``worker_organisations``) with a direct tie to S, of any type and in either direction;
- its **enablers** are the non-members with an enabling relationship into S (any family),
  plus the enabling partners proper (family ``enablers``) with an enabling relationship into
  a union-side member. Support into a member from a union federation or an alliance is left
  out: it usually concerns the member's wider work rather than this unit.

The type is decided by the first rule that holds: type 1 if a union-side member ESTABLISHED
S; type 3 if an organisation of family ``enablers`` ESTABLISHED S or ENABLES it through
``facilitation`` and is tied to a union-side member; type 2 if a member is a trade union or
federation (family ``unions``); otherwise ``None``, fitting none of the three.

A partnership rests on an inference (:mod:`app.analysis.inference`) when one of the records
that make it does: its members and enablers, the ties that join each union-side member to
the SSE unit, the enabling ties that make each enabler one, and, for type 3, the ties between
the enabling partner and the union side. Other ties among its organisations are evidence
shown beside it but decide nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.analysis.inference import inferred_records, ties_of
from app.analysis.snapshot import Snapshot
from app.domain.messages import N_, Listed, Place, Sentence
from app.domain.models import Organization, Relationship
from app.domain.vocabulary import vocabulary

PartnershipType = Literal[1, 2, 3]
UNION_SIDE = frozenset({"unions", "worker_organisations"})
"""Families on the labour side of a partnership: unions and informal workers' organisations."""


@dataclass(frozen=True)
class Partnership:
    """A partnership between union-side organisations and one SSE unit, with its brief type,
    and whether it rests on an inference (which of its records do, by id)."""

    id: str
    type: PartnershipType | None
    sse_unit: str
    members: tuple[str, ...]
    enablers: tuple[str, ...]
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    explanation: str
    said: Annotated[Sentence, Field(exclude=True), SkipJsonSchema()]
    """The explanation, to be said in a reader's language; not part of an answer's JSON."""
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


def partnership(snapshot: Snapshot, sse_unit: str) -> Partnership | None:
    """The partnership centred on ``sse_unit``, classified by the module's rules.

    ``None`` when ``sse_unit`` is not an SSE unit of the snapshot or no union-side
    organisation is tied to it: there is then no union-SSE partnership to classify.
    """
    if sse_unit not in snapshot.organizations or snapshot.family(sse_unit) != "sse_units":
        return None
    tied = snapshot.undirected[sse_unit]
    union_side = sorted(n for n in tied if snapshot.family(n) in UNION_SIDE)
    if not union_side:
        return None
    members = sorted([sse_unit, *union_side])
    orgs = [snapshot.organizations[m] for m in members]
    kind, said, grounds = _classify(snapshot, sse_unit, union_side)
    enablers = _enablers(snapshot, sse_unit, union_side)
    records: list[Organization | Relationship] = [
        *orgs,
        *(snapshot.organizations[e] for e in enablers),
        *ties_of(snapshot, sse_unit, union_side),
        *_enabling_ties(snapshot, sse_unit, union_side, frozenset(enablers)),
        *grounds,
    ]
    inferred = inferred_records(snapshot, records)
    return Partnership(
        id=f"partnership-{sse_unit}",
        type=kind,
        sse_unit=sse_unit,
        members=tuple(members),
        enablers=enablers,
        countries=tuple(sorted({c for o in orgs for c in o.countries})),
        sectors=tuple(sorted({s for o in orgs for s in o.sectors})),
        explanation=said.say(),
        said=said,
        rests_on_inference=bool(inferred),
        inferred_records=inferred,
    )


def partnerships(
    snapshot: Snapshot,
    *,
    types: Collection[PartnershipType | None] | None = None,
    country: str | None = None,
    sector: str | None = None,
) -> tuple[Partnership, ...]:
    """Every partnership in the snapshot, ordered by id, optionally filtered.

    ``types`` keeps the partnerships whose type is in it (include ``None`` for those fitting
    none); ``country`` and ``sector`` keep those with a member listing that country or sector.
    """
    every = snapshot.remember("typology partnerships", lambda: _every_partnership(snapshot))
    return tuple(
        p
        for p in every
        if (types is None or p.type in types)
        and (country is None or country in p.countries)
        and (sector is None or sector in p.sectors)
    )


def _every_partnership(snapshot: Snapshot) -> tuple[Partnership, ...]:
    found = (partnership(snapshot, org_id) for org_id in sorted(snapshot.organizations))
    return tuple(p for p in found if p is not None)


def _classify(
    snapshot: Snapshot, sse_unit: str, union_side: list[str]
) -> tuple[PartnershipType | None, Sentence, list[Relationship]]:
    """The first of the module's rules that holds, with a sentence saying why, and the ties it
    rests on beyond those joining the members and the enablers' own (for type 3, the ties
    that tie the enabling partner to the union side)."""
    into = snapshot.incoming(sse_unit)
    unit = snapshot.organizations[sse_unit].short_name()
    founders = sorted({r.source for r in into if r.type == "ESTABLISHED"} & set(union_side))
    if founders:
        return (
            1,
            Sentence(
                N_(
                    "{founders} established {unit}: a union or informal workers' organisation "
                    "setting up its own SSE unit is type 1 in the brief's partnership types "
                    "table."
                ),
                (("founders", _names(snapshot, founders)), ("unit", unit)),
            ),
            [],
        )
    facilitators = sorted(
        {
            r.source
            for r in into
            if snapshot.family(r.source) == "enablers"
            and _founds_or_facilitates(r)
            and any(member in snapshot.undirected[r.source] for member in union_side)
        }
    )
    if facilitators:
        template = (
            N_(
                "{unit} was facilitated or established by {facilitators}, an enabling partner "
                "tied to {members}: a partnership formed through an enabling partner is type 3 "
                "in the brief's partnership types table."
            )
            if len(facilitators) == 1
            else N_(
                "{unit} was facilitated or established by {facilitators}, enabling partners "
                "tied to {members}: a partnership formed through an enabling partner is type 3 "
                "in the brief's partnership types table."
            )
        )
        values: tuple[tuple[str, Place], ...] = (
            ("unit", unit),
            ("facilitators", _names(snapshot, facilitators)),
            ("members", _names(snapshot, union_side)),
        )
        return (
            3,
            Sentence(template, values),
            [t for f in facilitators for t in ties_of(snapshot, f, union_side)],
        )
    unions = [m for m in union_side if snapshot.family(m) == "unions"]
    if unions:
        return (
            2,
            Sentence(
                N_(
                    "{unit} works with the trade union side ({unions}), which did not "
                    "establish it: an established trade union partnering an SSE unit to "
                    "organise, represent or serve informal economy workers is type 2 in the "
                    "brief's partnership types table."
                ),
                (("unit", unit), ("unions", _names(snapshot, unions))),
            ),
            [],
        )
    return (
        None,
        Sentence(
            N_(
                "{unit} is tied only to informal workers' organisations ({members}), none of "
                "which established it; no trade union is a member and no enabling partner "
                "facilitated it, so it fits none of the three types in the brief's partnership "
                "types table."
            ),
            (("unit", unit), ("members", _names(snapshot, union_side))),
        ),
        [],
    )


def _founds_or_facilitates(rel: Relationship) -> bool:
    return rel.type == "ESTABLISHED" or (rel.type == "ENABLES" and "facilitation" in rel.mechanisms)


def _enablers(snapshot: Snapshot, sse_unit: str, union_side: list[str]) -> tuple[str, ...]:
    """The partnership's enablers by the rule in the module docstring."""
    enabling = vocabulary().enabling_types
    members = {sse_unit, *union_side}
    found = {r.source for r in snapshot.incoming(sse_unit) if r.type in enabling}
    partners = _enabling_partners(snapshot)
    for member in union_side:
        found |= {r.source for r in partners.get(member, ())}
    return tuple(sorted(found - members))


def _enabling_ties(
    snapshot: Snapshot, sse_unit: str, union_side: list[str], enablers: frozenset[str]
) -> list[Relationship]:
    """The enabling ties that make each of ``enablers`` an enabler of the partnership."""
    enabling = vocabulary().enabling_types
    partners = _enabling_partners(snapshot)
    into_unit = [
        r for r in snapshot.incoming(sse_unit) if r.type in enabling and r.source in enablers
    ]
    return into_unit + [r for member in union_side for r in partners.get(member, ())]


def _enabling_partners(snapshot: Snapshot) -> dict[str, tuple[Relationship, ...]]:
    """For each organisation, the enabling ties into it from enabling partners (family
    ``enablers``), by id: built once per snapshot, since a federation sits on the union side
    of thousands of partnerships."""
    return snapshot.remember("typology enabling partners", lambda: _partner_ties(snapshot))


def _partner_ties(snapshot: Snapshot) -> dict[str, tuple[Relationship, ...]]:
    enabling = vocabulary().enabling_types
    into: dict[str, list[Relationship]] = {}
    for r in sorted(snapshot.relationships.values(), key=lambda r: r.id):
        if r.type in enabling and snapshot.family(r.source) == "enablers":
            into.setdefault(r.target, []).append(r)
    return {target: tuple(ties) for target, ties in into.items()}


def _names(snapshot: Snapshot, ids: Iterable[str]) -> Listed:
    """Short names, to list in prose: "A", "A and B", "A, B and C"."""
    return Listed(tuple(snapshot.organizations[i].short_name() for i in ids))
