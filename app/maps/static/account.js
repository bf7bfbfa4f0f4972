// The page header's account link: "Sign in" (back to this page afterwards), or, with a
// browser session, the key's name and role, leading to the page that signs out. Links marked
// data-needs="editor" (or "admin") appear when the key's role allows what they lead to. Its
// words are said in the page's language (text.js), and the sign-in page keeps that language.
(function () {
  "use strict";
  const { gettext, format, lang } = window.SolgraphText;
  const roleWords = { reader: gettext("reader"), editor: gettext("editor"), admin: gettext("admin") };
  const link = document.getElementById("account");
  if (!link) {
    return;
  }
  const here = window.location.pathname + window.location.search;
  link.href = "/sign-in?next=" + encodeURIComponent(here) + (lang === "en" ? "" : "&lang=" + lang);
  fetch("/api/session", { credentials: "same-origin", cache: "no-store" })
    .then((answer) => (answer.ok ? answer.json() : null))
    .then((session) => {
      if (!session || !session.signed_in) {
        return;
      }
      const role = roleWords[session.role] || session.role;
      link.textContent = session.name + " (" + role + ")";
      link.setAttribute("aria-label", format(gettext("Signed in as {name}, {role}: account and sign out"), { name: session.name, role: role }));
      document.body.dataset.role = session.role;
      const roles = ["reader", "editor", "admin"];
      document.querySelectorAll("[data-needs]").forEach((node) => {
        node.hidden = roles.indexOf(session.role) < roles.indexOf(node.dataset.needs);
      });
      document.dispatchEvent(new CustomEvent("solgraph:session", { detail: session }));
    })
    .catch(() => undefined);
})();
