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
  // so the Content-Security-Policy can refuse them all). plotly.js is large (4.8 MB to
  // parse): only a page with a chart fetches it, at once but without running it (a
  // preload), and runs it once the page has been painted, so that the page shows and
  // answers first; each chart is drawn when it comes near the screen, sized to its box
  // (and kept so when the box changes size). Every chart has a table of its numbers.
  var plotly = null;
  function loadPlotly(src) {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        if (window.Plotly) return resolve(window.Plotly);
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return plotly;
  }
  var fetched = false;
  function fetchPlotly(src) {
    if (fetched || window.Plotly) return;
    fetched = true;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = src;
    document.head.appendChild(link);
    requestAnimationFrame(function () {  // just before the first paint: run it just after
      setTimeout(function () { loadPlotly(src).catch(function () {}); }, 0);
    });
  }
  var fit = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      if (window.Plotly && entry.target.isConnected) window.Plotly.Plots.resize(entry.target);
    });
  }) : null;
  function draw(el) {
    if (el.getAttribute("data-drawn")) return;
    el.setAttribute("data-drawn", "drawing");
    loadPlotly(el.getAttribute("data-plotly")).then(function (Plotly) {
      var figure = JSON.parse(el.getAttribute("data-figure"));
      var config = JSON.parse(el.getAttribute("data-config") || "{}");
      return Plotly.newPlot(el, figure.data || [], figure.layout || {}, config);
    }).then(function () {
      el.setAttribute("data-drawn", "1");
      if (fit) fit.observe(el);
    }, function () {
      el.removeAttribute("data-drawn");  // plotly.js did not load: the table still says it all
    });
  }
  var near = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      near.unobserve(entry.target);
      draw(entry.target);
    });
  }, { rootMargin: "200px 0px" }) : null;
  function watchCharts(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll(".js-chart[data-figure]").forEach(function (el) {
      if (el.getAttribute("data-watched")) return;
      el.setAttribute("data-watched", "1");
      fetchPlotly(el.getAttribute("data-plotly"));
      if (near) near.observe(el); else draw(el);
    });
  }
  watchCharts(document);
  document.addEventListener("htmx:load", function (event) {
    watchCharts(event.detail && event.detail.elt);
  });
  // Print buttons (the pay reports): a data attribute instead of an inline onclick.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
