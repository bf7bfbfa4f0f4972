/* The partnership types page: the brief's table, row by row, with the partnerships the graph
   classifies under each, drawn from the page's inert JSON as text only. */
import { citation, el, filterForm, inferredMark, inferredReasons, joined, orgLink, restsOn } from "/static/analysis.js";

const { gettext, ngettext, format, lang } = window.SolgraphText;
const data = JSON.parse(document.getElementById("partnerships-data").textContent);
const orgs = data.organizations;
const named = (index) => orgLink(orgs[index], data.basis);

/** The partnership as a card: its SSE unit, what of it is our inference, who takes part, who
    enables it, where, why this type, the ties it rests on with their sources, and its map. */
function card(p) {
  const unit = orgs[p.sse_unit];
  const heading = el("h3", null, {}, [...named(p.sse_unit), el("span", unit.type, { class: "type" })]);
  const records = p.inferred_records.map((id) => data.inferred[id]);
  const rests = p.rests_on_inference
    ? [el("p", null, { class: "rests" }, [inferredMark(restsOn(records)), " " + format(gettext("Rests on our reading of: {records}"), { records: records.map((r) => r.words).join("; ") })])]
    : [];
  const facts = el("dl", null, { class: "facts" }, [
    el("dt", gettext("Union side")),
    el("dd", null, {}, joined(p.members.map(named))),
    el("dt", gettext("Enablers")),
    p.enablers.length ? el("dd", null, {}, joined(p.enablers.map(named))) : el("dd", gettext("none recorded"), { class: "none" }),
    el("dt", gettext("Where")),
    el("dd", [p.countries.join(", "), p.sectors.join(", ")].filter(Boolean).join(" · ") || gettext("not recorded")),
  ]);
  const map = el("a", gettext("Map of this partnership"), { href: p.map }, [
    el("span", " " + format(gettext("around {name}"), { name: unit.name }), { class: "visually-hidden" }),
  ]);
  return el("article", null, { class: "card", id: p.id }, [
    heading,
    ...rests,
    facts,
    el("p", p.explanation, { class: "why" }),
    ...evidence(p.evidence.map((i) => data.ties[i]), p.inferred_records),
    el("p", null, { class: "card-links" }, [map]),
  ]);
}

/** The sources at a glance, then the ties among the partnership's organisations, each with
    its years in words ("undated, reported in 2020"), marked "inferred" when the tie is our
    inference or the partnership rests on an inferred part of it (``inferred`` ids), and with
    its own sources. */
function evidence(ties, inferred) {
  const cited = [...new Set(ties.flatMap((tie) => tie.sources.map((i) => citation(data.sources[i]))))];
  const sources = el("p", null, { class: "sources" }, [el("span", gettext("Sources: "), { class: "label" }), cited.join("; ") || gettext("none")]);
  const summary = el("summary", format(ngettext("The {count} tie it rests on", "The {count} ties it rests on", ties.length), { count: ties.length }));
  const items = ties.map((tie) => {
    const line = [format(gettext("{source} {tie} {target} ({dates})"), { source: orgs[tie.source].name, tie: tie.relationship, target: orgs[tie.target].name, dates: tie.dates })];
    if (tie.basis === "inferred" || inferred.includes(tie.id)) {
      line.push(" ", inferredMark(inferredReasons(tie.sources.map((i) => data.sources[i])).join("; ")));
    }
    if (tie.activities.length) line.push(": " + tie.activities.join("; "));
    const sources = tie.sources.map((i) => {
      const source = data.sources[i];
      const parts = [citation(source)];
      if (source.url && /^https?:\/\//.test(source.url)) parts.push(" (", el("a", gettext("link"), { href: source.url }), ")");
      return parts;
    });
    return el("li", null, {}, [...line, el("span", null, { class: "cite" }, [gettext("Source: "), ...joined(sources)])]);
  });
  const details = el("details", null, { class: "evidence" }, [summary, items.length ? el("ul", null, {}, items) : el("p", gettext("No tie in force."), { class: "none" })]);
  return [sources, details];
}

function section(id, tone, badge, heading, partnerships, parts) {
  const title = el("h2", heading, { id: id + "-heading" });
  const head = el("div", null, { class: "ptype-head" }, [
    el("span", badge, { class: "badge" }),
    title,
    el("span", format(ngettext("{count} partnership", "{count} partnerships", partnerships.length), { count: partnerships.length }), { class: "count" }),
  ]);
  const found = partnerships.length
    ? el("div", null, { class: "cards" }, partnerships.map(card))
    : el("p", filtered() ? gettext("None in the graph with these filters.") : gettext("None in the graph."), { class: "none" });
  return el("section", null, { class: "ptype " + tone, id, "aria-labelledby": id + "-heading" }, [head, ...parts, found]);
}

function filtered() {
  return Boolean(data.country || data.sector || data.as_of);
}

function list(title, items) {
  return el("div", null, {}, [el("h3", title), el("ul", null, {}, items.map((item) => el("li", item)))]);
}

function drawTypes() {
  const box = document.getElementById("types");
  for (const row of data.types) {
    const brief = el("div", null, { class: "brief" }, [list(gettext("Key characteristics"), row.characteristics), list(gettext("The brief's examples"), row.examples)]);
    const rule = el("p", null, { class: "rule" }, [el("strong", gettext("How the graph tells: ")), row.rule]);
    box.append(section("type-" + row.type, "t" + row.type, format(gettext("Type {number}"), { number: row.type }), row.heading, row.partnerships, [brief, rule]));
  }
  const about = el("p", gettext("Partnerships between a union side and an SSE unit that match none of the rows above; each says why."), { class: "rule" });
  box.append(section("no-type", "t0", gettext("No type"), gettext("Partnerships that fit none of the three types"), data.untyped, [about]));
}

function drawSummary() {
  const summary = document.getElementById("summary");
  const rows = data.types.map((row) => ["#type-" + row.type, format(gettext("Type {number}"), { number: row.type }), row.partnerships.length]);
  rows.push(["#no-type", gettext("No type"), data.untyped.length]);
  for (const [href, label, n] of rows) {
    summary.append(el("li", null, {}, [el("a", null, { href }, [label + ": ", el("strong", String(n))])]));
  }
}

filterForm("/analysis/partnerships", data, { choices: { country: data.choices.countries, sector: data.choices.sectors }, values: { as_of: data.as_of } }, lang);
document.getElementById("filter-clear").hidden = !filtered();
drawSummary();
drawTypes();
document.body.dataset.ready = "true";
