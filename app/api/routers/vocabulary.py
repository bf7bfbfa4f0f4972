"""``/api/vocabulary``: every controlled value, with its label and definition in the reader's
language and its place in the brief."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from app.api.deps import VOCAB
from app.api.params import ReaderLanguage
from app.domain.languages import Language, country_name
from app.domain.terms import Section, english_terms, wording

router = APIRouter(prefix="/api", tags=["vocabulary"])
RELATIONS: Section = "relationship_types"


class TermView(BaseModel):
    """A vocabulary key, its label and, for our own terms, definition (both in the reader's
    language) and where the brief uses it."""

    key: str
    label: str
    definition: str | None = None
    brief: str | None = None


class RelationshipTypeView(TermView):
    """A relationship type, which also reads from its target's side ("is funded by")."""

    inverse: str


class VocabularyView(BaseModel):
    """The controlled vocabularies clients use for filters and forms."""

    organization_types: list[TermView]
    movements: list[TermView]
    sectors: list[TermView]
    mechanisms: list[TermView]
    relationship_types: list[RelationshipTypeView]
    countries: list[TermView]


def _terms(section: Section, lang: Language) -> list[TermView]:
    views = []
    for key, term in english_terms(section).items():
        words = wording(section, key, lang)
        views.append(
            TermView(key=key, label=words.label, definition=words.definition, brief=term.brief)
        )
    return views


def _relationship_types(lang: Language) -> list[RelationshipTypeView]:
    return [
        RelationshipTypeView(
            **term.model_dump(), inverse=wording(RELATIONS, term.key, lang).inverse
        )
        for term in _terms(RELATIONS, lang)
    ]


@router.get("/vocabulary", response_model=VocabularyView)
def get_vocabulary(lang: ReaderLanguage, response: Response) -> VocabularyView:
    """The keys that filters and records accept, each with what it means, in the reader's
    language (``lang``, else ``Accept-Language``, else English)."""
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    countries = ((code, country_name(code, lang)) for code in VOCAB.countries)
    return VocabularyView(
        organization_types=_terms("organization_types", lang),
        movements=_terms("movements", lang),
        sectors=_terms("sectors", lang),
        mechanisms=_terms("mechanisms", lang),
        relationship_types=_relationship_types(lang),
        countries=[
            TermView(key=code, label=f"{name} ({code})")
            for code, name in sorted(countries, key=lambda pair: pair[1])
        ],
    )
