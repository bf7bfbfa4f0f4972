"""Matching the organisations an open-data file names, among its records and with stored ones.

The rule is to never merge two different organisations:

* **Identifiers.** Records join on an identifier only when it is a well-formed org-id
  (:func:`app.domain.orgids.read_org_id`). A bare list code (``GB-REV``), a placeholder, an
  unknown list or a publisher's own code is kept as text, never matched on, and reported once
  per file with the records that carry it. One identifier carried by records with clearly
  different names (four scout groups under one umbrella charity number) is reported as
  ambiguous and those records stay apart.
* **Names within a file.** A record without a usable identifier joins the one identified
  organisation of the same name (:func:`app.domain.names.name_key`), else the other records of
  that name and countries.
* **Stored organisations.** A shared identifier is a match. A name or alias match is refused
  when the two sides hold different numbers of one org-id list or name disjoint countries,
  applied when they share a country (or a curator accepted the pair before), and otherwise
  queued as a :class:`~app.io.report.Candidate` with its evidence: the import makes its own
  organisation and a curator decides. Names that are close but not equal (RapidFuzz
  ``token_sort_ratio`` of at least :data:`NEAR_NAME`) are queued the same way.

An organisation already stored is reused rather than written again, so an import never
overwrites a curated record and importing the same file twice adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from rapidfuzz import fuzz, process

from app.domain.messages import N_
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.names import acronym_key, initials, name_key, words
from app.domain.orgids import OrgId, read_org_id
from app.domain.vocabulary import vocabulary
from app.io.ids import allocate_ids, alternative_id, clip, digest, file_name, slugify
from app.io.report import Candidate, Issue

SAME_NAME = 90
"""Names whose RapidFuzz ``token_sort_ratio`` reaches this are one name spelt two ways."""
NEAR_NAME = 92
"""A stored name this close to an imported one is worth a curator's look."""
MAX_SHOWN = 5
"""Records named in one report item before the rest are counted."""

Decisions = Mapping[tuple[str, str], bool]
"""Earlier review decisions: (name key of the imported name, stored id) -> accepted."""
NO_DECISIONS: Decisions = MappingProxyType({})

EXPLAINED = {
    "bare prefix": "is a list code with no number",
    "placeholder": "has a placeholder for its number",
    "not an identifier": "is not an org-id (a publisher's own code or free text)",
}


@dataclass(frozen=True)
class Mention:
    """One naming of an organisation in the input, before mentions are matched.

    ``org_type`` is set when the input states a type we can map; ``funds`` says the input names
    it as the giver of money, which makes it a funder when no type is stated. ``countries``
    are ISO codes the record states; ``record`` names the record in reports (its citation
    when not given).
    """

    name: str | None
    identifier: str | None
    source: Source = field(compare=False)
    """Left out of equality and hashing: a source holds a list (its ``fields``), so it has no
    hash; mentions are keys by what they name and where."""
    other_names: tuple[str, ...] = ()
    org_type: str | None = None
    funds: bool = False
    countries: tuple[str, ...] = ()
    record: str = ""

    def __post_init__(self) -> None:
        if not (self.name or self.identifier):
            raise ValueError("a mention needs a name or an identifier")

    @property
    def where(self) -> str:
        """How reports name the record that carries this mention."""
        return self.record or self.source.citation

    @property
    def org_id(self) -> OrgId | None:
        """The identifier read as an org-id, if the mention gives one."""
        return read_org_id(self.identifier) if self.identifier else None

    @property
    def key(self) -> str | None:
        """The org-id key this mention may be matched on, if its identifier is well formed."""
        found = self.org_id
        return found.key if found else None


