// An organisation's profile, drawn from the page's inert JSON with textContent only. Every
// source shows its basis; whatever rests on our inference carries the word "inferred", with
// our reasons on hover and read out after it, marked as the analysis pages mark their findings
// (analysis.js, loaded as a module from this classic script). Its words are said in the
// page's language (text.js); links keep the facts counted (basis=stated) and the language.
import("/static/analysis.js").then(function (shared) {
  "use strict";

  var mark = shared.inferredMark;
  var restsOn = shared.restsOn;
  var gettext = window.SolgraphText.gettext;
  var ngettext = window.SolgraphText.ngettext;
  var format = window.SolgraphText.format;
  var lang = window.SolgraphText.lang;
  var data = JSON.parse(document.getElementById("profile-data").textContent);
  var stated = data.basis === "stated";
  var FIELD_WORDS = { since: gettext("start year"), until: gettext("end year"),
    founded: gettext("founding year"), aliases: gettext("other names"), name: gettext("name"),
    type: gettext("type"), movement: gettext("movement"), countries: gettext("countries"),
    sectors: gettext("sectors"), status: gettext("status"), mode: gettext("mode"),
    mechanisms: gettext("mechanisms"), level: gettext("level") };

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

  // ``path`` with the given parameters added to its query (those whose value is null left out).
  function withQuery(path, values) {
    var given = Object.keys(values).filter(function (k) { return values[k] !== null; });
    if (!given.length) return path;
    return path + (path.indexOf("?") < 0 ? "?" : "&") + given.map(function (k) {
      return k + "=" + encodeURIComponent(values[k]);
    }).join("&");
  }

  function inLanguage(path) {
    return withQuery(path, { lang: lang === "en" ? null : lang });
  }

  function withBasis(path) {
    return withQuery(path, { basis: stated ? "stated" : null, lang: lang === "en" ? null : lang });
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
    item.appendChild(element("span", data.bases[source.basis] || source.basis, "basis basis-" + source.basis));
    item.appendChild(document.createTextNode(" "));
    var cited = source.citation + (source.locator ? ", " + source.locator : "");
    if (source.basis === "imported") {
      cited = source.locator
        ? format(gettext("file {file}, record {record}"), { file: source.citation, record: source.locator })
        : format(gettext("file {file}"), { file: source.citation });
    }
    item.appendChild(element("span", cited, "cite"));
    if (source.url && /^https?:\/\//.test(source.url)) {
      item.appendChild(document.createTextNode(" "));
      var anchor = link(gettext("link"), source.url);
      anchor.rel = "noopener noreferrer";
      item.appendChild(anchor);
    }
    if (source.fields.length) {
      item.appendChild(element("span", " " + format(gettext("on its {fields}"), { fields: fieldWords(source.fields) }), "about"));
    }
    if (source.basis === "stated" && source.quote) item.appendChild(element("q", source.quote, "quote"));
    if (source.basis === "inferred" && source.reason) {
      item.appendChild(element("span", format(gettext("Our reading: {reason}"), { reason: source.reason }), "reason"));
    }
    return item;
  }

  function sourceList(sources, className) {
    var list = element("ul", null, className);
    sources.forEach(function (source) { list.appendChild(sourceItem(source)); });
    return list;
  }

  var id = encodeURIComponent(data.id);
  document.getElementById("explore").href = withBasis("/?organization=" + id);
  document.getElementById("json").href = "/api/organizations/" + id;
  document.getElementById("edit").href = inLanguage("/organizations/" + id + "/edit");
  document.getElementById("add-tie").href = inLanguage("/new/relationship?source=" + id);
  var aliases = document.getElementById("aliases");
  if (data.aliases.length) {
    aliases.textContent = format(gettext("Also known as {names}"), { names: data.aliases.join(", ") });
    if (data.aliases_inferred) aliases.appendChild(mark(data.aliases_inferred.join("; ")));
  }
  if (data.record.basis === "inferred") {
    var note = document.getElementById("record-note");
    note.hidden = false;
    note.appendChild(mark(data.record.reasons.join("; ")));
    note.appendChild(document.createTextNode(" " + (stated
      ? gettext("No source states this organisation; counting only what sources state leaves it out of the analyses.")
      : gettext("No source states this organisation: it is our reading of the sources below."))));
  }
  var map = document.getElementById("map");
  map.src = withBasis("/maps/organizations/" + id + ".svg");
  map.alt = format(stated ? gettext("Map of {name} and its ties, stated facts only") : gettext("Map of {name} and its ties"), { name: data.name });
  if (data.description) document.getElementById("description").textContent = data.description;

  var facts = document.getElementById("facts");
  data.facts.forEach(function (fact) {
    facts.appendChild(element("dt", fact.label));
    var value = element("dd", fact.value);
    if (fact.inferred) value.appendChild(mark(fact.inferred.join("; ")));
    facts.appendChild(value);
  });

  // Each tie as a sentence from this organisation's side: "established IMA Limpia" for its own
  // ties, "was established by UTRASD" for ties to it (the server says which phrase); then when,
  // in words, and what of it is our inference; then its sources.
  var ties = document.getElementById("ties");
  if (data.relationships.length) {
    var list = element("ul", null, "ties");
    data.relationships.forEach(function (tie) {
      var item = element("li", null, "tie");
      var sentence = element("p", null, "tie-words");
      var other = profileLink(tie.other_name, tie.other);
      sentence.append(tie.relationship + " ", other);
      if (tie.basis === "inferred") sentence.appendChild(mark(tie.reasons.join("; ")));
      var when = tie.dates + (tie.status !== "active" ? ", " + tie.status_words : "");
      sentence.appendChild(element("span", " (" + when + ")", "when"));
      sentence.appendChild(document.createTextNode(" "));
      var about = link(gettext("details and history"), inLanguage("/relationships/" + encodeURIComponent(tie.id)));
      about.className = "tie-link";
      about.setAttribute("aria-label", format(gettext("Details and history of: {tie}"), { tie: tie.relationship + " " + tie.other_name }));
      sentence.appendChild(about);
      if (tie.basis !== "inferred" && tie.inferred.length) {
        sentence.appendChild(mark(tie.reasons.join("; "), format(gettext("inferred: {fields}"), { fields: fieldWords(tie.inferred) })));
      }
      item.appendChild(sentence);
      item.appendChild(sourceList(tie.sources, "tie-sources"));
      list.appendChild(item);
    });
    ties.appendChild(list);
  } else {
    ties.appendChild(element("p", gettext("No tie recorded."), "none"));
  }
  if (data.left_out) {
    ties.appendChild(element("p", format(ngettext(
      "{count} tie rests on our inference only, left out while counting only what sources state.",
      "{count} ties rest on our inference only, left out while counting only what sources state.",
      data.left_out), { count: data.left_out.toLocaleString(lang) }), "hint"));
  }

  var enablers = document.getElementById("enablers");
  data.enablers.forEach(function (enabler) {
    var item = element("li");
    item.appendChild(profileLink(enabler.name, enabler.id));
    item.appendChild(document.createTextNode(" — " + enabler.how + "; " + enabler.mode));
    if (enabler.mode_inferred) {
      item.appendChild(mark(enabler.mode_inferred.join("; "), format(gettext("inferred: {fields}"), { fields: gettext("mode") })));
    }
    if (enabler.mechanisms.length) item.appendChild(document.createTextNode(" (" + enabler.mechanisms.join(", ") + ")"));
    if (enabler.inferred.length) item.appendChild(mark(restsOn(enabler.inferred)));
    enablers.appendChild(item);
  });
  none(enablers, gettext("No enabler in force."));

  var peers = document.getElementById("peers");
  data.peers.forEach(function (peer) {
    var item = element("li");
    item.appendChild(profileLink(peer.name, peer.id));
    item.appendChild(document.createTextNode(" — " + peer.reasons.join("; ")));
    if (peer.inferred.length) item.appendChild(mark(restsOn(peer.inferred)));
    peers.appendChild(item);
  });
  none(peers, gettext("No peer found elsewhere."));

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
    none(list, kind.note || gettext("No match found."));
    section.appendChild(list);
    if (kind.total) {
      var more = link(format(gettext("All {count}, ranked, with the sources of each reason"), { count: kind.total.toLocaleString(lang) }), kind.page);
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
