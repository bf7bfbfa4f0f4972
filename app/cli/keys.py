"""``solgraph keys``: make, list and revoke API keys, straight on the configured store.

The command line is where the first admin key comes from: whoever can run it already holds
the store's own credentials. A new key's token is printed once; only its hash is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from pydantic import TypeAdapter, ValidationError
from rich.table import Table

from app.cli.common import (
    LanguageOption,
    actor,
    configured_store,
    err,
    errors_to_exit,
    out,
    reader_language,
)
from app.domain.errors import InvalidData, Problem
from app.domain.keys import NAME_RULE, ROLE_NAMES, ROLES, KeyName, Role, new_key
from app.domain.messages import N_, gettext

keys_cli = typer.Typer(help="API keys: make, list, revoke.", no_args_is_help=True)


def _name(value: str) -> str:
    try:
        return TypeAdapter(KeyName).validate_python(value)
    except ValidationError:
        raise InvalidData(
            [Problem("key", "name", f"'{value}' is not a key name", (NAME_RULE,))]
        ) from None


def _role(value: str) -> Role:
    if value not in ROLES:
        raise InvalidData([Problem("key", "role", f"'{value}' is not a role", ROLES)])
    return value


@keys_cli.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who holds the key; the audit trail shows it.")],
    role: Annotated[str, typer.Option(help="reader, editor or admin.")] = "editor",
    lang: LanguageOption = None,
) -> None:
    """Make a key and print it once: store it now, it cannot be shown again."""
    said = reader_language(lang)
    with errors_to_exit():
        record, token = new_key(_name(name), _role(role), actor(), datetime.now(UTC))
    with configured_store() as (_, store), errors_to_exit():
        store.add_key(record)
    made = gettext(N_("made {role} key '{name}'; it is shown once:"), said)
    err.print(made.format(role=gettext(ROLE_NAMES[record.role], said), name=record.name))
    out.print(token)


@keys_cli.command("list")
def list_keys(lang: LanguageOption = None) -> None:
    """Show every key (never a secret), revoked ones too."""
    said = reader_language(lang)
    columns = (N_("name"), N_("role"), N_("key id"), N_("created"), N_("created by"), N_("revoked"))
    with configured_store() as (_, store):
        table = Table(*(gettext(column, said) for column in columns))
        for key in store.list_keys():
            table.add_row(
                key.name,
                gettext(ROLE_NAMES[key.role], said),
                key.key_id,
                key.created.isoformat(timespec="seconds"),
                key.created_by,
                "" if key.revoked is None else key.revoked.isoformat(timespec="seconds"),
            )
        out.print(table)


@keys_cli.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="The key's name.")], lang: LanguageOption = None
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    said = reader_language(lang)
    with configured_store() as (_, store), errors_to_exit():
        key = store.revoke_key(name, datetime.now(UTC))
    revoked = gettext(N_("revoked '{name}' at {time}"), said)
    out.print(revoked.format(name=key.name, time=key.revoked))
