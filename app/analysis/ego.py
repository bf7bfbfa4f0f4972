"""An organisation's ego network as a weighing sees it: the facts it does not count taken out,
and each organisation's distance counted again over the ties left."""

from __future__ import annotations

from app.domain.evidence import Weighing, weigh
from app.store.protocol import Subgraph


def weighed_network(sub: Subgraph, center: str, depth: int, weighing: Weighing) -> Subgraph:
    """``sub``, the store's network of ``center`` within ``depth`` hops, counting ``weighing``.

    Under ``stated``, organisations and ties resting on inference drop out, and so do the
    organisations that only those ties brought within ``depth`` hops; nothing is left if the
    centre itself rests on inference. Every organisation that stated ties bring within
    ``depth`` hops is already in ``sub``, since fewer ties make no route shorter.
    """
    if weighing == "any":
        return sub
    orgs = {o.id: o for o in (weigh(o, weighing) for o in sub.organizations) if o is not None}
    ties = [
        r
        for r in (weigh(r, weighing) for r in sub.relationships)
        if r is not None and r.source in orgs and r.target in orgs
    ]
    near: dict[str, set[str]] = {}
    for tie in ties:
        near.setdefault(tie.source, set()).add(tie.target)
        near.setdefault(tie.target, set()).add(tie.source)
    distances = {center: 0} if center in orgs else {}
    frontier = list(distances)
    for hops in range(1, depth + 1):
        frontier = sorted({n for node in frontier for n in near.get(node, ())} - set(distances))
        distances.update(dict.fromkeys(frontier, hops))
    return Subgraph(
        organizations=[orgs[i] for i in sorted(distances)],
        relationships=[r for r in ties if r.source in distances and r.target in distances],
        distances=distances,
    )
