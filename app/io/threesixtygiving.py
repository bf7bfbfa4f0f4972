"""Import 360Giving grants, as a JSON package or a flat CSV, as an interchange document.

Each grant becomes FUNDS from its funding organisation (type ``funder``) to its recipient
organisation (type ``ngo``: 360Giving states no organisation type), both of movement
``enabler``, with mechanism ``finance``. The tie carries the grant: ``reference`` its id,
``amount`` and ``currency`` (amountAwarded, when a number of at least zero in an ISO 4217
currency), ``awarded`` (awardDate as a date), ``programme`` (the first grantProgramme title,
with a note when there are several), ``since`` and ``until`` (the years of the first
plannedDates start and end; with no readable planned start, ``since`` is the award year), and
as its one activity the grant's title, else its description. A value that cannot be carried
is left out with a note.

Every source is ``imported`` (:mod:`app.io.provenance`): it cites the file, "360Giving file
<name>", with ", published by <name>" when a JSON package names its ``publisher``; its
locator is the grant ("grant <id>"), its year the award date's, and its URL the grant's
``url`` when it has one.

Organisations are matched among the grants and with those already stored (``known``) as
:func:`app.io.matching.match_organizations` says: by a well-formed org-id, else by name,
weighing the countries each side states (``addressCountry`` and locations' ``countryCode``).
A day-first date whose day and month could be swapped is reported, not guessed. A grant id
that repeats is read once: the repeat still adds what it says about the organisations (an
identifier, a name) but makes no second relationship.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.vocabulary import vocabulary
from app.io.ids import allocate_ids, clip, slugify
from app.io.matching import (
    NO_DECISIONS,
    Decisions,
    Matched,
    Mention,
    funds_refusal,
    match_organizations,
)
from app.io.provenance import file_citation, imported_source
from app.io.report import ImportReport, Issue

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
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class _Party:
    """A funding or recipient organisation as the grant names it, with the countries it gives
    (``addressCountry`` and each location's ``countryCode``) as they are written."""

    identifier: str | None
    name: str | None
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Grant:
    """One grant as read from either format; ``where`` is its record or line in the file."""

    where: str
    id: str
    title: str | None
    description: str | None
    amount: str | None
    currency: str | None
    award_date: str | None
    programmes: tuple[str, ...]
    planned: tuple[tuple[str | None, str | None], ...]
    url: str | None
    funders: tuple[_Party, ...]
    recipients: tuple[_Party, ...]

    @property
    def item(self) -> str:
        """How the report names the grant: its id and where the file holds it."""
        return f"grant {self.id} ({self.where})"


def _text(value: object) -> str | None:
    """A JSON or CSV value as trimmed text; numbers as written; nothing else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _objects(value: object) -> list[dict[str, object]]:
    """The objects of a 360Giving list such as ``grantProgramme``; anything else is none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _programmes(value: object) -> tuple[str, ...]:
    """The titles of a ``grantProgramme`` list, each once, in order."""
    titles = (_text(item.get("title")) for item in _objects(value))
    return tuple(dict.fromkeys(title for title in titles if title))


def _planned(value: object) -> tuple[tuple[str | None, str | None], ...]:
    """The (start, end) dates of each ``plannedDates`` entry that gives either."""
    pairs = ((_text(item.get("startDate")), _text(item.get("endDate"))) for item in _objects(value))
    return tuple(pair for pair in pairs if pair != (None, None))


def _countries(org: dict[str, object]) -> tuple[str, ...]:
    """The countries an organisation object gives: its ``addressCountry`` and locations."""
    texts = [_text(org.get("addressCountry"))]
    texts += [_text(place.get("countryCode")) for place in _objects(org.get("location"))]
    return tuple(dict.fromkeys(text for text in texts if text))


def _parties(value: object) -> tuple[_Party, ...]:
    """The organisations of a ``fundingOrganization`` or ``recipientOrganization`` list."""
    if not isinstance(value, list):
        return ()
    found = (
        _Party(_text(o.get("id")), _text(o.get("name")), _countries(o))
        for o in value
        if isinstance(o, dict)
    )
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
        description=_text(raw.get("description")),
        amount=_text(raw.get("amountAwarded")),
        currency=_text(raw.get("currency")),
        award_date=_text(raw.get("awardDate")),
        programmes=_programmes(raw.get("grantProgramme")),
        planned=_planned(raw.get("plannedDates")),
        url=_text(raw.get("url")),
        funders=_parties(raw.get("fundingOrganization")),
        recipients=_parties(raw.get("recipientOrganization")),
    )


