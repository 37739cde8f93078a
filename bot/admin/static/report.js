// Programme report: draws each table's chart with the vendored Chart.js, from the numbers in the table itself
// (data-value; a hidden "< 5" cell has none and leaves a gap), so the chart and its table always agree.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var COLOURS = ["#0f4c81", "#2e9e6b", "#e0a100", "#b42318", "#6b4fbb", "#5b6875"];

  function number(cell) {
    var raw = cell ? cell.getAttribute("data-value") : null;
    return raw === null || raw === "" ? null : Number(raw);
  }

  document.querySelectorAll("canvas[data-for]").forEach(function (canvas) {
    var table = document.getElementById(canvas.getAttribute("data-for"));
    if (!table) { return; }
    var kind = table.getAttribute("data-chart") || "bar";
    var plot = table.getAttribute("data-plot").split(",").map(Number);
    var headings = table.querySelectorAll("thead th");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (row) { return row.cells[0].textContent; });
    var datasets = plot.map(function (index, n) {
      return {
        label: headings[index].textContent,
        data: rows.map(function (row) { return number(row.cells[index]); }),
        backgroundColor: COLOURS[n % COLOURS.length],
        borderColor: COLOURS[n % COLOURS.length],
        spanGaps: false
      };
    });
    var horizontal = kind === "bar" && labels.length > 6;
    canvas.parentNode.style.height = horizontal ? Math.max(220, labels.length * 26) + "px" : "260px";
    new Chart(canvas, {
      type: kind,
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "id-ID",
        plugins: { legend: { display: datasets.length > 1 } }
      }
    });
  });
})();
