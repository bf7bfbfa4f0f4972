"""Likely duplicates, on pairs built by hand from names the brief and the seed use."""

from __future__ import annotations

from app.analysis.duplicates import DuplicatePair, initials, likely_duplicates, name_key
from app.io.documents import seed_document
from tests.factories import org

# The brief's table of partnership types (India example) gives "Self-Employment Women's
# Association (SEWA)", printed with a typographic apostrophe (U+2019).
SEWA_NAME = "Self-Employment Women\u2019s Association"


def test_name_key_folds_case_accents_and_punctuation() -> None:
    assert name_key(SEWA_NAME) == "self employment womens association"
    assert name_key("  SELF employment -- Women's   association. ") == (
        "self employment womens association"
    )
    assert name_key("Unión de Trabajadoras del Servicio Doméstico") == (
        "union de trabajadoras del servicio domestico"
    )
    # A trailing legal form is ignored (UK SI 2015/17, Schedule 3); elsewhere it stays.
    assert name_key("VimoSEWA Cooperative Limited") == "vimosewa cooperative"
    assert name_key("Limited Means Cooperative") == "limited means cooperative"
    assert name_key("Limited") == "limited"
    assert name_key("S.E.W.A.") == "sewa"
    assert name_key("--") == ""


def test_initials_skip_function_words_in_four_languages() -> None:
    # Acronyms as the brief and the seed give them.
    assert initials(SEWA_NAME) == "sewa"
    assert initials("Women in Informal Employment: Globalizing and Organizing") == "wiego"
    assert initials("Central Organization of Trade Unions Kenya") == "cotuk"
    assert initials("Agence Française de Développement") == "afd"
    assert initials("Central Única dos Trabalhadores") == "cut"
    # UTEP names its doubled word once; initials cannot know that, so this name does not
    # spell "UTEP" and the pair would rest on other evidence.
    assert initials("Unión de Trabajadores y Trabajadoras de la Economía Popular") == "uttep"
    # A French elision stands for its word and is skipped like it.
    assert initials("Réseau pour l'Économie Sociale et Solidaire") == "ress"


def test_pair_by_identifier_ignores_case_and_space() -> None:
    # XM-DAC-7 is the org-id of the Netherlands' Ministry of Foreign Affairs on the DAC list.
    found = likely_duplicates(
        [
            org("mofa-nl", "Ministry of Foreign Affairs", identifiers=["XM-DAC-7"]),
            org("nl-ministry", "Dutch Foreign Ministry", identifiers=["xm-dac-7 "]),
            org("other", "Other Ministry", identifiers=["XM-DAC-41"]),
        ]
    )
    assert found == [DuplicatePair("mofa-nl", "nl-ministry", ("same identifier XM-DAC-7",))]


def test_pair_by_normalised_name_or_alias() -> None:
    found = likely_duplicates(
        [
            org("sewa", SEWA_NAME),
            org("sewa-india", "self employment womens association"),
            org("utrasd", "Unión de Trabajadoras del Servicio Doméstico"),
            org(
                "utrasd-2",
                "Domestic workers union",
                aliases=["UNION DE TRABAJADORAS DEL SERVICIO DOMESTICO"],
            ),
        ]
    )
    assert found == [
        DuplicatePair(
            "sewa",
            "sewa-india",
            ("same name or alias after normalising: 'self employment womens association'",),
        ),
        DuplicatePair(
            "utrasd",
            "utrasd-2",
            (
                "same name or alias after normalising: "
                "'union de trabajadoras del servicio domestico'",
            ),
        ),
    ]


def test_every_piece_of_evidence_is_a_reason() -> None:
    # "Sewa" is both the same alias as "SEWA" and the acronym of the full name; each of the
    # three records shows some of the evidence, and each pair lists all it has.
    found = likely_duplicates(
        [
            org("sewa", SEWA_NAME, aliases=["SEWA"]),
            org("sewa-copy", "Sewa"),
            org("sewa-india", "self employment womens association"),
        ]
    )
    assert found == [
        DuplicatePair(
            "sewa",
            "sewa-copy",
            (
                "same name or alias after normalising: 'sewa'",
                f"'Sewa' is the acronym of '{SEWA_NAME}'",
            ),
        ),
        DuplicatePair(
            "sewa",
            "sewa-india",
            (
                "same name or alias after normalising: 'self employment womens association'",
                "'SEWA' is the acronym of 'self employment womens association'",
            ),
        ),
        DuplicatePair(
            "sewa-copy",
            "sewa-india",
            ("'Sewa' is the acronym of 'self employment womens association'",),
        ),
    ]


