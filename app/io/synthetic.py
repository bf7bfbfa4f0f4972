"""Seeded synthetic ecosystems of 1 to 2,000,000 organisations, streamed as interchange JSON.

Benchmarks and load tests need ecosystems far larger than the brief's, shaped like real
ones: a few federations, global networks, funders and development agencies with very many
ties; many small SSE units (cooperatives, mutuals, SACCOs, self-help groups, associations)
with few; a handful of countries and sectors holding most organisations (Zipf weights over
the vocabulary's terms, the brief's countries first); about three ties per organisation.

How it stays small in memory: each organisation's type, country, sector and founding year
are drawn first into compact arrays (six bytes an organisation, and four more for the
partner pools while ties are drawn); its name, id and the rest are derived again from its
index whenever they are needed. Ties grow by attachment, as
real ecosystems do: organisation *i*, in order, ties itself to a few organisations before
it, picking the tie's type and the partner's type among the combinations that the
vocabulary's relationship rules allow (never a hard-coded list), then the partner within
that type by a skewed draw that favours the oldest members (log-uniform, that is Zipf-like,
for hub types). So each pair is considered once (no duplicate ties), and for one seed the
ecosystem of *n* organisations is a prefix of that of any larger *n*.

Every record cites :data:`CITATION` with a locator naming this module and the seed. Files are
written one record a line with each model's JSON-mode serialiser (``model_dump_json``: the
same fields and values as ``model_dump(mode="json")``, several times faster than dumping
that dict with the json module), so they parse to exactly what ``to_json`` would write.
"""

from __future__ import annotations

import math
import os
import random
from array import array
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache, partial
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, NamedTuple

from app.domain.models import Document, Organization, Relationship, Source
from app.domain.vocabulary import Vocabulary, vocabulary
from app.io.kumu import FAMILY_MOVEMENTS

MAX_ORGANIZATIONS = 2_000_000
"""The largest ecosystem generated: names stay unique well beyond it, files stay writable."""
DEFAULT_SEED = 204
"""Recommendation No. 204 (transition from the informal to the formal economy)."""
CITATION = "Synthetic ecosystem"
END_YEAR = 2025
"""The last year a synthetic fact may start or end in; fixed, so output never depends on today."""

TYPE_WEIGHTS: Mapping[str, float] = {
    "cooperative": 200,
    "self_help_group": 160,
    "association": 110,
    "savings_credit_cooperative": 90,
    "mutual": 50,
    "social_enterprise": 30,
    "foundation": 12,
    "second_tier_cooperative": 10,
    "platform_cooperative": 8,
    "informal_workers_organisation": 100,
    "trade_union": 90,
    "union_federation": 6,
    "ngo": 70,
    "research_institute": 15,
    "funder": 8,
    "network": 5,
    "development_agency": 3,
    "international_institution": 1,
    "public_body": 32,
}
"""Organisations per thousand by type; a type the vocabulary adds later gets 5."""
HUB_TYPES = frozenset(
    {"union_federation", "network", "funder", "development_agency", "international_institution"}
)
"""Types whose members are chosen as partners by a log-uniform draw: a few get most ties."""
HUB_PULL = 15.0
"""How much more often a hub is chosen as a partner than its type's share and the pulls say."""
SMALL_SKEW = 2.0
"""Other types' partners are drawn at pool position ``size * u**SMALL_SKEW``: mildly skewed."""

