// What the page scripts share: making elements whose content is set as text (never parsed
// as markup), and turning a name into an identifier.
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

  return { el: el, slugify: slugify };
})();
