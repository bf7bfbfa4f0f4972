"""``/api/vocabulary``: every controlled value, with its definition and place in the brief."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.deps import VOCAB
from app.domain.vocabulary import Term

router = APIRouter(prefix="/api", tags=["vocabulary"])


class TermView(BaseModel):
    """A vocabulary key, a readable label and, for our own terms, definition and source."""

    key: str
    label: str
    definition: str | None = None
    brief: str | None = None


class VocabularyView(BaseModel):
    """The controlled vocabularies clients use for filters and forms."""

    organization_types: list[TermView]
    movements: list[TermView]
    sectors: list[TermView]
    mechanisms: list[TermView]
    relationship_types: list[TermView]
    countries: list[TermView]


def _terms(terms: dict[str, Term]) -> list[TermView]:
    return [
        TermView(key=t.key, label=t.key.replace("_", " "), definition=t.definition, brief=t.brief)
        for t in terms.values()
    ]


@router.get("/vocabulary", response_model=VocabularyView)
def get_vocabulary() -> VocabularyView:
    """The keys that filters and records accept, each with what it means."""
    return VocabularyView(
        organization_types=_terms(VOCAB.organization_types),
        movements=_terms(VOCAB.movements),
        sectors=_terms(VOCAB.sectors),
        mechanisms=_terms(VOCAB.mechanisms),
        relationship_types=_terms({k: r.term for k, r in VOCAB.relationship_types.items()}),
        countries=[
            TermView(key=code, label=f"{name} ({code})")
            for code, name in sorted(VOCAB.countries.items(), key=lambda kv: kv[1])
        ],
    )
