"""``solgraph analyse ...``: the ecosystem analyses as readable tables, or JSON with --json.

Tables name organisations, vocabulary terms and countries as a person reads them; ids and
keys stay in the JSON. Every analysis weighs evidence as ``--basis`` says (``any`` fact, or
only those a source ``stated``), and a row that rests on an inference says so. On a fresh
data folder the store is empty, so the brief's ecosystem is loaded first, as ``serve`` does,
and stderr says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, get_args

import typer
from rich.table import Table

from app.analysis.brokers import brokers
from app.analysis.gaps import gaps, say_why
from app.analysis.matching import MATCH_KINDS, MatchKind, matches
from app.analysis.peers import peers
from app.analysis.shortlist import shortlist
from app.analysis.snapshot import Snapshot, SnapshotCache
from app.analysis.traversal import Link, enabled, enablers, shortest_routes
from app.analysis.typology import PartnershipType, partnerships
from app.analysis.whatif import what_if
from app.cli.common import (
    LanguageOption,
    configured_store,
    err,
    errors_to_exit,
    out,
    print_json,
    reader_language,
    seed_if_empty,
)
from app.domain.evidence import Weighing, rests_on_inference
from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import N_, gettext
from app.domain.models import Organization, Relationship
from app.domain.terms import label
from app.domain.vocabulary import vocabulary
from app.maps.encoding import relationship_label
from app.store.protocol import GraphStore

analyse_cli = typer.Typer(
    help="Who enables whom, partnership types, gaps, what-if, ...", no_args_is_help=True
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
BasisOption = Annotated[
    str,
    typer.Option(
        "--basis",
        help="stated: count only facts a source states (or an open-data file publishes); "
        "any: count inferred ones too.",
    ),
]
AsOf = Annotated[int | None, typer.Option("--as-of", min=1800, max=2100, help="Year to look at.")]
Depth = Annotated[int, typer.Option(min=1, max=4, help="Enabling ties to follow, 1 to 4.")]


Names = Mapping[str, Organization]
"""Organisations by id, to name the ids an analysis answers with."""


def _weighing(basis: str) -> Weighing:
    """The ``--basis`` value as a weighing, or a plain error naming the allowed values."""
    allowed: tuple[Weighing, ...] = get_args(Weighing)
    for weighing in allowed:
        if basis == weighing:
            return weighing
    err.print(f"error: --basis '{basis}' is not allowed; allowed: {', '.join(sorted(allowed))}")
    raise typer.Exit(2)


@contextmanager
def _analysed_store() -> Iterator[GraphStore]:
    """The configured store, with the seed loaded first if it is empty, as ``serve`` does;
    project errors end the command with a readable message."""
    with configured_store() as (_, store), errors_to_exit():
        report = seed_if_empty(store)
        if report is not None:
            err.print(
                f"the store was empty: loaded the brief's ecosystem "
                f"({report.organizations.created} organisations, "
                f"{report.relationships.created} relationships) into {store.describe()}"
            )
        yield store


def _rests(inferred: bool, lang: Language = DEFAULT) -> str:
    """What a table's basis column says of a row: "inferred" if it rests on an inference."""
    return label("bases", "inferred" if inferred else "stated", lang).lower()


def _marked(ties: Iterable[Relationship], lang: Language = DEFAULT) -> str:
    """The basis column of a chain or route: "inferred" if any of its ties rests on one."""
    return _rests(any(rests_on_inference(t) for t in ties), lang)


def _name(org: Organization) -> str:
    """Its name, with the acronym it is known by: "French Development Agency (AFD)"."""
    short = org.short_name()
    return org.name if short == org.name else f"{org.name} ({short})"


def _short(names: Names, ids: Iterable[str]) -> str:
    """Organisations as prose names them, comma-separated: "UTRASD, IMA Limpia"."""
    return ", ".join(names[i].short_name() for i in ids)


def _where(countries: Iterable[str], sectors: Iterable[str], lang: Language = DEFAULT) -> str:
    """Country names, then sector labels: "Colombia · Domestic work, Care work"."""
    parts = (
        ", ".join(country_name(c, lang) for c in countries),
        ", ".join(label("sectors", s, lang) for s in sectors),
    )
    return " · ".join(p for p in parts if p) or "-"


def _fetch(store: GraphStore, ids: Iterable[str]) -> dict[str, Organization]:
    """The organisations with these ids, by id."""
    return {org.id: org for org in store.get_organizations(set(ids))}