@dataclass(frozen=True)
class Matched:
    """Organisations made from mentions, the organisation id of every mention, and stored reuse.

    ``organizations`` are the new records only; ``reused`` pairs each imported organisation that
    is a stored one (named as imported) with the stored id; ``by_id`` holds every organisation a
    mention maps to, new or stored, so that ties can be checked against the vocabulary;
    ``candidates`` are the name matches left for review.
    """

    organizations: tuple[Organization, ...]
    ids: Mapping[Mention, str]
    issues: tuple[Issue, ...]
    reused: tuple[tuple[str, str], ...]
    by_id: Mapping[str, Organization]
    candidates: tuple[Candidate, ...] = ()


def _forms(name: str) -> list[str]:
    """A name and the parts it often packs two forms in: "NIDOS - Network of ...",
    "Self-Employed Women's Association (SEWA)"."""
    inner = re.findall(r"\(([^()]+)\)", name)
    outer = re.sub(r"\([^()]*\)", " ", name)
    pieces = [part for part in re.split(r"\s+[-\u2013\u2014:]\s+", outer) if part.strip()]
    return list(dict.fromkeys([name, outer.strip(), *pieces, *inner]))


def _one_form(first: str, second: str) -> bool:
    a, b = name_key(first), name_key(second)
    if not (a and b):
        return False
    if a == b or fuzz.token_sort_ratio(a, b) >= SAME_NAME:
        return True
    if acronym_key(first) and acronym_key(first) == initials(second):
        return True
    if acronym_key(second) and acronym_key(second) == initials(first):
        return True
    small, large = sorted((set(words(first)), set(words(second))), key=len)
    return bool(small) and small <= large and len(large - small) <= 1


def same_name(first: str, second: str) -> bool:
    """Whether two names are one organisation's: equal once normalised, one spelling of the
    other, an acronym of the other, or the other with one more word ("World Vision UK"),
    comparing also the forms a name packs ("NIDOS - Network of ...", "... (SEWA)")."""
    return any(_one_form(a, b) for a in _forms(first) for b in _forms(second))


@dataclass
class _Group:
    """The mentions taken for one organisation, and what the file says about it."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)
    shared: bool = False

    @property
    def names(self) -> list[str]:
        """Its first name (else identifier), then its other names, each once."""
        names = [m.name for m in self.mentions if m.name]
        first = names[0] if names else (self.identifiers or self.unusable or [self.key])[0]
        others = [other for m in self.mentions for other in m.other_names]
        return _distinct([first, *names, *others])

    @property
    def identifiers(self) -> list[str]:
        """The well-formed org-ids its mentions give, each once, in order; none when the
        identifier is ``shared`` with organisations of other names."""
        found = (m.identifier for m in self.mentions if m.identifier and m.key)
        return [] if self.shared else list(dict.fromkeys(found))

    @property
    def citations(self) -> set[str]:
        """The files its mentions come from, as their sources cite them."""
        return {m.source.citation for m in self.mentions}

    @property
    def org_ids(self) -> list[OrgId]:
        return [read_org_id(identifier) for identifier in self.identifiers]

    @property
    def countries(self) -> set[str]:
        """Countries its records state, and the one country of each org-id list it is in."""
        stated = {c for m in self.mentions for c in m.countries}
        return stated | {o.country for o in self.org_ids if o.country}

    @property
    def label(self) -> str:
        """How the report names it: its name, and its identifier if any."""
        name, identifiers = self.names[0], self.identifiers
        return f"{name} ({identifiers[0]})" if identifiers and identifiers[0] != name else name


def _distinct(texts: Iterable[str]) -> list[str]:
    """``texts`` without repeats, two texts being the same when their name keys are."""
    seen: set[str] = set()
    kept = []
    for text in texts:
        key = name_key(text) or text
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return kept


def _shown(records: Sequence[str]) -> str:
    """Some record names, then how many more there are."""
    distinct = list(dict.fromkeys(records))
    more = len(distinct) - MAX_SHOWN
    return ", ".join(distinct[:MAX_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _explained(found: OrgId) -> str:
    """What is wrong with an identifier that is not a usable org-id, naming its list."""
    listed = f" of the list {found.prefix} ({found.list.name})" if found.list else ""
    if found.kind == "bare prefix":
        return f"is the code{listed} with no number"
    if found.kind == "placeholder":
        return f"has a placeholder for its number{listed}"
    return EXPLAINED[found.kind]


def _identifier_issues(mentions: Sequence[Mention]) -> list[Issue]:
    """One item per unusable identifier (and per unknown prefix), naming its records."""
    unusable: dict[str, tuple[OrgId, list[str]]] = {}
    unknown: dict[str, list[str]] = {}
    for mention in mentions:
        found = mention.org_id
        if found is None:
            continue
        if found.kind == "unknown prefix" and found.prefix:
            unknown.setdefault(found.prefix, []).append(found.text)
        elif found.kind in EXPLAINED:
            unusable.setdefault(found.text, (found, []))[1].append(mention.where)
    issues = [
        Issue(
            f"identifier '{text}'",
            f"{_explained(found)}; kept as text, not matched on; in {_shown(records)}",
            reason=f"identifier {EXPLAINED[found.kind].split(' (')[0]}",
        )
        for text, (found, records) in unusable.items()
    ]
    issues += [
        Issue(
            f"prefix '{prefix}'",
            f"not a list of the org-id register; {len(texts)} identifier(s), such as "
            f"'{texts[0]}', kept as text, not matched on",
            reason="unknown org-id prefix",
        )
        for prefix, texts in unknown.items()
    ]
    return issues


def _clusters(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Mentions of one identifier split by name: each joins the first cluster of its name."""
    clusters: list[tuple[str, list[Mention]]] = []
    for mention in mentions:
        home = next(
            (c for name, c in clusters if mention.name and same_name(name, mention.name)), None
        )
        if home is None and (mention.name or not clusters):
            clusters.append((mention.name or "", [mention]))
        else:
            (home if home is not None else clusters[0][1]).append(mention)
    return [cluster for _, cluster in clusters]


