// Starts the vendored Swagger UI on /api/docs; a file, not an inline script (CSP).
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.url,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Deep links put a link inside each operation's toggle button (axe: nested-interactive,
    // which screen readers announce badly); without them the path is plain text.
    deepLinking: false,
  });

  // Swagger UI gives a parameter's value menu (a boolean's true/false), the request body's
  // text box and its icon-only copy buttons no accessible name (axe: select-name, label,
  // button-name); name them as Swagger draws them. Its code blocks scroll but cannot be
  // reached by keyboard (axe: scrollable-region-focusable): make them focusable.
  function mendAccessibility() {
    for (const menu of root.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
      menu.setAttribute("aria-label", menu.closest("tr").dataset.paramName);
    }
    for (const body of root.querySelectorAll("textarea.body-param__text:not([aria-label])")) {
      body.setAttribute("aria-label", "Request body");
    }
    for (const copy of root.querySelectorAll(".copy-to-clipboard > button:not([aria-label])")) {
      copy.setAttribute("aria-label", "Copy to clipboard");
    }
    for (const code of root.querySelectorAll(".microlight:not([tabindex])")) {
      code.setAttribute("tabindex", "0");
    }
  }
  new MutationObserver(mendAccessibility).observe(root, { childList: true, subtree: true });
})();
