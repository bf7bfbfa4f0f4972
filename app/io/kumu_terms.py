"""The words Kumu maps use for types, and the vocabulary keys they stand for.

Both Kumu readers, the sheets (:mod:`app.io.kumu`) and the JSON export
(:mod:`app.io.kumu_json`), name an element's or a connection's type the same way:

1. **A vocabulary key, as the key or in words**, in any case and with or without accents:
   "Trade union", ``trade_union`` and "TRADE-UNION" all name ``trade_union``; "Funds" names
   ``FUNDS`` (:func:`term_key`).
2. **Else a word of the tables below**, compared the same way ("Co-op", "co op" and "CO_OP"
   are one word):

   ========================================  ===============================
   Element type as Kumu users write it        Organisation type
   ========================================  ===============================
   Union, Labour/Labor union, Workers' union  ``trade_union``
   Trade union federation, Confederation      ``union_federation``
   Informal workers' organization/association ``informal_workers_organisation``
   Co-op, Coop, Co-operative                  ``cooperative``
   Cooperative federation/union               ``second_tier_cooperative``
   SACCO, Credit union                        ``savings_credit_cooperative``
   Mutual society, Mutual benefit society     ``mutual``
   SHG                                        ``self_help_group``
   Platform co-op                             ``platform_cooperative``
   Non-profit, CSO, Charity, ...              ``ngo``
   University, Think tank, Research centre    ``research_institute``
   Alliance                                   ``network``
   Donor, Grantmaker, Investor                ``funder``
   Aid agency, Donor agency                   ``development_agency``
   International organization, IGO, UN agency ``international_institution``
   Government, Government agency, Ministry    ``public_body``
   Company, Business, Firm, Private sector    ``private_company``
   ========================================  ===============================

   ==================================  ====================
   Connection type                     Relationship type
   ==================================  ====================
   Funding, Funded, Grant, Donation    ``FUNDS``
   Partnership, Partner, Collaboration ``PARTNERS_WITH``
   Member, Membership, Is member of    ``MEMBER_OF``
   Affiliate, Affiliation              ``AFFILIATE_OF``
   Founded, Established, Created       ``ESTABLISHED``
   Advocacy, Advocates, Lobbying       ``ADVOCATES_TO``
   Support, Supports, Enabling         ``ENABLES``
   Agreement, MoU                      ``AGREEMENT_WITH``
   Dialogue, Social dialogue           ``IN_DIALOGUE_WITH``
   Organising, Organizes               ``ORGANISES``
   ==================================  ====================

   :data:`ORGANIZATION_TYPE_WORDS` and :data:`RELATIONSHIP_TYPE_WORDS` hold the full lists.
   A connection reads from its ``from`` end to its ``to`` end: "Member" from A to B is "A is a
   member of B", "Founded" from A to B is "A founded B".

3. **Some words are left unmapped on purpose** (:data:`UNMAPPED_WORDS`), with the reason the
   reader reports: "Organization" says nothing of the kind of organisation, and people are not
   organisations. A word whose type the vocabulary lacks (``private_company``, added to the
   vocabulary for imported data) names nothing either, and is reported so. "Foundation" is
   the vocabulary's own ``foundation`` (an SSE foundation); a grant-making foundation is a
   "Funder".

This module also holds what the two readers share about tags (:func:`element_tags`,
:func:`connection_tags`) and movements (:data:`FAMILY_MOVEMENTS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.domain.text import fold
from app.domain.vocabulary import vocabulary

ORGANIZATION_TYPE_WORDS: dict[str, str] = {
    "Union": "trade_union",
    "Labour union": "trade_union",
    "Labor union": "trade_union",
    "Workers union": "trade_union",
    "Trade union federation": "union_federation",
    "Labour federation": "union_federation",
    "Labor federation": "union_federation",
    "Confederation": "union_federation",
    "Trade union confederation": "union_federation",
    "Informal workers organization": "informal_workers_organisation",
    "Informal workers association": "informal_workers_organisation",
    "Co-op": "cooperative",
    "Coop": "cooperative",
    "Co-operative": "cooperative",
    "Cooperative federation": "second_tier_cooperative",
    "Cooperative union": "second_tier_cooperative",
    "Second-tier co-op": "second_tier_cooperative",
    "SACCO": "savings_credit_cooperative",
    "Credit union": "savings_credit_cooperative",
    "Savings and credit cooperative": "savings_credit_cooperative",
    "Savings and credit co-operative": "savings_credit_cooperative",
    "Mutual society": "mutual",
    "Mutual benefit society": "mutual",
    "SHG": "self_help_group",
    "Platform co-op": "platform_cooperative",
    "Platform co-operative": "platform_cooperative",
    "Non-governmental organisation": "ngo",
    "Non-governmental organization": "ngo",
    "Nonprofit": "ngo",
    "Non-profit": "ngo",
    "Non-profit organisation": "ngo",
    "Non-profit organization": "ngo",
    "CSO": "ngo",
    "Civil society organisation": "ngo",
    "Civil society organization": "ngo",
    "Charity": "ngo",
    "University": "research_institute",
    "Research centre": "research_institute",
    "Research center": "research_institute",
    "Research institution": "research_institute",
    "Think tank": "research_institute",
    "Academic institution": "research_institute",
    "Alliance": "network",
    "Donor": "funder",
    "Grantmaker": "funder",
    "Grant maker": "funder",
    "Investor": "funder",
    "Aid agency": "development_agency",
    "Donor agency": "development_agency",
    "International organisation": "international_institution",
    "International organization": "international_institution",
    "Intergovernmental organisation": "international_institution",
    "Intergovernmental organization": "international_institution",
    "IGO": "international_institution",
    "UN agency": "international_institution",
    "Government": "public_body",
    "Government agency": "public_body",
    "Government body": "public_body",
    "Government department": "public_body",
    "Local government": "public_body",
    "Ministry": "public_body",
    "Municipality": "public_body",
    "Public agency": "public_body",
    "Public authority": "public_body",
    "Legislature": "public_body",
    "Parliament": "public_body",
    "Company": "private_company",
    "Business": "private_company",
    "Firm": "private_company",
    "Corporation": "private_company",
    "Private sector": "private_company",
}
"""Element types Kumu users write, by the organisation type each stands for.