def _name_key(mention: Mention) -> str:
    label = mention.name or mention.identifier or ""
    return name_key(label) or label.casefold()


def _groups(
    mentions: Sequence[Mention],
) -> tuple[dict[str, _Group], dict[Mention, str], list[Issue]]:
    """Group the mentions into organisations; the issues say which identifiers were ambiguous."""
    by_identifier: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.key:
            by_identifier.setdefault(mention.key, []).append(mention)
    groups: dict[str, _Group] = {}
    keys: dict[Mention, str] = {}
    issues: list[Issue] = []
    named: dict[str, set[str]] = {}
    for identifier, carried in by_identifier.items():
        clusters = _clusters(carried)
        if len(clusters) == 1:
            groups[f"id:{identifier}"] = _Group(f"id:{identifier}", list(carried))
            keys.update((m, f"id:{identifier}") for m in carried)
            named.setdefault(_name_key(carried[0]), set()).add(f"id:{identifier}")
            continue
        names = [cluster[0].name or identifier for cluster in clusters]
        issues.append(
            Issue(
                f"identifier '{carried[0].identifier}'",
                f"carried by {len(clusters)} organisations with different names "
                f"({'; '.join(names[:MAX_SHOWN])}); kept apart, the identifier kept as text",
                reason="identifier shared by different names",
            )
        )
        for cluster in clusters:
            key = f"name:{_name_key(cluster[0])}"
            group = groups.setdefault(key, _Group(key, shared=True))
            group.mentions += cluster
            group.unusable.append(carried[0].identifier or identifier)
            keys.update((m, key) for m in cluster)
    for mention in mentions:
        if mention in keys:
            continue
        label_key = _name_key(mention)
        identified = sorted(named.get(label_key, set()))
        if len(identified) == 1 and _compatible(mention, groups[identified[0]]):
            key = identified[0]
        else:
            countries = ",".join(sorted(mention.countries))
            key = f"name:{label_key}" + (f"@{countries}" if countries else "")
        if len(identified) > 1:
            shown = ", ".join(k.removeprefix("id:") for k in identified)
            message = f"the name matches organisations with different identifiers ({shown})"
            issues.append(
                Issue(f"organisation '{mention.name}'", f"{message}; kept apart", reason=message)
            )
        group = groups.setdefault(key, _Group(key))
        group.mentions.append(mention)
        if mention.identifier and not mention.key:
            group.unusable.append(mention.identifier)
        keys[mention] = key
    return groups, keys, issues


