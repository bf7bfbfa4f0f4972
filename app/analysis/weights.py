"""The weights of peers and matches, read from ``graph_schema/matching.yaml`` in the wheel.

The YAML file holds every weight with what it counts and the words of the brief it rests on;
this module loads it, checks it against the vocabulary, and checks that each tier of a match
outweighs the next tier plus every extra, so that a match's score alone gives its rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Any

import yaml

from app.domain.messages import N_
from app.domain.vocabulary import vocabulary

COUNTED = (
    N_("Each sector both organisations list, at most three."),
    N_("Each type of the brief's table (1, 2 or 3) that both have a partnership of."),
    N_("Both belong to union-SSE partnerships, of different types."),
    N_(
        "Each word shared by the activities of the two organisations' ties, at most three, so "
        "that wording never outweighs a shared sector."
    ),
    N_("It works in a country and a sector the organisation works in."),
    N_("It works in the same sector, in another country; for exchange rather than partnership."),
    N_("Partnerships of the brief's types already work in a sector the two share."),
    N_("Each organisation that already enables both, at most two."),
    N_(
        "It enables an organisation in a country and a sector the organisation works in, or "
        "lists that country and sector itself."
    ),
    N_(
        "It enables an organisation in the same sector in another country, or lists the sector "
        "itself."
    ),
    N_("It already enables an organisation tied to this one."),
    N_(
        "Each organisation it enables where it matched (the country and sector, or the sector), "
        "at most two."
    ),
)
"""What each weight of the YAML counts (its ``counts``), marked here so that the catalogues
hold it and a page says it in the reader's language; a test checks that each is here."""


@dataclass(frozen=True)
class Brief:
    """Where in the brief a weight comes from, and the brief's own words there."""

    where: str
    words: str


@dataclass(frozen=True)
class Weight:
    """A score added once per thing counted, at most ``cap`` times (``None``: once)."""

    key: str
    weight: int
    cap: int | None
    counts: str
    brief: Brief

    def score(self, count: int) -> int:
        """The score for ``count`` things counted."""
        return self.weight * min(count, 1 if self.cap is None else self.cap)

    @property
    def most(self) -> int:
        """The most this weight can add."""
        return self.score(self.cap or 1)


@dataclass(frozen=True)
class PeerWeights:
    """What peers for exchange score: sectors, partnership types, being partnership
    organisations at all, and words their ties' activities share."""

    sector: Weight
    partnership_type: Weight
    partnerships: Weight
    activity_word: Weight


@dataclass(frozen=True)
class MatchWeights:
    """A kind of match: its tiers, best first, and the extras that rank within a tier."""

    tiers: tuple[Weight, ...]
    extras: dict[str, Weight]

    def tier(self, key: str) -> Weight:
        """The tier with ``key``."""
        return next(t for t in self.tiers if t.key == key)


@dataclass(frozen=True)
class Weights:
    """Every weight of peers and matches, and which families each kind of match concerns."""

    across_sectors: frozenset[str]
    across_sectors_brief: Brief
    peers: PeerWeights
    partner: MatchWeights
    partner_pairs: dict[str, tuple[str, ...]]
    partner_pairs_brief: Brief
    enabler: MatchWeights
    enabler_for: frozenset[str]


PEER_WEIGHTS = ("sector", "partnership_type", "partnerships", "activity_word")
"""The weights of peers, in the order :class:`PeerWeights` lists them."""


def _brief(raw: dict[str, str]) -> Brief:
    return Brief(where=raw["where"], words=raw["words"])


def _weight(key: str, raw: dict[str, Any]) -> Weight:
    weight, cap = int(raw["weight"]), raw.get("cap")
    if weight < 1 or (cap is not None and int(cap) < 1):
        raise ValueError(f"matching weights: {key} must weigh 1 or more, with a cap of 1 or more")
    return Weight(
        key, weight, None if cap is None else int(cap), raw["counts"], _brief(raw["brief"])
    )


def _match(name: str, raw: dict[str, Any]) -> MatchWeights:
    """A kind of match, checked so that each tier outweighs the next one plus every extra."""
    tiers = tuple(_weight(k, v) for k, v in raw["tiers"].items())
    extras = {k: _weight(k, v) for k, v in raw["extras"].items()}
    most = sum(e.most for e in extras.values())
    for better, worse in pairwise(tiers):
        if better.weight <= worse.weight + most:
            raise ValueError(
                f"matching weights: {name} tier {better.key} ({better.weight}) must outweigh "
                f"{worse.key} ({worse.weight}) plus every extra ({most})"
            )
    return MatchWeights(tiers=tiers, extras=extras)


def parse_weights(raw: dict[str, Any]) -> Weights:
    """Build :class:`Weights` from the parsed YAML, checking families and sectors exist."""
    vocab = vocabulary()
    families = set(vocab.families)
    pairs = {k: tuple(v) for k, v in raw["partner"]["pairs"].items()}
    enabler_for = frozenset(raw["enabler"]["for"])
    named = set(pairs) | {f for v in pairs.values() for f in v} | enabler_for
    if named - families:
        raise ValueError(f"matching weights: unknown families {sorted(named - families)}")
    across = frozenset(raw["across_sectors"]["sectors"])
    if across - set(vocab.sectors):
        raise ValueError(f"matching weights: unknown sectors {sorted(across - set(vocab.sectors))}")
    peers = raw["peers"]
    return Weights(
        across_sectors=across,
        across_sectors_brief=_brief(raw["across_sectors"]["brief"]),
        peers=PeerWeights(*(_weight(k, peers[k]) for k in PEER_WEIGHTS)),
        partner=_match("partner", raw["partner"]),
        partner_pairs=pairs,
        partner_pairs_brief=_brief(raw["partner"]["pairs_brief"]),
        enabler=_match("enabler", raw["enabler"]),
        enabler_for=enabler_for,
    )


@cache
def weights() -> Weights:
    """The project's weights, loaded once from the ``graph_schema`` package."""
    text = files("graph_schema").joinpath("matching.yaml").read_text(encoding="utf-8")
    return parse_weights(yaml.safe_load(text))
