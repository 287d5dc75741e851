/* The steering committee's dashboard: draws the charts from the figures the page
   embeds (#dashboard-charts; each chart's table shows the same numbers), saves a
   chart as a PNG, sorts the per-ward table, and submits the filters on change. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";
  var numberFormat = new Intl.NumberFormat(lang);
  var GREEN = "#1f4e3d", GREEN_LIGHT = "#9bb8ab", ORANGE = "#c8691c", ORANGE_LIGHT = "#e9b98e", BLUE = "#1a5c8a";

  // Saved images get a white background: a transparent PNG turns black in some
  // viewers and in pasted documents.
  var whiteBackground = {
    id: "whiteBackground",
    beforeDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    }
  };

  function tick(value) { return numberFormat.format(value); }

  // Long category names (model kinds) break into lines instead of being cut off
  // on a phone: Chart.js draws an array label as several lines.
  function wrap(label, width) {
    var lines = [], line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : label;
  }
  var labelWidth = window.innerWidth < 576 ? 16 : 28;

  function baseOptions(extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      // Figures, not a show: draw at once (and identically for print and images).
      animation: false,
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + ": " + numberFormat.format(c.parsed[c.chart.options.indexAxis === "y" ? "x" : "y"]);
        } } }
      },
      scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: tick } } }
    };
    return Object.assign(options, extra || {});
  }

  // On a phone the secondary blocks (charts' tables, the ranking, the recent
  // activity) start folded, so the figures and the ward table are not followed
  // by five screens of lists; each opens with a tap. The templates render them
  // open, so without JavaScript, on a wider screen and on paper nothing is folded.
  // A block holding the address's #target (the ranking after choosing another
  // figure) stays open.
  var phone = window.matchMedia("(max-width: 575.98px)");
  var folds = Array.prototype.slice.call(document.querySelectorAll("details[data-fold-phone]"));

  function holdsTarget(fold) {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    return Boolean(target) && (fold.contains(target) || target.contains(fold));
  }
  function fitFolds() {
    folds.forEach(function (fold) { fold.open = !phone.matches || holdsTarget(fold); });
  }
  fitFolds();
  phone.addEventListener("change", fitFolds);

  // Printed, everything shows; afterwards each block is as the reader left it.
  var foldedBeforePrint = null;
  function unfoldForPrint() {
    if (foldedBeforePrint) { return; }
    foldedBeforePrint = folds.filter(function (fold) { return !fold.open; });
    folds.forEach(function (fold) { fold.open = true; });
  }
  function refoldAfterPrint() {
    if (!foldedBeforePrint) { return; }
    foldedBeforePrint.forEach(function (fold) { fold.open = false; });
    foldedBeforePrint = null;
  }
  window.addEventListener("beforeprint", unfoldForPrint);
  window.addEventListener("afterprint", refoldAfterPrint);
  window.matchMedia("print").addEventListener("change", function (event) {
    if (event.matches) { unfoldForPrint(); } else { refoldAfterPrint(); }
  });

  var charts = {};

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") { return; }
    config.plugins = [whiteBackground];
    charts[id] = new Chart(canvas, config);
  }

  var dataNode = document.getElementById("dashboard-charts");
  if (dataNode) {
    var data = JSON.parse(dataNode.textContent);
    var text = data.text;
    var m = data.months;
    draw("chart-months", {
      data: {
        labels: m.labels,
        datasets: [
          { type: "bar", label: m.year + " – " + text.sessions, data: m.sessions, backgroundColor: GREEN, yAxisID: "y", order: 2 },
          { type: "bar", label: m.previous_year + " – " + text.sessions, data: m.sessions_prev, backgroundColor: GREEN_LIGHT, yAxisID: "y", order: 3 },
          { type: "line", label: m.year + " – " + text.attendances, data: m.attendances, borderColor: ORANGE, backgroundColor: ORANGE, yAxisID: "y1", order: 0, tension: 0.2 },
          { type: "line", label: m.previous_year + " – " + text.attendances, data: m.attendances_prev, borderColor: ORANGE_LIGHT, backgroundColor: ORANGE_LIGHT, borderDash: [5, 4], yAxisID: "y1", order: 1, tension: 0.2 }
        ]
      },
      options: baseOptions({
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: true, position: "left", ticks: { precision: 0, callback: tick }, title: { display: true, text: text.sessions } },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0, callback: tick }, title: { display: true, text: text.attendances } }
        }
      })
    });

    var k = data.model_kinds;
    draw("chart-model-kinds", {
      type: "bar",
      data: { labels: k.labels.map(function (l) { return wrap(l, labelWidth); }), datasets: [
        { label: text.launched, data: k.launched, backgroundColor: GREEN },
        { label: text.active, data: k.active, backgroundColor: BLUE }
      ] },
      options: baseOptions({ indexAxis: "y", scales: {
        x: { beginAtZero: true, ticks: { precision: 0, callback: tick } },
        y: { ticks: { autoSkip: false } }
      } })
    });

    var r = data.ranking;
    draw("chart-ranking", {
      type: "bar",
      data: { labels: r.labels, datasets: [{ label: r.label, data: r.values, backgroundColor: GREEN }] },
      options: baseOptions({
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, max: r.is_share ? 100 : undefined,
               ticks: { precision: 0, callback: function (v) { return tick(v) + (r.is_share ? "%" : ""); } } },
          y: { ticks: { autoSkip: false } }
        }
      })
    });

    var u = data.unit_kinds;
    draw("chart-unit-kinds", {
      type: "bar",
      data: { labels: u.labels, datasets: [{ label: text.share, data: u.shares, backgroundColor: GREEN }] },
      options: baseOptions({
        plugins: { legend: { display: false } },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: false, maxRotation: 45 } },
          y: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return tick(v) + "%"; } } }
        }
      })
    });
  }

  // "Save as image": the chart as a PNG, named after what it shows.
  document.querySelectorAll("[data-save-chart]").forEach(function (button) {
    button.addEventListener("click", function () {
      var chart = charts[button.dataset.saveChart];
      if (!chart) { return; }
      // A folded chart has no size to draw at: unfold it first.
      var fold = chart.canvas.closest("details");
      if (fold && !fold.open) { fold.open = true; chart.resize(); }
      var link = document.createElement("a");
      link.href = chart.toBase64Image("image/png", 1);
      link.download = button.dataset.filename || "bieu-do.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });

  // Charts follow the paper's width when printing, and the screen's afterwards.
  window.addEventListener("beforeprint", function () { Object.values(charts).forEach(function (c) { c.resize(); }); });
  window.addEventListener("afterprint", function () { Object.values(charts).forEach(function (c) { c.resize(); }); });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Sortable tables: each header is a button; the cells carry their sort key.
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = th.querySelector(".dash-sort");
      if (!button) { return; }
      button.addEventListener("click", function () {
        // Numbers sort highest first on the first click: "who did most" is the question.
        var numeric = button.dataset.type === "num";
        var current = th.getAttribute("aria-sort");
        var ascending = current ? current === "descending" : !numeric;
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index].dataset.sort, y = b.cells[index].dataset.sort;
          var order = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // Filters apply as soon as they change; the "Xem" button stays for keyboards
  // and for browsers without JavaScript. A new district empties the ward; a new
  // province the district and the ward.
  document.querySelectorAll("form.dash-filters select, form.dash-rank-form select").forEach(function (select) {
    select.addEventListener("change", function () {
      var narrower = {province: ["district", "ward"], district: ["ward"]}[select.name] || [];
      narrower.forEach(function (name) {
        var inner = select.form.querySelector("select[name=" + name + "]");
        if (inner) { inner.value = ""; }
      });
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    });
  });
})();
