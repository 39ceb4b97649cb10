/* Criteria editor for the policy admin (issue #14): builds the JSON criteria list from
 * form controls and asks the server, as you edit, how many profiles would match now.
 * Vanilla JS, no CDN. The server validates everything again on save. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  ready(function () {
    var editor = document.getElementById("criteria-editor");
    var textarea = document.getElementById("id_criteria");
    var kindSelect = document.getElementById("id_subject_kind");
    var registryNode = document.getElementById("criteria-registry");
    if (!editor || !textarea || !kindSelect || !registryNode) return;
    var registry = JSON.parse(registryNode.textContent);
    var rowsBox = document.getElementById("criteria-rows");
    var result = document.getElementById("criteria-result");
    var countUrl = editor.getAttribute("data-count-url");
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var seq = 0;

    function attributes() { return registry[kindSelect.value] || []; }
    function attribute(name) {
      return attributes().filter(function (a) { return a.name === name; })[0];
    }

    function valueControls(attr, op, value) {
      var box = el("span", { "class": "pa-value" });
      function input(type, v, label) {
        var i = el("input", { type: type, "aria-label": label });
        if (v !== undefined && v !== null) i.value = v;
        if (type === "number") i.min = "0";
        return i;
      }
      if (attr.kind === "choice") {
        var chosen = Array.isArray(value) ? value : [];
        attr.choices.forEach(function (c) {
          var cb = el("input", { type: "checkbox", value: c.value });
          cb.checked = chosen.indexOf(c.value) >= 0;
          box.appendChild(el("label", { "class": "pa-choice" }, [cb, document.createTextNode(c.label)]));
        });
      } else if (attr.kind === "prefix") {
        box.appendChild(input("text", Array.isArray(value) ? value.join(",") : "", gettext("行业代码，逗号分隔")));
        box.appendChild(el("small", { text: " " + gettext("行业代码前缀，逗号分隔，如 C39,I65") }));
      } else if (attr.kind === "boolean") {
        var sel = el("select", { "aria-label": attr.label });
        [["true", gettext("是")], ["false", gettext("否")]].forEach(function (o) {
          var opt = el("option", { value: o[0], text: o[1] });
          if (String(value) === o[0]) opt.selected = true;
          sel.appendChild(opt);
        });
        box.appendChild(sel);
      } else {
        var type = attr.kind === "date" ? "date" : "number";
        if (op === "between") {
          var pair = Array.isArray(value) ? value : [null, null];
          box.appendChild(input(type, pair[0], gettext("下限")));
          box.appendChild(document.createTextNode(" " + gettext("至") + " "));
          box.appendChild(input(type, pair[1], gettext("上限")));
        } else {
          box.appendChild(input(type, Array.isArray(value) ? null : value, attr.label));
        }
        if (attr.unit) box.appendChild(document.createTextNode(" " + attr.unit));
      }
      return box;
    }

    function readValue(row, attr, op) {
      var box = row.querySelector(".pa-value");
      if (attr.kind === "choice") {
        return Array.prototype.filter.call(box.querySelectorAll("input[type=checkbox]"),
          function (c) { return c.checked; }).map(function (c) { return c.value; });
      }
      if (attr.kind === "prefix") {
        return box.querySelector("input").value.split(/[,，\s]+/).filter(Boolean);
      }
      if (attr.kind === "boolean") return box.querySelector("select").value === "true";
      var inputs = box.querySelectorAll("input");
      var conv = attr.kind === "date" ? function (v) { return v; } : function (v) { return v === "" ? null : Number(v); };
      if (op === "between") return [conv(inputs[0].value), conv(inputs[1].value)];
      return conv(inputs[0].value);
    }

    function addRow(condition) {
      var attrs = attributes();
      if (!attrs.length) return;
      var attr = attribute(condition && condition.attribute) || attrs[0];
      var row = el("div", { "class": "pa-row" });
      var attrSel = el("select", { "aria-label": gettext("条件项") });
      attrs.forEach(function (a) {
        var opt = el("option", { value: a.name, text: a.label });
        if (a.name === attr.name) opt.selected = true;
        attrSel.appendChild(opt);
      });
      var opSel = el("select", { "aria-label": gettext("运算") });
      function fillOps(a, current) {
        opSel.innerHTML = "";
        a.operators.forEach(function (o) {
          var opt = el("option", { value: o.value, text: o.label });
          if (o.value === current) opt.selected = true;
          opSel.appendChild(opt);
        });
      }
      fillOps(attr, condition && condition.operator);
      var remove = el("button", { type: "button", "class": "button", text: gettext("删除") });
      row.appendChild(attrSel);
      row.appendChild(opSel);
      row.appendChild(valueControls(attr, opSel.value, condition && condition.value));
      row.appendChild(remove);
      attrSel.addEventListener("change", function () {
        var a = attribute(attrSel.value);
        fillOps(a);
        row.replaceChild(valueControls(a, opSel.value), row.querySelector(".pa-value"));
        sync();
      });
      opSel.addEventListener("change", function () {
        row.replaceChild(valueControls(attribute(attrSel.value), opSel.value), row.querySelector(".pa-value"));
        sync();
      });
      row.addEventListener("input", sync);
      row.addEventListener("change", sync);
      remove.addEventListener("click", function () { row.remove(); sync(); });
      rowsBox.appendChild(row);
    }

    function collect() {
      return Array.prototype.map.call(rowsBox.querySelectorAll(".pa-row"), function (row) {
        var selects = row.querySelectorAll("select");
        var attr = attribute(selects[0].value);
        var op = selects[1].value;
        return { attribute: attr.name, operator: op, value: readValue(row, attr, op) };
      });
    }

    function sync() {
      textarea.value = JSON.stringify(collect());
      clearTimeout(timer);
      timer = setTimeout(count, 400);
    }

    function show(text, problems, isError) {
      result.innerHTML = "";
      result.className = "pa-count" + (isError ? " pa-error" : "");
      result.appendChild(document.createTextNode(text));
      if (problems && problems.length) {
        var ul = el("ul");
        problems.forEach(function (p) { ul.appendChild(el("li", { text: p })); });
        result.appendChild(ul);
      }
    }

    function count() {
      if (!kindSelect.value) { show(gettext("请先选择政策对象。"), null, true); return; }
      var criteria;
      try { criteria = JSON.parse(textarea.value || "[]"); } catch (e) { show(gettext("条件不是有效的 JSON。"), null, true); return; }
      var mine = ++seq;
      show(gettext("正在试算……"));
      fetch(countUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify({ subject_kind: kindSelect.value, criteria: criteria })
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (mine !== seq) return;
        if (data.error) {
          var problems = data.error.fields && data.error.fields.problems;
          show(data.error.message, problems && problems.length > 1 ? problems : null, true);
        } else {
          show(interpolate(ngettext("按当前共享数据，将匹配 %(count)s 个对象。", "按当前共享数据，将匹配 %(count)s 个对象。", data.count), { count: data.count.toLocaleString(document.documentElement.lang || "zh-CN") }, true));
        }
      }).catch(function () { if (mine === seq) show(gettext("试算失败，请稍后重试。"), null, true); });
    }

    var initial = [];
    try { initial = JSON.parse(textarea.value || "[]"); } catch (e) { initial = []; }
    (Array.isArray(initial) ? initial : []).forEach(addRow);
    document.getElementById("criteria-add").addEventListener("click", function () { addRow(null); sync(); });
    document.getElementById("criteria-count").addEventListener("click", count);
    kindSelect.addEventListener("change", function () { rowsBox.innerHTML = ""; sync(); });
    if (initial.length) count();
  });
})();
