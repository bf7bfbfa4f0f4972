/* The shortlist page: the introductions that close the most gaps, each with the gaps it closes,
   its reasons and their sources, and how they were chosen; drawn from the page's inert JSON as
   text only, its words in the page's language (text.js). */
import { el, filterForm, matchDetails, orgLink } from "/static/analysis.js";

const { gettext, format, nodes } = window.SolgraphText;
const number = (n) => n.toLocaleString(window.SolgraphText.lang);

const data = JSON.parse(document.getElementById("shortlist-data").textContent);
const orgs = data.organizations;
const named = (index) => orgLink(orgs[index], data.basis);

function drawStats() {
  const stats = document.getElementById("stats");
  const items = [
    [data.closed, gettext("gap closed by these introductions"), gettext("gaps closed by these introductions"), "all"],
    [data.closable, gettext("gap some match could close"), gettext("gaps some match could close"), "some"],
    [data.gaps, gettext("gap in all"), gettext("gaps in all"), "chains"],
  ];
  for (const [n, one, many, tone] of items) stats.append(el("li", null, { class: tone }, [el("strong", number(n)), n === 1 ? one : many]));
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
    const closing = pick.closes.length === 1 ? gettext("Closes 1 gap:") : format(gettext("Closes {count} gaps:"), { count: number(pick.closes.length) });
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
