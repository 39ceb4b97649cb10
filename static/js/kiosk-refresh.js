/* The counter tablet (服务评价): after data-seconds, load data-url (or this page again).
 * A script rather than <meta http-equiv="refresh">, which screen readers and axe-core treat
 * as a timed change the visitor cannot control (WCAG 2.2.1, 3.2.5); the tablet is a
 * kiosk whose waiting screen has nothing to read or type. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var seconds = Number(script.dataset.seconds) || 8;
  var target = script.dataset.url || window.location.href;
  window.setTimeout(function () {
    window.location.replace(target);
  }, seconds * 1000);
})();