def _compatible(mention: Mention, group: _Group) -> bool:
    """Whether a mention's countries leave it free to join a group: none, or one in common."""
    theirs = group.countries
    return not (mention.countries and theirs) or bool(set(mention.countries) & theirs)


@dataclass(frozen=True)
class _Stored:
    """Organisations already stored, by id, by org-id key and by name key of name or alias."""

    by_id: Mapping[str, Organization]
    by_identifier: Mapping[str, frozenset[str]]
    by_name: Mapping[str, frozenset[str]]
    names: tuple[tuple[str, str], ...]
    keys: tuple[str, ...]
    """The name keys of ``names`` in order, as RapidFuzz searches them (made once)."""


def _stored(known: Sequence[Organization]) -> _Stored:
    """Index the stored organisations for matching."""
    by_identifier: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for org in known:
        for identifier in org.identifiers:
            key = read_org_id(identifier).key
            if key:
                by_identifier.setdefault(key, set()).add(org.id)
        for text in (org.name, *org.aliases):
            by_name.setdefault(name_key(text), set()).add(org.id)
    names = tuple((key, org_id) for key, ids in by_name.items() for org_id in sorted(ids))
    return _Stored(
        by_id={org.id: org for org in known},
        by_identifier={key: frozenset(ids) for key, ids in by_identifier.items()},
        by_name={key: frozenset(ids) for key, ids in by_name.items()},
        names=names,
        keys=tuple(key for key, _ in names),
    )


def _base_id(key: str) -> str:
    """The id an organisation group would like: its identifier slug, else its name slug."""
    kind, value = key.split(":", 1)
    if kind == "id":
        return slugify(value)
    name = value.split("@", 1)[0]
    return slugify(name) or f"org-{digest(value)}"


def _own(group: _Group, org: Organization) -> bool:
    """Whether ``org`` is what this import wrote for the group before: the id it would write,
    and a source citing the same file."""
    ids = {_base_id(group.key), alternative_id(group.key, _base_id(group.key))}
    return org.id in ids and bool(group.citations & {s.citation for s in org.sources})


@dataclass(frozen=True)
class _Verdict:
    """What a name match with one stored organisation comes to: certain, refused or for review."""

    stored: str
    outcome: str
    evidence_for: tuple[str, ...]
    evidence_against: tuple[str, ...]
    score: float


def _weigh(group: _Group, org: Organization, text: str, decisions: Decisions) -> _Verdict:
    """Weigh a name match between an imported group and a stored organisation."""
    score = float(fuzz.token_sort_ratio(name_key(group.names[0]), name_key(text)))
    equal = name_key(text) in {name_key(n) for n in group.names}
    support = [f"same name '{text}'" if equal else f"similar name '{text}' ({score:.0f}/100)"]
    against: list[str] = []
    decided = decisions.get((name_key(group.names[0]), org.id))
    stored_ids = [read_org_id(i) for i in org.identifiers]
    clashes = [
        f"{mine.text} and {theirs.text}"
        for mine in group.org_ids
        for theirs in stored_ids
        if theirs.key and mine.list == theirs.list and mine.key != theirs.key
    ]
    ours, theirs_countries = group.countries, set(org.countries)
    shared = sorted(ours & theirs_countries)
    if clashes:
        against.append(f"different numbers in one org-id list: {'; '.join(clashes)}")
    if ours and theirs_countries and not shared:
        against.append(
            f"different countries: {', '.join(sorted(ours))} against "
            f"{', '.join(sorted(theirs_countries))}"
        )
    if shared:
        support.append(f"both in {', '.join(shared)}")
    else:
        if not ours:
            against.append(N_("the imported record states no country"))
        if not theirs_countries:
            against.append(N_("the stored record states no country"))
    if not set(group.identifiers) & set(org.identifiers):
        against.append(N_("no shared identifier"))
    if decided:
        support.append(N_("accepted by a curator before"))
    elif decided is not None:
        against.append(N_("rejected by a curator before"))
    if clashes or (ours and theirs_countries and not shared):
        outcome = "refused"
    elif decided is not None:
        outcome = "certain" if decided else "rejected"
    elif equal and shared:
        outcome = "certain"
    else:
        outcome = "review"
    return _Verdict(org.id, outcome, tuple(support), tuple(against), score)


