"""Loads and checks of whole documents, the same on every backend: each is one ``apply``."""

from __future__ import annotations

from abc import ABC, abstractmethod

from app.domain.edits import Edit
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document
from app.store.protocol import LoadReport, Progress


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

    def check(self, document: Document) -> list[Problem]:
        """Every problem loading ``document`` would meet: a dry run of its load."""
        try:
            self.apply(Edit.of_document(document, "check", "check"), dry_run=True)
        except InvalidData as error:
            return error.problems
        return []
