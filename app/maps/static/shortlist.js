/* The shortlist page: the introductions that close the most gaps, each with the gaps it closes,
   its reasons and their sources, and how they were chosen; drawn from the page's inert JSON as
   text only, its words in the page's language (text.js). */
import { el, filterForm, matchDetails, orgLink } from "/static/analysis.js";

const { gettext, ngettext, format, nodes } = window.SolgraphText;
const number = (n) => n.toLocaleString(window.SolgraphText.lang);

const data = JSON.parse(document.getElementById("shortlist-data").textContent);
const orgs = data.organizations;
const named = (index) => orgLink(orgs[index], data.basis);

function drawStats() {
  const stats = document.getElementById("stats");
  const items = [
    [data.closed, ngettext("{count} gap closed by these introductions", "{count} gaps closed by these introductions", data.closed), "all"],
    [data.closable, ngettext("{count} gap some match could close", "{count} gaps some match could close", data.closable), "some"],
    [data.gaps, ngettext("{count} gap in all", "{count} gaps in all", data.gaps), "chains"],
  ];
  for (const [n, said, tone] of items) stats.append(el("li", null, { class: tone }, nodes(said, { count: el("strong", number(n)) })));
  document.getElementById("how").textContent = data.how;
}

/** "X could enable Y" or "X and Y could partner", each name linking to its profile. */
function headline(pick) {
  const them = named(pick.match.organization);
  const us = named(pick.for);
  return pick.kind === "enabler"
    ? nodes(gettext("{enabler} could enable {organisation}"), { enabler: them, organisation: us })
    : nodes(gettext("{organisation} and {partner} could partner"), { organisation: us, partner: them });
}

function drawPicks() {
  const list = document.getElementById("picks");
  if (!data.picks.length) {
    document.getElementById("none").hidden = false;
    return;
  }
  for (const pick of data.picks) {
    const closes = pick.closes.map((gap) => el("li", null, {}, [el("strong", gap.heading + ": "), gap.words]));
    const every = pick.kind === "enabler" ? gettext("Every enabler match for {name}") : gettext("Every partner match for {name}");
    const more = el("a", format(every, { name: orgs[pick.for].name }), { href: pick.matches });
    const closing = format(ngettext("Closes {count} gap:", "Closes {count} gaps:", pick.closes.length), { count: number(pick.closes.length) });
    list.append(el("li", null, { class: "match" }, [
      el("h3", null, {}, headline(pick)),
      el("p", closing, { class: "closes-label" }),
      el("ul", null, { class: "closes" }, closes),
      ...matchDetails(pick.match, data),
      el("p", null, { class: "card-links" }, [more]),
    ]));
  }
}

filterForm("/analysis/shortlist", data, { values: { n: data.n, as_of: data.as_of } }, window.SolgraphText.lang);
drawStats();
drawPicks();
document.body.dataset.ready = "true";
