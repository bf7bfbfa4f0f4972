"""A stored import and its review queue: name matches a curator accepts or rejects.

An import that finds an organisation only by name, with nothing else to confirm it, does not
merge the two: it makes the organisation it read and queues the pair as a
:class:`ReviewCandidate`. The :class:`ImportRecord` keeps the queue with the import's report
so that a curator can decide later, and every decision says who took it and when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.domain.errors import Conflict, NotFound

Decision = Literal["pending", "accepted", "rejected"]
DECISIONS: tuple[Decision, ...] = ("pending", "accepted", "rejected")
IMPORT_ID = r"^imp-[0-9a-f]{12}$"


class ReviewCandidate(BaseModel):
    """One queued name match: the organisation the import made and the stored one it may be.

    Accepting merges ``imported`` into ``stored`` (an audited merge); rejecting keeps both.
    ``score`` is the similarity of their names, 0 to 100.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^c[0-9]+$")
    imported: str
    imported_name: str
    stored: str
    stored_name: str
    score: float = Field(ge=0, le=100)
    evidence_for: list[str]
    evidence_against: list[str]
    status: Decision = "pending"
    decided_by: str | None = None
    decided_at: datetime | None = None


class ImportRecord(BaseModel):
    """One applied import: who ran it, when, on which file, its report and its review queue."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=IMPORT_ID)
    at: datetime
    actor: str
    origin: str
    report: dict[str, Any]
    candidates: list[ReviewCandidate]

    def candidate(self, candidate_id: str) -> ReviewCandidate | None:
        """The candidate with this id, if the import queued one."""
        return next((c for c in self.candidates if c.id == candidate_id), None)

    def decide(
        self, candidate_id: str, decision: Decision, actor: str, at: datetime, expected: Decision
    ) -> ImportRecord:
        """This record with one candidate set to ``decision``, if its status is ``expected``.

        Who and when are kept with the decision and cleared when it goes back to pending.
        ``NotFound`` for an unknown candidate; ``Conflict`` if another decision came first.
        """
        found = self.candidate(candidate_id)
        if found is None:
            raise NotFound("review candidate", candidate_id)
        if found.status != expected:
            by = f" by {found.decided_by}" if found.decided_by is not None else ""
            raise Conflict(
                f"review candidate '{candidate_id}' of import '{self.id}' is {found.status}{by}, "
                f"not {expected}"
            )
        pending = decision == "pending"
        changed = found.model_copy(
            update={
                "status": decision,
                "decided_by": None if pending else actor,
                "decided_at": None if pending else at,
            }
        )
        candidates = [changed if c.id == candidate_id else c for c in self.candidates]
        return self.model_copy(update={"candidates": candidates})
