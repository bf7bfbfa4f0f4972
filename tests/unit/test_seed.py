"""The seed ecosystem against the ILO brief it comes from (../shared/brief).

Expected values are read off the brief: its table of partnership types, its boxes and its
sections. Organisations are looked up by the names the brief prints, not by our ids.
"""

from __future__ import annotations

import re

import pytest

from app.domain.documents import check_document
from app.domain.models import Document, Organization, Relationship
from app.domain.text import fold

BRIEF_CITATION = "ILO Brief (Trade unions and SSE partnerships)"

# Organisations the brief describes without giving them a name of their own.
UNNAMED_IN_BRIEF = {
    "kigali-motorcycle-taxi-mutual-fund",
    "nairobi-street-vendor-self-help-groups",
    "brazil-waste-picker-cooperatives",
    "brazil-second-tier-waste-picker-cooperatives",
    "utep-healthcare-mutual",
    "utep-workers-kitchens",
    "argentina-emergency-social-committee",
    "kenya-ministry-of-labour",
    "niscof-sacco",
}


TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def flat(text: str) -> str:
    """``text`` with line breaks and runs of spaces folded and typographic quotes made plain,
    for phrase lookups in the brief (whose PDF text breaks lines mid-sentence)."""
    return " ".join(text.translate(TYPOGRAPHIC).split())


def records(seed: Document) -> list[Organization | Relationship]:
    """Every record of the seed, organisations first."""
    return [*seed.organizations, *seed.relationships]


def named(seed: Document, printed: str) -> Organization:
    """The one organisation whose name or alias is ``printed``, as the brief prints it."""
    hits = [o for o in seed.organizations if fold(printed) in map(fold, [o.name, *o.aliases])]
    assert len(hits) == 1, f"expected one organisation named {printed!r}, found {hits}"
    return hits[0]


def ties(seed: Document, source: str, target: str) -> list[Relationship]:
    """Relationships from the organisation printed ``source`` to the one printed ``target``."""
    s, t = named(seed, source).id, named(seed, target).id
    return [r for r in seed.relationships if (r.source, r.target) == (s, t)]


def test_seed_passes_validation(seed: Document) -> None:
    assert check_document(seed, {}) == []
    assert len(seed.organizations) >= 40, "the brief names over forty actors"


def test_every_fact_has_a_source_with_a_locator(seed: Document) -> None:
    for record in records(seed):
        assert record.sources, record.id
        for source in record.sources:
            assert source.citation.strip() and source.locator, (record.id, source)


def test_every_citation_is_one_the_brief_gives(seed: Document, brief_text: str) -> None:
    text = flat(brief_text)
    citations = {s.citation for r in records(seed) for s in r.sources}
    for citation in citations - {BRIEF_CITATION}:
        assert citation in text, f"citation {citation!r} is not in the brief"


def test_names_are_the_briefs(seed: Document, brief_text: str) -> None:
    text = fold(flat(brief_text))
    for org in seed.organizations:
        if org.id in UNNAMED_IN_BRIEF:
            continue
        printed = [n for n in [org.name, *org.aliases] if fold(n) in text]
        assert printed, f"{org.id}: neither its name nor an alias is printed in the brief"


def test_descriptions_are_in_our_own_words(seed: Document, brief_text: str) -> None:
    """No description repeats eight consecutive words of the brief."""
    brief_words = " ".join(re.findall(r"[a-z0-9]+", fold(brief_text)))
    for org in seed.organizations:
        assert org.description, f"{org.id} has no description"
        words = re.findall(r"[a-z0-9]+", fold(org.description))
        for i in range(len(words) - 7):
            run = " ".join(words[i : i + 8])
            assert run not in brief_words, f"{org.id} copies the brief: {run!r}"


# The brief's table "Partnerships between trade unions and the SSE to support informal economy
# workers": each example, the tie the table states, the citation it gives, and the country.
TABLE_EXAMPLES = [
    ("FENAMUTRA", "COOPFENAMUTRA", "ESTABLISHED", "Imparcial RD 2021", "DO"),
    ("SEWA", "VimoSEWA Cooperative Limited", "ESTABLISHED", "ILO 2019", "IN"),
    ("NUDE", "SWCC", "ESTABLISHED", "ILO 2018b", "TT"),
    ("CUT", "UNISOL Brasil", None, "Hunt and Sarwar, unpublished", "BR"),
    ("CESTRAR", None, "ORGANISES", "Manzi 2007", "RW"),
    (
        "Social Law Project",
        "Digital Platform Cooperative Project",
        "ENABLES",
        "Hunt and Sarwar, unpublished",
        "ZA",
    ),
]


