/* Every public page: on a phone the main menu folds behind a 菜单 button (DOMAIN Q1).
 * Without this script the menu simply wraps onto several lines. */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var button = nav && nav.querySelector(".nav-toggle");
  if (!button) {
    return;
  }
  nav.classList.add("nav-collapsible");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  });
})();

/* A file picker drawn in Chinese (applications/_slot.html): its label shows the chosen
 * file's name instead of the browser's own words. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("file-input")) {
      return;
    }
    var label = document.querySelector('label[for="' + input.id + '"] .file-name');
    if (!label) {
      return;
    }
    var names = Array.prototype.map.call(input.files || [], function (file) {
      return file.name;
    });
    label.textContent = names.length ? names.join("、") : label.getAttribute("data-empty");
  });
})();

/* Behaviour that would otherwise sit in inline handlers, which the Content-Security-Policy
 * refuses (no 'unsafe-inline'): a print button (data-print), a submit button that asks first
 * (data-confirm), a form that only shows what it looks like (data-preview-only), and a bar
 * whose length is a share (data-percent; set through the CSSOM, which CSP allows). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print], [data-confirm]") : null;
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-print")) {
      window.print();
    } else if (!window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-preview-only")) {
      event.preventDefault();
    }
  });
  document.querySelectorAll("[data-percent]").forEach(function (bar) {
    var share = parseFloat(bar.getAttribute("data-percent"));
    bar.style.width = (isNaN(share) ? 0 : Math.max(0, Math.min(100, share))) + "%";
  });
})();
