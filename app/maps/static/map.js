// Draws one map page from its inert JSON data. Every piece of data reaches the page through
// textContent or DOM properties, never as markup, so names and sources stay text.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("map-data").textContent);
  var details = document.getElementById("details");

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(list, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && value.length === 0)) return;
    list.appendChild(element("dt", name));
    list.appendChild(element("dd", Array.isArray(value) ? value.join(", ") : value));
  }

  function sources(container, items) {
    if (!items || !items.length) return;
    container.appendChild(element("h3", "Sources"));
    var list = element("ul", null, "sources");
    items.forEach(function (source) {
      var item = element("li", source.citation + (source.locator ? ", " + source.locator : ""));
      if (source.url && /^https?:\/\//.test(source.url)) {
        var link = element("a", "link");
        link.href = source.url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        item.appendChild(document.createTextNode(" "));
        item.appendChild(link);
      }
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  function show(info) {
    details.replaceChildren();
    if (!info) return;
    var list = element("dl");
    if (info.kind === "organization") {
      details.appendChild(element("h2", info.name));
      row(list, "Also known as", info.aliases);
      row(list, "Type", info.type.replace(/_/g, " "));
      row(list, "Movement", info.movement.replace(/_/g, " "));
      row(list, "Countries", info.countries);
      row(list, "Sectors", info.sectors.map(function (s) { return s.replace(/_/g, " "); }));
      row(list, "Status", info.status);
      details.appendChild(list);
      sources(details, info.sources);
      if (!data.embed) {
        var more = element("a", "Open in the explorer");
        more.href = "/?organization=" + encodeURIComponent(info.id);
        details.appendChild(more);
      }
    } else if (info.kind === "relationship") {
      details.appendChild(element("h2", info.source + " " + info.type + " " + info.target));
      row(list, "Mode", info.mode);
      row(list, "Mechanisms", info.mechanisms);
      row(list, "Since", info.since);
      row(list, "Until", info.until);
      row(list, "Status", info.status);
      details.appendChild(list);
      sources(details, info.sources);
    } else {
      details.appendChild(element("p", (info.count || 0) + " organisations or ties grouped to keep the map readable."));
    }
  }

  function drawLegend() {
    var legend = document.getElementById("legend");
    var groups = {};
    data.legend.forEach(function (entry) {
      if (!groups[entry.kind]) {
        groups[entry.kind] = element("ul", null, "legend-group");
        var box = element("div");
        box.appendChild(element("h3", entry.kind));
        box.appendChild(groups[entry.kind]);
        legend.appendChild(box);
      }
      var item = element("li");
      var swatch = element("span", null, "swatch swatch-" + (entry.shape || (entry.kind === "relationship" ? "line" : "dot")));
      if (entry.kind === "relationship") {
        swatch.style.borderTopColor = entry.colour;
        swatch.style.borderTopStyle = entry.dashed ? "dashed" : "solid";
      } else {
        swatch.style.backgroundColor = entry.colour;
        if (entry.dashed) swatch.style.borderStyle = "dashed";
      }
      item.appendChild(swatch);
      item.appendChild(element("span", entry.label));
      groups[entry.kind].appendChild(item);
    });
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var many = data.nodes.length > 200;
  var network = new vis.Network(document.getElementById("map"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    nodes: { font: { size: 14, face: "sans-serif", multi: false }, size: 18 },
    edges: { smooth: many ? false : { type: "continuous" }, font: { size: 11, multi: false } },
    interaction: { hover: true, tooltipDelay: 200, navigationButtons: false },
    // vis-network's improved layout clusters large graphs before physics starts, which costs
    // more than the physics it saves once a map has a few hundred organisations.
    layout: { improvedLayout: !many },
    physics: {
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -6000, springLength: 140, damping: 0.4 },
      stabilization: { enabled: true, iterations: many ? 150 : 300, updateInterval: 50 },
    },
  });

  function ready() {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    document.body.dataset.mapReady = "true";
  }
  network.once("stabilizationIterationsDone", ready);
  if (!data.nodes.length) document.body.dataset.mapReady = "true";

  network.on("click", function (event) {
    if (event.nodes.length) {
      var node = nodes.get(event.nodes[0]);
      show(node.details);
      if (window.parent !== window && node.details.kind === "organization") {
        window.parent.postMessage({ type: "solgraph:select", id: node.details.id }, window.location.origin);
      }
    } else if (event.edges.length) {
      show(edges.get(event.edges[0]).details);
    }
  });
  network.on("hoverNode", function (event) { show(nodes.get(event.node).details); });

  document.getElementById("export-png").addEventListener("click", function () {
    var canvas = document.querySelector("#map canvas");
    var link = document.createElement("a");
    link.download = (data.title || "map").replace(/[^A-Za-z0-9-]+/g, "-") + ".png";
    link.href = canvas.toDataURL("image/png");
    link.click();
  });

  if (data.note) {
    var note = document.getElementById("map-note");
    note.textContent = data.note;
    note.hidden = false;
  }
  drawLegend();
  window.solgraphMap = { network: network, data: data };
})();
