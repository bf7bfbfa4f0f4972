// The page's language for its scripts: gettext() says a message in the language the server
// chose for the page, from the catalogue the page carries (<script id="messages">, the
// "scripts" domain of app/locale); a message the catalogue lacks is said as written, in English.
// ngettext() says a message that depends on a number: the catalogue gives its form per CLDR
// plural category, and the browser's Intl.PluralRules says which category the number is in
// (French "0 organisation", Spanish "1 000 000 de organizaciones").
// format() fills a message's {named} places with text; nodes() fills them with text or elements
// (links), as a list to append, so a translated sentence keeps its links wherever its words go.
window.SolgraphText = (function () {
  "use strict";
  var block = document.getElementById("messages");
  var messages = block ? JSON.parse(block.textContent) : {};

  function gettext(message) {
    return Object.prototype.hasOwnProperty.call(messages, message) ? messages[message] : message;
  }

  var lang = document.documentElement.lang || "en";
  var plurals = new Intl.PluralRules(lang);

  function ngettext(singular, plural, count) {
    var forms = Object.prototype.hasOwnProperty.call(messages, singular) ? messages[singular] : null;
    if (forms && typeof forms === "object") return forms[plurals.select(count)] || forms.other;
    return count === 1 ? singular : plural;
  }

  function format(message, values) {
    return message.replace(/\{(\w+)\}/g, function (place, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : place;
    });
  }

  function nodes(message, values) {
    var parts = [];
    var last = 0;
    message.replace(/\{(\w+)\}/g, function (place, name, at) {
      if (at > last) parts.push(message.slice(last, at));
      var value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : place;
      if (Array.isArray(value)) parts.push.apply(parts, value); else parts.push(value);
      last = at + place.length;
      return place;
    });
    if (last < message.length) parts.push(message.slice(last));
    return parts;
  }

  return { gettext: gettext, ngettext: ngettext, format: format, nodes: nodes, lang: lang };
})();
