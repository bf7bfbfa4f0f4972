// Review pages: the duplicate finder's pairs, the list of imports, and one import's name
// matches, drawn from the page's data. Each pair shows its two organisations side by side
// with the evidence for and against; an editor merges it (keeping either side) or rejects
// it, and accepts or rejects a match, through the API with the session's CSRF token.
// Everything from data is set as text, never as markup. The page's own words are said in its
// language (text.js), and its links keep it; what the API says is shown as it says it.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const root = document.getElementById("review-root");
  if (!root || !data.kind) {
    return;
  }
  const el = window.SolgraphDom.el;
  const { gettext, format, lang } = window.SolgraphText;
  const kept = lang === "en" ? "" : "lang=" + lang;
  const editing = Boolean(data.csrf);
  const status = el("p", { class: "status", role: "status" });
  root.before(status);

  function when(iso) {
    if (!iso) {
      return "";
    }
    const options = { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" };
    return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : lang, options) + " UTC";
  }

  function profile(id, text) {
    return el("a", { href: "/organizations/" + encodeURIComponent(id) + (kept ? "?" + kept : "") }, text);
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
      return gettext("One of the two changed since this page was opened; nothing was merged. Reload the page to see them as they are now.");
    }
    if (answer.status === 401) {
      return gettext("Your session has ended. Sign in again, then reload this page.");
    }
    return body.detail || format(gettext("The server answered {status}; nothing changed."), { status: answer.status });
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
      box.append(el("h" + headingLevel, {}, format(gettext("{side}: no longer stored"), { side: label })),
        el("p", {}, gettext("It was merged or deleted since.")));
      return box;
    }
    const record = side.record;
    box.append(el("h" + headingLevel, {}, el("span", { class: "which" }, label + ": "), profile(record.id, record.name)));
    const rows = [
      [gettext("Record id"), record.id],
      [gettext("Type"), side.words.type],
      [gettext("Movement"), side.words.movement],
      [gettext("Countries"), side.words.countries],
      [gettext("Sectors"), side.words.sectors],
      [gettext("Also known as"), (record.aliases || []).join("; ")],
      [gettext("Identifiers"), (record.identifiers || []).join(", ")],
      [gettext("Founded"), record.founded === null || record.founded === undefined ? "" : String(record.founded)],
    ];
    const facts = el("dl", { class: "facts" });
    rows.forEach(([term, value]) => facts.append(el("dt", {}, term), el("dd", {}, value || gettext("none"))));
    const sources = (record.sources || []).map((s) => s.citation + (s.locator ? ", " + s.locator : ""));
    facts.append(el("dt", {}, gettext("Sources")), el("dd", {}, list(sources, gettext("none"))));
    box.append(facts);
    return box;
  }

  function evidence(forTitle, reasons, againstTitle, against) {
    return el("div", { class: "evidence" },
      el("section", { class: "for" }, el("h3", {}, forTitle), list(reasons, gettext("Nothing."))),
      el("section", { class: "against" }, el("h3", {}, againstTitle),
        list(against, gettext("Nothing in the two records speaks against it."))));
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
    article.append(el("h2", { id: headingId }, format(gettext("{first} and {second}"), { first: a.name, second: b.name })),
      el("div", { class: "sides" }, drawSide(gettext("Left"), pair.first, 3), drawSide(gettext("Right"), pair.second, 3)),
      evidence(gettext("Why they may be one"), pair.reasons, gettext("What speaks against it"), pair.against));
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
        el("p", {}, format(gettext("Merge “{drop}” into “{keep}”? “{drop}” is deleted; its names, identifiers, sources and relationships move to “{keep}”. The history of both stays readable."), { drop: drop.name, keep: keep.name })));
      const go = el("button", { type: "button" }, format(gettext("Merge into {name}"), { name: keep.name }));
      const cancel = el("button", { type: "button", class: "quiet" }, gettext("Cancel"));
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
          settle(article, format(gettext("Merged: “{drop}” is now part of “{keep}”."), { drop: drop.name, keep: keep.name }));
          article.querySelector(".outcome").append(" ", profile(keep.id, format(gettext("Open {name}"), { name: keep.name })));
          staleAfterMerge(drop.id, article);
        } catch (error) {
          settle(article, gettext("The server could not be reached; nothing was merged."), true);
        } finally {
          go.disabled = false;
        }
      });
      confirmBox.append(el("div", { class: "actions" }, go, cancel));
      confirmBox.hidden = false;
      confirmBox.focus();
    }
    const keepLeft = el("button", { type: "button", "aria-label": format(gettext("Merge, keep left ({name})"), { name: a.name }) }, gettext("Merge, keep left"));
    const keepRight = el("button", { type: "button", "aria-label": format(gettext("Merge, keep right ({name})"), { name: b.name }) }, gettext("Merge, keep right"));
    const reject = el("button", { type: "button", class: "quiet", "aria-label": format(gettext("Not the same: {first} and {second}"), { first: a.name, second: b.name }) }, gettext("Not the same"));
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
        settle(article, gettext("Not the same: this pair will not be proposed again."));
      } catch (error) {
        settle(article, gettext("The server could not be reached; nothing was recorded."), true);
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
        other.append(el("p", { class: "outcome" }, gettext("One of these two was just merged into another organisation; reload the page to see this pair as it is now.")));
      }
    });
  }

  // Links to the previous and next pages of a list, in the page's language; ``more`` names
  // them for screen readers.
  function drawPaging(path, more) {
    const nav = el("nav", { class: "paging", "aria-label": more });
    const at = (offset) => path + "?offset=" + offset + (kept ? "&" + kept : "");
    const limit = data.limit.toLocaleString(lang);
    if (data.offset > 0) {
      nav.append(el("a", { href: at(Math.max(0, data.offset - data.limit)) }, format(gettext("Previous {count}"), { count: limit })));
    }
    if (data.offset + data.limit < data.total) {
      nav.append(el("a", { href: at(data.offset + data.limit) }, format(gettext("Next {count}"), { count: limit })));
    }
    return nav.children.length ? nav : "";
  }

  function drawDuplicates() {
    const shown = data.pairs.length;
    const numbers = { count: data.total.toLocaleString(lang), first: (data.offset + 1).toLocaleString(lang), last: (data.offset + shown).toLocaleString(lang) };
    const intro = data.total === 0
      ? gettext("No likely duplicates: no two organisations share an org-id, a name or an acronym, except pairs already judged not the same.")
      : shown < data.total
        ? format(gettext("Pairs that may each be one organisation: {count}; showing {first} to {last}."), numbers)
        : format(gettext("Pairs that may each be one organisation: {count}."), numbers);
    root.append(el("p", { class: "about" }, intro));
    data.pairs.forEach((pair, index) => root.append(drawPair(pair, index)));
    root.append(drawPaging("/review/duplicates", gettext("More pairs")));
  }

  // --- imports ----------------------------------------------------------------------------
  function counts(summary) {
    const number = (n) => ({ count: (n || 0).toLocaleString(lang) });
    const parts = [
      format(gettext("read: {count}"), number(summary.records_read)),
      format(gettext("created: {count}"), number(summary.created)),
      format(gettext("matched: {count}"), number(summary.matched)),
      format(gettext("for review: {count}"), number(summary.candidates)),
    ];
    return parts.join(", ");
  }

  function drawImports() {
    if (!data.imports.length) {
      root.append(el("p", { class: "about" }, gettext("No file has been imported yet.")));
      return;
    }
    root.append(el("p", { class: "about" }, format(gettext("Imports, newest first: {count}."), { count: data.total.toLocaleString(lang) })));
    const items = data.imports.map((item) => el("li", { class: "import" },
      el("a", { href: "/review/imports/" + encodeURIComponent(item.id) + (kept ? "?" + kept : "") }, item.origin),
      el("p", {}, format(gettext("{when}, by {actor}"), { when: when(item.at), actor: item.actor })),
      el("p", {}, counts(item.summary) + "; " + format(gettext("awaiting review: {count}"), { count: item.pending.toLocaleString(lang) }))));
    root.append(el("ul", { class: "imports" }, ...items), drawPaging("/review/imports", gettext("More imports")));
  }

  // --- one import's name matches ------------------------------------------------------------
  function decidedLine(candidate) {
    const parts = [candidate.status === "accepted" ? gettext("Accepted: merged into the stored organisation") : gettext("Rejected: kept as two organisations")];
    if (candidate.decided_by) {
      parts.push(format(gettext("by {actor}"), { actor: candidate.decided_by }));
    }
    if (candidate.decided_at) {
      parts.push(when(candidate.decided_at));
    }
    return parts.join(", ") + ".";
  }

  function drawCandidate(candidate) {
    const headingId = "candidate-" + candidate.id;
    const article = el("article", { class: "pair candidate", "aria-labelledby": headingId, "data-candidate": candidate.id });
    article.append(el("h2", { id: headingId }, format(gettext("“{imported}” may be “{stored}”"), { imported: candidate.imported_name, stored: candidate.stored_name })),
      el("p", { class: "score" }, format(gettext("Name similarity {score} of 100."), { score: Math.round(candidate.score) })),
      el("div", { class: "sides" }, drawSide(gettext("Imported"), candidate.imported_side, 3), drawSide(gettext("Stored"), candidate.stored_side, 3)),
      evidence(gettext("Evidence for"), candidate.evidence_for, gettext("Evidence against"), candidate.evidence_against));
    if (candidate.status !== "pending") {
      article.append(el("p", { class: "outcome" }, decidedLine(candidate)));
    } else if (editing) {
      article.append(drawCandidateActions(article, candidate));
    } else {
      article.append(el("p", { class: "outcome" }, gettext("Awaiting review.")));
    }
    return article;
  }

  function drawCandidateActions(article, candidate) {
    const base = "/api/imports/" + encodeURIComponent(data.import.id) + "/candidates/" + encodeURIComponent(candidate.id);
    const about = "candidate-" + candidate.id;
    const accept = el("button", { type: "button", "aria-describedby": about }, gettext("Accept: the same, merge"));
    const reject = el("button", { type: "button", class: "quiet", "aria-describedby": about }, gettext("Reject: not the same"));
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
            article.querySelector(".outcome").append(" ", profile(candidate.stored, format(gettext("Open {name}"), { name: candidate.stored_name })));
          }
        } catch (error) {
          settle(article, gettext("The server could not be reached; nothing was decided."), true);
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
    root.append(el("p", { class: "about" }, format(gettext("{origin}, imported {when} by {actor}: {counts}."), { origin: item.origin, when: when(item.at), actor: item.actor, counts: counts(item.summary) })));
    if (!data.candidates.length) {
      root.append(el("p", {}, gettext("This import left no name match for review.")));
      return;
    }
    const waiting = { pending: item.pending.toLocaleString(lang), total: data.candidates.length.toLocaleString(lang) };
    root.append(el("p", { class: "about" }, format(gettext("Name matches awaiting review: {pending} of {total}."), waiting) + " " +
      gettext("Accepting merges the imported organisation into the stored one; rejecting keeps both, and later imports do not ask again.")));
    data.candidates.forEach((candidate) => root.append(drawCandidate(candidate)));
  }

  ({ duplicates: drawDuplicates, imports: drawImports, candidates: drawCandidates })[data.kind]();
})();
