"""Partner and enabler matches: who could work with an organisation, and who could enable it.

The brief's ways forward ask for "partnership matching, ongoing accompaniment and mutual
support" ("Sharing knowledge, experience and learning") and for "Building an enabling
ecosystem"; its section "A broad ecosystem of support" finds that "Tailoring support to
sector and geography is critical". A match is ranked by tier, then by extras, with the
weights and the brief's words for each in ``graph_schema/matching.yaml``
(:mod:`app.analysis.weights`); a tier outweighs all the extras, so the score gives the rank
(ties: by id).

- **partner** matches pair the union side with SSE units, and unions with informal workers'
  organisations (the brief's types 1 and 2). Tiers: the same country and sector; then the
  same sector elsewhere, for exchange rather than partnership. Extras: partnerships of the
  brief's types already work in a sector the two share; each enabler the two already share.
- **enabler** matches are organisations with an enabling tie in force, or enabling partners
  by type (family ``enablers``), active in the organisation's country and sector (they enable
  someone listing both, or, enabling no one there, list both themselves); then in its sector
  elsewhere. Each comes with its mechanisms and whom it enables there. Extras: it already
  enables an organisation tied to this one; each organisation it enables where it matched.

In one country, an organisation listing a sector of ``across_sectors`` (``general``: a
national federation, SEWA) shares every sector: "Building alliances with trade unions -
notably with national federations and confederations - has strengthened informal economy
workers' advocacy". Elsewhere only the same sector counts, as it does for peers. A match is
never an organisation already tied to this one (a tie in force either way, or a search for
funding): an introduction to an existing partner or enabler is no introduction.

An organisation gone by the snapshot's year but named by funding sought (NISCOF's collapsed
SACCO, Box 6) is matched from its own record: the funders a revival needs are found as for
any other, and the seeker is already tied to it. Any other organisation not in the snapshot
has no match, and a note says why.

Candidates are scored first (:func:`ranked`, what a shortlist compares) and put in words
only when shown (:func:`explain`). Each reason names the records it rests on; each match
lists those records with their sources (its facts), and rests on an inference
(:mod:`app.analysis.inference`) when one of them does, or the organisation matched for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.analysis.inference import inferred_records, ties_of
from app.analysis.snapshot import Snapshot
from app.analysis.typology import Partnership, partnerships
from app.analysis.weights import weights
from app.domain.messages import N_, Listed, Sentence
from app.domain.models import Organization, Relationship, Source
from app.domain.vocabulary import vocabulary

MatchKind = Literal["partner", "enabler"]
MATCH_KINDS: tuple[MatchKind, ...] = ("partner", "enabler")
NAMED = 3
"""Organisations or partnerships a reason names before "and N more"."""
Place = tuple[str | None, str]
"""A country (``None``: none listed) and a sector."""


@dataclass(frozen=True)
class Fact:
    """A record a match rests on, with its sources."""

    record: str
    kind: Literal["organization", "relationship"]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Reason:
    """One reason for a match, in words, and the ids of the records it rests on."""

    words: str
    records: tuple[str, ...]
    said: Annotated[Sentence, Field(exclude=True), SkipJsonSchema()]
    """The reason, ``words`` in English, to be said in a reader's language; not part of an
    answer's JSON."""


@dataclass(frozen=True)
class Match:
    """An organisation that could partner with or enable the one matched for: its tier (a key
    of ``graph_schema/matching.yaml``), score and reasons, the facts behind them, for an
    enabler its mechanisms and whom it enables where it matched, and whether it rests on an
    inference (which records do, by id)."""

    organization: str
    tier: str
    score: int
    reasons: tuple[Reason, ...]
    facts: tuple[Fact, ...]
    mechanisms: tuple[str, ...] = ()
    enables: tuple[str, ...] = ()
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matches:
    """The best matches of one kind for one organisation, in words, best first; how many
    there are in all; or a note saying why there is none to look for."""

    organization: str
    kind: MatchKind
    items: tuple[Match, ...]
    total: int = 0
    note: str | None = None
    noted: Annotated[Sentence | None, Field(exclude=True), SkipJsonSchema()] = None
    """The note, to be said in a reader's language; not part of an answer's JSON."""