Only words that are not already a vocabulary key in words; see the module docstring.
"""

RELATIONSHIP_TYPE_WORDS: dict[str, str] = {
    "Funding": "FUNDS",
    "Funded": "FUNDS",
    "Funder of": "FUNDS",
    "Grant": "FUNDS",
    "Grants": "FUNDS",
    "Donation": "FUNDS",
    "Financial support": "FUNDS",
    "Finances": "FUNDS",
    "Partnership": "PARTNERS_WITH",
    "Partner": "PARTNERS_WITH",
    "Partners": "PARTNERS_WITH",
    "Partnered with": "PARTNERS_WITH",
    "Collaboration": "PARTNERS_WITH",
    "Collaborates with": "PARTNERS_WITH",
    "Member": "MEMBER_OF",
    "Membership": "MEMBER_OF",
    "Is member of": "MEMBER_OF",
    "Is a member of": "MEMBER_OF",
    "Affiliate": "AFFILIATE_OF",
    "Affiliation": "AFFILIATE_OF",
    "Affiliated with": "AFFILIATE_OF",
    "Affiliated to": "AFFILIATE_OF",
    "Founded": "ESTABLISHED",
    "Founder": "ESTABLISHED",
    "Founder of": "ESTABLISHED",
    "Establishes": "ESTABLISHED",
    "Created": "ESTABLISHED",
    "Set up": "ESTABLISHED",
    "Advocacy": "ADVOCATES_TO",
    "Advocates": "ADVOCATES_TO",
    "Lobbies": "ADVOCATES_TO",
    "Lobbying": "ADVOCATES_TO",
    "Support": "ENABLES",
    "Supports": "ENABLES",
    "Enabling": "ENABLES",
    "Capacity building": "ENABLES",
    "Agreement": "AGREEMENT_WITH",
    "MoU": "AGREEMENT_WITH",
    "Memorandum of understanding": "AGREEMENT_WITH",
    "Formal agreement": "AGREEMENT_WITH",
    "Dialogue": "IN_DIALOGUE_WITH",
    "Social dialogue": "IN_DIALOGUE_WITH",
    "Policy dialogue": "IN_DIALOGUE_WITH",
    "Organising": "ORGANISES",
    "Organizing": "ORGANISES",
    "Organizes": "ORGANISES",
}
"""Connection types Kumu users write, by the relationship type each stands for (from -> to)."""

UNMAPPED_WORDS: dict[str, str] = {
    "Organization": "it says nothing of the kind of organisation",
    "Organisation": "it says nothing of the kind of organisation",
    "Person": "people are not organisations",
    "Individual": "people are not organisations",
}
"""Element types left unmapped on purpose, with the reason readers give for each."""

FAMILY_MOVEMENTS = {
    "unions": "labour",
    "worker_organisations": "informal_workers",
    "sse_units": "sse",
    "enablers": "enabler",
    "public_bodies": "public",
}
"""The movement each family of organisation types belongs to, as the vocabulary defines them.