def _row_party(row: Mapping[str, str | None], prefix: str) -> tuple[_Party, ...]:
    """The organisation in a CSV row's ``<prefix>:Identifier`` and ``<prefix>:Name`` columns."""
    countries = [
        text
        for title, value in row.items()
        if title
        and (title == f"{prefix}:Country" or title.startswith(f"{prefix}:Location"))
        and title.endswith("Country" if title == f"{prefix}:Country" else "Country Code")
        and (text := _text(value))
    ]
    party = _Party(
        _text(row.get(f"{prefix}:Identifier")),
        _text(row.get(f"{prefix}:Name")),
        tuple(dict.fromkeys(countries)),
    )
    return (party,) if party.identifier or party.name else ()


def _grant_from_row(row: Mapping[str, str | None], line: int) -> _Grant | Issue:
    """A grant of a flat CSV row (360Giving column titles), or why it cannot be read."""
    grant_id = _text(row.get("Identifier"))
    if grant_id is None:
        return Issue(f"row at line {line}", "has no Identifier, which its citation needs", True)
    programme = _text(row.get("Grant Programme:Title"))
    planned = (_text(row.get("Planned Dates:Start Date")), _text(row.get("Planned Dates:End Date")))
    return _Grant(
        where=f"line {line}",
        id=grant_id,
        title=_text(row.get("Title")),
        description=_text(row.get("Description")),
        amount=_text(row.get("Amount Awarded")),
        currency=_text(row.get("Currency")),
        award_date=_text(row.get("Award Date")),
        programmes=(programme,) if programme else (),
        planned=(planned,) if planned != (None, None) else (),
        url=_text(row.get("URL")),
        funders=_row_party(row, "Funding Org"),
        recipients=_row_party(row, "Recipient Org"),
    )


def _date(text: str) -> date | str | None:
    """The date of an ISO (``2017-11-21...``) or day-first (``24/07/2014``) date, if it is one.

    A day-first date whose day and month could be swapped (``03/02/2005``) is not guessed:
    the answer is the reason instead.
    """
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    day_first = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif day_first:
        day, month, year = (int(part) for part in day_first.groups())
        if day != month and day <= 12 and month <= 12:
            return (
                f"could be {date(year, month, day):%-d %B %Y} or {date(year, day, month):%-d %B %Y}"
                "; not read"
            )
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(when: date | None) -> int | None:
    """The year of a date, if it is within the years the model accepts."""
    return when.year if when is not None and 1800 <= when.year <= 2100 else None


@dataclass(frozen=True)
class _Terms:
    """What a grant's FUNDS tie says beyond its ends, and notes on each value left out."""

    amount: float | None
    currency: str | None
    awarded: date | None
    since: int | None
    until: int | None
    notes: tuple[str, ...]


def _money(grant: _Grant) -> tuple[float | None, str | None, list[str]]:
    """The amount awarded and its currency, or neither and a note on why not."""
    if grant.amount is None:
        return None, None, []
    try:
        amount = Decimal(grant.amount.replace(",", ""))
    except InvalidOperation:
        return None, None, [f"amount '{grant.amount}' is not a number; no amount"]
    value = float(amount) if amount.is_finite() else math.inf
    if not (math.isfinite(value) and value >= 0):
        return None, None, [f"amount '{grant.amount}' is not a finite number of zero or more"]
    currency = (grant.currency or "").upper()
    if not CURRENCY.match(currency):
        given = f"currency '{grant.currency}'" if grant.currency else "no currency"
        return None, None, [f"{given}, not an ISO 4217 code; no amount"]
    return value, currency, []


def _dated(text: str | None, what: str) -> tuple[date | None, list[str]]:
    """A date the grant gives, or None with a note when the text is not a date."""
    when = None if text is None else _date(text)
    if isinstance(when, str):
        return None, [f"{what} '{text}' {when}"]
    return when, [f"{what} '{text}' is not a date"] if text and when is None else []


