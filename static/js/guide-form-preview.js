/* The service guide's change form (admin): a live preview of the online application form.
 * The JSON being typed is drawn by the citizen's own form template (the URL is on the panel). */
(function () {
  "use strict";
  // Live preview: the JSON being typed is drawn by the citizen's own form template.
  var formBox = document.getElementById("id_application_form");
  var resultBox = document.getElementById("id_result_fields");
  var panel = document.getElementById("form-preview-panel");
  var frame = document.getElementById("form-preview");
  var fieldset = (formBox || document.querySelector(".field-application_form"));
  if (!fieldset) return;
  var row = fieldset.closest ? fieldset.closest("fieldset") : null;
  if (row) row.appendChild(panel);
  panel.hidden = false;
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  function text(box, cls) {
    if (box) return box.value;
    var shown = document.querySelector(".field-" + cls + " .readonly");
    return shown ? shown.textContent : "";
  }
  var timer = null;
  function refresh() {
    var body = new FormData();
    body.append("application_form", text(formBox, "application_form"));
    body.append("result_fields", text(resultBox, "result_fields"));
    var cookie = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
    if (token || cookie) body.append("csrfmiddlewaretoken", token ? token.value : cookie);
    fetch(panel.getAttribute("data-preview-url"), {method: "POST", body: body, credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) { frame.srcdoc = html; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 600); }
  [formBox, resultBox].forEach(function (box) { if (box) box.addEventListener("input", later); });
  refresh();
})();
