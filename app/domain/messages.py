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

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from app.domain.languages import DEFAULT, Language, country_name
from app.domain.terms import Section, label

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
"""``app/locale``: each domain's template catalogue and one folder per language."""
DOMAIN = "messages"
"""Messages of the Python code and the page templates."""
SCRIPTS = "scripts"
"""Messages of the pages' scripts, which get their language's catalogue inside the page."""


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for this marker)
    """Mark ``message`` for extraction where it is defined; it is translated where it is said."""
    return message


@cache
def catalogue(lang: Language, domain: str = DOMAIN) -> NullTranslations:
    """The compiled catalogue of ``lang``; English says every message as it is written."""
    if lang == DEFAULT:
        return NullTranslations()
    compiled = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo"
    if not compiled.is_file():
        raise FileNotFoundError(f"no compiled catalogue for '{lang}' at {compiled}")
    return Translations.load(str(LOCALE_DIR), [lang], domain=domain)


PLURAL_TAGS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories in the order gettext numbers a catalogue's plural forms (Babel
derives a language's ``Plural-Forms`` from CLDR in this order)."""

ScriptMessage = str | dict[str, str]
"""A script message's translation: its text, or for a plural message its form per CLDR plural
category ("one", "many", "other"), which a page's ``Intl.PluralRules`` chooses between."""


@cache
def script_messages(lang: Language) -> dict[str, ScriptMessage]:
    """The scripts' catalogue of ``lang`` as message → translation, for a page to carry (empty
    in English: scripts say their messages as written); a plural message is keyed by its
    singular."""
    if lang == DEFAULT:
        return {}
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{SCRIPTS}.po").open("rb") as po:
        found = read_po(po, locale=lang)
    used = Locale.parse(lang).plural_form.tags | {"other"}
    tags = [tag for tag in PLURAL_TAGS if tag in used]
    messages: dict[str, ScriptMessage] = {}
    for m in found:
        if not m.id or not m.string or m.fuzzy:
            continue
        if isinstance(m.id, tuple | list):
            messages[str(m.id[0])] = dict(zip(tags, map(str, m.string), strict=True))
        else:
            messages[str(m.id)] = str(m.string)
    return messages


def gettext(message: str, lang: Language) -> str:
    """``message`` in ``lang``."""
    return catalogue(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: Language) -> str:
    """The singular or plural of a message for ``n`` things, by ``lang``'s plural rule."""
    return catalogue(lang).ngettext(singular, plural, n)


TERM_PLACES: dict[str, Section] = {
    "sector": "sectors",
    "status": "organization_statuses",
    "type": "organization_types",
    "movement": "movements",
}
"""Places that hold a vocabulary key, named by its label in the reader's language: in lower case
inside a sentence (``{sector}``), or as the label is (``{sector_label}``)."""


@dataclass(frozen=True)
class Sentence:
    """A sentence kept as its English template (a marked message with ``{named}`` places) and
    the values of its places, so that each reader gets it in their language.

    A value is a name, which no language changes; or, by its place: an ISO country code
    (``country``), a number (grouped as the language groups digits), a vocabulary key
    (:data:`TERM_PLACES`), names listed in prose (:class:`Listed`), a sentence said in the same
    language, or several sentences, said and listed."""

    template: str
    values: tuple[tuple[str, Place], ...] = ()

    def say(self, lang: Language = DEFAULT) -> str:
        """The sentence in ``lang``, its places filled."""
        filled = {place: _named(place, value, lang) for place, value in self.values}
        return gettext(self.template, lang).format(**filled)


@dataclass(frozen=True)
class Listed:
    """Names listed in prose, "A", "A and B", "A, B and C", with the reader's "and"."""

    names: tuple[str, ...]

    def say(self, lang: Language = DEFAULT) -> str:
        """The names listed in ``lang``."""
        if len(self.names) < 2:
            return "".join(self.names)
        last = gettext(N_("{listed} and {last}"), lang)
        return last.format(listed=", ".join(self.names[:-1]), last=self.names[-1])


Place = str | int | Sentence | Listed | tuple[Sentence, ...]
"""The value of a sentence's place."""


def as_written(text: str) -> Sentence:
    """Words that stay as they are in every language (a curator's title, a name)."""
    return Sentence("{words}", (("words", text),))


def _named(place: str, value: Place, lang: Language) -> str:
    if isinstance(value, Sentence | Listed):
        return value.say(lang)
    if isinstance(value, tuple):
        return ", ".join(part.say(lang) for part in value)
    if isinstance(value, int):
        return format_decimal(value, locale=lang)
    if place == "country":
        return country_name(value, lang)
    term = place.removesuffix("_label")
    if term in TERM_PLACES:
        said = label(TERM_PLACES[term], value, lang)
        return said if place.endswith("_label") else said.lower()
    return value