def _period(grant: _Grant, awarded: date | None) -> tuple[int | None, int | None, list[str]]:
    """Years of the first planned start (else the award) and end, with notes on odd dates."""
    start_text, end_text = grant.planned[0] if grant.planned else (None, None)
    start, notes = _dated(start_text, "planned start date")
    end, end_notes = _dated(end_text, "planned end date")
    notes += end_notes
    if len(grant.planned) > 1:
        notes.append(f"gives {len(grant.planned)} planned date ranges; the first is kept")
    since = _year(start) if start else _year(awarded)
    until = _year(end)
    if since is not None and until is not None and until < since:
        notes.append(f"planned end {until} is before the start {since}; no end year")
        until = None
    return since, until, notes


def _terms(grant: _Grant) -> _Terms:
    """Amount, currency, award date and years of a grant, with a note on each value left out."""
    amount, currency, money_notes = _money(grant)
    awarded, award_notes = _dated(grant.award_date, "award date")
    since, until, period_notes = _period(grant, awarded)
    count = len(grant.programmes)
    shown = "; ".join(grant.programmes)
    programme_notes = [f"names {count} grant programmes ({shown}); the first is kept"]
    notes = [*money_notes, *award_notes, *period_notes, *(programme_notes if count > 1 else [])]
    return _Terms(amount, currency, awarded, since, until, tuple(notes))


def _source(grant: _Grant, citation: str) -> Source:
    """The file as citation, the grant as locator, the award year, and the grant's web page."""
    url = grant.url if grant.url and URL.match(grant.url) else None
    awarded, _ = _dated(grant.award_date, "award date")
    return imported_source(citation, f"grant {grant.id}", _year(awarded), url)


def _mentions(grant: _Grant, citation: str) -> tuple[list[Mention], list[Mention]]:
    """The grant's funders (typed ``funder``) and recipients (typed by matching, else ngo)."""
    source = _source(grant, citation)
    funders = [
        Mention(
            p.name,
            p.identifier,
            source,
            org_type="funder",
            funds=True,
            countries=_codes(p),
            record=grant.item,
        )
        for p in grant.funders
    ]
    recipients = [
        Mention(p.name, p.identifier, source, countries=_codes(p), record=grant.item)
        for p in grant.recipients
    ]
    return funders, recipients


def _codes(party: _Party) -> tuple[str, ...]:
    """The ISO codes of the countries a party gives; names no code stands for are dropped."""
    codes = (vocabulary().country_code(text) for text in party.countries)
    return tuple(dict.fromkeys(code for code in codes if code))


def _relationship(rel_id: str, grant: _Grant, pair: tuple[str, str], citation: str) -> Relationship:
    """The FUNDS tie of one funder and recipient of a grant, carrying the grant's terms."""
    terms = _terms(grant)
    activity = grant.title or grant.description
    return Relationship(
        id=rel_id,
        type="FUNDS",
        source=pair[0],
        target=pair[1],
        mechanisms=["finance"],
        since=terms.since,
        until=terms.until,
        activities=[clip(activity)] if activity else [],
        amount=terms.amount,
        currency=terms.currency,
        awarded=terms.awarded,
        programme=clip(grant.programmes[0]) if grant.programmes else None,
        reference=clip(grant.id),
        sources=[_source(grant, citation)],
    )


REASONS = (
    ("amount", "amount left out"),
    ("currency", "amount left out"),
    ("could be", "ambiguous day-first date, not read"),
    ("date", "date not read"),
    ("planned end", "end before start, no end year"),
    ("programmes", "several grant programmes, the first kept"),
)
"""The heading a grant's note is grouped under, by the first word it holds."""


def _reason(note: str) -> str:
    return next((reason for word, reason in REASONS if word in note), note)


