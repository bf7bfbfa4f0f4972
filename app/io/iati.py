"""Import IATI activity XML (versions 1.0x and 2.01 to 2.03) as an interchange document.

IATI has no relationship types of its own, so this is the rule that turns an activity into ties:

* **Participating-org roles.** Every Funding organisation FUNDS every Extending organisation,
  and the Extending organisations (or, when the activity names none, the Funding ones) FUND
  every Implementing organisation. In IATI money flows funder to extender to implementer (the
  extending organisation "manages the budget ... on behalf of the funding organisation"), so
  FUNDS with mechanism ``finance`` is the tie; ENABLES would need a ``mode`` the data does not
  state. Accountable organisations (oversight) get no tie. An organisation holding several
  roles is one step of the chain, so it never funds itself.
* **Transactions.** The provider FUNDS the receiver for incoming funds, incoming commitments,
  commitments, disbursements, reimbursements and purchases of equity. A missing side is the
  reporting organisation: the receiver of an incoming transaction, the provider of an outgoing
  one. Expenditure (paying for goods and services), interest, repayments, sales of equity,
  guarantees and pledges are not funding and are skipped with a reason.
* **One FUNDS relationship per activity and pair of organisations.** Its ``reference`` is the
  iati-identifier, and its ``activities`` text names the activity and says which roles and
  transactions support the tie, with counts and sums per kind of transaction. Its ``amount``
  is what the pair's transactions commit (commitments and incoming commitments), or, with no
  commitment, what they transfer (the other funding kinds): adding both would count the same
  money twice. Each value is in its own currency, else the activity's default; values in
  several currencies, or not numbers, or netting below zero give no amount, with a note. A tie
  the vocabulary forbids, such as FUNDS into a public body, is skipped with a reason.

Organisations are matched across activities, and with those already stored (``known``), as
:func:`app.io.matching.match_organizations` says: on a ``ref`` only when it is a well-formed
org-id, else by name. Types come from IATI's OrganisationType, as a code or a name, else from a
DAC channel org-id (:mod:`app.io.iati_types`); an organisation with neither is a ``funder`` when
named as Funding or as a transaction provider and an ``ngo`` otherwise. A participating,
reporting, provider or receiver organisation whose only name is a category ("INTERNATIONAL
NGO", "Recipient Government", "Other.") and whose ref is no org-id names no one: it is skipped.
Activity status and dates give each tie's ``status``, ``since`` and ``until``.

Every source is ``imported`` (:mod:`app.io.provenance`): it cites the file, "IATI file
<name>", with ", published by <name>" when every activity names the same reporting
organisation; its locator is the activity ("activity <iati-identifier>"); its year is that of
the activity's earliest ``activity-date``, else of its ``last-updated-datetime``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.orgids import read_org_id
from app.io.iati_types import ORGANISATION_TYPES, is_category, type_code, type_of
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

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}
# IATI ActivityStatus -> relationship status; 6 (suspended) or none reads as active.
ACTIVITY_STATUSES = {"1": "planned", "2": "active", "3": "ended", "4": "ended", "5": "ended"}
# 2.0x activity-date type codes as the 1.0x words.
DATE_TYPES = {"1": "start-planned", "2": "start-actual", "3": "end-planned", "4": "end-actual"}
# Transaction type (2.0x code or 1.0x letters) -> (label, whether the money comes in).
FUNDING_TRANSACTIONS = {
    "1": ("incoming funds", True),
    "IF": ("incoming funds", True),
    "11": ("incoming commitment", True),
    "2": ("commitment", False),
    "C": ("commitment", False),
    "3": ("disbursement", False),
    "D": ("disbursement", False),
    "7": ("reimbursement", False),
    "R": ("reimbursement", False),
    "8": ("purchase of equity", False),
    "QP": ("purchase of equity", False),
}
COMMITMENTS = frozenset({"commitment", "incoming commitment"})
OTHER_TRANSACTIONS = {
    "4": "expenditure, paying for goods and services",
    "E": "expenditure, paying for goods and services",
    "5": "interest payment",
    "IR": "interest repayment",
    "6": "loan repayment",
    "LR": "loan repayment",
    "9": "sale of equity",
    "QS": "sale of equity",
    "10": "credit guarantee",
    "CG": "credit guarantee",
    "12": "outgoing pledge, not binding",
    "13": "incoming pledge, not binding",
}
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class _Transaction:
    """One transaction as read: its type code, the two sides as named, amount and currency."""

    number: int
    code: str
    provider: Mention | None
    receiver: Mention | None
    value: Decimal | None
    currency: str | None
    categories: tuple[tuple[str, str], ...] = ()
    """(side, name) of each side named only by a category, which names no organisation."""


@dataclass(frozen=True)
class _Activity:
    """What the importer needs of one activity, read once so later steps work on plain data."""

    identifier: str
    source: Source
    title: str | None
    status: str
    since: int | None
    until: int | None
    reporting: Mention | None
    roles: tuple[tuple[str, Mention], ...]
    transactions: tuple[_Transaction, ...]

    def mentions(self) -> list[Mention]:
        """Every organisation the activity names, reporting organisation first."""
        found = [self.reporting] if self.reporting else []
        found += [mention for _, mention in self.roles]
        for tx in self.transactions:
            found += [side for side in (tx.provider, tx.receiver) if side]
        return found


@dataclass(frozen=True)
class _Tie:
    """Evidence that ``source`` funds ``target`` in one activity: a role pair or a transaction."""

    source: str
    target: str
    basis: str
    transaction: bool = False
    value: Decimal | None = None
    currency: str | None = None


def _parse(data: bytes, origin: str) -> ET.Element:
    """The XML root, or InvalidData naming the file and line. Entity declarations are refused
    in any encoding (defusedxml reads the declaration after decoding, UTF-16 included)."""
    try:
        return safe_fromstring(data)
    except DefusedXmlException:
        message = "XML entity declarations are not accepted"
        raise InvalidData([Problem(origin, "(file)", message)]) from None
    except (ET.ParseError, ExpatError) as error:
        line, column = getattr(error, "position", (error.lineno, error.offset))
        reason = str(error).split(": line")[0]
        message = f"not well-formed XML: {reason}"
        raise InvalidData([Problem(origin, f"line {line}, column {column}", message)]) from None


def _activity_elements(root: ET.Element, origin: str) -> list[ET.Element]:
    """The ``iati-activity`` elements of a file whose root is a list of them or just one."""
    if root.tag == "iati-activities":
        return root.findall("iati-activity")
    if root.tag == "iati-activity":
        return [root]
    expected = ("iati-activities", "iati-activity")
    if root.tag in ("iati-organisations", "iati-organisation"):
        message = f"<{root.tag}> is an IATI organisation file, not an activity file"
    else:
        message = f"root element <{root.tag}> is not an IATI activity file"
    raise InvalidData([Problem(origin, "(root element)", message, expected)])


def _texts(elements: Iterable[ET.Element], lang: str) -> list[tuple[str, str]]:
    """The (language, text) pairs of elements: their narratives (2.0x) or own text (1.0x)."""
    pairs = []
    for element in elements:
        own = element.get(XML_LANG, lang)
        for part in element.findall("narrative") or [element]:
            text = " ".join((part.text or "").split())
            if text:
                pairs.append((part.get(XML_LANG, own).lower(), text))
    return pairs


def _preferred(pairs: Sequence[tuple[str, str]]) -> tuple[str | None, tuple[str, ...]]:
    """The English text if there is one, else the first; and the other texts."""
    english = [text for lang, text in pairs if lang.split("-")[0] == "en"]
    texts = [text for _, text in pairs]
    main = english[0] if english else (texts[0] if texts else None)
    return main, tuple(dict.fromkeys(text for text in texts if text != main))


CATEGORY = "names a category, not an organisation"


def _category(element: ET.Element, lang: str) -> str | None:
    """The name an org element gives when that name is only a category, else None."""
    name = _preferred(_texts([element], lang))[0]
    return name if name and is_category(name) else None


def _mention(
    element: ET.Element, lang: str, source: Source, funds: bool, where: str
) -> tuple[Mention | None, list[Issue]]:
    """An organisation named by an IATI org element, with notes on its ``type``.

    A name that is only a category is no name; with no org-id beside it the element names no
    one and is reported as skipped.
    """
    name, others = _preferred(_texts([element], lang))
    ref = (element.get("ref") or "").strip() or None
    issues = []
    if name and is_category(name):
        usable = ref is not None and read_org_id(ref).key is not None
        if not usable:
            message = f"'{name}' is a category, not an organisation's name"
            return None, [Issue(where, message, True, CATEGORY)]
        name = None
    if not (name or ref):
        return None, []
    raw_type = (element.get("type") or "").strip()
    code = type_code(raw_type) if raw_type else None
    label = f"organisation '{name or ref}'"
    if raw_type and code is None:
        message = f"unknown IATI organisation type '{raw_type}'; typed by its role"
        issues.append(Issue(label, message, reason="unknown IATI organisation type"))
    elif code is not None and ORGANISATION_TYPES[code][1] is None:
        message = f"IATI type {code} ({ORGANISATION_TYPES[code][0]}) has no equivalent"
        issues.append(Issue(label, f"{message}; typed by its role", reason="IATI type by role"))
    mention = Mention(
        name=name,
        identifier=ref,
        source=source,
        other_names=others,
        org_type=type_of(code, ref),
        funds=funds,
        record=where,
    )
    return mention, issues


def _year(element: ET.Element) -> int | None:
    """The year of an element's ``iso-date``, if it is a date within the model's range."""
    match = re.match(r"\s*(\d{4})-\d{2}-\d{2}", element.get("iso-date") or "")
    year = int(match.group(1)) if match else None
    return year if year is not None and 1800 <= year <= 2100 else None


def _period(activity: ET.Element, status: str) -> tuple[int | None, int | None]:
    """Start year (actual, else planned) and end year (actual, else planned once ended)."""
    years: dict[str, int] = {}
    for element in activity.findall("activity-date"):
        kind = (element.get("type") or "").strip()
        year = _year(element)
        if year is not None:
            years.setdefault(DATE_TYPES.get(kind, kind), year)
    since = years.get("start-actual", years.get("start-planned"))
    until = years.get("end-actual", years.get("end-planned") if status == "ended" else None)
    if since is not None and until is not None and until < since:
        return since, None
    return since, until


def _value(transaction: ET.Element, default_currency: str | None) -> tuple[Decimal | None, str]:
    """A transaction's amount (None when not a finite number) and its currency."""
    element = transaction.find("value")
    if element is None:
        return None, default_currency or ""
    try:
        amount = Decimal((element.text or "").strip().replace(",", ""))
    except InvalidOperation:
        amount = None
    finite = amount if amount is not None and amount.is_finite() else None
    return finite, (element.get("currency") or default_currency or "").strip()


