// The explorer page: search, filters, the embedded map, and a details panel. Data from the
// API is written with textContent only, never as markup.
(function () {
  "use strict";

  var frame = document.getElementById("map-frame");
  var details = document.getElementById("details");
  var suggestions = document.getElementById("suggestions");
  var search = document.getElementById("search");
  var selected = null;

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function getJson(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) throw new Error(path + " answered " + response.status);
      return response.json();
    });
  }

  function showMap(path) {
    frame.src = "/embed/" + path;
    var snippet = '<iframe src="' + window.location.origin + "/embed/" + path +
      '" width="100%" height="600" title="Solidarity Graph map" loading="lazy"></iframe>';
    document.getElementById("snippet").value = snippet;
  }

  function fillSelect(id, values) {
    var select = document.getElementById(id);
    values.forEach(function (value) {
      var option = element("option", value.label);
      option.value = value.key;
      select.appendChild(option);
    });
  }

  function section(title) {
    var box = element("section");
    box.appendChild(element("h3", title));
    details.appendChild(box);
    return box;
  }

  function showDetails(org, enablers) {
    details.replaceChildren();
    details.appendChild(element("h2", org.name));
    var facts = element("dl");
    [["Also known as", org.aliases.join(", ")], ["Type", org.type.replace(/_/g, " ")],
     ["Movement", org.movement.replace(/_/g, " ")], ["Countries", org.countries.join(", ")],
     ["Sectors", org.sectors.join(", ").replace(/_/g, " ")], ["Status", org.status]
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

  function select(id) {
    selected = id;
    suggestions.replaceChildren();
    document.getElementById("views").hidden = false;
    showMap("organizations/" + encodeURIComponent(id));
    Promise.all([
      getJson("/api/organizations/" + encodeURIComponent(id)),
      getJson("/api/organizations/" + encodeURIComponent(id) + "/enablers?depth=3"),
    ]).then(function (answers) { showDetails(answers[0], answers[1]); })
      .catch(function (error) { details.replaceChildren(element("p", String(error.message))); });
  }

  var pending = null;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    var text = search.value.trim();
    if (!text) { suggestions.replaceChildren(); return; }
    pending = setTimeout(function () {
      getJson("/api/organizations?limit=8&q=" + encodeURIComponent(text)).then(function (page) {
        suggestions.replaceChildren();
        page.items.forEach(function (org) {
          var item = element("li");
          var button = element("button", org.name + (org.aliases.length ? " (" + org.aliases[0] + ")" : ""));
          button.type = "button";
          button.setAttribute("role", "option");
          button.dataset.id = org.id;
          button.addEventListener("click", function () { select(org.id); });
          item.appendChild(button);
          suggestions.appendChild(item);
        });
        if (!page.items.length) suggestions.appendChild(element("li", "No match", "hint"));
      });
    }, 150);
  });

  document.getElementById("apply-filters").addEventListener("click", function () {
    var params = new URLSearchParams();
    [["country", "filter-country"], ["sector", "filter-sector"], ["type", "filter-type"],
     ["movement", "filter-movement"], ["as_of", "filter-year"]].forEach(function (pair) {
      var value = document.getElementById(pair[1]).value;
      if (value) params.set(pair[0], value);
    });
    var query = params.toString();
    showMap("ecosystem" + (query ? "?" + query : ""));
  });
  document.getElementById("view-ties").addEventListener("click", function () {
    if (selected) showMap("organizations/" + encodeURIComponent(selected) + "?depth=2");
  });
  document.getElementById("view-enablers").addEventListener("click", function () {
    if (selected) showMap("organizations/" + encodeURIComponent(selected) + "/enablers");
  });
  document.getElementById("copy-snippet").addEventListener("click", function () {
    var box = document.getElementById("snippet");
    box.select();
    if (navigator.clipboard) navigator.clipboard.writeText(box.value);
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data) return;
    if (event.data.type === "solgraph:select" && typeof event.data.id === "string") {
      select(event.data.id);
    }
  });

  getJson("/api/vocabulary").then(function (vocabulary) {
    fillSelect("filter-country", vocabulary.countries);
    fillSelect("filter-sector", vocabulary.sectors);
    fillSelect("filter-type", vocabulary.organization_types);
    fillSelect("filter-movement", vocabulary.movements);
  });
  showMap("ecosystem");
  var wanted = new URLSearchParams(window.location.search).get("organization");
  if (wanted) select(wanted);
})();
