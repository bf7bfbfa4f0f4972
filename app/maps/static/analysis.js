/* What the analysis pages share: elements built as text only (textContent, never markup), so
   no name in the data can become part of the page, and organisations linked by name. */

const { gettext, format } = window.SolgraphText;

/** An element with text content and attributes; children are appended in order. */
export function el(tag, text, attributes, children) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  for (const child of children || []) node.append(child);
  return node;
}

/** A query string with the given values (null, undefined and "" dropped; arrays repeat). */
export function query(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== null && one !== undefined && one !== "") params.append(name, one);
    }
  }
  const text = params.toString();
  return text ? "?" + text : "";
}

/** An organisation's name linking to its profile (counting only stated facts when ``basis``
    is "stated"), and its short name after it if another. */
export function orgLink(org, basis) {
  const href = "/organizations/" + encodeURIComponent(org.id) + query({ basis: basis === "stated" ? "stated" : null });
  const link = el("a", org.name, { href });
  return org.short ? [link, " (" + org.short + ")"] : [link];
}

/** What a finding rests on, in words: each inferred record ({words, reasons}) with our
    reasons for it, as the "inferred" mark says it on hover and to screen readers. */
export function restsOn(records) {
  return records.map((r) => r.words + (r.reasons.length ? " (" + r.reasons.join("; ") + ")" : "")).join("; ");
}

/** The mark beside a finding or tie that rests on our inference: the word "inferred" (or
    ``word``, such as "inferred: start year"), not a colour, with ``said`` (the records and our
    reasons) on hover and read out after it. */
export function inferredMark(said, word) {
  return el("span", word || gettext("inferred"), { class: "inferred-mark", title: said }, [
    el("span", " " + format(gettext("(our inference: {reasons})"), { reasons: said }), { class: "visually-hidden" }),
  ]);
}

/** A source's reasons, for a record whose sources a page holds: "since: the onset was in
    2020", "the record: ..." for a source that backs the record as a whole. */
export function inferredReasons(sources) {
  return sources.filter((s) => s.basis === "inferred").map((s) => (s.fields.length ? s.fields.join(", ") : "the record") + ": " + s.reason);
}

/** Items joined for prose: "A", "A and B", "A, B and C"; each item is a list of nodes. */
export function joined(items) {
  const out = [];
  items.forEach((item, i) => {
    if (i) out.push(i === items.length - 1 ? gettext(" and ") : ", ");
    out.push(...item);
  });
  return out;
}

/** "1 partnership", "2 partnerships". */
export function count(n, one, many) {
  return n + " " + (n === 1 ? one : many);
}

/** A source as the brief cites it: "UTRASD et al. 2020, Box 3". */
export function citation(source) {
  return source.citation + (source.locator ? ", " + source.locator : "");
}

/** Fill the country and sector choices of a filter form and keep the address in step (and in
    the page's ``lang``, when given and not English). */
export function filterForm(path, data, fields, lang) {
  const form = document.getElementById("filters");
  for (const [name, choices] of Object.entries(fields.choices || {})) {
    const select = document.getElementById("filter-" + name);
    for (const choice of choices) select.append(el("option", choice.name || choice.label, { value: choice.key }));
    select.value = data[name] || "";
  }
  for (const [name, value] of Object.entries(fields.values || {})) {
    document.getElementById("filter-" + name).value = value === null || value === undefined ? "" : String(value);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = {};
    for (const field of form.elements) if (field.name) values[field.name] = field.value.trim();
    if (lang && lang !== "en") values.lang = lang;
    window.location.assign(path + query(values));
  });
}

/** Sources as a reason cites them: each work once, with each place in it once, "ILO Brief,
    Box 6; Section: Ways forward", works apart with " · ". */
function citedOnce(sources) {
  const places = new Map();
  for (const source of sources) {
    const where = places.get(source.citation) || [];
    if (source.locator && !where.includes(source.locator)) where.push(source.locator);
    places.set(source.citation, where);
  }
  return [...places].map(([work, where]) => work + (where.length ? ", " + where.join("; ") : "")).join(" · ");
}

/** A match as the matches and shortlist pages show it, below its name: its tier and score,
    each reason with the sources of the records it rests on, how an enabler enables and whom
    it enables there, and the mark "inferred" when it rests on our inference. ``data`` holds
    the page's organizations, sources, inferred records and basis. */
export function matchDetails(match, data) {
  const named = (index) => orgLink(data.organizations[index], data.basis);
  const reasons = match.reasons.map((reason) => {
    const cited = citedOnce(reason.sources.map((i) => data.sources[i]));
    return el("li", null, {}, [reason.words, el("span", "Sources: " + (cited || "none recorded"), { class: "cite" })]);
  });
  const parts = [
    el("p", match.tier + " · score " + match.score, { class: "tier" }),
    el("ul", null, { class: "reasons", "aria-label": "Reasons" }, reasons),
  ];
  if (match.mechanisms.length) parts.push(el("p", "How it enables: " + match.mechanisms.join(", "), { class: "gives" }));
  if (match.enables.length) parts.push(el("p", null, { class: "gives" }, ["Enables there: ", ...joined(match.enables.map(named))]));
  if (match.rests_on_inference) {
    const records = match.inferred_records.map((id) => data.inferred[id]);
    parts.push(el("p", null, { class: "rests" }, [inferredMark(restsOn(records)), " Rests on our reading of: " + records.map((r) => r.words).join("; ")]));
  }
  return parts;
}
