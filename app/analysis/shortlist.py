"""A funder's shortlist: the introductions that close the most gaps, each gap counted once.

The brief's ways forward ask funders and enabling partners for "Provision of direct support
for partnership development" and for "Building an enabling ecosystem". A gap
(:mod:`app.analysis.gaps`) is closed by a match (:mod:`app.analysis.matching`) as follows:

- funding sought and not found: an enabler match, for the organisation the money is for, that
  gives money (a FUNDS tie, or ``finance`` among its mechanisms);
- an informal workers' organisation with no union ally: a partner match with a union in its
  country and sector;
- an SSE unit depending on a single enabler, or a partnership with no enabling partner: any
  enabler match for the SSE unit;
- a country and sector with unions but no SSE unit: a partner match, for one of its union-side
  organisations, with an SSE unit in that country and sector;
- an organisation all support runs through: none (support must be rebuilt around it).

A partner match elsewhere is for exchange rather than partnership, so it closes no gap. An
introduction is one match: a partner match joins two organisations whichever asked (and
closes the gaps of both), an enabler match one enabler to one organisation.

Choosing ``n`` introductions that close the most gaps is the maximum coverage problem, which
is NP-hard. When the choices are few (at most :data:`EXACT_LIMIT` sets of ``n`` to compare),
every set is compared and the best kept (ties: the highest total score): the answer is exact.
Otherwise the choice is greedy: each pick closes the most gaps not yet closed (ties: the
higher score), which closes at least 1 - 1/e (about 63%) as many gaps as the best choice
(Nemhauser, Wolsey and Fisher 1978, "An analysis of approximations for maximizing submodular
set functions"). The answer says which. Of the introductions closing the same gaps only the
best-scoring one is a choice; each pick lists the gaps it closes that earlier picks did not.

An introduction that closes no more gaps than a better-scoring one is never needed, so only
the first tier of matches (in the organisation's own country) is looked at, but for enablers
when it has no one, or no one giving money where money is sought; this keeps the shortlist to
seconds on tens of thousands of organisations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb
from typing import Annotated, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.analysis.gaps import Gap, gaps
from app.analysis.matching import Candidate, Match, MatchKind, explain, ranked, shared_sectors
from app.analysis.snapshot import Snapshot
from app.domain.messages import N_, Sentence
from app.domain.vocabulary import vocabulary

EXACT_LIMIT = 20_000
"""Most sets of ``n`` introductions compared one by one; beyond, the choice is greedy."""
GREEDY = N_(
    "Greedy: each pick is the introduction that closes the most gaps not yet closed (ties: "
    "the higher score). Choosing {n} introductions to close the most gaps is the maximum "
    "coverage problem, which is NP-hard; the greedy choice closes at least 1 - 1/e (about "
    "63%) as many gaps as the best one (Nemhauser, Wolsey and Fisher 1978)."
)
EXACT = N_(
    "Exact: every set of {n} among the {m} introductions that close a gap (the best-scoring "
    "of those closing the same gaps) was compared, and none closes more gaps than this one "
    "(ties: the highest total score)."
)
Method = Literal["exact", "greedy"]


@dataclass(frozen=True)
class Remedy:
    """The kind of match that may close a gap, and whose matches to look among (the first is
    the one a gap links to)."""

    kind: MatchKind
    organizations: tuple[str, ...]


@dataclass(frozen=True)
class Introduction:
    """One pick: a match of ``kind`` for ``organization``, and the gaps it closes that the
    picks before it did not."""

    kind: MatchKind
    organization: str
    match: Match
    closes: tuple[Gap, ...]


@dataclass(frozen=True)
class Shortlist:
    """Up to ``n`` introductions, the method that chose them and in words how, and how many
    gaps they close, of those some match could close and of all the gaps."""

    n: int
    method: Method
    how: str
    picks: tuple[Introduction, ...]
    closed: int
    closable: int
    gaps: int
    said: Annotated[Sentence, Field(exclude=True), SkipJsonSchema()]
    """How, ``how`` in English, to be said in a reader's language; not part of an answer's
    JSON."""


def remedy(snapshot: Snapshot, gap: Gap) -> Remedy | None:
    """The kind of match that may close ``gap`` and for whom, or ``None`` (module rules)."""
    orgs = gap.organizations
    if gap.kind == "funding_sought_not_found":
        return Remedy("enabler", (orgs[1],))
    if gap.kind == "single_enabler_dependency":
        return Remedy("enabler", (orgs[0],))
    if gap.kind == "partnership_without_enabler":
        units = [i for i in orgs if _family(snapshot, i) == "sse_units"]
        return Remedy("enabler", tuple(units))
    if gap.kind in ("worker_organisation_without_union_ally", "cell_without_sse_unit"):
        return Remedy("partner", orgs)
    return None


def closes(snapshot: Snapshot, gap: Gap, match: Candidate) -> bool:
    """Whether ``match`` (for one of the gap's remedy organisations) closes ``gap``."""
    if gap.kind == "funding_sought_not_found":
        return "finance" in match.mechanisms
    if gap.kind in ("single_enabler_dependency", "partnership_without_enabler"):
        return True
    if match.tier != "same_country_and_sector":
        return False
    family = _family(snapshot, match.organization)
    if gap.kind == "worker_organisation_without_union_ally":
        return family == "unions"
    if gap.kind == "cell_without_sse_unit" and family == "sse_units":
        other = snapshot.organizations[match.organization]
        sector = [gap.sector] if gap.sector else []
        in_cell = bool(shared_sectors(sector, other.sectors, across=True))
        return gap.country in other.countries and in_cell
    return False


def shortlist(snapshot: Snapshot, n: int, *, exact_limit: int = EXACT_LIMIT) -> Shortlist:
    """The introductions, at most ``n``, that close the most gaps of ``snapshot``."""
    found = gaps(snapshot)
    options = _options(snapshot, found)
    chosen, method = cover(
        [o.gaps for o in options], [o.candidate.score for o in options], n, exact_limit
    )
    picks, done = [], set[int]()
    for i in chosen:
        option = options[i]
        new = sorted(option.gaps - done)
        done |= option.gaps
        match = explain(snapshot, option.organization, option.candidate)
        picks.append(
            Introduction(option.kind, option.organization, match, tuple(found[g] for g in new))
        )
    closable = len(set().union(*(o.gaps for o in options)))
    # The counts as digits alone, as the JSON's "how" has always written them.
    how = Sentence(
        EXACT if method == "exact" else GREEDY, (("n", str(n)), ("m", str(len(options))))
    )
    return Shortlist(
        n=n,
        method=method,
        how=how.say(),
        picks=tuple(picks),
        closed=len(done),
        closable=closable,
        gaps=len(found),
        said=how,
    )


@dataclass(frozen=True)
class _Option:
    """An introduction that closes some gaps (by their place in the list of gaps)."""

    kind: MatchKind
    organization: str
    candidate: Candidate
    gaps: frozenset[int]


def _options(snapshot: Snapshot, found: Sequence[Gap]) -> list[_Option]:
    """The introductions that close a gap, the best-scoring one of those closing the same
    gaps, most gaps first, then highest score.

    Each organisation's candidates are tried against its gaps once. An enabler introduction
    closes the gaps of one organisation only, so of its candidates closing the same gaps only
    the first (best) is kept; a partner introduction joins two organisations, and closes the
    gaps of either, so each is kept.
    """
    asks: dict[tuple[str, MatchKind], list[int]] = {}
    for index, gap in enumerate(found):
        wanted = remedy(snapshot, gap)
        if wanted is not None:
            for subject in wanted.organizations:
                asks.setdefault((subject, wanted.kind), []).append(index)
    money = frozenset(g.organizations[1] for g in found if g.kind == "funding_sought_not_found")
    by_key: dict[tuple[str, ...], tuple[MatchKind, str, Candidate, set[int]]] = {}
    for (subject, kind), indexes in asks.items():
        seen: set[frozenset[int]] = set()
        for candidate in _candidates(snapshot, subject, kind, subject in money):
            closed = frozenset(i for i in indexes if closes(snapshot, found[i], candidate))
            if not closed or (kind == "enabler" and closed in seen):
                continue
            seen.add(closed)
            ident = (
                ("partner", *sorted((subject, candidate.organization)))
                if kind == "partner"
                else ("enabler", candidate.organization, subject)
            )
            by_key.setdefault(ident, (kind, subject, candidate, set()))[3].update(closed)
    best: dict[frozenset[int], _Option] = {}
    for kind, subject, candidate, gap_set in by_key.values():
        option = _Option(kind, subject, candidate, frozenset(gap_set))
        kept = best.get(option.gaps)
        if kept is None or option.candidate.score > kept.candidate.score:
            best[option.gaps] = option
    return sorted(best.values(), key=lambda o: (-len(o.gaps), -o.candidate.score, sorted(o.gaps)))


def _candidates(
    snapshot: Snapshot, subject: str, kind: MatchKind, money: bool
) -> tuple[Candidate, ...]:
    """The candidates that may close the gaps of ``subject``. A partner elsewhere closes no
    gap, and an enabler elsewhere closes no more gaps than one at home (which outscores it)
    unless none at home gives money for funding sought: so the first tier is enough, but
    for enablers when it has no one, or no one giving money where ``money`` is sought."""
    home = ranked(snapshot, subject, kind, home_only=True).candidates
    if kind == "partner":
        return home
    if home and (not money or any("finance" in c.mechanisms for c in home)):
        return home
    return ranked(snapshot, subject, kind).candidates


def cover(
    sets: Sequence[frozenset[int]], scores: Sequence[int], n: int, exact_limit: int = EXACT_LIMIT
) -> tuple[tuple[int, ...], Method]:
    """At most ``n`` of ``sets`` (by index) covering the most elements, each counted once, in
    the order a greedy choice among them takes them (those covering nothing new left out),
    and whether the choice is exact or greedy (see the module)."""
    k = min(n, len(sets))
    if comb(len(sets), k) <= exact_limit:
        best: tuple[int, ...] = ()
        most = (-1, 0)
        for chosen in combinations(range(len(sets)), k):
            value = (
                len(frozenset().union(*(sets[i] for i in chosen))),
                sum(scores[i] for i in chosen),
            )
            if value > most:
                best, most = chosen, value
        return _greedy(sets, scores, k, best), "exact"
    return _greedy(sets, scores, k, range(len(sets))), "greedy"


def _greedy(
    sets: Sequence[frozenset[int]], scores: Sequence[int], k: int, among: Sequence[int]
) -> tuple[int, ...]:
    """Up to ``k`` of ``among``, each covering the most elements not yet covered (ties: the
    higher score, then the earlier one); stops when none covers anything new."""
    left, covered, picked = list(among), set[int](), []
    for _ in range(k):
        gains = [(len(sets[i] - covered), scores[i], -i) for i in left]
        if not gains or max(gains)[0] == 0:
            break
        _, _, best = max(gains)
        picked.append(-best)
        left.remove(-best)
        covered |= sets[-best]
    return tuple(picked)


def _family(snapshot: Snapshot, organization_id: str) -> str:
    return vocabulary().family_of(snapshot.organization(organization_id).type)
