/* The what-if page: pick organisations that withdraw (search as you type, arrows and Enter)
   and a year; the page asks POST /api/analysis/what-if and shows, by name, who loses all or
   some enabling support, on the map of their enablers. The picks live in the address
   (?remove=...&remove=...&year=&basis=), so a view can be shared and reopened; back and forward
   work. A loss that rests on our inference is marked "inferred", naming the ties we inferred
   and our reasons. Everything from the server is written as text only. Its words are said in
   the page's language (text.js), which its addresses, its switchers and its map keep. */
import { el, inferredMark, inferredReasons, joined, orgLink, query, restsOn } from "/static/analysis.js";

const { gettext, ngettext, format, nodes } = window.SolgraphText;
// Addresses this page makes keep its language (English needs none).
const lang = window.SolgraphText.lang === "en" ? null : window.SolgraphText.lang;

const data = JSON.parse(document.getElementById("what-if-data").textContent);
const LIMIT = 100; // organisations listed per group; the JSON answer holds them all
const PATH = "/analysis/what-if";
const known = new Map(data.picked.map((org) => [org.id, org]));
const search = document.getElementById("search");
const suggestions = document.getElementById("suggestions");
const note = document.getElementById("search-note");
const yearInput = document.getElementById("year");
const status = document.getElementById("status");
const results = document.getElementById("results");
const jsonLink = document.getElementById("json-link");
const API_DOCS = jsonLink.getAttribute("href");
let picked = data.picked.map((org) => org.id);
let year = data.year === null ? "" : String(data.year);
// The facts counted: the switch's links load the page again, so it is fixed for this page.
const basis = data.basis === "stated" ? "stated" : null;
const inferred = new Map(); // id of an inferred record -> { tie, record, reasons }, as fetched
let active = -1;
let typed = 0;
let runs = 0;
let download = null;

/** An organisation of an API answer as the page names it. */
function remember(org) {
  const short = org.aliases && org.aliases.length && org.aliases[0] !== org.name ? org.aliases[0] : "";
  const where = (org.countries || []).map((c) => data.countries[c] || c).join(", ");
  const kind = [data.types[org.type] || "", where].filter(Boolean).join(" · ");
  const named = { id: org.id, name: org.name, short, kind };
  known.set(org.id, named);
  return named;
}

function nameOf(id) {
  return known.get(id) || { id, name: id, short: "", kind: "" };
}

/** A number as the page's language writes it. */
function number(n) {
  return Number(n).toLocaleString(window.SolgraphText.lang);
}

/** "1 organisation", "3 organisations": a number of organisations in words. */
function organisations(n) {
  return format(ngettext("{count} organisation", "{count} organisations", n), { count: number(n) });
}

function plain(id) {
  const org = nameOf(id);
  return org.short ? org.name + " (" + org.short + ")" : org.name;
}

// The picker: a combobox whose options are organisations found by /api/organizations?q=.
function options() {
  return [...suggestions.querySelectorAll("[role=option]")];
}

function close() {
  suggestions.replaceChildren();
  suggestions.hidden = true;
  search.setAttribute("aria-expanded", "false");
  search.removeAttribute("aria-activedescendant");
  active = -1;
}

function highlight(index) {
  const list = options();
  if (!list.length) return;
  active = (index + list.length) % list.length;
  list.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
  search.setAttribute("aria-activedescendant", list[active].id);
  list[active].scrollIntoView({ block: "nearest" });
}

async function suggest() {
  const text = search.value.trim();
  const ticket = ++typed;
  if (!text) {
    close();
    note.textContent = "";
    return;
  }
  const response = await fetch("/api/organizations" + query({ limit: 8, q: text }), { headers: { Accept: "application/json" } });
  if (ticket !== typed) return;
  if (!response.ok) {
    close();
    note.textContent = format(gettext("The search did not answer ({status})."), { status: response.status });
    return;
  }
  const page = await response.json();
  if (ticket !== typed) return;
  close();
  page.items.forEach((item, i) => {
    const org = remember(item);
    const chosen = picked.includes(org.id);
    const option = el("li", null, { role: "option", id: "option-" + i, "aria-selected": "false", "data-id": org.id }, [
      plain(org.id),
      el("span", chosen ? gettext("chosen") : org.kind, { class: "type" }),
    ]);
    if (chosen) option.setAttribute("aria-disabled", "true");
    option.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus in the field
    option.addEventListener("click", () => add(org.id));
    suggestions.append(option);
  });
  suggestions.hidden = !page.items.length;
  search.setAttribute("aria-expanded", String(page.items.length > 0));
  // The search covers the organisations that exist now; one that has closed is reached by its
  // address (?remove=ID), as a shared view does.
  note.textContent = page.items.length
    ? format(ngettext("{count} match.", "{count} matches.", page.items.length), { count: number(page.items.length) })
    : format(gettext("No organisation active now matches “{text}”."), { text });
}