A default only: the seed, for one, counts its SSE foundation as an enabler, which a Movement
column says.
"""


def normalised(text: str) -> str:
    """``text`` folded, each run of other characters as one underscore: "Co-op" -> "co_op"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def term_key(text: str, keys: Iterable[str]) -> str | None:
    """The vocabulary key that ``text`` names, as the key or in words, ignoring case and accents.

    "Trade union", "trade_union" and "TRADE-UNION" all name ``trade_union``; "Enables" names
    ``ENABLES``.
    """
    wanted = normalised(text)
    return next((key for key in keys if key.lower() == wanted), None)


_ORGANIZATION_WORDS = {normalised(word): key for word, key in ORGANIZATION_TYPE_WORDS.items()}
_RELATIONSHIP_WORDS = {normalised(word): key for word, key in RELATIONSHIP_TYPE_WORDS.items()}
_UNMAPPED = {normalised(word): reason for word, reason in UNMAPPED_WORDS.items()}


def organization_type(text: str) -> str | None:
    """The organisation type an element type names: a vocabulary key, else a table word.

    A table word whose type the vocabulary lacks (``private_company`` in a vocabulary without
    it) names nothing.
    """
    types = vocabulary().organization_types
    key = term_key(text, types) or _ORGANIZATION_WORDS.get(normalised(text))
    return key if key in types else None


def relationship_type(text: str) -> str | None:
    """The relationship type a connection type names: a vocabulary key, else a table word."""
    types = vocabulary().relationship_types
    key = term_key(text, types) or _RELATIONSHIP_WORDS.get(normalised(text))
    return key if key in types else None


def unmapped_reason(text: str) -> str | None:
    """Why ``text`` names no type though the table knows it, if it does."""
    word = normalised(text)
    for table, types in (
        (_ORGANIZATION_WORDS, vocabulary().organization_types),
        (_RELATIONSHIP_WORDS, vocabulary().relationship_types),
    ):
        if word in table and table[word] not in types:
            return f"the vocabulary has no type {table[word]}"
    return _UNMAPPED.get(word)


def accepted_organization_types() -> tuple[str, ...]:
    """What an element type may be: every vocabulary key, then every table word that maps."""
    types = vocabulary().organization_types
    words = sorted(word for word, key in ORGANIZATION_TYPE_WORDS.items() if key in types)
    return (*sorted(types), *words)


def accepted_relationship_types() -> tuple[str, ...]:
    """What a connection type may be: every vocabulary key, then every table word that maps."""
    types = vocabulary().relationship_types
    words = sorted(word for word, key in RELATIONSHIP_TYPE_WORDS.items() if key in types)
    return (*sorted(types), *words)


def _sorted_tags(
    tags: Iterable[str], first: Callable[[str], str | None], second: Callable[[str], str | None]
) -> tuple[list[str], list[str], list[str]]:
    """Tags split into what ``first`` names, else what ``second`` names (each once, in order),
    and the other tags."""
    found: tuple[list[str], list[str], list[str]] = ([], [], [])
    for tag in tags:
        one, two = first(tag), second(tag)
        if one:
            found[0].append(one)
        elif two:
            found[1].append(two)
        else:
            found[2].append(tag)
    return list(dict.fromkeys(found[0])), list(dict.fromkeys(found[1])), found[2]


def element_tags(tags: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """An element's tags sorted into sectors (keys or words) and countries (codes or names,
    :meth:`~app.domain.vocabulary.Vocabulary.country_code`), each once, and the other tags."""
    vocab = vocabulary()
    return _sorted_tags(tags, lambda tag: term_key(tag, vocab.sectors), vocab.country_code)


def connection_tags(tags: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """A connection's tags sorted into mechanisms and levels, each once, and the other tags."""
    vocab = vocabulary()
    return _sorted_tags(
        tags, lambda tag: term_key(tag, vocab.mechanisms), lambda tag: term_key(tag, vocab.levels)
    )


def default_movement(organization_type: str) -> str | None:
    """The movement of the organisation type's family (:data:`FAMILY_MOVEMENTS`), if it has one."""
    return FAMILY_MOVEMENTS.get(vocabulary().family_of(organization_type))
