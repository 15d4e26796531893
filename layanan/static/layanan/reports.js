/* Charts of the reports and the dashboard panel (Chart.js, served from layanan/vendor, no CDN).
 * Every <canvas data-layanan-chart="per_month|outcomes|response_times" data-source="ID"> reads its figures
 * from the JSON element #ID (Django json_script); the same figures are in the table beside each chart. */
(function () {
  "use strict";
  var PALETTE = ["#0b4f8a", "#d9822b", "#2e8540", "#b00020", "#6f42c1", "#5f6b7a", "#00838f"];

  function build(canvas, data) {
    var kind = canvas.getAttribute("data-layanan-chart");
    if (kind === "per_month") {
      return {
        type: "bar",
        data: {
          labels: data.per_month.labels,
          datasets: data.per_month.datasets.map(function (d, i) {
            return { label: d.label, data: d.data, backgroundColor: PALETTE[i % PALETTE.length] };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
      };
    }
    if (kind === "outcomes") {
      return {
        type: "doughnut",
        data: { labels: data.outcomes.labels, datasets: [{ data: data.outcomes.data, backgroundColor: PALETTE }] },
        options: { responsive: true, maintainAspectRatio: false }
      };
    }
    if (kind === "response_times") {
      return {
        type: "bar",
        data: { labels: data.response_times.labels, datasets: [{ label: "", data: data.response_times.data, backgroundColor: PALETTE[0] }] },
        options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      };
    }
    return null;
  }

  function init() {
    if (typeof window.Chart === "undefined") { return; }
    var canvases = document.querySelectorAll("canvas[data-layanan-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      if (canvas.getAttribute("data-ready")) { return; }
      var source = document.getElementById(canvas.getAttribute("data-source"));
      if (!source) { return; }
      var config = build(canvas, JSON.parse(source.textContent));
      if (config) {
        new window.Chart(canvas, config);
        canvas.setAttribute("data-ready", "1");
      }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
