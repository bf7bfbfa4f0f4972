/* What the analysis pages share: elements built as text only (textContent, never markup), so
   no name in the data can become part of the page, and organisations linked by name. */

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
  return el("span", word || "inferred", { class: "inferred-mark", title: said }, [
    el("span", " (our inference: " + said + ")", { class: "visually-hidden" }),
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
    if (i) out.push(i === items.length - 1 ? " and " : ", ");
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

/** Fill the country and sector choices of a filter form and keep the address in step. */
export function filterForm(path, data, fields) {
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
    window.location.assign(path + query(values));
  });
}
