"""Likely duplicates, on pairs built by hand from names the brief and the seed use."""

from __future__ import annotations

from app.analysis.duplicates import (
    DuplicatePair,
    differences,
    likely_duplicates,
    neighbours_of,
)
from app.domain.models import Organization
from app.domain.names import acronym_key, initials, name_key
from app.io.documents import seed_document
from tests.factories import org, rel

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


def test_acronym_key_is_one_word_of_three_letters_or_more() -> None:
    assert acronym_key("COTU-K") == "cotuk"
    assert acronym_key("S.E.W.A.") == "sewa"
    assert acronym_key("UN") == ""
    assert acronym_key("Sun Co") == ""


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


def test_only_well_formed_org_ids_are_evidence() -> None:
    # An importer stored publisher codes ("1", "61") as identifiers, and FAO was proposed as a
    # duplicate of a Spanish ministry through them. Codes that are not org-ids, bare list codes
    # and placeholder numbers say nothing about who an organisation is; a well-formed org-id
    # does, whatever its case (GB-CHC-1068839 is a charity number on the Charity Commission
    # list, used in org-id.guide's own examples).
    found = likely_duplicates(
        [
            org("fao", "Food and Agriculture Organization", identifiers=["1", "61"]),
            org("es-ministry", "Ministerio de Agricultura", identifiers=["1", "61"]),
            org("rev-a", "First Charity", identifiers=["GB-REV", "GB-CHC-0"]),
            org("rev-b", "Second Charity", identifiers=["GB-REV", "GB-CHC-0"]),
            org("charity", "A Charity", identifiers=["GB-CHC-1068839"]),
            org("charity-copy", "The Charity", identifiers=[" gb-chc-1068839"]),
        ]
    )
    assert found == [
        DuplicatePair("charity", "charity-copy", ("same identifier GB-CHC-1068839",)),
    ]


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
    # three records shows some of the evidence, and each pair lists all it has. SEWA is an
    # Indian union, so all three records give India; the acronym counts through it.
    found = likely_duplicates(
        [
            org("sewa", SEWA_NAME, aliases=["SEWA"], countries=["IN"]),
            org("sewa-copy", "Sewa", countries=["IN"]),
            org("sewa-india", "self employment womens association", countries=["IN"]),
        ]
    )
    assert found == [
        DuplicatePair(
            "sewa",
            "sewa-copy",
            (
                "same name or alias after normalising: 'sewa'",
                f"'Sewa' is the acronym of '{SEWA_NAME}'; both in IN",
            ),
        ),
        DuplicatePair(
            "sewa",
            "sewa-india",
            (
                "same name or alias after normalising: 'self employment womens association'",
                "'SEWA' is the acronym of 'self employment womens association'; both in IN",
            ),
        ),
        DuplicatePair(
            "sewa-copy",
            "sewa-india",
            ("'Sewa' is the acronym of 'self employment womens association'; both in IN",),
        ),
    ]


def test_pair_by_acronym_either_way_round() -> None:
    # The seed names the federation "Central Organization of Trade Unions Kenya" with the
    # brief's acronym "COTU-K"; here the two are split over two records, both in Kenya.
    # WIEGO is a global network with no country; its two records share a tie instead.
    found = likely_duplicates(
        [
            org("cotu", "COTU-K", countries=["KE"]),
            org("central-org", "Central Organization of Trade Unions Kenya", countries=["KE"]),
            org("wiego-a", "WIEGO"),
            org("wiego-b", "Women in Informal Employment: Globalizing and Organizing"),
            org("streetnet", "StreetNet International"),
        ],
        neighbours={"wiego-a": ["streetnet"], "wiego-b": {"streetnet"}},
    )
    assert found == [
        DuplicatePair(
            "central-org",
            "cotu",
            (
                "'COTU-K' is the acronym of 'Central Organization of Trade Unions Kenya'; "
                "both in KE",
            ),
        ),
        DuplicatePair(
            "wiego-a",
            "wiego-b",
            (
                "'WIEGO' is the acronym of "
                "'Women in Informal Employment: Globalizing and Organizing'; "
                "both tied to StreetNet International",
            ),
        ),
    ]


