/* What the analysis pages share: elements built as text only (textContent, never markup), so
   no name in the data can become part of the page, and organisations linked by name. */

const { gettext, format, nodes } = window.SolgraphText;
// Addresses the pages make keep their language (English needs none).
const lang = window.SolgraphText.lang === "en" ? null : window.SolgraphText.lang;

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
    is "stated", in the page's language), and its short name after it if another. */
export function orgLink(org, basis) {
  const href = "/organizations/" + encodeURIComponent(org.id) + query({ basis: basis === "stated" ? "stated" : null, lang });
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

/** The fields of a record that a source may back, in words. */
const FIELD_WORDS = {
  since: gettext("start year"), until: gettext("end year"), founded: gettext("founding year"),
  aliases: gettext("other names"), countries: gettext("countries"), sectors: gettext("sectors"),
  type: gettext("type"), mode: gettext("mode"), mechanisms: gettext("mechanisms"),
  movement: gettext("movement"), status: gettext("status"), activities: gettext("activities"),
  amount: gettext("amount"), currency: gettext("currency"), awarded: gettext("award date"),
  level: gettext("level"), programme: gettext("programme"), reference: gettext("reference"),
  description: gettext("description"), identifiers: gettext("identifiers"), name: gettext("name"),
  source: gettext("who it comes from"), target: gettext("whom it reaches"),
};

/** A source's reasons, for a record whose sources a page holds: "start year: the onset was
    in 2020", "the record: ..." for a source that backs the record as a whole. */
export function inferredReasons(sources) {
  return sources.filter((s) => s.basis === "inferred").map((s) => format(gettext("{fields}: {reason}"), {
    fields: s.fields.length ? s.fields.map((f) => FIELD_WORDS[f] || f).join(", ") : gettext("the record"),
    reason: s.reason,
  }));
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
    the page's organizations, sources, inferred records and basis, its words in the page's
    language. */
export function matchDetails(match, data) {
  const named = (index) => orgLink(data.organizations[index], data.basis);
  const reasons = match.reasons.map((reason) => {
    const cited = citedOnce(reason.sources.map((i) => data.sources[i]));
    return el("li", null, {}, [reason.words, el("span", cited ? format(gettext("Sources: {sources}"), { sources: cited }) : gettext("Sources: none recorded"), { class: "cite" })]);
  });
  const score = Number(match.score).toLocaleString(window.SolgraphText.lang);
  const parts = [
    el("p", format(gettext("{tier} · score {score}"), { tier: match.tier, score }), { class: "tier" }),
    el("ul", null, { class: "reasons", "aria-label": gettext("Reasons") }, reasons),
  ];
  if (match.mechanisms.length) parts.push(el("p", format(gettext("How it enables: {mechanisms}"), { mechanisms: match.mechanisms.join(", ") }), { class: "gives" }));
  if (match.enables.length) parts.push(el("p", null, { class: "gives" }, nodes(gettext("Enables there: {names}"), { names: joined(match.enables.map(named)) })));
  if (match.rests_on_inference) {
    const records = match.inferred_records.map((id) => data.inferred[id]);
    const read = format(gettext("Rests on our reading of: {records}"), { records: records.map((r) => r.words).join("; ") });
    parts.push(el("p", null, { class: "rests" }, [inferredMark(restsOn(records)), " " + read]));
  }
  return parts;
}
