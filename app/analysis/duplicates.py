"""Likely duplicate organisations, each pair with the evidence that they are one.

Imports name the same organisation in many ways: by an org-id style identifier, by its name
with other casing, accents or punctuation, or by its acronym (the brief writes "Self-Employment
Women's Association (SEWA)"). Three kinds of evidence make a pair: a shared identifier, a
shared name or alias once normalised, and an acronym of one that spells the initials of a name
of the other. A pair is a suggestion for an analyst to review, not a verdict: the type,
movement and countries of the two are not compared, since a wrong type or country is one of
the things a duplicate record gets wrong.

Every name is indexed under its keys (a dict of key -> organisations), so the work grows with
the number of organisations plus the number of pairs reported, never with all pairs of
organisations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from app.domain.models import Organization
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


@dataclass(frozen=True)
class DuplicatePair:
    """Two organisations that may be one (``first`` < ``second``) and the evidence for it."""

    first: str
    second: str
    reasons: tuple[str, ...]


def _words(text: str) -> list[str]:
    """The folded words of ``text``, with a trailing legal form dropped.

    Apostrophes and full stops join ("Women's" -> "womens", "S.E.W.A." -> "sewa"), except after
    a French elided article or preposition ("l'Économie" -> "l", "economie"); every other
    character that is not a letter or digit (hyphens, spaces, "&", ":") separates words.
    """
    folded = _ELISION.sub(r"\1 ", _APOSTROPHES.sub("'", fold(text)))
    words = _WORD.findall(_JOINERS.sub("", folded))
    if len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return words


def name_key(text: str) -> str:
    """``text`` without case, accents, punctuation or a trailing legal form, words spaced once.

    "Self-Employment Women's Association" -> "self employment womens association".
    """
    return " ".join(_words(text))


def initials(text: str) -> str:
    """The first letter (or digit) of each word of ``text`` that is not a function word.

    Hyphenated parts count as words, so "Self-Employment Women's Association" -> "sewa".
    """
    return _initials(_words(text))


def _initials(words: Sequence[str]) -> str:
    return "".join(word[0] for word in words if word not in FUNCTION_WORDS)


def _acronym(text: str, words: Sequence[str]) -> str:
    """``text`` (split into ``words``) as an acronym key ("COTU-K" -> "cotuk"), or "".

    An acronym is written as one word (no spaces) and has at least
    :data:`MIN_ACRONYM_LETTERS` letters.
    """
    if len(text.split()) != 1:
        return ""
    key = "".join(words)
    return key if sum(c.isalpha() for c in key) >= MIN_ACRONYM_LETTERS else ""


Index = dict[str, dict[str, str]]
"""Key -> organisation id -> the first of its texts with that key (to quote in a reason)."""


def _add(index: Index, key: str, organization_id: str, text: str) -> None:
    if key:
        index.setdefault(key, {}).setdefault(organization_id, text)


def _indexes(organizations: Iterable[Organization]) -> tuple[Index, Index, Index, Index]:
    """Identifier, name, acronym and initials indexes of every organisation's texts."""
    identifiers: Index = {}
    names: Index = {}
    acronyms: Index = {}
    spelled: Index = {}
    for organization in organizations:
        for identifier in organization.identifiers:
            _add(identifiers, identifier.strip().casefold(), organization.id, identifier.strip())
        for text in (organization.name, *organization.aliases):
            words = _words(text)
            _add(names, " ".join(words), organization.id, text)
            _add(acronyms, _acronym(text, words), organization.id, text)
            letters = _initials(words)
            if len(letters) >= MIN_ACRONYM_LETTERS:
                _add(spelled, letters, organization.id, text)
    return identifiers, names, acronyms, spelled


Evidence = dict[tuple[str, str], list[tuple[int, str]]]
"""(first id, second id) -> (rank of the kind of evidence, reason) for each piece found."""


def _note(found: Evidence, a: str, b: str, rank: int, reason: str) -> None:
    found.setdefault((min(a, b), max(a, b)), []).append((rank, reason))


def likely_duplicates(organizations: Sequence[Organization]) -> list[DuplicatePair]:
    """Pairs of organisations that may be one, ordered by ids, each with its reasons.

    Reasons come in order: shared identifiers (org-id style, compared without case or
    surrounding space), then names or aliases equal under :func:`name_key`, then acronyms of
    one equal to the :func:`initials` of a name or alias of the other.
    """
    identifiers, names, acronyms, spelled = _indexes(organizations)
    found: Evidence = {}
    for holders in identifiers.values():
        for a, b in combinations(sorted(holders), 2):
            _note(found, a, b, 0, f"same identifier {holders[a]}")
    for key, holders in names.items():
        for a, b in combinations(sorted(holders), 2):
            _note(found, a, b, 1, f"same name or alias after normalising: '{key}'")
    for key, shorts in acronyms.items():
        for a, short in shorts.items():
            for b, full in spelled.get(key, {}).items():
                if a != b:
                    _note(found, a, b, 2, f"'{short}' is the acronym of '{full}'")
    return [
        DuplicatePair(a, b, tuple(dict.fromkeys(reason for _, reason in sorted(reasons))))
        for (a, b), reasons in sorted(found.items())
    ]
