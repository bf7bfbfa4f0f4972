/* The matches page: who could partner with an organisation or enable it, ranked, each with its
   reasons and the sources behind each reason, and how the ranking weighs them; drawn from the
   page's inert JSON as text only. */
import { count, el, matchDetails, orgLink, query } from "/static/analysis.js";

const data = JSON.parse(document.getElementById("matches-data").textContent);
const orgs = data.organizations;
const me = data.organization;
const basis = data.basis === "stated" ? "stated" : null;

function drawAbout() {
  document.getElementById("profile").href = "/organizations/" + encodeURIComponent(me.id) + query({ basis });
  const about = document.getElementById("about");
  about.append(...orgLink(me, data.basis), el("span", [me.type, me.where].filter(Boolean).join(" · "), { class: "type" }));
  const kinds = document.getElementById("kinds");
  for (const kind of data.kinds) {
    kinds.append(el("a", kind.label, kind.current ? { href: kind.href, "aria-current": "page" } : { href: kind.href }));
  }
}

function drawMatches() {
  const list = document.getElementById("matches");
  const none = document.getElementById("none");
  document.getElementById("count").textContent = data.total
    ? "The best " + count(data.shown, "match", "matches") + " of " + data.total + "."
    : "";
  if (!data.matches.length) {
    none.hidden = false;
    none.textContent = data.note || "No match found: no one fits in its country and sector, or in its sector elsewhere.";
    return;
  }
  for (const match of data.matches) {
    const org = orgs[match.organization];
    const heading = el("h3", null, {}, [...orgLink(org, data.basis), el("span", [org.type, org.where].filter(Boolean).join(" · "), { class: "type" })]);
    list.append(el("li", null, { class: "match" }, [heading, ...matchDetails(match, data)]));
  }
}

function drawHow() {
  const table = document.getElementById("how");
  table.append(el("caption", "The weights of " + (data.kind === "partner" ? "partner" : "enabler") + " matches"));
  const head = ["", "What it counts", "Weight", "The brief's words"].map((label) => el("th", label, { scope: "col" }));
  table.append(el("thead", null, {}, [el("tr", null, {}, head)]));
  const rows = data.how.map((row) => el("tr", null, {}, [
    el("td", row.role === "tier" ? "Tier" : "Extra", { "data-label": "Kind" }),
    el("td", row.counts, { "data-label": "What it counts" }),
    el("td", row.cap ? row.weight + " each, at most " + row.cap + " times" : String(row.weight), { "data-label": "Weight", class: "num" }),
    el("td", "“" + row.words + "” (" + row.where + ")", { "data-label": "The brief's words" }),
  ]));
  table.append(el("tbody", null, {}, rows));
}

drawAbout();
drawMatches();
drawHow();
document.body.dataset.ready = "true";
