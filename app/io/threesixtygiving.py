"""Import 360Giving grants, as a JSON package or a flat CSV, as an interchange document.

Each grant becomes FUNDS from its funding organisation (type ``funder``) to its recipient
organisation (type ``ngo``: 360Giving states no organisation type), both of movement
``enabler``, with mechanism ``finance`` and ``since`` the year of the award date. The
Relationship model has no amount, currency, grant id or programme field, so one
``activities`` line carries them: "grant <id>: <title> (<amount> <currency>); programme:
<title>". The source cites "360Giving grant <id>", with the file name as locator and the
grant's ``url`` when it has one.

Organisations are matched by identifier, else by folded name (see
:func:`app.io.iati.match_organizations`). Identifiers are kept as given; one that does not
start with a known org-id prefix (``graph_schema/org_id_prefixes.json``) is noted in the
report. A grant id that repeats is read once: the repeat still adds what it says about the
organisations (an identifier, a name) but makes no second relationship.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files

from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Relationship, Source
from app.io.matching import (
    ImportReport,
    Issue,
    Matched,
    Mention,
    allocate_ids,
    clip,
    file_name,
    funds_refusal,
    match_organizations,
    slugify,
)

REQUIRED_COLUMNS = (
    "Identifier",
    "Title",
    "Amount Awarded",
    "Currency",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
)
URL = re.compile(r"^https?://[^\s<>\"]+$")


@dataclass(frozen=True)
class _Party:
    """A funding or recipient organisation as the grant names it."""

    identifier: str | None
    name: str | None


@dataclass(frozen=True)
class _Grant:
    """One grant as read from either format; ``where`` is its record or line in the file."""

    where: str
    id: str
    title: str | None
    amount: str | None
    currency: str | None
    award_date: str | None
    programme: str | None
    url: str | None
    funders: tuple[_Party, ...]
    recipients: tuple[_Party, ...]

    @property
    def item(self) -> str:
        """How the report names the grant: its id and where the file holds it."""
        return f"grant {self.id} ({self.where})"


@cache
def org_id_prefixes() -> frozenset[str]:
    """The org-id list codes (``GB-CHC``, ``XM-DAC``, ...) shipped in ``graph_schema``."""
    text = files("graph_schema").joinpath("org_id_prefixes.json").read_text(encoding="utf-8")
    return frozenset(json.loads(text)["codes"])


def has_known_prefix(identifier: str) -> bool:
    """Whether ``identifier`` starts with a known org-id list code followed by a hyphen."""
    upper = identifier.upper()
    return any(upper.startswith(f"{code}-") for code in org_id_prefixes())


def _text(value: object) -> str | None:
    """A JSON or CSV value as trimmed text; numbers as written; nothing else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _first(value: object, key: str) -> str | None:
    """``key`` of the first object of a 360Giving list such as ``grantProgramme``."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return _text(value[0].get(key))
    return None


def _parties(value: object) -> tuple[_Party, ...]:
    """The organisations of a ``fundingOrganization`` or ``recipientOrganization`` list."""
    if not isinstance(value, list):
        return ()
    found = (_Party(_text(o.get("id")), _text(o.get("name"))) for o in value if isinstance(o, dict))
    return tuple(party for party in found if party.identifier or party.name)


def _grant_from_json(raw: object, number: int) -> _Grant | Issue:
    """A grant of a JSON package, or why record ``number`` cannot be read as one."""
    item = f"grant #{number}"
    if not isinstance(raw, dict):
        return Issue(item, "is not a JSON object", True)
    grant_id = _text(raw.get("id"))
    if grant_id is None:
        return Issue(item, "has no id, which its citation needs", True)
    return _Grant(
        where=f"record #{number}",
        id=grant_id,
        title=_text(raw.get("title")),
        amount=_text(raw.get("amountAwarded")),
        currency=_text(raw.get("currency")),
        award_date=_text(raw.get("awardDate")),
        programme=_first(raw.get("grantProgramme"), "title"),
        url=_text(raw.get("url")),
        funders=_parties(raw.get("fundingOrganization")),
        recipients=_parties(raw.get("recipientOrganization")),
    )


def _row_party(row: Mapping[str, str | None], prefix: str) -> tuple[_Party, ...]:
    """The organisation in a CSV row's ``<prefix>:Identifier`` and ``<prefix>:Name`` columns."""
    party = _Party(_text(row.get(f"{prefix}:Identifier")), _text(row.get(f"{prefix}:Name")))
    return (party,) if party.identifier or party.name else ()


