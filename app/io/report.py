"""What an import tells its user: a summary first, then every item it skipped or noted, by reason.

Every importer returns an :class:`ImportReport`. The API serves it as JSON and the CLI prints
:meth:`ImportReport.as_text`; both come from :meth:`ImportReport.summary` and
:meth:`ImportReport.groups`, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, Sentence


@dataclass(frozen=True)
class Issue:
    """One input item and what the import did with it: left it out, or kept it with a caveat.

    ``reason`` is the short heading the item is grouped under ("not an org-id", "forbidden
    tie"); ``message`` says what is wrong with this item. Without a reason the message is the
    heading.
    """

    item: str
    message: str
    skipped: bool = False
    reason: str = ""

    @property
    def heading(self) -> str:
        """The heading this item is grouped under in reports."""
        return self.reason or self.message


@dataclass(frozen=True)
class Candidate:
    """A name match the import did not apply: the organisation it made and the stored one.

    A curator accepts it (the imported organisation is merged into the stored one) or rejects
    it (they stay two). ``score`` is the names' similarity, 0 to 100.
    """

    imported: str
    imported_name: str
    stored: str
    stored_name: str
    score: float
    evidence_for: tuple[str, ...]
    evidence_against: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """The items of a report that share one heading, and whether they were skipped."""

    heading: str
    skipped: bool
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class Summary:
    """The counts a report opens with; ``skipped`` and ``notes`` count items by heading."""

    records_read: int
    created: int
    matched: int
    candidates: int
    relationships: int
    skipped: tuple[tuple[str, int], ...]
    notes: tuple[tuple[str, int], ...]


def _grouped(issues: Iterable[Issue]) -> list[Group]:
    by_heading: dict[tuple[bool, str], list[Issue]] = {}
    for issue in issues:
        by_heading.setdefault((issue.skipped, issue.heading), []).append(issue)
    ordered = sorted(by_heading.items(), key=lambda pair: (not pair[0][0], -len(pair[1])))
    return [Group(heading, skipped, tuple(items)) for (skipped, heading), items in ordered]


@dataclass(frozen=True)
class ImportReport:
    """What an import read and made, what it matched or left for review, and every caveat.

    ``created`` holds the ids of the organisations the document adds; ``matched`` pairs each
    imported organisation found among the stored ones (named as imported) with the stored id;
    ``candidates`` are name matches left for a curator to accept or reject.
    """

    origin: str
    record_kind: str
    records_read: int
    organizations: int
    relationships: int
    issues: tuple[Issue, ...] = ()
    created: tuple[str, ...] = ()
    matched: tuple[tuple[str, str], ...] = ()
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def skipped(self) -> tuple[Issue, ...]:
        """Items left out of the document, each with the reason."""
        return tuple(issue for issue in self.issues if issue.skipped)

    @property
    def notes(self) -> tuple[Issue, ...]:
        """Items imported with a caveat, such as a merged name or an unknown identifier."""
        return tuple(issue for issue in self.issues if not issue.skipped)

    def groups(self) -> list[Group]:
        """The issues by heading: skipped ones first, then notes, the largest group first."""
        return _grouped(self.issues)

    def summary(self) -> Summary:
        """The counts the report opens with."""
        groups = self.groups()
        return Summary(
            records_read=self.records_read,
            created=len(self.created),
            matched=len(self.matched),
            candidates=len(self.candidates),
            relationships=self.relationships,
            skipped=tuple((g.heading, len(g.issues)) for g in groups if g.skipped),
            notes=tuple((g.heading, len(g.issues)) for g in groups if not g.skipped),
        )

    def as_json(self) -> dict[str, Any]:
        """The report as JSON values: the summary first, then the matches and the groups."""
        total = self.summary()
        return {
            "origin": self.origin,
            "record_kind": self.record_kind,
            "summary": {
                "records_read": total.records_read,
                "created": total.created,
                "matched": total.matched,
                "candidates": total.candidates,
                "relationships": total.relationships,
                "skipped": [{"reason": r, "count": n} for r, n in total.skipped],
                "notes": [{"reason": r, "count": n} for r, n in total.notes],
            },
            "created": list(self.created),
            "matched": [{"imported": name, "id": key} for name, key in self.matched],
            "candidates": [
                {
                    **asdict(c),
                    "evidence_for": list(c.evidence_for),
                    "evidence_against": list(c.evidence_against),
                }
                for c in self.candidates
            ],
            "groups": [
                {
                    "reason": group.heading,
                    "skipped": group.skipped,
                    "items": [{"item": i.item, "message": i.message} for i in group.issues],
                }
                for group in self.groups()
            ],
        }

    def as_text(self, limit: int = 20, lang: Language = DEFAULT) -> str:
        """The report for a terminal: the summary, then at most ``limit`` items per heading; our
        words in ``lang``, the importer's headings and messages as it wrote them."""
        total = self.summary()

        def said(message: str, **values: str | int) -> str:
            return Sentence(message, tuple(values.items())).say(lang)  # numbers as lang writes them

        lines = [
            said(N_("{origin}: {count} {kind} record(s) read"), origin=self.origin,
                 count=total.records_read, kind=self.record_kind),
            "  " + said(N_("organisations created: {count}"), count=total.created),
            "  " + said(N_("organisations matched to stored ones: {count}"), count=total.matched),
            "  " + said(N_("candidate matches for review: {count}"), count=total.candidates),
            "  " + said(N_("relationships: {count}"), count=total.relationships),
        ]  # fmt: skip
        lines += [
            "  " + said(N_("skipped, {heading}: {count}"), heading=heading, count=count)
            for heading, count in total.skipped
        ]
        lines += [
            "  " + said(N_("noted, {heading}: {count}"), heading=heading, count=count)
            for heading, count in total.notes
        ]
        for name, stored in self.matched[:limit]:
            lines.append(said(N_("matched: {name} -> {id}"), name=name, id=stored))
        for candidate in self.candidates[:limit]:
            lines.append(
                said(
                    N_("for review: {name} ({id}) may be {stored_name} ({stored})"),
                    name=candidate.imported_name,
                    id=candidate.imported,
                    stored_name=candidate.stored_name,
                    stored=candidate.stored,
                )
            )
        for group in self.groups():
            kind = (
                N_("skipped, {heading} ({count}):")
                if group.skipped
                else N_("noted, {heading} ({count}):")
            )
            lines.append(said(kind, heading=group.heading, count=len(group.issues)))
            lines += [f"  {issue.item}: {issue.message}" for issue in group.issues[:limit]]
            if len(group.issues) > limit:
                lines.append(
                    "  " + said(N_("... and {count} more"), count=len(group.issues) - limit)
                )
        return "\n".join(lines)