@pytest.mark.parametrize(("source", "target", "type", "citation", "country"), TABLE_EXAMPLES)
def test_every_example_of_the_table_of_partnership_types(
    seed: Document,
    source: str,
    target: str | None,
    type: str | None,
    citation: str,
    country: str,
) -> None:
    org = named(seed, source)
    assert country in org.countries
    found = (
        ties(seed, source, target)
        if target
        else [r for r in seed.relationships if r.source == org.id]
    )
    if type is not None:
        found = [r for r in found if r.type == type]
    assert found, f"no tie from {source} to {target} of type {type}"
    assert any(citation in {s.citation for s in r.sources} for r in found)


def test_type_3_enabler_partners_with_both_unions(seed: Document) -> None:
    # Table, type 3: the cooperative was established "in partnership with SADSAWU and UDWOSA".
    coop = named(seed, "Digital Platform Cooperative Project")
    assert coop.type == "platform_cooperative"
    for union in ("SADSAWU", "UDWOSA"):
        union_id = named(seed, union).id
        assert any({r.source, r.target} == {union_id, coop.id} for r in seed.relationships), union
    facilitation = ties(seed, "Social Law Project", "Digital Platform Cooperative Project")
    assert any("facilitation" in r.mechanisms for r in facilitation)


def test_box_3_enablers_of_ima_limpia(seed: Document) -> None:
    # Box 3: "financial and technical support from enabling partners including the French
    # Development Agency, CARE Latin America and the Caribbean and Fundación Bien Humano".
    assert "ESTABLISHED" in [r.type for r in ties(seed, "UTRASD", "IMA Limpia")]
    assert named(seed, "IMA Limpia").founded == 2021
    for enabler in (
        "French Development Agency",
        "CARE Latin America and the Caribbean",
        "Fundación Bien Humano",
    ):
        enabling = [r for r in ties(seed, enabler, "IMA Limpia") if r.type == "ENABLES"]
        assert enabling, enabler
        assert {"finance", "technical_support"} <= set(enabling[0].mechanisms)


def test_box_4_unisol_created_in_2014_with_cut(seed: Document) -> None:
    assert named(seed, "UNISOL Brasil").founded == 2014
    assert named(seed, "UNISOL Brazil") == named(seed, "UNISOL Brasil"), "both spellings"
    assert any(r.since == 2014 for r in ties(seed, "CUT", "UNISOL Brasil"))


def test_box_6_the_sacco_collapsed(seed: Document) -> None:
    # Box 6: NISCOF seed-funded a SACCO, which ran until Covid-19 and then collapsed.
    niscof = named(seed, "NISCOF")
    saccos = [o for o in seed.organizations if o.type == "savings_credit_cooperative"]
    assert [o.status for o in saccos] == ["collapsed"]
    founded = [
        r
        for r in seed.relationships
        if r.source == niscof.id and r.target == saccos[0].id and r.type == "ESTABLISHED"
    ]
    assert founded
    assert [
        r.target for r in seed.relationships if r.source == niscof.id and r.type == "AFFILIATE_OF"
    ] == [named(seed, "KENASVIT").id]


def test_pune_mou_of_2008(seed: Document) -> None:
    # "SWaCH ... signed an MoU with the Pune Municipal Corporation, in 2008".
    mou = ties(seed, "SWaCH", "Pune Municipal Corporation")
    assert [(r.type, r.since) for r in mou] == [("AGREEMENT_WITH", 2008)]
    assert "ESTABLISHED" in [r.type for r in ties(seed, "KKPKP", "SWaCH")]


def test_research_funders_and_authors_institute(seed: Document) -> None:
    # Footnote 1: the research was led by ODI authors and funded by OSF and the ILO.
    odi = named(seed, "Overseas Development Institute")
    for funder in ("Open Society Foundations", "International Labour Organization"):
        assert any(r.type == "FUNDS" for r in ties(seed, funder, odi.name)), funder
