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
  // Charts drawn while the page is still being laid out can take a wrong width (side by
  // side in a grid, say): fit each one to its box once the layout is final.
  window.addEventListener("load", function () {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      window.Plotly.Plots.resize(plot);
    });
  });
})();