def _grant_from_row(row: Mapping[str, str | None], line: int) -> _Grant | Issue:
    """A grant of a flat CSV row (360Giving column titles), or why it cannot be read."""
    grant_id = _text(row.get("Identifier"))
    if grant_id is None:
        return Issue(f"row at line {line}", "has no Identifier, which its citation needs", True)
    return _Grant(
        where=f"line {line}",
        id=grant_id,
        title=_text(row.get("Title")),
        amount=_text(row.get("Amount Awarded")),
        currency=_text(row.get("Currency")),
        award_date=_text(row.get("Award Date")),
        programme=_text(row.get("Grant Programme:Title")),
        url=_text(row.get("URL")),
        funders=_row_party(row, "Funding Org"),
        recipients=_row_party(row, "Recipient Org"),
    )


def _year(date: str | None) -> int | None:
    """The year of an ISO (``2017-11-21...``) or day-first (``24/07/2014``) award date."""
    match = re.match(r"^(\d{4})-\d{2}-\d{2}", date or "") or re.match(
        r"^\d{1,2}/\d{1,2}/(\d{4})$", date or ""
    )
    year = int(match.group(1)) if match else None
    return year if year is not None and 1800 <= year <= 2100 else None


def _amount(amount: str | None) -> str | None:
    """The awarded amount with thousands separators, or as written when not a number."""
    if amount is None:
        return None
    try:
        return f"{Decimal(amount.replace(',', '')):,f}"
    except InvalidOperation:
        return amount


def _activity_line(grant: _Grant) -> str:
    """ "grant <id>: <title> (<amount> <currency>); programme: <title>", what FUNDS cannot hold."""
    line = f"grant {grant.id}: {grant.title or '(untitled)'}"
    money = " ".join(part for part in (_amount(grant.amount), grant.currency) if part)
    if money:
        line += f" ({money})"
    if grant.programme:
        line += f"; programme: {grant.programme}"
    return clip(line)


def _source(grant: _Grant, origin: str) -> Source:
    """The grant as a citation, the file as locator, and the grant's web page if given."""
    url = grant.url if grant.url and URL.match(grant.url) else None
    return Source(citation=clip(f"360Giving grant {grant.id}"), locator=file_name(origin), url=url)


def _mentions(grant: _Grant, origin: str) -> tuple[list[Mention], list[Mention]]:
    """The grant's funders (typed ``funder``) and recipients (typed by matching, else ngo)."""
    source = _source(grant, origin)
    funders = [
        Mention(p.name, p.identifier, source, org_type="funder", funds=True) for p in grant.funders
    ]
    recipients = [Mention(p.name, p.identifier, source) for p in grant.recipients]
    return funders, recipients


def _identifier_notes(mentions: Sequence[Mention]) -> list[Issue]:
    """A note for each identifier that does not start with a known org-id prefix."""
    notes = []
    for mention in mentions:
        if mention.identifier and not has_known_prefix(mention.identifier):
            message = (
                f"does not start with a known org-id prefix; kept as an identifier of "
                f"'{mention.name or mention.identifier}'"
            )
            notes.append(Issue(f"identifier '{mention.identifier}'", message))
    return notes


def _relationships(
    grants: Sequence[_Grant], origin: str, matched: Matched
) -> tuple[list[Relationship], list[Issue]]:
    """FUNDS from every funder to every recipient of each grant, each grant id once."""
    types = {org.id: org.type for org in matched.organizations}
    seen: dict[str, str] = {}
    drafts = []
    issues = []
    for grant in grants:
        if grant.id in seen:
            reason = f"repeats the grant id of {seen[grant.id]}; the grant is read once"
            issues.append(Issue(grant.item, reason, True))
            continue
        seen[grant.id] = grant.where
        funders, recipients = _mentions(grant, origin)
        for source, target in ((f, r) for f in funders for r in recipients):
            source_id, target_id = matched.ids[source], matched.ids[target]
            refusal = (
                "funder and recipient are one organisation"
                if source_id == target_id
                else funds_refusal(types[source_id], types[target_id])
            )
            if refusal:
                issues.append(Issue(grant.item, refusal, True))
            else:
                drafts.append((grant, source_id, target_id))
        if grant.award_date and _year(grant.award_date) is None:
            issues.append(Issue(grant.item, f"award date '{grant.award_date}' gives no year"))
    ids = allocate_ids(((g.id, s, t), slugify(f"{g.id}-{s}-funds-{t}")) for g, s, t in drafts)
    relationships = [
        Relationship(
            id=ids[(grant.id, source, target)],
            type="FUNDS",
            source=source,
            target=target,
            mechanisms=["finance"],
            since=_year(grant.award_date),
            activities=[_activity_line(grant)],
            sources=[_source(grant, origin)],
        )
        for grant, source, target in drafts
    ]
    return relationships, issues