@dataclass(frozen=True)
class PartnerFinding:
    """What a partner shares with the organisation: countries (none: it is elsewhere),
    sectors, the shared sectors where partnerships of the brief's types work, and the
    enablers of both."""

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    forms: tuple[str, ...]
    enablers: tuple[str, ...]


@dataclass(frozen=True)
class EnablerFinding:
    """Where an enabler matched: the places where it enables someone, or else those its own
    record lists; whom it enables there; and which organisations tied to this one it
    enables."""

    places: tuple[Place, ...]
    listed: tuple[Place, ...]
    enables: tuple[str, ...]
    partners: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A match scored but not yet put in words: what a shortlist compares."""

    organization: str
    tier: str
    score: int
    mechanisms: tuple[str, ...]
    finding: PartnerFinding | EnablerFinding


@dataclass(frozen=True)
class Ranking:
    """Every candidate of one kind for one organisation, best first (score, then id), or a
    note saying why there is none to look for."""

    organization: str
    kind: MatchKind
    candidates: tuple[Candidate, ...]
    note: Sentence | None = None


def matches(
    snapshot: Snapshot, organization_id: str, kind: MatchKind, *, limit: int | None = None
) -> Matches:
    """The ``kind`` matches of ``organization_id``, best first, at most ``limit``, each in
    words with its facts; ``total`` counts them all."""
    ranking = ranked(snapshot, organization_id, kind)
    shown = ranking.candidates if limit is None else ranking.candidates[:limit]
    items = tuple(explain(snapshot, organization_id, c) for c in shown)
    note = ranking.note
    total = len(ranking.candidates)
    return Matches(organization_id, kind, items, total, note.say() if note else None, note)


def ranked(
    snapshot: Snapshot, organization_id: str, kind: MatchKind, *, home_only: bool = False
) -> Ranking:
    """The ``kind`` candidates of ``organization_id``, scored, best first (see the module);
    with ``home_only``, those of the first tier only (in its own countries), which outrank
    every other."""
    me = snapshot.organizations.get(organization_id) or snapshot.absent.get(organization_id)
    if me is None:
        gone = (
            Sentence(GONE_IN, (("year", str(snapshot.as_of)),))
            if snapshot.as_of
            else Sentence(GONE_NOW)
        )
        return Ranking(organization_id, kind, (), gone)
    family = vocabulary().family_of(me.type)
    w = weights()
    if kind == "partner" and family not in w.partner_pairs:
        note = N_("Partner matches are for unions, informal workers' organisations and SSE units.")
        return Ranking(me.id, kind, (), Sentence(note))
    if kind == "enabler" and family not in w.enabler_for:
        note = N_("Enabler matches are for the organisations that enabling ties may reach.")
        return Ranking(me.id, kind, (), Sentence(note))
    if not me.sectors:
        note = N_("{name} lists no sector, and matches are made by sector.")
        return Ranking(me.id, kind, (), Sentence(note, (("name", me.short_name()),)))
    found = (
        _partners(snapshot, me, family, home_only)
        if kind == "partner"
        else _enablers(snapshot, me, home_only)
    )
    found.sort(key=lambda c: (-c.score, c.organization))
    return Ranking(me.id, kind, tuple(found))


GONE_IN = N_(
    "Not in the ecosystem in {year}, for the facts counted: nothing to match. An organisation "
    "that is gone is matched only while someone seeks funding for it."
)
GONE_NOW = N_(
    "Not in the ecosystem now, for the facts counted: nothing to match. An organisation that "
    "is gone is matched only while someone seeks funding for it."
)
"""Why an organisation not in the snapshot has no match: in the year asked, or now."""


def _partners(
    snapshot: Snapshot, me: Organization, family: str, home_only: bool
) -> list[Candidate]:
    """Every partner candidate of ``me`` (only those in its countries with ``home_only``),
    unsorted."""
    w, index = weights().partner, _index(snapshot)
    wanted = weights().partner_pairs[family]
    tier_weight = {t.key: t.weight for t in w.tiers}
    tied = _tied(snapshot, me.id)
    mine = index.enablers_of.get(me.id, frozenset())
    scope = _Scope.of(me)
    near = _scope_places(index, scope, True)
    pool = set().union(*(index.organizations_at.get(p, ()) for p in near))
    if not home_only:
        pool |= set().union(*(index.by_sector.get(s, ()) for s in me.sectors))
    found = []
    for other_id in pool - tied - {me.id}:
        if index.family[other_id] not in wanted:
            continue
        other = snapshot.organizations[other_id]
        countries = tuple(sorted(set(me.countries) & set(other.countries)))
        sectors = tuple(shared_sectors(me.sectors, other.sectors, across=bool(countries)))
        if not sectors:
            continue
        tier = "same_country_and_sector" if countries else "same_sector_elsewhere"
        forms = tuple(s for s in sectors if s in index.forms)
        common = tuple(sorted(mine & index.enablers_of.get(other_id, frozenset())))
        score = tier_weight[tier] + (w.extras["partnership_form"].score(1) if forms else 0)
        score += w.extras["shared_enabler"].score(len(common)) if common else 0
        finding = PartnerFinding(countries, sectors, forms, common)
        found.append(Candidate(other_id, tier, score, (), finding))
    return found


def _enablers(snapshot: Snapshot, me: Organization, home_only: bool) -> list[Candidate]:
    """Every enabler candidate of ``me`` (only those active in its countries with
    ``home_only``), unsorted."""
    w, index = weights().enabler, _index(snapshot)
    tier_weight = {t.key: t.weight for t in w.tiers}
    tied = _tied(snapshot, me.id)
    scope = _Scope.of(me)
    found = []
    seen = {me.id, *tied}
    for tier, home in ENABLER_TIERS[:1] if home_only else ENABLER_TIERS:
        matched: dict[str, list[Place]] = {}
        listed: dict[str, list[Place]] = {}
        for place in _scope_places(index, scope, home):
            for enabler in index.enablers_at.get(place, {}):
                matched.setdefault(enabler, []).append(place)
            for enabler in index.listed_at.get(place, ()):
                listed.setdefault(enabler, []).append(place)
        for other_id in sorted((matched.keys() | listed.keys()) - seen):
            places = tuple(sorted(matched.get(other_id, ()), key=_place_key))
            own = () if places else tuple(sorted(listed[other_id], key=_place_key))
            enables = tuple(sorted({t for p in places for t in index.enablers_at[p][other_id]}))
            partners = tuple(sorted(index.enabled_by.get(other_id, frozenset()) & tied))
            score = tier_weight[tier]
            score += w.extras["enables_there"].score(len(enables)) if enables else 0
            score += w.extras["enables_a_partner"].score(1) if partners else 0
            finding = EnablerFinding(places, own, enables, partners)
            mechanisms = index.mechanisms.get(other_id, ())
            found.append(Candidate(other_id, tier, score, mechanisms, finding))
        seen |= matched.keys() | listed.keys()
    return found


ENABLER_TIERS = (("active_in_country_and_sector", True), ("active_in_sector_elsewhere", False))
"""The enabler tiers, best first, and whether each is in the organisation's own country."""


