// The page header's account link: "Sign in" (back to this page afterwards), or, with a
// browser session, the key's name and role, leading to the page that signs out. The body's
// data-role then says what the pages may offer (editing needs an editor or an admin).
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
      document.dispatchEvent(new CustomEvent("solgraph:session", { detail: session }));
    })
    .catch(() => undefined);
})();