RELATIONSHIP_WEIGHTS: Mapping[str, float] = {
    "MEMBER_OF": 5,
    "AFFILIATE_OF": 4,
    "ENABLES": 5,
    "FUNDS": 4,
    "PARTNERS_WITH": 3,
    "ADVOCATES_TO": 1.5,
    "IN_DIALOGUE_WITH": 1,
    "AGREEMENT_WITH": 1,
    "ESTABLISHED": 1,
    "ORGANISES": 1.5,
}
"""How common each relationship type is, before the rules and the ends' pulls; default 1."""
_MEMBERSHIP_TARGETS = {
    "*": 0.3,
    "union_federation": 40,
    "network": 30,
    "second_tier_cooperative": 15,
    "association": 3,
    "trade_union": 3,
    "informal_workers_organisation": 3,
}
PULL: Mapping[tuple[str, str], Mapping[str, float]] = {
    ("FUNDS", "source"): {
        "*": 0.1,
        "funder": 60,
        "development_agency": 40,
        "international_institution": 20,
        "public_body": 4,
        "network": 3,
        "union_federation": 2,
        "ngo": 2,
    },
    ("ENABLES", "source"): {
        "*": 0.5,
        "ngo": 8,
        "network": 10,
        "union_federation": 10,
        "funder": 6,
        "development_agency": 6,
        "international_institution": 6,
        "research_institute": 4,
        "trade_union": 3,
        "second_tier_cooperative": 3,
    },
    ("MEMBER_OF", "target"): _MEMBERSHIP_TARGETS,
    ("AFFILIATE_OF", "target"): _MEMBERSHIP_TARGETS,
    ("ADVOCATES_TO", "target"): {"public_body": 8, "international_institution": 3},
    ("IN_DIALOGUE_WITH", "target"): {"public_body": 8, "international_institution": 3},
    ("ESTABLISHED", "source"): {
        "*": 0.5,
        "trade_union": 4,
        "union_federation": 6,
        "informal_workers_organisation": 4,
        "ngo": 3,
        "network": 3,
    },
    ("ORGANISES", "source"): {
        "*": 0.3,
        "trade_union": 6,
        "union_federation": 6,
        "informal_workers_organisation": 6,
        "ngo": 2,
        "network": 2,
    },
}
"""How strongly a type draws one end of a relationship type; a type a table leaves out gets its
``"*"`` entry, else 1. Tuning only: which combinations are allowed at all comes from the
vocabulary's rules."""

TIES_PER_ORGANIZATION = (3, 20, 22, 20, 14, 9, 6, 4, 2)
"""Weights of 0, 1, ... 8 ties started by one organisation: 3.05 on average."""
_TIE_WEIGHTS = list(accumulate(TIES_PER_ORGANIZATION))

BRIEF_COUNTRIES = ("KE", "BR", "IN", "ZA", "CO", "AR", "UG", "RW", "SN", "GH")
"""The brief's countries, ranked first."""
NEXT_COUNTRIES = (
    "NG", "TZ", "ET", "PH", "ID", "MX", "PE", "BD", "PK", "ZM", "MW", "ZW", "NP", "TH",
    "VN", "EG", "CM", "CI", "ML", "BO", "EC", "GT", "NI", "KH", "LK",
)  # fmt: skip
"""Countries with large informal economies, ranked after the brief's; the rest follow."""
COUNTRY_SKEW = 1.3
"""Zipf exponent over ranked countries: the top five then hold about three fifths."""
SECTOR_ORDER = (
    "street_vending",
    "waste_picking",
    "domestic_work",
    "home_based_work",
    "transport",
    "general",
    "agriculture",
    "care_work",
    "construction",
    "platform_work",
)
"""Sectors most common among informal workers' organisations first; the rest follow."""
SECTOR_SKEW = 1.0
"""Zipf exponent over ranked sectors: the top three then hold about three fifths."""

TYPE_LABELS: Mapping[str, str] = {
    "second_tier_cooperative": "Cooperative Union",
    "mutual": "Mutual Fund",
    "savings_credit_cooperative": "Savings and Credit Cooperative",
    "self_help_group": "Self-Help Group",
    "trade_union": "Union",
    "union_federation": "Federation",
    "informal_workers_organisation": "Alliance",
    "ngo": "Support Centre",
    "funder": "Fund",
    "international_institution": "International Organisation",
    "public_body": "Municipal Council",
}
"""How a name ends for each type; otherwise the type key in title case."""
SECTOR_WORDS: Mapping[str, str] = {
    "domestic_work": "Domestic Workers",
    "care_work": "Care Workers",
    "waste_picking": "Waste Pickers",
    "street_vending": "Street Vendors",
    "transport": "Transport Workers",
    "home_based_work": "Home-Based Workers",
    "platform_work": "Platform Workers",
    "agriculture": "Farmers",
    "construction": "Construction Workers",
    "general": "Informal Workers",
}
"""Who a sectoral organisation is named after; otherwise the sector key in title case."""
NAMED_FOR_SECTOR = frozenset({"unions", "worker_organisations", "sse_units"})
"""Families whose names carry their sector (networks do too)."""