function add(id) {
  if (!picked.includes(id)) {
    if (picked.length >= data.max) {
      note.textContent = format(gettext("At most {max} organisations at once."), { max: number(data.max) });
      return;
    }
    picked.push(id);
  }
  search.value = "";
  close();
  drawChips();
  note.textContent = format(gettext("{name} added."), { name: plain(id) });
  search.focus();
}

function drawChips() {
  const chips = document.getElementById("picked");
  chips.replaceChildren();
  if (!picked.length) chips.append(el("li", gettext("None chosen yet."), { class: "empty" }));
  for (const id of picked) {
    const remove = el("button", "×", { type: "button", "aria-label": format(gettext("Remove {name}"), { name: plain(id) }) });
    remove.addEventListener("click", () => {
      picked = picked.filter((other) => other !== id);
      drawChips();
      note.textContent = format(gettext("{name} removed."), { name: plain(id) });
      search.focus();
    });
    chips.append(el("li", null, {}, [el("span", plain(id), { class: "name" }), remove]));
  }
}

search.addEventListener("input", suggest);
search.addEventListener("blur", () => setTimeout(close, 150));
search.addEventListener("keydown", async (event) => {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!options().length) await suggest();
    highlight(active + (event.key === "ArrowDown" ? 1 : -1));
  } else if (event.key === "Escape") {
    close();
  } else if (event.key === "Enter" && search.value.trim()) {
    event.preventDefault(); // Enter in a filled field picks; in an empty one it submits
    if (!options().length) await suggest();
    const list = options();
    if (list.length) add(list[Math.max(active, 0)].dataset.id);
  }
});

// The address holds the view; submitting, clearing, back and forward all go through it.
function address(facts, language) {
  return PATH + query({ remove: picked, year, basis: facts === undefined ? basis : facts, lang: language === undefined ? lang : language });
}

function read() {
  const params = new URLSearchParams(window.location.search);
  picked = [...new Set(params.getAll("remove"))].filter((id) => known.has(id));
  year = params.get("year") || "";
}

/** Keep the "Facts counted" links on the picks and year shown, each counting its own facts,
    and the language switcher's, each in its own language. */
function syncSwitch() {
  for (const link of document.querySelectorAll(".basis-switch a")) {
    const facts = new URL(link.href, window.location.href).searchParams.get("basis");
    link.href = address(facts === "stated" ? "stated" : null);
  }
  for (const link of document.querySelectorAll("nav.languages a[hreflang]")) {
    const language = link.getAttribute("hreflang");
    link.href = address(undefined, language === "en" ? null : language);
  }
}

document.getElementById("picker").addEventListener("submit", (event) => {
  event.preventDefault();
  year = yearInput.value.trim();
  if (!picked.length) {
    say(gettext("Choose at least one organisation that withdraws."), true);
    search.focus();
    return;
  }
  if (window.location.pathname + window.location.search !== address()) history.pushState(null, "", address());
  syncSwitch();
  run();
});

document.getElementById("clear").addEventListener("click", () => {
  picked = [];
  year = "";
  history.pushState(null, "", address());
  syncSwitch();
  show();
  search.focus();
});

window.addEventListener("popstate", () => {
  read();
  syncSwitch();
  show();
});

/** Say what is happening; the summary after an answer is for screen readers, as the tiles
    show it. */
function say(text, error, quiet) {
  status.textContent = text;
  status.classList.toggle("error", Boolean(error));
  status.classList.toggle("visually-hidden", Boolean(quiet));
}

/** Draw the picker from the state, and the answer for it if anything is picked. */
function show() {
  drawChips();
  yearInput.value = year;
  if (picked.length) return run();
  runs++;
  results.hidden = true;
  setJson(null);
  say("");
  return Promise.resolve();
}

