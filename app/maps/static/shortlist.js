/* The shortlist page: the introductions that close the most gaps, each with the gaps it closes,
   its reasons and their sources, and how they were chosen; drawn from the page's inert JSON as
   text only. */
import { count, el, filterForm, matchDetails, orgLink } from "/static/analysis.js";

const data = JSON.parse(document.getElementById("shortlist-data").textContent);
const orgs = data.organizations;
const named = (index) => orgLink(orgs[index], data.basis);

function drawStats() {
  const stats = document.getElementById("stats");
  const items = [
    [data.closed, "gaps closed by these introductions", "all"],
    [data.closable, "gaps some match could close", "some"],
    [data.gaps, "gaps in all", "chains"],
  ];
  for (const [number, words, tone] of items) stats.append(el("li", null, { class: tone }, [el("strong", String(number)), words]));
  document.getElementById("how").textContent = data.how;
}

/** "X could enable Y" or "X and Y could partner", each name linking to its profile. */
function headline(pick) {
  const them = named(pick.match.organization);
  const us = named(pick.for);
  return pick.kind === "enabler" ? [...them, " could enable ", ...us] : [...us, " and ", ...them, " could partner"];
}

function drawPicks() {
  const list = document.getElementById("picks");
  if (!data.picks.length) {
    document.getElementById("none").hidden = false;
    return;
  }
  for (const pick of data.picks) {
    const closes = pick.closes.map((gap) => el("li", null, {}, [el("strong", gap.heading + ": "), gap.words]));
    const more = el("a", "Every " + (pick.kind === "enabler" ? "enabler" : "partner") + " match for " + orgs[pick.for].name, { href: pick.matches });
    list.append(el("li", null, { class: "match" }, [
      el("h3", null, {}, headline(pick)),
      el("p", "Closes " + count(pick.closes.length, "gap", "gaps") + ":", { class: "closes-label" }),
      el("ul", null, { class: "closes" }, closes),
      ...matchDetails(pick.match, data),
      el("p", null, { class: "card-links" }, [more]),
    ]));
  }
}

filterForm("/analysis/shortlist", data, { values: { n: data.n, as_of: data.as_of } });
drawStats();
drawPicks();
document.body.dataset.ready = "true";
