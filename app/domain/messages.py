"""Our own sentences in each language, from gettext catalogues made with Babel.

A message is marked where it is written, with ``N_`` when it is only defined there and said
later; ``make messages`` extracts the marked messages into ``app/locale/messages.pot``, updates
each language's ``messages.po`` and compiles the ``messages.mo`` read here. English is the
language the messages are written in, so it needs no catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from app.domain.languages import DEFAULT, Language, country_name
from app.domain.terms import Section, label

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
"""``app/locale``: the template catalogue and one folder per language."""
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for this marker)
    """Mark ``message`` for extraction where it is defined; it is translated where it is said."""
    return message


@cache
def catalogue(lang: Language) -> NullTranslations:
    """The compiled catalogue of ``lang``; English says every message as it is written."""
    if lang == DEFAULT:
        return NullTranslations()
    compiled = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not compiled.is_file():
        raise FileNotFoundError(f"no compiled catalogue for '{lang}' at {compiled}")
    return Translations.load(str(LOCALE_DIR), [lang], domain=DOMAIN)


def gettext(message: str, lang: Language) -> str:
    """``message`` in ``lang``."""
    return catalogue(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: Language) -> str:
    """The singular or plural of a message for ``n`` things, by ``lang``'s plural rule."""
    return catalogue(lang).ngettext(singular, plural, n)


TERM_PLACES: dict[str, Section] = {"sector": "sectors", "status": "organization_statuses"}
"""Places that hold a vocabulary key, not words, named in the reader's language (in lower case,
as inside a sentence); a ``country`` place holds an ISO code, named likewise."""


@dataclass(frozen=True)
class Sentence:
    """A sentence kept as its English template (a marked message with ``{named}`` places) and
    the values of its places, so that each reader gets it in their language.

    Values are names, which no language changes, but for the places of :data:`TERM_PLACES`
    and ``country``."""

    template: str
    values: tuple[tuple[str, str], ...] = ()

    def say(self, lang: Language = DEFAULT) -> str:
        """The sentence in ``lang``, its places filled."""
        filled = {place: _named(place, value, lang) for place, value in self.values}
        return gettext(self.template, lang).format(**filled)


def _named(place: str, value: str, lang: Language) -> str:
    if place == "country":
        return country_name(value, lang)
    if place in TERM_PLACES:
        return label(TERM_PLACES[place], value, lang).lower()
    return value