def _transaction(
    element: ET.Element, number: int, context: tuple[str, Source, str | None]
) -> tuple[_Transaction, list[Issue]]:
    """One transaction: its type code, provider and receiver, amount and currency."""
    lang, source, currency = context
    issues: list[Issue] = []
    sides: list[Mention | None] = []
    categories = []
    for tag, funds in (("provider-org", True), ("receiver-org", False)):
        side = element.find(tag)
        mention, notes = (None, []) if side is None else _mention(side, lang, source, funds, tag)
        sides.append(mention)
        named = None if side is None or mention else _category(side, lang)
        categories += [(tag, named)] if named else []
        issues += [n for n in notes if n.reason != CATEGORY]
    type_element = element.find("transaction-type")
    code = "" if type_element is None else (type_element.get("code") or "").strip().upper()
    value, value_currency = _value(element, currency)
    tx = _Transaction(
        number, code, sides[0], sides[1], value, value_currency or None, tuple(categories)
    )
    return tx, issues


def _roles(
    element: ET.Element, identifier: str, lang: str, source: Source
) -> tuple[list[tuple[str, Mention]], list[Issue]]:
    """The participating organisations with their role (2.0x codes as 1.0x words, lower case).

    An organisation with an unknown role is kept with it; it is named, but gets no tie.
    """
    roles = []
    issues: list[Issue] = []
    for number, org in enumerate(element.findall("participating-org"), start=1):
        item = f"activity {identifier}, participating-org #{number}"
        raw_role = (org.get("role") or "").strip().lower()
        role = ROLES.get(raw_role, raw_role)
        mention, notes = _mention(org, lang, source, role == "funding", item)
        issues += notes
        if mention is None:
            if not notes:
                issues.append(Issue(item, "names no organisation (neither ref nor name)", True))
            continue
        roles.append((role, mention))
        if role not in ROLES.values():
            issues.append(Issue(item, f"unknown role '{raw_role}'; organisation kept, no tie"))
    return roles, issues


