// The page's language for its scripts: gettext() says a message in the language the server
// chose for the page, from the catalogue the page carries (<script id="messages">, the
// "scripts" domain of app/locale); a message the catalogue lacks is said as written, in English.
// format() fills a message's {named} places.
window.SolgraphText = (function () {
  "use strict";
  var block = document.getElementById("messages");
  var messages = block ? JSON.parse(block.textContent) : {};

  function gettext(message) {
    return Object.prototype.hasOwnProperty.call(messages, message) ? messages[message] : message;
  }

  function format(message, values) {
    return message.replace(/\{(\w+)\}/g, function (place, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : place;
    });
  }

  return { gettext: gettext, format: format, lang: document.documentElement.lang || "en" };
})();
