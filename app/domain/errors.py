"""The project's exception tree: every layer raises these, and the API maps each to a status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with input: which record, which field, what is wrong, what is allowed."""

    record: str
    field: str
    message: str
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.record}: {self.field}: {self.message}"
        if self.allowed:
            text += f" (allowed: {', '.join(self.allowed)})"
        return text


class SolGraphError(Exception):
    """Base of every error the project raises on purpose."""

    title = "Solidarity Graph error"


class NotFound(SolGraphError):
    """A record asked for by id does not exist."""

    title = "Not found"

    def __init__(self, kind: str, key: str) -> None:
        self.kind, self.key = kind, key
        super().__init__(f"no {kind} with id '{key}'")


class InvalidData(SolGraphError):
    """Records that break the data model; nothing was written."""

    title = "Invalid data"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} problem(s): {shown}{more}")


class InvalidQuery(SolGraphError):
    """A query parameter with a value outside what is allowed."""

    title = "Invalid query parameter"

    def __init__(self, parameter: str, message: str, allowed: Sequence[str] = ()) -> None:
        self.parameter, self.allowed = parameter, tuple(allowed)
        suffix = f"; allowed: {', '.join(self.allowed)}" if self.allowed else ""
        super().__init__(f"query parameter '{parameter}': {message}{suffix}")


class Conflict(SolGraphError):
    """A write that clashes with what the store holds, such as a duplicate id."""

    title = "Conflict"


class StoreUnavailable(SolGraphError):
    """The store cannot be reached now; the same request may succeed after ``retry_after`` s."""

    title = "Store unavailable"

    def __init__(self, reason: str, retry_after: int = 5) -> None:
        self.retry_after = retry_after
        super().__init__(reason)


class DamagedStore(StoreUnavailable):
    """A store file that is no sound store: damaged, emptied, or some other file in its place.

    A kind of ``StoreUnavailable`` (the store cannot serve), but waiting does not mend it: the
    message says what is wrong with which file and what to do. Nothing was written to it.
    """

    title = "Store damaged"


class PreconditionFailed(SolGraphError):
    """A write conditioned on a record's ETag (``If-Match``) found the record changed since."""

    title = "Precondition failed"

    def __init__(self, kind: str, key: str, current: str | None) -> None:
        self.kind, self.key, self.current = kind, key, current
        now = "it has been deleted" if current is None else f'its ETag is now "{current}"'
        super().__init__(
            f"{kind} '{key}' changed since you read it ({now}); read it again and redo your edit"
        )


class Unauthorized(SolGraphError):
    """A request that needs an API key came without a valid one."""

    title = "Unauthorized"


class Forbidden(SolGraphError):
    """A valid API key whose role is too weak for the request."""

    title = "Forbidden"


class TooLarge(SolGraphError):
    """An upload larger than the configured limit; nothing was read or written."""

    title = "Content too large"
