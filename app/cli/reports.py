"""What a load or an import did, as the command line prints it in the reader's language: records
created, updated and left unchanged, per kind."""

from __future__ import annotations

from babel.numbers import format_decimal
from rich.table import Table

from app.domain.languages import Language
from app.domain.messages import N_, gettext
from app.store.protocol import Changes

KINDS = (N_("organizations"), N_("relationships"))
"""The kinds of record a load or an import changes, as the table's rows name them."""


def changes_table(organizations: Changes, relationships: Changes, lang: Language) -> Table:
    """The changes to each kind of record as a table, its words and numbers in ``lang``."""
    columns = (N_("records"), N_("created"), N_("updated"), N_("unchanged"))
    table = Table(*(gettext(column, lang) for column in columns))
    for kind, changes in zip(KINDS, (organizations, relationships), strict=True):
        counts = (changes.created, changes.updated, changes.unchanged)
        table.add_row(gettext(kind, lang), *(format_decimal(n, locale=lang) for n in counts))
    return table
