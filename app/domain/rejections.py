"""Pairs of organisations a curator judged not to be one: the duplicate finder's memory.

The finder (``app.analysis.duplicates``) proposes pairs from names and identifiers; a curator
who looks and says "not the same" should not be asked again. A :class:`RejectedPair` keeps the
two ids, always in order so that a pair has one key however it was named, with who said so and
when.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, model_validator


class RejectedPair(BaseModel):
    """Two organisations that are not one (``first`` < ``second``), who judged so and when."""

    model_config = ConfigDict(frozen=True)

    first: str
    second: str
    rejected_by: str
    rejected_at: datetime

    @model_validator(mode="after")
    def _ordered(self) -> RejectedPair:
        if not self.first < self.second:
            raise ValueError("a rejected pair names two ids, the smaller first")
        return self

    @classmethod
    def of(cls, one: str, other: str, actor: str, at: datetime) -> RejectedPair:
        """The pair of ``one`` and ``other`` in either order, rejected by ``actor`` at ``at``."""
        first, second = sorted((one, other))
        return cls(first=first, second=second, rejected_by=actor, rejected_at=at)

    @property
    def key(self) -> tuple[str, str]:
        """The two ids, smaller first: what a duplicate pair is looked up by."""
        return self.first, self.second
