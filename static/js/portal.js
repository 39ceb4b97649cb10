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
