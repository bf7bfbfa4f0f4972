"""``solgraph analyse ...``: the ecosystem analyses as readable tables, or JSON with --json."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.analysis.traversal import Link, enabled, enablers, shortest_routes
from app.cli.common import configured_store, errors_to_exit, out, print_json
from app.domain.vocabulary import vocabulary

analyse_cli = typer.Typer(
    help="Who enables whom, partnership types, gaps, what-if, ...", no_args_is_help=True
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AsOf = Annotated[int | None, typer.Option("--as-of", min=1800, max=2100, help="Year to look at.")]
Depth = Annotated[int, typer.Option(min=1, max=4, help="Enabling ties to follow, 1 to 4.")]


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
    if as_json:
        print_json(links)
    else:
        out.print(_links_table(f"Enablers of {organization}", links))


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
    if as_json:
        print_json(links)
    else:
        out.print(_links_table(f"Enabled by {organization}", links))


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
