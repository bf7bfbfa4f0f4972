/* The matches page: who could partner with an organisation or enable it, ranked, each with its
   reasons and the sources behind each reason, and how the ranking weighs them; drawn from the
   page's inert JSON as text only, its words in the page's language (text.js). */
import { el, matchDetails, orgLink, query } from "/static/analysis.js";

const { gettext, ngettext, format } = window.SolgraphText;
// Addresses this page makes keep its language (English needs none).
const lang = window.SolgraphText.lang === "en" ? null : window.SolgraphText.lang;

const data = JSON.parse(document.getElementById("matches-data").textContent);
const orgs = data.organizations;
const me = data.organization;
const basis = data.basis === "stated" ? "stated" : null;

function drawAbout() {
  document.getElementById("profile").href = "/organizations/" + encodeURIComponent(me.id) + query({ basis, lang });
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
  const number = (n) => n.toLocaleString(window.SolgraphText.lang);
  const best = ngettext("The best match of {total}.", "The best {count} matches of {total}.", data.shown);
  document.getElementById("count").textContent = data.total ? format(best, { count: number(data.shown), total: number(data.total) }) : "";
  if (!data.matches.length) {
    none.hidden = false;
    none.textContent = data.note || gettext("No match found: no one fits in its country and sector, or in its sector elsewhere.");
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
  table.append(el("caption", data.kind === "partner" ? gettext("The weights of partner matches") : gettext("The weights of enabler matches")));
  const head = ["", gettext("What it counts"), gettext("Weight"), gettext("The brief's words")].map((label) => el("th", label, { scope: "col" }));
  table.append(el("thead", null, {}, [el("tr", null, {}, head)]));
  const rows = data.how.map((row) => el("tr", null, {}, [
    el("td", row.role === "tier" ? gettext("Tier") : gettext("Extra"), { "data-label": gettext("Kind") }),
    el("td", row.counts, { "data-label": gettext("What it counts") }),
    el("td", row.cap ? format(gettext("{weight} each, at most {cap} times"), { weight: row.weight, cap: row.cap }) : String(row.weight), { "data-label": gettext("Weight"), class: "num" }),
    el("td", format(gettext("“{words}” ({where})"), { words: row.words, where: row.where }), { "data-label": gettext("The brief's words") }),
  ]));
  table.append(el("tbody", null, {}, rows));
}

drawAbout();
drawMatches();
drawHow();
document.body.dataset.ready = "true";
