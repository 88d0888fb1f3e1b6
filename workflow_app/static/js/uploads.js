// Upload progress (forms marked data-upload-progress, e.g. the dossier's "Add documents"):
// when the chosen files are large (data-upload-progress-from bytes, 2 MB by default), the form
// is sent with XMLHttpRequest so that a bar shows how much has gone, then the answer — the
// page after the redirect, or the same page listing refused files — replaces this one.
// Smaller sendings, a failed request and a browser without JavaScript post the form as usual.
(function () {
  "use strict";

  function chosenBytes(form) {
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }

  function show(html, url) {
    if (url) {
      history.replaceState(null, "", url);
    }
    document.open();
    document.write(html);
    document.close();
  }

  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    var from = parseInt(form.getAttribute("data-upload-progress-from") || "2097152", 10);
    form.addEventListener("submit", function (event) {
      if (chosenBytes(form) < from || !window.FormData) {
        return;
      }
      event.preventDefault();
      var box = form.querySelector("[data-upload-bar]");
      var bar = box.querySelector("progress");
      var label = box.querySelector("[data-role=percent]");
      box.hidden = false;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          var percent = Math.floor((e.loaded / e.total) * 100);
          bar.value = percent;
          label.textContent = percent + " %";
        }
      };
      xhr.onload = function () {
        var redirected = xhr.responseURL && xhr.responseURL !== form.action;
        show(xhr.responseText, redirected ? xhr.responseURL : null);
      };
      xhr.onerror = function () {
        box.hidden = true;
        form.submit(); // as without JavaScript
      };
      xhr.send(new FormData(form));
    });
  });
})();
