// ampwork's own small behaviours. htmx does the rest.
(function () {
  "use strict";
  // The weekly check-in: after a row is saved, carry on with the next row's first field,
  // so the whole check-in can be done from the keyboard without reaching for the mouse.
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = event.detail && event.detail.elt && event.detail.elt.id;
    if (!id || id.indexOf("kr-") !== 0) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll(".checkin-row"));
    var row = document.getElementById(id);
    var next = rows[rows.indexOf(row) + 1];
    var field = next && next.querySelector("input:not([type=hidden]), button");
    if (field) field.focus();
  });
  // Charts: the server writes each figure as JSON in data attributes (no inline scripts,
  // so the Content-Security-Policy can refuse them all); draw every one not drawn yet, on
  // the page and in whatever htmx brings in later.
  function drawCharts(root) {
    if (!window.Plotly || !root || !root.querySelectorAll) return;
    root.querySelectorAll(".js-chart[data-figure]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) return;
      el.setAttribute("data-drawn", "1");
      var figure = JSON.parse(el.getAttribute("data-figure"));
      var config = JSON.parse(el.getAttribute("data-config") || "{}");
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config);
    });
  }
  drawCharts(document);
  document.addEventListener("htmx:load", function (event) {
    drawCharts(event.detail && event.detail.elt);
  });
  // Print buttons (the pay reports): a data attribute instead of an inline onclick.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  // Charts drawn while the page is still being laid out can take a wrong width (side by
  // side in a grid, say): fit each one to its box once the layout is final.
  window.addEventListener("load", function () {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      window.Plotly.Plots.resize(plot);
    });
  });
})();