@dataclass(frozen=True)
class _Scope:
    """The countries and sectors of the organisation matched for, to test places quickly."""

    countries: frozenset[str]
    sectors: frozenset[str]
    across: frozenset[str]
    wide: bool

    @classmethod
    def of(cls, org: Organization) -> _Scope:
        across = weights().across_sectors
        return cls(
            frozenset(org.countries),
            frozenset(org.sectors),
            across,
            bool(across & set(org.sectors)),
        )

    def covers(self, place: Place, home: bool) -> bool:
        """Whether ``place`` is (``home``) or is not in one of the countries, and shares a
        sector (at home, working across sectors shares every sector)."""
        country, sector = place
        if (country is not None and country in self.countries) != home:
            return False
        return sector in self.sectors or (home and (self.wide or sector in self.across))


def explain(snapshot: Snapshot, organization_id: str, candidate: Candidate) -> Match:
    """``candidate`` for ``organization_id`` in words: its reasons, each with the records it
    rests on, the facts behind them with their sources, and what rests on an inference."""
    me = snapshot.organization(organization_id)
    finding = candidate.finding
    if isinstance(finding, PartnerFinding):
        reasons = _partner_reasons(snapshot, me, candidate.organization, finding)
        enables: tuple[str, ...] = ()
    else:
        reasons = _enabler_reasons(snapshot, me, candidate.organization, finding)
        enables = finding.enables
    index = _index(snapshot)
    ids = list(dict.fromkeys(i for r in reasons for i in r.records))
    records = [index.records[i] for i in ids]
    facts = tuple(
        Fact(
            r.id,
            "organization" if isinstance(r, Organization) else "relationship",
            tuple(r.sources),
        )
        for r in records
    )
    inferred = inferred_records(snapshot, [me, *records])
    return Match(
        organization=candidate.organization,
        tier=candidate.tier,
        score=candidate.score,
        reasons=tuple(reasons),
        facts=facts,
        mechanisms=candidate.mechanisms,
        enables=enables,
        rests_on_inference=bool(inferred),
        inferred_records=inferred,
    )


