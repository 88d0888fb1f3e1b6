// Day inputs (<input data-day-input>, from formkit.DayInput): the server reads dd/mm/yyyy
// (and ISO), so these inputs work without this file. With it: the slashes come by
// themselves as the digits are typed, and a button opens the browser's own calendar,
// whose choice is written back as dd/mm/yyyy (the calendar input itself is never sent).
(function () {
  "use strict";

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // "0712" -> "07/12/", "07122026" -> "07/12/2026"; a value with other characters (an ISO
  // day pasted in) or slashes typed by hand is left as it is.
  function shape(value) {
    if (!/^\d+$/.test(value)) {
      return /^\d{1,2}\/\d{2}$/.test(value) ? value + "/" : value;
    }
    var digits = value.slice(0, 8);
    if (digits.length < 2) {
      return digits;
    }
    var out = digits.slice(0, 2) + "/" + digits.slice(2, 4);
    if (digits.length >= 4) {
      out += "/" + digits.slice(4);
    }
    return out;
  }

  function toIso(value) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
    return m ? m[3] + "-" + two(+m[2]) + "-" + two(+m[1]) : "";
  }

  // A small calendar drawn here (no icon font, no emoji: office PCs may lack both).
  function calendarIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    [["rect", { x: 1.75, y: 3, width: 12.5, height: 11.25, rx: 1.5 }],
     ["path", { d: "M1.75 6.75h12.5M5 1.5v3M11 1.5v3" }]].forEach(function (part) {
      var shape = document.createElementNS(ns, part[0]);
      Object.keys(part[1]).forEach(function (key) {
        shape.setAttribute(key, part[1][key]);
      });
      shape.setAttribute("fill", "none");
      shape.setAttribute("stroke", "currentColor");
      shape.setAttribute("stroke-width", "1.5");
      shape.setAttribute("stroke-linecap", "round");
      svg.appendChild(shape);
    });
    return svg;
  }

  function enhance(input) {
    input.addEventListener("input", function (event) {
      if (event.inputType && event.inputType.indexOf("insert") !== 0) {
        return; // deleting: leave the text alone
      }
      var shaped = shape(input.value);
      if (shaped !== input.value) {
        input.value = shaped;
      }
    });
    var picker = document.createElement("input");
    picker.type = "date";
    if (picker.type !== "date" || typeof picker.showPicker !== "function") {
      return; // no calendar to offer: typing is enough
    }
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    picker.setAttribute("aria-label", input.getAttribute("data-calendar-label") || "");
    picker.className = "day-picker";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary day-picker-button";
    button.setAttribute("aria-label", input.getAttribute("data-calendar-label") || "");
    button.title = button.getAttribute("aria-label");
    button.appendChild(calendarIcon());
    var group = document.createElement("div");
    group.className = "input-group day-input-group" +
      (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(picker);
    button.addEventListener("click", function () {
      picker.value = toIso(input.value);
      try {
        picker.showPicker();
      } catch (error) {
        input.focus();
      }
    });
    picker.addEventListener("change", function () {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(picker.value);
      if (m) {
        input.value = m[3] + "/" + m[2] + "/" + m[1];
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      }
    });
  }

  document.querySelectorAll("input[data-day-input]").forEach(enhance);
})();
