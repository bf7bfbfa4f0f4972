// The explorer page: search, filters, the map, and one details panel. The address carries the
// view (organisation, map, depth, filters, year), so a view can be shared and back and forward
// work. Data from the API is written with textContent only, never as markup.
(function () {
  "use strict";

  var frame = document.getElementById("map-frame");
  var details = document.getElementById("details");
  var suggestions = document.getElementById("suggestions");
  var search = document.getElementById("search");
  var FILTERS = ["country", "sector", "type", "movement"];
  var labels = { country: {}, sector: {}, type: {}, movement: {} };
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
  function read() {
    var query = new URLSearchParams(window.location.search);
    var view = query.get("map");
    var organization = query.get("organization") || null;
    return {
      organization: organization,
      map: view === "ecosystem" || view === "enablers" ? view : organization ? "ties" : "ecosystem",
      depth: query.get("depth") || null,
      country: query.get("country") || "", sector: query.get("sector") || "",
      type: query.get("type") || "", movement: query.get("movement") || "",
      year: query.get("year") || "",
    };
  }

  function address() {
    var query = new URLSearchParams();
    if (state.organization) query.set("organization", state.organization);
    if (state.organization && state.map !== "ties") query.set("map", state.map);
    if (state.depth) query.set("depth", state.depth);
    FILTERS.forEach(function (name) { if (state[name]) query.set(name, state[name]); });
    if (state.year) query.set("year", state.year);
    var text = query.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function go(changes) {
    Object.keys(changes).forEach(function (key) { state[key] = changes[key]; });
    var next = address();
    if (next !== window.location.pathname + window.location.search) {
      window.history.pushState(null, "", next);
    }
    render();
  }

  window.addEventListener("popstate", function () { state = read(); render(); });

  function mapPath() {
    var query = new URLSearchParams();
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
    var path = mapPath();
    // Replace the framed page rather than push a new one, so back and forward step through
    // the explorer's views and not through the frame's own history.
    if (!frame.getAttribute("src")) {
      frame.src = "/embed/" + path;
    } else {
      var framed = frame.contentWindow.location;
      if (framed.pathname + framed.search !== "/embed/" + path) framed.replace("/embed/" + path);
    }
    document.getElementById("snippet").value = '<iframe src="' + window.location.origin +
      "/embed/" + path + '" width="100%" height="600" title="Solidarity Graph map" loading="lazy"></iframe>';
  }

  function name(kind, key) { return labels[kind][key] || key.replace(/_/g, " "); }

  function section(title) {
    var box = element("section");
    box.appendChild(element("h3", title));
    details.appendChild(box);
    return box;
  }

  function showDetails(org, enablers) {
    details.replaceChildren();
    details.appendChild(element("h2", org.name));
    var profile = element("a", "Full profile, to read or print");
    profile.href = "/organizations/" + encodeURIComponent(org.id);
    details.appendChild(profile);
    var facts = element("dl");
    [["Also known as", org.aliases.join(", ")], ["Type", name("type", org.type)],
     ["Movement", name("movement", org.movement)],
     ["Countries", org.countries.map(function (c) { return name("country", c); }).join(", ")],
     ["Sectors", org.sectors.map(function (s) { return name("sector", s); }).join(", ")],
     ["Founded", org.founded], ["Status", org.status]
    ].forEach(function (pair) {
      if (!pair[1]) return;
      facts.appendChild(element("dt", pair[0]));
      facts.appendChild(element("dd", pair[1]));
    });
    details.appendChild(facts);
    if (org.description) details.appendChild(element("p", org.description, "description"));

    var ties = element("ul", null, "relationships");
    org.relationships.forEach(function (rel) {
      var text = rel.direction === "out"
        ? rel.type.replace(/_/g, " ").toLowerCase() + " " + rel.other.name
        : rel.other.name + " " + rel.type.replace(/_/g, " ").toLowerCase() + " this";
      var item = element("li", text);
      var cite = rel.sources.map(function (s) { return s.citation + (s.locator ? ", " + s.locator : ""); });
      item.appendChild(element("span", " (" + cite.join("; ") + ")", "cite"));
      ties.appendChild(item);
    });
    if (!org.relationships.length) ties.appendChild(element("li", "No tie recorded."));
    section("Relationships").appendChild(ties);

    var enablerList = element("ul", null, "enablers");
    enablers.items.forEach(function (link) {
      var between = link.path.length - 2;
      var how = between < 1 ? "enables it"
        : "reaches it through " + between + " organisation" + (between > 1 ? "s" : "");
      enablerList.appendChild(element("li", link.organization.name + " — " + how +
        "; in the brief's terms, " + (link.partner_mode === "indirect" ? "an" : "a") + " " +
        link.partner_mode + " enabling partner"));
    });
    if (!enablers.items.length) enablerList.appendChild(element("li", "No enabler in force."));
    section("Enablers").appendChild(enablerList);

    var sources = element("ul", null, "sources");
    org.sources.forEach(function (s) {
      sources.appendChild(element("li", s.citation + (s.locator ? ", " + s.locator : "")));
    });
    section("Sources").appendChild(sources);
  }

  // An address naming no organisation we know: say so, and offer the closest names.
  function showUnknown(id) {
    details.replaceChildren();
    details.appendChild(element("h2", "No organisation “" + id + "”"));
    details.appendChild(element("p", "The address names an organisation that is not in the graph."));
    var words = id.replace(/[^A-Za-z0-9]+/g, " ").trim();
    if (!words) return;
    getJson("/api/organizations?limit=5&q=" + encodeURIComponent(words)).then(function (page) {
      if (!page.items.length) {
        details.appendChild(element("p", "Try the search above.", "hint"));
        return;
      }
      details.appendChild(element("p", "Did you mean:"));
      var list = element("ul", null, "did-you-mean");
      page.items.forEach(function (org) {
        var item = element("li");
        var link = element("a", org.name);
        link.href = "/?organization=" + encodeURIComponent(org.id);
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
      details.replaceChildren(element("p", "Search for an organisation or click one on the map.", "hint"));
      return;
    }
    if (shown === id) return;
    shown = id;
    details.replaceChildren(element("p", "Loading…", "hint"));
    Promise.all([
      getJson("/api/organizations/" + encodeURIComponent(id)),
      getJson("/api/organizations/" + encodeURIComponent(id) + "/enablers?depth=3"),
    ]).then(function (answers) {
      if (shown !== id) return;
      document.getElementById("views-name").textContent = answers[0].name;
      showDetails(answers[0], answers[1]);
    }).catch(function (error) {
      if (shown !== id) return;
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
      document.getElementById("filter-empty-text").textContent = "No organisation matches " +
        chosen.map(function (f) { return name(f, state[f]); }).join(" and ") + ". ";
    });
  }

  function render() {
    showMap();
    showOrganization();
    showFilters();
  }

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
      if (!page.items.length) suggestions.appendChild(element("li", "No match", "hint"));
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
  getJson("/api/facets").then(function (facets) {
    fill("country", facets.countries);
    fill("sector", facets.sectors);
    fill("type", facets.types);
    fill("movement", facets.movements);
    render();
  }).catch(render);
})();