def _reason(said: Sentence, records: Iterable[str]) -> Reason:
    return Reason(said.say(), tuple(dict.fromkeys(records)), said)


def _partner_reasons(
    snapshot: Snapshot, me: Organization, other_id: str, finding: PartnerFinding
) -> list[Reason]:
    """A partner's reasons: its tier, the forms of partnership working in the shared
    sectors, and the enablers of both."""
    other = snapshot.organizations[other_id]
    where = _sectors_said(finding.sectors)
    if finding.countries:
        wide = _across(me, other)
        shared = (("countries", _countries_said(finding.countries)), ("sectors", where))
        said = (
            Sentence(
                N_(
                    "works in {countries} and in {sectors}, as it does ({names} working across "
                    "sectors)"
                ),
                (*shared, ("names", wide)),
            )
            if wide
            else Sentence(N_("works in {countries} and in {sectors}, as it does"), shared)
        )
    elif other.countries:
        said = Sentence(
            N_("works in {sectors} too, in {countries}: for exchange rather than partnership"),
            (("sectors", where), ("countries", _countries_said(other.countries))),
        )
    else:
        said = Sentence(
            N_(
                "works in {sectors} too, with no country listed: for exchange rather than "
                "partnership"
            ),
            (("sectors", where),),
        )
    reasons = [_reason(said, (me.id, other_id))]
    index = _index(snapshot)
    if finding.forms:
        working = list({f.id: f for s in finding.forms for f in index.forms[s]}.values())
        types = sorted({f.type for f in working})
        named = working[:NAMED]
        around = _joined([Sentence(N_("around {unit}"), (("unit", f.unit),)) for f in named], "; ")
        more = len(working) - len(named)
        partnerships = (
            Sentence(N_("{names} and {count} more"), (("names", around), ("count", more)))
            if more > 0
            else around
        )
        said = Sentence(
            N_(
                "partnerships of the brief's type {types} already work in {sectors} "
                "({partnerships})"
            ),
            (
                ("types", Listed(tuple(map(str, types)))),
                ("sectors", _sectors_said(finding.forms)),
                ("partnerships", partnerships),
            ),
        )
        reasons.append(_reason(said, (i for f in named for i in f.evidence)))
    if finding.enablers:
        ties = [
            r.id
            for end in (me.id, other_id)
            for r in index.enabling_into.get(end, ())
            if r.source in finding.enablers
        ]
        said = Sentence(
            N_("both are enabled by {names}"),
            (("names", _names(snapshot, list(finding.enablers))),),
        )
        reasons.append(_reason(said, (*finding.enablers, *ties)))
    return reasons


