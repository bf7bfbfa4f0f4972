"""What if some organisations withdrew: who loses enabling support, directly or down the chain.

The brief's challenges ("Internal challenges within partnership organizations"; Box 6, where
the NISCOF SACCO's revolving fund collapsed) show support disappearing. Here an enabler of X
is any organisation with a chain of enabling relationships to X (an ancestor of X in the
snapshot's enabling graph), so a funder of an NGO that enables X counts as X's enabler too.
Removing organisations deletes them and their ties; the enablers of everyone else, and the
partnerships of :mod:`app.analysis.typology`, are then compared before and after.

A loss rests on an inference (:mod:`app.analysis.inference`) when one of the enabling ties on
the chains from the enablers it loses to the organisation does: the support was only ours to
infer. A partnership's loss carries the marks of the partnership before and after.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import networkx as nx

from app.analysis.inference import inferred_records
from app.analysis.snapshot import Snapshot
from app.analysis.typology import Partnership, partnership, partnerships
from app.domain.vocabulary import vocabulary


@dataclass(frozen=True)
class EnablerLoss:
    """An organisation and the enablers it loses, removed ones included, and whether the
    support lost rests on an inference (which ties do, by id)."""

    organization: str
    lost: tuple[str, ...]
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnershipLoss:
    """A partnership that loses enablers or members, classified before and after the removal.

    ``after`` is ``None`` when no union-side member is left, so there is no partnership.
    """

    before: Partnership
    after: Partnership | None
    lost_enablers: tuple[str, ...]
    lost_members: tuple[str, ...]


@dataclass(frozen=True)
class WhatIf:
    """The consequences of removing ``removed`` from a snapshot.

    ``lose_all`` and ``lose_some`` hold up to the requested number of organisations, which
    ``lose_all_count`` and ``lose_some_count`` count in full; ``broken_paths`` holds up to the
    requested number of (enabler, enabled) pairs, neither of them removed, joined by an
    enabling chain before and not after, and ``broken_path_count`` counts them all. When the
    time allowed ran out while chains were being compared, ``complete`` is false: the broken
    chains found so far are listed and counted, so the counts are lower bounds.
    """

    removed: tuple[str, ...]
    unknown: tuple[str, ...]
    lose_all: tuple[EnablerLoss, ...]
    lose_some: tuple[EnablerLoss, ...]
    partnerships: tuple[PartnershipLoss, ...]
    broken_paths: tuple[tuple[str, str], ...]
    broken_path_count: int
    lose_all_count: int = 0
    lose_some_count: int = 0
    complete: bool = True


def without(snapshot: Snapshot, remove: Iterable[str]) -> Snapshot:
    """``snapshot`` with the organisations in ``remove`` and all their relationships deleted."""
    gone = set(remove)
    return Snapshot(
        version=snapshot.version,
        as_of=snapshot.as_of,
        organizations={k: o for k, o in snapshot.organizations.items() if k not in gone},
        relationships={
            k: r
            for k, r in snapshot.relationships.items()
            if r.source not in gone and r.target not in gone
        },
        weighing=snapshot.weighing,
    )


def what_if(
    snapshot: Snapshot,
    remove: Iterable[str],
    *,
    path_limit: int = 100,
    limit: int | None = None,
    deadline: float | None = None,
) -> WhatIf:
    """Remove the organisations in ``remove`` and report who loses enabling support.

    Ids not in the snapshot are reported as ``unknown`` and otherwise ignored; a lone id
    string is read as one id, not as its characters. Only the organisations downstream of a
    removed one can lose enablers. Results are ordered by organisation id, pairs by
    (enabler, enabled); at most ``limit`` organisations of each loss are listed (all when
    ``None``). Comparing chains stops at ``deadline`` (``time.monotonic()``), if given.
    """
    asked = {remove} if isinstance(remove, str) else set(remove)
    removed = asked & set(snapshot.organizations)
    after = without(snapshot, removed)
    lost: dict[str, set[str]] = {}
    for org_id in removed:
        for enabled in nx.descendants(snapshot.enabling, org_id) - removed:
            lost.setdefault(enabled, set()).add(org_id)
    around = frozenset(removed | set(lost)).union(
        *(nx.ancestors(snapshot.enabling, r) for r in removed)
    )
    chains = _inferred_chains(snapshot, around)
    pairs, complete = _broken_pairs(snapshot.enabling, after.enabling, removed, deadline)
    broken = sorted(pairs)
    for enabler, enabled in broken:
        lost[enabled].add(enabler)
    losses = [EnablerLoss(o, tuple(sorted(lost[o]))) for o in sorted(lost)]
    lose_all = [x for x in losses if not after.enabling.in_degree(x.organization)]
    lose_some = [x for x in losses if after.enabling.in_degree(x.organization)]
    return WhatIf(
        removed=tuple(sorted(removed)),
        unknown=tuple(sorted(asked - removed)),
        lose_all=tuple(_marked(x, chains) for x in lose_all[:limit]),
        lose_some=tuple(_marked(x, chains) for x in lose_some[:limit]),
        partnerships=_partnership_losses(snapshot, after, removed),
        broken_paths=tuple(broken[: max(path_limit, 0)]),
        broken_path_count=len(broken),
        lose_all_count=len(lose_all),
        lose_some_count=len(lose_some),
        complete=complete,
    )


Chain = tuple[str, frozenset[str], frozenset[str]]
"""An inferred enabling tie: its id, the organisations that reach its source (itself
included) and those its target reaches (itself included)."""


def _inferred_chains(snapshot: Snapshot, around: frozenset[str]) -> list[Chain]:
    """The inferred enabling ties ``around`` the removed organisations, by id, each with who
    reaches it and whom it reaches there.

    Every chain whose loss a :class:`WhatIf` reports runs through a removed organisation:
    downstream of it, and for an upstream enabler that lost its reach, upstream of it too;
    so searching ``around`` (the removed, their descendants and their ancestors) is enough.
    Inferred ties are few, so this costs little beside the what-if itself.
    """
    kinds = vocabulary().enabling_types
    ties = sorted(
        (
            r
            for r in snapshot.relationships.values()
            if r.type in kinds and r.source in around and r.target in around
        ),
        key=lambda r: r.id,
    )
    inferred = set(inferred_records(snapshot, ties))
    graph = snapshot.enabling
    return [
        (
            r.id,
            _spread(r.source, lambda node: graph.pred[node], around),
            _spread(r.target, lambda node: graph.succ[node], around),
        )
        for r in ties
        if r.id in inferred
    ]


def _marked(loss: EnablerLoss, chains: list[Chain]) -> EnablerLoss:
    """``loss`` marked by the module's rule: the inferred ties that one of the enablers it
    loses reaches and that reach it."""
    inferred = tuple(
        tie
        for tie, before, after in chains
        if loss.organization in after and not before.isdisjoint(loss.lost)
    )
    return replace(loss, rests_on_inference=bool(inferred), inferred_records=inferred)


def _spread(
    start: str, step: Callable[[str], Iterable[str]], allowed: frozenset[str]
) -> frozenset[str]:
    """``start`` and every organisation of ``allowed`` reached from it by ``step``."""
    seen, frontier = {start}, {start}
    while frontier:
        frontier = {n for node in frontier for n in step(node) if n in allowed} - seen
        seen |= frontier
    return frozenset(seen)


def _broken_pairs(
    before: nx.DiGraph, after: nx.DiGraph, removed: set[str], deadline: float | None
) -> tuple[set[tuple[str, str]], bool]:
    """(enabler, enabled) pairs, neither removed, joined by a chain before and not after, and
    whether the search finished before ``deadline``.

    Only an ancestor of a removed organisation can lose its reach, and only to a descendant
    of one, so the search runs from whichever of those two sets is smaller, in id order.
    """
    up = set().union(*(nx.ancestors(before, r) for r in removed)) - removed
    down = set().union(*(nx.descendants(before, r) for r in removed)) - removed
    forward = len(up) <= len(down)
    reach = nx.descendants if forward else nx.ancestors
    pairs: set[tuple[str, str]] = set()
    for start in sorted(up if forward else down):
        if deadline is not None and time.monotonic() > deadline:
            return pairs, False
        lost = (reach(before, start) - reach(after, start)) & (down if forward else up)
        pairs.update((start, b) if forward else (b, start) for b in lost)
    return pairs, True


def _partnership_losses(
    snapshot: Snapshot, after: Snapshot, removed: set[str]
) -> tuple[PartnershipLoss, ...]:
    """Partnerships whose SSE unit stays but which lose an enabler or a union-side member."""
    return tuple(
        PartnershipLoss(
            before=p,
            after=partnership(after, p.sse_unit),
            lost_enablers=tuple(e for e in p.enablers if e in removed),
            lost_members=tuple(m for m in p.members if m in removed),
        )
        for p in partnerships(snapshot)
        if p.sse_unit not in removed
        and not (removed.isdisjoint(p.enablers) and removed.isdisjoint(p.members))
    )
