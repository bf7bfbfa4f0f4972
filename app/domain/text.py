"""Text folding for search: case- and accent-insensitive matching of names and aliases."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and collapse white space, so that "Unión" ~ "union".

    Uses Unicode compatibility decomposition (NFKD) and drops combining marks, then
    ``str.casefold`` (which also maps "ß" to "ss").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
