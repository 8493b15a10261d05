/* The analyst's link chart: entities tied by labelled links, folded in Python
 * (workbench/query/chart.py); here only drawn, filtered, replayed and exported.
 *
 * Filters and the time slider work on the signals each link carries, so a
 * step redraws only what changed. Every string from the data is set as text:
 * labels on canvas, tooltips and panels through textContent, the SVG export
 * through createElementNS + textContent, never as HTML.
 */
(function () {
  "use strict";

  var HARD = "#c62828", SOFT = "#f9a825"; // replaced by the payload's colours (query.chart)
  var LEVEL = { organiser: 0, broker: 1 };
  var root = document.getElementById("chart-root");
  if (!root) { return; }
  var box = document.getElementById("chart");
  var bar = document.getElementById("chart-bar");
  var panel = document.getElementById("chart-panel");
  var legendBox = document.getElementById("chart-legend");
  var statusBox = document.getElementById("chart-status");
  var state = null; // everything about the chart drawn now
  var clicks = 0;
  var drawnKey = null;
  window.workbenchChartTimings = {};

  function post(type, extra) {
    var message = { isStreamlitMessage: true, type: type };
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    window.parent.postMessage(message, "*");
  }

  function send(action, id) {
    clicks += 1;
    post("streamlit:setComponentValue", {
      value: { action: action, id: id, seq: clicks }, dataType: "json"
    });
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function tip(text) { return el("div", text, "tip"); }

  function store(kind, scope) {
    try {
      var raw = window.sessionStorage.getItem("chart-" + kind + ":" + scope);
      return raw ? JSON.parse(raw) : {};
    } catch (err) { return {}; }
  }

  function keep(kind, scope, value) {
    try { window.sessionStorage.setItem("chart-" + kind + ":" + scope, JSON.stringify(value)); }
    catch (err) { /* private mode: positions are kept in memory only */ }
  }

  // -- filters -------------------------------------------------------------------------

  function checks(title, values, names, onChange) {
    var group = el("fieldset", null, "group");
    group.appendChild(el("legend", title));
    var boxes = {};
    values.forEach(function (v) {
      var label = el("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = true;
      input.dataset.value = v;
      input.addEventListener("change", onChange);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (names[v] || v)));
      group.appendChild(label);
      boxes[v] = input;
    });
    return { el: group, boxes: boxes };
  }

  function ticked(group) {
    var out = {};
    Object.keys(group.boxes).forEach(function (k) { if (group.boxes[k].checked) { out[k] = true; } });
    return out;
  }

  function button(text, onClick, name) {
    var b = el("button", text);
    b.type = "button";
    if (name) { b.name = name; }
    b.addEventListener("click", onClick);
    return b;
  }

  function buildBar(p) {
    bar.replaceChildren();
    var f = {};
    var orgNames = {};
    p.orgs.forEach(function (o) { orgNames[o[0]] = o[1]; });
    f.kinds = checks("Link kind", p.kinds, {}, apply);
    if (p.off) { p.off.forEach(function (k) { if (f.kinds.boxes[k]) { f.kinds.boxes[k].checked = false; } }); }
    f.orgs = checks("Organisation", p.orgs.map(function (o) { return o[0]; }), orgNames, apply);
    f.evidence = checks("Evidence", ["hard", "zacht"], { hard: "hard", zacht: "soft" }, apply);
    [f.kinds, f.orgs, f.evidence].forEach(function (g) { bar.appendChild(g.el); });

    var dates = el("fieldset", null, "group");
    dates.appendChild(el("legend", "Dates"));
    f.from = document.createElement("input"); f.from.type = "date"; f.from.name = "from";
    f.to = document.createElement("input"); f.to.type = "date"; f.to.name = "to";
    f.from.addEventListener("change", apply); f.to.addEventListener("change", apply);
    dates.appendChild(el("span", "from ")); dates.appendChild(f.from);
    dates.appendChild(el("span", " to ")); dates.appendChild(f.to);
    bar.appendChild(dates);

    var time = el("fieldset", null, "group time");
    time.appendChild(el("legend", "Replay in signal order"));
    f.slider = document.createElement("input");
    f.slider.type = "range"; f.slider.name = "time"; f.slider.min = 0;
    f.slider.max = Math.max(0, p.dates.length - 1); f.slider.value = f.slider.max;
    f.slider.addEventListener("input", function () { step(); });
    f.until = el("span", p.dates.length ? p.dates[p.dates.length - 1] : "", "until");
    time.appendChild(f.slider); time.appendChild(f.until);
    time.appendChild(button("Play", play, "play"));
    bar.appendChild(time);

    var tools = el("fieldset", null, "group");
    tools.appendChild(el("legend", "Layout and export"));
    f.layout = document.createElement("select"); f.layout.name = "layout";
    [["force", "Force (keeps positions)"], ["roles", "Hierarchical by role"]].forEach(function (o) {
      var opt = el("option", o[1]); opt.value = o[0]; f.layout.appendChild(opt);
    });
    f.layout.value = store("layout", p.scope).value || "force";
    f.layout.addEventListener("change", function () {
      keep("layout", p.scope, { value: f.layout.value });
      draw(state.payload, state.height, true);
    });
    tools.appendChild(f.layout);
    tools.appendChild(button("Fit", function () { state.network.fit(); }));
    f.showHidden = button("Show hidden", function () {
      state.hidden = {}; keep("hidden", p.scope, {}); apply();
    }, "show-hidden");
    tools.appendChild(f.showHidden);
    tools.appendChild(button("Export SVG", exportSvg, "export-svg"));
    tools.appendChild(button("Export PNG", exportPng, "export-png"));
    bar.appendChild(tools);
    return f;
  }

  function passing(p, f) {
    var kinds = ticked(f.kinds), orgs = ticked(f.orgs), evidence = ticked(f.evidence);
    var from = f.from.value || "", to = f.to.value || "";
    var until = p.dates.length ? p.dates[Number(f.slider.value)] : "";
    return p.signals.map(function (s) {
      if (!orgs[s.source] || !evidence[s.kind]) { return false; }
      if ((from && (!s.date || s.date < from)) || (to && (!s.date || s.date > to))) { return false; }
      return !until || !s.date || s.date <= until;
    }).concat([kinds]);
  }

  function apply() {
    if (state === null) { return 0; }
    var started = performance.now();
    var p = state.payload, f = state.filters;
    var ok = passing(p, f), kinds = ok.pop();
    var nodeOn = {};
    var edgeChanges = [];
    p.links.forEach(function (x) {
      var n = 0, hard = false;
      if (kinds[x.kind] && !state.hidden[x.from] && !state.hidden[x.to]) {
        x.signals.forEach(function (i) { if (ok[i]) { n += 1; hard = hard || p.signals[i].kind === "hard"; } });
      }
      var look = n === 0 ? "off" : (hard ? "hard" : "soft") + ":" + n;
      if (n > 0) { nodeOn[x.from] = true; nodeOn[x.to] = true; }
      if (state.looks[x.id] !== look) {
        state.looks[x.id] = look;
        edgeChanges.push(n === 0 ? { id: x.id, hidden: true } : {
          id: x.id, hidden: false, width: 1 + 2 * Math.log2(1 + n),
          color: { color: hard ? HARD : SOFT, highlight: "#212121" },
          label: x.kind + (n > 1 ? " ×" + n : "")
        });
      }
    });
    var nodeChanges = [];
    p.nodes.forEach(function (n) {
      var on = !state.hidden[n.id] && (n.seed || nodeOn[n.id] === true);
      if (state.shown[n.id] !== on) { state.shown[n.id] = on; nodeChanges.push({ id: n.id, hidden: !on }); }
    });
    if (edgeChanges.length) { state.edges.update(edgeChanges); }
    if (nodeChanges.length) { state.nodes.update(nodeChanges); }
    var shownNodes = p.nodes.filter(function (n) { return state.shown[n.id]; }).length;
    var shownLinks = p.links.filter(function (x) { return state.looks[x.id] !== "off"; }).length;
    statusBox.textContent = shownNodes + " of " + p.nodes.length + " nodes, " + shownLinks + " of "
      + p.links.length + " links drawn" + (p.status ? "; " + p.status : "");
    var hiddenCount = Object.keys(state.hidden).length;
    f.showHidden.textContent = "Show hidden (" + hiddenCount + ")";
    f.until.textContent = p.dates.length ? "until " + p.dates[Number(f.slider.value)] : "";
    var ms = performance.now() - started;
    box.dataset.applied = String(Number(box.dataset.applied || 0) + 1);
    return ms;
  }

  function step() {
    var started = performance.now();
    apply();
    state.network.redraw();
    var ms = performance.now() - started;
    window.workbenchChartTimings.step = ms;
    box.dataset.stepMs = ms.toFixed(1);
  }

  var playing = null;
  function play() {
    if (playing !== null) { clearInterval(playing); playing = null; return; }
    var f = state.filters;
    f.slider.value = 0; step();
    playing = setInterval(function () {
      if (Number(f.slider.value) >= Number(f.slider.max)) { clearInterval(playing); playing = null; return; }
      f.slider.value = Number(f.slider.value) + 1; step();
    }, 400);
  }

  // -- panels --------------------------------------------------------------------------

  function describeLink(x) {
    var p = state.payload, ok = passing(p, state.filters);
    ok.pop();
    panel.replaceChildren();
    var a = state.byId[x.from], b = state.byId[x.to];
    panel.appendChild(el("h4", x.kind));
    panel.appendChild(el("div", a.label + " — " + b.label, "ends"));
    if (x.via.length) { panel.appendChild(el("div", "shared: " + x.via.join(", "), "via")); }
    if (x.pseudonymised) {
      panel.appendChild(el("div", "Every signal behind this link is pseudonymised for you: ask its owner for release.", "pseudo"));
    }
    var rows = x.signals.filter(function (i) { return ok[i]; });
    panel.appendChild(el("div", rows.length + " signal" + (rows.length === 1 ? "" : "s") + " behind this link", "count"));
    var list = el("ol", null, "signals");
    rows.forEach(function (i) {
      var s = p.signals[i];
      var item = el("li", null, "signal");
      item.dataset.signal = s.id;
      item.appendChild(el("div", [s.date || "no date", s.org, s.kind === "hard" ? "hard" : "soft", s.theme].join(" · "), "meta"));
      if (s.text) { item.appendChild(el("div", s.text, "text")); }
      item.appendChild(button("Open " + s.record, function () { send("open", s.id); }));
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  function describeNode(n) {
    panel.replaceChildren();
    panel.appendChild(el("h4", n.label));
    panel.appendChild(el("div", n.type + (n.role ? " · " + n.role : "") + (n.pseudonymised ? " · pseudonymised" : ""), "meta"));
    if (n.first) { panel.appendChild(el("div", "first seen " + n.first + " · " + n.signals + " signals on its links", "meta")); }
    if (n.page) { panel.appendChild(button("Open page", function () { send("open", n.id); }, "open")); }
    if (n.entity) { panel.appendChild(button("Expand neighbours", function () { send("expand", n.id); }, "expand")); }
    var pinned = !!state.pinned[n.id];
    panel.appendChild(button(pinned ? "Unpin" : "Pin", function () {
      if (state.pinned[n.id]) { delete state.pinned[n.id]; } else { state.pinned[n.id] = true; }
      keep("pinned", state.payload.scope, state.pinned);
      state.nodes.update([{ id: n.id, fixed: !!state.pinned[n.id], borderWidth: state.pinned[n.id] ? 4 : n.border }]);
      describeNode(n);
    }, "pin"));
    panel.appendChild(button("Hide", function () {
      state.hidden[n.id] = true; keep("hidden", state.payload.scope, state.hidden);
      apply(); panel.replaceChildren();
    }, "hide"));
  }

  function drawLegend(legend) {
    legendBox.replaceChildren();
    legend.forEach(function (item) {
      var entry = el("span", null, "entry");
      var swatch = el("span", null, "swatch " + (item.line ? "line" : item.shape || ""));
      swatch.style.background = item.color;
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(item.name));
      legendBox.appendChild(entry);
    });
  }

  // -- drawing -------------------------------------------------------------------------

  function toVisNode(n, pos, pinned, hierarchical, seeded) {
    var border = n.mark ? 3 : (n.role === "organiser" || n.role === "broker" ? 2 : 1);
    var node = {
      id: n.id, label: n.label + (n.role && n.role !== "member" ? "\n(" + n.role + ")" : ""),
      title: tip(n.title), shape: n.shape, size: n.entity ? 16 : 10,
      color: { background: n.color, border: border > 1 ? "#212121" : n.color },
      borderWidth: pinned[n.id] ? 4 : border,
      shapeProperties: { borderDashes: n.pseudonymised ? [4, 3] : false },
      font: { size: n.entity ? 13 : 11, color: "#212121", strokeWidth: 3, strokeColor: "#ffffff" },
      level: n.level
    };
    n.border = border;
    if (!hierarchical && pos[n.id]) {
      node.x = pos[n.id].x; node.y = pos[n.id].y;
      if (seeded) { node.fixed = true; } // kept where it was while the new ones settle
    }
    if (pinned[n.id]) { node.fixed = true; }
    return node;
  }

  function toVisEdge(x) {
    return {
      id: x.id, from: x.from, to: x.to, title: tip(x.title), hidden: true,
      dashes: x.pseudonymised, font: { size: 10, align: "middle", color: "#424242", strokeWidth: 3 },
      smooth: x.parallel ? { enabled: true, type: "curvedCW", roundness: 0.15 * x.parallel } : false
    };
  }

  function draw(payload, height, relayout) {
    var started = performance.now();
    if (payload.colours) { HARD = payload.colours.hard; SOFT = payload.colours.soft; }
    box.style.height = height + "px";
    box.dataset.stable = "false";
    var previous = store("positions", payload.scope);
    if (state !== null && state.network !== null) {
      if (state.payload.scope === payload.scope) {
        var now = state.network.getPositions();
        Object.keys(now).forEach(function (k) { previous[k] = now[k]; });
      }
      state.network.destroy();
    }
    var pinned = store("pinned", payload.scope);
    var hidden = store("hidden", payload.scope);
    var filters = relayout && state !== null ? state.filters : buildBar(payload);
    var hierarchical = filters.layout.value === "roles";
    var known = payload.nodes.filter(function (n) { return previous[n.id]; }).length;
    var big = payload.nodes.length > 150, huge = payload.nodes.length > 300;
    var seeded = !hierarchical && known > 0; // grown: the known nodes stay, the new ones settle
    var nodes = new vis.DataSet(payload.nodes.map(function (n) { return toVisNode(n, previous, pinned, hierarchical, seeded); }));
    var edges = new vis.DataSet(payload.links.map(toVisEdge));
    var options = {
      autoResize: true,
      layout: hierarchical
        ? { hierarchical: { enabled: true, direction: "UD", sortMethod: "directed", levelSeparation: 130, nodeSpacing: 90 } }
        : { improvedLayout: !big && !seeded, randomSeed: 7 },
      physics: hierarchical ? { enabled: false } : {
        enabled: true, solver: "forceAtlas2Based",
        forceAtlas2Based: { gravitationalConstant: -80, springLength: 120 },
        stabilization: { enabled: true, iterations: seeded ? 60 : (huge ? 100 : (big ? 150 : 250)), fit: true }
      },
      interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, multiselect: false },
      edges: { arrows: { to: { enabled: false } } }
    };
    var network = new vis.Network(box, { nodes: nodes, edges: edges }, options);
    state = {
      payload: payload, height: height, network: network, nodes: nodes, edges: edges,
      filters: filters, pinned: pinned, hidden: hidden, looks: {}, shown: {}, byId: {}
    };
    payload.nodes.forEach(function (n) { state.byId[n.id] = n; state.shown[n.id] = true; });
    payload.links.forEach(function (x) { state.byId["link:" + x.id] = x; });
    apply();
    function stable() {
      network.setOptions({ physics: { enabled: false } });
      if (seeded) {
        nodes.update(payload.nodes.filter(function (n) { return previous[n.id] && !pinned[n.id]; })
          .map(function (n) { return { id: n.id, fixed: false }; }));
      }
      var pos = network.getPositions();
      keep("positions", payload.scope, pos);
      box.dataset.stable = "true";
      var ms = performance.now() - started;
      window.workbenchChartTimings.draw = ms;
      box.dataset.drawMs = ms.toFixed(0);
    }
    if (hierarchical) { network.once("afterDrawing", stable); }
    else { network.once("stabilizationIterationsDone", stable); }
    network.on("dragEnd", function () { keep("positions", payload.scope, network.getPositions()); });
    network.on("click", function (params) {
      if (params.nodes.length > 0) { describeNode(state.byId[params.nodes[0]]); }
      else if (params.edges.length > 0) { describeLink(state.byId["link:" + params.edges[0]]); }
    });
    window.workbenchChart = network; // for the browser tests
    drawLegend(payload.legend || []);
  }

  // -- export --------------------------------------------------------------------------

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function exportPng() {
    var source = box.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width; out.height = source.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    out.toBlob(function (blob) { download(blob, "chart.png"); }, "image/png");
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }

  function exportSvg() {
    var p = state.payload;
    var ids = p.nodes.filter(function (n) { return state.shown[n.id]; }).map(function (n) { return n.id; });
    var pos = state.network.getPositions(ids);
    var xs = ids.map(function (i) { return pos[i].x; }), ys = ids.map(function (i) { return pos[i].y; });
    var pad = 60;
    var x0 = Math.min.apply(null, xs.concat([0])) - pad, y0 = Math.min.apply(null, ys.concat([0])) - pad;
    var w = Math.max.apply(null, xs.concat([0])) - x0 + pad, h = Math.max.apply(null, ys.concat([0])) - y0 + pad;
    var svg = svgEl("svg", { xmlns: SVG, viewBox: [x0, y0, w, h].join(" "), width: Math.round(w), height: Math.round(h), "font-family": "sans-serif" });
    svg.appendChild(svgEl("title", {}, "Link chart: " + statusBox.textContent));
    svg.appendChild(svgEl("rect", { x: x0, y: y0, width: w, height: h, fill: "#ffffff" }));
    p.links.forEach(function (x) {
      var look = state.looks[x.id];
      if (look === "off" || !pos[x.from] || !pos[x.to]) { return; }
      var n = Number(look.split(":")[1]);
      var line = svgEl("line", {
        x1: pos[x.from].x, y1: pos[x.from].y, x2: pos[x.to].x, y2: pos[x.to].y,
        stroke: look.indexOf("hard") === 0 ? HARD : SOFT, "stroke-width": (1 + 2 * Math.log2(1 + n)).toFixed(1)
      });
      if (x.pseudonymised) { line.setAttribute("stroke-dasharray", "6 4"); }
      line.appendChild(svgEl("title", {}, x.title));
      svg.appendChild(line);
      svg.appendChild(svgEl("text", { x: (pos[x.from].x + pos[x.to].x) / 2, y: (pos[x.from].y + pos[x.to].y) / 2 - 3, "font-size": 9, fill: "#424242", "text-anchor": "middle" }, x.kind + (n > 1 ? " ×" + n : "")));
    });
    p.nodes.forEach(function (n) {
      if (!state.shown[n.id]) { return; }
      var c = pos[n.id], r = n.entity ? 14 : 9, shape;
      var style = { fill: n.color, stroke: n.mark ? "#212121" : "#ffffff", "stroke-width": n.mark ? 2.5 : 1 };
      if (n.shape === "square") { shape = svgEl("rect", Object.assign({ x: c.x - r, y: c.y - r, width: 2 * r, height: 2 * r }, style)); }
      else if (n.shape === "star" || n.shape === "diamond") {
        var pts = [];
        var k = n.shape === "star" ? 10 : 4;
        for (var i = 0; i < k; i += 1) {
          var a = Math.PI * 2 * i / k - Math.PI / 2, rr = n.shape === "star" && i % 2 ? r * 0.5 : r * 1.2;
          pts.push((c.x + rr * Math.cos(a)).toFixed(1) + "," + (c.y + rr * Math.sin(a)).toFixed(1));
        }
        shape = svgEl("polygon", Object.assign({ points: pts.join(" ") }, style));
      } else if (n.shape === "ellipse") { shape = svgEl("ellipse", Object.assign({ cx: c.x, cy: c.y, rx: r * 1.6, ry: r }, style)); }
      else { shape = svgEl("circle", Object.assign({ cx: c.x, cy: c.y, r: r }, style)); }
      shape.appendChild(svgEl("title", {}, n.title));
      svg.appendChild(shape);
      svg.appendChild(svgEl("text", { x: c.x, y: c.y + r + 12, "font-size": 11, "text-anchor": "middle", fill: "#212121" }, n.label + (n.role && n.role !== "member" ? " (" + n.role + ")" : "")));
    });
    var text = new XMLSerializer().serializeToString(svg);
    download(new Blob([text], { type: "image/svg+xml" }), "chart.svg");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "streamlit:render") { return; }
    var args = event.data.args || {};
    if (!args.chart) { return; }
    document.body.classList.add("charting");
    var payload = args.chart;
    if (payload.key !== drawnKey) {
      drawnKey = payload.key;
      draw(payload, args.height || 560, false);
    }
    post("streamlit:setFrameHeight", { height: document.body.scrollHeight + 4 });
  });
})();
