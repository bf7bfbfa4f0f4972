"""Likely duplicate organisations, each pair with the evidence that they are one.

Imports name the same organisation in many ways: by an org-id, by its name with other casing,
accents or punctuation, or by its acronym (the brief writes "Self-Employment Women's
Association (SEWA)"). Three kinds of evidence make a pair:

- a shared identifier, counted only when it is a well-formed org-id of a known register list
  (:func:`app.domain.orgids.read_org_id`, compared by its key, so "gb-chc-1068839" is
  "GB-CHC-1068839"). Importers have stored publishers' own codes as identifiers ("1", "61"),
  and two such codes once paired FAO with a Spanish ministry: a code that is not an org-id
  says nothing about who an organisation is.
- a shared name or alias once normalised (:func:`app.domain.names.name_key`).
- an acronym of one that spells the initials of a name of the other, counted only when the two
  also share a country or a neighbour (a third organisation tied to both by any relationship).
  Three letters spell many names: a 360Giving file import brought in "Evesham Sea Cadets", a
  UK charity, which the seed's "ESC" (Argentina's Emergency Social Committee) spells; two
  organisations with nothing else in common are not one.

A pair is a suggestion for an analyst to review, not a verdict: apart from the acronym rule's
common ground, the type, movement and countries of the two are not compared, since a wrong
type or country is one of the things a duplicate record gets wrong.

Reasons are kept as sentences, said in English to the API (``reasons``) and in the reader's
language on the review page; what they quote (names, identifiers, codes, keys) stays as written.

Every name is indexed under its keys (a dict of key -> organisations), so the work grows with
the number of organisations plus the number of pairs considered, never with all pairs of
organisations.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from app.domain.messages import N_, Sentence
from app.domain.models import Organization, Relationship
from app.domain.names import MIN_ACRONYM_LETTERS, acronym_key, initials, name_key
from app.domain.orgids import read_org_id
from app.store.protocol import GraphStore


@dataclass(frozen=True)
class DuplicatePair:
    """Two organisations that may be one (``first`` < ``second``) and the evidence for it."""

    first: str
    second: str
    reasons: tuple[str, ...]
    said: tuple[Sentence, ...] = field(default=(), compare=False, repr=False)
    """The reasons as sentences, to say in any language; ``reasons`` says them in English."""


Index = dict[str, dict[str, str]]
"""Key -> organisation id -> the first of its texts with that key (to quote in a reason)."""


def _add(index: Index, key: str | None, organization_id: str, text: str) -> None:
    if key:
        index.setdefault(key, {}).setdefault(organization_id, text)


def _indexes(organizations: Iterable[Organization]) -> tuple[Index, Index, Index, Index]:
    """Identifier, name, acronym and initials indexes of every organisation's texts."""
    identifiers: Index = {}
    names: Index = {}
    acronyms: Index = {}
    spelled: Index = {}
    for organization in organizations:
        for identifier in organization.identifiers:
            _add(identifiers, read_org_id(identifier).key, organization.id, identifier)
        for text in (organization.name, *organization.aliases):
            _add(names, name_key(text), organization.id, text)
            _add(acronyms, acronym_key(text), organization.id, text)
            letters = initials(text)
            if len(letters) >= MIN_ACRONYM_LETTERS:
                _add(spelled, letters, organization.id, text)
    return identifiers, names, acronyms, spelled


def neighbours_of(relationships: Iterable[Relationship]) -> dict[str, set[str]]:
    """Organisation id -> the ids it is tied to by any relationship, in either direction."""
    found: dict[str, set[str]] = {}
    for relationship in relationships:
        found.setdefault(relationship.source, set()).add(relationship.target)
        found.setdefault(relationship.target, set()).add(relationship.source)
    return found


def _common_ground(
    a: Organization,
    b: Organization,
    neighbours: Mapping[str, Collection[str]],
    by_id: Mapping[str, Organization],
) -> list[Sentence]:
    """What ``a`` and ``b`` share besides a name: countries, then a third organisation."""
    ground: list[Sentence] = []
    countries = sorted(set(a.countries) & set(b.countries))
    if countries:
        ground.append(Sentence(N_("both in {codes}"), (("codes", ", ".join(countries)),)))
    shared = sorted(set(neighbours.get(a.id, ())) & set(neighbours.get(b.id, ())) - {a.id, b.id})
    if shared:
        first = by_id[shared[0]].name if shared[0] in by_id else shared[0]
        if len(shared) > 1:
            more = (("name", first), ("count", len(shared) - 1))
            ground.append(Sentence(N_("both tied to {name} and {count} more"), more))
        else:
            ground.append(Sentence(N_("both tied to {name}"), (("name", first),)))
    return ground


def _joined(reasons: Sequence[Sentence]) -> Sentence:
    """Several pieces of one reason, said together: "A; B; C"."""
    joined = reasons[0]
    for reason in reasons[1:]:
        joined = Sentence("{first}; {then}", (("first", joined), ("then", reason)))
    return joined