def _show_links(title: str, links: list[Link], names: Names, as_json: bool, lang: Language) -> None:
    """Print links as JSON or as a table in ``lang``."""
    if as_json:
        print_json(links)
        return
    table = Table(
        gettext("organisation", lang),
        gettext("type", lang),
        gettext("hops", lang),
        gettext("reach", lang),
        gettext("partner", lang),
        gettext("mechanisms", lang),
        gettext("via", lang),
        gettext("basis", lang),
        title=title,
    )
    for link in links:
        table.add_row(
            _name(link.organization),
            label("organization_types", link.organization.type, lang),
            str(link.hops),
            label("modes", link.reach, lang).lower(),
            label("modes", link.partner_mode, lang).lower(),
            ", ".join(label("mechanisms", m, lang).lower() for m in link.mechanisms),
            " → ".join(names[i].short_name() for i in link.path[1:-1]) or "-",
            _marked(link.relationships, lang),
        )
    out.print(table)


def _chains(store: GraphStore, organization: str, links: list[Link]) -> dict[str, Organization]:
    """The organisation and everyone on its chains, to name them."""
    return _fetch(store, [organization, *(i for link in links for i in link.path)])


@analyse_cli.command("enablers")
def enablers_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    depth: Depth = 2,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Who enables an organisation, directly or through intermediaries."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        links = enablers(store, organization, depth, as_of, weighing=weighing)
        names = _chains(store, organization, links)
    title = gettext(N_("Enablers of {name}"), reader).format(name=names[organization].name)
    _show_links(title, links, names, as_json, reader)


@analyse_cli.command("enabled")
def enabled_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    depth: Depth = 2,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Whom an organisation enables, directly or through intermediaries."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        links = enabled(store, organization, depth, as_of, weighing=weighing)
        names = _chains(store, organization, links)
    title = gettext(N_("Enabled by {name}"), reader).format(name=names[organization].name)
    _show_links(title, links, names, as_json, reader)


