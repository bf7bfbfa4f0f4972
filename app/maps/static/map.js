// Draws one map page from its inert JSON data (the same JSON as /api/maps/...). Positions come
// from the server, so the picture is the same on every load. Every piece of data reaches the
// page through textContent, DOM properties or canvas text, never as markup.
(function () {
  "use strict";

  var gettext = window.SolgraphText.gettext, ngettext = window.SolgraphText.ngettext;
  var format = window.SolgraphText.format;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var embed = document.body.classList.contains("embed");
  // Inside the explorer, the explorer's own panel shows what is selected.
  var inExplorer = false;
  try {
    inExplorer = window.parent !== window &&
      window.parent.document.body.classList.contains("solgraph-explorer");
  } catch (error) {
    inExplorer = false;
  }
  var container = document.getElementById("map");
  var details = document.getElementById("details");
  var LABEL_PX = 12;  // 11 px when the map is zoomed out, never less
  var OUTLINE = "#1b2631";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var byId = {};
  data.nodes.forEach(function (node) { byId[node.id] = node; });

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function viewUrl(prefix, suffix, extra) {
    var query = new URLSearchParams(data.query);
    Object.keys(extra || {}).forEach(function (key) { query.set(key, extra[key]); });
    var text = query.toString();
    return prefix + data.path + (suffix || "") + (text ? "?" + text : "");
  }

  function fileName(extension) {
    var parts = [data.path.replace(/\//g, "-")];
    Object.keys(data.query).sort().forEach(function (key) { parts.push(data.query[key]); });
    return parts.join("-").replace(/[^A-Za-z0-9-]+/g, "-") + "." + extension;
  }

  // vis-network options for one node and one edge of the data.
  function visNode(node) {
    return {
      id: node.id, x: node.x, y: node.y, shape: node.shape, size: node.size,
      borderWidth: node.outline, borderWidthSelected: node.outline + 2,
      color: { background: node.colour, border: OUTLINE,
               highlight: { background: node.colour, border: "#000" },
               hover: { background: node.colour, border: "#000" } },
      label: undefined,
    };
  }

  function smooth(curve) {
    if (!curve) return { enabled: false };
    return { enabled: true, type: curve > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(curve) };
  }

  function visEdge(edge, visible, faded) {
    return {
      id: edge.id, from: edge.source, to: edge.target, width: edge.width,
      hoverWidth: 1.5, selectionWidth: 2,
      color: { color: edge.colour, highlight: edge.colour, hover: edge.colour, opacity: faded ? 0.3 : 1 },
      dashes: edge.dashes.length ? edge.dashes : false,
      arrows: { to: { enabled: edge.arrow, scaleFactor: 0.6 } },
      smooth: smooth(edge.curve), hidden: !visible,
    };
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(function (e) { return visEdge(e, e.in_force, false); }));
  var edgeData = {};
  data.edges.forEach(function (edge) { edgeData[edge.id] = edge; });

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: { enabled: false, solver: "barnesHut", stabilization: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    nodes: { font: { size: 0 } },
    edges: { font: { size: 0 } },
    interaction: { hover: true, tooltipDelay: 3600000, zoomView: !embed, dragView: true,
                   multiselect: false, hideEdgesOnDrag: data.nodes.length > 300 },
  });

  // Labels: drawn on the canvas at a fixed screen size, most connected first, and only where
  // they overlap no label already drawn; the rest appear as the person zooms in.
  var drawn = [];
  var clusters = {};  // id of a cluster the person made -> its label and member ids

  function shownNodes() {
    var ids = nodes.getIds();
    if (!Object.keys(clusters).length) return ids;
    // Members of a group the person made are drawn as the group.
    return ids.filter(function (id) { return network.clustering.findNode(id).length <= 1; })
      .concat(Object.keys(clusters));
  }

  function labelOf(id) {
    if (clusters[id]) return { text: clusters[id].label, rank: -1, size: clusters[id].size, centre: false };
    var node = byId[id];
    return { text: node.label, rank: node.rank, size: node.size, centre: node.role === "centre" };
  }

  function intersects(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  // Boxes on the screen, filed in a grid of CELL px squares, so that a label is tested only
  // against the boxes near it (every drawing of a large map places hundreds of labels).
  var CELL = 64;
  function Boxes() { this.cells = {}; }
  Boxes.prototype.visit = function (box, action) {
    for (var gx = Math.floor(box.x / CELL); gx <= Math.floor((box.x + box.w) / CELL); gx++) {
      for (var gy = Math.floor(box.y / CELL); gy <= Math.floor((box.y + box.h) / CELL); gy++) {
        if (action(gx + ":" + gy)) return true;
      }
    }
    return false;
  };
  Boxes.prototype.add = function (box) {
    var cells = this.cells;
    this.visit(box, function (key) { (cells[key] = cells[key] || []).push(box); });
  };
  Boxes.prototype.hits = function (box, skip) {
    var cells = this.cells;
    return this.visit(box, function (key) {
      return (cells[key] || []).some(function (other) { return other !== skip && intersects(box, other); });
    });
  };

  function drawLabels(ctx) {
    var ratio = window.devicePixelRatio || 1;
    var width = container.clientWidth, height = container.clientHeight;
    var scale = network.getScale();
    var ids = shownNodes();
    var positions = network.getPositions(ids);
    var items = ids.filter(function (id) { return positions[id]; }).map(function (id) {
      var info = labelOf(id);
      info.id = id;
      info.at = network.canvasToDOM(positions[id]);
      return info;
    });
    items.sort(function (a, b) { return (b.centre - a.centre) || (a.rank - b.rank); });
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var placed = new Boxes();
    // Every node's own shape is an obstacle, so labels never sit on top of a node.
    var shapes = new Boxes();
    var shapeOf = items.map(function (item) {
      var r = item.size * scale;
      var shape = { x: item.at.x - r, y: item.at.y - r, w: 2 * r, h: 2 * r };
      shapes.add(shape);
      return shape;
    });
    items.forEach(function (item, index) {
      if (item.at.x < -50 || item.at.y < -50 || item.at.x > width + 50 || item.at.y > height + 50) return;
      var px = (scale < 0.8 ? LABEL_PX - 1 : LABEL_PX) + (item.centre ? 1 : 0);
      ctx.font = (item.centre ? "600 " : "") + px + "px system-ui, sans-serif";
      var w = ctx.measureText(item.text).width + 4, h = px + 4;
      var r = item.size * scale + 2;
      var spots = [
        { x: item.at.x - w / 2, y: item.at.y + r },
        { x: item.at.x + r, y: item.at.y - h / 2 },
        { x: item.at.x - w / 2, y: item.at.y - r - h },
        { x: item.at.x - r - w, y: item.at.y - h / 2 },
        { x: item.at.x + r * 0.7, y: item.at.y + r * 0.7 },
        { x: item.at.x - r * 0.7 - w, y: item.at.y + r * 0.7 },
        { x: item.at.x + r * 0.7, y: item.at.y - r * 0.7 - h },
        { x: item.at.x - r * 0.7 - w, y: item.at.y - r * 0.7 - h },
        // Below and above again, shifted a quarter of the label either way: a map drawn
        // smaller than its layout (a 600 px embed) brings neighbours closer than labels shrink.
        { x: item.at.x - w / 4, y: item.at.y + r },
        { x: item.at.x - 3 * w / 4, y: item.at.y + r },
        { x: item.at.x - w / 4, y: item.at.y - r - h },
        { x: item.at.x - 3 * w / 4, y: item.at.y - r - h },
      ];
      // The most connected may cross another node's shape rather than go unnamed.
      var rounds = item.rank < 10 || item.centre ? 2 : 1;
      for (var s = 0; s < spots.length * rounds; s++) {
        var spot = spots[s % spots.length], avoidShapes = s < spots.length;
        var box = { x: spot.x, y: spot.y, w: w, h: h };
        if (box.x < 0 || box.y < 0 || box.x + w > width || box.y + h > height) continue;
        if (placed.hits(box) || (avoidShapes && shapes.hits(box, shapeOf[index]))) continue;
        placed.add(box);
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.lineWidth = 3;
        ctx.strokeText(item.text, box.x + 2, box.y + 2);
        ctx.fillStyle = "#1b2631";
        ctx.fillText(item.text, box.x + 2, box.y + 2);
        drawn.push({ id: item.id, text: item.text, x: box.x, y: box.y, w: w, h: h, px: px });
        return;
      }
    });
    drawColumns(ctx, placed);
    ctx.restore();
  }

  function drawColumns(ctx, placed) {
    if (data.columns.length < 2) return;
    ctx.font = "600 " + LABEL_PX + "px system-ui, sans-serif";
    ctx.fillStyle = "#566573";
    data.columns.forEach(function (column) {
      var x = network.canvasToDOM({ x: column.x, y: 0 }).x;
      var w = ctx.measureText(column.label).width;
      var left = Math.max(4, Math.min(x - w / 2, container.clientWidth - w - 4));
      var box = { x: left, y: 6, w: w, h: LABEL_PX + 2 };
      if (placed.hits(box)) return;
      ctx.fillText(column.label, box.x, box.y);
      placed.add(box);
      drawn.push({ id: "column:" + column.label, text: column.label, x: box.x, y: box.y, w: w, h: box.h, px: LABEL_PX });
    });
  }

  network.on("beforeDrawing", function () { drawn = []; });
  network.on("afterDrawing", drawLabels);

  // The details panel: what a person reads about the organisation or tie under the pointer.
  // One fact of the panel; ``inferred`` marks a fact that only our inference backs.
  function row(list, name, value, inferred) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && value.length === 0)) return;
    list.appendChild(element("dt", name));
    var cell = element("dd", Array.isArray(value) ? value.join(", ") : value);
    if (inferred) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(inferredMark());
    }
    list.appendChild(cell);
  }

  function inferredIn(record, field) { return (record.inferred_fields || []).indexOf(field) >= 0; }

  // Evidence: how each source backs a fact. Stated: its citation, locator and words; imported:
  // the file and the record; inferred: our reason. The basis is a word, never a colour alone.
  var BASIS_WORDS = { stated: gettext("stated"), imported: gettext("imported"),
    inferred: gettext("inferred") };
  var FIELD_WORDS = { since: gettext("start year"), until: gettext("end year"),
    founded: gettext("founding year"), aliases: gettext("other names"),
    countries: gettext("countries"), sectors: gettext("sectors"), type: gettext("type"),
    mode: gettext("mode"), mechanisms: gettext("mechanisms"), movement: gettext("movement"),
    status: gettext("status") };
  var MODE_WORDS = { direct: gettext("direct enabling partner"),
    indirect: gettext("indirect enabling partner") };
  function modeWords(mode) { return mode ? MODE_WORDS[mode] || mode : null; }

  function fieldWords(fields) {
    return fields.map(function (f) { return FIELD_WORDS[f] || f.replace(/_/g, " "); }).join(", ");
  }

  function basisBadge(basis) {
    return element("span", BASIS_WORDS[basis] || basis, "basis basis-" + basis);
  }

  function inferredMark() { return element("span", gettext("inferred"), "basis basis-inferred"); }

  function sourceItem(source) {
    var item = element("li", null, "source");
    item.appendChild(basisBadge(source.basis));
    item.appendChild(document.createTextNode(" "));
    var cite = source.basis === "imported"
      ? format(source.locator ? gettext("file {file}, record {record}") : gettext("file {file}"),
        { file: source.citation, record: source.locator })
      : source.citation + (source.locator ? ", " + source.locator : "");
    item.appendChild(element("span", cite, "cite"));
    if (source.url && /^https?:\/\//.test(source.url)) {
      var link = element("a", gettext("link"));
      link.href = source.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      item.appendChild(document.createTextNode(" "));
      item.appendChild(link);
    }
    if (source.fields && source.fields.length) {
      item.appendChild(element("span", format(gettext("on its {fields}"),
        { fields: fieldWords(source.fields) }), "about"));
    }
    if (source.basis === "stated" && source.quote) {
      item.appendChild(element("q", source.quote, "quote"));
    }
    if (source.basis === "inferred" && source.reason) {
      item.appendChild(element("span", format(gettext("Our reading: {reason}"),
        { reason: source.reason }), "reason"));
    }
    return item;
  }

  function sources(items) {
    if (!items || !items.length) return;
    details.appendChild(element("h3", gettext("Sources")));
    var list = element("ul", null, "sources");
    items.forEach(function (source) { list.appendChild(sourceItem(source)); });
    details.appendChild(list);
  }

  // How the record's sources back it, in words: "stated by a source; inferred: start year".
  var EVIDENCE_WORDS = { stated: gettext("stated by a source"),
    imported: gettext("imported from a data file"),
    inferred: gettext("our inference: no source states it") };

  function evidenceWords(record) {
    var words = EVIDENCE_WORDS[record.basis] || "";
    var fields = record.inferred_fields || [];
    if (record.basis !== "inferred" && fields.length) {
      words += format(gettext("; inferred: {fields}"), { fields: fieldWords(fields) });
    }
    return words;
  }

  function nameOf(id) { return byId[id] ? byId[id].name : id; }

  // A tie as a sentence: "UTRASD partners with IMA Limpia".
  function tieWords(edge) {
    return format(gettext("{source} {tie} {target}"),
      { source: nameOf(edge.source), tie: edge.label, target: nameOf(edge.target) });
  }

  function showNode(node) {
    var list = element("dl");
    details.appendChild(element("h2", node.name));
    if (node.kind === "cluster") {
      details.appendChild(element("p", node.opens ? gettext("Click to open this group as its own map.")
        : gettext("These organisations give no value to open them by.")));
      return;
    }
    row(list, gettext("Also known as"), node.aliases, inferredIn(node, "aliases"));
    row(list, gettext("Type"), node.type_label, inferredIn(node, "type"));
    row(list, gettext("Movement"), node.movement_label, inferredIn(node, "movement"));
    row(list, gettext("Countries"), node.countries, inferredIn(node, "countries"));
    row(list, gettext("Sectors"), node.sectors, inferredIn(node, "sectors"));
    row(list, gettext("Founded"), node.founded !== null && node.founded !== undefined ? node.founded
      : node.reported ? format(gettext("not known, reported in {year}"), { year: node.reported }) : null,
      inferredIn(node, "founded"));
    row(list, gettext("Status"), node.status, inferredIn(node, "status"));
    row(list, gettext("In the chain"), node.distance_label);
    row(list, gettext("Enabling mode"), modeWords(node.partner_mode));
    row(list, gettext("Evidence"), evidenceWords(node));
    details.appendChild(list);
    sources(node.sources);
    if (!embed) {
      var more = element("a", gettext("Open in the explorer"));
      var query = new URLSearchParams({ organization: node.id });
      if (data.query.basis) query.set("basis", data.query.basis);
      if (window.SolgraphText.lang !== "en") query.set("lang", window.SolgraphText.lang);
      more.href = "/?" + query.toString();
      details.appendChild(more);
    }
  }

  // A tie in words; one drawn as our inference is set in italics, and the line below it
  // says, beside the mark "inferred", what is ours.
  function tieHeading(edge) {
    return element("h2", tieWords(edge), edge.inferred ? "inferred" : null);
  }

  function inferredNote(edge) {
    var note = element("p", null, "inferred-note");
    note.appendChild(inferredMark());
    note.appendChild(document.createTextNode(" " + (edge.basis === "inferred"
      ? gettext("Drawn dashed: no source states this tie; it is our reading of the sources below.")
      : gettext("Drawn dashed: its type is our reading of the sources below, not their words."))));
    return note;
  }

  function showEdge(edge) {
    var list = element("dl");
    if (edge.kind === "aggregate") {
      details.appendChild(element("h2", format(gettext("{ties} between {one} and {other}"),
        { ties: edge.label, one: nameOf(edge.source), other: nameOf(edge.target) })));
      return;
    }
    details.appendChild(tieHeading(edge));
    if (edge.inferred) details.appendChild(inferredNote(edge));
    row(list, gettext("Type"), edge.label, inferredIn(edge, "type"));
    row(list, gettext("Mode"), modeWords(edge.mode), inferredIn(edge, "mode"));
    row(list, gettext("Mechanisms"), edge.mechanisms, inferredIn(edge, "mechanisms"));
    row(list, gettext("Since"), edge.since_label, inferredIn(edge, "since"));
    row(list, gettext("Until"), edge.until, inferredIn(edge, "until"));
    row(list, gettext("Status"), edge.status, inferredIn(edge, "status"));
    row(list, gettext("Evidence"), evidenceWords(edge));
    details.appendChild(list);
    sources(edge.sources);
  }

  function show(kind, id) {
    if (inExplorer && kind === "node") return;
    details.replaceChildren();
    var close = element("button", "×", "close");
    close.type = "button";
    close.setAttribute("aria-label", gettext("Close the details"));
    close.addEventListener("click", function () { details.hidden = true; });
    details.appendChild(close);
    if (kind === "node" && clusters[id]) {
      details.appendChild(element("h2", clusters[id].label));
      details.appendChild(element("p", gettext("A group you made with \u201cGroup by\u201d; click it to open it.")));
    } else if (kind === "node") {
      showNode(byId[id]);
    } else {
      showEdge(edgeData[id]);
    }
    details.dataset.shown = kind + ":" + id;
    details.hidden = false;
  }

  // Exploring: a click on an organisation expands its neighbours into the map; a click on a
  // cluster opens it (a group the person made opens in place; a server cluster opens its map).
  var expanded = {};

  function addNodes(answer, around) {
    var centre = network.getPositions([around])[around];
    var fresh = answer.nodes.filter(function (node) { return !byId[node.id]; });
    var radius = 110 + 6 * fresh.length;
    var maxRank = data.nodes.length;
    fresh.forEach(function (node, index) {
      var angle = (2 * Math.PI * index) / Math.max(fresh.length, 1);
      var copy = Object.assign({}, node, {
        x: Math.round(centre.x + radius * Math.cos(angle)),
        y: Math.round(centre.y + radius * Math.sin(angle)),
        rank: maxRank + node.rank, role: null, outline: 1, size: Math.min(node.size, 14),
      });
      byId[copy.id] = copy;
      data.nodes.push(copy);
      nodes.add(visNode(copy));
    });
    answer.edges.forEach(function (edge) {
      if (edgeData[edge.id] || !byId[edge.source] || !byId[edge.target]) return;
      edgeData[edge.id] = edge;
      data.edges.push(edge);
      edges.add(visEdge(edge, edge.in_force, false));
    });
    return fresh.length;
  }

  function expand(id) {
    if (expanded[id] || embed && data.kind === "enablers") return;
    expanded[id] = "loading";
    var basis = data.query.basis ? "?basis=" + encodeURIComponent(data.query.basis) : "";
    fetch("/api/maps/organizations/" + encodeURIComponent(id) + basis, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("answered " + response.status);
        return response.json();
      })
      .then(function (answer) {
        var added = addNodes(answer, id);
        expanded[id] = added;
        document.body.dataset.expanded = Object.keys(expanded).join(" ");
        var said = !added ? gettext("{name} has no other ties to add.")
          : ngettext("Added {count} organisation tied to {name}.", "Added {count} organisations tied to {name}.", added);
        status(format(said, { count: added, name: nameOf(id) }));
      })
      .catch(function () {
        delete expanded[id];
        status(format(gettext("Could not load the ties of {name}."), { name: nameOf(id) }));
      });
  }

  function status(text) {
    var note = document.getElementById("map-note");
    note.textContent = text;
    note.hidden = false;
  }

  function openServerCluster(node) {
    if (!node.opens) return;
    var query = new URLSearchParams(node.opens).toString();
    window.location.href = (embed ? "/embed/" : "/maps/") + data.path + (query ? "?" + query : "");
  }

  network.on("click", function (event) {
    if (!active) activate();
    if (event.nodes.length) {
      var id = event.nodes[0];
      if (clusters[id]) {
        openGroup(id);
        return;
      }
      var node = byId[id];
      show("node", id);
      if (node.kind === "cluster") { openServerCluster(node); return; }
      expand(id);
      if (window.parent !== window) {
        window.parent.postMessage({ type: "solgraph:select", id: id }, window.location.origin);
      }
    } else if (event.edges.length && edgeData[event.edges[0]]) {
      show("edge", event.edges[0]);
    }
  });
  network.on("hoverNode", function (event) { if (byId[event.node] || clusters[event.node]) show("node", event.node); });
  network.on("hoverEdge", function (event) { if (edgeData[event.edge]) show("edge", event.edge); });

  // Groups the person makes and opens again: by movement, country or type.
  // A group opens with its organisations back where the layout put them.
  function openGroup(id) {
    network.openCluster(id, {
      releaseFunction: function (_, contained) {
        var back = {};
        Object.keys(contained).forEach(function (member) {
          back[member] = byId[member] ? { x: byId[member].x, y: byId[member].y } : contained[member];
        });
        return back;
      },
    });
    delete clusters[id];
    document.body.dataset.groups = Object.keys(clusters).length;
  }

  function regroup(by) {
    Object.keys(clusters).forEach(openGroup);
    (data.groups[by] || []).forEach(function (group) {
      var members = {};
      group.members.forEach(function (id) { if (nodes.get(id)) members[id] = true; });
      var count = Object.keys(members).length;
      if (count < 2) return;
      var id = "group:" + by + ":" + group.key;
      var size = 14 + 4 * Math.sqrt(count);
      clusters[id] = { label: group.label + " (" + count + ")", size: size, members: Object.keys(members) };
      network.cluster({
        joinCondition: function (options) { return members[options.id] === true; },
        clusterNodeProperties: { id: id, shape: "dot", size: size, borderWidth: 1, label: undefined,
          color: { background: "#d5dbdb", border: OUTLINE } },
      });
    });
    document.body.dataset.groups = Object.keys(clusters).length;
  }
  if (data.nodes.some(function (n) { return n.kind === "organization"; }) && data.nodes.length > 2) {
    document.getElementById("group-tools").hidden = false;
    document.getElementById("group-by").addEventListener("change", function (event) { regroup(event.target.value); });
  }

  // The year slider: stops at every year in which a tie starts or ends; the last stop is the
  // map as served. A tie with no start year counts from the year it was first reported (its
  // earliest evidence); on the slider it is drawn faded and listed as undated. An organisation
  // with no founding year is faded before its earliest evidence, unless a tie shown joins it.
  var yearInput = document.getElementById("year");
  var undatedBox = document.getElementById("undated");

  function showYear(index) {
    var year = index < data.years.length ? data.years[index] : null;
    document.getElementById("year-value").textContent = year === null ? (data.as_of || "now") : year;
    var updates = [], undated = [], joined = {};
    data.edges.forEach(function (edge) {
      if (edge.kind !== "relationship") return;
      var visible = year === null ? edge.in_force : edge.years.indexOf(year) >= 0;
      if (visible && edge.undated) undated.push(edge);
      if (visible) { joined[edge.source] = true; joined[edge.target] = true; }
      updates.push(visEdge(edge, visible, year !== null && edge.undated));
    });
    edges.update(updates);
    nodes.update(data.nodes.map(function (node) {
      var later = year !== null && (node.founded !== null && node.founded !== undefined
        ? node.founded > year : !!node.reported && node.reported > year && !joined[node.id]);
      return { id: node.id, opacity: later ? 0.25 : 1 };
    }));
    undatedBox.hidden = year === null || !undated.length;
    document.getElementById("undated-summary").textContent = format(ngettext(
      "{count} undated tie, drawn faded: no start year is known, so it counts from the year it was first reported",
      "{count} undated ties, drawn faded: no start year is known, so each counts from the year it was first reported",
      undated.length), { count: undated.length });
    var list = document.getElementById("undated-list");
    list.replaceChildren();
    undated.forEach(function (edge) {
      list.appendChild(element("li", format(edge.inferred ? gettext("{tie} ({since}; inferred)")
        : gettext("{tie} ({since})"), { tie: tieWords(edge), since: edge.since_label })));
    });
    document.body.dataset.year = year === null ? "" : String(year);
  }

  var playing = null;
  if (data.years.length) {
    document.getElementById("year-tools").hidden = false;
    yearInput.max = String(data.years.length);
    yearInput.value = String(data.years.length);
    document.getElementById("year-value").textContent = data.as_of || gettext("now");
    yearInput.addEventListener("input", function () { showYear(Number(yearInput.value)); });
    document.getElementById("year-play").addEventListener("click", function (event) {
      if (playing) { clearInterval(playing); playing = null; event.target.textContent = gettext("Play"); return; }
      event.target.textContent = gettext("Pause");
      var index = 0;
      yearInput.value = "0";
      showYear(0);
      playing = setInterval(function () {
        index += 1;
        yearInput.value = String(index);
        showYear(index);
        if (index >= data.years.length) { clearInterval(playing); playing = null; event.target.textContent = gettext("Play"); }
      }, 900);
    });
  }

  // The same data as a table, for people who do not read the drawing.
  function table(caption, headings, rows) {
    var box = document.getElementById("map-table");
    box.appendChild(element("h2", caption));
    var grid = element("table");
    var head = element("tr");
    headings.forEach(function (text) {
      var cell = element("th", text);
      cell.scope = "col";
      head.appendChild(cell);
    });
    var thead = element("thead");
    thead.appendChild(head);
    grid.appendChild(thead);
    var body = element("tbody");
    rows.forEach(function (values) {
      var line = element("tr");
      values.forEach(function (value) {
        line.appendChild(element("td", Array.isArray(value) ? value.join(", ") : value));
      });
      body.appendChild(line);
    });
    grid.appendChild(body);
    box.appendChild(grid);
  }

  function fillTable() {
    document.getElementById("map-table").replaceChildren();
    if (data.empty) document.getElementById("map-table").appendChild(element("p", data.empty));
    var orgs = data.nodes.filter(function (n) { return n.kind === "organization"; });
    var groups = data.nodes.filter(function (n) { return n.kind === "cluster"; });
    if (groups.length) {
      table(gettext("Groups"), [gettext("Group"), gettext("Organisations")],
        groups.map(function (n) { return [n.name, n.count]; }));
    }
    if (orgs.length) {
      var chain = data.columns.length > 1;
      table(gettext("Organisations"),
        [gettext("Name"), gettext("Type"), gettext("Movement"), gettext("Countries")]
          .concat(chain ? [gettext("In the chain"), gettext("Enabling mode")] : []),
        orgs.map(function (n) {
          var row = [n.name, n.type_label, n.movement_label, n.countries];
          if (chain) row.push(n.distance_label || "", modeWords(n.partner_mode) || "");
          return row;
        }));
    }
    var ties = data.edges.filter(function (e) { return e.kind === "relationship"; });
    if (ties.length) {
      table(gettext("Ties"), [gettext("From"), gettext("Relationship"), gettext("To"),
        gettext("Since"), gettext("Until"), gettext("In force"), gettext("Evidence")],
        ties.map(function (e) {
          return [nameOf(e.source), e.inferred ? format(gettext("{tie} (drawn dashed)"), { tie: e.label }) : e.label,
                  nameOf(e.target), e.since_label, e.until === null ? "" : e.until,
                  e.in_force ? gettext("yes") : gettext("no"),
                  evidenceWords(e)];
        }));
    }
  }

  document.getElementById("as-table").addEventListener("click", function (event) {
    var box = document.getElementById("map-table");
    var showing = box.hidden;
    if (showing) fillTable();
    box.hidden = !showing;
    event.target.setAttribute("aria-pressed", String(showing));
    event.target.textContent = showing ? gettext("Map") : gettext("Table");
  });

  document.getElementById("physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });

  // In an embed, the wheel scrolls the host page until the person clicks the map (or holds
  // Ctrl or Cmd); leaving the map hands the wheel back to the page.
  var active = !embed;
  var hint = document.getElementById("map-hint");
  function activate() {
    active = true;
    hint.hidden = true;
    network.setOptions({ interaction: { zoomView: true } });
  }
  if (embed) {
    container.addEventListener("mouseleave", function () {
      active = false;
      network.setOptions({ interaction: { zoomView: false } });
    });
    container.addEventListener("wheel", function (event) {
      if (active) return;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        var factor = event.deltaY < 0 ? 1.15 : 1 / 1.15;
        network.moveTo({ scale: network.getScale() * factor });
        return;
      }
      hint.hidden = false;
      clearTimeout(hint.timer);
      hint.timer = setTimeout(function () { hint.hidden = true; }, 1800);
    }, { passive: false, capture: true });
    var full = document.getElementById("full-view");
    full.href = viewUrl("/maps/");
    full.hidden = false;
  }

  // Legend: only what this map uses; every swatch drawn as the map draws it.
  function swatch(entry) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    var shape;
    if (entry.channel === "line" || entry.channel === "basis") {
      shape = document.createElementNS(SVG_NS, "line");
      shape.setAttribute("x1", "1"); shape.setAttribute("y1", "8");
      shape.setAttribute("x2", "25"); shape.setAttribute("y2", "8");
      shape.setAttribute("stroke", entry.colour);
      shape.setAttribute("stroke-width", String(entry.width || 2));
      if (entry.dashes.length) shape.setAttribute("stroke-dasharray", entry.dashes.join(" "));
    } else if (entry.channel === "column") {
      shape = document.createElementNS(SVG_NS, "path");
      shape.setAttribute("d", "M3 3 L3 13 M13 3 L13 13 M23 3 L23 13");
      shape.setAttribute("stroke", entry.colour);
    } else {
      var kind = entry.channel === "colour" ? "dot" : entry.shape;
      var points = {
        square: "7,2 19,2 19,14 7,14",
        triangle: "13,1 20,14 6,14",
        diamond: "13,1 20,8 13,15 6,8",
        hexagon: "20,8 16.5,14 9.5,14 6,8 9.5,2 16.5,2",
      }[kind];
      if (points) {
        shape = document.createElementNS(SVG_NS, "polygon");
        shape.setAttribute("points", points);
      } else {
        shape = document.createElementNS(SVG_NS, "circle");
        shape.setAttribute("cx", "13"); shape.setAttribute("cy", "8"); shape.setAttribute("r", "6");
      }
      shape.setAttribute("fill", entry.colour);
      shape.setAttribute("stroke", OUTLINE);
      shape.setAttribute("stroke-width", String(entry.channel === "outline" ? entry.width : 1));
    }
    svg.appendChild(shape);
    return svg;
  }

  var CHANNELS = { colour: gettext("Colour: movement"), shape: gettext("Shape: kind of organisation"),
    line: gettext("Line: relationship"), basis: gettext("Dashes: evidence"),
    outline: gettext("Outline: the brief's enabling mode"),
    column: gettext("Columns: distance in the chain"), cluster: gettext("Groups") };

  function drawLegend() {
    var legend = document.getElementById("legend");
    var groups = {};
    data.legend.forEach(function (entry) {
      if (!groups[entry.channel]) {
        var box = element("section", null, "legend-group legend-" + entry.channel);
        box.appendChild(element("h2", CHANNELS[entry.channel]));
        groups[entry.channel] = element("ul");
        box.appendChild(groups[entry.channel]);
        legend.appendChild(box);
      }
      var item = element("li");
      item.dataset.channel = entry.channel;
      item.appendChild(swatch(entry));
      item.appendChild(element("span", entry.label));
      groups[entry.channel].appendChild(item);
    });
    var box = document.getElementById("legend-box");
    box.hidden = !data.legend.length;
    box.open = window.innerWidth > 1000;
  }

  document.getElementById("export-svg").href = viewUrl("/maps/", ".svg");
  document.getElementById("export-svg").download = fileName("svg");
  document.getElementById("export-png").href = viewUrl("/maps/", ".png");
  document.getElementById("export-png").download = fileName("png");
  if (data.note) status(data.note);
  if (data.empty) {
    var empty = document.getElementById("map-empty");
    empty.textContent = data.empty;
    empty.hidden = false;
  }
  // Fit the layout into the canvas leaving room at the edges for the labels of the outermost
  // organisations (vis-network's own fit counts only the shapes).
  function fitWithRoom() {
    if (!data.nodes.length) return;
    var xs = data.nodes.map(function (n) { return n.x; });
    var ys = data.nodes.map(function (n) { return n.y; });
    var width = container.clientWidth, height = container.clientHeight;
    var marginX = Math.min(110, width * 0.15), marginTop = 30, marginBottom = 36;
    var spanX = Math.max.apply(null, xs) - Math.min.apply(null, xs);
    var spanY = Math.max.apply(null, ys) - Math.min.apply(null, ys);
    var scale = Math.min(
      spanX ? (width - 2 * marginX) / spanX : 1.2,
      spanY ? (height - marginTop - marginBottom) / spanY : 1.2,
      1.2);
    var centre = {
      x: (Math.max.apply(null, xs) + Math.min.apply(null, xs)) / 2,
      y: (Math.max.apply(null, ys) + Math.min.apply(null, ys)) / 2 + (marginBottom - marginTop) / 2 / scale,
    };
    network.moveTo({ position: centre, scale: Math.max(scale, 0.05), animation: false });
  }

  drawLegend();
  // Fit once the page has its final size (the legend takes room beside the map), then mark
  // the map ready after the first drawing at that size.
  window.requestAnimationFrame(function () {
    network.redraw();
    fitWithRoom();
    network.once("afterDrawing", function () { document.body.dataset.mapReady = "true"; });
    network.redraw();
  });
  window.solgraphMap = {
    network: network, data: data,
    labels: function () { return drawn.slice(); },
    clusters: function () { return Object.keys(clusters); },
  };
})();