def test_acronym_of_an_alias_and_reasons_in_order() -> None:
    # AFD is the acronym of the French name, which the seed keeps as an alias; both records
    # are French. The identifier is a well-formed org-id of the French trade register list
    # (FR-RCS) with a number made up for the test, written in lower case on one record.
    found = likely_duplicates(
        [
            org(
                "afd",
                "French Development Agency",
                aliases=["Agence Française de Développement"],
                type="development_agency",
                movement="enabler",
                countries=["FR"],
                identifiers=["FR-RCS-123456789"],
            ),
            org(
                "afd-2",
                "AFD",
                type="funder",
                movement="enabler",
                countries=["FR"],
                identifiers=["fr-rcs-123456789"],
            ),
        ]
    )
    assert found == [
        DuplicatePair(
            "afd",
            "afd-2",
            (
                "same identifier FR-RCS-123456789",
                "'AFD' is the acronym of 'Agence Française de Développement'; both in FR",
            ),
        )
    ]


def test_similar_but_different_names_are_not_pairs() -> None:
    # Two unions the seed keeps apart: FENAMUTRA (Dominican Republic) and NUDE (Trinidad and
    # Tobago) differ in one word; SEWA established VimoSEWA, a separate cooperative. Their
    # countries are the seed's, so the acronym rule has common ground to work with.
    found = likely_duplicates(
        [
            org("fenamutra", "National Union of Domestic Workers", countries=["DO"]),
            org("nude", "National Union of Domestic Employees", aliases=["NUDE"], countries=["TT"]),
            org("sewa", SEWA_NAME, aliases=["SEWA"], countries=["IN"]),
            org("vimosewa", "VimoSEWA Cooperative Limited", aliases=["VimoSEWA"], countries=["IN"]),
            org(
                "niscof",
                "Nairobi Informal Sector Confederation",
                aliases=["NISCOF"],
                countries=["KE"],
            ),
            org("niscof-sacco", "NISCOF SACCO", countries=["KE"]),
        ]
    )
    assert found == []


def test_two_letter_acronyms_do_not_count() -> None:
    # A shared country, so that only the length keeps these apart.
    found = likely_duplicates(
        [
            org("un", "UN", countries=["US"]),
            org("united-nations", "United Nations", countries=["US"]),
            org("a-b", "A.B", countries=["US"]),
        ]
    )
    assert found == []


def test_an_acronym_is_one_word() -> None:
    # "Sun Co" is two words, so not read as the acronym of "Social Union Network Cooperative".
    found = likely_duplicates(
        [
            org("sun-co", "Sun Co", countries=["GB"]),
            org("sunc", "Social Union Network Co", countries=["GB"]),
        ]
    )
    assert found == []


def test_one_organisation_is_never_its_own_duplicate() -> None:
    found = likely_duplicates(
        [org("sewa", SEWA_NAME, aliases=["SEWA", "S.E.W.A."], countries=["IN"])],
        neighbours={"sewa": ["vimosewa"], "vimosewa": ["sewa"]},
    )
    assert found == []


def test_many_holders_of_one_key_pair_up() -> None:
    found = likely_duplicates([org(i, "Same Name") for i in ("c", "a", "b")])
    assert [(p.first, p.second) for p in found] == [("a", "b"), ("a", "c"), ("b", "c")]


def test_the_seed_has_no_likely_duplicates() -> None:
    # By hand: the seed's 46 organisations carry no identifiers, no two share a name or an
    # alias, and none of its acronyms spells another organisation's name (most, like UTRASD
    # and KENASVIT, are syllabic and spell no initials at all). Its near misses are the pairs
    # of the test above, which the brief names as different organisations.
    seed = seed_document()
    found = likely_duplicates(seed.organizations, neighbours=neighbours_of(seed.relationships))
    assert found == []


def seed_esc() -> Organization:
    """The seed's Emergency Social Committee of Argentina, aliased "ESC"."""
    return next(o for o in seed_document().organizations if "ESC" in o.aliases)


def evesham_sea_cadets(**fields: object) -> Organization:
    """A UK charity whose initials spell ESC."""
    return org(
        "evesham-sea-cadets",
        "Evesham Sea Cadets",
        type="ngo",
        movement="enabler",
        **{"countries": ["GB"], **fields},
    )


