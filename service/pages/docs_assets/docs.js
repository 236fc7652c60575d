// Starts Swagger UI on /docs. A file, not an inline script: the page's Content-Security-Policy
// allows scripts from this origin only. The spec URL is relative to /docs, so it is /openapi.yaml.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No badge from validator.swagger.io: the page talks to this service only.
    validatorUrl: null,
  });
});
