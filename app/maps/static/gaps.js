/* The gaps page: draws the coverage matrix and the gaps from the page's inert JSON, as text
   only (textContent, never markup), so no name in the data can become part of the page. Each
   gap that rests on our inference is marked as the other analysis pages mark their findings
   (analysis.js, loaded as a module from this classic script). Every address the page makes
   keeps the facts it counts (basis=stated). */
import("/static/analysis.js").then(function (shared) {
  "use strict";

  const { inferredMark, restsOn, joined } = shared;
  const { gettext, ngettext, format, nodes } = window.SolgraphText;

  const data = JSON.parse(document.getElementById("gaps-data").textContent);
  const basis = data.basis === "stated" ? "stated" : null;
  // Addresses this page makes keep its language (English needs none).
  const lang = window.SolgraphText.lang === "en" ? null : window.SolgraphText.lang;
  const orgs = data.organizations;
  const FAMILIES = [
    { key: "U", label: gettext("Unions and informal workers' organisations"), counted: (n) => ngettext("{count} union or workers' organisation", "{count} unions or workers' organisations", n), ids: (c) => c.unions.concat(c.worker_organisations) },
    { key: "S", label: gettext("SSE units"), counted: (n) => ngettext("{count} SSE unit", "{count} SSE units", n), ids: (c) => c.sse_units },
    { key: "E", label: gettext("Enablers that reach them"), counted: (n) => ngettext("{count} enabler", "{count} enablers", n), ids: (c) => c.enablers },
  ];
  const EMPTY = { unions: [], worker_organisations: [], sse_units: [], enablers: [] };
  const cells = new Map(data.cells.map((c) => [c.country + "/" + c.sector, c]));

  /** An element with text content and attributes; children are appended in order. */
  function el(tag, text, attributes, children) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children || []) node.append(child);
    return node;
  }

  function shade(count) {
    let found = data.scale[0];
    for (const step of data.scale) if (count >= step.low) found = step;
    return found;
  }

  function paint(node, count) {
    const step = shade(count);
    node.style.backgroundColor = step.background;
    node.style.color = step.text;
  }

  /** A query string for this page or the JSON with the given filters (null: dropped). */
  function query(filters) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) {
      if (value !== null && value !== undefined && value !== "") params.set(name, value);
    }
    const text = params.toString();
    return text ? "?" + text : "";
  }

  function orgLink(index) {
    const org = orgs[index];
    const link = el("a", org.name, { href: "/maps/organizations/" + encodeURIComponent(org.id) + query({ basis, lang }) });
    const item = [link];
    if (org.short) item.push(" (" + org.short + ")");
    return item;
  }

  function orgItem(index) {
    const li = el("li", null, {}, orgLink(index));
    li.append(el("span", orgs[index].type, { class: "type" }));
    return li;
  }

  function countryName(key) {
    const found = data.countries.find((c) => c.key === key);
    return found ? found.name : key;
  }

  function sectorLabel(key) {
    const found = data.sectors.find((s) => s.key === key);
    return found ? found.label : key;
  }

  function drawFilters() {
    const country = document.getElementById("filter-country");
    const sector = document.getElementById("filter-sector");
    for (const c of data.choices.countries) country.append(el("option", c.name, { value: c.key }));
    for (const s of data.choices.sectors) sector.append(el("option", s.label, { value: s.key }));
    country.value = data.country || "";
    sector.value = data.sector || "";
    const year = document.getElementById("filter-year");
    year.value = data.as_of === null ? "" : String(data.as_of);
    const clear = document.getElementById("filter-clear");
    clear.hidden = !(data.country || data.sector || data.as_of);
    clear.href = "/analysis/gaps" + query({ basis, lang });
    document.getElementById("filters").addEventListener("submit", (event) => {
      event.preventDefault();
      window.location.assign("/analysis/gaps" + query({ country: country.value, sector: sector.value, as_of: year.value.trim(), basis, lang }));
    });
  }

  function drawScale() {
    const scale = document.getElementById("scale");
    scale.append(el("span", gettext("Colour: number of organisations"), { class: "scale-label" }));
    for (const step of data.scale) {
      const swatch = el("span", step.label, { class: "swatch" });
      paint(swatch, step.low);
      scale.append(swatch);
    }
  }

  function drawMatrix() {
    const table = document.getElementById("matrix");
    if (!data.countries.length || !data.sectors.length) {
      table.hidden = true;
      document.getElementById("matrix-empty").hidden = false;
      return;
    }
    const head = el("tr", null, {}, [el("th", gettext("Country"), { scope: "col", class: "corner" })]);
    for (const sector of data.sectors) {
      const kinds = el("span", null, { class: "kinds", "aria-hidden": "true" }, FAMILIES.map((f) => el("span", f.key)));
      head.append(el("th", null, { scope: "col" }, [el("span", sector.label, { class: "sector" }), kinds]));
    }
    table.append(el("thead", null, {}, [head]));
    const body = el("tbody");
    for (const country of data.countries) {
      const row = el("tr", null, {}, [el("th", country.name, { scope: "row" })]);
      for (const sector of data.sectors) row.append(el("td", null, {}, [cellButton(country, sector)]));
      body.append(row);
    }
    table.append(body);
  }

  function cellButton(country, sector) {
    const cell = cells.get(country.key + "/" + sector.key) || EMPTY;
    const counts = FAMILIES.map((f) => f.ids(cell).length);
    const words = FAMILIES.map((f, i) => format(f.counted(counts[i]), { count: counts[i] }));
    const button = el("button", null, { type: "button", class: "cell", "aria-pressed": "false", "data-cell": country.key + "/" + sector.key });
    // The chips show the numbers; a screen reader hears the cell in words instead.
    button.append(el("span", format(gettext("{country}, {sector}: {counts}"), { country: country.name, sector: sector.label, counts: words.join(", ") }), { class: "visually-hidden" }));
    counts.forEach((count, i) => {
      const chip = el("span", String(count), { class: "chip", "data-kind": FAMILIES[i].key, "aria-hidden": "true" });
      paint(chip, count);
      button.append(chip);
    });
    button.addEventListener("click", () => choose(country.key, sector.key, true));
    return button;
  }

  function choose(countryKey, sectorKey, fromClick) {
    const key = countryKey + "/" + sectorKey;
    for (const other of document.querySelectorAll("button.cell[aria-pressed='true']")) other.setAttribute("aria-pressed", "false");
    const button = document.querySelector("button.cell[data-cell='" + CSS.escape(key) + "']");
    if (!button) return;
    button.setAttribute("aria-pressed", "true");
    const cell = cells.get(key) || EMPTY;
    const panel = document.getElementById("cell");
    panel.replaceChildren(el("h3", countryName(countryKey) + " · " + sectorLabel(sectorKey)));
    for (const family of FAMILIES) {
      const ids = family.ids(cell);
      panel.append(el("h4", family.label + " (" + ids.length + ")"));
      panel.append(ids.length ? el("ul", null, {}, ids.map(orgItem)) : el("p", gettext("None"), { class: "none" }));
    }
    const narrowed = query({ country: countryKey, sector: sectorKey, as_of: data.as_of, basis, lang });
    panel.append(el("p", null, { class: "more" }, [el("a", gettext("Gaps in this country and sector only"), { href: "/analysis/gaps" + narrowed })]));
    if (fromClick) {
      history.replaceState(null, "", "#" + key);
      panel.scrollIntoView({ block: "nearest" });
    }
  }

  /** One gap in words: the organisations by name, each linking to its map, the mark
      "inferred" when the gap rests on our inference, and a link to the ranked list of who
      could close it, when a match could. */
  function gapLine(kind, gap) {
    const line = gapWords(kind, gap);
    if (gap.rests_on_inference) {
      line.push(" ", inferredMark(restsOn(gap.inferred_records.map((id) => data.inferred[id]))));
    }
    if (gap.matches) {
      const who = gap.match_kind === "partner" ? gettext("Who could partner with {name}") : gettext("Who could enable {name}");
      line.push(" ", el("a", null, { href: gap.matches, class: "gap-matches" }, [
        format(who, { name: orgs[gap.matches_for].short || orgs[gap.matches_for].name }),
      ]));
    }
    return line;
  }

  function gapWords(kind, gap) {
    const names = gap.organizations;
    if (kind === "single_enabler_dependency") {
      return nodes(gettext("{unit} depends on {enabler} alone"), { unit: orgLink(names[0]), enabler: orgLink(names[1]) });
    }
    if (kind === "funding_sought_not_found") {
      return nodes(gettext("{seeker} seeks funding for {target}"), { seeker: orgLink(names[0]), target: orgLink(names[1]) });
    }
    const line = [];
    if (gap.country) line.push(el("strong", gap.country + " · " + gap.sector), ": ");
    const listed = joined(names.map(orgLink));
    if (kind === "partnership_without_enabler") line.push(...nodes(gettext("Partnership of {members}"), { members: listed }));
    else line.push(...listed);
    return line;
  }

  function drawGaps() {
    const box = document.getElementById("gaps");
    for (const group of data.kinds) {
      const section = el("section", null, { class: "gap-kind" });
      section.append(el("h3", group.heading + " (" + group.gaps.length + ")"));
      section.append(el("p", group.about, { class: "about" }));
      section.append(el("details", null, {}, [el("summary", gettext("Why it matters")), el("p", group.why)]));
      if (!group.gaps.length) {
        section.append(el("p", gettext("None found."), { class: "none" }));
      } else {
        section.append(el("ul", null, {}, group.gaps.map((gap) => el("li", null, {}, gapLine(group.kind, gap)))));
      }
      box.append(section);
    }
  }

  drawFilters();
  drawScale();
  drawMatrix();
  drawGaps();
  const asked = window.location.hash.slice(1).split("/"); // keys are plain ASCII, as the page writes them
  if (asked.length === 2) choose(asked[0], asked[1], false);
  document.body.dataset.ready = "true";
});
