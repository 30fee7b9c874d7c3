// ampwork's own small behaviours. htmx does the rest.
(function () {
  "use strict";
  // The words shown to people come from the page, in its language (the layout writes them
  // as JSON: core/script_words.py); this file holds none of its own. Placeholders are
  // gettext's, %(name)s; a count's sentence has a form per plural category of the page's
  // language (Intl.PluralRules), "other" when the page gives no form for that category.
  var words = {};
  try {
    var given = document.getElementById("ampwork-words");
    if (given) words = JSON.parse(given.textContent);
  } catch (e) { words = {}; }
  var plurals = "Intl" in window && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang || undefined) : null;
  function word(key, values, count) {
    var text = words[key];
    if (text && typeof text === "object") {
      var form = plurals && count !== undefined ? plurals.select(count) : "other";
      text = text[form] || text.other;
    }
    text = typeof text === "string" ? text : "";
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  // The weekly check-in: after a row is saved, carry on with the next row's first field,
  // so the whole check-in can be done from the keyboard without reaching for the mouse.
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = event.detail && event.detail.elt && event.detail.elt.id;
    if (!id || id.indexOf("kr-") !== 0) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll(".checkin-row"));
    var row = document.getElementById(id);
    var next = rows[rows.indexOf(row) + 1];
    var field = next && next.querySelector("input:not([type=hidden]), button");
    if (row && !row.classList.contains("checkin-row--saved")) {
      field = row.querySelector("input:not([type=hidden])");  // not saved: fix this row
    } else if (!next) {
      // the last row: focus goes to the page's summary, never back to <body>
      var done = document.getElementById("checkin-done");
      if (done) {
        var saved = document.querySelectorAll(".checkin-row--saved").length;
        done.textContent = word("checkin_done", { saved: saved, total: rows.length }, rows.length);
        field = done;
      }
    }
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
  // Copy buttons (a class's shared link): data-copy names the element whose text goes to
  // the clipboard, data-copy-status where to say so. Without the clipboard (a page served
  // over plain http is not a secure context) the text is selected to copy by hand.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = document.querySelector(button.getAttribute("data-copy-status") || "#none");
    if (!source) return;
    var text = source.textContent.trim();
    function say(message) { if (status) status.textContent = message; }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(word(copied ? "copied" : "copy_by_hand"));
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(word("copied")); }, select);
    } else {
      select();
    }
  });
  // Wide tables: a `.table-wrap` scrolls sideways inside itself, never the whole page.
  // When it has more columns than fit, it is a tab stop (the arrow keys scroll it), its
  // first column stays in view (CSS), a shadow marks each clipped edge and a line under it
  // says so. Put in a `.table-scroll` box here, so the shadows stay at the visible edges.
  function fitTable(wrap) {
    var box = wrap.parentNode;
    var hint = box.nextElementSibling;
    var scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
    var start = Math.abs(wrap.scrollLeft) > 1;
    var end = Math.abs(wrap.scrollLeft) + wrap.clientWidth < wrap.scrollWidth - 1;
    box.classList.toggle("is-scrollable", scrollable);
    box.classList.toggle("is-clipped-start", scrollable && start);
    box.classList.toggle("is-clipped-end", scrollable && end);
    if (hint && hint.classList.contains("table-scroll__hint")) hint.hidden = !scrollable;
    var first = wrap.querySelector("tr > :first-child");  // what a cell spanning a row keeps clear of
    if (first) wrap.style.setProperty("--first-col", first.offsetWidth + "px");
    wrap.style.setProperty("--wrap-w", wrap.clientWidth + "px");  // a caption fits what shows
    if (scrollable) wrap.setAttribute("tabindex", "0");
    else if (document.activeElement !== wrap) wrap.removeAttribute("tabindex");
  }
  var refit = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var wrap = entry.target.closest(".table-wrap");
      if (wrap) fitTable(wrap);
    });
  }) : null;
  function watchTables(root) {
    if (!root || !root.querySelectorAll) return;
    var wraps = Array.prototype.slice.call(root.querySelectorAll(".table-wrap"));
    var around = root.closest && root.closest(".table-wrap");
    if (around) wraps.push(around);
    wraps.forEach(function (wrap) {
      if (!wrap.getAttribute("data-fitted")) {
        wrap.setAttribute("data-fitted", "1");
        if (!wrap.parentNode.classList.contains("table-scroll")) {
          var box = document.createElement("div");
          box.className = "table-scroll";
          wrap.parentNode.insertBefore(box, wrap);
          box.appendChild(wrap);
          var hint = document.createElement("p");
          hint.className = "table-scroll__hint";
          hint.setAttribute("aria-hidden", "true");  // the table itself says all there is
          hint.textContent = word("more_columns");
          hint.hidden = true;
          box.parentNode.insertBefore(hint, box.nextSibling);
        }
        if (!wrap.getAttribute("role")) wrap.setAttribute("role", "region");
        if (!wrap.getAttribute("aria-label") && !wrap.getAttribute("aria-labelledby")) {
          var caption = wrap.querySelector("caption");
          var heading = wrap.closest("section, .card");
          heading = heading && heading.querySelector("h2, h3");
          var h1 = document.querySelector("h1");
          var name = (caption || heading || h1 || {}).textContent || word("table");
          wrap.setAttribute("aria-label", name.replace(/\s+/g, " ").trim());
        }
        wrap.addEventListener("scroll", function () { fitTable(wrap); }, { passive: true });
        if (refit) refit.observe(wrap);
      }
      if (refit) wrap.querySelectorAll("table").forEach(function (t) { refit.observe(t); });
      fitTable(wrap);
    });
  }
  watchTables(document);
  document.addEventListener("htmx:load", function (event) {
    watchTables(event.detail && event.detail.elt);
  });

  // People pickers: a `<select data-picker>` (one person, or `multiple` for several) stays
  // the form's field, so the page works without this script and the server reads the same
  // values. This turns it into a text box that filters the names as one types (an ARIA
  // combobox with a listbox): arrows move, Enter picks, Escape closes, Backspace in the
  // empty box takes back the last pick; each pick shows as a chip with a Remove button.
  var pickers = 0;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function picker(select) {
    if (select.getAttribute("data-picked")) return;
    select.setAttribute("data-picked", "1");
    pickers += 1;
    var multiple = select.multiple;
    var required = select.required;
    var base = (select.id || "picker") + "-picker" + pickers;
    var box = document.createElement("div");
    box.className = "picker";
    var chips = document.createElement("ul");
    chips.className = "picker__chips";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "picker__input";
    input.autocomplete = "off";
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("spellcheck", "false");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-list");
    var placeholder = select.getAttribute("data-picker") || word("type_a_name");
    input.placeholder = placeholder;
    var list = document.createElement("ul");
    list.id = base + "-list";
    list.className = "picker__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("tabindex", "-1");  // a scrolling list: not a tab stop of its own
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    // the label and help of the select now belong to the text box
    if (select.id) {
      input.id = select.id;
      select.id = select.id + "-select";
      var label = document.querySelector('label[for="' + input.id + '"]');
      if (label) {
        if (!label.id) label.id = base + "-label";
        list.setAttribute("aria-labelledby", label.id);
        chips.setAttribute("aria-label", word("chosen_list", { label: label.textContent.trim() }));
      }
    }
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    if (multiple) list.setAttribute("aria-multiselectable", "true");
    select.required = false;  // checked on the text box instead (a hidden field cannot show it)
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.parentNode.insertBefore(box, select);
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    box.appendChild(select);
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
    var shown = [];
    var active = -1;

    function chosen() { return options.filter(function (o) { return o.selected; }); }
    function say(text) { status.textContent = text; }
    function validate() {
      input.setCustomValidity(required && !chosen().length
        ? word(multiple ? "choose_some" : "choose_one")
        : "");
    }
    function drawChips() {
      chips.textContent = "";
      chosen().forEach(function (option) {
        var chip = document.createElement("li");
        chip.className = "picker__chip";
        var name = document.createElement("span");
        name.textContent = option.textContent.trim();
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "picker__remove";
        remove.setAttribute("aria-label", word("remove", { name: option.textContent.trim() }));
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          option.selected = false;
          changed(word("removed", { name: option.textContent.trim() }));
          input.focus();
        });
        chip.appendChild(name);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      chips.hidden = !chips.children.length;
      if (!multiple) input.placeholder = chips.hidden ? placeholder : word("type_another_name");
    }
    function changed(message) {
      drawChips();
      validate();
      select.dispatchEvent(new Event("change", { bubbles: true }));
      var n = chosen().length;
      say(message + (multiple ? " " + word("n_chosen", { n: n }, n) : ""));
      if (!list.hidden) filter();
    }
    function setActive(index) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].classList.remove("is-active");
      active = shown.length ? Math.max(0, Math.min(index, shown.length - 1)) : -1;
      if (active >= 0) {
        items[active].classList.add("is-active");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) { active = -1; input.removeAttribute("aria-activedescendant"); }
    }
    function filter() {
      var query = fold(input.value.trim());
      shown = options.filter(function (o) {
        return !(multiple && o.selected) && fold(o.textContent).indexOf(query) !== -1;
      }).slice(0, 50);
      list.textContent = "";
      shown.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = base + "-option-" + i;
        item.className = "picker__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", option.selected ? "true" : "false");
        item.textContent = option.textContent;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { pick(i); });
        list.appendChild(item);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "picker__none";
        none.textContent = query ? word("no_match", { text: input.value.trim() }) : word("nothing_left");
        list.appendChild(none);
      }
      open(true);
      setActive(query ? 0 : -1);
      say(word("n_matches", { n: shown.length }, shown.length));
    }
    function pick(index) {
      var option = shown[index];
      if (!option) return;
      if (!multiple) options.forEach(function (o) { o.selected = false; });
      option.selected = true;
      input.value = "";
      open(false);
      changed(word("picked", { name: option.textContent.trim() }));
      input.focus();
    }
    input.addEventListener("input", filter);
    input.addEventListener("focus", function () { if (list.hidden && input.value) filter(); });
    input.addEventListener("click", function () { if (list.hidden) filter(); });
    input.addEventListener("blur", function () { open(false); });
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { filter(); setActive(key === "ArrowDown" ? 0 : shown.length - 1); return; }
        setActive(active + (key === "ArrowDown" ? 1 : -1));
      } else if (key === "Home" && !list.hidden && !input.value) {
        event.preventDefault(); setActive(0);
      } else if (key === "End" && !list.hidden && !input.value) {
        event.preventDefault(); setActive(shown.length - 1);
      } else if (key === "Enter") {
        if (!list.hidden && active >= 0) { event.preventDefault(); pick(active); }
        else if (input.value.trim()) event.preventDefault();  // half a name: never submit with it
      } else if (key === "Tab") {
        open(false);
      } else if (key === "Escape") {
        if (!list.hidden) { event.preventDefault(); open(false); }
        else if (input.value) { event.preventDefault(); input.value = ""; }
      } else if (key === "Backspace" && !input.value) {
        var last = chosen().pop();
        if (last) {
          event.preventDefault();
          last.selected = false;
          changed(word("removed", { name: last.textContent.trim() }));
        }
      }
    });
    drawChips();
    validate();
  }
  function watchPickers(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("select[data-picker]").forEach(picker);
  }
  watchPickers(document);
  document.addEventListener("htmx:load", function (event) {
    watchPickers(event.detail && event.detail.elt);
  });
})();
