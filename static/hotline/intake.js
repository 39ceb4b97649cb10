/* The operator's intake screen (12345): caller history as the number is typed, knowledge-base
   suggestions as the content is typed, keyboard shortcuts. Plain JavaScript, no library. */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var phone = document.getElementById("id_caller_phone");
  var content = document.getElementById("id_content");
  var category = document.getElementById("id_category");
  var articleInput = document.getElementById("id_article");
  var chosen = document.getElementById("chosen-article");
  var answerButton = document.getElementById("btn-answer");
  var historyBox = document.getElementById("caller-history");
  var kbBox = document.getElementById("kb-suggestions");
  var firstArticle = null;

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function empty(box, text) {
    box.textContent = "";
    box.appendChild(el("p", text, { "class": "hl-empty" }));
  }
  function getJSON(url, done) {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { done(data); } })
      .catch(function () {});
  }

  var lastPhone = "";
  var loadHistory = debounce(function () {
    var value = phone.value.replace(/[\s-]/g, "");
    if (value === lastPhone) { return; }
    lastPhone = value;
    if (value.length < 7) { empty(historyBox, gettext("输入来电号码后显示。")); return; }
    getJSON(form.dataset.historyUrl + "?phone=" + encodeURIComponent(value), function (data) {
      if (!data.tickets.length) { empty(historyBox, gettext("该号码无历史工单。")); return; }
      var list = el("ol");
      data.tickets.forEach(function (t) {
        var item = el("li");
        item.appendChild(el("a", t.number, { href: t.url }));
        item.appendChild(document.createTextNode(" " + interpolate(gettext("%(created)s %(type)s·%(category)s（%(state)s）"), { created: t.created_at, type: t.type, category: t.category, state: t.state }, true)));
        item.appendChild(el("div", t.title, { "class": "hl-muted" }));
        list.appendChild(item);
      });
      historyBox.textContent = "";
      historyBox.appendChild(el("p", interpolate(ngettext("共 %(n)s 件（最近在前）", "共 %(n)s 件（最近在前）", data.tickets.length), { n: data.tickets.length }, true), { "class": "hl-empty" }));
      historyBox.appendChild(list);
    });
  }, 250);

  function choose(article) {
    articleInput.value = article.id;
    chosen.textContent = interpolate(gettext("已选知识库解答：%(title)s"), { title: article.title }, true);
    answerButton.disabled = false;
    Array.prototype.forEach.call(kbBox.querySelectorAll(".hl-article"), function (node) {
      node.classList.toggle("hl-chosen", node.dataset.id === String(article.id));
    });
    var enquiry = form.querySelector("input[name=ticket_type][value=enquiry]");
    if (enquiry) { enquiry.checked = true; }
  }

  var loadSuggestions = debounce(function () {
    var q = content.value.trim();
    if (q.length < 2) { empty(kbBox, gettext("输入诉求内容后显示。")); firstArticle = null; return; }
    var terms = q.slice(0, 60);
    var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(terms) + "&category=" + encodeURIComponent(category.value || "");
    getJSON(url, function (data) {
      if (!data.articles.length) {
        // Long text rarely matches as a whole: try its last short phrase.
        var tail = q.split(/[，。,.\s？?！!]+/).filter(Boolean).pop() || "";
        if (tail && tail !== terms && tail.length >= 2) {
          getJSON(form.dataset.suggestUrl + "?q=" + encodeURIComponent(tail.slice(0, 20)), render);
          return;
        }
      }
      render(data);
    });
  }, 300);

  function render(data) {
    if (!data.articles.length) { empty(kbBox, gettext("未找到相关知识。")); firstArticle = null; return; }
    firstArticle = data.articles[0];
    var list = el("ol");
    data.articles.forEach(function (a) {
      var item = el("li", null, { "class": "hl-article", "data-id": String(a.id) });
      item.appendChild(el("strong", a.title));
      item.appendChild(el("div", a.body, { "class": "hl-muted" }));
      item.appendChild(el("div", a.department + (a.category ? " · " + a.category : ""), { "class": "hl-keys" }));
      var button = el("button", gettext("采用此条解答"), { type: "button" });
      button.addEventListener("click", function () { choose(a); });
      item.appendChild(button);
      list.appendChild(item);
    });
    kbBox.textContent = "";
    kbBox.appendChild(list);
  }

  phone.addEventListener("input", loadHistory);
  content.addEventListener("input", loadSuggestions);
  category.addEventListener("change", loadSuggestions);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("btn-dispatch").click();
    } else if (event.altKey && (event.key === "a" || event.key === "A") && firstArticle) {
      event.preventDefault();
      choose(firstArticle);
      answerButton.focus();
    } else if (event.altKey && /^[1-6]$/.test(event.key)) {
      var radios = form.querySelectorAll("input[name=ticket_type]");
      var radio = radios[Number(event.key) - 1];
      if (radio) { event.preventDefault(); radio.checked = true; radio.focus(); }
    }
  });
  if (phone.value) { loadHistory(); }
})();
