"""A seeded synthetic ecosystem of any size, valid against the vocabulary, for benchmarks.

A few hubs (federations, networks, funders) with many ties, many small SSE units with few,
countries and sectors skewed towards a handful of values. Every record has a source.
"""

from __future__ import annotations

import random

from app.domain.models import Document, Organization, Relationship
from app.domain.vocabulary import vocabulary

SOURCE = [{"citation": "Synthetic ecosystem", "locator": "bench/synthetic.py"}]
MOVEMENT_OF_FAMILY = {
    "unions": "labour",
    "worker_organisations": "informal_workers",
    "sse_units": "sse",
    "enablers": "enabler",
    "public_bodies": "public",
}
FAMILY_WEIGHTS = {
    "unions": 8,
    "worker_organisations": 8,
    "sse_units": 70,
    "enablers": 10,
    "public_bodies": 4,
}


def ecosystem(size: int, seed: int = 204) -> Document:
    """``size`` organisations and about two relationships each, the same for the same seed."""
    v = vocabulary()
    rng = random.Random(seed)
    countries = sorted(v.countries)
    hot_countries = ["KE", "BR", "IN", "ZA", "CO", "AR", "UG", "RW"]
    sectors = sorted(v.sectors)
    families = list(FAMILY_WEIGHTS)
    orgs = []
    for index in range(size):
        family = rng.choices(families, weights=list(FAMILY_WEIGHTS.values()))[0]
        country = rng.choice(hot_countries) if rng.random() < 0.7 else rng.choice(countries)
        orgs.append(
            Organization.model_validate(
                {
                    "id": f"org-{index}",
                    "name": f"Organisation {index}",
                    "type": rng.choice(sorted(v.families[family])),
                    "movement": MOVEMENT_OF_FAMILY[family],
                    "countries": [country],
                    "sectors": [
                        rng.choice(sectors[:4]) if rng.random() < 0.6 else rng.choice(sectors)
                    ],
                    "sources": SOURCE,
                }
            )
        )
    hubs = [o for o in orgs if rng.random() < 0.05] or orgs[:1]
    rels = []
    for index in range(2 * size):
        rel_type = rng.choice(sorted(v.relationship_types))
        rule = v.relationship_types[rel_type]
        source = rng.choice(hubs) if rng.random() < 0.5 else rng.choice(orgs)
        target = rng.choice(orgs)
        if (
            source.id == target.id
            or source.type not in rule.source_types
            or target.type not in rule.target_types
        ):
            continue
        rels.append(
            Relationship.model_validate(
                {
                    "id": f"rel-{index}",
                    "type": rel_type,
                    "source": source.id,
                    "target": target.id,
                    "mode": rng.choice(["direct", "indirect"]) if rel_type == "ENABLES" else None,
                    "since": rng.randint(1995, 2024),
                    "sources": SOURCE,
                }
            )
        )
    return Document(organizations=orgs, relationships=rels)
