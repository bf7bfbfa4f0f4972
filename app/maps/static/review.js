// Review pages: the duplicate finder's pairs, the list of imports, and one import's name
// matches, drawn from the page's data. Each pair shows its two organisations side by side
// with the evidence for and against; an editor merges it (keeping either side) or rejects
// it, and accepts or rejects a match, through the API with the session's CSRF token.
// Everything from data is set as text, never as markup.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const root = document.getElementById("review-root");
  if (!root || !data.kind) {
    return;
  }
  const el = window.SolgraphDom.el;
  const editing = Boolean(data.csrf);
  const status = el("p", { class: "status", role: "status" });
  root.before(status);

  function when(iso) {
    if (!iso) {
      return "";
    }
    const options = { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" };
    return new Date(iso).toLocaleString("en-GB", options) + " UTC";
  }

  function profile(id, text) {
    return el("a", { href: "/organizations/" + encodeURIComponent(id) }, text);
  }

  async function send(url, body, tag) {
    const headers = { "X-CSRF-Token": data.csrf };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (tag) {
      headers["If-Match"] = '"' + tag + '"';
    }
    return fetch(url, {
      method: "POST", headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  // What the API said went wrong, in words for the person who pressed the button.
  async function failure(answer) {
    const body = await answer.json().catch(() => ({}));
    if (answer.status === 412) {
      return "One of the two changed since this page was opened; nothing was merged. Reload the page to see them as they are now.";
    }
    if (answer.status === 401) {
      return "Your session has ended. Sign in again, then reload this page.";
    }
    return body.detail || "The server answered " + answer.status + "; nothing changed.";
  }

  function list(items, empty) {
    if (!items.length) {
      return el("p", { class: "none" }, empty);
    }
    return el("ul", {}, ...items.map((item) => el("li", {}, item)));
  }

  // One organisation of a pair: its name (a link to its profile) and what its record says.
  function drawSide(label, side, headingLevel) {
    const box = el("section", { class: "side" });
    if (!side) {
      box.append(el("h" + headingLevel, {}, label + ": no longer stored"),
        el("p", {}, "It was merged or deleted since."));
      return box;
    }
    const record = side.record;
    box.append(el("h" + headingLevel, {}, el("span", { class: "which" }, label + ": "), profile(record.id, record.name)));
    const rows = [
      ["Record id", record.id],
      ["Type", side.words.type],
      ["Movement", side.words.movement],
      ["Countries", side.words.countries],
      ["Sectors", side.words.sectors],
      ["Also known as", (record.aliases || []).join("; ")],
      ["Identifiers", (record.identifiers || []).join(", ")],
      ["Founded", record.founded === null || record.founded === undefined ? "" : String(record.founded)],
    ];
    const facts = el("dl", { class: "facts" });
    rows.forEach(([term, value]) => facts.append(el("dt", {}, term), el("dd", {}, value || "none")));
    const sources = (record.sources || []).map((s) => s.citation + (s.locator ? ", " + s.locator : ""));
    facts.append(el("dt", {}, "Sources"), el("dd", {}, list(sources, "none")));
    box.append(facts);
    return box;
  }

  function evidence(forTitle, reasons, againstTitle, against) {
    return el("div", { class: "evidence" },
      el("section", { class: "for" }, el("h3", {}, forTitle), list(reasons, "Nothing.")),
      el("section", { class: "against" }, el("h3", {}, againstTitle),
        list(against, "Nothing in the two records speaks against it.")));
  }

  // The line that says what became of a pair or a match, where its buttons were.
  function settle(article, text, problem) {
    const line = el("p", { class: problem ? "outcome problem" : "outcome", tabindex: "-1" }, text);
    if (problem) {
      line.setAttribute("role", "alert");
    }
    const old = article.querySelector(".outcome");
    if (old) {
      old.replaceWith(line);
    } else {
      article.append(line);
    }
    if (!problem) {
      article.querySelectorAll(".actions, .confirm").forEach((node) => node.remove());
      status.textContent = text;
    }
    line.focus();
  }

  // --- likely duplicates ------------------------------------------------------------------
  function drawPair(pair, index) {
    const a = pair.first.record;
    const b = pair.second.record;
    const headingId = "pair-" + index;
    const article = el("article", { class: "pair", "aria-labelledby": headingId, "data-first": a.id, "data-second": b.id });
    article.append(el("h2", { id: headingId }, a.name + " and " + b.name),
      el("div", { class: "sides" }, drawSide("Left", pair.first, 3), drawSide("Right", pair.second, 3)),
      evidence("Why they may be one", pair.reasons, "What speaks against it", pair.against));
    if (editing) {
      article.append(drawPairActions(article, pair));
    }
    return article;
  }

  function drawPairActions(article, pair) {
    const a = pair.first.record;
    const b = pair.second.record;
    const actions = el("div", { class: "actions" });
    const confirmBox = el("div", { class: "confirm", hidden: true, tabindex: "-1" });
    function ask(keep, drop, dropTag, button) {
      confirmBox.replaceChildren(
        el("p", {}, "Merge “" + drop.name + "” into “" + keep.name + "”? “" + drop.name + "” is deleted; its names, identifiers, sources and relationships move to “" + keep.name + "”. The history of both stays readable."));
      const go = el("button", { type: "button" }, "Merge into " + keep.name);
      const cancel = el("button", { type: "button", class: "quiet" }, "Cancel");
      cancel.addEventListener("click", () => { confirmBox.hidden = true; button.focus(); });
      go.addEventListener("click", async () => {
        go.disabled = true;
        try {
          const url = "/api/organizations/" + encodeURIComponent(drop.id) + "/merge?into=" + encodeURIComponent(keep.id);
          const answer = await send(url, undefined, dropTag);
          if (!answer.ok) {
            settle(article, await failure(answer), true);
            return;
          }
          settle(article, "Merged: “" + drop.name + "” is now part of “" + keep.name + "”.");
          article.querySelector(".outcome").append(" ", profile(keep.id, "Open " + keep.name));
          staleAfterMerge(drop.id, article);
        } catch (error) {
          settle(article, "The server could not be reached; nothing was merged.", true);
        } finally {
          go.disabled = false;
        }
      });
      confirmBox.append(el("div", { class: "actions" }, go, cancel));
      confirmBox.hidden = false;
      confirmBox.focus();
    }
    const keepLeft = el("button", { type: "button", "aria-label": "Merge, keep left (" + a.name + ")" }, "Merge, keep left");
    const keepRight = el("button", { type: "button", "aria-label": "Merge, keep right (" + b.name + ")" }, "Merge, keep right");
    const reject = el("button", { type: "button", class: "quiet", "aria-label": "Not the same: " + a.name + " and " + b.name }, "Not the same");
    keepLeft.addEventListener("click", () => ask(a, b, pair.second.etag, keepLeft));
    keepRight.addEventListener("click", () => ask(b, a, pair.first.etag, keepRight));
    reject.addEventListener("click", async () => {
      reject.disabled = true;
      try {
        const answer = await send("/api/duplicates/reject", { first: a.id, second: b.id });
        if (!answer.ok) {
          settle(article, await failure(answer), true);
          return;
        }
        settle(article, "Not the same: this pair will not be proposed again.");
      } catch (error) {
        settle(article, "The server could not be reached; nothing was recorded.", true);
      } finally {
        reject.disabled = false;
      }
    });
    actions.append(keepLeft, keepRight, reject);
    const box = el("div", {}, actions, confirmBox);
    return box;
  }

  // Other pairs that named the organisation just merged away are out of date.
  function staleAfterMerge(droppedId, done) {
    root.querySelectorAll("article.pair").forEach((other) => {
      if (other !== done && (other.dataset.first === droppedId || other.dataset.second === droppedId)) {
        other.querySelectorAll(".actions, .confirm").forEach((node) => node.remove());
        other.append(el("p", { class: "outcome" }, "One of these two was just merged into another organisation; reload the page to see this pair as it is now."));
      }
    });
  }

  function drawPaging(path, noun) {
    const nav = el("nav", { class: "paging", "aria-label": "More " + noun });
    if (data.offset > 0) {
      nav.append(el("a", { href: path + "?offset=" + Math.max(0, data.offset - data.limit) }, "Previous " + data.limit));
    }
    if (data.offset + data.limit < data.total) {
      nav.append(el("a", { href: path + "?offset=" + (data.offset + data.limit) }, "Next " + data.limit));
    }
    return nav.children.length ? nav : "";
  }

  function drawDuplicates() {
    const shown = data.pairs.length;
    const intro = data.total === 0
      ? "No likely duplicates: no two organisations share an org-id, a name or an acronym, except pairs already judged not the same."
      : data.total + " pair" + (data.total === 1 ? "" : "s") + " may each be one organisation" +
        (shown < data.total ? "; showing " + (data.offset + 1) + " to " + (data.offset + shown) : "") + ".";
    root.append(el("p", { class: "about" }, intro));
    data.pairs.forEach((pair, index) => root.append(drawPair(pair, index)));
    root.append(drawPaging("/review/duplicates", "pairs"));
  }

  // --- imports ----------------------------------------------------------------------------
  function counts(summary) {
    const parts = [
      (summary.records_read || 0) + " read",
      (summary.created || 0) + " created",
      (summary.matched || 0) + " matched",
      (summary.candidates || 0) + " for review",
    ];
    return parts.join(", ");
  }

  function drawImports() {
    if (!data.imports.length) {
      root.append(el("p", { class: "about" }, "No file has been imported yet."));
      return;
    }
    root.append(el("p", { class: "about" }, data.total + " import" + (data.total === 1 ? "" : "s") + ", newest first."));
    const items = data.imports.map((item) => el("li", { class: "import" },
      el("a", { href: "/review/imports/" + encodeURIComponent(item.id) }, item.origin),
      el("p", {}, when(item.at) + ", by " + item.actor),
      el("p", {}, counts(item.summary) + "; " + item.pending + " awaiting review")));
    root.append(el("ul", { class: "imports" }, ...items), drawPaging("/review/imports", "imports"));
  }

  // --- one import's name matches ------------------------------------------------------------
  function decidedLine(candidate) {
    const word = candidate.status === "accepted" ? "Accepted: merged into the stored organisation" : "Rejected: kept as two organisations";
    return word + (candidate.decided_by ? ", by " + candidate.decided_by : "") + (candidate.decided_at ? ", " + when(candidate.decided_at) : "") + ".";
  }

  function drawCandidate(candidate) {
    const headingId = "candidate-" + candidate.id;
    const article = el("article", { class: "pair candidate", "aria-labelledby": headingId, "data-candidate": candidate.id });
    article.append(el("h2", { id: headingId }, "“" + candidate.imported_name + "” may be “" + candidate.stored_name + "”"),
      el("p", { class: "score" }, "Name similarity " + Math.round(candidate.score) + " of 100."),
      el("div", { class: "sides" }, drawSide("Imported", candidate.imported_side, 3), drawSide("Stored", candidate.stored_side, 3)),
      evidence("Evidence for", candidate.evidence_for, "Evidence against", candidate.evidence_against));
    if (candidate.status !== "pending") {
      article.append(el("p", { class: "outcome" }, decidedLine(candidate)));
    } else if (editing) {
      article.append(drawCandidateActions(article, candidate));
    } else {
      article.append(el("p", { class: "outcome" }, "Awaiting review."));
    }
    return article;
  }

  function drawCandidateActions(article, candidate) {
    const base = "/api/imports/" + encodeURIComponent(data.import.id) + "/candidates/" + encodeURIComponent(candidate.id);
    const about = "candidate-" + candidate.id;
    const accept = el("button", { type: "button", "aria-describedby": about }, "Accept: the same, merge");
    const reject = el("button", { type: "button", class: "quiet", "aria-describedby": about }, "Reject: not the same");
    function decide(button, verb) {
      button.addEventListener("click", async () => {
        accept.disabled = reject.disabled = true;
        try {
          const answer = await send(base + "/" + verb);
          if (!answer.ok) {
            settle(article, await failure(answer), true);
            return;
          }
          const decided = (await answer.json()).candidate;
          settle(article, decidedLine(decided));
          if (verb === "accept") {
            article.querySelector(".outcome").append(" ", profile(candidate.stored, "Open " + candidate.stored_name));
          }
        } catch (error) {
          settle(article, "The server could not be reached; nothing was decided.", true);
        } finally {
          accept.disabled = reject.disabled = false;
        }
      });
    }
    decide(accept, "accept");
    decide(reject, "reject");
    return el("div", { class: "actions" }, accept, reject);
  }

  function drawCandidates() {
    const item = data.import;
    root.append(el("p", { class: "about" }, item.origin + ", imported " + when(item.at) + " by " + item.actor + ": " + counts(item.summary) + "."));
    if (!data.candidates.length) {
      root.append(el("p", {}, "This import left no name match for review."));
      return;
    }
    root.append(el("p", { class: "about" }, item.pending + " of " + data.candidates.length + " name match" + (data.candidates.length === 1 ? "" : "es") + " await review. Accepting merges the imported organisation into the stored one; rejecting keeps both, and later imports do not ask again."));
    data.candidates.forEach((candidate) => root.append(drawCandidate(candidate)));
  }

  ({ duplicates: drawDuplicates, imports: drawImports, candidates: drawCandidates })[data.kind]();
})();
