/* The supervisors' dashboard: each panel fetches its JSON and is drawn with the vendored
 * Apache ECharts; every chart also gets its table and a one-line summary, and a click on a
 * bar, point or slice opens the reviews behind it. No framework, no CDN. */
(function () {
  "use strict";

  var PALETTE = ["#1d5fbf", "#d64545", "#2e9d5b", "#e0a100", "#7b52c7", "#159a9c", "#8a8a8a"];

  function large() {
    return document.documentElement.classList.contains("a11y");
  }

  function cellNode(value) {
    var td = document.createElement("td");
    if (value && typeof value === "object") {
      if (value.href) {
        var a = document.createElement("a");
        a.href = value.href;
        a.textContent = value.text;
        td.appendChild(a);
      } else {
        td.textContent = value.text;
      }
    } else {
      td.textContent = value === null || value === undefined ? "—" : String(value);
    }
    return td;
  }

  function renderTable(box, data) {
    var table = document.createElement("table");
    table.className = "table";
    var caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = data.title;
    table.appendChild(caption);
    var head = document.createElement("thead");
    var tr = document.createElement("tr");
    data.table.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      tr.appendChild(th);
    });
    head.appendChild(tr);
    table.appendChild(head);
    var body = document.createElement("tbody");
    data.table.rows.forEach(function (row) {
      var r = document.createElement("tr");
      row.forEach(function (v, i) {
        var td = cellNode(v);
        td.setAttribute("data-label", data.table.columns[i]);
        r.appendChild(td);
      });
      body.appendChild(r);
    });
    if (!data.table.rows.length) {
      var empty = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = data.table.columns.length;
      td.textContent = gettext("暂无数据");
      empty.appendChild(td);
      body.appendChild(empty);
    }
    table.appendChild(body);
    box.innerHTML = "";
    box.appendChild(table);
  }

  function option(chart, width) {
    var narrow = width < 520;
    var font = large() ? 16 : 12;
    var text = { fontSize: font, color: large() ? "#000" : "#333" };
    var base = {
      color: chart.colors && chart.colors.length && chart.kind !== "pie" ? chart.colors : PALETTE,
      textStyle: text,
      // Drawn on the canvas: an HTML tooltip would carry style="…" attributes, which the
      // Content-Security-Policy refuses (no 'unsafe-inline' for styles).
      tooltip: { trigger: chart.kind === "pie" ? "item" : "axis", renderMode: "richText", textStyle: { fontSize: font } },
      legend: { top: 0, textStyle: text, type: "scroll" },
      grid: { left: narrow ? 36 : 16, right: 16, top: 36, bottom: 8, containLabel: true },
      aria: { enabled: true }
    };
    if (chart.kind === "pie") {
      base.series = [{
        type: "pie",
        radius: narrow ? ["30%", "60%"] : ["35%", "65%"],
        top: 24,
        label: { show: !narrow, fontSize: font, formatter: "{b}\n{d}%" },
        data: chart.categories.map(function (name, i) {
          var point = { name: name, value: chart.series[0].data[i] };
          if (chart.colors && chart.colors[i]) point.itemStyle = { color: chart.colors[i] };
          return point;
        })
      }];
      return base;
    }
    var horizontal = chart.kind === "hbar";
    var categoryAxis = {
      type: "category",
      data: chart.categories,
      axisLabel: { fontSize: font, interval: horizontal ? 0 : "auto", hideOverlap: true, rotate: horizontal ? 0 : (chart.categories.length > 6 || narrow ? 40 : 0) }
    };
    var valueAxes = [{ type: "value", axisLabel: { fontSize: font } }];
    if (chart.percent_axis) {
      valueAxes.push({ type: "value", min: 0, max: 100, axisLabel: { fontSize: font, formatter: "{value}%" } });
    }
    if (horizontal) {
      base.yAxis = categoryAxis;
      base.xAxis = chart.percent_axis ? valueAxes[1] : valueAxes[0];
    } else {
      base.xAxis = categoryAxis;
      base.yAxis = chart.series.some(function (s) { return s.axis === 1; }) ? valueAxes : (chart.percent_axis ? valueAxes[1] : valueAxes[0]);
    }
    base.series = chart.series.map(function (s) {
      var series = { name: s.name, type: s.type || (chart.kind === "line" ? "line" : "bar"), data: s.data, stack: s.stack, emphasis: { focus: "series" } };
      if (!horizontal && s.axis === 1) series.yAxisIndex = 1;
      if (series.type === "line") { series.smooth = true; series.symbolSize = large() ? 10 : 6; }
      return series;
    });
    return base;
  }

  function draw(panel, data) {
    var box = panel.querySelector(".db-chart");
    if (!data.chart || typeof echarts === "undefined") {
      box.hidden = true;
      panel.querySelector(".db-table-view").open = true;
      return;
    }
    box.hidden = false;
    var rows = data.chart.categories.length * (data.chart.kind === "hbar" ? Math.max(1, data.chart.series.length) : 0);
    var height = data.chart.kind === "hbar" ? Math.max(260, rows * (large() ? 30 : 22) + 80) : (large() ? 380 : 300);
    box.style.height = height + "px";
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option(data.chart, box.clientWidth));
    chart.on("click", function (params) {
      var link = data.chart.links[params.dataIndex];
      if (link) window.location.href = link;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    panel.setAttribute("data-drawn", "1");
  }

  function load(panel) {
    fetch(panel.getAttribute("data-endpoint"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (data) {
        panel.querySelector(".db-summary").textContent = data.summary;
        panel.querySelector(".db-note").textContent = data.note || "";
        renderTable(panel.querySelector(".db-table"), data);
        draw(panel, data);
        panel.setAttribute("data-loaded", "1");
      })
      .catch(function () {
        panel.querySelector(".db-summary").textContent = gettext("数据加载失败，请刷新页面重试。");
        panel.setAttribute("data-loaded", "error");
      });
  }

  document.querySelectorAll(".db-panel[data-endpoint]").forEach(load);
})();