def _enabler_reasons(
    snapshot: Snapshot, me: Organization, other_id: str, finding: EnablerFinding
) -> list[Reason]:
    """An enabler's reasons: whom it enables where it matched (or that its own record lists
    the place), and which organisations tied to this one it already enables."""
    index = _index(snapshot)
    out = index.enabling_from.get(other_id, ())
    if finding.enables:
        ties = [r.id for r in out if r.target in finding.enables]
        said = Sentence(
            N_("enables {names} in {places}"),
            (
                ("names", _names(snapshot, list(finding.enables))),
                ("places", _places_said(finding.places)),
            ),
        )
        reasons = [_reason(said, (other_id, *finding.enables, *ties))]
    else:
        said = Sentence(
            N_("lists {places} itself, and enables no one there yet"),
            (("places", _places_said(finding.listed)),),
        )
        reasons = [_reason(said, (other_id,))]
    if finding.partners:
        theirs = [r.id for r in out if r.target in finding.partners]
        mine = [r.id for r in _ties_to(snapshot, me.id, list(finding.partners))]
        said = Sentence(
            N_("already enables {names}, tied to {organisation}"),
            (
                ("names", _names(snapshot, list(finding.partners))),
                ("organisation", me.short_name()),
            ),
        )
        reasons.append(_reason(said, (*theirs, *finding.partners, *mine)))
    return reasons


def _tied(snapshot: Snapshot, organization_id: str) -> set[str]:
    """The organisations tied to ``organization_id`` by a tie in force or a search for
    funding, either way: never matched to it."""
    tied: set[str] = set()
    if organization_id in snapshot.organizations:
        tied.update(snapshot.undirected[organization_id])
    for r in snapshot.sought:
        if organization_id in (r.source, r.target):
            tied.update((r.source, r.target))
    tied.discard(organization_id)
    return tied


def _ties_to(snapshot: Snapshot, me: str, others: list[str]) -> list[Relationship]:
    """The ties between ``me`` and ``others``: those in force, and funding sought."""
    found = ties_of(snapshot, me, others) if me in snapshot.organizations else []
    sought = [
        r
        for r in snapshot.sought
        if (r.source == me and r.target in others) or (r.target == me and r.source in others)
    ]
    return [*found, *sought]


# --- the index: built once per snapshot ---------------------------------------------------


@dataclass(frozen=True)
class _Index:
    """What matching looks up, built once per snapshot: organisations by sector and by place
    (a country and a sector they list together), every place by country and by sector,
    enabling ties by end, the enablers of each place (with whom they enable there) and those
    whose own record lists it, how each enabler enables, the partnerships of the brief's
    types by sector, and every record by id."""

    by_sector: dict[str, frozenset[str]]
    organizations_at: dict[Place, frozenset[str]]
    places_in: dict[str | None, tuple[Place, ...]]
    places_of: dict[str, tuple[Place, ...]]
    family: dict[str, str]
    enabling_into: dict[str, tuple[Relationship, ...]]
    enabling_from: dict[str, tuple[Relationship, ...]]
    enablers_of: dict[str, frozenset[str]]
    enabled_by: dict[str, frozenset[str]]
    enablers_at: dict[Place, dict[str, frozenset[str]]]
    listed_at: dict[Place, frozenset[str]]
    mechanisms: dict[str, tuple[str, ...]]
    forms: dict[str, tuple[_Form, ...]]
    records: dict[str, Organization | Relationship]


@dataclass(frozen=True)
class _Form:
    """A typed partnership working in a sector: its id, type, its SSE unit as a reason names
    it, and the records that make it (the unit and the ties joining its union side to it)."""

    id: str
    type: int
    unit: Sentence
    evidence: tuple[str, ...]


