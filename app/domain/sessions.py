"""Browser sessions: what a person gets for pasting an API key once on the sign-in page.

The browser holds only a random session token, in an HttpOnly cookie; the store keeps the
SHA-256 hash of the token (so a copy of the store opens no session), the key it stands for
and when it expires. The session is as strong as its key, and ends with it: a revoked key
ends every session it opened. Forms and page scripts prove they come from our own pages with
a CSRF token derived from the session token (an HMAC), which a page can read but another
site cannot, because the cookie is HttpOnly and SameSite=Strict and the token is never
stored (OWASP Cross-Site Request Forgery Prevention Cheat Sheet, "Synchronizer token" and
"Signed double-submit cookie").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from app.domain.keys import ApiKey

_CSRF_PURPOSE = b"solgraph csrf"


class BrowserSession(BaseModel):
    """A stored session: the hash of its token, the key it stands for, and its lifetime."""

    model_config = ConfigDict(frozen=True)

    token_hash: str
    key_id: str
    created: datetime
    expires: datetime

    def live(self, now: datetime) -> bool:
        """Whether the session may still be used at ``now``."""
        return now < self.expires


def token_hash(token: str) -> str:
    """The SHA-256 hex digest of a session token, as stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_session(key: ApiKey, now: datetime, lifetime: timedelta) -> tuple[BrowserSession, str]:
    """A fresh session for ``key`` and the token for its cookie (the only time it exists).

    A new token is made at every sign-in, whatever cookie the browser had before, so a
    token planted in a browser can never become a signed-in session (session fixation).
    """
    token = secrets.token_urlsafe(32)
    session = BrowserSession(
        token_hash=token_hash(token), key_id=key.key_id, created=now, expires=now + lifetime
    )
    return session, token


def csrf_token(token: str) -> str:
    """The CSRF token of the session whose cookie holds ``token``."""
    return hmac.new(token.encode("utf-8"), _CSRF_PURPOSE, hashlib.sha256).hexdigest()


def csrf_matches(token: str, presented: str) -> bool:
    """Whether ``presented`` is the CSRF token of ``token``'s session, in constant time."""
    return hmac.compare_digest(csrf_token(token), presented)
