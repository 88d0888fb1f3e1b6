// Start Swagger UI on the API reference page (/api/v1/docs). Kept in a static file so the
// page needs no inline script (CSP). "Try it out" uses the signed-in session: mutations then
// carry the page's CSRF token; with a token, use "Authorize" (bearerAuth) instead.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var meta = document.querySelector('meta[name="csrf-token"]');
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    requestInterceptor: function (request) {
      var method = (request.method || "GET").toUpperCase();
      if (meta && ["GET", "HEAD", "OPTIONS"].indexOf(method) === -1) {
        request.headers["X-CSRFToken"] = meta.getAttribute("content");
      }
      return request;
    }
  });
})();
