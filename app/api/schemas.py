"""Response models of the API: what clients get back, with examples for the OpenAPI page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.domain.edits import Change
from app.domain.models import Organization, Relationship, Source


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


class RelationshipView(Relationship):
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
    edges: list[Relationship]


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
    relationships: list[Relationship]
    mechanisms: list[str] = Field(description="Mechanisms of the enabler's own tie.")
    sources: list[Source]


class LinkPage(BaseModel):
    """Enablers of, or organisations enabled by, one organisation."""

    organization: str
    depth: int
    as_of: int | None
    items: list[LinkView]
    total: int


class RouteView(BaseModel):
    """One shortest connection: organisation ids in order and the ties between them."""

    organizations: list[str]
    relationships: list[Relationship]


class Routes(BaseModel):
    """The shortest connections between two organisations (none if they are not connected)."""

    source: str
    target: str
    length: int | None
    routes: list[RouteView]