def test_an_acronym_alone_does_not_pair_unrelated_organisations() -> None:
    # A real 360Giving file import brought in Evesham Sea Cadets, a UK charity, and the
    # duplicate finder proposed it as the seed's ESC (Argentina's Emergency Social Committee):
    # the two share three initials and nothing else.
    esc = seed_esc()
    assert esc.countries == ["AR"]
    assert likely_duplicates([esc, evesham_sea_cadets()]) == []
    # Neither a country missing on one side nor a tie of one only is common ground.
    assert likely_duplicates([esc, evesham_sea_cadets(countries=[])]) == []
    assert (
        likely_duplicates(
            [esc, evesham_sea_cadets()], neighbours={esc.id: ["utep"], "utep": [esc.id]}
        )
        == []
    )


def test_an_acronym_pair_with_a_shared_country_is_proposed() -> None:
    esc = seed_esc()
    found = likely_duplicates([esc, evesham_sea_cadets(countries=["GB", "AR"])])
    assert found == [
        DuplicatePair(
            esc.id,
            "evesham-sea-cadets",
            ("'ESC' is the acronym of 'Evesham Sea Cadets'; both in AR",),
        )
    ]


def test_an_acronym_pair_with_a_shared_neighbour_is_proposed() -> None:
    # The seed ties UTEP to ESC (IN_DIALOGUE_WITH, UTEP the source); here the charity is
    # tied to UTEP too, as the source of an ENABLES tie: direction does not matter.
    seed = seed_document()
    esc = seed_esc()
    utep = next(o for o in seed.organizations if o.id == "utep")
    ties = [
        *(r for r in seed.relationships if esc.id in (r.source, r.target)),
        rel("esc-enables-utep", "ENABLES", "evesham-sea-cadets", "utep", mechanisms=["training"]),
    ]
    found = likely_duplicates([esc, evesham_sea_cadets(), utep], neighbours=neighbours_of(ties))
    assert found == [
        DuplicatePair(
            esc.id,
            "evesham-sea-cadets",
            (f"'ESC' is the acronym of 'Evesham Sea Cadets'; both tied to {utep.name}",),
        )
    ]


def test_a_shared_neighbour_not_in_the_list_is_named_by_id_and_counted() -> None:
    found = likely_duplicates(
        [seed_esc(), evesham_sea_cadets(countries=["AR"])],
        neighbours={
            "argentina-emergency-social-committee": ["x", "y"],
            "evesham-sea-cadets": ["y", "x", "argentina-emergency-social-committee"],
        },
    )
    assert [p.reasons for p in found] == [
        ("'ESC' is the acronym of 'Evesham Sea Cadets'; both in AR; both tied to x and 1 more",)
    ]


def test_neighbours_of_reads_ties_both_ways() -> None:
    ties = [rel("a-funds-b", "FUNDS", "a", "b"), rel("c-funds-b", "FUNDS", "c", "b")]
    assert neighbours_of(ties) == {"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}


def test_what_speaks_against_a_pair_is_where_both_records_say_something_else() -> None:
    # Two UK charities under one name, with two numbers in the Charity Commission's list
    # (GB-CHC); the Companies House number of one is of another list, so it says nothing.
    one = org("kcu", "Kenya Cooperative Union", countries=["KE"],
              identifiers=["GB-CHC-1068839", "GB-COH-01234567"])  # fmt: skip
    other = org("kcu-2", "Kenya Co-operative Union", type="cooperative", movement="sse",
                countries=["GB"], identifiers=["gb-chc-285776"])  # fmt: skip
    assert differences(one, other) == [
        "different types: trade_union and cooperative",
        "different movements: labour and sse",
        "no country in common: KE and GB",
        "different numbers in the GB-CHC register: GB-CHC-1068839, GB-CHC-285776",
    ]


def test_nothing_speaks_against_records_that_agree_or_say_nothing() -> None:
    stated = org("cut", "CUT", countries=["BR", "AR"], identifiers=["GB-CHC-1068839"])
    silent = org("cut-2", "Central Única dos Trabalhadores")  # no country, no org-id
    shared = org("cut-3", "CUT Brasil", countries=["BR"], identifiers=["GB-CHC-1068839"])
    assert differences(stated, silent) == []
    assert differences(stated, shared) == []