def _usable(grants: Sequence[_Grant | Issue]) -> tuple[list[_Grant], list[Issue]]:
    """Grants that name a funder and a recipient organisation, and why the others are out."""
    usable = []
    issues = []
    for grant in grants:
        if isinstance(grant, Issue):
            issues.append(grant)
        elif not grant.funders:
            issues.append(Issue(grant.item, "names no funding organisation", True))
        elif not grant.recipients:
            reason = "names no recipient organisation (grants to individuals are not imported)"
            issues.append(Issue(grant.item, reason, True))
        else:
            usable.append(grant)
    return usable, issues


def _import(grants: Sequence[_Grant | Issue], origin: str) -> tuple[Document, ImportReport]:
    """The document and report of grants read from either format."""
    usable, issues = _usable(grants)
    pairs = [_mentions(grant, origin) for grant in usable]
    mentions = [m for funders, recipients in pairs for m in (*funders, *recipients)]
    matched = match_organizations(mentions)
    relationships, tie_issues = _relationships(usable, origin, matched)
    document = Document(organizations=list(matched.organizations), relationships=relationships)
    report = ImportReport(
        origin=origin,
        record_kind="grant",
        records_read=len(grants),
        organizations=len(document.organizations),
        relationships=len(relationships),
        issues=tuple(
            dict.fromkeys([*issues, *_identifier_notes(mentions), *matched.issues, *tie_issues])
        ),
    )
    return document, report


def import_grants_json(data: bytes, origin: str) -> tuple[Document, ImportReport]:
    """Turn a 360Giving JSON package (``{"grants": [...]}``) into a document and a report.

    ``origin`` names the file in errors and is the locator of every source. Raises
    :class:`InvalidData` naming the file (and line) for text that is not JSON or not a package.
    """
    try:
        package = json.loads(data)
    except UnicodeDecodeError as error:
        raise InvalidData([Problem(origin, "(file)", f"not UTF-8 text: {error}")]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InvalidData([Problem(origin, where, f"not valid JSON: {error.msg}")]) from None
    grants = package.get("grants") if isinstance(package, dict) else None
    if not isinstance(grants, list):
        message = "a 360Giving package is an object with a 'grants' list"
        raise InvalidData([Problem(origin, "grants", message)])
    return _import([_grant_from_json(raw, n) for n, raw in enumerate(grants, start=1)], origin)


def _rows(data: bytes, origin: str) -> list[tuple[int, dict[str, str | None]]]:
    """The CSV's rows keyed by trimmed column title, with the line each row ends on."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidData([Problem(origin, "(file)", f"not UTF-8 text: {error}")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [title.strip() for title in reader.fieldnames or []]
        missing = [title for title in REQUIRED_COLUMNS if title not in header]
        if missing:
            message = f"missing 360Giving column(s): {', '.join(missing)}"
            raise InvalidData([Problem(origin, "(header)", message, REQUIRED_COLUMNS)])
        reader.fieldnames = header
        return [(reader.line_num, dict(row)) for row in reader]
    except csv.Error as error:
        where = f"line {reader.line_num}"
        raise InvalidData([Problem(origin, where, f"not valid CSV: {error}")]) from None


def import_grants_csv(data: bytes, origin: str) -> tuple[Document, ImportReport]:
    """Turn a 360Giving flat CSV (standard column titles) into a document and a report.

    Raises :class:`InvalidData` naming the file and every missing required column
    (:data:`REQUIRED_COLUMNS`), or the line of malformed CSV.
    """
    rows = _rows(data, origin)
    return _import([_grant_from_row(row, line) for line, row in rows], origin)
