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
