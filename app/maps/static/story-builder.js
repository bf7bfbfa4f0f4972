// The story builder: a title, an introduction and steps, each a saved view with a caption,
// in an order a person sets with Move up and Move down; a form saves a new view (a map with
// a title and a caption) without leaving the page. The story goes to /api/stories with the
// session's CSRF token (and, for an edit, the ETag it was opened at); the API's problems are
// shown beside the fields they name, as the API says them. Everything from data is set as
// text; the page's own words are said in its language (text.js).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const root = document.getElementById("builder-root");
  if (!root || !data.csrf) {
    return;
  }
  const el = window.SolgraphDom.el;
  const { gettext, format } = window.SolgraphText;
  const slugify = window.SolgraphDom.slugify;
  const story = data.story || { id: "", title: "", caption: "", steps: [] };
  const creating = data.etag === null;
  const views = data.views.slice();
  const MARKDOWN = gettext("Markdown: *emphasis*, **strong**, [words](a web address), lists with -.");

  function field(id, label, control, hint, required) {
    const wrapper = el("div", { class: "field", "data-path": id });
    const title = el("label", { for: "f-" + id }, label);
    if (required) {
      title.append(el("span", { class: "required" }, " " + gettext("(required)")));
    }
    control.id = "f-" + id;
    const described = [hint ? "h-" + id : null, "e-" + id].filter(Boolean).join(" ");
    control.setAttribute("aria-describedby", described);
    wrapper.append(title, control);
    if (hint) {
      wrapper.append(el("p", { id: "h-" + id, class: "hint" }, hint));
    }
    wrapper.append(el("p", { id: "e-" + id, class: "error", hidden: true }));
    return wrapper;
  }

  function select(options, value, empty) {
    const node = el("select");
    if (empty) {
      node.append(el("option", { value: "" }, empty));
    }
    options.forEach((option) => node.append(el("option", { value: option.key }, option.label)));
    node.value = value || "";
    return node;
  }

  // --- the story ----------------------------------------------------------------------------
  const summary = el("div", { class: "notice problem summary", role: "alert", tabindex: "-1", hidden: true });
  const { clear: clearProblems, show: showProblems } = window.SolgraphDom.problemList(root, summary, false);
  const title = el("input", { type: "text", required: true });
  title.value = story.title;
  const id = el("input", { type: "text", autocapitalize: "none", spellcheck: "false", autocomplete: "off" });
  id.value = story.id;
  id.readOnly = !creating;
  let idTouched = !creating;
  id.addEventListener("input", () => { idTouched = true; });
  title.addEventListener("input", () => { if (!idTouched) { id.value = slugify(title.value); } });
  const intro = el("textarea", { rows: 3 });
  intro.value = story.caption || "";
  const stepList = el("ol", { class: "story-steps" });
  const addStep = el("button", { type: "button", class: "quiet" }, gettext("Add a step"));
  const status = el("p", { class: "status", role: "status" });

  function viewOptions() {
    return views.map((view) => ({ key: view.id, label: view.title + " (" + view.id + ")" }));
  }

  function drawSteps(steps) {
    stepList.replaceChildren(...steps.map((step, index) => {
      const n = index + 1;
      const choice = select(viewOptions(), step.view, gettext("Choose a saved view…"));
      const caption = el("textarea", { rows: 3 });
      caption.value = step.caption || "";
      const up = el("button", { type: "button", class: "quiet", "aria-label": format(gettext("Move up step {number}"), { number: n }), disabled: index === 0 }, gettext("Move up"));
      const down = el("button", { type: "button", class: "quiet", "aria-label": format(gettext("Move down step {number}"), { number: n }), disabled: index === steps.length - 1 }, gettext("Move down"));
      const remove = el("button", { type: "button", class: "quiet", "aria-label": format(gettext("Remove step {number}"), { number: n }) }, gettext("Remove"));
      const move = (to) => {
        const current = readSteps();
        const [moved] = current.splice(index, 1);
        current.splice(to, 0, moved);
        drawSteps(current);
        stepList.children[to].querySelector("select").focus();
      };
      up.addEventListener("click", () => move(index - 1));
      down.addEventListener("click", () => move(index + 1));
      remove.addEventListener("click", () => {
        const current = readSteps();
        current.splice(index, 1);
        drawSteps(current.length ? current : [{ view: "", caption: "" }]);
        addStep.focus();
      });
      return el("li", { class: "story-step" },
        field("steps." + index + ".view", format(gettext("View of step {number}"), { number: n }), choice, null, true),
        field("steps." + index + ".caption", format(gettext("Caption of step {number}"), { number: n }), caption, MARKDOWN + " " + gettext("Empty: the view's own caption.")),
        el("div", { class: "actions" }, up, down, remove));
    }));
  }

  function readSteps() {
    return Array.from(stepList.children).map((row) => ({
      view: row.querySelector("select").value,
      caption: row.querySelector("textarea").value.trim(),
    }));
  }

  addStep.addEventListener("click", () => {
    const steps = readSteps();
    steps.push({ view: "", caption: "" });
    drawSteps(steps);
    stepList.lastElementChild.querySelector("select").focus();
  });

  // --- a new view -----------------------------------------------------------------------------
  const choices = data.choices;
  const viewTitle = el("input", { type: "text" });
  const kind = select(choices.kind, "enablers");
  const focus = el("input", { type: "text", list: "organization-suggestions", autocapitalize: "none", spellcheck: "false", autocomplete: "off" });
  const suggestions = el("datalist", { id: "organization-suggestions" });
  const depth = el("input", { type: "number", min: 1, max: 4, step: 1, inputmode: "numeric" });
  const year = el("input", { type: "number", min: 1800, max: 2100, step: 1, inputmode: "numeric" });
  const filters = {};
  ["country", "sector", "type", "movement"].forEach((name) => { filters[name] = select(choices[name], "", gettext("Any")); });
  const viewCaption = el("textarea", { rows: 3 });
  const kindSaid = el("p", { class: "definition", "aria-live": "polite" });
  const saveView = el("button", { type: "button", class: "quiet" }, gettext("Save this view"));
  const viewStatus = el("p", { class: "status", role: "status" });
  const focusField = field("view.focus", gettext("Organisation or partnership (identifier)"), focus, gettext("e.g. ima-limpia; pick one from the suggestions as you type."), true);
  const depthField = field("view.depth", gettext("Depth"), depth, gettext("Ties from the organisation: 1 to 3 for its ties, 1 to 4 for its enablers."));
  const filterWords = { country: gettext("Country"), sector: gettext("Sector"), type: gettext("Type"), movement: gettext("Movement") };
  const filterFields = ["country", "sector", "type", "movement"].map((name) =>
    field("view." + name, filterWords[name], filters[name], null, false));
  function applyKind() {
    const chosen = choices.kind.find((k) => k.key === kind.value);
    kindSaid.textContent = chosen ? chosen.definition : "";
    focusField.hidden = kind.value === "ecosystem";
    depthField.hidden = !["organization", "enablers"].includes(kind.value);
    filterFields.forEach((node) => { node.hidden = kind.value !== "ecosystem"; });
  }
  kind.addEventListener("change", applyKind);
  let lookup = 0;
  focus.addEventListener("input", async () => {
    const asked = ++lookup;
    const text = focus.value.trim();
    if (!text) {
      return;
    }
    const answer = await fetch("/api/organizations?limit=8&q=" + encodeURIComponent(text), { credentials: "same-origin" });
    if (answer.ok && asked === lookup) {
      const page = await answer.json();
      suggestions.replaceChildren(...page.items.map((item) => el("option", { value: item.id }, item.name)));
    }
  });
  const kindField = field("view.kind", gettext("Map"), kind, null, true);
  kindField.append(kindSaid);
  const newView = el("section", { class: "new-view", "aria-labelledby": "h-new-view" },
    el("h2", { id: "h-new-view" }, gettext("Save a new view")),
    el("p", { class: "hint" }, gettext("A view is a map with a title and a caption. Once saved, choose it in a step.")),
    field("view.title", gettext("Title of the view"), viewTitle, null, true),
    kindField, focusField, depthField, ...filterFields,
    field("view.year", gettext("Year"), year, gettext("Only ties in force that year; empty for now.")),
    field("view.caption", gettext("Caption of the view"), viewCaption, MARKDOWN),
    suggestions, el("div", { class: "actions" }, saveView), viewStatus);

  function readView() {
    const map = { kind: kind.value };
    if (kind.value !== "ecosystem") {
      map.focus = focus.value.trim() || null;
    }
    if (!depthField.hidden && depth.value) {
      map.depth = Number(depth.value);
    }
    if (year.value && kind.value !== "organization") {
      map.year = Number(year.value);
    }
    if (kind.value === "ecosystem") {
      Object.entries(filters).forEach(([name, node]) => { if (node.value) { map[name] = node.value; } });
    }
    return { id: slugify(viewTitle.value), title: viewTitle.value.trim(), caption: viewCaption.value.trim(), map: map };
  }

  saveView.addEventListener("click", async () => {
    const view = readView();
    const problems = [];
    if (!view.title) {
      problems.push({ path: "view.title", message: gettext("Give the view a title.") });
    }
    if (kind.value !== "ecosystem" && !view.map.focus) {
      problems.push({ path: "view.focus", message: gettext("Name the organisation or partnership the map is about.") });
    }
    if (problems.length) {
      showProblems(problems);
      return;
    }
    viewStatus.textContent = gettext("Saving the view…");
    const answer = await send("POST", "/api/views", view, null);
    if (!answer.ok) {
      viewStatus.textContent = "";
      const body = await answer.json().catch(() => ({}));
      if (answer.status === 409) {
        showProblems([{ path: "view.title", message: gettext("A saved view already has this title. Give this view another title, or choose the saved one in a step.") }]);
      } else {
        showProblems(problemsOf(body, "view."));
      }
      return;
    }
    clearProblems();
    views.push({ id: view.id, title: view.title });
    const steps = readSteps();
    const empty = steps.findIndex((step) => !step.view);
    if (empty >= 0) {
      steps[empty].view = view.id;
    } else {
      steps.push({ view: view.id, caption: "" });
    }
    drawSteps(steps);
    viewStatus.textContent = format(gettext("Saved the view \u201c{title}\u201d and chose it in a step."), { title: view.title });
    [viewTitle, viewCaption, focus, depth, year, ...Object.values(filters)].forEach((node) => { node.value = ""; });
  });

  // --- problems and saving ----------------------------------------------------------------------


  // The API names a field as "body field 'steps.0.view'" or in a record problem's field.
  function problemsOf(body, prefix) {
    return (body.errors || [{ message: body.detail || gettext("Not saved.") }]).map((error) => {
      const named = /^body field '(.+)'$/.exec(error.location || "");
      const path = (named ? named[1] : error.field || "").replace(/^map\./, "") || null;
      const full = path ? (prefix || "") + path : null;
      return full && document.getElementById("e-" + full) ? { path: full, message: error.message } : { path: null, message: (path ? path + ": " : "") + error.message };
    });
  }

  function send(method, url, body, tag) {
    const headers = { "X-CSRF-Token": data.csrf, "Content-Type": "application/json" };
    if (tag) {
      headers["If-Match"] = '"' + tag + '"';
    }
    return fetch(url, { method: method, headers: headers, credentials: "same-origin", body: JSON.stringify(body) });
  }

  const form = el("form", { novalidate: true, class: "edit-form" });
  const saveStory = el("button", { type: "submit" }, creating ? gettext("Save the story") : gettext("Save changes"));
  form.append(summary,
    field("title", gettext("Title"), title, null, true),
    field("id", gettext("Identifier"), id, gettext("Lower-case letters, digits and hyphens; the story's address is /stories/ and this."), true),
    field("caption", gettext("Introduction"), intro, MARKDOWN),
    el("section", { class: "steps-section", "aria-labelledby": "h-steps" },
      el("h2", { id: "h-steps" }, gettext("Steps")),
      el("p", { class: "hint" }, gettext("Each step shows one saved view, in this order.")),
      stepList, addStep),
    newView,
    el("div", { class: "actions" }, saveStory), status);
  root.append(form);
  drawSteps(story.steps.length ? story.steps : [{ view: "", caption: "" }]);
  applyKind();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = { id: id.value.trim(), title: title.value.trim(), caption: intro.value.trim(), steps: readSteps() };
    const problems = [];
    if (!out.title) {
      problems.push({ path: "title", message: gettext("Give the story a title.") });
    }
    if (!out.id) {
      problems.push({ path: "id", message: gettext("Give the story an identifier.") });
    }
    out.steps.forEach((step, index) => {
      if (!step.view) {
        problems.push({ path: "steps." + index + ".view", message: format(gettext("Choose the view of step {number}."), { number: index + 1 }) });
      }
    });
    if (problems.length) {
      showProblems(problems);
      return;
    }
    saveStory.disabled = true;
    status.textContent = gettext("Saving…");
    const answer = creating
      ? await send("POST", "/api/stories", out, null)
      : await send("PUT", "/api/stories/" + encodeURIComponent(out.id), out, data.etag);
    saveStory.disabled = false;
    if (answer.ok) {
      window.location.assign("/stories/" + encodeURIComponent(out.id));
      return;
    }
    status.textContent = "";
    const body = await answer.json().catch(() => ({}));
    if (answer.status === 412) {
      showProblems([{ path: null, message: gettext("Someone saved this story after you opened it. Open it again to see their version; your changes are still on this page.") }]);
    } else if (answer.status === 409) {
      showProblems([{ path: "id", message: body.detail }]);
    } else {
      showProblems(problemsOf(body, ""));
    }
  });
})();
