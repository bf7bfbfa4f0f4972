// A record's latest changes, newest first, in #history: when, who, how, and each field an
// update changed, struck through before and marked after (no value is "none", neither). An
// editor may restore the version a change left ("Restore this version"): the revert is an
// edit of its own, sent with the session's CSRF token and the ETag the page was built with.
// Everything from data is set as text; our words are said in the page's language (text.js).
window.SolgraphHistory = (function () {
  "use strict";
  const { gettext, format } = window.SolgraphText;
  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function said(tag, value) {
    return value === null ? element("span", gettext("none"), "empty") : element(tag, value);
  }

  function revertButton(history, entry) {
    const box = element("div", null, "revert");
    box.dataset.needs = "editor";
    box.hidden = true;
    const button = element("button", gettext("Restore this version"), "quiet");
    button.type = "button";
    const note = element("span", null, "revert-said");
    note.setAttribute("role", "status");
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch("/api/session", { credentials: "same-origin", cache: "no-store" })
        .then((answer) => answer.json())
        .then((session) => fetch(history.restore + "?change=" + entry.seq, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRF-Token": session.csrf_token || "", "If-Match": '"' + history.etag + '"' },
        }))
        .then((answer) => {
          if (answer.ok) {
            window.location.reload();
            return;
          }
          button.disabled = false;
          note.textContent = answer.status === 412
            ? gettext("The record changed since this page was opened; reload it first.")
            : answer.status === 401 || answer.status === 403 ? gettext("Sign in with an editor's key to restore a version.")
              : format(gettext("Not restored ({status})."), { status: answer.status });
        })
        .catch(() => {
          button.disabled = false;
          note.textContent = gettext("The server could not be reached; nothing was restored.");
        });
    });
    box.append(button, note);
    return box;
  }

  function show(history) {
    const list = document.getElementById("history");
    history.items.forEach((entry) => {
      const item = element("li");
      item.append(element("span", entry.when, "when"), document.createTextNode(" — " + format(gettext("{who}: {how}"), { who: entry.who, how: entry.how })));
      if (entry.fields.length) {
        const fields = element("ul", null, "fields");
        entry.fields.forEach((change) => {
          const line = element("li");
          line.append(element("span", change.field, "field"), document.createTextNode(": "),
            said("del", change.before), document.createTextNode(" → "), said("ins", change.after));
          fields.appendChild(line);
        });
        item.appendChild(fields);
      }
      if (entry.revert) {
        item.appendChild(revertButton(history, entry));
      }
      list.appendChild(item);
    });
    if (!list.children.length) {
      list.appendChild(element("li", gettext("No change recorded."), "none"));
    }
    if (history.total > history.items.length) {
      const all = document.getElementById("history-all");
      const link = element("a", format(gettext("All {count} changes (JSON)"), { count: history.total.toLocaleString(window.SolgraphText.lang) }));
      link.href = history.all;
      all.appendChild(link);
      all.hidden = false;
    }
  }

  const own = document.getElementById("history-data");
  if (own) {
    show(JSON.parse(own.textContent));
    document.body.dataset.ready = "true";
  }
  return { show: show };
})();