def _reported_year(element: ET.Element) -> int | None:
    """The year of the activity's earliest ``activity-date``, else of its last update."""
    years = [y for y in map(_year, element.findall("activity-date")) if y is not None]
    if years:
        return min(years)
    match = re.match(r"\s*(\d{4})-", element.get("last-updated-datetime") or "")
    year = int(match.group(1)) if match else None
    return year if year is not None and 1800 <= year <= 2100 else None


def _publisher(elements: Sequence[ET.Element]) -> str | None:
    """The name of the one reporting organisation of every activity, if they share one."""
    names = set()
    for element in elements:
        reporting = element.find("reporting-org")
        lang = element.get(XML_LANG, "")
        names.add(None if reporting is None else _preferred(_texts([reporting], lang))[0])
    return names.pop() if len(names) == 1 else None


def _read_activity(
    element: ET.Element, identifier: str, citation: str
) -> tuple[_Activity, list[Issue]]:
    """An activity's organisations, roles, transactions, status and period, with notes."""
    lang = element.get(XML_LANG, "")
    record = f"activity {identifier}"
    source = imported_source(citation, record, _reported_year(element))
    reporting_element = element.find("reporting-org")
    reporting, issues = (
        (None, [])
        if reporting_element is None
        else _mention(
            reporting_element, lang, source, False, f"activity {identifier}, reporting-org"
        )
    )
    roles, notes = _roles(element, identifier, lang, source)
    issues += notes
    transactions = []
    context = (lang, source, element.get("default-currency"))
    for number, tx_element in enumerate(element.findall("transaction"), start=1):
        tx, notes = _transaction(tx_element, number, context)
        transactions.append(tx)
        issues += notes
    status_element = element.find("activity-status")
    status_code = "" if status_element is None else (status_element.get("code") or "").strip()
    status = ACTIVITY_STATUSES.get(status_code, "active")
    since, until = _period(element, status)
    activity = _Activity(
        identifier=identifier,
        source=source,
        title=_preferred(_texts(element.findall("title"), lang))[0],
        status=status,
        since=since,
        until=until,
        reporting=reporting,
        roles=tuple(roles),
        transactions=tuple(transactions),
    )
    return activity, issues