async function run() {
  const ticket = ++runs;
  say(gettext("Working out what would lose support…"));
  let response;
  try {
    response = await fetch("/api/analysis/what-if", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ remove: picked, as_of: year ? Number(year) : null, basis: basis || "any" }),
    });
  } catch {
    say(gettext("The server could not be reached."), true);
    return;
  }
  const answer = await response.json();
  if (ticket !== runs) return;
  if (!response.ok) {
    results.hidden = true;
    say(answer.detail || format(gettext("The server answered {status}."), { status: response.status }), true);
    return;
  }
  await explain(answer);
  if (ticket !== runs) return;
  await nameAll(answer);
  if (ticket !== runs) return;
  draw(answer);
}

/** The partnerships of a loss, before and after, whose marks it carries. */
function sides(item) {
  return item.after ? [item.before, item.after] : [item.before];
}

/** Fetch the records that the listed losses rest on and that we inferred, to name them with
    our reasons: ties for a loss of support; ties or organisations for a partnership, whose
    organisations are its own. The ends of each tie are named with the rest. */
async function explain(answer) {
  const ties = new Set();
  const orgs = new Set();
  for (const loss of [...answer.lose_all.slice(0, LIMIT), ...answer.lose_some.slice(0, LIMIT)]) {
    loss.inferred_records.forEach((id) => ties.add(id));
  }
  for (const item of answer.partnerships.slice(0, LIMIT)) {
    for (const side of sides(item)) {
      const own = new Set([side.sse_unit, ...side.members, ...side.enablers]);
      side.inferred_records.forEach((id) => (own.has(id) ? orgs : ties).add(id));
    }
  }
  const fetchOne = async (kind, id) => {
    if (inferred.has(id)) return;
    const response = await fetch("/api/" + kind + "/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const record = await response.json();
    if (kind === "organizations") remember(record);
    inferred.set(id, { tie: kind === "relationships", record, reasons: inferredReasons(record.sources) });
  };
  const asked = [...[...ties].map((id) => ["relationships", id]), ...[...orgs].map((id) => ["organizations", id])];
  for (let i = 0; i < asked.length; i += 8) await Promise.all(asked.slice(i, i + 8).map(([kind, id]) => fetchOne(kind, id)));
}

/** An inferred record in words: a tie as a sentence, an organisation by name. */
function recordWords(id) {
  const found = inferred.get(id);
  if (!found) return { words: id, reasons: [] };
  const record = found.record;
  const words = found.tie
    ? plain(record.source) + " " + (data.relationships[record.type] || record.type) + " " + plain(record.target)
    : plain(id);
  return { words, reasons: found.reasons };
}

/** The mark of a finding and, after it, the records it rests on by name. */
function rests(ids) {
  const records = [...new Set(ids)].map(recordWords);
  const read = format(gettext("Rests on our reading of: {records}"), { records: records.map((r) => r.words).join("; ") });
  return el("span", null, { class: "rests" }, [inferredMark(restsOn(records)), " " + read]);
}

/** Fetch the names of the organisations the answer lists and the page does not know yet. */
async function nameAll(answer) {
  const ids = new Set(answer.unknown);
  for (const found of inferred.values()) {
    if (found.tie) [found.record.source, found.record.target].forEach((id) => ids.add(id));
  }
  for (const loss of [...answer.lose_all.slice(0, LIMIT), ...answer.lose_some.slice(0, LIMIT)]) {
    ids.add(loss.organization);
    loss.lost.forEach((id) => ids.add(id));
  }
  for (const p of answer.partnerships.slice(0, LIMIT)) {
    [p.before.sse_unit, ...p.lost_enablers, ...p.lost_members].forEach((id) => ids.add(id));
  }
  answer.broken_paths.forEach((pair) => pair.forEach((id) => ids.add(id)));
  const missing = [...ids].filter((id) => !known.has(id));
  const fetchOne = async (id) => {
    const response = await fetch("/api/organizations/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
    if (response.ok) remember(await response.json());
  };
  for (let i = 0; i < missing.length; i += 8) await Promise.all(missing.slice(i, i + 8).map(fetchOne));
}

function draw(answer) {
  const names = joinedText(answer.removed.map(plain));
  let heading;
  if (answer.removed.length) heading = year ? format(gettext("If {names} withdrew in {year}"), { names, year }) : format(gettext("If {names} withdrew"), { names });
  else heading = year ? format(gettext("None of those chosen was in the ecosystem in {year}"), { year }) : gettext("None of those chosen was in the ecosystem now");
  document.getElementById("results-heading").textContent = heading;
  drawStats(answer);
  const losses = document.getElementById("losses");
  losses.replaceChildren(
    group("lose-all", gettext("Lose all their enabling support"), gettext("No enabler would be left to them, directly or through others."), answer.lose_all, loss, answer.lose_all_count),
    group("lose-some", gettext("Lose some of their enabling support"), gettext("Other enablers would still support them."), answer.lose_some, loss, answer.lose_some_count),
    group("partnerships", gettext("Partnerships that lose an enabler or a member"), gettext("Partnerships of the brief's types whose SSE unit stays."), answer.partnerships, partnership),
    group("chains", gettext("Chains of support that break"), gettext("An enabler that would no longer reach an organisation it supports through others."), answer.broken_paths, chain, answer.broken_path_count),
  );
  if (!answer.complete) {
    losses.append(el("p", gettext("The chains of support were too many to compare in the time allowed: the counts are those found, so at least these."), { class: "note" }));
  }
  if (answer.unknown.length) {
    const left = joinedText(answer.unknown.map(plain));
    const words = year ? format(gettext("Not in the ecosystem in {year}, so left out: {names}."), { year, names: left }) : format(gettext("Not in the ecosystem now, so left out: {names}."), { names: left });
    losses.append(el("p", words, { class: "note" }));
  }
  const first = answer.lose_all[0] || answer.lose_some[0];
  document.getElementById("map-panel").hidden = !first;
  if (first) showMap(first.organization);
  results.hidden = false;
  setJson(answer);
  const all = answer.lose_all_count, some = answer.lose_some_count;
  say(all || some
    ? format(gettext("{all} would lose all enabling support and {some} some of it."), {
      all: organisations(all),
      some: organisations(some),
    })
    : gettext("No organisation would lose enabling support."), false, true);
}

/** Names listed in prose, "A", "A and B", "A, B and C", with the page's "and". */
function joinedText(names) {
  return joined(names.map((name) => [name])).join("");
}

function drawStats(answer) {
  const tiles = [
    ["all", answer.lose_all_count, ngettext("{count} organisation would lose all its enabling support", "{count} organisations would lose all their enabling support", answer.lose_all_count)],
    ["some", answer.lose_some_count, ngettext("{count} organisation would lose some of it", "{count} organisations would lose some of it", answer.lose_some_count)],
    ["partners", answer.partnerships.length, ngettext("{count} partnership would lose an enabler or a member", "{count} partnerships would lose an enabler or a member", answer.partnerships.length)],
    ["chains", answer.broken_path_count, ngettext("{count} chain of support would break", "{count} chains of support would break", answer.broken_path_count)],
  ];
  document.getElementById("stats").replaceChildren(...tiles.map(([cls, n, said]) => el("li", null, { class: cls }, nodes(said, { count: el("strong", number(n)) }))));
}

function group(id, heading, about, items, line, total) {
  const n = total === undefined ? items.length : total;
  const section = el("section", null, { class: "loss", id, "aria-labelledby": id + "-heading" }, [
    el("h3", heading + " (" + number(n) + ")", { id: id + "-heading" }),
    el("p", about),
  ]);
  if (!items.length) {
    section.append(el("p", gettext("None."), { class: "none" }));
    return section;
  }
  const list = el("ul", null, {}, items.slice(0, LIMIT).map(line));
  const more = n - Math.min(items.length, LIMIT);
  if (more > 0) list.append(el("li", format(gettext("and {count} more."), { count: number(more) }), { class: "plain" }));
  section.append(list);
  return section;
}

function lostNames(ids) {
  const marked = (id) => [plain(id), el("span", ", ", { class: "visually-hidden" }), el("span", gettext("withdrawn"), { class: "tag" })];
  return joined(ids.map((id) => (picked.includes(id) ? marked(id) : [plain(id)])));
}

function loss(item) {
  const org = nameOf(item.organization);
  const button = el("button", gettext("Show on the map"), { type: "button", "aria-pressed": "false", "data-map": org.id }, [
    el("span", format(gettext("(enablers of {name})"), { name: org.name }), { class: "visually-hidden" }),
  ]);
  button.addEventListener("click", () => showMap(org.id, true));
  const full = el("a", gettext("Open its enablers map"), { href: enablersPath("/maps", org.id) }, [el("span", "(" + org.name + ")", { class: "visually-hidden" })]);
  return el("li", null, { "data-id": org.id }, [
    ...orgLink(org, basis),
    el("span", org.kind, { class: "type" }),
    el("span", null, { class: "lost" }, nodes(gettext("Loses {names}"), { names: lostNames(item.lost) })),
    ...(item.rests_on_inference ? [rests(item.inferred_records)] : []),
    el("div", null, { class: "actions" }, [button, full]),
  ]);
}

/** A partnership's type in words: "type 1", or "no type". */
function typeWords(type) {
  return type ? format(gettext("type {number}"), { number: type }) : gettext("no type");
}

function partnership(item) {
  const unit = nameOf(item.before.sse_unit);
  const was = typeWords(item.before.type);
  const parts = [];
  const lost = (ids, said) => nodes(said, { names: lostNames(ids) });
  const enablers = item.lost_enablers, members = item.lost_members;
  if (enablers.length) parts.push(lost(enablers, ngettext("loses {names} as enabler", "loses {names} as enablers", enablers.length)));
  if (members.length) parts.push(lost(members, ngettext("loses {names} as member", "loses {names} as members", members.length)));
  let after;
  if (item.after === null) after = gettext("it would no longer be a partnership, with no union or informal workers' organisation left.");
  else if (item.after.type === item.before.type) {
    after = item.after.type ? format(gettext("it stays type {number}."), { number: item.after.type }) : gettext("it stays a partnership of no type.");
  } else {
    after = item.after.type ? format(gettext("it would become type {number}."), { number: item.after.type }) : gettext("it would become a partnership of no type.");
  }
  const map = el("a", gettext("Map of this partnership"), { href: "/maps/partnerships/" + encodeURIComponent(item.before.id) + query({ as_of: year, basis, lang }) }, [
    el("span", " " + format(gettext("around {name}"), { name: unit.name }), { class: "visually-hidden" }),
  ]);
  const marked = sides(item).filter((side) => side.rests_on_inference).flatMap((side) => side.inferred_records);
  const line = gettext("The partnership around {unit} ({kind}) {changes}; {after}");
  return el("li", null, {}, [
    ...nodes(line, { unit: orgLink(unit, basis), kind: was, changes: joined(parts), after }),
    ...(marked.length ? [rests(marked)] : []),
    el("div", null, { class: "actions" }, [map]),
  ]);
}

function chain(pair) {
  return el("li", format(gettext("{enabler} would no longer reach {organisation}"), { enabler: plain(pair[0]), organisation: plain(pair[1]) }), { class: "plain" });
}

function enablersPath(prefix, id) {
  return prefix + "/organizations/" + encodeURIComponent(id) + "/enablers" + query({ as_of: year, basis, lang });
}

/** Embed the enablers map of one affected organisation, as its ties stand before the withdrawal. */
function showMap(id, chosen) {
  const org = nameOf(id);
  document.getElementById("map-heading").textContent = gettext("On the map, before the withdrawal");
  const title = year
    ? format(gettext("Map: who enables {name} in {year}, before the withdrawal"), { name: org.name, year })
    : format(gettext("Map: who enables {name}, before the withdrawal"), { name: org.name });
  // A new frame each time: moving an existing frame to another map would add an entry to the
  // page's history, and Back would step through maps instead of views.
  document.getElementById("map-frame").replaceWith(el("iframe", null, {
    id: "map-frame",
    title,
    src: enablersPath("/embed", id),
  }));
  document.getElementById("map-note").replaceChildren(el("a", gettext("Open this map full size"), { href: enablersPath("/maps", id) }));
  for (const button of document.querySelectorAll("button[data-map]")) button.setAttribute("aria-pressed", String(button.dataset.map === id));
  if (chosen) document.getElementById("map-panel").scrollIntoView({ block: "nearest" });
}

/** The JSON link: the last answer as a file, or the API's documentation before any. */
function setJson(answer) {
  if (download) URL.revokeObjectURL(download);
  download = answer ? URL.createObjectURL(new Blob([JSON.stringify(answer, null, 2)], { type: "application/json" })) : null;
  jsonLink.href = download || API_DOCS;
  if (download) jsonLink.setAttribute("download", "what-if.json");
  else jsonLink.removeAttribute("download");
}

syncSwitch();
show().then(() => {
  document.body.dataset.ready = "true";
});
