"""Who the audit trail names, as each caller may see it: names with a key, roles without one.

The trail records key names and, for the command line, ``cli:<login name>`` (see
``app.cli.common.actor``). Reads are public by default, so an anonymous caller sees only what
kind of actor made a change — the key's role, ``command line``, ``system`` for a load that
named no one, or ``unknown`` — and never a person's or an account's name. Any valid key,
a reader's included, sees the names as recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from app.api.auth import Reader
from app.api.deps import StoreDep
from app.domain.edits import Change
from app.domain.imports import ImportRecord, ReviewCandidate
from app.domain.keys import ROLES, Role

COMMAND_LINE = "command line"
SYSTEM = "system"
UNKNOWN = "unknown"
LABELS: tuple[str, ...] = (*ROLES, COMMAND_LINE, SYSTEM, UNKNOWN)
"""Every label an anonymous caller may see in place of an actor's name."""


def role_label(actor: str, roles: Mapping[str, Role]) -> str:
    """The label shown for ``actor``, given each key name's role (revoked keys included)."""
    if actor in roles:
        return roles[actor]
    if actor == "cli" or actor.startswith("cli:"):
        return COMMAND_LINE
    return SYSTEM if actor == SYSTEM else UNKNOWN


@dataclass(frozen=True)
class ActorView:
    """Shows the trail's actors to one caller; ``roles`` is ``None`` when names may be seen."""

    roles: Mapping[str, Role] | None

    def actor(self, name: str) -> str:
        """The name as recorded, or its label for an anonymous caller."""
        return name if self.roles is None else role_label(name, self.roles)

    def change(self, change: Change) -> Change:
        """An audit entry with its actor as this caller may see it."""
        return change.model_copy(update={"actor": self.actor(change.actor)})

    def candidate(self, candidate: ReviewCandidate) -> ReviewCandidate:
        """A review candidate with who decided it as this caller may see it."""
        by = candidate.decided_by
        return candidate.model_copy(update={"decided_by": None if by is None else self.actor(by)})

    def import_record(self, record: ImportRecord) -> ImportRecord:
        """An import with who ran it, and who decided each candidate, as this caller may see."""
        candidates = [self.candidate(c) for c in record.candidates]
        return record.model_copy(
            update={"actor": self.actor(record.actor), "candidates": candidates}
        )


def actor_view(caller: Reader, store: StoreDep) -> ActorView:
    """Names for a caller with a key; for an anonymous one, labels from the stored keys' roles."""
    if caller.role is not None:
        return ActorView(None)
    return ActorView({key.name: key.role for key in store.list_keys()})


Actors = Annotated[ActorView, Depends(actor_view)]