def _read_activities(
    elements: Sequence[ET.Element], origin: str
) -> tuple[list[_Activity], list[Issue]]:
    """Every activity with an identifier; one without, or repeating one, is skipped."""
    citation = file_citation("IATI file", origin, _publisher(elements))
    activities: list[_Activity] = []
    issues: list[Issue] = []
    first: dict[str, int] = {}
    for number, element in enumerate(elements, start=1):
        identifier = " ".join((element.findtext("iati-identifier") or "").split())
        if not identifier:
            reason = "has no iati-identifier, which every citation needs"
            issues.append(Issue(f"activity #{number}", reason, True))
        elif identifier in first:
            reason = f"repeats activity #{first[identifier]}; only the first is read"
            issues.append(Issue(f"activity #{number} ({identifier})", reason, True))
        else:
            first[identifier] = number
            activity, notes = _read_activity(element, identifier, citation)
            activities.append(activity)
            issues += notes
    return activities, issues


def _role_ties(activity: _Activity, ids: Mapping[Mention, str]) -> list[_Tie]:
    """Funding FUNDS extending; extending (or, with none, funding) FUNDS implementing."""
    by_role = {
        role: list(dict.fromkeys(ids[m] for r, m in activity.roles if r == role))
        for role in ("funding", "extending", "implementing")
    }
    upstream = "extending" if by_role["extending"] else "funding"
    pairs = [("funding", "extending"), (upstream, "implementing")]
    return [
        _Tie(source, target, f"participating-org roles: {source_role} to {target_role}")
        for source_role, target_role in pairs
        for source in by_role[source_role]
        for target in by_role[target_role]
        if source != target
    ]


