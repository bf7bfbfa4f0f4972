"""Organisation names as keys: normalised names, initials and acronyms, to compare names by.

Imports name one organisation in many ways: with other casing, accents or punctuation, with or
without a legal form, or by its acronym (the brief writes "Self-Employment Women's Association
(SEWA)"). These pure functions turn a name into the keys two names are compared by, as the
duplicate finder (``app.analysis.duplicates``) does; they know nothing of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.text import fold

MIN_ACRONYM_LETTERS = 3
"""Shorter acronyms (UN, AU) stand for too many different names to be evidence."""

FUNCTION_WORDS = frozenset(
    {
        *("a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"),
        *("al", "con", "de", "del", "el", "en", "la", "las", "los", "para", "por", "y"),
        *("as", "com", "da", "das", "do", "dos", "e", "em", "na", "nas", "no", "nos", "o", "os"),
        *("au", "aux", "d", "des", "du", "et", "l", "le", "les", "pour", "sur"),
    }
)
"""Articles, prepositions and conjunctions of English, Spanish, Portuguese and French that
acronyms skip: "Women in Informal Employment: Globalizing and Organizing" is WIEGO, "Agence
Française de Développement" is AFD. French elisions (l', d') count as the word they stand for."""

LEGAL_FORMS = frozenset({"limited", "ltd", "plc"})
"""Legal-form words ignored at the end of a name: UK company law disregards them there when it
decides whether two names are the same (The Company, Limited Liability Partnership and
Business (Names and Trading Disclosures) Regulations 2015, regulation 7 and Schedule 3), so
"VimoSEWA Cooperative Limited" and "VimoSEWA Cooperative" share a key."""

_APOSTROPHES = re.compile(r"[\u2019\u2018\u02bc`]")
_ELISION = re.compile(r"\b(l|d|qu)'(?=[^\W_])")
_JOINERS = re.compile(r"['.]")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of ``text``, with a trailing legal form dropped.

    Apostrophes and full stops join ("Women's" -> "womens", "S.E.W.A." -> "sewa"), except after
    a French elided article or preposition ("l'Économie" -> "l", "economie"); every other
    character that is not a letter or digit (hyphens, spaces, "&", ":") separates words.
    """
    folded = _ELISION.sub(r"\1 ", _APOSTROPHES.sub("'", fold(text)))
    found = _WORD.findall(_JOINERS.sub("", folded))
    if len(found) > 1 and found[-1] in LEGAL_FORMS:
        found.pop()
    return found


def name_key(text: str) -> str:
    """``text`` without case, accents, punctuation or a trailing legal form, words spaced once.

    "Self-Employment Women's Association" -> "self employment womens association".
    """
    return " ".join(words(text))


def initials(text: str) -> str:
    """The first letter (or digit) of each word of ``text`` that is not a function word.

    Hyphenated parts count as words, so "Self-Employment Women's Association" -> "sewa".
    """
    return _initials(words(text))


def _initials(split: Sequence[str]) -> str:
    return "".join(word[0] for word in split if word not in FUNCTION_WORDS)


def acronym_key(text: str) -> str:
    """``text`` as an acronym key ("COTU-K" -> "cotuk"), or "" if it is no acronym.

    An acronym is written as one word (no spaces) and has at least
    :data:`MIN_ACRONYM_LETTERS` letters.
    """
    if len(text.split()) != 1:
        return ""
    key = "".join(words(text))
    return key if sum(c.isalpha() for c in key) >= MIN_ACRONYM_LETTERS else ""
