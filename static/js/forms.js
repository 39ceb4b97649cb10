// Application forms (在线填报): conditions, the region cascade and table rows.
// Everything works without this script (all fields shown, rows added by saving); the server
// checks every answer whatever the browser did.
(function () {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return;
      if (input.value) values.push(input.value);
    });
    return values;
  }

  function applyConditions(form) {
    form.querySelectorAll("[data-show-field]").forEach(function (field) {
      var given = valuesOf(form, field.dataset.showField);
      var wanted = (field.dataset.showValues || "").split("|").filter(Boolean);
      var shown = field.dataset.showFilled === "True"
        ? given.length > 0
        : given.some(function (v) { return wanted.indexOf(v) >= 0; });
      field.hidden = !shown;
      var hint = field.querySelector(".appform-when");
      if (hint) hint.hidden = true;  // the field itself appears only when it applies
    });
  }

  function fillSelect(select, regions) {
    var first = select.options[0];
    select.innerHTML = "";
    select.appendChild(first);
    regions.forEach(function (r) {
      var option = document.createElement("option");
      option.value = r.code; option.textContent = r.name;
      select.appendChild(option);
    });
  }

  function setupRegion(root, box) {
    var url = root.dataset.regionsUrl;
    var selects = box.querySelectorAll("select[data-region-level]");
    selects.forEach(function (select, i) {
      select.addEventListener("change", function () {
        for (var j = i + 1; j < selects.length; j++) fillSelect(selects[j], []);
        if (!select.value || i + 1 >= selects.length) return;
        fetch(url + encodeURIComponent(select.value) + "/", {headers: {Accept: "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {regions: []}; })
          .then(function (data) { fillSelect(selects[i + 1], data.regions || []); });
      });
    });
  }

  function setupTable(button, form) {
    var table = form.querySelector('[data-table="' + button.dataset.addRow + '"]');
    if (!table) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var body = table.tBodies[0];
      var rows = body.rows.length;
      if (rows >= parseInt(table.dataset.maxRows, 10)) return;
      var index = parseInt(table.dataset.nextIndex, 10);
      var row = body.rows[rows - 1].cloneNode(true);
      row.querySelectorAll("input, select").forEach(function (input) {
        input.name = input.name.replace(/__\d+__/, "__" + index + "__");
        input.value = "";
      });
      table.dataset.nextIndex = index + 1;
      body.appendChild(row);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
  }

  document.querySelectorAll("[data-appform]").forEach(function (root) {
    var form = root.closest("form") || root;
    applyConditions(form);
    form.addEventListener("change", function () { applyConditions(form); });
    root.querySelectorAll("[data-region]").forEach(function (box) { setupRegion(root, box); });
    root.querySelectorAll("[data-add-row]").forEach(function (b) { setupTable(b, form); });
  });
})();
