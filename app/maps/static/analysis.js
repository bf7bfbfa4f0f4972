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

/** An organisation's name linking to its profile, and its short name after it if another. */
export function orgLink(org) {
  const link = el("a", org.name, { href: "/organizations/" + encodeURIComponent(org.id) });
  return org.short ? [link, " (" + org.short + ")"] : [link];
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