def _name_matches(group: _Group, stored: _Stored) -> list[tuple[str, str]]:
    """Stored (id, name) pairs whose name or alias equals or nearly equals one of the group's."""
    found: dict[str, str] = {}
    for text in group.names:
        key = name_key(text)
        for org_id in sorted(stored.by_name.get(key, ())):
            found.setdefault(org_id, text)
    if stored.names and group.names:
        query = name_key(group.names[0])
        near = process.extract(
            query,
            stored.keys,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=NEAR_NAME,
            limit=5,
        )
        for _, _, index in near:
            name, org_id = stored.names[index]
            found.setdefault(org_id, name)
    return [(org_id, _stored_text(stored.by_id[org_id], text)) for org_id, text in found.items()]


def _stored_text(org: Organization, text: str) -> str:
    """The stored name or alias that matched ``text``: the one with the same name key."""
    return next((n for n in (org.name, *org.aliases) if name_key(n) == name_key(text)), org.name)


@dataclass(frozen=True)
class _Found:
    """Where a group ends up: a stored id (or None for a new organisation) and what to queue."""

    stored: str | None
    issues: tuple[Issue, ...] = ()
    review: tuple[_Verdict, ...] = ()


def _find_stored(group: _Group, stored: _Stored, decisions: Decisions) -> _Found:
    """The stored organisation a group is, by identifier, then by a certain name match."""
    record = f"organisation '{group.label}'"
    holders = sorted(
        {org_id for o in group.org_ids if o.key for org_id in stored.by_identifier.get(o.key, ())}
    )
    if holders:
        chosen = next((o for o in holders if _own(group, stored.by_id[o])), holders[0])
        if len(holders) == 1:
            return _Found(chosen)
        message = f"its identifier is on stored organisations {', '.join(holders)}"
        issue = Issue(record, f"{message}; taken as {chosen}", reason="identifier on several")
        return _Found(chosen, (issue,))
    matches = _name_matches(group, stored)
    mine = [org_id for org_id, _ in matches if _own(group, stored.by_id[org_id])]
    if mine:
        return _Found(mine[0])
    verdicts = [_weigh(group, stored.by_id[o], text, decisions) for o, text in matches]
    certain = [v for v in verdicts if v.outcome == "certain"]
    issues = tuple(
        Issue(
            record,
            f"same name as stored '{v.stored}' but {'; '.join(v.evidence_against[:1])}; "
            "kept as a separate organisation",
            reason="name match refused",
        )
        for v in verdicts
        if v.outcome == "refused"
    )
    if len(certain) == 1:
        return _Found(certain[0].stored, issues)
    review = tuple(v for v in verdicts if v.outcome == "review" or v in certain)
    return _Found(None, issues, review)