@analyse_cli.command("paths")
def paths_command(
    source: Annotated[str, typer.Argument(help="Organisation id to start from.")],
    target: Annotated[str, typer.Argument(help="Organisation id to reach.")],
    max_depth: Annotated[int, typer.Option(min=1, max=6, help="Longest route.")] = 4,
    types: Annotated[
        list[str] | None, typer.Option("--type", help="Relationship type to follow (repeat).")
    ] = None,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """The shortest connections between two organisations."""
    followed = types or sorted(vocabulary().relationship_types)
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        routes = shortest_routes(
            store, source, target, max_depth, followed, as_of, weighing=weighing
        )
        names = _fetch(store, [source, target, *(i for r in routes for i in r.organizations)])
    if as_json:
        print_json(routes)
        return
    title = gettext(N_("Shortest routes from {source} to {target}"), reader).format(
        source=names[source].short_name(), target=names[target].short_name()
    )
    table = Table(
        gettext("route", reader), gettext("ties", reader), gettext("basis", reader), title=title
    )
    for route in routes:
        table.add_row(
            " → ".join(names[i].short_name() for i in route.organizations),
            "; ".join(
                f"{names[r.source].short_name()} {relationship_label(r.type, reader)} "
                f"{names[r.target].short_name()}"
                for r in route.relationships
            ),
            _marked(route.relationships, reader),
        )
    none = gettext(N_("no route within {count} ties"), reader).format(count=max_depth)
    out.print(table if routes else none)


def _snapshot(store: GraphStore, as_of: int | None, weighing: Weighing) -> Snapshot:
    return SnapshotCache(store).get(as_of, weighing)


def _named(store: GraphStore, snapshot: Snapshot, ids: Iterable[str]) -> dict[str, Organization]:
    """The snapshot's organisations, and any of ``ids`` it leaves out (one gone by then, such
    as a collapsed fund a gap seeks to revive) from the store, to name them all."""
    missing = set(ids) - set(snapshot.organizations)
    return {**snapshot.organizations, **(_fetch(store, missing) if missing else {})}


@analyse_cli.command("partnerships")
def partnerships_command(
    type: Annotated[
        str | None, typer.Option("--type", help="1, 2, 3, or none (fits no type).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector key.")] = None,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Union-SSE partnerships, typed as the brief's type 1, 2 or 3 from the graph."""
    kinds: dict[str, PartnershipType | None] = {"1": 1, "2": 2, "3": 3, "none": None}
    if type is not None and type not in kinds:
        err.print(f"error: --type '{type}' is not allowed; allowed: 1, 2, 3, none")
        raise typer.Exit(2)
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        snapshot = _snapshot(store, as_of, weighing)
        found = partnerships(
            snapshot,
            types=None if type is None else {kinds[type]},
            country=country,
            sector=sector,
        )
        ids = (i for p in found for i in (p.sse_unit, *p.members, *p.enablers))
        names = _named(store, snapshot, ids)
    if as_json:
        print_json(found)
        return
    headers: tuple[str, ...] = (N_("type"), N_("SSE unit"), N_("where"), N_("members"))
    headers += (N_("enablers"), N_("why"), N_("basis"))
    table = Table(*(gettext(h, reader) for h in headers), title=gettext(N_("Partnerships"), reader))
    for p in found:
        table.add_row(
            str(p.type or "-"),
            _name(names[p.sse_unit]),
            _where(p.countries, p.sectors, reader),
            _short(names, p.members),
            _short(names, p.enablers),
            p.said.say(reader),
            _rests(p.rests_on_inference, reader),
        )
    out.print(table)


@analyse_cli.command("gaps")
def gaps_command(
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector key.")] = None,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Gaps for funders: worker organisations with no union ally, single-enabler dependence, ..."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        snapshot = _snapshot(store, as_of, weighing)
        found = gaps(snapshot, country=country, sector=sector)
        names = _named(store, snapshot, (i for gap in found for i in gap.organizations))
    if as_json:
        print_json(found)
        return
    table = Table(
        gettext("organisations", reader),
        gettext("where", reader),
        gettext("why", reader),
        gettext("basis", reader),
        title=gettext("Gaps", reader),
    )
    for gap in found:
        cell = ([gap.country] if gap.country else [], [gap.sector] if gap.sector else [])
        table.add_row(
            _short(names, gap.organizations),
            _where(*cell, reader),
            say_why(gap.kind, gap.lead, reader),
            _rests(gap.rests_on_inference, reader),
        )
    out.print(table)


@analyse_cli.command("what-if")
def what_if_command(
    remove: Annotated[list[str], typer.Option("--remove", help="Organisation id (repeat).")],
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """What breaks if these organisations withdrew."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        removed = [store.get_organization(organization_id) for organization_id in remove]
        snapshot = _snapshot(store, as_of, weighing)
        result = what_if(snapshot, remove)
    if as_json:
        print_json(result)
        return
    names = {**snapshot.organizations, **{org.id: org for org in removed}}
    table = Table(
        gettext("organisation", reader),
        gettext("loses", reader),
        gettext("enablers lost", reader),
        title=gettext(N_("Without {names}"), reader).format(names=_short(names, remove)),
    )
    everything, some = gettext("all support", reader), gettext("some support", reader)
    for loss in result.lose_all:
        table.add_row(_name(names[loss.organization]), everything, _short(names, loss.lost))
    for loss in result.lose_some:
        table.add_row(_name(names[loss.organization]), some, _short(names, loss.lost))
    out.print(table)
    summary = N_(
        "partnerships losing an enabler or member: {partnerships}; enabling chains broken: {chains}"
    )
    said = gettext(summary, reader)
    out.print(said.format(partnerships=len(result.partnerships), chains=result.broken_path_count))


@analyse_cli.command("brokers")
def brokers_command(
    top: Annotated[int, typer.Option(min=1, max=200, help="How many brokers.")] = 20,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Who holds the ecosystem together, and who bridges the labour and SSE movements."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        snapshot = _snapshot(store, as_of, weighing)
        result = brokers(snapshot, top=top)
    if as_json:
        print_json(result)
        return
    names = snapshot.organizations
    how = (
        gettext(N_("Brokers (exact)"), reader)
        if result.exact
        else gettext(N_("Brokers (estimated from {count} sampled pivots)"), reader).format(
            count=result.sample_size
        )
    )
    table = Table(
        gettext("organisation", reader),
        gettext("betweenness", reader),
        gettext("constraint", reader),
        title=how,
    )
    for broker in result.brokers:
        table.add_row(
            _name(names[broker.organization]),
            f"{broker.betweenness:.4f}",
            f"{broker.constraint:.3f}",
        )
    out.print(table)
    bridges = Table(
        gettext("organisation", reader),
        gettext("labour ties", reader),
        gettext("SSE ties", reader),
        title=gettext("Bridges between movements", reader),
    )
    for bridge in result.bridges:
        bridges.add_row(
            _name(names[bridge.organization]),
            _short(names, bridge.labour),
            _short(names, bridge.sse),
        )
    out.print(bridges)


@analyse_cli.command("peers")
def peers_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    country: Annotated[
        str | None, typer.Option(help="Rank first the peers in this country (ISO code).")
    ] = None,
    exclude_country: Annotated[
        str | None, typer.Option(help="Leave out the peers in this country (ISO code).")
    ] = None,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Organisations elsewhere to exchange with: sector and partnership type first."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    for option, value in (("--country", country), ("--exclude-country", exclude_country)):
        _country(option, value)
    with _analysed_store() as store:
        org = store.get_organization(organization)
        snapshot = _snapshot(store, as_of, weighing)
        found = peers(
            snapshot, organization, limit=limit, country=country, exclude_country=exclude_country
        )
    if as_json:
        print_json(found)
        return
    table = Table(
        *_headers(reader, N_("organisation"), N_("where"), N_("score"), N_("reasons")),
        title=gettext(N_("Peers of {name}"), reader).format(name=org.name),
    )
    for peer in found:
        other = snapshot.organizations[peer.organization]
        table.add_row(
            _name(other),
            _where(other.countries, other.sectors, reader),
            str(peer.score),
            "; ".join(r.say(reader) for r in peer.said),
        )
    out.print(table)


def _headers(lang: Language, *headers: str) -> list[str]:
    """A table's column headers (marked messages) in ``lang``."""
    return [gettext(header, lang) for header in headers]


def _country(option: str, value: str | None) -> None:
    """Refuse a country that is not an ISO 3166-1 alpha-2 code, naming where to find them."""
    if value is not None and value not in vocabulary().countries:
        err.print(
            f"error: {option} '{value}' is not allowed; allowed: an ISO 3166-1 alpha-2 code "
            "such as BR or KE (see graph_schema/countries.yaml)"
        )
        raise typer.Exit(2)


@analyse_cli.command("matches")
def matches_command(
    organization: Annotated[str, typer.Argument(help="Organisation id.")],
    kind: Annotated[str, typer.Option("--kind", help="partner or enabler.")] = "partner",
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """Who could partner with an organisation, or enable it, best first, with the reasons."""
    wanted = _kind(kind)
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        org = store.get_organization(organization)
        snapshot = _snapshot(store, as_of, weighing)
        found = matches(snapshot, organization, wanted, limit=limit)
    if as_json:
        print_json(found)
        return
    title = (
        N_("Partner matches for {name}")
        if wanted == "partner"
        else N_("Enabler matches for {name}")
    )
    table = Table(
        *_headers(reader, N_("organisation"), N_("where"), N_("score"), N_("reasons"), N_("basis")),
        title=gettext(title, reader).format(name=org.name),
    )
    for match in found.items:
        other = snapshot.organizations[match.organization]
        table.add_row(
            _name(other),
            _where(other.countries, other.sectors, reader),
            str(match.score),
            "; ".join(r.said.say(reader) for r in match.reasons),
            _rests(match.rests_on_inference, reader),
        )
    if found.items:
        out.print(table)
    else:
        out.print(found.noted.say(reader) if found.noted else gettext(N_("no match found"), reader))


def _kind(kind: str) -> MatchKind:
    """The ``--kind`` value, or a plain error naming the allowed values."""
    for allowed in MATCH_KINDS:
        if kind == allowed:
            return allowed
    err.print(f"error: --kind '{kind}' is not allowed; allowed: {', '.join(MATCH_KINDS)}")
    raise typer.Exit(2)


@analyse_cli.command("shortlist")
def shortlist_command(
    n: Annotated[int, typer.Option("--n", min=1, max=50, help="How many introductions.")] = 5,
    as_of: AsOf = None,
    basis: BasisOption = "any",
    as_json: AsJson = False,
    lang: LanguageOption = None,
) -> None:
    """A funder's shortlist: the introductions that close the most gaps, each gap once."""
    weighing = _weighing(basis)
    reader = reader_language(lang)
    with _analysed_store() as store:
        snapshot = _snapshot(store, as_of, weighing)
        found = shortlist(snapshot, n)
    if as_json:
        print_json(found)
        return
    names = snapshot.organization
    title = gettext(N_("Shortlist: {closed} of {gaps} gaps closed ({closable} closable)"), reader)
    table = Table(
        *_headers(reader, N_("introduction"), N_("closes"), N_("why they fit"), N_("basis")),
        title=title.format(closed=found.closed, gaps=found.gaps, closable=found.closable),
    )
    enables = gettext(N_("{enabler} could enable {organisation}"), reader)
    partners = gettext(N_("{organisation} and {partner} could partner"), reader)
    for pick in found.picks:
        them, us = (
            names(pick.match.organization).short_name(),
            names(pick.organization).short_name(),
        )
        table.add_row(
            enables.format(enabler=them, organisation=us)
            if pick.kind == "enabler"
            else partners.format(organisation=us, partner=them),
            "; ".join(g.lead.say(reader) for g in pick.closes),
            "; ".join(r.said.say(reader) for r in pick.match.reasons),
            _rests(pick.match.rests_on_inference, reader),
        )
    out.print(table)
    out.print(found.said.say(reader))
