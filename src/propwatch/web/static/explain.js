// propwatch article page: "Which words weighed most?" on a technique card. The words are
// computed on request (one encoder call per span, up to a second or so), so a card asks for
// them only when its button is pressed, then fills every copy of that span's paragraph: the
// "Techniques found" item and its clone in the hover card (app.js). Words are inserted as
// text, never as HTML. Served as a file (the CSP forbids inline scripts).
"use strict";

(function () {
  const asked = new Map(); // span number -> its request, so a span is weighed once

  function targets(number) {
    return document.querySelectorAll('.weighed[data-number="' + number + '"]');
  }

  function show(number, words) {
    for (const target of targets(number)) {
      target.replaceChildren();
      if (words.length === 0) {
        target.textContent = "No single word weighed much: the technique comes from the whole fragment.";
        continue;
      }
      target.append("Words that weighed most: ");
      words.forEach((word, index) => {
        const strong = document.createElement("strong");
        strong.textContent = word.text;
        target.append(strong, " " + word.weight.toFixed(2) + (index + 1 < words.length ? ", " : ""));
      });
    }
  }

  function say(number, message, retry) {
    for (const target of targets(number)) {
      target.textContent = message;
      if (retry) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "weigh";
        button.textContent = "Try again";
        target.append(" ", button);
      }
    }
  }

  function weigh(paragraph) {
    const number = paragraph.dataset.number;
    if (asked.has(number)) {
      return;
    }
    say(number, "Weighing the words…", false);
    const request = fetch(paragraph.dataset.words, { headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) {
          throw new Error("the server answered " + response.status);
        }
        return response.json();
      })
      .then((body) => show(number, body.words))
      .catch((error) => {
        asked.delete(number);
        say(number, "Could not weigh the words (" + error.message + ").", true);
      });
    asked.set(number, request);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.weigh");
    if (button) {
      weigh(button.closest(".weighed"));
    }
  });
})();
