/* graph-builder viewer: search, filters, neighbourhood highlight and safe tooltips.
 *
 * All text in the data comes from news articles and is untrusted: it is only ever put in the
 * page through textContent / DOM nodes, never through innerHTML.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gb-data").textContent);
  var SVG = "http:\/\/www.w3.org/2000/svg";
  var DIM_NODE = { background: "#ececec", border: "#d6d6d6" };
  var DIM_EDGE = { color: "#e6e6e6", highlight: "#e6e6e6", hover: "#e6e6e6" };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }

  var typeStyle = {};
  data.types.forEach(function (t) { typeStyle[t.name] = t; });
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function nodeTip(n) {
    var d = el("div", null, "gb-tip");
    d.appendChild(el("b", n.fullLabel));
    d.appendChild(el("div", n.typeText + " \u00b7 named in " + n.articles +
      (n.articles === 1 ? " article" : " articles"), "gb-meta"));
    if (n.aliases.length) d.appendChild(el("div", "also: " + n.aliases.join("; ")));
    d.appendChild(el("div", n.degree + (n.degree === 1 ? " link" : " links") + " shown", "gb-meta"));
    return d;
  }

  function edgeTip(e) {
    var d = el("div", null, "gb-tip");
    var head = el("div");
    head.appendChild(el("b", byId[e.from].fullLabel));
    head.appendChild(el("span", " " + e.relationLabel + " ", e.negated ? "gb-neg" : ""));
    head.appendChild(el("b", byId[e.to].fullLabel));
    d.appendChild(head);
    d.appendChild(el("div", e.count + (e.count === 1 ? " statement" : " statements") +
      " in " + e.articleCount + (e.articleCount === 1 ? " article" : " articles") +
      " \u00b7 confidence " + e.confidence, "gb-meta"));
    e.evidence.forEach(function (s) { d.appendChild(el("blockquote", s)); });
    if (e.sources.length) {
      var ul = el("ul");
      e.sources.forEach(function (s) { ul.appendChild(el("li", s.date ? s.date + " \u2014 " + s.title : s.title)); });
      if (e.articleCount > e.sources.length) ul.appendChild(el("li", "\u2026 and " + (e.articleCount - e.sources.length) + " more"));
      d.appendChild(ul);
    }
    return d;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: nodeTip(n) });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTip(e) });
  }));
  var container = $("gb-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var api = { nodes: nodes, edges: edges, network: network, ready: false, data: data };
  window.graphBuilder = api;

  /* Physics lays the graph out once, then stops: after it settles, or after data.settleMs at
   * most, so that a large graph is usable within seconds whatever happens. */
  var started = Date.now();
  var cap = null;
  function done() {
    if (api.ready) return;
    if (cap !== null) clearTimeout(cap);
    network.stopSimulation();
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    api.settledMs = Date.now() - started;
    api.ready = true;
    if (data.focus.length) {  /* an ego network opens on its centre, nothing dimmed */
      network.selectNodes([data.focus[0]]);
      showInfo(data.focus[0]);
    }
  }
  network.once("stabilizationIterationsDone", done);
  if (!data.nodes.length) done(); else cap = setTimeout(done, data.settleMs);

  /* ---- filters: actor type (legend checkboxes) and relation (select) ---- */
  var typeOn = {};
  var relation = "";
  var dateFrom = "", dateTo = "", withUndated = true;

  function swatch(t) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "16"); s.setAttribute("height", "16"); s.setAttribute("viewBox", "0 0 16 16");
    var shapes = {
      dot: ["circle", { cx: 8, cy: 8, r: 6 }],
      square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
      triangle: ["polygon", { points: "8,1.5 14.5,14 1.5,14" }],
      diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
      hexagon: ["polygon", { points: "4,2 12,2 15.5,8 12,14 4,14 0.5,8" }],
      star: ["polygon", { points: "8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6" }]
    };
    var spec = shapes[t.shape] || shapes.dot;
    var shape = document.createElementNS(SVG, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { shape.setAttribute(k, spec[1][k]); });
    shape.setAttribute("fill", t.color); shape.setAttribute("stroke", t.border);
    s.appendChild(shape);
    return s;
  }

  data.types.forEach(function (t) {
    typeOn[t.name] = true;
    var row = el("label", null, "gb-legend-item" + (t.count ? "" : " gb-empty"));
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = t.name; box.dataset.type = t.name;
    box.addEventListener("change", function () { typeOn[t.name] = box.checked; applyFilters(); });
    row.appendChild(box); row.appendChild(swatch(t)); row.appendChild(el("span", t.name));
    row.appendChild(el("span", t.count, "gb-count"));
    $("gb-legend").appendChild(row);
  });

  var relSelect = $("gb-relation");
  data.relations.forEach(function (r) {
    var o = el("option", r.name + " (" + r.count + ")");
    o.value = r.name;
    relSelect.appendChild(o);
  });
  relSelect.addEventListener("change", function () { relation = relSelect.value; applyFilters(); });

  /* ---- date range: the dates of the articles the statements come from ---- */
  var fromInput = $("gb-from"), toInput = $("gb-to"), undatedBox = $("gb-undated");
  (function dateFilter() {
    var span = data.dates;
    var note = $("gb-date-note");
    if (!span.min) {
      [fromInput, toInput, undatedBox].forEach(function (i) { i.disabled = true; });
      note.textContent = "No statement here has a dated article.";
      return;
    }
    [fromInput, toInput].forEach(function (i) { i.min = span.min; i.max = span.max; });
    note.textContent = span.min + " \u2013 " + span.max + " \u00b7 " + span.dated + " dated, " +
      span.undated + " undated " + (span.undated === 1 ? "statement" : "statements");
    function read() {
      dateFrom = fromInput.value; dateTo = toInput.value; withUndated = undatedBox.checked;
      applyFilters();
    }
    [fromInput, toInput, undatedBox].forEach(function (i) {
      i.addEventListener("change", read);
      i.addEventListener("input", read);
    });
  })();

  (function edgeLegend() {
    var box = $("gb-edge-legend");
    [[data.edgeColor, "", "relation (arrow: subject \u2192 object)"],
     [data.negatedColor, "4 3", "negated: \u201cnot \u2026\u201d"]].forEach(function (spec) {
      var row = el("div");
      var s = document.createElementNS(SVG, "svg");
      s.setAttribute("width", "28"); s.setAttribute("height", "10");
      var line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "27"); line.setAttribute("y2", "5");
      line.setAttribute("stroke", spec[0]); line.setAttribute("stroke-width", "2");
      if (spec[1]) line.setAttribute("stroke-dasharray", spec[1]);
      s.appendChild(line); row.appendChild(s); row.appendChild(el("span", spec[2]));
      box.appendChild(row);
    });
    box.appendChild(el("div", "\u00d7n: n statements merged into one link"));
  })();

  /* A link is in the date range when one of its statements is: ISO dates compare as text. */
  function inDates(e) {
    if (!dateFrom && !dateTo) return true;
    if (withUndated && e.undated) return true;
    return e.dates.some(function (d) { return (!dateFrom || d >= dateFrom) && (!dateTo || d <= dateTo); });
  }

  function applyFilters() {
    var linked = {};
    var edgeUpdates = [];
    var byLinks = !!relation || !!dateFrom || !!dateTo;  /* then actors left with no link go too */
    data.edges.forEach(function (e) {
      var show = (!relation || e.relation === relation) && inDates(e) &&
        typeOn[byId[e.from].gbType] && typeOn[byId[e.to].gbType];
      if (show) { linked[e.from] = true; linked[e.to] = true; }
      edgeUpdates.push({ id: e.id, hidden: !show });
    });
    var nodeUpdates = data.nodes.map(function (n) {
      return { id: n.id, hidden: !(typeOn[n.gbType] && (!byLinks || linked[n.id])) };
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    if (api.highlighted && nodes.get(api.highlighted).hidden) highlight(null);
  }

  function clearFilters() {
    relation = ""; relSelect.value = "";
    dateFrom = dateTo = ""; fromInput.value = toInput.value = ""; withUndated = undatedBox.checked = true;
    Array.prototype.forEach.call(document.querySelectorAll("#gb-legend input"), function (b) {
      b.checked = true; typeOn[b.value] = true;
    });
    applyFilters();
  }

  /* ---- neighbourhood highlight and the info panel ---- */
  api.highlighted = null;

  function highlight(id) {
    api.highlighted = id;
    var near = {};
    if (id !== null) {
      near[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { near[n] = true; });
    }
    nodes.update(data.nodes.map(function (n) {
      var dim = id !== null && !near[n.id];
      return { id: n.id, color: dim ? DIM_NODE : n.color, font: dim ? { color: "#c8c8c8" } : n.font };
    }));
    edges.update(data.edges.map(function (e) {
      var dim = id !== null && e.from !== id && e.to !== id;
      return { id: e.id, color: dim ? DIM_EDGE : e.color, font: dim ? { color: "rgba(0,0,0,0)", strokeWidth: 0, background: "rgba(0,0,0,0)" } : e.font };
    }));
    showInfo(id);
  }

  function showInfo(id) {
    var box = $("gb-info");
    box.textContent = "";
    if (id === null) { box.hidden = true; return; }
    var n = byId[id];
    box.hidden = false;
    box.appendChild(el("h2", n.fullLabel));
    box.appendChild(el("div", n.typeText + " \u00b7 " + n.articles + (n.articles === 1 ? " article" : " articles")));
    if (n.aliases.length) box.appendChild(el("div", "also: " + n.aliases.join("; ")));
    var ul = el("ul");
    var mine = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    mine.slice(0, 40).forEach(function (e) {
      var li = el("li");
      li.appendChild(el("span", byId[e.from].fullLabel + " "));
      li.appendChild(el("b", e.relationLabel, e.negated ? "gb-neg" : ""));
      li.appendChild(el("span", " " + byId[e.to].fullLabel + (e.count > 1 ? " \u00d7" + e.count : "")));
      ul.appendChild(li);
    });
    if (mine.length > 40) ul.appendChild(el("li", "\u2026 " + (mine.length - 40) + " more"));
    box.appendChild(ul);
  }

  network.on("click", function (params) {
    if (params.nodes.length) highlight(params.nodes[0]);
    else if (!params.edges.length) highlight(null);
  });

  /* ---- search ---- */
  var list = $("gb-actors");
  data.nodes.slice().sort(function (a, b) { return a.fullLabel.localeCompare(b.fullLabel); })
    .forEach(function (n) { var o = el("option"); o.value = n.fullLabel; list.appendChild(o); });

  function score(n, q) {
    var label = n.fullLabel.toLowerCase();
    var aliases = n.aliases.map(function (a) { return a.toLowerCase(); });
    if (label === q) return 0;
    if (aliases.indexOf(q) >= 0) return 1;
    if (label.indexOf(q) === 0) return 2;
    if (label.indexOf(q) > 0) return 3;
    if (aliases.some(function (a) { return a.indexOf(q) >= 0; })) return 4;
    return -1;
  }

  function find(query) {
    var q = String(query || "").trim().toLowerCase();
    var status = $("gb-status");
    if (!q) { status.textContent = ""; return null; }
    var best = null, bestScore = 99;
    data.nodes.forEach(function (n) {  /* nodes come sorted by rank: first best wins ties */
      var s = score(n, q);
      if (s >= 0 && s < bestScore) { best = n; bestScore = s; }
    });
    if (!best) {
      status.className = "gb-miss";
      status.textContent = "No actor matches \u201c" + query + "\u201d";
      return null;
    }
    if (nodes.get(best.id).hidden) clearFilters();
    network.selectNodes([best.id]);
    highlight(best.id);
    network.focus(best.id, { scale: 1.4, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    status.className = "";
    status.textContent = "Found: " + best.fullLabel;
    return best.id;
  }
  api.find = find;
  api.highlight = highlight;
  api.applyFilters = applyFilters;

  var search = $("gb-search");
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") find(search.value); });
  search.addEventListener("input", function (ev) {  /* a pick from the datalist */
    if (!ev.inputType || ev.inputType === "insertReplacementText") find(search.value);
  });
  $("gb-find").addEventListener("click", function () { find(search.value); });
  $("gb-reset").addEventListener("click", function () {
    search.value = ""; $("gb-status").textContent = "";
    clearFilters(); network.unselectAll(); highlight(null); network.fit();
  });
})();