def _organization(org_id: str, group: _Group) -> tuple[Organization, list[Issue]]:
    """One organisation from all mentions of it: first name and first stated type win.

    Other names become aliases, every well-formed identifier is kept and any other identifier
    is quoted in the description; with no stated type a funder of money is a ``funder`` and
    anyone else an ``ngo``. Its source is the first mention's; each tie cites its own record.
    """
    name, *aliases = group.names
    types = list(dict.fromkeys(m.org_type for m in group.mentions if m.org_type))
    funds = any(m.funds for m in group.mentions)
    org_type = types[0] if types else ("funder" if funds else "ngo")
    record = f"organisation '{org_id}'"
    issues = []
    if len(types) > 1:
        issues.append(
            Issue(
                record, f"given types {', '.join(types)}; typed {org_type}", reason="types differ"
            )
        )
    names = _distinct(m.name for m in group.mentions if m.name)
    if len(names) > 1 and group.identifiers:
        message = f"identifier {group.identifiers[0]} comes with several names ({'; '.join(names)})"
        issues.append(
            Issue(
                record, f"{message}; other names kept as aliases", reason="names of one identifier"
            )
        )
    unusable = ", ".join(dict.fromkeys(group.unusable))
    countries = sorted({c for m in group.mentions for c in m.countries})
    why = "shared with organisations of other names" if group.shared else "not a usable org-id"
    description = f"Identifier as given in the source: {unusable} ({why})." if unusable else None
    family = vocabulary().family_of(org_type)
    organization = Organization(
        id=org_id,
        name=clip(name),
        aliases=[clip(alias) for alias in aliases],
        type=org_type,
        movement="public" if family == "public_bodies" else "enabler",
        countries=countries,
        identifiers=[clip(identifier) for identifier in group.identifiers],
        description=clip(description) if description else None,
        sources=[group.mentions[0].source],
    )
    return organization, issues


def _candidate(org: Organization, verdict: _Verdict, stored: Organization) -> Candidate:
    return Candidate(
        imported=org.id,
        imported_name=org.name,
        stored=stored.id,
        stored_name=stored.name,
        score=verdict.score,
        evidence_for=verdict.evidence_for,
        evidence_against=verdict.evidence_against,
    )


def match_organizations(
    mentions: Sequence[Mention],
    known: Sequence[Organization] = (),
    decisions: Decisions = NO_DECISIONS,
) -> Matched:
    """Match mentions into organisations, among themselves and with ``known`` ones.

    See the module docstring for the rules. New ids are slugs of the identifier
    (``XM-DAC-7`` -> ``xm-dac-7``) or of the name, made unique in order of first mention and
    never one of a known organisation. ``decisions`` are curators' earlier verdicts on
    queued name matches, applied again so a decided pair is not queued twice.
    """
    groups, keys, issues = _groups(mentions)
    issues = _identifier_issues(mentions) + issues
    stored = _stored(known)
    found: dict[str, str] = {}
    queued: dict[str, tuple[_Verdict, ...]] = {}
    for key, group in groups.items():
        outcome = _find_stored(group, stored, decisions)
        issues += outcome.issues
        if outcome.stored is not None:
            found[key] = outcome.stored
        elif outcome.review:
            queued[key] = outcome.review
    new = [key for key in groups if key not in found]
    ids = {**allocate_ids(((key, _base_id(key)) for key in new), stored.by_id), **found}
    organizations = []
    candidates = []
    for key in new:
        organization, notes = _organization(ids[key], groups[key])
        organizations.append(organization)
        issues += notes
        candidates += [
            _candidate(organization, v, stored.by_id[v.stored]) for v in queued.get(key, ())
        ]
    by_id = {org.id: org for org in organizations}
    by_id.update((org_id, stored.by_id[org_id]) for org_id in found.values())
    return Matched(
        organizations=tuple(organizations),
        ids={mention: ids[keys[mention]] for mention in mentions},
        issues=tuple(dict.fromkeys(issues)),
        reused=tuple((groups[key].label, org_id) for key, org_id in found.items()),
        by_id=by_id,
        candidates=tuple(candidates),
    )


def funds_refusal(source_type: str, target_type: str) -> str | None:
    """Why the vocabulary forbids FUNDS from ``source_type`` to ``target_type``, or None."""
    vocab = vocabulary()
    rule = vocab.relationship_types["FUNDS"]
    for end, org_type, allowed in (
        ("source", source_type, rule.source_types),
        ("target", target_type, rule.target_types),
    ):
        if org_type not in allowed:
            families = sorted({vocab.family_of(t).replace("_", " ") for t in allowed})
            return (
                f"the vocabulary does not allow a {org_type.replace('_', ' ')} as the {end} "
                f"of FUNDS (allowed: {', '.join(families)})"
            )
    return None