ORGANIZATION_STATUSES = {"active": 90, "emerging": 3, "inactive": 4, "collapsed": 2, "dissolved": 1}
"""Organisations per hundred by status."""
LEVELS: Mapping[str, str] = {
    "ADVOCATES_TO": "macro",
    "IN_DIALOGUE_WITH": "macro",
    "AGREEMENT_WITH": "macro",
    "MEMBER_OF": "meso",
    "AFFILIATE_OF": "meso",
    "PARTNERS_WITH": "meso",
    "ESTABLISHED": "meso",
    "ORGANISES": "meso",
    "FUNDS": "micro",
    "ENABLES": "micro",
}
"""The usual level of each relationship type; ENABLES and FUNDS vary at random."""
MECHANISMS = {
    "training": 8,
    "technical_support": 7,
    "finance": 6,
    "facilitation": 4,
    "organising": 4,
    "advocacy": 4,
    "knowledge_sharing": 3,
    "services": 2,
    "legal": 2,
    "research": 2,
}
"""How often each ENABLES mechanism is named, relative to the others."""
ACTIVITIES = (
    "leadership training",
    "exchange visits",
    "joint advocacy campaign",
    "business skills workshops",
    "shared savings scheme",
    "legal registration support",
    "health insurance enrolment",
    "market access programme",
)
"""Activities that some ENABLES and PARTNERS_WITH ties name."""
CURRENCIES = {"USD": 50, "EUR": 25, "GBP": 15}
"""Grant currencies by weight; some grants are in the recipient's own (``LOCAL_CURRENCIES``)."""
LOCAL_CURRENCIES: Mapping[str, str] = {
    "KE": "KES",
    "BR": "BRL",
    "IN": "INR",
    "ZA": "ZAR",
    "CO": "COP",
    "AR": "ARS",
    "UG": "UGX",
    "RW": "RWF",
    "SN": "XOF",
    "GH": "GHS",
}

ID_CACHE = 16_384
"""Organisation ids remembered while writing ties: hubs recur, so most lookups hit (~1 MB)."""

_CONSONANTS = "bdfghjklmnprstvyz"
_VOWELS = "aeiou"
_SYLLABLES = tuple(c + v for c in _CONSONANTS for v in _VOWELS)
_NAME_SPACE = len(_SYLLABLES) ** 4
_NAME_STEP = 32_261_761
"""Close to the name space over the golden ratio, so neighbours' names differ throughout; not a
multiple of 5 or 17, so coprime with 85**4 and index -> name word is a bijection."""


class Written(NamedTuple):
    """What :func:`write_document` wrote: record counts and the file's size in bytes."""

    organizations: int
    relationships: int
    bytes: int


class _Combo(NamedTuple):
    """One allowed way for an organisation to start a tie: its type, direction, partner type."""

    relationship: str
    anchor_is_source: bool
    partner_type: int


@dataclass(frozen=True)
class _Tables:
    """Everything drawn from, derived once from the vocabulary and the tuning tables above."""

    types: tuple[str, ...]
    type_weights: list[float]
    families: tuple[str, ...]
    countries: tuple[str, ...]
    country_weights: list[float]
    sectors: tuple[str, ...]
    sector_weights: list[float]
    combos: tuple[tuple[_Combo, ...], ...]
    combo_weights: tuple[list[float], ...]
    hubs: frozenset[int]
    statuses: tuple[str, ...]
    status_weights: list[float]
    mechanisms: tuple[str, ...]
    mechanism_weights: list[float]
    levels: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    """What follows the invented word in a name, by type and main sector."""
    suffixes: tuple[tuple[str, ...], ...]
    """What follows the word in an id: the label's initials, by type and main sector."""


