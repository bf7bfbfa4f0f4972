// The page header's account link: "Sign in" (back to this page afterwards), or, with a
// browser session, the key's name and role, leading to the page that signs out. Links marked
// data-needs="editor" (or "admin") appear when the key's role allows what they lead to.
(function () {
  "use strict";
  const link = document.getElementById("account");
  if (!link) {
    return;
  }
  const here = window.location.pathname + window.location.search;
  link.href = "/sign-in?next=" + encodeURIComponent(here);
  fetch("/api/session", { credentials: "same-origin", cache: "no-store" })
    .then((answer) => (answer.ok ? answer.json() : null))
    .then((session) => {
      if (!session || !session.signed_in) {
        return;
      }
      link.textContent = session.name + " (" + session.role + ")";
      link.setAttribute("aria-label", "Signed in as " + session.name + ", " + session.role + ": account and sign out");
      document.body.dataset.role = session.role;
      const roles = ["reader", "editor", "admin"];
      document.querySelectorAll("[data-needs]").forEach((node) => {
        node.hidden = roles.indexOf(session.role) < roles.indexOf(node.dataset.needs);
      });
      document.dispatchEvent(new CustomEvent("solgraph:session", { detail: session }));
    })
    .catch(() => undefined);
})();