def _relationships(
    grants: Sequence[_Grant], citation: str, matched: Matched
) -> tuple[list[Relationship], list[Issue]]:
    """FUNDS from every funder to every recipient of each grant, each grant id once."""
    types = {org_id: org.type for org_id, org in matched.by_id.items()}
    seen: dict[str, str] = {}
    drafts = []
    issues = []
    for grant in grants:
        if grant.id in seen:
            reason = f"repeats the grant id of {seen[grant.id]}; the grant is read once"
            issues.append(Issue(grant.item, reason, True))
            continue
        seen[grant.id] = grant.where
        funders, recipients = _mentions(grant, citation)
        for source, target in ((f, r) for f in funders for r in recipients):
            source_id, target_id = matched.ids[source], matched.ids[target]
            refusal = (
                "funder and recipient are one organisation"
                if source_id == target_id
                else funds_refusal(types[source_id], types[target_id])
            )
            if refusal:
                issues.append(Issue(grant.item, refusal, True, "tie not imported"))
            else:
                drafts.append((grant, source_id, target_id))
        issues += [Issue(grant.item, note, reason=_reason(note)) for note in _terms(grant).notes]
    ids = allocate_ids(((g.id, s, t), slugify(f"{g.id}-{s}-funds-{t}")) for g, s, t in drafts)
    relationships = [
        _relationship(ids[(grant.id, source, target)], grant, (source, target), citation)
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


def _import(
    grants: Sequence[_Grant | Issue],
    origin: str,
    known: Sequence[Organization],
    decisions: Decisions,
    publisher: str | None = None,
) -> tuple[Document, ImportReport]:
    """The document and report of grants read from either format."""
    citation = file_citation("360Giving file", origin, publisher)
    usable, issues = _usable(grants)
    pairs = [_mentions(grant, citation) for grant in usable]
    mentions = [m for funders, recipients in pairs for m in (*funders, *recipients)]
    matched = match_organizations(mentions, known, decisions)
    relationships, tie_issues = _relationships(usable, citation, matched)
    document = Document(organizations=list(matched.organizations), relationships=relationships)
    report = ImportReport(
        origin=origin,
        record_kind="grant",
        records_read=len(grants),
        organizations=len(document.organizations),
        relationships=len(relationships),
        issues=tuple(dict.fromkeys([*issues, *matched.issues, *tie_issues])),
        created=tuple(org.id for org in document.organizations),
        matched=matched.reused,
        candidates=matched.candidates,
    )
    return document, report


def import_grants_json(
    data: bytes,
    origin: str,
    known: Sequence[Organization] = (),
    decisions: Decisions = NO_DECISIONS,
) -> tuple[Document, ImportReport]:
    """Turn a 360Giving JSON package (``{"grants": [...]}``) into a document and a report.

    ``origin`` names the file in errors and in the citation of every source. ``known`` are the
    organisations already stored: those the grants name are reused, not made again. Raises
    :class:`InvalidData` naming the file (and line) for text that is not JSON or not a package.
    """
    try:
        package = json.loads(data)
    except UnicodeDecodeError as error:
        raise InvalidData(
            [
                Problem(
                    origin,
                    "(file)",
                    f"not UTF-8 text (save it as UTF-8, e.g. 'CSV UTF-8' in Excel): {error}",
                )
            ]
        ) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InvalidData([Problem(origin, where, f"not valid JSON: {error.msg}")]) from None
    grants = package.get("grants") if isinstance(package, dict) else None
    if not isinstance(grants, list):
        message = "a 360Giving package is an object with a 'grants' list"
        raise InvalidData([Problem(origin, "grants", message)])
    records = [_grant_from_json(raw, n) for n, raw in enumerate(grants, start=1)]
    given = package.get("publisher")
    publisher = _text(given.get("name")) if isinstance(given, dict) else None
    return _import(records, origin, known, decisions, publisher)


def _rows(data: bytes, origin: str) -> list[tuple[int, dict[str, str | None]]]:
    """The CSV's rows keyed by trimmed column title, with the line each row ends on."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidData(
            [
                Problem(
                    origin,
                    "(file)",
                    f"not UTF-8 text (save it as UTF-8, e.g. 'CSV UTF-8' in Excel): {error}",
                )
            ]
        ) from None
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


def import_grants_csv(
    data: bytes,
    origin: str,
    known: Sequence[Organization] = (),
    decisions: Decisions = NO_DECISIONS,
) -> tuple[Document, ImportReport]:
    """Turn a 360Giving flat CSV (standard column titles) into a document and a report.

    ``origin`` and ``known`` are as for :func:`import_grants_json`. Raises
    :class:`InvalidData` naming the file and every missing required column
    (:data:`REQUIRED_COLUMNS`), or the line of malformed CSV.
    """
    rows = _rows(data, origin)
    grants = [_grant_from_row(row, line) for line, row in rows]
    return _import(grants, origin, known, decisions)
