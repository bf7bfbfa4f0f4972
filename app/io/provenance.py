"""The source an importer writes for each record it maps from another tool's or publisher's file.

Such a record is ``imported``: mapped mechanically, not checked against what the file's own
sources say. Its source's ``citation`` names the file (the kind of file and its name, then
its publisher where the file says who that is), its ``locator`` the record within the file
(an activity, a grant, a row, an element), and ``year`` the year of the record's date where it
has one. Documents in our own interchange format keep the sources they carry.
"""

from __future__ import annotations

from app.domain.models import Source
from app.io.ids import clip, file_name

IMPORTED = "imported"


def file_citation(kind: str, origin: str, publisher: str | None = None) -> str:
    """ "IATI file grants.xml, published by DFID": the kind, the file's name, its publisher."""
    named = f"{kind} {file_name(origin)}"
    return clip(f"{named}, published by {publisher}" if publisher else named)


def imported_source(
    citation: str,
    record: str,
    year: int | None = None,
    url: str | None = None,
    quote: str | None = None,
) -> Source:
    """The ``imported`` source of one record: the file's citation, the record as locator.

    ``quote`` keeps words of the record itself that are not mapped to a field, such as the
    references a Kumu map gives for an element.
    """
    return Source(
        citation=citation,
        locator=clip(record),
        basis=IMPORTED,
        year=year,
        url=url,
        quote=clip(quote) if quote else None,
    )
