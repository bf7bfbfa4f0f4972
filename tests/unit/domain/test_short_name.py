"""``Organization.short_name``: how maps and prose name an organisation.

Expected values are the seed's own records (``app/io``'s seed): UTRASD's first alias is its
acronym; WIEGO's name is already its acronym and its first alias the full name.
"""

from __future__ import annotations

from app.io.documents import seed_document
from tests.factories import org


def test_an_acronym_alias_names_it() -> None:
    orgs = {o.id: o for o in seed_document().organizations}
    assert orgs["utrasd"].short_name() == "UTRASD"


def test_an_alias_longer_than_the_name_never_replaces_it() -> None:
    orgs = {o.id: o for o in seed_document().organizations}
    assert orgs["wiego"].short_name() == "WIEGO"
    renamed = org("ima", "IMA Limpia", aliases=["IMA Limpia SAS", "IMA"])
    assert renamed.short_name() == "IMA", "the first alias that is shorter"
    assert org("plain", "Plain Name", aliases=["Plain Name Ltd"]).short_name() == "Plain Name"
