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
      win.textContent = interpolate(gettext("%(window)s 号窗口"), { window: call.window }, true);
      row.appendChild(number);
      row.appendChild(win);
      body.appendChild(row);
      var key = call.id + ":" + call.count;
      if (!seen[key] && call.state === "calling") {
        seen[key] = true;
        if (!first) say(interpolate(gettext("请 %(number)s 号到 %(window)s 号窗口办理"), { number: call.number.split("").join(" "), window: call.window }, true));
      }
    });
    if (data.calls.length) {
      var latest = data.calls[0];
      document.getElementById("latest").textContent =
        interpolate(gettext("请 %(number)s 号到 %(window)s 号窗口"), { number: latest.number, window: latest.window }, true);
    }
    document.getElementById("waiting").textContent = data.groups
      .map(function (g) { return interpolate(ngettext("%(letter)s %(name)s 等候 %(waiting)s 人", "%(letter)s %(name)s 等候 %(waiting)s 人", g.waiting), { letter: g.letter, name: g.name, waiting: g.waiting }, true); })
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
