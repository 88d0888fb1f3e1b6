// App behaviour. No inline scripts anywhere: the CSP (script-src 'self') forbids them,
// so pages opt in with data-* attributes handled here.
(function () {
  "use strict";

  // htmx requests carry the CSRF token from <meta name="csrf-token"> (Flask-WTF reads
  // the X-CSRFToken header), so htmx forms and buttons pass the same check as plain forms.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // <form data-confirm="Question?">: ask before submitting (irreversible actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <button data-action="history-back" class="d-none">: shown only when there is a page
  // to go back to (the error pages use it).
  document.querySelectorAll('[data-action="history-back"]').forEach(function (button) {
    if (window.history.length > 1) {
      button.classList.remove("d-none");
    }
    button.addEventListener("click", function () {
      window.history.back();
    });
  });
})();