def _index(snapshot: Snapshot) -> _Index:
    return snapshot.remember("matching index", lambda: _build(snapshot))


def _build(snapshot: Snapshot) -> _Index:
    enabling_types = vocabulary().enabling_types
    by_sector: dict[str, set[str]] = {}
    organizations_at: dict[Place, set[str]] = {}
    for org in snapshot.organizations.values():
        for sector in org.sectors:
            by_sector.setdefault(sector, set()).add(org.id)
        for place in _places(org):
            organizations_at.setdefault(place, set()).add(org.id)
    into: dict[str, list[Relationship]] = {}
    out: dict[str, list[Relationship]] = {}
    enablers_at: dict[Place, dict[str, set[str]]] = {}
    mechanisms: dict[str, set[str]] = {}
    for rel in sorted(snapshot.relationships.values(), key=lambda r: r.id):
        if rel.type not in enabling_types:
            continue
        into.setdefault(rel.target, []).append(rel)
        out.setdefault(rel.source, []).append(rel)
        gives = mechanisms.setdefault(rel.source, set())
        gives.update(rel.mechanisms)
        if rel.type == "FUNDS":
            gives.add("finance")
        for place in _places(snapshot.organizations[rel.target]):
            enablers_at.setdefault(place, {}).setdefault(rel.source, set()).add(rel.target)
    listed_at: dict[Place, set[str]] = {}
    for org in snapshot.organizations.values():
        if snapshot.family(org.id) == "enablers":
            for place in _places(org):
                listed_at.setdefault(place, set()).add(org.id)
    every = sorted({*organizations_at, *enablers_at, *listed_at}, key=_place_key)
    places_in: dict[str | None, list[Place]] = {}
    places_of: dict[str, list[Place]] = {}
    for place in every:
        places_in.setdefault(place[0], []).append(place)
        places_of.setdefault(place[1], []).append(place)
    records: dict[str, Organization | Relationship] = {
        **snapshot.absent,
        **snapshot.organizations,
        **{r.id: r for r in snapshot.sought},
        **snapshot.relationships,
    }
    return _Index(
        by_sector={s: frozenset(ids) for s, ids in by_sector.items()},
        organizations_at={p: frozenset(ids) for p, ids in organizations_at.items()},
        places_in={c: tuple(p) for c, p in places_in.items()},
        places_of={s: tuple(p) for s, p in places_of.items()},
        family={o: snapshot.family(o) for o in snapshot.organizations},
        enabling_into={k: tuple(v) for k, v in into.items()},
        enabling_from={k: tuple(v) for k, v in out.items()},
        enablers_of={k: frozenset(r.source for r in v) for k, v in into.items()},
        enabled_by={k: frozenset(r.target for r in v) for k, v in out.items()},
        enablers_at={p: {e: frozenset(t) for e, t in by.items()} for p, by in enablers_at.items()},
        listed_at={p: frozenset(ids) for p, ids in listed_at.items()},
        mechanisms={e: tuple(sorted(m)) for e, m in mechanisms.items()},
        forms=_forms_by_sector(snapshot),
        records=records,
    )


def _forms_by_sector(snapshot: Snapshot) -> dict[str, tuple[_Form, ...]]:
    """The partnerships of the brief's types, by each sector they list."""
    by_sector: dict[str, list[_Form]] = {}
    for p in partnerships(snapshot):
        if p.type is None:
            continue
        form = _Form(p.id, p.type, _unit_name(snapshot, p), _evidence(snapshot, p))
        for sector in p.sectors:
            by_sector.setdefault(sector, []).append(form)
    return {s: tuple(forms) for s, forms in by_sector.items()}


def _unit_name(snapshot: Snapshot, p: Partnership) -> Sentence:
    """The partnership's SSE unit by its short name, then its countries: "IMA Limpia,
    Colombia"."""
    org = snapshot.organizations[p.sse_unit]
    if not org.countries:
        return Sentence("{name}", (("name", org.short_name()),))
    countries = _countries_said(org.countries)
    return Sentence("{name}, {countries}", (("name", org.short_name()), ("countries", countries)))


