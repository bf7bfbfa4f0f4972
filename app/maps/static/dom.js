// What the page scripts share: making elements whose content is set as text (never parsed
// as markup), turning a name into an identifier, and showing a form's problems.
window.SolgraphDom = (function () {
  "use strict";
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value === true) {
        node.setAttribute(name, "");
      } else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    });
    children.forEach((child) => {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    });
    return node;
  }

  function slugify(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120);
  }

  // A form's problems: each beside the field it names (the element "e-PATH", whose control is
  // "f-PATH"), and a summary in ``summary`` linking to each; with ``labelled``, a summary line
  // starts with the field's label. Problems that name no field are listed in the summary only.
  // Its heading is said in the page's language (text.js, which every form page loads).
  function problemList(root, summary, labelled) {
    function clear() {
      summary.hidden = true;
      summary.replaceChildren();
      root.querySelectorAll(".field .error").forEach((line) => { line.hidden = true; line.textContent = ""; });
      root.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    }

    function show(problems) {
      clear();
      const items = problems.map((problem) => {
        const line = problem.path ? document.getElementById("e-" + problem.path) : null;
        if (!line) {
          return el("li", {}, problem.message);
        }
        line.textContent = problem.message;
        line.hidden = false;
        const control = document.getElementById("f-" + problem.path);
        if (control) {
          control.setAttribute("aria-invalid", "true");
        }
        const label = labelled ? line.parentElement.querySelector("label").firstChild.textContent + ": " : "";
        const link = el("a", { href: "#f-" + problem.path }, label + problem.message);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          document.getElementById("f-" + problem.path).focus();
        });
        return el("li", {}, link);
      });
      const { ngettext, format, lang } = window.SolgraphText;
      const heading = format(ngettext("{count} thing to fix", "{count} things to fix", problems.length),
        { count: problems.length.toLocaleString(lang) });
      summary.append(el("h2", {}, heading), el("ul", {}, ...items));
      summary.hidden = false;
      summary.focus();
    }

    return { clear: clear, show: show };
  }

  return { el: el, slugify: slugify, problemList: problemList };
})();
