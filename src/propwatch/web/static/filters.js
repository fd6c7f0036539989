// propwatch article page: the technique, category and confidence filters act in the page, with
// no reload. A span is shown when its technique and its category are selected (none selected
// selects all) and its score reaches the slider; the same rule as web/views.py hidden_spans,
// which draws the page the server sends. Served as a file (the CSP forbids inline scripts).
"use strict";

(function () {
  const form = document.getElementById("filters");
  const text = document.getElementById("article-text");
  if (!form || !text) {
    return;
  }
  const slider = document.getElementById("min-confidence");
  const shownValue = document.getElementById("min-confidence-value");
  const count = document.getElementById("shown-count");
  const items = Array.from(document.querySelectorAll("#found .found-item"));
  const marks = Array.from(text.querySelectorAll("mark.hl"));

  function checked(name) {
    return Array.from(form.querySelectorAll("input[name=" + name + "]:checked"), (i) => i.value);
  }

  function apply() {
    const techniques = checked("technique");
    const categories = checked("category");
    const lowest = Number(slider.value);
    shownValue.textContent = Math.round(lowest * 100) + "%";
    const hidden = new Set();
    for (const item of items) {
      const off = (techniques.length > 0 && !techniques.includes(item.dataset.technique))
        || (categories.length > 0 && !categories.includes(item.dataset.category))
        || Number(item.dataset.score) < lowest;
      item.hidden = off;
      if (off) {
        hidden.add(item.id.slice("span-".length));
      }
    }
    for (const mark of marks) {
      const numbers = mark.dataset.spans.split(" ");
      // The stripes are in the order of data-spans (render/templates/_highlight.html).
      mark.querySelectorAll("span.u").forEach((stripe, index) => {
        stripe.classList.toggle("off", hidden.has(numbers[index]));
      });
      const off = numbers.every((number) => hidden.has(number));
      mark.classList.toggle("off", off);
      mark.tabIndex = off ? -1 : 0;
    }
    count.textContent = (items.length - hidden.size) + " of " + items.length + " shown";
    const query = new URLSearchParams(new FormData(form));
    if (lowest === 0) {
      query.delete("min_confidence");
    }
    const search = query.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
})();
