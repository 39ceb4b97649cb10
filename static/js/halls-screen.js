// The hall's call screen (大屏): polls the feed, shows the latest calls and reads a new
// call aloud where the browser can (speechSynthesis). No framework, no inline script.
(function () {
  "use strict";
  var script = document.getElementById("hl-screen-script");
  var feed = script.getAttribute("data-feed");
  var seen = {};
  var first = true;

  function say(text) {
    if (!("speechSynthesis" in window)) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    window.speechSynthesis.speak(utterance);
  }

  function render(data) {
    var body = document.getElementById("calls");
    body.textContent = "";
    data.calls.forEach(function (call) {
      var row = document.createElement("tr");
      var number = document.createElement("td");
      number.textContent = call.number;
      var win = document.createElement("td");
      win.textContent = call.window + " 号窗口";
      row.appendChild(number);
      row.appendChild(win);
      body.appendChild(row);
      var key = call.id + ":" + call.count;
      if (!seen[key] && call.state === "calling") {
        seen[key] = true;
        if (!first) say("请 " + call.number.split("").join(" ") + " 号到 " + call.window + " 号窗口办理");
      }
    });
    if (data.calls.length) {
      var latest = data.calls[0];
      document.getElementById("latest").textContent =
        "请 " + latest.number + " 号到 " + latest.window + " 号窗口";
    }
    document.getElementById("waiting").textContent = data.groups
      .map(function (g) { return g.letter + " " + g.name + " 等候 " + g.waiting + " 人"; })
      .join("　");
    first = false;
  }

  function poll() {
    fetch(feed, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data); })
      .catch(function () {})
      .finally(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
