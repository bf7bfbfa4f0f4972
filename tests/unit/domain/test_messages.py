"""The gettext catalogues: every marked message translated in every language, with the same
places, and compiled as committed (issue 22, points 3 and 4)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.domain.languages import LANGUAGES, Language
from app.domain.messages import LOCALE_DIR, Sentence, gettext, script_messages

APP = Path(__file__).resolve().parents[3] / "app"
TRANSLATED = LANGUAGES[1:]


DOMAINS = {
    "messages": [("**.py", "python"), ("maps/templates/**.html", "jinja2")],
    "scripts": [("maps/static/**.js", "javascript")],
}
"""Where each domain's messages are, as babel.cfg and babel-scripts.cfg say (paths in app/)."""
OPTIONS = {"maps/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def marked(domain: str) -> set[str]:
    """Every message marked in our code, found by Babel's own extractors as ``make messages``
    finds them; a plural message by its singular."""
    found = extract_from_dir(str(APP), method_map=DOMAINS[domain], options_map=OPTIONS)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def catalogue(lang: Language, domain: str = "messages") -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as po:
        return read_po(po, locale=lang)


def places(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


@pytest.mark.parametrize("domain", DOMAINS)
def test_there_are_marked_messages_and_the_template_holds_them_all(domain: str) -> None:
    wanted = marked(domain)
    assert len(wanted) > 10
    with (LOCALE_DIR / f"{domain}.pot").open("rb") as pot:
        held = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    assert held == wanted, "run `make messages`"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_message_is_translated_with_the_same_places(
    lang: Language, domain: str
) -> None:
    found = catalogue(lang, domain)
    assert found.plural_forms.startswith("nplurals="), "CLDR's plural rule is in the header"
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in found if m.id}
    assert marked(domain) <= ids, f"not in {lang}'s catalogue: {marked(domain) - ids}"
    for message in found:
        if not message.id:
            continue
        assert not message.fuzzy, f"{lang}: fuzzy {message.id!r}"
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        if isinstance(message.id, tuple):
            assert len(forms) == found.num_plurals, f"{lang}: plural forms of {message.id!r}"
        for n, form in enumerate(forms):
            assert form, f"{lang}: no translation of {message.id!r}"
            # The first form ("one") keeps the singular's places, and may say a count of
            # exactly one without its number ("The best match of {total}.").
            least = places(str(english[0])) if n == 0 else places(str(english[-1]))
            assert least <= places(str(form)) <= places(str(english[-1])), (message.id, form)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogues_are_those_of_the_po_files(lang: Language, domain: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(lang, domain))
    committed = (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo").read_bytes()
    assert compiled.getvalue() == committed, "run `make messages`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_pages_plural_message_carries_its_forms_by_the_languages_plural_categories(
    lang: Language,
) -> None:
    # The categories are CLDR's for the language, in CLDR's order ("zero" ... "other"), which
    # is the order of the catalogue's forms (Babel derives Plural-Forms from CLDR).
    order = ["zero", "one", "two", "few", "many", "other"]
    tags = Locale.parse(lang).plural_form.tags | {"other"}
    categories = [tag for tag in order if tag in tags]
    assert categories == ["one", "many", "other"]
    plurals = [m for m in catalogue(lang, "scripts") if isinstance(m.id, tuple)]
    assert len(plurals) > 10
    said = script_messages(lang)
    for message in plurals:
        assert isinstance(message.string, tuple)
        assert said[message.id[0]] == dict(zip(categories, message.string, strict=True))
    assert not {m.id[1] for m in plurals} & said.keys(), "keyed by the singular alone"


def test_a_sentence_is_said_in_each_language_with_its_places_named_there() -> None:
    # The Spanish catalogue's own translation of the message, filled by hand; Uganda and
    # transport as CLDR and graph_schema/terms/es.yaml name them.
    cell = Sentence(
        "In {country}, the {sector} sector has union-side organisations ({listed}) but no SSE unit",
        (("country", "UG"), ("sector", "transport"), ("listed", "ATGWU")),
    )
    assert cell.say() == (
        "In Uganda, the transport sector has union-side organisations (ATGWU) but no SSE unit"
    )
    spanish = gettext(cell.template, "es")
    assert cell.say("es") == spanish.format(country="Uganda", sector="transporte", listed="ATGWU")
    assert "Ouganda" in cell.say("fr") and "transport" in cell.say("fr")
    assert "{" not in cell.say("pt") and "ATGWU" in cell.say("pt")


def test_a_name_with_braces_is_said_as_it_is() -> None:
    lead = Sentence(
        "All enabling support for {unit} comes from {enabler}", (("unit", "{x}"), ("enabler", "A"))
    )
    assert lead.say("fr").startswith(gettext(lead.template, "fr").split("{unit}")[0])
    assert "{x}" in lead.say("fr")
