// propwatch analyse page: posts the form in the background and polls for the analysis, so the
// page shows its progress, keeps the text and cannot be sent twice. Served as a file (the
// Content-Security-Policy forbids inline scripts). Without JavaScript the form posts as before.
"use strict";

(function () {
  const form = document.querySelector("form.analyse");
  const button = document.getElementById("analyse-button");
  const status = document.getElementById("analyse-status");
  if (!form || !button || !status || !window.fetch) {
    return;
  }
  const POLL_MS = 1000;
  const label = button.textContent;

  function show(message, failed) {
    status.classList.toggle("error", failed);
    status.textContent = message;
  }

  function finish(message) {
    button.disabled = false;
    button.textContent = label;
    form.removeAttribute("aria-busy");
    show(message, true);
  }

  function poll(address, started) {
    fetch(address, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((job) => {
        if (job.state === "done") {
          show("Done; opening the result…", false);
          window.location.assign(job.location);
        } else if (job.state === "failed") {
          finish(job.error);
        } else {
          const seconds = Math.round((Date.now() - started) / 1000);
          show("Analysing… " + seconds + " s. You may keep this page open; "
            + "the result also appears in the library when it is ready.", false);
          window.setTimeout(() => poll(address, started), POLL_MS);
        }
      })
      .catch(() => finish("The server did not answer; the analysis may still finish, "
        + "look for it in the library."));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    button.disabled = true;
    button.textContent = "Analysing…";
    form.setAttribute("aria-busy", "true");
    show("Sending…", false);
    const started = Date.now();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
    }).then((response) => {
      const json = (response.headers.get("content-type") || "").startsWith("application/json");
      if (response.status === 202 && json) {
        return response.json().then((job) => poll(job.poll, started));
      }
      if (json) {
        return response.json().then((answer) => finish(answer.error || answer.detail));
      }
      // Anything else (an expired form, a size limit) is an HTML page: post the form the
      // plain way so that the server's page explains it.
      form.submit();
      return undefined;
    }).catch(() => finish("The server did not answer; try again."));
  });
})();