Evidence = dict[tuple[str, str], list[tuple[int, Sentence]]]
"""(first id, second id) -> (rank of the kind of evidence, reason) for each piece found."""


def _note(found: Evidence, a: str, b: str, rank: int, reason: Sentence) -> None:
    found.setdefault((min(a, b), max(a, b)), []).append((rank, reason))


def likely_duplicates(
    organizations: Sequence[Organization],
    *,
    neighbours: Mapping[str, Collection[str]] | None = None,
) -> list[DuplicatePair]:
    """Pairs of organisations that may be one, ordered by ids, each with its reasons.

    ``neighbours`` maps an organisation id to the ids it is tied to, either direction (see
    :func:`neighbours_of`); without it only shared countries back an acronym. Reasons come in
    order: shared org-ids, then names or aliases equal under :func:`name_key`, then acronyms
    of one equal to the :func:`initials` of a name or alias of the other, with what the two
    share.
    """
    ties = neighbours or {}
    by_id = {organization.id: organization for organization in organizations}
    identifiers, names, acronyms, spelled = _indexes(organizations)
    found: Evidence = {}
    for key, holders in identifiers.items():
        for a, b in combinations(sorted(holders), 2):
            _note(found, a, b, 0, Sentence(N_("same identifier {key}"), (("key", key),)))
    for key, holders in names.items():
        for a, b in combinations(sorted(holders), 2):
            same = Sentence(N_("same name or alias after normalising: '{key}'"), (("key", key),))
            _note(found, a, b, 1, same)
    for key, shorts in acronyms.items():
        for a, short in shorts.items():
            for b, full in spelled.get(key, {}).items():
                ground = _common_ground(by_id[a], by_id[b], ties, by_id) if a != b else []
                if ground:
                    spelled_out = (("short", short), ("full", full))
                    acronym = Sentence(N_("'{short}' is the acronym of '{full}'"), spelled_out)
                    _note(found, a, b, 2, _joined([acronym, *ground]))

    def in_order(noted: tuple[int, Sentence]) -> tuple[int, str]:
        return noted[0], noted[1].say()  # by kind of evidence, then as the English reads

    pairs = []
    for (a, b), notes in sorted(found.items()):
        said = tuple(dict.fromkeys(reason for _, reason in sorted(notes, key=in_order)))
        pairs.append(DuplicatePair(a, b, tuple(reason.say() for reason in said), said))
    return pairs


def _listed_ids(organization: Organization) -> dict[str, set[str]]:
    """The organisation's well-formed org-ids by register list: list code -> keys."""
    found: dict[str, set[str]] = {}
    for identifier in organization.identifiers:
        read = read_org_id(identifier)
        if read.key is not None and read.list is not None:
            found.setdefault(read.list.code, set()).add(read.key)
    return found


def differences(a: Organization, b: Organization) -> list[str]:
    """What the two records say against their being one, in English, as the API says it."""
    return [reason.say() for reason in differences_said(a, b)]


def differences_said(a: Organization, b: Organization) -> list[Sentence]:
    """What the two records say against their being one, where both say something.

    Type, movement and countries are not part of the evidence for a pair (see the module's
    notes): a duplicate may get them wrong. A curator still wants to see them disagree, and
    two different numbers in one register list are strong evidence of two organisations.
    """
    against: list[Sentence] = []
    if a.type != b.type:
        types = (("first", a.type), ("second", b.type))
        against.append(Sentence(N_("different types: {first} and {second}"), types))
    if a.movement != b.movement:
        movements = (("first", a.movement), ("second", b.movement))
        against.append(Sentence(N_("different movements: {first} and {second}"), movements))
    if a.countries and b.countries and not set(a.countries) & set(b.countries):
        codes = (("first", ", ".join(a.countries)), ("second", ", ".join(b.countries)))
        against.append(Sentence(N_("no country in common: {first} and {second}"), codes))
    ids_a, ids_b = _listed_ids(a), _listed_ids(b)
    for code in sorted(set(ids_a) & set(ids_b)):
        if not ids_a[code] & ids_b[code]:
            numbers = (("code", code), ("numbers", ", ".join(sorted(ids_a[code] | ids_b[code]))))
            message = N_("different numbers in the {code} register: {numbers}")
            against.append(Sentence(message, numbers))
    return against


def pairs_to_review(store: GraphStore) -> tuple[list[DuplicatePair], dict[str, Organization]]:
    """The likely duplicates of the stored graph that no curator has rejected, and every
    organisation by id (to show the pairs with)."""
    graph = store.export()
    rejected = {pair.key for pair in store.rejected_duplicates()}
    found = likely_duplicates(graph.organizations, neighbours=neighbours_of(graph.relationships))
    by_id = {organization.id: organization for organization in graph.organizations}
    return [p for p in found if (p.first, p.second) not in rejected], by_id