@dataclass(frozen=True)
class _Plan:
    """The few numbers kept per organisation (indices into :class:`_Tables`), and the seed."""

    seed: int
    types: array[int]
    countries: array[int]
    sectors: array[int]
    founded: array[int]
    """Founding year, 0 when unknown."""
    name_offset: int
    source: Source

    def __len__(self) -> int:
        return len(self.types)


def _stream(seed: int | str, purpose: str) -> random.Random:
    """A reproducible random stream for one purpose, so each part draws independently.

    Synthetic data needs repeatable draws, not unpredictable ones: a seeded Mersenne Twister
    (string seeds hash the same in every process) is the right tool, not ``secrets``.
    """
    return random.Random(f"{seed}:{purpose}")  # noqa: S311


def _cumulative(weights: Iterable[float]) -> list[float]:
    """Running totals, for :func:`_draw` to bisect."""
    return list(accumulate(weights))


def _draw(rng: random.Random, cumulative: Sequence[float]) -> int:
    """An index drawn with the weights whose running totals are ``cumulative``."""
    return bisect(cumulative, rng.random() * cumulative[-1])


def _between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` inclusive; cheaper than ``randint``."""
    return low + int(rng.random() * (high - low + 1))


def _ranked(preferred: Sequence[str], known: Iterable[str], shuffle_key: str) -> tuple[str, ...]:
    """``preferred`` terms the vocabulary knows, then the rest in a fixed shuffled order.

    The shuffle does not depend on the seed, so every ecosystem ranks the same countries high.
    """
    terms = set(known)
    head = [term for term in preferred if term in terms]
    tail = sorted(terms - set(head))
    _stream("ranks", shuffle_key).shuffle(tail)
    return (*head, *tail)


def _known(
    weights: Mapping[str, float], known: Iterable[str]
) -> tuple[tuple[str, ...], list[float]]:
    """The keys of ``weights`` that the vocabulary knows, with their cumulative weights."""
    terms = set(known)
    keys = tuple(key for key in weights if key in terms)
    return keys, _cumulative(weights[key] for key in keys)


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights ``1 / rank**exponent`` for ranks 1..count."""
    return _cumulative(1 / (rank**exponent) for rank in range(1, count + 1))


def _pull(relationship: str, end: str, org_type: str) -> float:
    """How strongly ``org_type`` draws the ``end`` ("source" or "target") of ``relationship``."""
    table = PULL.get((relationship, end), {})
    return table.get(org_type, table.get("*", 1.0))


def _combos(
    vocab: Vocabulary, types: Sequence[str], shares: Sequence[float], anchor: str
) -> list[tuple[_Combo, float]]:
    """Every tie an organisation of type ``anchor`` may start by the rules, with its weight.

    The weight is the relationship type's frequency times both ends' pulls times the partner
    type's share of organisations, so common partners are found more often.
    """
    combos = []
    for name, rule in sorted(vocab.relationship_types.items()):
        base = RELATIONSHIP_WEIGHTS.get(name, 1.0)
        for anchor_is_source, own, other in (
            (True, rule.source_types, rule.target_types),
            (False, rule.target_types, rule.source_types),
        ):
            if anchor not in own:
                continue
            anchor_end, partner_end = (
                ("source", "target") if anchor_is_source else ("target", "source")
            )
            for index, partner in enumerate(types):
                if partner in other:
                    weight = (
                        base
                        * _pull(name, anchor_end, anchor)
                        * _pull(name, partner_end, partner)
                        * shares[index]
                        * (HUB_PULL if partner in HUB_TYPES else 1.0)
                    )
                    combos.append((_Combo(name, anchor_is_source, index), weight))
    return combos


def _label(org_type: str, family: str, sector: str) -> str:
    """A name's ending: the sector's workers (for sectoral organisations), then the type."""
    label = TYPE_LABELS.get(org_type, org_type.replace("_", " ").title())
    if family in NAMED_FOR_SECTOR or org_type == "network":
        label = f"{SECTOR_WORDS.get(sector, sector.replace('_', ' ').title())} {label}"
    return label


def _acronym(name: str) -> str:
    """Initials of a name's words, "and" and "of" left out: "Kamu Street Vendors Union" -> KSVU."""
    words = name.replace("-", " ").split()
    return "".join(w[0] for w in words if w not in {"and", "of"}).upper()


@cache
def _tables() -> _Tables:
    """The draw tables for the project's vocabulary, built once."""
    vocab = vocabulary()
    types = tuple(sorted(vocab.organization_types))
    shares = [TYPE_WEIGHTS.get(t, 5.0) for t in types]
    combos, combo_weights = [], []
    for anchor in types:
        pairs = _combos(vocab, types, shares, anchor)
        combos.append(tuple(combo for combo, _ in pairs))
        combo_weights.append(_cumulative(weight for _, weight in pairs))
    countries = _ranked([*BRIEF_COUNTRIES, *NEXT_COUNTRIES], vocab.countries, "countries")
    sectors = _ranked(SECTOR_ORDER, vocab.sectors, "sectors")
    statuses, status_weights = _known(ORGANIZATION_STATUSES, vocab.organization_statuses)
    mechanisms, mechanism_weights = _known(MECHANISMS, vocab.mechanisms)
    labels = tuple(
        tuple(_label(t, vocab.family_of(t), sector) for sector in sectors) for t in types
    )
    return _Tables(
        types=types,
        type_weights=_cumulative(shares),
        families=tuple(vocab.family_of(t) for t in types),
        countries=countries,
        country_weights=_zipf(len(countries), COUNTRY_SKEW),
        sectors=sectors,
        sector_weights=_zipf(len(sectors), SECTOR_SKEW),
        combos=tuple(combos),
        combo_weights=tuple(combo_weights),
        hubs=frozenset(i for i, t in enumerate(types) if t in HUB_TYPES),
        statuses=statuses,
        status_weights=status_weights,
        mechanisms=mechanisms,
        mechanism_weights=mechanism_weights,
        levels=tuple(sorted(vocab.levels)),
        labels=labels,
        suffixes=tuple(tuple(_acronym(label).lower() for label in row) for row in labels),
    )


def _check_size(n: int) -> None:
    """Refuse a size outside 1..MAX_ORGANIZATIONS with a message that says the range."""
    if not 1 <= n <= MAX_ORGANIZATIONS:
        raise ValueError(
            f"a synthetic ecosystem has 1 to {MAX_ORGANIZATIONS:,} organisations, not {n:,}"
        )


def _founded(rng: random.Random, hub: bool) -> int:
    """A founding year, 0 (unknown) for a quarter; hubs are older, small units mostly recent."""
    if rng.random() < 0.25:
        return 0
    if hub:
        return _between(rng, 1900, 1995)
    return 1950 + int((END_YEAR - 1950) * math.sqrt(rng.random()))


def _plan(n: int, seed: int) -> _Plan:
    """Draw every organisation's type, main country, main sector and founding year."""
    _check_size(n)
    tables = _tables()
    rng = _stream(seed, "plan")
    types, countries = array("B"), array("H")
    sectors, founded = array("B"), array("H")
    for _ in range(n):
        org_type = _draw(rng, tables.type_weights)
        types.append(org_type)
        countries.append(_draw(rng, tables.country_weights))
        sectors.append(_draw(rng, tables.sector_weights))
        founded.append(_founded(rng, org_type in tables.hubs))
    locator = f"generated by app.io.synthetic with seed {seed}"
    return _Plan(
        seed=seed,
        types=types,
        countries=countries,
        sectors=sectors,
        founded=founded,
        name_offset=_stream(seed, "names").randrange(_NAME_SPACE),
        source=Source(citation=CITATION, locator=locator),
    )


def _word(plan: _Plan, index: int) -> str:
    """The invented four-syllable word (lower case) that starts organisation ``index``'s name.

    Index -> code is a bijection on the name space; so is adding to each base-85 digit a
    function of the digit above it (undone from the top digit down), a non-linear one so
    that neighbouring organisations' syllables follow no visible pattern. Words, and so
    names and ids, are therefore unique within an ecosystem.
    """
    base = len(_SYLLABLES)
    code = (index * _NAME_STEP + plan.name_offset) % _NAME_SPACE
    high, low = divmod(code, base * base)
    d3, d2 = divmod(high, base)
    d1, d0 = divmod(low, base)
    return (
        _SYLLABLES[d3]
        + _SYLLABLES[(d2 + 37 * d3 * d3) % base]
        + _SYLLABLES[(d1 + 37 * d2 * d2) % base]
        + _SYLLABLES[(d0 + 37 * d1 * d1) % base]
    )


def _name(plan: _Plan, index: int) -> str:
    """Organisation ``index``'s name: its word, its sector's workers if sectoral, its type."""
    label = _tables().labels[plan.types[index]][plan.sectors[index]]
    return f"{_word(plan, index).capitalize()} {label}"


def _org_id(plan: _Plan, index: int) -> str:
    """Organisation ``index``'s slug: its word, then the initials of the rest of its name."""
    suffix = _tables().suffixes[plan.types[index]][plan.sectors[index]]
    return f"{_word(plan, index)}-{suffix}"


def _distinct(rng: random.Random, cumulative: Sequence[float], first: int, extra: int) -> list[int]:
    """``first`` and up to ``extra`` more distinct indices drawn with the given weights."""
    chosen = [first]
    for _ in range(extra):
        index = _draw(rng, cumulative)
        if index not in chosen:
            chosen.append(index)
    return chosen


def _organization_row(plan: _Plan, index: int, rng: random.Random) -> dict[str, Any]:
    """Every field of organisation ``index``, as the model takes them."""
    tables, vocab = _tables(), vocabulary()
    org_type = tables.types[plan.types[index]]
    hub = plan.types[index] in tables.hubs
    name = _name(plan, index)
    spread = _between(rng, 1, 5) if hub else int(rng.random() < 0.05)
    countries = _distinct(rng, tables.country_weights, plan.countries[index], spread)
    sectors = _distinct(rng, tables.sector_weights, plan.sectors[index], int(rng.random() < 0.15))
    label = org_type.replace("_", " ")
    country_name = vocab.countries[tables.countries[countries[0]]]
    row: dict[str, Any] = {
        "id": _org_id(plan, index),
        "name": name,
        "aliases": [_acronym(name)] if hub or rng.random() < 0.35 else [],
        "type": org_type,
        "movement": FAMILY_MOVEMENTS[tables.families[plan.types[index]]],
        "countries": [tables.countries[c] for c in countries],
        "sectors": [tables.sectors[s] for s in sectors],
        "founded": plan.founded[index] or None,
        "status": tables.statuses[_draw(rng, tables.status_weights)],
        "sources": [plan.source],
    }
    if rng.random() < 0.3:
        row["description"] = f"A synthetic {label} based in {country_name}."
    if org_type in {"funder", "development_agency"}:
        row["identifiers"] = [f"ZZ-SYN-{index}"]
    return row


def _organizations(plan: _Plan) -> Iterator[Organization]:
    """Organisations in index order, each validated by the model."""
    rng = _stream(plan.seed, "organizations")
    for index in range(len(plan)):
        yield Organization.model_validate(_organization_row(plan, index, rng))


def _partner_index(rng: random.Random, pool: Sequence[int], hub: bool) -> int:
    """A member of ``pool`` (oldest first): log-uniform for hub types, mildly skewed otherwise."""
    size = len(pool)
    if hub:
        position = int(math.exp(rng.random() * math.log(size + 1))) - 1
    else:
        position = int(size * rng.random() ** SMALL_SKEW)
    return pool[min(position, size - 1)]


def _partners(
    plan: _Plan, rng: random.Random, pools: Sequence[array[int]], anchor: int
) -> list[tuple[str, int, int]]:
    """The ties organisation ``anchor`` starts: (relationship type, source, target) triples.

    Partners come only from ``pools`` (organisations before ``anchor``, by type); a draw whose
    partner type has no members yet, or that repeats a tie, is tried again a few times.
    """
    tables = _tables()
    anchor_type = plan.types[anchor]
    combos, weights = tables.combos[anchor_type], tables.combo_weights[anchor_type]
    wanted = _draw(rng, _TIE_WEIGHTS)
    ties: list[tuple[str, int, int]] = []
    seen: set[tuple[str, int]] = set()
    attempts = 0
    while len(ties) < wanted and attempts < 4 * wanted and combos:
        attempts += 1
        combo = combos[_draw(rng, weights)]
        pool = pools[combo.partner_type]
        if not pool:
            continue
        partner = _partner_index(rng, pool, combo.partner_type in tables.hubs)
        if (combo.relationship, partner) in seen:
            continue
        seen.add((combo.relationship, partner))
        source, target = (anchor, partner) if combo.anchor_is_source else (partner, anchor)
        ties.append((combo.relationship, source, target))
    return ties


def _timeline(rng: random.Random, start: int) -> dict[str, Any]:
    """``since``, ``until`` and ``status`` of a tie between organisations founded by ``start``.

    Most ties are active; a few are planned (starting next year or undated), about one in
    ten has ended and one in a hundred collapsed, each with the year it stopped.
    """
    statuses = vocabulary().relationship_statuses
    roll = rng.random()
    if roll < 0.04 and "planned" in statuses:
        return {"status": "planned", "since": END_YEAR + 1 if rng.random() < 0.5 else None}
    since = _between(rng, start, END_YEAR) if rng.random() < 0.9 else None
    status = "ended" if roll < 0.14 else "collapsed" if roll < 0.15 else "active"
    if status == "active" or status not in statuses:
        return {"since": since}
    return {"status": status, "since": since, "until": _between(rng, since or start, END_YEAR)}


def _funding(
    plan: _Plan, rng: random.Random, target: int, since: int | None, number: int
) -> dict[str, Any]:
    """Amount, currency, award date, programme and reference of a grant, for most FUNDS ties.

    Amounts are log-normal (median 40,000) in a major currency, or now and then the
    recipient's own; the reference is unique in the ecosystem.
    """
    if rng.random() >= 0.6:
        return {}
    country = _tables().countries[plan.countries[target]]
    if country in LOCAL_CURRENCIES and rng.random() < 0.15:
        currency = LOCAL_CURRENCIES[country]
    else:
        currency = rng.choices(list(CURRENCIES), weights=list(CURRENCIES.values()))[0]
    fields: dict[str, Any] = {
        "amount": float(round(rng.lognormvariate(math.log(40_000), 1.2), -2)),
        "currency": currency,
        "reference": f"SYN-{plan.seed}-{number}",
    }
    if rng.random() < 0.5:
        year = since or END_YEAR
        fields["awarded"] = date(year, _between(rng, 1, 12), _between(rng, 1, 28))
    if rng.random() < 0.2:
        fields["programme"] = f"{_word(plan, target).capitalize()} livelihoods programme"
    return fields


def _enabling(plan: _Plan, rng: random.Random, source: int) -> dict[str, Any]:
    """Mode and one to three mechanisms of an ENABLES tie.

    The mode follows the vocabulary's indirect enabler types, with one tie in twenty the
    other way round (a tie's own mode may differ from its source type's default).
    """
    tables = _tables()
    indirect = tables.types[plan.types[source]] in vocabulary().indirect_enabler_types
    flipped = rng.random() < 0.05
    first = _draw(rng, tables.mechanism_weights)
    chosen = _distinct(rng, tables.mechanism_weights, first, _between(rng, 0, 2))
    return {
        "mode": "indirect" if indirect ^ flipped else "direct",
        "mechanisms": [tables.mechanisms[m] for m in chosen],
    }


def _fit(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` without the fields that the vocabulary does not let its type carry."""
    restricted = vocabulary().relationship_fields
    for field in [f for f in row if f in restricted]:
        if row["type"] not in restricted[field]:
            del row[field]
    return row


def _relationship_row(
    plan: _Plan,
    rng: random.Random,
    tie: tuple[str, int, int],
    number: int,
    org_id: Callable[[int], str],
) -> dict[str, Any]:
    """Every field of one tie, as the model takes them; ``number`` makes references unique."""
    tables = _tables()
    relationship, source, target = tie
    source_id, target_id = org_id(source), org_id(target)
    start = max(plan.founded[source], plan.founded[target], 1980)
    row: dict[str, Any] = {
        "id": f"{source_id}-{relationship.lower().replace('_', '-')}-{target_id}",
        "type": relationship,
        "source": source_id,
        "target": target_id,
        "sources": [plan.source],
        **_timeline(rng, start),
    }
    level = LEVELS.get(relationship)
    if relationship in {"ENABLES", "FUNDS"}:
        level = rng.choice(tables.levels)
    if level in tables.levels and rng.random() < 0.8:
        row["level"] = level
    if relationship == "ENABLES":
        row.update(_enabling(plan, rng, source))
    if relationship == "FUNDS":
        row.update(_funding(plan, rng, target, row.get("since"), number))
        if "finance" in tables.mechanisms and rng.random() < 0.5:
            row["mechanisms"] = ["finance"]
    if relationship in {"ENABLES", "PARTNERS_WITH"} and rng.random() < 0.15:
        row["activities"] = [rng.choice(ACTIVITIES)]
    return _fit(row)


def _relationships(plan: _Plan) -> Iterator[Relationship]:
    """Ties in the order their starting organisations come, each validated by the model."""
    rng = _stream(plan.seed, "relationships")
    pools = [array("I") for _ in _tables().types]
    org_id = lru_cache(maxsize=ID_CACHE)(partial(_org_id, plan))
    number = 0
    for anchor in range(len(plan)):
        for tie in _partners(plan, rng, pools, anchor):
            number += 1
            yield Relationship.model_validate(_relationship_row(plan, rng, tie, number, org_id))
        pools[plan.types[anchor]].append(anchor)


def records(
    n: int, seed: int = DEFAULT_SEED
) -> tuple[Iterator[Organization], Iterator[Relationship]]:
    """The ``n`` organisations and their ties, as two lazy iterators (consume in any order).

    Only a few bytes per organisation are held; records are made one at a time. Raises
    ValueError unless ``1 <= n <= MAX_ORGANIZATIONS``.
    """
    plan = _plan(n, seed)
    return _organizations(plan), _relationships(plan)


def document(n: int, seed: int = DEFAULT_SEED) -> Document:
    """The whole ecosystem as one :class:`Document`, in memory: for small sizes and tests."""
    organizations, relationships = records(n, seed)
    return Document(organizations=list(organizations), relationships=list(relationships))


def _write_array(out: IO[str], items: Iterator[Organization] | Iterator[Relationship]) -> int:
    """Write records as JSON array items, one a line; return how many."""
    count = 0
    for record in items:
        out.write(",\n" if count else "\n")
        out.write(record.model_dump_json())
        count += 1
    return count


def write_document(path: Path, n: int, seed: int = DEFAULT_SEED) -> Written:
    """Write the ecosystem as interchange JSON to ``path``, streaming, one record a line.

    Each record is its model's JSON-mode dump (every field present), so the file parses to
    the same value as ``to_json(document(n, seed))``. The file appears whole or not at all:
    it is written beside ``path`` and renamed into place.
    """
    organizations, relationships = records(n, seed)
    unfinished = path.with_name(path.name + ".partial")
    try:
        with unfinished.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            out.write('{"organizations": [')
            orgs = _write_array(out, organizations)
            out.write('\n],\n"relationships": [')
            rels = _write_array(out, relationships)
            out.write("\n]}\n")
        os.replace(unfinished, path)
    finally:
        unfinished.unlink(missing_ok=True)
    return Written(orgs, rels, path.stat().st_size)
