"""Response models of the API: what clients get back, with examples for the OpenAPI page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from app.analysis.inference import inferred_values
from app.domain import timeline
from app.domain.edits import Change
from app.domain.evidence import Basis, Weighing, record_basis
from app.domain.models import Organization, Relationship, Source
from app.domain.stories import SavedView, Story

REST_DESCRIPTION = "Whether it rests on a record, or a field analyses read, that we inferred."
RECORDS_DESCRIPTION = "The ids of the records it rests on that we inferred, sorted."


class OrganizationPage(BaseModel):
    """A page of organisations."""

    items: list[Organization]
    total: int = Field(description="Matches in all, across every page.")
    offset: int
    limit: int


class RelationshipPage(BaseModel):
    """A page of relationships."""

    items: list[Relationship]
    total: int
    offset: int
    limit: int


class ChangePage(BaseModel):
    """A page of the audit trail, oldest first; a caller without a key sees actors as roles."""

    items: list[Change]
    total: int
    offset: int
    limit: int


class OrganizationRef(BaseModel):
    """Enough of an organisation to name it."""

    id: str
    name: str
    type: str


class RelationshipEvidence(Relationship):
    """A relationship in an answer, with what it rests on: its basis, the fields only our
    inference gives, and, when it has no ``since``, the year it was first reported.

    The three are worked out from the sources each time, never stored: exports and imports
    carry the sources they come from, and nothing else.
    """

    @classmethod
    def of(cls, rel: Relationship) -> RelationshipEvidence:
        """``rel`` as an answer shows it."""
        return cls(**rel.model_dump())

    @computed_field(  # type: ignore[prop-decorator]
        description="How the tie as a whole is known: 'stated' (a source says it), "
        "'imported' (an open-data file records it) or 'inferred' (our inference).",
        examples=["stated"],
    )
    @property
    def basis(self) -> Basis:
        return record_basis(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="The fields whose value is only our inference (each with its reason "
        "among the sources).",
        examples=[["since"]],
    )
    @property
    def inferred(self) -> list[str]:
        return list(inferred_values(self))

    @computed_field(  # type: ignore[prop-decorator]
        description="For a tie with no 'since': the year of its earliest evidence, when it "
        "was first reported ('undated, reported in YEAR'); null for a dated tie or one with "
        "no dated source.",
        examples=[2020],
    )
    @property
    def reported(self) -> int | None:
        return timeline.reported(self)


class RelationshipView(RelationshipEvidence):
    """A relationship seen from one organisation: its direction and who is at the other end."""

    direction: Literal["out", "in"] = Field(
        description="'out' if the organisation is the source, 'in' if it is the target."
    )
    other: OrganizationRef


class OrganizationDetail(Organization):
    """An organisation with every relationship it takes part in."""

    relationships: list[RelationshipView]


class NetworkNode(Organization):
    """An organisation in an ego network, with its distance in hops from the centre."""

    distance: int


class Network(BaseModel):
    """The ego network of an organisation: nodes within ``depth`` hops and the edges among them."""

    center: str
    depth: int
    nodes: list[NetworkNode]
    edges: list[RelationshipEvidence]


class Health(BaseModel):
    """Liveness or readiness; which store and its graph version are told to admins only."""

    status: Literal["ok"]
    store: str | None = Field(None, description="The store and where it is (admins only).")
    version: int | None = Field(None, description="The graph version (admins only).")


class LinkView(BaseModel):
    """An enabler (or an enabled organisation) with the chain of ties that links it."""

    organization: OrganizationRef
    hops: int = Field(description="Relationships between the two organisations.")
    reach: Literal["direct", "indirect"] = Field(
        description="'direct' when one relationship links them, 'indirect' through intermediaries."
    )
    partner_mode: Literal["direct", "indirect"] = Field(
        description="The brief's direct or indirect enabling partner (movement actor or not)."
    )
    path: list[str] = Field(description="Organisation ids from the enabler to the enabled.")
    relationships: list[RelationshipEvidence]
    mechanisms: list[str] = Field(description="Mechanisms of the enabler's own tie.")
    sources: list[Source]
    rests_on_inference: bool = Field(description=REST_DESCRIPTION)
    inferred_records: list[str] = Field(description=RECORDS_DESCRIPTION)


class LinkPage(BaseModel):
    """Enablers of, or organisations enabled by, one organisation."""

    organization: str
    depth: int
    as_of: int | None
    basis: Weighing = Field(description="The facts counted: 'any' or only 'stated' ones.")
    items: list[LinkView]
    total: int


class RouteView(BaseModel):
    """One shortest connection: organisation ids in order and the ties between them."""

    organizations: list[str]
    relationships: list[RelationshipEvidence]
    rests_on_inference: bool = Field(description=REST_DESCRIPTION)
    inferred_records: list[str] = Field(description=RECORDS_DESCRIPTION)


class Routes(BaseModel):
    """The shortest connections between two organisations (none if they are not connected)."""

    source: str
    target: str
    length: int | None
    routes: list[RouteView]


class ViewPage(BaseModel):
    """A page of saved views."""

    items: list[SavedView]
    total: int
    offset: int
    limit: int


class StoryPage(BaseModel):
    """A page of stories."""

    items: list[Story]
    total: int
    offset: int
    limit: int
