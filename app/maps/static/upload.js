// Importing a file from a page, in three steps: choose the file, read what a dry run of the
// import would do (the API's report: created, matched, name matches for review, skipped and
// why), then confirm, which imports the same file for real. Problems the API finds in the
// file are listed instead, as it says them. Everything from the file and the report is set as
// text only; the page's own words are said in its language (text.js), and its links keep it.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const root = document.getElementById("upload-root");
  if (!root || !data.csrf) {
    return;
  }

  const el = window.SolgraphDom.el;
  const { gettext, ngettext, format, lang } = window.SolgraphText;
  const kept = lang === "en" ? "" : "?lang=" + lang;
  const number = (n) => n.toLocaleString(lang);

  const form = el("form", { novalidate: true });
  const input = el("input", { type: "file", id: "file", name: "file", "aria-describedby": "file-hint file-error",
    accept: ".json,.yaml,.yml,.xml,.csv,.zip,.xlsx,.graphml,.gexf" });
  const hint = el("p", { id: "file-hint", class: "hint" }, format(gettext("One file: {formats}. Nothing is written until you confirm."), { formats: data.formats.join("; ") }));
  const error = el("p", { id: "file-error", class: "error", hidden: true });
  const check = el("button", { type: "submit" }, gettext("Check the file"));
  const status = el("p", { class: "status", role: "status" });
  form.append(el("div", { class: "field" }, el("label", { for: "file" }, gettext("File to import")), input, hint, error),
    el("div", { class: "actions" }, check), status);
  const report = el("section", { class: "report", hidden: true, tabindex: "-1", "aria-labelledby": "h-report" });
  root.append(form, report);

  function problem(text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  function clearProblem() {
    error.hidden = true;
    error.textContent = "";
    input.removeAttribute("aria-invalid");
  }

  async function upload(file, dryRun) {
    const url = "/api/import?filename=" + encodeURIComponent(file.name) + (dryRun ? "&dry_run=true" : "");
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: file,
      headers: { "X-CSRF-Token": data.csrf, "Content-Type": file.type || "application/octet-stream" },
    });
  }

  // The API's problems with a file, as one line each.
  async function problems(answer) {
    const body = await answer.json().catch(() => ({}));
    if (answer.status === 401) {
      return gettext("Your session has ended. Sign in again, then choose the file again.");
    }
    const errors = body.errors || [];
    if (!errors.length) {
      return body.detail || format(gettext("The server answered {status}."), { status: answer.status });
    }
    return errors.map((e) => (e.field ? e.field + ": " : "") + e.message).join(" ");
  }

  function changes(words, counted) {
    return format(words, { created: number(counted.created), updated: number(counted.updated), unchanged: number(counted.unchanged) });
  }

  function list(items, words) {
    return el("ul", {}, ...items.map((item) => el("li", {}, words(item))));
  }

  // The report of a dry run (or of the import itself), summary first.
  function drawReport(result, file) {
    const importer = result.importer;
    const summary = importer.summary;
    const facts = el("dl", {},
      el("dt", {}, gettext("File")), el("dd", {}, file.name),
      el("dt", {}, gettext("Each record is a")), el("dd", {}, importer.record_kind),
      el("dt", {}, gettext("Records read")), el("dd", { "data-count": "records_read" }, number(summary.records_read)),
      el("dt", {}, gettext("Organisations to create")), el("dd", { "data-count": "created" }, number(summary.created)),
      el("dt", {}, gettext("Matched to stored ones")), el("dd", { "data-count": "matched" }, number(summary.matched)),
      el("dt", {}, gettext("Name matches for review")), el("dd", { "data-count": "candidates" }, number(summary.candidates)),
      el("dt", {}, gettext("Relationships")), el("dd", { "data-count": "relationships" }, number(summary.relationships)));
    const parts = [
      el("h2", { id: "h-report" }, result.dry_run ? gettext("What importing it would do") : gettext("Imported")),
      facts,
      el("p", { class: "totals" },
        changes(gettext("Organisations: {created} new, {updated} updated, {unchanged} unchanged."), result.organizations) + " " +
        changes(gettext("Relationships: {created} new, {updated} updated, {unchanged} unchanged."), result.relationships)),
    ];
    if (importer.candidates.length) {
      parts.push(el("h3", {}, gettext("Name matches to review")),
        list(importer.candidates, (c) => format(gettext("“{imported}” may be the stored “{stored}” (name similarity {score})"), { imported: c.imported_name, stored: c.stored_name, score: Math.round(c.score) })));
    }
    if (importer.groups.length) {
      parts.push(el("h3", {}, gettext("Left out or noted")),
        list(importer.groups, (g) => format(g.skipped ? gettext("Left out, {count}: {reason}") : gettext("Noted, {count}: {reason}"), { count: number(g.items.length), reason: g.reason })));
    }
    report.replaceChildren(...parts);
    report.hidden = false;
  }

  let checked = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem();
    const file = input.files[0];
    if (!file) {
      problem(gettext("Choose a file first."));
      return;
    }
    check.disabled = true;
    report.hidden = true;
    status.textContent = format(gettext("Checking {file}…"), { file: file.name });
    try {
      const answer = await upload(file, true);
      status.textContent = "";
      if (!answer.ok) {
        report.hidden = true;
        problem(format(gettext("Not imported: {problems}"), { problems: await problems(answer) }));
        return;
      }
      checked = file;
      drawReport(await answer.json(), file);
      const confirm = el("button", { type: "button" }, gettext("Import it"));
      const again = el("button", { type: "button", class: "quiet" }, gettext("Choose another file"));
      again.addEventListener("click", () => { report.hidden = true; input.value = ""; input.focus(); });
      confirm.addEventListener("click", () => confirmImport(confirm));
      report.append(el("p", {}, gettext("Nothing is written yet.")), el("div", { class: "actions" }, confirm, again));
      report.focus();
    } catch (failure) {
      status.textContent = "";
      problem(gettext("The server could not be reached; nothing was imported."));
    } finally {
      check.disabled = false;
    }
  });

  async function confirmImport(button) {
    button.disabled = true;
    status.textContent = format(gettext("Importing {file}…"), { file: checked.name });
    try {
      const answer = await upload(checked, false);
      status.textContent = "";
      if (!answer.ok) {
        report.append(el("p", { class: "error", role: "alert" }, format(gettext("Not imported: {problems}"), { problems: await problems(answer) })));
        return;
      }
      const result = await answer.json();
      drawReport(result, checked);
      const matches = result.importer.candidates.length;
      const review = format(ngettext("Review its name match", "Review its {count} name matches", matches), { count: number(matches) });
      const next = matches
        ? el("a", { href: "/review/imports/" + encodeURIComponent(result.import_id) + kept }, review)
        : el("a", { href: "/review/imports" + kept }, gettext("See every import"));
      report.append(el("p", {}, next));
      status.textContent = format(gettext("Imported {file}."), { file: checked.name });
      report.focus();
    } catch (failure) {
      status.textContent = "";
      report.append(el("p", { class: "error", role: "alert" }, gettext("The server could not be reached; it is not known whether the file was imported. See the list of imports.")));
    } finally {
      button.disabled = false;
    }
  }
})();
