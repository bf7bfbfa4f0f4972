"""What every importer shares: its report, stable ids, and matching organisations across records.

An organisation named in many records (activities, grants) becomes one organisation: records
with the same org-id style identifier are one, else those with the same folded name are. An
organisation already stored (``known``) is reused rather than written again, so an import never
overwrites a curated record and importing the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from app.domain.models import Organization, Source
from app.domain.text import fold
from app.domain.vocabulary import vocabulary

MAX_ID = 120
MAX_TEXT = 500


@dataclass(frozen=True)
class Issue:
    """One input item and what the import did with it: left it out, or kept it with a caveat."""

    item: str
    message: str
    skipped: bool = False


@dataclass(frozen=True)
class ImportReport:
    """What an import read and made, and every item it skipped or kept with a caveat.

    ``created`` holds the ids of the organisations the document adds; ``matched`` pairs each
    imported organisation found among the stored ones (named as imported) with the stored id.
    """

    origin: str
    record_kind: str
    records_read: int
    organizations: int
    relationships: int
    issues: tuple[Issue, ...] = ()
    created: tuple[str, ...] = ()
    matched: tuple[tuple[str, str], ...] = ()

    @property
    def skipped(self) -> tuple[Issue, ...]:
        """Items left out of the document, each with the reason."""
        return tuple(issue for issue in self.issues if issue.skipped)

    @property
    def notes(self) -> tuple[Issue, ...]:
        """Items imported with a caveat, such as a merged name or an unknown identifier."""
        return tuple(issue for issue in self.issues if not issue.skipped)


def digest(text: str) -> str:
    """A short stable hash of ``text``, to keep ids unique after they are clipped."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def slugify(text: str) -> str:
    """``text`` folded (lower case, no accents) with each run of other characters as a hyphen.

    A slug longer than an id may be is clipped and ends in a hash of the whole, so that two
    long texts that share a beginning still get different slugs.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) <= MAX_ID:
        return slug
    return f"{slug[: MAX_ID - 9].rstrip('-')}-{digest(slug)}"


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line and at most ``limit`` characters, since model texts are bounded."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."


K = TypeVar("K", bound=Hashable)


def alternative_id(key: Hashable, base: str) -> str:
    """The id a key gets when its base id is taken: the base plus a hash of the key."""
    return slugify(f"{base}-{digest(repr(key))}")


def allocate_ids(bases: Iterable[tuple[K, str]], taken: Iterable[str] = ()) -> dict[K, str]:
    """Give each key its base id, or :func:`alternative_id` when that id is already taken.

    ``taken`` holds ids in use before this import, such as those of stored organisations.
    """
    ids: dict[K, str] = {}
    used = set(taken)
    for key, base in bases:
        candidate = base if base not in used else alternative_id(key, base)
        ids[key] = candidate
        used.add(candidate)
    return ids


def file_name(origin: str) -> str:
    """The last part of ``origin``: the locator of every source an import writes."""
    return PurePath(origin).name or origin


@dataclass(frozen=True)
class Mention:
    """One naming of an organisation in the input, before mentions are matched.

    ``org_type`` is set when the input states a type we can map; ``funds`` says the input names
    it as the giver of money, which makes it a funder when no type is stated. An identifier with
    ``match_identifier`` false is kept on the organisation but too unlike an org-id to match on.
    """

    name: str | None
    identifier: str | None
    source: Source
    other_names: tuple[str, ...] = ()
    org_type: str | None = None
    funds: bool = False
    match_identifier: bool = True

    def __post_init__(self) -> None:
        if not (self.name or self.identifier):
            raise ValueError("a mention needs a name or an identifier")


@dataclass(frozen=True)
class Matched:
    """Organisations made from mentions, the organisation id of every mention, and stored reuse.

    ``organizations`` are the new records only; ``reused`` pairs each imported organisation that
    is a stored one (named as imported) with the stored id; ``by_id`` holds every organisation a
    mention maps to, new or stored, so that ties can be checked against the vocabulary.
    """

    organizations: tuple[Organization, ...]
    ids: Mapping[Mention, str]
    issues: tuple[Issue, ...]
    reused: tuple[tuple[str, str], ...]
    by_id: Mapping[str, Organization]


@dataclass(frozen=True)
class _Stored:
    """Organisations already stored, by id, by identifier and by folded name or alias."""

    by_id: Mapping[str, Organization]
    by_identifier: Mapping[str, frozenset[str]]
    by_name: Mapping[str, frozenset[str]]


def _identifier_key(identifier: str) -> str:
    """An identifier as compared with stored ones, where case and spacing do not count."""
    return " ".join(identifier.split()).casefold()


def _stored(known: Sequence[Organization]) -> _Stored:
    """Index the stored organisations for matching."""
    by_identifier: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for org in known:
        for identifier in org.identifiers:
            by_identifier.setdefault(_identifier_key(identifier), set()).add(org.id)
        for text in (org.name, *org.aliases):
            by_name.setdefault(fold(text), set()).add(org.id)
    return _Stored(
        by_id={org.id: org for org in known},
        by_identifier={key: frozenset(ids) for key, ids in by_identifier.items()},
        by_name={key: frozenset(ids) for key, ids in by_name.items()},
    )


def _identity(mention: Mention) -> str | None:
    """The slug of the identifier a mention is matched on, if it has one to match on."""
    if mention.identifier and mention.match_identifier:
        return slugify(mention.identifier) or None
    return None


def _keys(mentions: Sequence[Mention]) -> tuple[dict[Mention, str], list[Issue]]:
    """Group key of each mention: its identifier, else the one identified org of its name.

    A name shared by organisations with different identifiers matches none of them, so the
    mention stays apart (with a note) rather than being joined to a guess.
    """
    keys: dict[Mention, str] = {}
    by_name: dict[str, set[str]] = {}
    for mention in mentions:
        identity = _identity(mention)
        if identity:
            keys[mention] = f"id:{identity}"
            if mention.name:
                by_name.setdefault(fold(mention.name), set()).add(keys[mention])
    issues = []
    for mention in mentions:
        if mention in keys:
            continue
        label = mention.name or mention.identifier or ""
        candidates = sorted(by_name.get(fold(label), set()))
        keys[mention] = candidates[0] if len(candidates) == 1 else f"name:{fold(label)}"
        if len(candidates) > 1:
            shown = ", ".join(key.removeprefix("id:") for key in candidates)
            message = f"the name matches organisations with different identifiers ({shown})"
            issues.append(Issue(f"organisation '{label}'", f"{message}; kept apart"))
    return keys, issues


def _base_id(key: str) -> str:
    """The id an organisation group would like: its identifier slug, else its name slug."""
    kind, value = key.split(":", 1)
    if kind == "id":
        return value
    return slugify(value) or f"org-{digest(value)}"


def _distinct_folded(texts: Iterable[str]) -> list[str]:
    """``texts`` without repeats, two texts being the same when their folded forms are."""
    seen: set[str] = set()
    kept = []
    for text in texts:
        folded = fold(text)
        if folded and folded not in seen:
            seen.add(folded)
            kept.append(text)
    return kept


def _identifiers(group: Sequence[Mention]) -> list[str]:
    """Every identifier the mentions of one organisation give, each once, in order."""
    return list(dict.fromkeys(m.identifier for m in group if m.identifier))


def _names(group: Sequence[Mention]) -> list[str]:
    """The name an organisation goes by (its first name, else identifier), then its aliases."""
    names = [m.name for m in group if m.name]
    first = names[0] if names else _identifiers(group)[0]
    return _distinct_folded([first, *names, *(other for m in group for other in m.other_names)])


def _label(group: Sequence[Mention]) -> str:
    """How the report names an imported organisation: its name, and its identifier if any."""
    name = _names(group)[0]
    identifiers = _identifiers(group)
    return f"{name} ({identifiers[0]})" if identifiers and identifiers[0] != name else name


def _unlisted(record: str, group: Sequence[Mention], org: Organization) -> list[Issue]:
    """A note when a group matched by name has identifiers the stored record does not list."""
    listed = {_identifier_key(identifier) for identifier in org.identifiers}
    missing = [i for i in _identifiers(group) if _identifier_key(clip(i)) not in listed]
    if not missing:
        return []
    message = (
        f"matched by name to stored '{org.id}', which does not list {', '.join(missing)}; "
        "the stored record is left as it is"
    )
    return [Issue(record, message)]


def _find_stored(
    key: str, group: Sequence[Mention], stored: _Stored
) -> tuple[str | None, list[Issue]]:
    """The stored organisation a group is: by identifier first, else by folded name or alias.

    When several stored organisations qualify, the one this import itself would write for the
    group wins, so re-importing a file reuses its own records. Otherwise an identifier goes to
    the first of its holders by id (each claims it), while a shared name matches none of them.
    """
    own = {_base_id(key), alternative_id(key, _base_id(key))}
    record = f"organisation '{_label(group)}'"
    claimed = {
        _identifier_key(clip(m.identifier)) for m in group if m.identifier and m.match_identifier
    }
    holders = sorted(
        {org_id for ident in claimed for org_id in stored.by_identifier.get(ident, ())}
    )
    if holders:
        chosen = next((org_id for org_id in holders if org_id in own), holders[0])
        if len(holders) == 1:
            return chosen, []
        message = (
            f"its identifier is on stored organisations {', '.join(holders)}; taken as {chosen}"
        )
        return chosen, [Issue(record, message)]
    for text in _names(group):
        candidates = sorted(stored.by_name.get(fold(clip(text)), ()))
        if not candidates:
            continue
        fallback = candidates[0] if len(candidates) == 1 else None
        named = next((org_id for org_id in candidates if org_id in own), fallback)
        if named is None:
            message = f"the name '{text}' is on stored organisations {', '.join(candidates)}"
            return None, [Issue(record, f"{message}; imported as a new organisation")]
        return named, _unlisted(record, group, stored.by_id[named])
    return None, []


def _organization(org_id: str, group: Sequence[Mention]) -> tuple[Organization, list[Issue]]:
    """One organisation from all mentions of it: first name and first stated type win.

    Other names become aliases and every identifier is kept; with no stated type a funder of
    money is a ``funder`` and anyone else an ``ngo``. Its source is the first mention's, which
    is enough to trace the name; each relationship cites its own record.
    """
    names = _distinct_folded(m.name for m in group if m.name)
    identifiers = _identifiers(group)
    name, *aliases = _names(group)
    types = list(dict.fromkeys(m.org_type for m in group if m.org_type))
    org_type = types[0] if types else ("funder" if any(m.funds for m in group) else "ngo")
    record = f"organisation '{org_id}'"
    issues = []
    if len(types) > 1:
        issues.append(Issue(record, f"given types {', '.join(types)}; typed {org_type}"))
    if len(names) > 1:
        shown = "; ".join(names)
        message = f"identifier {identifiers[0]} comes with several names ({shown})"
        issues.append(Issue(record, f"{message}; one organisation, other names as aliases"))
    organization = Organization(
        id=org_id,
        name=clip(name),
        aliases=[clip(alias) for alias in aliases],
        type=org_type,
        movement="public" if org_type == "public_body" else "enabler",
        identifiers=[clip(identifier) for identifier in identifiers],
        sources=[group[0].source],
    )
    return organization, issues


def match_organizations(mentions: Sequence[Mention], known: Sequence[Organization] = ()) -> Matched:
    """Match mentions into organisations: same identifier, or without one, same folded name.

    Nothing is duplicated silently: names that differ under one identifier become aliases and
    are noted, and so are conflicting types. An organisation that is one of ``known`` (see
    :func:`_find_stored`) keeps its stored id and is not made again, so the stored record stays
    as curated. New ids are slugs of the identifier (``XM-DAC-7`` -> ``xm-dac-7``) or of the
    name, made unique in order of first mention and never one of a known organisation.
    """
    keys, issues = _keys(mentions)
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(keys[mention], []).append(mention)
    stored = _stored(known)
    found: dict[str, str] = {}
    for key, group in groups.items():
        org_id, notes = _find_stored(key, group, stored)
        issues += notes
        if org_id is not None:
            found[key] = org_id
    new = [key for key in groups if key not in found]
    ids = {**allocate_ids(((key, _base_id(key)) for key in new), stored.by_id), **found}
    organizations = []
    for key in new:
        organization, notes = _organization(ids[key], groups[key])
        organizations.append(organization)
        issues += notes
    by_id = {org.id: org for org in organizations}
    by_id.update((org_id, stored.by_id[org_id]) for org_id in found.values())
    return Matched(
        organizations=tuple(organizations),
        ids={mention: ids[keys[mention]] for mention in mentions},
        issues=tuple(dict.fromkeys(issues)),
        reused=tuple((_label(groups[key]), org_id) for key, org_id in found.items()),
        by_id=by_id,
    )


def funds_refusal(source_type: str, target_type: str) -> str | None:
    """Why the vocabulary forbids FUNDS from ``source_type`` to ``target_type``, or None."""
    rule = vocabulary().relationship_types["FUNDS"]
    for end, org_type, allowed in (
        ("source", source_type, rule.source_types),
        ("target", target_type, rule.target_types),
    ):
        if org_type not in allowed:
            shown = ", ".join(sorted(allowed))
            return f"the vocabulary does not allow a {org_type} as the {end} of FUNDS ({shown})"
    return None
