/* The brokers page: what each measure means, the brokers ranked by betweenness and the
   bridges between the labour movement and the SSE, drawn from the page's inert JSON as text. */
import { el, filterForm, inferredMark, joined, orgLink, restsOn } from "/static/analysis.js";

const { gettext, ngettext, format, lang } = window.SolgraphText;
const data = JSON.parse(document.getElementById("brokers-data").textContent);
const orgs = data.organizations;
const named = (index) => orgLink(orgs[index], data.basis);

/** The organisation's name, marked "inferred" when the finding rests on our inference. */
function finding(item) {
  const name = named(item.organization);
  if (!item.rests_on_inference) return name;
  return [...name, " ", inferredMark(restsOn(item.inferred_records.map((id) => data.inferred[id])))];
}
const MEASURES = [
  [gettext("Betweenness"), gettext("The share of the shortest connections between two other organisations that run through this one: the higher it is, the more others rely on it to be linked at all.")],
  [gettext("Constraint"), gettext("How tied together an organisation's own contacts are (Burt): near 0 when its contacts have no ties to one another, so that it alone joins them; 1 when it has one contact, or contacts that all know each other.")],
  [gettext("Bridge"), gettext("An organisation with ties both to labour-movement organisations (unions and federations) and to SSE organisations (cooperatives, mutuals, social enterprises…), whichever movement it belongs to itself.")],
];

function drawMeasures() {
  const list = document.getElementById("measures");
  for (const [term, meaning] of MEASURES) list.append(el("dt", term), el("dd", meaning));
  const note = document.getElementById("estimate");
  const total = data.organization_count.toLocaleString(lang);
  if (data.exact) {
    note.textContent = format(gettext("Betweenness is computed exactly, over every shortest connection among the {total} organisations."), { total });
  } else {
    note.classList.add("sampled");
    note.textContent = format(gettext("Betweenness is a sampled estimate: with {total} organisations, it counts the shortest connections from {sample} of them, drawn at random (an organisation may be drawn more than once), rather than from all. Brokers with close scores may swap places."), { total, sample: data.sample_size.toLocaleString(lang) });
  }
}

/** A measure with two decimals, as the page's language writes them ("0.85", "0,85"). */
function decimals(value) {
  return value.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Its type, and below it its movement. */
function kind(org) {
  return [org.type, el("span", org.movement, { class: "movement" })];
}

function table(id, caption, columns, rows) {
  const node = document.getElementById(id);
  node.append(el("caption", caption));
  node.append(el("thead", null, {}, [el("tr", null, {}, columns.map(([label, cls]) => el("th", label, { scope: "col", class: cls || "" })))]));
  node.append(el("tbody", null, {}, rows));
}

function cell(label, children, cls) {
  return el("td", null, { "data-label": label, class: cls || "" }, children);
}

function drawBrokers() {
  if (!data.brokers.length) {
    document.getElementById("brokers").hidden = true;
    document.getElementById("brokers-empty").hidden = false;
    return;
  }
  const highest = data.brokers[0].betweenness;
  const rows = data.brokers.map((broker, i) => {
    const org = orgs[broker.organization];
    const share = decimals(broker.betweenness * 100) + " %";
    const bar = el("span", null, { class: "bar", "aria-hidden": "true" });
    bar.style.width = Math.max(2, Math.round((broker.betweenness / highest) * 80)) + "px";
    return el("tr", null, {}, [
      cell(gettext("Rank"), [String(i + 1)], "num rank"),
      el("th", null, { scope: "row" }, finding(broker)),
      cell(gettext("Kind"), kind(org)),
      cell(gettext("Betweenness"), [bar, share], "num barcell"),
      cell(gettext("Constraint"), [decimals(broker.constraint)], "num"),
    ]);
  });
  const shown = data.brokers.length;
  const caption = format(data.exact
    ? ngettext("The organisation most often on the shortest connections between others",
      "The {count} organisations most often on the shortest connections between others", shown)
    : ngettext("The organisation most often on the shortest connections between others (estimated)",
      "The {count} organisations most often on the shortest connections between others (estimated)", shown),
  { count: shown });
  table("brokers", caption, [[gettext("Rank"), "num rank"], [gettext("Organisation")], [gettext("Kind")], [gettext("Betweenness"), "num"], [gettext("Constraint"), "num"]], rows);
}

function drawBridges() {
  if (!data.bridges.length) {
    document.getElementById("bridges").hidden = true;
    document.getElementById("bridges-empty").hidden = false;
    return;
  }
  const rows = data.bridges.map((bridge) => el("tr", null, {}, [
    el("th", null, { scope: "row" }, finding(bridge)),
    cell(gettext("Kind"), kind(orgs[bridge.organization])),
    cell(gettext("Tied to the labour movement"), joined(bridge.labour.map(named))),
    cell(gettext("Tied to the SSE"), joined(bridge.sse.map(named))),
    cell(gettext("Ties to both"), [String(bridge.score)], "num"),
  ]));
  const caption = format(ngettext("{count} organisation tied to both movements",
    "{count} organisations tied to both movements, most ties first", data.bridges.length), { count: data.bridges.length });
  table("bridges", caption, [[gettext("Organisation")], [gettext("Kind")], [gettext("Tied to the labour movement")], [gettext("Tied to the SSE")], [gettext("Ties to both"), "num"]], rows);
}

filterForm("/analysis/brokers", data, { values: { as_of: data.as_of, top: data.top } }, lang);
drawMeasures();
drawBrokers();
drawBridges();
document.body.dataset.ready = "true";