def test_pair_by_acronym_either_way_round() -> None:
    # The seed names the federation "Central Organization of Trade Unions Kenya" with the
    # brief's acronym "COTU-K"; here the two are split over two records.
    found = likely_duplicates(
        [
            org("cotu", "COTU-K"),
            org("central-org", "Central Organization of Trade Unions Kenya"),
            org("wiego-a", "WIEGO"),
            org("wiego-b", "Women in Informal Employment: Globalizing and Organizing"),
        ]
    )
    assert found == [
        DuplicatePair(
            "central-org",
            "cotu",
            ("'COTU-K' is the acronym of 'Central Organization of Trade Unions Kenya'",),
        ),
        DuplicatePair(
            "wiego-a",
            "wiego-b",
            (
                "'WIEGO' is the acronym of "
                "'Women in Informal Employment: Globalizing and Organizing'",
            ),
        ),
    ]


def test_acronym_of_an_alias_and_reasons_in_order() -> None:
    # AFD is the acronym of the French name, which the seed keeps as an alias. The identifier
    # is made up for the test.
    found = likely_duplicates(
        [
            org(
                "afd",
                "French Development Agency",
                aliases=["Agence Française de Développement"],
                type="development_agency",
                movement="enabler",
                identifiers=["XI-EXAMPLE-AFD"],
            ),
            org("afd-2", "AFD", type="funder", movement="enabler", identifiers=["XI-EXAMPLE-AFD"]),
        ]
    )
    assert found == [
        DuplicatePair(
            "afd",
            "afd-2",
            (
                "same identifier XI-EXAMPLE-AFD",
                "'AFD' is the acronym of 'Agence Française de Développement'",
            ),
        )
    ]


def test_similar_but_different_names_are_not_pairs() -> None:
    # Two unions the seed keeps apart: FENAMUTRA (Dominican Republic) and NUDE (Trinidad and
    # Tobago) differ in one word; SEWA established VimoSEWA, a separate cooperative.
    found = likely_duplicates(
        [
            org("fenamutra", "National Union of Domestic Workers"),
            org("nude", "National Union of Domestic Employees", aliases=["NUDE"]),
            org("sewa", SEWA_NAME, aliases=["SEWA"]),
            org("vimosewa", "VimoSEWA Cooperative Limited", aliases=["VimoSEWA"]),
            org("niscof", "Nairobi Informal Sector Confederation", aliases=["NISCOF"]),
            org("niscof-sacco", "NISCOF SACCO"),
        ]
    )
    assert found == []


def test_two_letter_acronyms_do_not_count() -> None:
    found = likely_duplicates(
        [org("un", "UN"), org("united-nations", "United Nations"), org("a-b", "A.B")]
    )
    assert found == []


def test_an_acronym_is_one_word() -> None:
    # "Sun Co" is two words, so not read as the acronym of "Social Union Network Cooperative".
    found = likely_duplicates([org("sun-co", "Sun Co"), org("sunc", "Social Union Network Co")])
    assert found == []


def test_one_organisation_is_never_its_own_duplicate() -> None:
    found = likely_duplicates([org("sewa", SEWA_NAME, aliases=["SEWA", "S.E.W.A."])])
    assert found == []


def test_many_holders_of_one_key_pair_up() -> None:
    found = likely_duplicates([org(i, "Same Name") for i in ("c", "a", "b")])
    assert [(p.first, p.second) for p in found] == [("a", "b"), ("a", "c"), ("b", "c")]


def test_the_seed_has_no_likely_duplicates() -> None:
    # By hand: the seed's 46 organisations carry no identifiers, no two share a name or an
    # alias, and none of its acronyms spells another organisation's name (most, like UTRASD
    # and KENASVIT, are syllabic and spell no initials at all). Its near misses are the pairs
    # of the test above, which the brief names as different organisations.
    assert likely_duplicates(seed_document().organizations) == []
