"""The languages Solidarity Graph speaks, and how a reader's language is chosen.

English, Spanish, French and Portuguese. A request names one with ``?lang=``; otherwise the
best match of its ``Accept-Language`` header (RFC 9110, section 12.5.4) among ours, matched by
Babel; otherwise English. Country names in each language come from Babel's CLDR data.
"""

from __future__ import annotations

from typing import Literal, get_args

from babel import Locale, negotiate_locale

from app.domain.vocabulary import vocabulary

Language = Literal["en", "es", "fr", "pt"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT: Language = "en"

NAMES: dict[Language, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
}
"""Each language in its own words, as a language switcher offers it."""


def language(text: str) -> Language:
    """``text`` as one of our languages, or :class:`ValueError` naming the allowed ones."""
    for known in LANGUAGES:
        if text == known:
            return known
    raise ValueError(f"'{text}' is not a language we have; allowed: {', '.join(LANGUAGES)}")


def accepted(header: str) -> list[str]:
    """The language ranges of an ``Accept-Language`` value, most wanted first.

    Ranges weighted ``q=0`` are refused, so they are left out; equal weights keep the header's
    order; a weight that is not a number counts as 0.
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag.strip() and weight > 0:
            weighted.append((-weight, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def preferred(header: str | None) -> Language:
    """The language of ours an ``Accept-Language`` header prefers; English if none matches.

    ``es-CO`` matches Spanish, ``*`` matches nothing in particular and so English."""
    if not header:
        return DEFAULT
    found = negotiate_locale(accepted(header), list(LANGUAGES), sep="-")
    return language(found.lower()) if found else DEFAULT


def chosen(asked: str | None, header: str | None) -> Language:
    """The language of a request: ``?lang=`` if given (and ours), else :func:`preferred`."""
    return language(asked) if asked is not None else preferred(header)


def country_name(code: str, lang: Language) -> str:
    """The country with ISO 3166-1 alpha-2 ``code`` as a reader of ``lang`` names it: our own
    short names in English, CLDR's in the others; the code itself if neither knows it."""
    if lang == DEFAULT:
        return vocabulary().countries.get(code, code)
    name = Locale(lang).territories.get(code)
    return name if isinstance(name, str) else code


CLDR_LOCALES: dict[Language, str] = {"en": "en_GB", "es": "es", "fr": "fr", "pt": "pt"}
"""The CLDR locale whose formats each of our languages writes dates in: our English is
British ("5 December 2026")."""
