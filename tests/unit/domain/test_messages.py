"""The gettext catalogues: every marked message translated in every language, with the same
places, and compiled as committed (issue 22, points 3 and 4)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.domain.languages import LANGUAGES, Language
from app.domain.messages import LOCALE_DIR, Sentence, gettext

APP = Path(__file__).resolve().parents[3] / "app"
TRANSLATED = LANGUAGES[1:]


def marked() -> set[str]:
    """Every message marked in our Python code, found by Babel's own extractor as
    ``make messages`` finds them (babel.cfg)."""
    found = extract_from_dir(str(APP), method_map=[("**.py", "python")])
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def catalogue(lang: Language) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def places(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


def test_there_are_marked_messages_and_the_template_holds_them_all() -> None:
    wanted = marked()
    assert "Gaps" in wanted and len(wanted) > 10
    with (LOCALE_DIR / "messages.pot").open("rb") as pot:
        assert {m.id for m in read_po(pot) if m.id} == wanted, "run `make messages`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_message_is_translated_with_the_same_places(lang: Language) -> None:
    found = catalogue(lang)
    assert found.plural_forms.startswith("nplurals="), "CLDR's plural rule is in the header"
    ids = {m.id for m in found if m.id}
    assert marked() <= ids, f"not in {lang}'s catalogue: {marked() - ids}"
    for message in found:
        if not message.id:
            continue
        assert message.string, f"{lang}: no translation of {message.id!r}"
        assert not message.fuzzy, f"{lang}: fuzzy {message.id!r}"
        assert places(str(message.string)) == places(str(message.id)), message.id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogues_are_those_of_the_po_files(lang: Language) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(lang))
    committed = (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, "run `make messages`"


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
