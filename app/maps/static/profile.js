// An organisation's profile, drawn from the page's inert JSON with textContent only.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("profile-data").textContent);

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(text, href) {
    var anchor = element("a", text);
    anchor.href = href;
    return anchor;
  }

  function cite(sources) {
    return sources.map(function (s) { return s.citation + (s.locator ? ", " + s.locator : ""); }).join("; ");
  }

  function none(list, text) {
    if (!list.children.length) list.appendChild(element("li", text, "none"));
  }

  var id = encodeURIComponent(data.id);
  document.getElementById("explore").href = "/?organization=" + id;
  document.getElementById("json").href = "/api/organizations/" + id;
  document.getElementById("aliases").textContent = data.aliases.length ? "Also known as " + data.aliases.join(", ") : "";
  var map = document.getElementById("map");
  map.src = "/maps/organizations/" + id + ".svg";
  map.alt = "Map of " + data.name + " and its ties";
  if (data.description) document.getElementById("description").textContent = data.description;

  var facts = document.getElementById("facts");
  [["Type", data.type], ["Movement", data.movement], ["Countries", data.countries.join(", ")],
   ["Sectors", data.sectors.join(", ")], ["Founded", data.founded], ["Status", data.status]
  ].forEach(function (pair) {
    if (pair[1] === null || pair[1] === undefined || pair[1] === "") return;
    facts.appendChild(element("dt", pair[0]));
    facts.appendChild(element("dd", pair[1]));
  });

  var ties = document.getElementById("ties");
  if (data.relationships.length) {
    var table = element("table");
    var head = element("tr");
    ["Tie", "Years", "Sources"].forEach(function (text) {
      var cell = element("th", text);
      cell.scope = "col";
      head.appendChild(cell);
    });
    var thead = element("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = element("tbody");
    data.relationships.forEach(function (tie) {
      var row = element("tr");
      // "established IMA Limpia" for its own ties; "UTRASD established it" for ties to it.
      var sentence = element("td");
      var other = link(tie.other_name, "/organizations/" + encodeURIComponent(tie.other));
      if (tie.outgoing) {
        sentence.appendChild(document.createTextNode(tie.relationship + " "));
        sentence.appendChild(other);
      } else {
        sentence.appendChild(other);
        sentence.appendChild(document.createTextNode(" " + tie.relationship + " it"));
      }
      row.appendChild(sentence);
      var years = tie.since ? tie.since + "–" + (tie.until || "") : "undated";
      row.appendChild(element("td", years + (tie.status !== "active" ? " (" + tie.status + ")" : "")));
      row.appendChild(element("td", cite(tie.sources), "cite"));
      body.appendChild(row);
    });
    table.appendChild(body);
    ties.appendChild(table);
  } else {
    ties.appendChild(element("p", "No tie recorded.", "none"));
  }

  var enablers = document.getElementById("enablers");
  data.enablers.forEach(function (enabler) {
    var item = element("li");
    item.appendChild(link(enabler.name, "/organizations/" + encodeURIComponent(enabler.id)));
    item.appendChild(document.createTextNode(" — " + enabler.how + "; in the brief's terms, " +
      (enabler.mode.indexOf("indirect") === 0 ? "an " : "a ") + enabler.mode +
      (enabler.mechanisms.length ? " (" + enabler.mechanisms.join(", ") + ")" : "")));
    enablers.appendChild(item);
  });
  none(enablers, "No enabler in force.");

  var peers = document.getElementById("peers");
  data.peers.forEach(function (peer) {
    var item = element("li");
    item.appendChild(link(peer.name, "/organizations/" + encodeURIComponent(peer.id)));
    item.appendChild(document.createTextNode(" — " + peer.reasons.join("; ")));
    peers.appendChild(item);
  });
  none(peers, "No peer found elsewhere.");

  var sources = document.getElementById("sources");
  data.sources.forEach(function (source) {
    var item = element("li", source.citation + (source.locator ? ", " + source.locator : ""));
    if (source.url && /^https?:\/\//.test(source.url)) {
      item.appendChild(document.createTextNode(" "));
      var anchor = link("link", source.url);
      anchor.rel = "noopener noreferrer";
      item.appendChild(anchor);
    }
    sources.appendChild(item);
  });
})();
