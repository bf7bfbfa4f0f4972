// A story played in the explorer (/?story=ID): its panel shows one step at a time, and each
// step turns the explorer to that step's saved view: its map, and the organisation it is
// about in the details. Previous and Next, or the arrow keys outside a form field, move.
// Its words are said in the page's language (text.js).
(function () {
  "use strict";
  const { gettext, format } = window.SolgraphText;
  const panel = document.getElementById("story");
  if (!panel || !window.solgraphExplorer) {
    return;
  }
  const steps = Array.from(panel.querySelectorAll(".story-step"));
  const where = document.getElementById("story-where");
  const previous = document.getElementById("story-previous");
  const next = document.getElementById("story-next");
  let current = -1;

  function play(index) {
    if (index < 0 || index >= steps.length || index === current) {
      return;
    }
    current = index;
    steps.forEach((step, number) => { step.hidden = number !== current; });
    const step = steps[current];
    window.solgraphExplorer.show(step.dataset.search, step.dataset.embed);
    where.textContent = format(gettext("Step {number} of {count}"), { number: current + 1, count: steps.length });
    previous.disabled = current === 0;
    next.disabled = current === steps.length - 1;
  }

  previous.addEventListener("click", () => play(current - 1));
  next.addEventListener("click", () => play(current + 1));
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "ArrowRight") {
      play(current + 1);
    } else if (event.key === "ArrowLeft") {
      play(current - 1);
    }
  });
  play(0);
})();