def _evidence(snapshot: Snapshot, p: Partnership) -> tuple[str, ...]:
    """The partnership's SSE unit and the ties joining its union side to it."""
    union_side = [m for m in p.members if m != p.sse_unit]
    return (p.sse_unit, *(r.id for r in ties_of(snapshot, p.sse_unit, union_side)))


def _places(org: Organization) -> list[Place]:
    """Each country (``None`` if it lists none) and sector ``org`` lists together."""
    countries: list[str | None] = [*org.countries] or [None]
    return [(c, s) for c in countries for s in org.sectors]


# --- sectors, countries and words ---------------------------------------------------------


def shared_sectors(mine: Iterable[str], theirs: Iterable[str], *, across: bool) -> list[str]:
    """The sectors two organisations share; with ``across`` (two in one country), one working
    across sectors shares every sector of the other."""
    a, b, wide = set(mine), set(theirs), weights().across_sectors
    found = a & b
    if not across:
        return sorted(found)
    if a & wide:
        found |= b
    if b & wide:
        found |= a
    return sorted(found)


def _scope_places(index: _Index, scope: _Scope, home: bool) -> list[Place]:
    """The places of the index in (``home``) or out of the countries of ``scope`` that share
    one of its sectors (at home, working across sectors shares every sector)."""
    if home:
        near = (p for c in sorted(scope.countries) for p in index.places_in.get(c, ()))
    else:
        near = (p for s in sorted(scope.sectors) for p in index.places_of.get(s, ()))
    return [p for p in near if scope.covers(p, home)]


def _across(me: Organization, other: Organization) -> Listed | None:
    """Whichever of the two works across sectors, by short name, or ``None``."""
    wide = weights().across_sectors
    who = tuple(o.short_name() for o in (other, me) if wide & set(o.sectors))
    return Listed(who) if who else None


def _sectors_said(sectors: Iterable[str]) -> tuple[Sentence, ...]:
    """Sectors in words, one working across sectors as "informal work across sectors"."""
    wide = weights().across_sectors
    return tuple(
        Sentence(N_("informal work across sectors"))
        if s in wide
        else Sentence("{sector}", (("sector", s),))
        for s in sectors
    )


def _countries_said(countries: Iterable[str]) -> tuple[Sentence, ...]:
    """Countries named in the reader's language, comma-separated."""
    return tuple(Sentence("{country}", (("country", c),)) for c in countries)


def _joined(parts: Sequence[Sentence], separator: str) -> Sentence:
    """Sentences joined by ``separator`` (punctuation, the same in every language)."""
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = Sentence("{first}" + separator + "{rest}", (("first", part), ("rest", joined)))
    return joined


def _place_key(place: Place) -> tuple[str, str]:
    return (place[0] or "", place[1])


def _places_said(places: Sequence[Place]) -> Sentence:
    """Places in words: "street vending in Kenya; waste picking (no country listed)"."""
    by_sector: dict[str, list[str]] = {}
    for country, sector in places:
        by_sector.setdefault(sector, [])
        if country is not None:
            by_sector[sector].append(country)
    return _joined(
        [
            Sentence(
                N_("{sector} in {countries}"),
                (("sector", _sectors_said([s])), ("countries", _countries_said(sorted(set(c))))),
            )
            if c
            else Sentence(N_("{sector} (no country listed)"), (("sector", _sectors_said([s])),))
            for s, c in sorted(by_sector.items())
        ],
        "; ",
    )


def _names(snapshot: Snapshot, ids: list[str]) -> Sentence | Listed:
    """Short names listed in prose, at most :data:`NAMED`, then "and N more"."""
    names = tuple(snapshot.organization(i).short_name() for i in ids[:NAMED])
    more = len(ids) - len(names)
    if more > 0:
        return Sentence(
            N_("{names} and {count} more"), (("names", ", ".join(names)), ("count", more))
        )
    return Listed(names)
