"""``solgraph analyse ...``: the ecosystem analyses as readable tables, or JSON with --json."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.analysis.brokers import brokers
from app.analysis.gaps import gaps
from app.analysis.peers import peers
from app.analysis.snapshot import Snapshot, SnapshotCache
from app.analysis.traversal import Link, enabled, enablers, shortest_routes
from app.analysis.typology import PartnershipType, partnerships
from app.analysis.whatif import what_if
from app.cli.common import configured_store, err, errors_to_exit, out, print_json
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore

analyse_cli = typer.Typer(
    help="Who enables whom, partnership types, gaps, what-if, ...", no_args_is_help=True
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AsOf = Annotated[int | None, typer.Option("--as-of", min=1800, max=2100, help="Year to look at.")]
Depth = Annotated[int, typer.Option(min=1, max=4, help="Enabling ties to follow, 1 to 4.")]


def _show_links(title: str, links: list[Link], as_json: bool) -> None:
    """Print links as JSON or as a table."""
    if as_json:
        print_json(links)
    else:
        out.print(_links_table(title, links))


def _links_table(title: str, links: list[Link]) -> Table:
    table = Table(
        "organisation", "type", "hops", "reach", "partner", "mechanisms", "via", title=title
    )
    for link in links:
        table.add_row(
            link.organization.id,
            link.organization.type,
            str(link.hops),
            link.reach,
            link.partner_mode,
            ", ".join(link.mechanisms),
            " → ".join(link.path[1:-1]) or "-",
        )
    return table


@analyse_cli.command("enablers")
def enablers_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    depth: Depth = 2,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Who enables an organisation, directly or through intermediaries."""
    with configured_store() as (_, store), errors_to_exit():
        links = enablers(store, organization, depth, as_of)
    _show_links(f"Enablers of {organization}", links, as_json)


@analyse_cli.command("enabled")
def enabled_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    depth: Depth = 2,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Whom an organisation enables, directly or through intermediaries."""
    with configured_store() as (_, store), errors_to_exit():
        links = enabled(store, organization, depth, as_of)
    _show_links(f"Enabled by {organization}", links, as_json)


@analyse_cli.command("paths")
def paths_command(
    source: Annotated[str, typer.Argument(help="Organisation id to start from.")],
    target: Annotated[str, typer.Argument(help="Organisation id to reach.")],
    max_depth: Annotated[int, typer.Option(min=1, max=6, help="Longest route.")] = 4,
    types: Annotated[
        list[str] | None, typer.Option("--type", help="Relationship type to follow (repeat).")
    ] = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """The shortest connections between two organisations."""
    followed = types or sorted(vocabulary().relationship_types)
    with configured_store() as (_, store), errors_to_exit():
        routes = shortest_routes(store, source, target, max_depth, followed, as_of)
    if as_json:
        print_json(routes)
        return
    table = Table("route", "ties", title=f"Shortest routes from {source} to {target}")
    for route in routes:
        table.add_row(
            " → ".join(route.organizations), ", ".join(r.type for r in route.relationships)
        )
    out.print(table if routes else f"no route within {max_depth} ties")


def _snapshot(store: GraphStore, as_of: int | None) -> Snapshot:
    return SnapshotCache(store).get(as_of)


@analyse_cli.command("partnerships")
def partnerships_command(
    type: Annotated[
        str | None, typer.Option("--type", help="1, 2, 3, or none (fits no type).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector key.")] = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Union-SSE partnerships, typed as the brief's type 1, 2 or 3 from the graph."""
    kinds: dict[str, PartnershipType | None] = {"1": 1, "2": 2, "3": 3, "none": None}
    if type is not None and type not in kinds:
        err.print(f"error: --type '{type}' is not allowed; allowed: 1, 2, 3, none")
        raise typer.Exit(2)
    with configured_store() as (_, store), errors_to_exit():
        found = partnerships(
            _snapshot(store, as_of),
            types=None if type is None else {kinds[type]},
            country=country,
            sector=sector,
        )
    if as_json:
        print_json(found)
        return
    table = Table("type", "SSE unit", "members", "enablers", "why", title="Partnerships")
    for p in found:
        table.add_row(
            str(p.type or "-"),
            p.sse_unit,
            ", ".join(p.members),
            ", ".join(p.enablers),
            p.explanation,
        )
    out.print(table)


@analyse_cli.command("gaps")
def gaps_command(
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector key.")] = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Gaps for funders: worker organisations with no union ally, single-enabler dependence, ..."""
    with configured_store() as (_, store), errors_to_exit():
        found = gaps(_snapshot(store, as_of), country=country, sector=sector)
    if as_json:
        print_json(found)
        return
    table = Table("kind", "organisations", "cell", "why", title="Gaps")
    for gap in found:
        cell = "/".join(x for x in (gap.country, gap.sector) if x) or "-"
        table.add_row(gap.kind, ", ".join(gap.organizations), cell, gap.why)
    out.print(table)


@analyse_cli.command("what-if")
def what_if_command(
    remove: Annotated[list[str], typer.Option("--remove", help="Organisation id (repeat).")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """What breaks if these organisations withdrew."""
    with configured_store() as (_, store), errors_to_exit():
        for organization_id in remove:
            store.get_organization(organization_id)
        result = what_if(_snapshot(store, as_of), remove)
    if as_json:
        print_json(result)
        return
    table = Table("organisation", "loses", "enablers lost", title=f"Without {', '.join(remove)}")
    for loss in result.lose_all:
        table.add_row(loss.organization, "all support", ", ".join(loss.lost))
    for loss in result.lose_some:
        table.add_row(loss.organization, "some support", ", ".join(loss.lost))
    out.print(table)
    out.print(
        f"partnerships losing an enabler or member: {len(result.partnerships)}; "
        f"enabling chains broken: {result.broken_path_count}"
    )


@analyse_cli.command("brokers")
def brokers_command(
    top: Annotated[int, typer.Option(min=1, max=200, help="How many brokers.")] = 20,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Who holds the ecosystem together, and who bridges the labour and SSE movements."""
    with configured_store() as (_, store), errors_to_exit():
        result = brokers(_snapshot(store, as_of), top=top)
    if as_json:
        print_json(result)
        return
    how = "exact" if result.exact else f"estimated from {result.sample_size} sampled pivots"
    table = Table("organisation", "betweenness", "constraint", title=f"Brokers ({how})")
    for broker in result.brokers:
        table.add_row(broker.organization, f"{broker.betweenness:.4f}", f"{broker.constraint:.3f}")
    out.print(table)
    bridges = Table("organisation", "labour ties", "SSE ties", title="Bridges between movements")
    for bridge in result.bridges:
        bridges.add_row(bridge.organization, ", ".join(bridge.labour), ", ".join(bridge.sse))
    out.print(bridges)


@analyse_cli.command("peers")
def peers_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Organisations elsewhere to exchange with: same sector, partnership type or activities."""
    with configured_store() as (_, store), errors_to_exit():
        store.get_organization(organization)
        found = peers(_snapshot(store, as_of), organization, limit=limit)
    if as_json:
        print_json(found)
        return
    table = Table("organisation", "score", "reasons", title=f"Peers of {organization}")
    for peer in found:
        table.add_row(peer.organization, str(peer.score), "; ".join(peer.reasons))
    out.print(table)