def _generated(org: Organization, origin: str) -> bool:
    """Whether every source of an imported record only cites the file it came from."""
    name = file_name(origin)
    return all(name in s.citation or s.locator == name for s in org.sources)


def settle_ids(
    document: Document,
    known: Sequence[Organization],
    origin: str,
    decisions: Decisions = NO_DECISIONS,
) -> tuple[Document, list[tuple[str, str]], list[Candidate], list[Issue]]:
    """Keep a document whose ids were made from labels (Kumu, Gephi) off stored records.

    An organisation whose made-up id is a stored organisation's, other than one this file
    wrote before, would replace it. Instead it is that organisation when the names are one
    and a country is shared (or a curator accepted the pair), and otherwise gets an id of its
    own, the pair queued for review when the names are one. Records that carry sources of
    their own (our exports) keep replace-by-id, as interchange documents do. Answers the
    document, the matches, the candidates and a note for each moved id.
    """
    stored = {org.id: org for org in known}
    taken = set(stored) | {org.id for org in document.organizations}
    moved: dict[str, str] = {}
    matched: list[tuple[str, str]] = []
    queued: list[tuple[Organization, Organization]] = []
    issues: list[Issue] = []
    kept: list[Organization] = []
    for org in document.organizations:
        other = stored.get(org.id)
        if (
            other is None
            or other == org
            or not _generated(org, origin)
            or _generated(other, origin)
        ):
            kept.append(org)
            continue
        one = same_name(org.name, other.name) or any(
            same_name(org.name, alias) for alias in other.aliases
        )
        decided = decisions.get((name_key(org.name), other.id))
        shared = bool(set(org.countries) & set(other.countries))
        if one and (decided or (decided is None and shared)):
            matched.append((org.name, other.id))
            continue
        new_id = alternative_id(org.id, org.id)
        while new_id in taken:
            new_id = alternative_id(new_id, org.id)
        taken.add(new_id)
        moved[org.id] = new_id
        kept.append(org.model_copy(update={"id": new_id}))
        message = f"its id '{org.id}' is a stored organisation's ({other.name}); given '{new_id}'"
        issues.append(
            Issue(f"organisation '{org.name}'", message, reason="id taken by a stored one")
        )
        if one and decided is None:
            queued.append((kept[-1], other))
    relationships = [
        rel.model_copy(
            update={
                "source": moved.get(rel.source, rel.source),
                "target": moved.get(rel.target, rel.target),
            }
        )
        for rel in document.relationships
    ]
    candidates = [
        Candidate(
            imported=org.id,
            imported_name=org.name,
            stored=other.id,
            stored_name=other.name,
            score=float(fuzz.token_sort_ratio(name_key(org.name), name_key(other.name))),
            evidence_for=(f"same name '{other.name}'", f"the same id '{other.id}' in the file"),
            evidence_against=(N_("no shared country"), N_("no shared identifier")),
        )
        for org, other in queued
    ]
    settled = Document(organizations=kept, relationships=relationships)
    return settled, matched, candidates, issues


def reuse_relationship_ids(document: Document, stored: Sequence[Relationship]) -> Document:
    """The document with each tie that is a stored one (same type, ends and reference) under
    the stored tie's id, so a file imported again after a merge does not add it twice."""
    by_tie = {
        (rel.type, rel.source, rel.target, rel.reference): rel.id for rel in stored if rel.reference
    }
    relationships = [
        rel.model_copy(
            update={"id": by_tie.get((rel.type, rel.source, rel.target, rel.reference), rel.id)}
        )
        if rel.reference
        else rel
        for rel in document.relationships
    ]
    return Document(organizations=document.organizations, relationships=relationships)
