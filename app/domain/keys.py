"""API keys: roles, how a key is made, and how a presented key is checked.

A key reads ``sgk_<key id>_<secret>``. Only the key id and a SHA-256 hash of the secret are
stored; the secret is shown once, when the key is made. The secret is 256 random bits, so a
fast hash is enough (no password stretching needed), and it is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from app.domain.messages import N_

Role = Literal["reader", "editor", "admin"]
ROLES: tuple[Role, ...] = ("reader", "editor", "admin")
ROLE_NAMES: dict[Role, str] = {"reader": N_("reader"), "editor": N_("editor"), "admin": N_("admin")}
"""Each role as a sentence names it (a marked message, said in the reader's language)."""
"""Roles from weakest to strongest; each may do everything the ones before it may."""

KeyName = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,79}$", strip_whitespace=True)
]
NAME_RULE = "1-80 letters, digits, spaces and . _ @ -, starting with a letter or digit"
_TOKEN = re.compile(r"^sgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


class ApiKey(BaseModel):
    """A stored API key: its name (who, in the audit trail), role, and the hash of its secret."""

    model_config = ConfigDict(frozen=True)

    name: KeyName
    role: Role
    key_id: str
    secret_hash: str
    created: datetime
    created_by: str
    revoked: datetime | None = None

    def public(self) -> dict[str, object]:
        """What may be shown about the key: everything but the hash."""
        return self.model_dump(mode="json", exclude={"secret_hash"})


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest of a key's secret, as stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_key(name: str, role: Role, created_by: str, now: datetime) -> tuple[ApiKey, str]:
    """A fresh key record and the token to hand over (the only time the secret exists)."""
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    record = ApiKey(
        name=name,
        role=role,
        key_id=key_id,
        secret_hash=hash_secret(secret),
        created=now,
        created_by=created_by,
    )
    return record, f"sgk_{key_id}_{secret}"


def split_token(token: str) -> tuple[str, str] | None:
    """The key id and secret of a well-formed token, or ``None``."""
    found = _TOKEN.match(token)
    return None if found is None else (found[1], found[2])


def secret_matches(key: ApiKey, secret: str) -> bool:
    """Whether ``secret`` is the key's secret, compared in constant time."""
    return hmac.compare_digest(key.secret_hash, hash_secret(secret))


def role_allows(role: Role, needed: Role) -> bool:
    """Whether a key of ``role`` may do what needs ``needed``."""
    return ROLES.index(role) >= ROLES.index(needed)
