"""``/api/keys``: API keys, managed by admins; a new key's secret is shown once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from app.api.auth import Admin
from app.api.deps import StoreDep
from app.api.problems import WRITE_RESPONSES
from app.domain.keys import KeyName, Role, new_key

router = APIRouter(prefix="/api/keys", tags=["keys"], responses=WRITE_RESPONSES)


class KeyRequest(BaseModel):
    """A key to make: who holds it (their name goes into the audit trail) and their role."""

    name: KeyName
    role: Role


class KeyView(BaseModel):
    """A stored key without its secret."""

    name: str
    role: Role
    key_id: str
    created: datetime
    created_by: str
    revoked: datetime | None = None


class NewKey(KeyView):
    """A key just made, with the token to hand over: it cannot be shown again."""

    key: str


@router.post("", status_code=201, response_model=NewKey)
def create_key(store: StoreDep, caller: Admin, request: KeyRequest) -> NewKey:
    """Make a key (admins); 409 if the name is taken."""
    record, token = new_key(request.name, request.role, caller.name, datetime.now(UTC))
    store.add_key(record)
    return NewKey(**record.public(), key=token)


@router.get("", response_model=list[KeyView])
def list_keys(store: StoreDep, caller: Admin) -> list[KeyView]:
    """Every key, revoked ones too, by name (admins)."""
    return [KeyView(**key.public()) for key in store.list_keys()]


@router.delete("/{name}", response_model=KeyView)
def revoke_key(
    store: StoreDep, caller: Admin, name: Annotated[str, Path(max_length=80)]
) -> KeyView:
    """Revoke a key (admins): it stops working at once; the record stays for the audit."""
    return KeyView(**store.revoke_key(name, datetime.now(UTC)).public())
