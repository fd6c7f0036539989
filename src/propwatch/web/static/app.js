// propwatch article page: the technique card on hover, focus or tap, and arrow-key navigation
// between highlights. Served as a file (the Content-Security-Policy forbids inline scripts);
// the card is filled with clones of the server-rendered, escaped "Techniques found" items.
"use strict";

(function () {
  const text = document.getElementById("article-text");
  const card = document.getElementById("card");
  if (!text || !card) {
    return;
  }
  const marks = Array.from(text.querySelectorAll("mark.hl"));
  let current = null;

  function showCard(mark) {
    if (mark.classList.contains("off")) {
      return; // every span of it is filtered out (filters.js)
    }
    if (current) {
      current.classList.remove("active");
    }
    current = mark;
    mark.classList.add("active");
    card.replaceChildren();
    const list = document.createElement("ul");
    list.className = "card-list";
    for (const number of mark.dataset.spans.split(" ")) {
      const item = document.getElementById("span-" + number);
      if (item && !item.hidden) {
        const copy = item.cloneNode(true);
        copy.removeAttribute("id");
        copy.querySelectorAll(".review-actions").forEach((buttons) => buttons.remove());
        list.appendChild(copy);
      }
    }
    card.appendChild(list);
    card.hidden = false;
    const box = mark.getBoundingClientRect();
    card.style.left = Math.max(8, window.scrollX + box.left) + "px";
    card.style.top = (window.scrollY + box.bottom + 8) + "px";
  }

  function hideCard() {
    card.hidden = true;
    if (current) {
      current.classList.remove("active");
      current = null;
    }
  }

  for (const mark of marks) {
    mark.addEventListener("mouseenter", () => showCard(mark));
    mark.addEventListener("focus", () => showCard(mark));
    mark.addEventListener("click", () => showCard(mark));
  }
  text.addEventListener("mouseleave", () => {
    if (!text.contains(document.activeElement)) {
      hideCard();
    }
  });
  text.addEventListener("focusout", (event) => {
    if (!text.contains(event.relatedTarget)) {
      hideCard();
    }
  });
  text.addEventListener("keydown", (event) => {
    const index = marks.indexOf(document.activeElement);
    if (event.key === "Escape") {
      hideCard();
    } else if (index >= 0 && (event.key === "ArrowRight" || event.key === "ArrowDown")) {
      event.preventDefault();
      marks[Math.min(index + 1, marks.length - 1)].focus();
    } else if (index >= 0 && (event.key === "ArrowLeft" || event.key === "ArrowUp")) {
      event.preventDefault();
      marks[Math.max(index - 1, 0)].focus();
    }
  });
})();
