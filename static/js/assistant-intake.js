/* The 12345 operator's intake screen: ask the assistant and show the quoted answer. */
(function () {
  "use strict";
  var button = document.getElementById("assistant-intake-ask");
  var box = document.getElementById("assistant-intake-answer");
  function text(tag, value) { var e = document.createElement(tag); e.textContent = value; return e; }
  function link(item) { var a = document.createElement("a"); a.href = item.url; a.target = "_blank"; a.textContent = item.name || item.title; return a; }
  button.addEventListener("click", function () {
    var q = document.getElementById("assistant-intake-q").value.trim();
    if (!q) { return; }
    var token = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;
    fetch(button.dataset.url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({question: q, channel: "hotline"})})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        box.innerHTML = "";
        if (!data.answered) { box.appendChild(text("p", gettext("未找到可引用的内容，请按常规登记派单。"))); return; }
        if (data.bundle) { var p = text("p", gettext("一件事：")); p.appendChild(link(data.bundle)); box.appendChild(p); }
        data.quotes.forEach(function (quote) {
          var q = text("blockquote", "“" + quote.text + "” — "); q.appendChild(link(quote)); box.appendChild(q);
        });
        if (data.items.length) {
          var ul = document.createElement("ul");
          data.items.forEach(function (item) { var li = document.createElement("li"); li.appendChild(link(item)); ul.appendChild(li); });
          box.appendChild(ul);
        }
      });
  });
})();
