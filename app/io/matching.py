"""What every importer shares: its report, stable ids, and matching organisations across records.

An organisation named in many records (activities, grants) becomes one organisation: records
with the same org-id style identifier are one, else those with the same folded name are.
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
    """What an import read and made, and every item it skipped or kept with a caveat."""

    origin: str
    record_kind: str
    records_read: int
    organizations: int
    relationships: int
    issues: tuple[Issue, ...] = ()

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


def allocate_ids(bases: Iterable[tuple[K, str]]) -> dict[K, str]:
    """Give each key its base id, or the base plus a hash of the key when that id is taken."""
    ids: dict[K, str] = {}
    taken: set[str] = set()
    for key, base in bases:
        candidate = base if base not in taken else slugify(f"{base}-{digest(repr(key))}")
        ids[key] = candidate
        taken.add(candidate)
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
    """Organisations made from mentions, and the organisation id of every mention."""

    organizations: tuple[Organization, ...]
    ids: Mapping[Mention, str]
    issues: tuple[Issue, ...]


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


def _organization(org_id: str, group: Sequence[Mention]) -> tuple[Organization, list[Issue]]:
    """One organisation from all mentions of it: first name and first stated type win.

    Other names become aliases and every identifier is kept; with no stated type a funder of
    money is a ``funder`` and anyone else an ``ngo``. Its source is the first mention's, which
    is enough to trace the name; each relationship cites its own record.
    """
    names = _distinct_folded(m.name for m in group if m.name)
    identifiers = list(dict.fromkeys(m.identifier for m in group if m.identifier))
    name = names[0] if names else identifiers[0]
    others = [other for m in group for other in m.other_names]
    aliases = _distinct_folded([name, *names[1:], *others])[1:]
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


def match_organizations(mentions: Sequence[Mention]) -> Matched:
    """Match mentions into organisations: same identifier, or without one, same folded name.

    Nothing is duplicated silently: names that differ under one identifier become aliases and
    are noted, and so are conflicting types. Ids are slugs of the identifier (``XM-DAC-7`` ->
    ``xm-dac-7``) or of the name, made unique in order of first mention.
    """
    keys, issues = _keys(mentions)
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(keys[mention], []).append(mention)
    ids = allocate_ids((key, _base_id(key)) for key in groups)
    organizations = []
    for key, group in groups.items():
        organization, notes = _organization(ids[key], group)
        organizations.append(organization)
        issues += notes
    by_mention = {mention: ids[keys[mention]] for mention in mentions}
    return Matched(tuple(organizations), by_mention, tuple(dict.fromkeys(issues)))


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
