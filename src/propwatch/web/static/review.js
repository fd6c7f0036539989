// propwatch article page: review the model's technique spans (accept, reject, relabel, resize),
// add missed ones from a text selection or by finding their words with the keyboard, and accept, reject or change quotes' speakers and
// entities' roles. Corrections go to the REST annotation endpoints
// with the version the page was drawn from; after each write the page's review parts are
// replaced by those of a fresh rendering, so the server words every state (templates/
// _review.html) and a conflict with another reviewer shows what they wrote. Served as a file
// (the Content-Security-Policy forbids inline scripts). Offsets are in characters (code
// points), as the server counts them, not JavaScript's UTF-16 units.
"use strict";

(function () {
  const bar = document.getElementById("review-bar");
  const text = document.getElementById("article-text");
  const dialog = document.getElementById("review-dialog");
  const labelDialog = document.getElementById("label-dialog");
  if (!bar || !text || !dialog || !labelDialog || !window.fetch || !dialog.showModal) {
    return;
  }
  const form = document.getElementById("review-form");
  const heading = document.getElementById("review-dialog-title");
  const fragment = document.getElementById("review-fragment");
  const startInput = document.getElementById("review-start");
  const endInput = document.getElementById("review-end");
  const useSelection = document.getElementById("review-use-selection");
  const find = document.getElementById("review-find");
  const findStatus = document.getElementById("review-find-status");
  const dialogError = document.getElementById("review-dialog-error");
  const choices = Array.from(form.querySelectorAll("input[name=review-technique]"));
  const status = document.getElementById("review-status");
  const selectionShown = document.getElementById("review-selection");
  const labelForm = document.getElementById("label-form");
  const labelHeading = document.getElementById("label-dialog-title");
  const labelFragment = document.getElementById("label-fragment");
  const labelError = document.getElementById("label-dialog-error");
  const speakerField = document.getElementById("speaker-field");
  const speakerName = document.getElementById("speaker-name");
  const roleFields = document.getElementById("role-fields");
  const mainRole = document.getElementById("main-role");
  const fineRoles = document.getElementById("fine-roles");
  const keyField = document.getElementById("review-api-key");
  const endpoint = "/api/v1/articles/" + bar.dataset.article + "/annotations";
  const article = Array.from(text.textContent);
  // HTML turns carriage returns into line feeds: then the page's text is not the stored one
  // and a selection's offsets would be wrong.
  const exactText = article.length === Number(bar.dataset.chars);
  const items = Array.from(document.querySelectorAll("#found .found-item"));
  const predicted = items.map((item) => ({
    start: Number(item.dataset.start),
    end: Number(item.dataset.end),
    technique: item.dataset.technique,
  }));
  const DONE = {
    accept: "Accepted",
    reject: "Rejected",
    relabel: "Relabelled",
    resize: "Resized",
    add: "Added",
  };
  let selected = null; // [start, end] of the last text selected in the article
  let editing = null; // {dialog, opener, ...} while a dialog is open

  function corrections() {
    return document.getElementById("corrections");
  }

  function showControls(root) {
    root.querySelectorAll(".review-control, .review-actions").forEach((element) => {
      element.hidden = false;
    });
  }

  function say(message, failed) {
    status.classList.toggle("error", failed);
    status.textContent = message;
  }

  function fragmentOf(start, end) {
    return article.slice(start, end).join("");
  }

  // The techniques the model gave at these exact offsets (a span may carry several).
  function techniquesAt(start, end) {
    return predicted.filter((p) => p.start === start && p.end === end).map((p) => p.technique);
  }

  // The same rule as annotations/check.py infer_action, so that a span file exported from
  // these corrections is read back as the same actions.
  function actionFor(start, end, labels) {
    const at = techniquesAt(start, end);
    if (at.length > 0) {
      const kept = at.length === labels.length && at.every((t) => labels.includes(t));
      return kept ? "accept" : "relabel";
    }
    const resized = predicted.some(
      (p) => labels.includes(p.technique) && p.start < end && start < p.end);
    return resized ? "resize" : "add";
  }

  function explain(response, answer) {
    const detail = typeof answer.detail === "string" ? answer.detail : "";
    if (response.status === 409) {
      return "Not saved: someone else changed this article's corrections since the page "
        + "showed them. The page now shows their changes; redo yours if it still applies.";
    }
    if (response.status === 401) {
      return "Not saved: this server needs an API key; enter yours in the API key field.";
    }
    return "Not saved: " + (detail || "the server answered " + response.status + ".");
  }

  // Put the review parts of a fresh rendering of this page in place of the shown ones.
  function refresh() {
    return fetch(window.location.pathname, { headers: { Accept: "text/html" } })
      .then((response) => response.text())
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        // Items with an id: the card's copies of the technique items have none.
        for (const item of document.querySelectorAll(".found-item[id], .review-item[id]")) {
          const now = fresh.getElementById(item.id);
          if (now) {
            item.querySelector(".review-state").replaceWith(
              document.importNode(now.querySelector(".review-state"), true));
          }
        }
        const list = fresh.getElementById("corrections");
        if (list) {
          corrections().replaceWith(document.importNode(list, true));
          showControls(corrections());
        }
      });
  }

  function write(method, address, body, done) {
    const headers = { Accept: "application/json" };
    if (body) {
      headers["Content-Type"] = "application/json";
    }
    if (keyField) {
      if (!keyField.value) {
        say("Enter your API key to save corrections.", true);
        keyField.focus();
        return Promise.resolve(false);
      }
      headers["X-API-Key"] = keyField.value;
    }
    say("Saving…", false);
    const version = corrections().dataset.version;
    return fetch(address + "?version=" + version, {
      method: method,
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
    }).then((response) => response.json().catch(() => ({})).then((answer) => {
      const message = response.ok ? done : explain(response, answer);
      return refresh().then(() => {
        say(message, !response.ok);
        return response.ok;
      });
    })).catch(() => {
      say("The server did not answer; nothing was saved. Try again.", true);
      return false;
    });
  }

  function save(kind, action, start, end, labels) {
    const body = { kind: kind, action: action, start: start, end: end, labels: labels };
    return write("POST", endpoint, body, DONE[action] + " “" + fragmentOf(start, end) + "”.");
  }

  function same(one, other) {
    return one.length === other.length && one.every((label, index) => label === other[index]);
  }

  function showFragment() {
    const start = Number(startInput.value);
    const end = Number(endInput.value);
    fragment.textContent = start < end ? fragmentOf(start, end) : "";
  }

  // Where the words typed in the find field occur, as [start, end] in characters; spaces in
  // them match any run of spaces or line breaks, letter case is ignored.
  function occurrences(words) {
    const whole = article.join("");
    const escaped = words.trim().replace(/[.*+?^${}()|[\]\\]/gu, "\\$&").split(/\s+/u);
    const pattern = new RegExp(escaped.join("\\s+"), "giu");
    const characters = (units) => Array.from(whole.slice(0, units)).length;
    return Array.from(whole.matchAll(pattern), (match) => [
      characters(match.index), characters(match.index + match[0].length)]);
  }

  // Mark the first place the words occur after ``from`` (or the first of all) as the span.
  function findWords(from) {
    const found = find.value.trim() ? occurrences(find.value) : [];
    if (found.length === 0) {
      findStatus.textContent = find.value.trim() ? "Not in the text." : "";
      return;
    }
    const next = Math.max(0, found.findIndex(([start]) => start > from));
    [startInput.value, endInput.value] = found[next];
    findStatus.textContent = "Place " + (next + 1) + " of " + found.length + ".";
    showFragment();
  }

  function openEditor(title, start, end, labels) {
    heading.textContent = title;
    find.value = "";
    findStatus.textContent = "";
    startInput.value = start;
    endInput.value = end;
    for (const box of choices) {
      box.checked = labels.includes(box.value);
    }
    useSelection.hidden = !selected;
    if (selected) {
      useSelection.textContent = "Use the selected text “" + fragmentOf(...selected) + "”";
    }
    dialogError.textContent = "";
    showFragment();
    open(dialog, {});
  }

  // Speakers and roles: the model's offsets stay, the labels change.
  function openLabelEditor(kind, start, end, labels) {
    const speaker = kind === "speaker";
    labelHeading.textContent = speaker ? "Change the speaker" : "Change the role";
    labelFragment.textContent = fragmentOf(start, end);
    speakerField.hidden = !speaker;
    roleFields.hidden = speaker;
    speakerName.value = speaker ? labels.join("") : "";
    mainRole.value = speaker ? mainRole.options[0].value : labels[0];
    fineRoles.value = speaker ? "" : labels.slice(1).join(", ");
    labelError.textContent = "";
    open(labelDialog, { kind: kind, start: start, end: end, labels: labels });
  }

  function open(which, state) {
    editing = Object.assign({ dialog: which, opener: document.activeElement }, state);
    which.showModal();
  }

  function close() {
    editing.dialog.close();
    editing.opener.focus();
    editing = null;
  }

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  // The last selection inside the text is kept: on phones a tap on a button clears it.
  document.addEventListener("selectionchange", () => {
    const selection = window.getSelection();
    if (!exactText || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) {
      return;
    }
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    while (start < end && /\s/u.test(article[start])) {
      start += 1;
    }
    while (end > start && /\s/u.test(article[end - 1])) {
      end -= 1;
    }
    if (start < end) {
      selected = [start, end];
      selectionShown.textContent = "Selected: “" + fragmentOf(start, end) + "”";
    }
  });

  document.getElementById("review-add").addEventListener("click", () => {
    const [start, end] = selected || [0, 0];
    openEditor("Add a missed technique", start, end, []);
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".review-actions button[data-review]");
    if (!button) {
      return;
    }
    const kind = button.parentElement.dataset.kind;
    const item = button.closest("[data-start]");
    const start = Number(item.dataset.start);
    const end = Number(item.dataset.end);
    // What the model said: every technique at these offsets, or the speaker or roles.
    const labels = kind === "technique" ? techniquesAt(start, end) : JSON.parse(item.dataset.labels);
    if (button.dataset.review !== "edit") {
      save(kind, button.dataset.review, start, end, labels);
    } else if (kind === "technique") {
      openEditor("Relabel or resize “" + fragmentOf(start, end) + "”", start, end, labels);
    } else {
      openLabelEditor(kind, start, end, labels);
    }
  });

  // Escape in a technique span's buttons: back to its highlight.
  document.addEventListener("keydown", (event) => {
    const group = event.target.closest(".found-item .review-actions");
    if (event.key === "Escape" && group) {
      const number = group.closest(".found-item").id.slice("span-".length);
      const mark = text.querySelector("mark.hl[data-spans~='" + number + "']");
      if (mark) {
        mark.focus();
      }
    }
  });

  // Enter on a highlight: to the review buttons of its first shown span.
  text.addEventListener("keydown", (event) => {
    const mark = event.target.closest("mark.hl");
    if (event.key !== "Enter" || !mark) {
      return;
    }
    for (const number of mark.dataset.spans.split(" ")) {
      const item = document.getElementById("span-" + number);
      if (item && !item.hidden) {
        event.preventDefault();
        item.querySelector(".review-actions button").focus();
        return;
      }
    }
  });

  corrections().parentElement.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-delete]");
    if (!button) {
      return;
    }
    write("DELETE", endpoint + "/" + button.dataset.delete, null, "Deleted the correction.")
      .then(() => document.getElementById("corrections-heading").focus());
  });

  find.addEventListener("input", () => findWords(-1));
  find.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault(); // the next place, not the form's Save
      findWords(Number(startInput.value));
    }
  });
  startInput.addEventListener("input", showFragment);
  endInput.addEventListener("input", showFragment);
  useSelection.addEventListener("click", () => {
    [startInput.value, endInput.value] = selected;
    showFragment();
  });
  for (const which of [dialog, labelDialog]) {
    which.querySelector("[data-cancel]").addEventListener("click", close);
    which.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape: close the same way as Cancel, focus back where it was
      close();
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const start = Number(startInput.value);
    const end = Number(endInput.value);
    const labels = choices.filter((box) => box.checked).map((box) => box.value);
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end
      && end <= article.length)) {
      dialogError.textContent = "Start must come before end, both inside the text (0 to "
        + article.length + ").";
      startInput.focus();
      return;
    }
    if (labels.length === 0) {
      dialogError.textContent = "Choose at least one technique.";
      choices[0].focus();
      return;
    }
    close();
    save("technique", actionFor(start, end, labels), start, end, labels);
  });

  labelForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const { kind, start, end } = editing;
    const fine = fineRoles.value.split(",").map((role) => role.trim()).filter(Boolean);
    const labels = kind === "speaker" ? [speakerName.value.trim()] : [mainRole.value, ...fine];
    if (!labels[0]) {
      labelError.textContent = "Give the speaker's name.";
      speakerName.focus();
      return;
    }
    const action = same(labels, editing.labels) ? "accept" : "relabel";
    close();
    save(kind, action, start, end, labels);
  });

  if (!exactText) {
    selectionShown.textContent = "This text has line breaks the page cannot show exactly: "
      + "type the offsets instead of selecting.";
  }
  showControls(document);
  bar.hidden = false;
})();
