// The explorer page: search, filters, the map, and one details panel. The address carries the
// view (organisation, map, depth, filters, year, basis), so a view can be shared and back and
// forward work. Data from the API is written with textContent only, never as markup.
(function () {
  "use strict";

  var gettext = window.SolgraphText.gettext, ngettext = window.SolgraphText.ngettext;
  var format = window.SolgraphText.format;
  var LANG = window.SolgraphText.lang;
  var frame = document.getElementById("map-frame");
  var details = document.getElementById("details");
  var suggestions = document.getElementById("suggestions");
  var search = document.getElementById("search");
  var FILTERS = ["country", "sector", "type", "movement"];
  var labels = { country: {}, sector: {}, type: {}, movement: {} };
  // Relationship types in words, in the page's language (English words need no vocabulary).
  var tieWords = {};
  var tieInverse = {};
  var state = read();

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function getJson(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        var error = new Error(path + " answered " + response.status);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  }

  // The view, read from and written to the address.
  function read() { return readFrom(window.location.search); }

  function readFrom(search) {
    var query = new URLSearchParams(search);
    var view = query.get("map");
    var organization = query.get("organization") || null;
    return {
      organization: organization,
      map: view === "ecosystem" || view === "enablers" ? view : organization ? "ties" : "ecosystem",
      depth: query.get("depth") || null,
      country: query.get("country") || "", sector: query.get("sector") || "",
      type: query.get("type") || "", movement: query.get("movement") || "",
      year: query.get("year") || "",
      basis: query.get("basis") === "stated" ? "stated" : "any",
    };
  }

  function address() {
    var query = new URLSearchParams();
    if (state.organization) query.set("organization", state.organization);
    if (state.organization && state.map !== "ties") query.set("map", state.map);
    if (state.depth) query.set("depth", state.depth);
    FILTERS.forEach(function (name) { if (state[name]) query.set(name, state[name]); });
    if (state.year) query.set("year", state.year);
    if (state.basis === "stated") query.set("basis", "stated");
    if (LANG !== "en") query.set("lang", LANG);
    var text = query.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function go(changes) {
    Object.keys(changes).forEach(function (key) { state[key] = changes[key]; });
    state.embed = null;
    var next = address();
    if (next !== window.location.pathname + window.location.search) {
      window.history.pushState(null, "", next);
    }
    render();
  }

  window.addEventListener("popstate", function () { state = read(); render(); });

  function mapPath() {
    var query = new URLSearchParams();
    if (state.basis === "stated") query.set("basis", "stated");
    if (LANG !== "en") query.set("lang", LANG);
    var id = state.organization && encodeURIComponent(state.organization);
    if (state.organization && state.map === "ties") {
      if (state.depth) query.set("depth", state.depth);
      return "organizations/" + id + (query.toString() ? "?" + query : "");
    }
    if (state.organization && state.map === "enablers") {
      if (state.year) query.set("as_of", state.year);
      return "organizations/" + id + "/enablers" + (query.toString() ? "?" + query : "");
    }
    FILTERS.forEach(function (name) { if (state[name]) query.set(name, state[name]); });
    if (state.year) query.set("as_of", state.year);
    return "ecosystem" + (query.toString() ? "?" + query : "");
  }

  function showMap() {
    // A story's step shows its saved view (pinned places and all) rather than the view's
    // address; any other change of view goes back to the address.
    var path = state.embed || mapPath();
    // Replace the framed page rather than push a new one, so back and forward step through
    // the explorer's views and not through the frame's own history.
    if (!frame.getAttribute("src")) {
      frame.src = "/embed/" + path;
    } else {
      var framed = frame.contentWindow.location;
      if (framed.pathname + framed.search !== "/embed/" + path) framed.replace("/embed/" + path);
    }
    document.getElementById("snippet").value = '<iframe src="' + window.location.origin +
      "/embed/" + path + '" width="100%" height="600" title="' + gettext("Solidarity Graph map") +
      '" loading="lazy"></iframe>';
  }

  function name(kind, key) { return labels[kind][key] || key.replace(/_/g, " "); }

  function section(title) {
    var box = element("section");
    box.appendChild(element("h3", title));
    details.appendChild(box);
    return box;
  }

  // Evidence. The API gives each relationship its `basis` (stated, imported or inferred) and
  // `inferred` (the fields with a value that only our inference gives), as app/domain/evidence.py
  // weighs them. The organisation's detail carries neither, since a client sends that record
  // back to edit it; its own basis is read from its sources by the same rule, in
  // organizationBasis and organizationInferred.
  var STRENGTH = { stated: 2, imported: 1, inferred: 0 };
  // The fields that read as unknown when only stated facts count (evidence.py, UNKNOWABLE).
  var UNKNOWABLE = ["aliases", "countries", "sectors", "founded", "identifiers", "mechanisms",
    "since", "until", "level", "activities", "amount", "currency", "awarded", "programme", "reference"];
  var FIELD_WORDS = { since: gettext("start year"), until: gettext("end year"),
    founded: gettext("founding year"), aliases: gettext("other names"),
    countries: gettext("countries"), sectors: gettext("sectors"), type: gettext("type"),
    mode: gettext("mode"), mechanisms: gettext("mechanisms"), movement: gettext("movement"),
    status: gettext("status") };
  var BASIS_WORDS = { stated: gettext("stated"), imported: gettext("imported"),
    inferred: gettext("inferred") };
  var statusWords = { active: gettext("active"), emerging: gettext("emerging"),
    inactive: gettext("inactive"), collapsed: gettext("collapsed"), dissolved: gettext("dissolved") };

  // The strongest basis among the sources (inferred when there are none).
  function strongest(sources) {
    return sources.reduce(function (best, source) {
      return best === null || STRENGTH[source.basis] > STRENGTH[best] ? source.basis : best;
    }, null) || "inferred";
  }

  // The organisation's basis: the strongest of its sources that name no field.
  function organizationBasis(org) {
    return strongest(org.sources.filter(function (s) { return !s.fields.length; }));
  }

  // Whether the value of one of the organisation's fields is only our inference: the sources
  // naming the field decide, else the organisation's own basis.
  function organizationInferred(org, field) {
    var naming = org.sources.filter(function (s) { return s.fields.indexOf(field) >= 0; });
    return (naming.length ? strongest(naming) : organizationBasis(org)) === "inferred";
  }

  // Whether counting only stated facts leaves a value out: one only our inference gives, of a
  // field that may be unknown.
  function blanked(field, inferred) {
    return state.basis === "stated" && inferred && UNKNOWABLE.indexOf(field) >= 0;
  }

  function fieldWords(fields) {
    return fields.map(function (f) { return FIELD_WORDS[f] || f.replace(/_/g, " "); }).join(", ");
  }

  function badge(basis) { return element("span", BASIS_WORDS[basis] || basis, "basis basis-" + basis); }

  // One source: its basis beside it; stated with its locator and words, imported with its file
  // and record, inferred with our reason.
  function sourceItem(source) {
    var basis = source.basis;
    var item = element("li", null, "source");
    item.appendChild(badge(basis));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(element("span", basis === "imported"
      ? format(source.locator ? gettext("file {file}, record {record}") : gettext("file {file}"),
        { file: source.citation, record: source.locator })
      : source.citation + (source.locator ? ", " + source.locator : ""), "cite"));
    if (source.fields.length) {
      item.appendChild(element("span", format(gettext("on its {fields}"),
        { fields: fieldWords(source.fields) }), "about"));
    }
    if (basis === "stated" && source.quote) item.appendChild(element("q", source.quote, "quote"));
    if (basis === "inferred" && source.reason) {
      item.appendChild(element("span", format(gettext("Our reading: {reason}"),
        { reason: source.reason }), "reason"));
    }
    return item;
  }

  function sourceList(items, className) {
    var list = element("ul", null, className);
    items.forEach(function (source) { list.appendChild(sourceItem(source)); });
    return list;
  }

  // A tie's start: its year, else "undated, reported in" the year of its earliest evidence:
  // the API's `reported`, or, when counting only stated facts leaves out an inferred start
  // year, the earliest year of its sources (app/domain/timeline.py).
  function sinceWords(rel) {
    var left = blanked("since", rel.inferred.indexOf("since") >= 0);
    if (rel.since !== null && !left) return format(gettext("since {year}"), { year: rel.since });
    var years = rel.sources.map(function (s) { return s.year; }).filter(function (y) { return y; });
    var first = left ? (years.length ? Math.min.apply(null, years) : null) : rel.reported;
    return first ? format(gettext("undated, reported in {year}"), { year: first }) : gettext("undated");
  }

  function showDetails(org, enablers) {
    details.replaceChildren();
    details.appendChild(element("h2", org.name));
    var profile = element("a", gettext("Full profile, to read or print"));
    profile.href = "/organizations/" + encodeURIComponent(org.id);
    details.appendChild(profile);
    if (organizationBasis(org) === "inferred") {
      details.appendChild(element("p", state.basis === "stated"
        ? gettext("No source states this organisation; maps of stated facts leave it out.")
        : gettext("No source states this organisation: it is our reading of the sources below."),
        "inferred-note"));
    }
    var facts = element("dl");
    [[gettext("Also known as"), "aliases", org.aliases.join(", ")],
     [gettext("Type"), "type", name("type", org.type)],
     [gettext("Movement"), "movement", name("movement", org.movement)],
     [gettext("Countries"), "countries", org.countries.map(function (c) { return name("country", c); }).join(", ")],
     [gettext("Sectors"), "sectors", org.sectors.map(function (s) { return name("sector", s); }).join(", ")],
     [gettext("Founded"), "founded", org.founded], [gettext("Status"), "status", statusWords[org.status] || org.status]
    ].forEach(function (fact) {
      if (!fact[2]) return;
      facts.appendChild(element("dt", fact[0]));
      var inferred = organizationInferred(org, fact[1]);
      var cell = element("dd", blanked(fact[1], inferred)
        ? format(gettext("not stated by a source (we infer {value})"), { value: fact[2] }) : fact[2]);
      if (inferred) {
        cell.appendChild(document.createTextNode(" "));
        cell.appendChild(badge("inferred"));
      }
      facts.appendChild(cell);
    });
    details.appendChild(facts);
    if (org.description) details.appendChild(element("p", org.description, "description"));

    var ties = element("ul", null, "relationships");
    var left = 0;
    org.relationships.forEach(function (rel) {
      var inferred = rel.basis === "inferred";
      if (inferred && state.basis === "stated") { left += 1; return; }
      var words = (rel.direction === "out" ? tieWords : tieInverse)[rel.type]
        || rel.type.replace(/_/g, " ").toLowerCase();
      var item = element("li", null, "tie");
      item.appendChild(element("span", format(gettext("{tie} {name}"), { tie: words, name: rel.other.name }),
        "tie-words"));
      item.appendChild(document.createTextNode(" "));
      if (inferred) {
        item.appendChild(badge("inferred"));
        item.appendChild(document.createTextNode(" "));
      }
      var fields = rel.inferred.filter(function (f) { return !blanked(f, true); });
      item.appendChild(element("span", "(" + sinceWords(rel) + (!inferred && fields.length
        ? format(gettext("; inferred: {fields}"), { fields: fieldWords(fields) }) : "") + ")", "when"));
      item.appendChild(sourceList(rel.sources, "tie-sources"));
      ties.appendChild(item);
    });
    if (!org.relationships.length) ties.appendChild(element("li", gettext("No tie recorded.")));
    var tieBox = section(gettext("Relationships"));
    tieBox.appendChild(ties);
    if (left) {
      tieBox.appendChild(element("p", format(ngettext(
        "{count} tie rests on our inference only, left out while counting only what a source states.",
        "{count} ties rest on our inference only, left out while counting only what a source states.",
        left), { count: left }), "hint"));
    }

    var enablerList = element("ul", null, "enablers");
    enablers.items.forEach(function (link) {
      var between = link.path.length - 2;
      var how = between < 1 ? gettext("enables it")
        : format(ngettext("reaches it through {count} organisation", "reaches it through {count} organisations", between), { count: between });
      var item = element("li", format(link.partner_mode === "indirect"
        ? gettext("{name} — {how}; in the brief's terms, an indirect enabling partner")
        : gettext("{name} — {how}; in the brief's terms, a direct enabling partner"),
        { name: link.organization.name, how: how }));
      if (link.relationships.some(function (r) { return r.basis === "inferred"; })) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge("inferred"));
      }
      enablerList.appendChild(item);
    });
    if (!enablers.items.length) enablerList.appendChild(element("li", gettext("No enabler in force.")));
    section(gettext("Enablers")).appendChild(enablerList);

    section(gettext("Sources")).appendChild(sourceList(org.sources, "sources"));
  }

  // An address naming no organisation we know: say so, and offer the closest names.
  function showUnknown(id) {
    details.replaceChildren();
    details.appendChild(element("h2", format(gettext("No organisation “{id}”"), { id: id })));
    details.appendChild(element("p", gettext("The address names an organisation that is not in the graph.")));
    var words = id.replace(/[^A-Za-z0-9]+/g, " ").trim();
    if (!words) return;
    getJson("/api/organizations?limit=5&q=" + encodeURIComponent(words)).then(function (page) {
      if (!page.items.length) {
        details.appendChild(element("p", gettext("Try the search above."), "hint"));
        return;
      }
      details.appendChild(element("p", gettext("Did you mean:")));
      var list = element("ul", null, "did-you-mean");
      page.items.forEach(function (org) {
        var item = element("li");
        var link = element("a", org.name);
        link.href = "/?organization=" + encodeURIComponent(org.id) + (LANG !== "en" ? "&lang=" + LANG : "");
        item.appendChild(link);
        list.appendChild(item);
      });
      details.appendChild(list);
    });
  }

  var shown = null;
  function showOrganization() {
    var id = state.organization;
    document.getElementById("views").hidden = !id;
    document.getElementById("view-ties").setAttribute("aria-pressed", String(state.map === "ties"));
    document.getElementById("view-enablers").setAttribute("aria-pressed", String(state.map === "enablers"));
    if (!id) {
      shown = null;
      details.replaceChildren(element("p", gettext("Search for an organisation or click one on the map."), "hint"));
      return;
    }
    var asked = id + " " + state.basis;
    if (shown === asked) return;
    shown = asked;
    details.replaceChildren(element("p", gettext("Loading…"), "hint"));
    var basis = state.basis === "stated" ? "&basis=stated" : "";
    Promise.all([
      getJson("/api/organizations/" + encodeURIComponent(id)),
      getJson("/api/organizations/" + encodeURIComponent(id) + "/enablers?depth=3" + basis),
    ]).then(function (answers) {
      if (shown !== asked) return;
      document.getElementById("views-name").textContent = answers[0].name;
      showDetails(answers[0], answers[1]);
    }).catch(function (error) {
      if (shown !== asked) return;
      document.getElementById("views").hidden = true;
      if (error.status === 404 || error.status === 422) showUnknown(id);
      else details.replaceChildren(element("p", String(error.message)));
    });
  }

  var counting = null;
  function showFilters() {
    FILTERS.forEach(function (filter) {
      document.getElementById("filter-" + filter).value = state[filter];
    });
    document.getElementById("filter-year").value = state.year;
    var chosen = FILTERS.filter(function (f) { return state[f]; });
    if (chosen.length) document.getElementById("filters").open = true;
    var empty = document.getElementById("filter-empty");
    if (!chosen.length || state.organization) { empty.hidden = true; return; }
    var query = new URLSearchParams({ limit: "1" });
    chosen.forEach(function (f) { query.set(f, state[f]); });
    var asked = query.toString();
    counting = asked;
    getJson("/api/organizations?" + asked).then(function (page) {
      if (counting !== asked) return;  // the filters changed while we asked
      empty.hidden = page.total > 0;
      document.getElementById("filter-empty-text").textContent = format(gettext("No organisation matches {filters}."),
        { filters: chosen.map(function (f) { return name(f, state[f]); }).join(gettext(" and ")) }) + " ";
    });
  }

  function showBasis() {
    document.querySelectorAll("#basis-switch input").forEach(function (input) {
      input.checked = input.value === state.basis;
    });
  }

  function render() {
    showMap();
    showBasis();
    showOrganization();
    showFilters();
  }

  // For a story played here (explorer-story.js): show the explorer as at ``search`` (an
  // address of the explorer's own), with the map of saved view ``embed`` ("views/ID").
  window.solgraphExplorer = {
    show: function (search, embed) {
      state = readFrom(search);
      state.embed = embed || null;
      render();
    },
  };

  // Search: type, then arrows and Enter, or click a suggestion.
  var pending = null, active = -1;
  function options() { return suggestions.querySelectorAll("button"); }
  function highlight(index) {
    var buttons = options();
    active = Math.max(-1, Math.min(index, buttons.length - 1));
    buttons.forEach(function (button, i) {
      button.classList.toggle("active", i === active);
      button.setAttribute("aria-selected", String(i === active));
    });
  }
  function choose(id) {
    suggestions.replaceChildren();
    search.setAttribute("aria-expanded", "false");
    go({ organization: id, map: state.organization === id ? state.map : "ties", depth: null });
  }

  function suggest() {
    var text = search.value.trim();
    if (!text) { suggestions.replaceChildren(); return Promise.resolve(); }
    return getJson("/api/organizations?limit=8&q=" + encodeURIComponent(text)).then(function (page) {
      suggestions.replaceChildren();
      active = -1;
      page.items.forEach(function (org) {
        var item = element("li");
        var button = element("button", org.name + (org.aliases.length ? " (" + org.aliases[0] + ")" : ""));
        button.type = "button";
        button.setAttribute("role", "option");
        button.dataset.id = org.id;
        button.addEventListener("click", function () { choose(org.id); });
        item.appendChild(button);
        suggestions.appendChild(item);
      });
      if (!page.items.length) suggestions.appendChild(element("li", gettext("No match"), "hint"));
      search.setAttribute("aria-expanded", String(page.items.length > 0));
    });
  }

  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(suggest, 150);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { suggestions.replaceChildren(); }
    else if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(pending);
      var pick = function () {
        var buttons = options();
        if (buttons.length) choose(buttons[Math.max(active, 0)].dataset.id);
      };
      if (options().length) pick(); else suggest().then(pick);
    }
  });

  FILTERS.forEach(function (filter) {
    document.getElementById("filter-" + filter).addEventListener("change", function (event) {
      var change = { organization: null, map: "ecosystem" };
      change[filter] = event.target.value;
      go(change);
    });
  });
  document.getElementById("filter-year").addEventListener("change", function (event) {
    go({ year: event.target.value });
  });
  document.querySelectorAll("#basis-switch input").forEach(function (input) {
    input.addEventListener("change", function () { if (input.checked) go({ basis: input.value }); });
  });
  document.getElementById("clear-filters").addEventListener("click", function () {
    go({ country: "", sector: "", type: "", movement: "" });
  });
  document.getElementById("view-ties").addEventListener("click", function () { go({ map: "ties" }); });
  document.getElementById("view-enablers").addEventListener("click", function () { go({ map: "enablers" }); });
  document.getElementById("view-ecosystem").addEventListener("click", function () {
    go({ organization: null, map: "ecosystem", depth: null });
  });
  document.getElementById("copy-snippet").addEventListener("click", function () {
    var box = document.getElementById("snippet");
    box.select();
    if (navigator.clipboard) navigator.clipboard.writeText(box.value);
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data) return;
    if (event.data.type === "solgraph:select" && typeof event.data.id === "string") {
      go({ organization: event.data.id, map: state.organization === event.data.id ? state.map : "ties" });
    }
  });

  // Filters offer only the values organisations have, with their counts and in words.
  function fill(filter, values) {
    var select = document.getElementById("filter-" + filter);
    values.forEach(function (value) {
      labels[filter][value.key] = value.label;
      var option = element("option", value.label + " (" + value.count + ")");
      option.value = value.key;
      select.appendChild(option);
    });
  }
  var words = getJson("/api/vocabulary?lang=" + LANG);
  Promise.all([getJson("/api/facets?lang=" + LANG), words]).then(function (answers) {
    var facets = answers[0];
    answers[1].relationship_types.forEach(function (t) {
      tieWords[t.key] = t.label;
      tieInverse[t.key] = t.inverse;
    });
    fill("country", facets.countries);
    fill("sector", facets.sectors);
    fill("type", facets.types);
    fill("movement", facets.movements);
    shown = null;  // an organisation drawn before the words came (a story's first step) is drawn again
    render();
  }).catch(render);
})();