def _transaction_tie(
    activity: _Activity, tx: _Transaction, ids: Mapping[Mention, str]
) -> _Tie | Issue:
    """The FUNDS tie of a funding transaction, or why the transaction gives none."""
    item = f"activity {activity.identifier}, transaction #{tx.number}"
    if tx.code in OTHER_TRANSACTIONS:
        reason = f"type {tx.code} ({OTHER_TRANSACTIONS[tx.code]}) is not funding"
        return Issue(item, reason, True)
    if tx.code not in FUNDING_TRANSACTIONS:
        return Issue(item, f"unknown transaction type '{tx.code}'", True)
    label, incoming = FUNDING_TRANSACTIONS[tx.code]
    provider = tx.provider or (None if incoming else activity.reporting)
    receiver = tx.receiver or (activity.reporting if incoming else None)
    if provider is None or receiver is None:
        missing = "provider" if provider is None else "receiver"
        named = dict(tx.categories).get(f"{missing}-org")
        if named:
            message = f"its {missing}-org names a category ('{named}'), not an organisation"
            return Issue(item, message, True, CATEGORY)
        return Issue(item, f"names no {missing} organisation", True)
    if ids[provider] == ids[receiver]:
        return Issue(item, "provider and receiver are the same organisation", True)
    return _Tie(ids[provider], ids[receiver], label, True, tx.value, tx.currency)


def _amounts(ties: Sequence[_Tie]) -> str | None:
    """'transactions: 2 commitment (2,000 EUR); ...': counts and sums by kind and currency."""
    groups: dict[tuple[str, str], list[Decimal | None]] = {}
    for tie in ties:
        groups.setdefault((tie.basis, tie.currency or ""), []).append(tie.value)
    parts = []
    for (label, currency), values in groups.items():
        known = [value for value in values if value is not None]
        total = " ".join([f"{sum(known, Decimal(0)):,f}", *([currency] if currency else [])])
        parts.append(f"{len(values)} {label}" + (f" ({total})" if known else ""))
    return f"transactions: {'; '.join(parts)}" if parts else None


def _money(ties: Sequence[_Tie]) -> tuple[float, str] | str | None:
    """The amount and currency a pair's transactions attribute to it, or why there is none.

    None when no transaction supports the tie. Commitments count if there are any, else the
    transfers; the amount is their sum when every value is a number in one ISO 4217 currency.
    """
    transactions = [tie for tie in ties if tie.transaction]
    if not transactions:
        return None
    counted = [tie for tie in transactions if tie.basis in COMMITMENTS] or transactions
    kind = "committed" if counted[0].basis in COMMITMENTS else "transferred"
    values = [tie.value for tie in counted if tie.value is not None]
    currencies = sorted({(tie.currency or "").upper() for tie in counted})
    if len(values) < len(counted):
        return f"a {kind} value is not a number; no amount"
    if len(currencies) > 1:
        return f"{kind} values are in several currencies ({', '.join(currencies)}); no amount"
    if not CURRENCY.match(currencies[0]):
        return f"currency '{currencies[0]}' is not an ISO 4217 code; no amount"
    total = sum(values, Decimal(0))
    if total < 0 or not math.isfinite(float(total)):
        return f"{kind} values sum to {total:,f} {currencies[0]}, out of range; no amount"
    return float(total), currencies[0]


def _activity_lines(activity: _Activity, ties: Sequence[_Tie]) -> list[str]:
    """The activity named, then the roles and transactions that support one tie."""
    lines = [f"IATI activity {activity.identifier}: {activity.title or '(untitled)'}"]
    lines += list(dict.fromkeys(tie.basis for tie in ties if not tie.transaction))
    amounts = _amounts([tie for tie in ties if tie.transaction])
    return [clip(line) for line in [*lines, *([amounts] if amounts else [])]]


