// An organisation's profile, drawn from the page's inert JSON with textContent only. Every
// source shows its basis; whatever rests on our inference carries the word "inferred", with
// our reasons on hover and read out after it, marked as the analysis pages mark their findings
// (analysis.js, loaded as a module from this classic script). Links keep the facts counted
// (basis=stated).
import("/static/analysis.js").then(function (shared) {
  "use strict";

  var mark = shared.inferredMark;
  var restsOn = shared.restsOn;
  var data = JSON.parse(document.getElementById("profile-data").textContent);
  var stated = data.basis === "stated";
  var FIELD_WORDS = { since: "start year", until: "end year", founded: "founding year",
    aliases: "other names" };

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

  function withBasis(path) {
    return path + (stated ? (path.indexOf("?") < 0 ? "?" : "&") + "basis=stated" : "");
  }

  function profileLink(text, id) {
    return link(text, withBasis("/organizations/" + encodeURIComponent(id)));
  }

  function fieldWords(fields) {
    return fields.map(function (f) { return FIELD_WORDS[f] || f.replace(/_/g, " "); }).join(", ");
  }

  function none(list, text) {
    if (!list.children.length) list.appendChild(element("li", text, "none"));
  }

  // One source: its basis first; stated with where and the source's words, imported with its
  // file and record, inferred with our reading; and the fields it speaks to, if not all.
  function sourceItem(source) {
    var item = element("li", null, "source");
    item.appendChild(element("span", source.basis, "basis basis-" + source.basis));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(element("span", source.basis === "imported"
      ? "file " + source.citation + (source.locator ? ", record " + source.locator : "")
      : source.citation + (source.locator ? ", " + source.locator : ""), "cite"));
    if (source.url && /^https?:\/\//.test(source.url)) {
      item.appendChild(document.createTextNode(" "));
      var anchor = link("link", source.url);
      anchor.rel = "noopener noreferrer";
      item.appendChild(anchor);
    }
    if (source.fields.length) item.appendChild(element("span", " on its " + fieldWords(source.fields), "about"));
    if (source.basis === "stated" && source.quote) item.appendChild(element("q", source.quote, "quote"));
    if (source.basis === "inferred" && source.reason) {
      item.appendChild(element("span", "Our reading: " + source.reason, "reason"));
    }
    return item;
  }

  function sourceList(sources, className) {
    var list = element("ul", null, className);
    sources.forEach(function (source) { list.appendChild(sourceItem(source)); });
    return list;
  }

  var id = encodeURIComponent(data.id);
  document.getElementById("explore").href = "/?organization=" + id + (stated ? "&basis=stated" : "");
  document.getElementById("json").href = "/api/organizations/" + id;
  document.getElementById("edit").href = "/organizations/" + id + "/edit";
  document.getElementById("add-tie").href = "/new/relationship?source=" + id;
  var aliases = document.getElementById("aliases");
  if (data.aliases.length) {
    aliases.textContent = "Also known as " + data.aliases.join(", ");
    if (data.aliases_inferred) aliases.appendChild(mark(data.aliases_inferred.join("; ")));
  }
  if (data.record.basis === "inferred") {
    var note = document.getElementById("record-note");
    note.hidden = false;
    note.appendChild(mark(data.record.reasons.join("; ")));
    note.appendChild(document.createTextNode(stated
      ? " No source states this organisation; counting only what sources state leaves it out of the analyses."
      : " No source states this organisation: it is our reading of the sources below."));
  }
  var map = document.getElementById("map");
  map.src = withBasis("/maps/organizations/" + id + ".svg");
  map.alt = "Map of " + data.name + " and its ties" + (stated ? ", stated facts only" : "");
  if (data.description) document.getElementById("description").textContent = data.description;

  var facts = document.getElementById("facts");
  data.facts.forEach(function (fact) {
    facts.appendChild(element("dt", fact.label));
    var value = element("dd", fact.value);
    if (fact.inferred) value.appendChild(mark(fact.inferred.join("; ")));
    facts.appendChild(value);
  });

  // Each tie as a sentence: "established IMA Limpia" for its own ties, "UTRASD established it"
  // for ties to it; then when, in words, and what of it is our inference; then its sources.
  var ties = document.getElementById("ties");
  if (data.relationships.length) {
    var list = element("ul", null, "ties");
    data.relationships.forEach(function (tie) {
      var item = element("li", null, "tie");
      var sentence = element("p", null, "tie-words");
      var other = profileLink(tie.other_name, tie.other);
      if (tie.outgoing) {
        sentence.appendChild(document.createTextNode(tie.relationship + " "));
        sentence.appendChild(other);
      } else {
        sentence.appendChild(other);
        sentence.appendChild(document.createTextNode(" " + tie.relationship + " it"));
      }
      if (tie.basis === "inferred") sentence.appendChild(mark(tie.reasons.join("; ")));
      var when = tie.dates + (tie.status !== "active" ? ", " + tie.status : "");
      sentence.appendChild(element("span", " (" + when + ")", "when"));
      sentence.appendChild(document.createTextNode(" "));
      var about = link("details and history", "/relationships/" + encodeURIComponent(tie.id));
      about.className = "tie-link";
      var words = tie.outgoing ? tie.relationship + " " + tie.other_name : tie.other_name + " " + tie.relationship + " it";
      about.setAttribute("aria-label", "Details and history of: " + words);
      sentence.appendChild(about);
      if (tie.basis !== "inferred" && tie.inferred.length) {
        sentence.appendChild(mark(tie.reasons.join("; "), "inferred: " + fieldWords(tie.inferred)));
      }
      item.appendChild(sentence);
      item.appendChild(sourceList(tie.sources, "tie-sources"));
      list.appendChild(item);
    });
    ties.appendChild(list);
  } else {
    ties.appendChild(element("p", "No tie recorded.", "none"));
  }
  if (data.left_out) {
    ties.appendChild(element("p", data.left_out + (data.left_out > 1 ? " ties rest" : " tie rests") +
      " on our inference only, left out while counting only what sources state.", "hint"));
  }

  var enablers = document.getElementById("enablers");
  data.enablers.forEach(function (enabler) {
    var item = element("li");
    item.appendChild(profileLink(enabler.name, enabler.id));
    item.appendChild(document.createTextNode(" — " + enabler.how + "; in the brief's terms, " +
      (enabler.mode.indexOf("indirect") === 0 ? "an " : "a ") + enabler.mode));
    if (enabler.mode_inferred) item.appendChild(mark(enabler.mode_inferred.join("; "), "inferred: mode"));
    if (enabler.mechanisms.length) item.appendChild(document.createTextNode(" (" + enabler.mechanisms.join(", ") + ")"));
    if (enabler.inferred.length) item.appendChild(mark(restsOn(enabler.inferred)));
    enablers.appendChild(item);
  });
  none(enablers, "No enabler in force.");

  var peers = document.getElementById("peers");
  data.peers.forEach(function (peer) {
    var item = element("li");
    item.appendChild(profileLink(peer.name, peer.id));
    item.appendChild(document.createTextNode(" — " + peer.reasons.join("; ")));
    if (peer.inferred.length) item.appendChild(mark(restsOn(peer.inferred)));
    peers.appendChild(item);
  });
  none(peers, "No peer found elsewhere.");

  // Its best matches of each kind, with their reasons; the link leads to the ranked list
  // with the sources behind each reason.
  var matchBox = document.getElementById("matches");
  data.matches.forEach(function (kind) {
    var section = element("section");
    var heading = element("h2", kind.heading);
    heading.id = "h-matches-" + kind.kind;
    section.setAttribute("aria-labelledby", heading.id);
    section.appendChild(heading);
    var list = element("ul");
    kind.items.forEach(function (match) {
      var item = element("li");
      item.appendChild(profileLink(match.name, match.id));
      item.appendChild(document.createTextNode(" — " + match.tier.toLowerCase()));
      item.appendChild(element("span", ": " + match.reasons.join("; "), "match-reasons"));
      if (match.inferred.length) item.appendChild(mark(restsOn(match.inferred)));
      list.appendChild(item);
    });
    none(list, kind.note || "No match found.");
    section.appendChild(list);
    if (kind.total) {
      var more = link("All " + kind.total + ", ranked, with the sources of each reason", kind.page);
      more.className = "more";
      section.appendChild(element("p")).appendChild(more);
    }
    matchBox.appendChild(section);
  });

  var sources = document.getElementById("sources");
  data.sources.forEach(function (source) { sources.appendChild(sourceItem(source)); });

  window.SolgraphHistory.show(data.history);
  document.body.dataset.ready = "true";
});
