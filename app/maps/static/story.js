// A story, one step at a time: the step's map in the frame, its caption beside it, moved
// with the Previous and Next buttons or the left and right arrow keys; the step is kept in
// the address (#step-2), so a link can open the story at a step. Its words are said in the
// page's language (text.js).
(function () {
  "use strict";
  const { gettext, format } = window.SolgraphText;
  const steps = Array.from(document.querySelectorAll(".steps .step"));
  const frame = document.getElementById("story-map");
  const where = document.getElementById("where");
  const previous = document.getElementById("previous");
  const next = document.getElementById("next");
  if (!steps.length) {
    return;
  }
  let current = 0;

  function show(index, focus) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach((step, number) => { step.hidden = number !== current; });
    const step = steps[current];
    const src = step.dataset.src;
    if (src && frame.getAttribute("src") !== src) {
      frame.setAttribute("src", src);
    }
    frame.title = format(gettext("Map: {title}"), { title: step.dataset.heading || gettext("no map") });
    where.textContent = format(gettext("Step {number} of {count}"), { number: current + 1, count: steps.length });
    previous.disabled = current === 0;
    next.disabled = current === steps.length - 1;
    if (steps.length > 1) {
      window.history.replaceState(null, "", "#step-" + (current + 1));
    }
    if (focus) {
      step.querySelector("h2").focus();
    }
  }

  steps.forEach((step) => step.querySelector("h2").setAttribute("tabindex", "-1"));
  previous.addEventListener("click", () => show(current - 1, false));
  next.addEventListener("click", () => show(current + 1, false));
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "ArrowRight" && current < steps.length - 1) {
      event.preventDefault();
      show(current + 1, true);
    } else if (event.key === "ArrowLeft" && current > 0) {
      event.preventDefault();
      show(current - 1, true);
    }
  });
  const asked = /^#step-(\d+)$/.exec(window.location.hash);
  show(asked ? Number(asked[1]) - 1 : 0, false);
})();
