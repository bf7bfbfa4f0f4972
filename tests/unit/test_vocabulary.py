"""The vocabulary as data: complete, self-consistent, and with the keys DESIGN.md promises."""

from __future__ import annotations

from importlib.resources import files

from app.domain.vocabulary import vocabulary

# DESIGN.md, "Keys that outsiders rely on".
DESIGN_TYPES = {
    "trade_union",
    "union_federation",
    "informal_workers_organisation",
    "cooperative",
    "second_tier_cooperative",
    "mutual",
    "social_enterprise",
    "savings_credit_cooperative",
    "self_help_group",
    "platform_cooperative",
    "association",
    "foundation",
    "ngo",
    "research_institute",
    "network",
    "funder",
    "development_agency",
    "international_institution",
    "public_body",
}
DESIGN_MOVEMENTS = {"labour", "informal_workers", "sse", "enabler", "public"}
DESIGN_SECTORS = {
    "domestic_work",
    "care_work",
    "waste_picking",
    "street_vending",
    "transport",
    "home_based_work",
    "platform_work",
    "agriculture",
    "construction",
    "general",
}
DESIGN_MECHANISMS = {
    "finance",
    "technical_support",
    "training",
    "facilitation",
    "organising",
    "advocacy",
    "legal",
    "research",
    "services",
}
DESIGN_RELATIONSHIPS = {
    "ESTABLISHED",
    "PARTNERS_WITH",
    "MEMBER_OF",
    "ENABLES",
    "FUNDS",
    "ADVOCATES_TO",
    "AGREEMENT_WITH",
    "ORGANISES",
}


def test_design_keys_are_all_present() -> None:
    v = vocabulary()
    assert set(v.organization_types) >= DESIGN_TYPES
    assert set(v.movements) == DESIGN_MOVEMENTS
    assert set(v.sectors) >= DESIGN_SECTORS
    assert set(v.mechanisms) >= DESIGN_MECHANISMS
    assert set(v.relationship_types) >= DESIGN_RELATIONSHIPS
    assert set(v.modes) == {"direct", "indirect"}
    assert set(v.levels) == {"micro", "meso", "macro"}


def test_every_term_has_a_definition_and_a_place_in_the_brief() -> None:
    v = vocabulary()
    sections = [
        v.organization_types,
        v.movements,
        v.sectors,
        v.mechanisms,
        v.modes,
        v.levels,
        v.organization_statuses,
        v.relationship_statuses,
    ]
    for section in sections:
        for term in section.values():
            assert term.definition.strip() and term.brief.strip(), term.key
    for rule in v.relationship_types.values():
        assert rule.term.definition and rule.term.brief
        assert rule.source_types and rule.target_types


def test_every_type_is_in_one_family() -> None:
    v = vocabulary()
    for org_type in v.organization_types:
        assert sum(org_type in types for types in v.families.values()) == 1


def test_rules_follow_the_brief() -> None:
    rules = vocabulary().relationship_types
    # Advocacy and dialogue target public bodies or institutions such as the ILO (Box 6).
    assert rules["ADVOCATES_TO"].target_types == {"public_body", "international_institution"}
    # Type 1: unions and informal workers' organisations establish SSE units (table).
    assert {"trade_union", "informal_workers_organisation"} <= rules["ESTABLISHED"].source_types
    assert "cooperative" in rules["ESTABLISHED"].target_types
    assert "public_body" not in rules["ESTABLISHED"].target_types
    assert rules["PARTNERS_WITH"].symmetric and not rules["ENABLES"].symmetric


def test_countries_are_iso_alpha_2() -> None:
    countries = vocabulary().countries
    assert len(countries) == 249  # ISO 3166-1 has 249 assigned alpha-2 codes
    assert countries["KE"] == "Kenya" and countries["NO"] == "Norway"
    assert all(len(code) == 2 and code.isupper() for code in countries)


def test_neo4j_constraints_cover_every_relationship_type() -> None:
    text = files("graph_schema").joinpath("constraints.cypher").read_text("utf-8")
    for rel_type in vocabulary().relationship_types:
        assert f"()-[r:{rel_type}]-() REQUIRE r.id IS UNIQUE" in text, rel_type
    assert "FOR (o:Organization) REQUIRE o.id IS UNIQUE" in text


def test_relationship_lookup_by_id_has_a_branch_for_every_type() -> None:
    # Neo4j indexes relationship ids per type, so the lookup names each type to use them.
    text = files("app.store.neo4j").joinpath("cypher", "relationships_by_id.cypher")
    branches = text.read_text("utf-8").count("{id: wanted}")
    assert branches == len(vocabulary().relationship_types)
    for rel_type in vocabulary().relationship_types:
        assert f"-[r:{rel_type} {{id: wanted}}]->" in text.read_text("utf-8"), rel_type
