"""Loads and checks of whole documents, the same on every backend: each is one ``apply``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from app.domain.edits import Edit
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document
from app.store.protocol import Changes, LoadReport, Progress


class DocumentLoads(ABC):
    """``GraphStore.load`` and ``GraphStore.check`` for a backend that implements ``apply``."""

    @abstractmethod
    def apply(
        self, edit: Edit, progress: Progress | None = None, dry_run: bool = False
    ) -> LoadReport:
        """See ``GraphStore.apply``."""

    def load(
        self, document: Document, progress: Progress | None = None, actor: str = "system"
    ) -> LoadReport:
        """Put every record of ``document`` as one edit recorded under ``load``."""
        return self.apply(Edit.of_document(document, actor, "load"), progress)

    def apply_parts(self, edits: Iterable[Edit], progress: Progress | None = None) -> LoadReport:
        """Gather the edits into one and ``apply`` it (backends that can stream override this)."""
        gathered = list(edits)
        if not gathered:
            return LoadReport(Changes(), Changes())
        return self.apply(
            Edit(
                actor=gathered[0].actor,
                action=gathered[0].action,
                organizations=tuple(o for e in gathered for o in e.organizations),
                relationships=tuple(r for e in gathered for r in e.relationships),
            ),
            progress,
        )

    def check(self, document: Document) -> list[Problem]:
        """Every problem loading ``document`` would meet: a dry run of its load."""
        try:
            self.apply(Edit.of_document(document, "check", "check"), dry_run=True)
        except InvalidData as error:
            return error.problems
        return []
