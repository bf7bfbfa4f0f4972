// Editing forms: draws the form of an organisation or a relationship from the page's specs,
// checks what must be filled in, sends the record to the write API with the session's CSRF
// token (and, for an edit, the ETag it was opened at), and shows the API's problems beside
// the fields they name. When the record changed since the page was opened (412), both
// versions are shown side by side, field by field, to choose from before saving again.
// Everything from data is set as text, never as markup. The page's words are said in its
// language (text.js); the API's problems are shown as the API says them.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const root = document.getElementById("form-root");
  if (!root || !data.kind) {
    return;
  }
  const organization = data.kind === "organization";
  const api = organization ? "/api/organizations" : "/api/relationships";
  const creating = data.etag === null;
  const record = data.record || {};
  const byName = {};
  data.fields.forEach((spec) => { byName[spec.name] = spec; });

  const el = window.SolgraphDom.el;
  const { gettext, ngettext, format } = window.SolgraphText;
  const slugify = window.SolgraphDom.slugify;

  // One field: its label, input, hint, definition of the chosen term, and error line.
  // ``path`` is the field's place in the record ("name", "sources.0.citation"), which is
  // how the API names a field in its problems.
  function drawField(spec, path, value) {
    const id = "f-" + path;
    const hintId = "h-" + path;
    const errorId = "e-" + path;
    const definitionId = "d-" + path;
    const described = [spec.hint ? hintId : null, spec.kind === "choice" || spec.kind === "picker" ? definitionId : null, errorId]
      .filter(Boolean).join(" ");
    const wrapper = el("div", { class: "field", "data-path": path, "data-name": spec.name });
    const label = el("label", { for: id }, spec.label);
    if (spec.required) {
      label.append(el("span", { class: "required" }, " " + gettext("(required)")));
    }
    wrapper.append(label);
    let control;
    const common = { id: id, name: path, "aria-describedby": described };
    if (spec.kind === "choice") {
      control = el("select", common);
      if (!spec.required) {
        control.append(el("option", { value: "" }, gettext("None")));
      }
      spec.choices.forEach((choice) => control.append(el("option", { value: choice.key }, choice.label)));
      control.value = value === null || value === undefined ? (spec.required ? spec.choices[0].key : "") : value;
      if (spec.name === "status" && (value === null || value === undefined)) {
        control.value = "active";
      }
    } else if (spec.kind === "picker") {
      control = drawPicker(spec, path, common, value || []);
    } else if (spec.kind === "longtext" || spec.kind === "lines") {
      control = el("textarea", Object.assign({ rows: spec.kind === "lines" ? 3 : 4 }, common));
      control.value = spec.kind === "lines" ? (value || []).join("\n") : (value || "");
    } else {
      const types = { year: "number", number: "number", date: "date", url: "url" };
      const extra = spec.kind === "year" ? { min: 1800, max: 2100, step: 1, inputmode: "numeric" }
        : spec.kind === "number" ? { min: 0, step: "any", inputmode: "decimal" }
          : spec.kind === "slug" || spec.kind === "organization" ? { autocapitalize: "none", spellcheck: "false", autocomplete: "off" } : {};
      control = el("input", Object.assign({ type: types[spec.kind] || "text" }, extra, common));
      control.value = value === null || value === undefined ? "" : String(value);
      if (spec.kind === "organization") {
        control.setAttribute("list", "organization-suggestions");
      }
      if (spec.fixed && !creating) {
        control.readOnly = true;
      }
    }
    if (spec.required && control.tagName !== "DIV") {
      control.setAttribute("aria-required", "true");
    }
    wrapper.append(control);
    if (spec.hint) {
      wrapper.append(el("p", { id: hintId, class: "hint" }, spec.hint));
    }
    if (spec.kind === "choice" || spec.kind === "picker") {
      wrapper.append(el("p", { id: definitionId, class: "definition", "aria-live": "polite" }));
    }
    if (spec.kind === "organization") {
      wrapper.append(el("p", { class: "resolved hint", "aria-live": "polite" }));
    }
    wrapper.append(el("p", { id: errorId, class: "error", hidden: true }));
    // A problem said of a field goes once the field is changed.
    const clear = () => {
      const line = wrapper.querySelector("#" + CSS.escape(errorId));
      line.hidden = true;
      line.textContent = "";
      wrapper.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    };
    wrapper.addEventListener("input", clear);
    wrapper.addEventListener("change", clear);
    if (spec.kind === "choice") {
      const show = () => {
        const chosen = spec.choices.find((c) => c.key === control.value);
        wrapper.querySelector(".definition").textContent = chosen && chosen.definition ? chosen.definition : "";
      };
      control.addEventListener("change", show);
      show();
    }
    return wrapper;
  }

  // A picker of several terms: a list to choose from, an Add button, and the chosen terms
  // as a list whose every item has its own Remove button.
  function drawPicker(spec, path, common, values) {
    const box = el("div", { class: "picker", role: "group", "aria-labelledby": "l-" + path });
    const select = el("select", common);
    select.append(el("option", { value: "" }, gettext("Choose…")));
    spec.choices.forEach((choice) => select.append(el("option", { value: choice.key }, choice.label)));
    const add = el("button", { type: "button", class: "quiet add" }, gettext("Add"));
    add.setAttribute("aria-label", format(gettext("Add to {field}"), { field: spec.label.toLowerCase() }));
    const chosen = el("ul", { class: "chips", "aria-label": format(gettext("{field} chosen"), { field: spec.label }) });
    box.dataset.values = JSON.stringify(values);
    function labelOf(key) {
      const found = spec.choices.find((c) => c.key === key);
      return found ? found.label : key;
    }
    function redraw() {
      const keys = JSON.parse(box.dataset.values);
      chosen.replaceChildren(...keys.map((key) => {
        const remove = el("button", { type: "button", class: "chip-remove", "aria-label": format(gettext("Remove {name}"), { name: labelOf(key) }) }, "×");
        remove.addEventListener("click", () => {
          box.dataset.values = JSON.stringify(JSON.parse(box.dataset.values).filter((k) => k !== key));
          redraw();
          select.focus();
        });
        return el("li", { class: "chip" }, el("span", {}, labelOf(key)), remove);
      }));
      Array.from(select.options).forEach((option) => { option.disabled = option.value !== "" && keys.includes(option.value); });
    }
    add.addEventListener("click", () => {
      const key = select.value;
      const keys = JSON.parse(box.dataset.values);
      if (key && !keys.includes(key)) {
        keys.push(key);
        box.dataset.values = JSON.stringify(keys);
        redraw();
      }
      select.value = "";
      select.dispatchEvent(new Event("change"));
    });
    select.addEventListener("change", () => {
      const found = spec.choices.find((c) => c.key === select.value);
      const definition = box.parentElement && box.parentElement.querySelector(".definition");
      if (definition) {
        definition.textContent = found && found.definition ? found.definition : "";
      }
    });
    select.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        add.click();
      }
    });
    box.append(el("div", { class: "picker-row" }, select, add), chosen);
    redraw();
    return box;
  }

  function drawSource(index, value) {
    const set = el("fieldset", { class: "source", "data-index": index });
    set.append(el("legend", {}, format(gettext("Source {number}"), { number: index + 1 })));
    data.source_fields.forEach((spec) => {
      const path = "sources." + index + "." + spec.name;
      set.append(drawField(spec, path, value ? value[spec.name] : (spec.name === "basis" ? "stated" : undefined)));
    });
    const remove = el("button", { type: "button", class: "quiet remove-source" }, format(gettext("Remove source {number}"), { number: index + 1 }));
    remove.addEventListener("click", () => {
      const sources = collectSources();
      sources.splice(index, 1);
      drawSources(sources);
      sourcesBox.querySelector("legend") && addSource.focus();
    });
    set.append(remove);
    return set;
  }

  const sourcesBox = el("div", { class: "sources-box" });
  const addSource = el("button", { type: "button", class: "quiet" }, gettext("Add another source"));
  function drawSources(sources) {
    const list = sources.length ? sources : [null];
    sourcesBox.replaceChildren(...list.map((source, index) => drawSource(index, source)));
    sourcesBox.querySelectorAll(".remove-source").forEach((button) => { button.hidden = list.length < 2; });
  }
  addSource.addEventListener("click", () => {
    const sources = collectSources();
    sources.push(null);
    drawSources(sources);
    const fresh = sourcesBox.querySelectorAll("fieldset.source");
    fresh[fresh.length - 1].querySelector("input, select, textarea").focus();
  });

  // What a field holds now, as the API takes it.
  function read(spec, path) {
    const wrapper = root.querySelector('.field[data-path="' + path + '"]');
    if (!wrapper || wrapper.hidden) {
      return undefined;
    }
    if (spec.kind === "picker") {
      return JSON.parse(wrapper.querySelector(".picker").dataset.values);
    }
    const control = document.getElementById("f-" + path);
    const text = control.value.trim();
    if (spec.kind === "lines") {
      return control.value.split("\n").map((line) => line.trim()).filter(Boolean);
    }
    if (text === "") {
      return null;
    }
    if (spec.kind === "year") {
      return Number.isInteger(Number(text)) ? Number(text) : text;
    }
    if (spec.kind === "number") {
      return Number.isFinite(Number(text)) ? Number(text) : text;
    }
    return text;
  }

  function collectSources() {
    return Array.from(sourcesBox.querySelectorAll("fieldset.source")).map((set) => {
      const index = set.dataset.index;
      const source = {};
      data.source_fields.forEach((spec) => {
        const value = read(spec, "sources." + index + "." + spec.name);
        if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          source[spec.name] = value;
        }
      });
      return source;
    });
  }

  function collect() {
    const out = {};
    data.fields.forEach((spec) => {
      const value = read(spec, spec.name);
      if (value !== undefined) {
        out[spec.name] = value;
      }
    });
    out.sources = collectSources();
    return out;
  }

  // Fields that only some relationship types carry are shown for those types only.
  function applyType() {
    if (organization) {
      return;
    }
    const type = document.getElementById("f-type").value;
    data.fields.forEach((spec) => {
      if (spec.only_for) {
        root.querySelector('.field[data-path="' + spec.name + '"]').hidden = !spec.only_for.includes(type);
      }
    });
  }

  // --- the page -----------------------------------------------------------------------
  const summary = el("div", { class: "notice problem summary", role: "alert", tabindex: "-1", hidden: true });
  const { clear: clearProblems, show: showProblems } = window.SolgraphDom.problemList(root, summary, true);
  const status = el("p", { class: "status", role: "status" });
  const form = el("form", { novalidate: true, class: "edit-form" });
  const datalist = el("datalist", { id: "organization-suggestions" });
  form.append(summary, datalist);
  data.fields.forEach((spec) => form.append(drawField(spec, spec.name, record[spec.name])));
  const sourcesSet = el("section", { class: "sources-section", "aria-labelledby": "h-sources" },
    el("h2", { id: "h-sources" }, gettext("Sources")),
    el("p", { class: "hint" }, gettext("At least one source, saying where the facts come from and how it supports them.")));
  sourcesSet.append(sourcesBox, addSource);
  form.append(sourcesSet);
  drawSources(record.sources || []);
  const save = el("button", { type: "submit" }, creating ? (organization ? gettext("Add the organisation") : gettext("Add the relationship")) : gettext("Save changes"));
  form.append(el("div", { class: "actions" }, save), status);
  const conflict = el("section", { class: "conflict", hidden: true, "aria-labelledby": "h-conflict", tabindex: "-1" });
  root.append(conflict, form);
  if (!creating) {
    root.append(drawDelete());
  }
  if (!organization) {
    document.getElementById("f-type").addEventListener("change", applyType);
    applyType();
  }

  // Suggested identifiers follow the name (or the ends and type) until a person edits them.
  const idInput = document.getElementById("f-id");
  let idTouched = !creating || Boolean(record.id);
  idInput.addEventListener("input", () => { idTouched = true; });
  function suggestId() {
    if (idTouched) {
      return;
    }
    if (organization) {
      idInput.value = slugify(document.getElementById("f-name").value);
    } else {
      const parts = ["source", "type", "target"].map((name) => document.getElementById("f-" + name).value);
      idInput.value = parts.every(Boolean) ? slugify(parts.join("-")) : "";
    }
  }
  (organization ? ["name"] : ["source", "type", "target"]).forEach((name) => {
    const control = document.getElementById("f-" + name);
    control.addEventListener("input", suggestId);
    control.addEventListener("change", suggestId);
  });
  suggestId();

  // Organisation ends: suggestions from the search as a person types, and the name found.
  let lookup = 0;
  root.querySelectorAll('.field[data-name="source"] input, .field[data-name="target"] input').forEach((input) => {
    const resolved = input.parentElement.querySelector(".resolved");
    async function resolve() {
      const asked = ++lookup;
      const text = input.value.trim();
      if (!text) {
        resolved.textContent = "";
        return;
      }
      const answer = await fetch("/api/organizations?limit=8&q=" + encodeURIComponent(text), { credentials: "same-origin" });
      if (!answer.ok || asked !== lookup) {
        return;
      }
      const page = await answer.json();
      datalist.replaceChildren(...page.items.map((item) => el("option", { value: item.id }, item.name)));
      const exact = page.items.find((item) => item.id === text);
      resolved.textContent = exact ? exact.name : gettext("No organisation has this identifier yet; pick one from the suggestions.");
    }
    input.addEventListener("input", resolve);
    resolve();
  });



  function missing(value) {
    return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
  }

  function check(out) {
    const problems = [];
    data.fields.forEach((spec) => {
      if (spec.required && missing(out[spec.name])) {
        problems.push({ path: spec.name, message: format(gettext("Fill in the {field}."), { field: spec.label.toLowerCase() }) });
      }
    });
    out.sources.forEach((source, index) => {
      data.source_fields.forEach((spec) => {
        if (spec.required && missing(source[spec.name])) {
          problems.push({ path: "sources." + index + "." + spec.name, message: format(gettext("Fill in the {field} of source {number}."), { field: spec.label.toLowerCase(), number: index + 1 }) });
        }
      });
    });
    return problems;
  }

  // The field a problem of the API names: "body field 'sources.0.citation'" or a field.
  function problemsOf(body) {
    return (body.errors || [{ message: body.detail }]).map((error) => {
      let path = error.field || null;
      const named = /^body field '(.+)'$/.exec(error.location || "");
      if (named) {
        path = named[1];
      }
      if (path && !document.getElementById("e-" + path)) {
        return { path: null, message: (path ? path + ": " : "") + error.message };
      }
      return { path: path, message: plainer(path, error.message) };
    });
  }

  // An organisation's end that is not an identifier (the API: "... is not a slug") was most
  // likely typed as a name or an acronym: say how to choose one on this form.
  function plainer(path, message) {
    const spec = path ? byName[path] : null;
    if (!spec || spec.kind !== "organization" || !/is not a slug/.test(message)) {
      return message;
    }
    return gettext("Use the organisation's identifier, such as utrasd, not its name or acronym: pick it from the suggestions as you type.");
  }

  let openedTag = data.etag;

  async function send(method, url, body, tag) {
    const headers = { "X-CSRF-Token": data.csrf };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (tag) {
      headers["If-Match"] = '"' + tag + '"';
    }
    return fetch(url, { method: method, headers: headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  }

  function profileOf(saved) {
    return "/organizations/" + encodeURIComponent(organization ? saved.id : saved.source);
  }

  async function submit(out, tag) {
    save.disabled = true;
    status.textContent = gettext("Saving…");
    try {
      const answer = creating && tag === null
        ? await send("POST", api, out)
        : await send("PUT", api + "/" + encodeURIComponent(out.id), out, tag);
      if (answer.ok) {
        status.textContent = gettext("Saved.");
        window.location.assign(profileOf(out));
        return;
      }
      const body = await answer.json().catch(() => ({ detail: format(gettext("The server answered {status}."), { status: answer.status }) }));
      status.textContent = "";
      if (answer.status === 412) {
        await showConflict(out);
      } else if (answer.status === 422) {
        showProblems(problemsOf(body));
      } else if (answer.status === 409) {
        showProblems([{ path: creating ? "id" : null, message: body.detail }]);
      } else if (answer.status === 401) {
        showProblems([{ path: null, message: gettext("Your session has ended. Sign in again (in another tab, so this form stays), then save.") }]);
      } else {
        showProblems([{ path: null, message: body.detail || format(gettext("The server answered {status}."), { status: answer.status }) }]);
      }
    } catch (error) {
      status.textContent = "";
      showProblems([{ path: null, message: gettext("The server could not be reached; nothing was saved. Try again.") }]);
    } finally {
      save.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const out = collect();
    const problems = check(out);
    if (problems.length) {
      showProblems(problems);
      return;
    }
    clearProblems();
    submit(out, creating ? null : openedTag);
  });

  // --- a conflict: both versions side by side ---------------------------------------------
  function words(name, value) {
    if (missing(value) || value === "") {
      return gettext("none");
    }
    if (name === "sources") {
      return value.map((s) => s.citation + (s.locator ? ", " + s.locator : "") + " (" + basisLabel(s.basis || "stated") + ")").join("; ");
    }
    const spec = byName[name];
    const label = (key) => {
      const found = spec && spec.choices ? spec.choices.find((c) => c.key === key) : null;
      return found ? found.label : String(key);
    };
    return Array.isArray(value) ? value.map(label).join(", ") : label(value);
  }

  // A source's basis in words, as the form's choice names it.
  function basisLabel(key) {
    const spec = data.source_fields.find((f) => f.name === "basis");
    const found = spec.choices.find((c) => c.key === key);
    return found ? found.label : key;
  }

  // A value as text that two equal values share: empty values, and keys holding them,
  // count as absent, and keys are sorted (the API sends every key of a source, the form
  // only those filled in).
  function canonical(value) {
    if (missing(value) || value === "") {
      return null;
    }
    if (Array.isArray(value)) {
      return value.map(canonical);
    }
    if (typeof value === "object") {
      const out = {};
      Object.keys(value).sort().forEach((key) => {
        const inner = canonical(value[key]);
        if (inner !== null) {
          out[key] = inner;
        }
      });
      return out;
    }
    return value;
  }

  function same(a, b) {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
  }

  async function showConflict(mine) {
    const answer = await fetch(api + "/" + encodeURIComponent(mine.id), { credentials: "same-origin", cache: "no-store" });
    conflict.replaceChildren();
    if (answer.status === 404) {
      conflict.append(el("h2", { id: "h-conflict" }, gettext("Deleted since you opened it")),
        el("p", {}, gettext("Someone deleted this record after you opened the form, so your changes were not saved.")));
      conflict.hidden = false;
      conflict.focus();
      return;
    }
    const theirs = await answer.json();
    const theirTag = (answer.headers.get("ETag") || "").replace(/"/g, "");
    const names = [...data.fields.map((spec) => spec.name), "sources"]
      .filter((name) => name !== "id" && !same(mine[name], theirs[name]));
    conflict.append(el("h2", { id: "h-conflict" }, gettext("Changed since you opened it")),
      el("p", {}, gettext("Someone saved this record after you opened the form. Nothing of yours was saved yet. Where the two versions differ, choose which to keep, then save again.")));
    const table = el("table", { class: "versions" },
      el("caption", { class: "visually-hidden" }, gettext("Your version and the saved version, field by field")),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, gettext("Field")), el("th", { scope: "col" }, gettext("Yours")),
        el("th", { scope: "col" }, gettext("Saved now")), el("th", { scope: "col" }, gettext("Keep")))));
    const body = el("tbody");
    names.forEach((name) => {
      const label = name === "sources" ? gettext("Sources") : byName[name].label;
      const group = "keep-" + name;
      const yours = el("input", { type: "radio", name: group, value: "yours", id: group + "-yours", checked: true });
      const saved = el("input", { type: "radio", name: group, value: "theirs", id: group + "-theirs" });
      body.append(el("tr", { "data-field": name },
        el("th", { scope: "row" }, label),
        el("td", { class: "yours" }, words(name, mine[name])),
        el("td", { class: "theirs" }, words(name, theirs[name])),
        el("td", {}, el("fieldset", { class: "keep" }, el("legend", { class: "visually-hidden" }, format(gettext("Keep for {field}"), { field: label })),
          el("span", {}, yours, el("label", { for: group + "-yours" }, gettext("yours"))),
          el("span", {}, saved, el("label", { for: group + "-theirs" }, gettext("saved"))))),
      ));
    });
    table.append(body);
    const saveBoth = el("button", { type: "button" }, gettext("Save with these choices"));
    const discard = el("button", { type: "button", class: "quiet" }, gettext("Drop my changes"));
    saveBoth.addEventListener("click", () => {
      const merged = Object.assign({}, mine);
      names.forEach((name) => {
        const keep = conflict.querySelector('input[name="keep-' + name + '"]:checked').value;
        merged[name] = keep === "yours" ? mine[name] : theirs[name];
      });
      openedTag = theirTag;
      conflict.hidden = true;
      submit(merged, theirTag);
    });
    discard.addEventListener("click", () => window.location.reload());
    conflict.append(names.length ? table : el("p", {}, gettext("The saved version now equals yours.")),
      el("div", { class: "actions" }, saveBoth, discard));
    conflict.hidden = false;
    conflict.focus();
  }

  // --- deleting ---------------------------------------------------------------------------
  function drawDelete() {
    const section = el("section", { class: "danger", "aria-labelledby": "h-delete" },
      el("h2", { id: "h-delete" }, gettext("Delete")));
    const ask = el("button", { type: "button", class: "quiet danger-button" },
      organization ? gettext("Delete this organisation…") : gettext("Delete this relationship…"));
    const confirmBox = el("div", { class: "confirm", hidden: true, tabindex: "-1" });
    section.append(ask, confirmBox);
    const ties = data.attached;
    const count = data.attached_total;
    // One relationship, or several: each language's plural forms say the count (text.js).
    const shown = count.toLocaleString(SolgraphText.lang);
    ask.addEventListener("click", () => {
      confirmBox.replaceChildren();
      const list = el("ul", {}, ...ties.map((tie) => el("li", {}, tie.words)));
      if (count > ties.length) {
        list.append(el("li", {}, format(gettext("and {count} more"), { count: (count - ties.length).toLocaleString(SolgraphText.lang) })));
      }
      let go = null;
      if (count > 0 && data.role !== "admin") {
        confirmBox.append(el("p", {}, format(ngettext("It still has {count} relationship:", "It still has {count} relationships:", count), { count: shown })), list,
          el("p", {}, gettext("Only an admin may delete an organisation together with its relationships. Delete or move them first, or ask an admin.")));
      } else if (count > 0) {
        confirmBox.append(el("p", {}, format(ngettext("Deleting it also deletes its {count} relationship:", "Deleting it also deletes its {count} relationships:", count), { count: shown })), list,
          el("p", {}, gettext("The audit trail keeps what they were.")));
        go = el("button", { type: "button", class: "danger-button" }, format(ngettext("Delete it and its {count} relationship", "Delete it and its {count} relationships", count), { count: shown }));
      } else {
        confirmBox.append(el("p", {}, gettext("The audit trail keeps what it was.")));
        go = el("button", { type: "button", class: "danger-button" },
          organization ? gettext("Delete this organisation") : gettext("Delete this relationship"));
      }
      const keep = el("button", { type: "button", class: "quiet" }, gettext("Keep it"));
      keep.addEventListener("click", () => { confirmBox.hidden = true; ask.focus(); });
      if (go) {
        go.addEventListener("click", async () => {
          const url = api + "/" + encodeURIComponent(record.id) + (count > 0 ? "?cascade=true" : "");
          const answer = await send("DELETE", url, undefined, openedTag);
          if (answer.ok) {
            window.location.assign(organization ? "/" : "/organizations/" + encodeURIComponent(record.source));
            return;
          }
          const body = await answer.json().catch(() => ({}));
          confirmBox.append(el("p", { class: "error", role: "alert" },
            answer.status === 412 ? gettext("It changed since you opened it; reload the page to see it before deleting.") : (body.detail || format(gettext("Not deleted ({status})."), { status: answer.status }))));
        });
      }
      confirmBox.append(el("div", { class: "actions" }, go, keep));
      confirmBox.hidden = false;
      confirmBox.focus();
    });
    return section;
  }
})();
