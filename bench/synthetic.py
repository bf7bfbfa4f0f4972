"""A seeded synthetic ecosystem for benchmarks: the in-memory face of ``app.io.synthetic``.

Kept so that benchmark scripts can ``from synthetic import ecosystem``; the generator itself
(shape, streaming, file output) lives in :mod:`app.io.synthetic`.
"""

from __future__ import annotations

from app.domain.models import Document
from app.io.synthetic import DEFAULT_SEED, document


def ecosystem(size: int, seed: int = DEFAULT_SEED) -> Document:
    """``size`` organisations and about three relationships each, the same for the same seed."""
    return document(size, seed)
