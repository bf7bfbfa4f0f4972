// Importing a file from a page, in three steps: choose the file, read what a dry run of the
// import would do (the API's report: created, matched, name matches for review, skipped and
// why), then confirm, which imports the same file for real. Problems the API finds in the
// file are listed instead. Everything from the file and the report is set as text only.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const root = document.getElementById("upload-root");
  if (!root || !data.csrf) {
    return;
  }

  const el = window.SolgraphDom.el;

  const form = el("form", { novalidate: true });
  const input = el("input", { type: "file", id: "file", name: "file", "aria-describedby": "file-hint file-error",
    accept: ".json,.yaml,.yml,.xml,.csv,.zip,.xlsx,.graphml,.gexf" });
  const hint = el("p", { id: "file-hint", class: "hint" }, "One file: " + data.formats.join("; ") + ". Nothing is written until you confirm.");
  const error = el("p", { id: "file-error", class: "error", hidden: true });
  const check = el("button", { type: "submit" }, "Check the file");
  const status = el("p", { class: "status", role: "status" });
  form.append(el("div", { class: "field" }, el("label", { for: "file" }, "File to import"), input, hint, error),
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
      return "Your session has ended. Sign in again, then choose the file again.";
    }
    const errors = body.errors || [];
    if (!errors.length) {
      return body.detail || "The server answered " + answer.status + ".";
    }
    return errors.map((e) => (e.field ? e.field + ": " : "") + e.message).join(" ");
  }

  function changes(label, counted) {
    return label + ": " + counted.created + " new, " + counted.updated + " updated, " + counted.unchanged + " unchanged";
  }

  function list(items, words) {
    return el("ul", {}, ...items.map((item) => el("li", {}, words(item))));
  }

  // The report of a dry run (or of the import itself), summary first.
  function drawReport(result, file) {
    const importer = result.importer;
    const summary = importer.summary;
    const facts = el("dl", {},
      el("dt", {}, "File"), el("dd", {}, file.name),
      el("dt", {}, "Each record is a"), el("dd", {}, importer.record_kind),
      el("dt", {}, "Records read"), el("dd", { "data-count": "records_read" }, String(summary.records_read)),
      el("dt", {}, "Organisations to create"), el("dd", { "data-count": "created" }, String(summary.created)),
      el("dt", {}, "Matched to stored ones"), el("dd", { "data-count": "matched" }, String(summary.matched)),
      el("dt", {}, "Name matches for review"), el("dd", { "data-count": "candidates" }, String(summary.candidates)),
      el("dt", {}, "Relationships"), el("dd", { "data-count": "relationships" }, String(summary.relationships)));
    const parts = [
      el("h2", { id: "h-report" }, result.dry_run ? "What importing it would do" : "Imported"),
      facts,
      el("p", { class: "totals" }, changes("Organisations", result.organizations) + ". " + changes("Relationships", result.relationships) + "."),
    ];
    if (importer.candidates.length) {
      parts.push(el("h3", {}, "Name matches to review"),
        list(importer.candidates, (c) => "“" + c.imported_name + "” may be the stored “" + c.stored_name + "” (name similarity " + Math.round(c.score) + ")"));
    }
    if (importer.groups.length) {
      parts.push(el("h3", {}, "Left out or noted"),
        list(importer.groups, (g) => (g.skipped ? "Left out, " : "Noted, ") + g.items.length + ": " + g.reason));
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
      problem("Choose a file first.");
      return;
    }
    check.disabled = true;
    report.hidden = true;
    status.textContent = "Checking " + file.name + "…";
    try {
      const answer = await upload(file, true);
      status.textContent = "";
      if (!answer.ok) {
        report.hidden = true;
        problem("Not imported: " + await problems(answer));
        return;
      }
      checked = file;
      drawReport(await answer.json(), file);
      const confirm = el("button", { type: "button" }, "Import it");
      const again = el("button", { type: "button", class: "quiet" }, "Choose another file");
      again.addEventListener("click", () => { report.hidden = true; input.value = ""; input.focus(); });
      confirm.addEventListener("click", () => confirmImport(confirm));
      report.append(el("p", {}, "Nothing is written yet."), el("div", { class: "actions" }, confirm, again));
      report.focus();
    } catch (failure) {
      status.textContent = "";
      problem("The server could not be reached; nothing was imported.");
    } finally {
      check.disabled = false;
    }
  });

  async function confirmImport(button) {
    button.disabled = true;
    status.textContent = "Importing " + checked.name + "…";
    try {
      const answer = await upload(checked, false);
      status.textContent = "";
      if (!answer.ok) {
        report.append(el("p", { class: "error", role: "alert" }, "Not imported: " + await problems(answer)));
        return;
      }
      const result = await answer.json();
      drawReport(result, checked);
      const next = result.importer.candidates.length
        ? el("a", { href: "/review/imports/" + encodeURIComponent(result.import_id) }, "Review its " + result.importer.candidates.length + " name match" + (result.importer.candidates.length === 1 ? "" : "es"))
        : el("a", { href: "/review/imports" }, "See every import");
      report.append(el("p", {}, next));
      status.textContent = "Imported " + checked.name + ".";
      report.focus();
    } catch (failure) {
      status.textContent = "";
      report.append(el("p", { class: "error", role: "alert" }, "The server could not be reached; it is not known whether the file was imported. See the list of imports."));
    } finally {
      button.disabled = false;
    }
  }
})();
