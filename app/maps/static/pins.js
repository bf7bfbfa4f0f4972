// Pinning a saved view's organisations where a curator placed them: an editor drags them on
// the view's map (in the frame), then "Save these places" stores each organisation's place
// in the view (``pinned``), with the session's CSRF token and the view's ETag, and the map is
// drawn again from the server with them. "Forget the places" lets the layout place them.
// Its words are said in the page's language (text.js).
(function () {
  "use strict";
  const { gettext, ngettext, format } = window.SolgraphText;
  const save = document.getElementById("pin-save");
  const forget = document.getElementById("pin-forget");
  const said = document.getElementById("pin-said");
  const frame = document.getElementById("story-map");
  if (!save || !frame) {
    return;
  }
  const viewId = save.dataset.view;

  function placed() {
    const map = frame.contentWindow && frame.contentWindow.solgraphMap;
    if (!map) {
      return null;
    }
    const ids = map.data.nodes.filter((node) => node.kind === "organization").map((node) => node.id);
    const positions = map.network.getPositions(ids);
    const pinned = {};
    ids.forEach((id) => { pinned[id] = [Math.round(positions[id].x * 10) / 10, Math.round(positions[id].y * 10) / 10]; });
    return pinned;
  }

  async function store(pinned) {
    said.textContent = gettext("Saving…");
    const session = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" }).then((r) => r.json());
    const current = await fetch("/api/views/" + encodeURIComponent(viewId), { credentials: "same-origin", cache: "no-store" });
    if (!current.ok) {
      said.textContent = format(gettext("The view could not be read ({status})."), { status: current.status });
      return;
    }
    const view = await current.json();
    view.pinned = pinned;
    const answer = await fetch("/api/views/" + encodeURIComponent(viewId), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token || "", "If-Match": current.headers.get("ETag") || "" },
      body: JSON.stringify(view),
    });
    if (!answer.ok) {
      said.textContent = answer.status === 401 || answer.status === 403
        ? gettext("Sign in with an editor's key to save the places.") : format(gettext("Not saved ({status})."), { status: answer.status });
      return;
    }
    const count = Object.keys(pinned).length;
    said.textContent = count
      ? format(ngettext("Saved the place of {count} organisation.", "Saved the places of {count} organisations.", count), { count: count.toLocaleString(window.SolgraphText.lang) })
      : gettext("The layout places them again.");
    frame.contentWindow.location.reload();
  }

  save.addEventListener("click", () => {
    const pinned = placed();
    if (pinned === null) {
      said.textContent = gettext("The map has not loaded yet.");
      return;
    }
    store(pinned);
  });
  forget.addEventListener("click", () => store({}));
})();