def _activity_ties(
    activity: _Activity, ids: Mapping[Mention, str]
) -> tuple[dict[tuple[str, str], list[_Tie]], list[Issue]]:
    """The activity's ties grouped by (source, target), and transactions that give none."""
    grouped: dict[tuple[str, str], list[_Tie]] = {}
    issues = []
    ties: list[_Tie] = _role_ties(activity, ids)
    for tx in activity.transactions:
        outcome = _transaction_tie(activity, tx, ids)
        if isinstance(outcome, Issue):
            issues.append(outcome)
        else:
            ties.append(outcome)
    for tie in ties:
        grouped.setdefault((tie.source, tie.target), []).append(tie)
    return grouped, issues


def _relationship(
    rel_id: str, activity: _Activity, pair: tuple[str, str], ties: Sequence[_Tie]
) -> Relationship:
    """The FUNDS relationship of one activity and pair, with the amount its ties attribute."""
    money = _money(ties)
    amount, currency = money if isinstance(money, tuple) else (None, None)
    return Relationship(
        id=rel_id,
        type="FUNDS",
        source=pair[0],
        target=pair[1],
        mechanisms=["finance"],
        since=activity.since,
        until=activity.until,
        status=activity.status,
        activities=_activity_lines(activity, ties),
        amount=amount,
        currency=currency,
        reference=clip(activity.identifier),
        sources=[activity.source],
    )


def _tie_issue(
    activity: _Activity, pair: tuple[str, str], ties: Sequence[_Tie], matched: Matched
) -> Issue | None:
    """Why a pair gets no relationship (skipped), or why it gets no amount (a note), or None."""
    source, target = (matched.by_id[org_id] for org_id in pair)
    item = f"activity {activity.identifier}: {source.name} FUNDS {target.name}"
    refusal = funds_refusal(source.type, target.type)
    if refusal:
        return Issue(item, refusal, True, "tie the vocabulary forbids")
    money = _money(ties)
    return Issue(item, money, reason="no amount") if isinstance(money, str) else None


def _relationships(
    activities: Sequence[_Activity], matched: Matched
) -> tuple[list[Relationship], list[Issue]]:
    """One FUNDS relationship per activity and pair, unless the vocabulary forbids it."""
    drafts = []
    issues = []
    for activity in activities:
        grouped, notes = _activity_ties(activity, matched.ids)
        issues += notes
        for pair, ties in grouped.items():
            issue = _tie_issue(activity, pair, ties, matched)
            issues += [issue] if issue else []
            if not (issue and issue.skipped):
                drafts.append((activity, pair, ties))
    ids = allocate_ids(
        ((a.identifier, *pair), slugify(f"{a.identifier}-{pair[0]}-funds-{pair[1]}"))
        for a, pair, _ in drafts
    )
    relationships = [
        _relationship(ids[(activity.identifier, *pair)], activity, pair, ties)
        for activity, pair, ties in drafts
    ]
    return relationships, issues


def import_activities(
    data: bytes,
    origin: str,
    known: Sequence[Organization] = (),
    decisions: Decisions = NO_DECISIONS,
) -> tuple[Document, ImportReport]:
    """Turn an IATI activity file into a document and a report of what was read and skipped.

    ``origin`` names the file in errors and in the citation of every source. ``known`` are the
    organisations already stored: those the file names are reused, not made again, and
    ``decisions`` are curators' verdicts on earlier name matches. Raises
    :class:`InvalidData` for XML that is not well-formed (naming file and line) and for files
    that are not activity files, such as IATI organisation files.
    """
    elements = _activity_elements(_parse(data, origin), origin)
    activities, issues = _read_activities(elements, origin)
    mentions = [m for activity in activities for m in activity.mentions()]
    matched = match_organizations(mentions, known, decisions)
    relationships, tie_issues = _relationships(activities, matched)
    document = Document(organizations=list(matched.organizations), relationships=relationships)
    report = ImportReport(
        origin=origin,
        record_kind="activity",
        records_read=len(elements),
        organizations=len(document.organizations),
        relationships=len(document.relationships),
        issues=tuple(dict.fromkeys([*issues, *matched.issues, *tie_issues])),
        created=tuple(org.id for org in document.organizations),
        matched=matched.reused,
        candidates=matched.candidates,
    )
    return document, report
