// "View" links (<a data-view="pdf|image">, templates/_viewer.html): the file opens in a
// dialog of the page — a PDF in the browser's own viewer (a frame), an image as an image —
// instead of a new tab. The server sends these files sandboxed, so the frame needs no
// `sandbox` attribute (Chrome refuses to draw a PDF in a sandboxed frame). A browser that
// says it cannot show PDFs in a page (navigator.pdfViewerEnabled, phones mostly) and a
// click asking for a new tab or window keep the plain link.
(function () {
  "use strict";

  var dialog = null;

  function build(link) {
    var root = document.createElement("div");
    root.className = "modal fade";
    root.tabIndex = -1;
    root.setAttribute("aria-labelledby", "doc-viewer-title");
    root.setAttribute("aria-hidden", "true");
    root.setAttribute("data-testid", "doc-viewer");
    root.innerHTML =
      '<div class="modal-dialog modal-xl modal-fullscreen-lg-down">' +
      '<div class="modal-content">' +
      '<div class="modal-header gap-2">' +
      '<h2 class="modal-title h6 text-break me-auto" id="doc-viewer-title"></h2>' +
      '<a class="btn btn-sm btn-outline-secondary" target="_blank" rel="noopener" data-role="open"></a>' +
      '<button type="button" class="btn-close" data-bs-dismiss="modal"></button>' +
      "</div>" +
      '<div class="modal-body p-0 doc-viewer-body"></div>' +
      "</div></div>";
    root.querySelector("[data-role=open]").textContent = link.getAttribute("data-view-open");
    root.querySelector(".btn-close").setAttribute("aria-label",
                                                  link.getAttribute("data-view-close"));
    root.addEventListener("hidden.bs.modal", function () {
      root.querySelector(".doc-viewer-body").textContent = ""; // stop loading, free memory
    });
    document.body.appendChild(root);
    return root;
  }

  function show(link) {
    dialog = dialog || build(link);
    var name = link.getAttribute("data-view-name") || "";
    var body = dialog.querySelector(".doc-viewer-body");
    var shown;
    if (link.getAttribute("data-view") === "pdf") {
      shown = document.createElement("iframe");
      shown.className = "doc-viewer-frame";
      shown.title = name;
    } else {
      shown = document.createElement("img");
      shown.className = "doc-viewer-image";
      shown.alt = name;
    }
    shown.src = link.href;
    body.textContent = "";
    body.appendChild(shown);
    dialog.querySelector("#doc-viewer-title").textContent = name;
    dialog.querySelector("[data-role=open]").href = link.href;
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-view]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey || !window.bootstrap) {
      return;
    }
    if (link.getAttribute("data-view") === "pdf" && navigator.pdfViewerEnabled === false) {
      return; // the new tab hands the PDF to whatever can show it
    }
    event.preventDefault();
    show(link);
  });
})();
