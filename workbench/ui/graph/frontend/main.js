/* Network view for the signal workbench: draws the graph Python sends and
 * sends the clicked node id back (Streamlit component protocol, v1).
 *
 * Every string from the data is set as text (textContent, vis-network
 * labels on canvas, tooltip elements built from text nodes), never as HTML.
 */
(function () {
  "use strict";

  var container = document.getElementById("graph");
  var legendBox = document.getElementById("legend");
  var statusBox = document.getElementById("status");
  var network = null;
  var drawnKey = null;
  var clicks = 0;

  function post(type, extra) {
    var message = { isStreamlitMessage: true, type: type };
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    window.parent.postMessage(message, "*");
  }

  function tip(text) {
    var el = document.createElement("div");
    el.className = "tip";
    el.textContent = text;
    return el;
  }

  function drawLegend(items) {
    legendBox.replaceChildren();
    items.forEach(function (item) {
      var entry = document.createElement("span");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = item.color;
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(item.name));
      legendBox.appendChild(entry);
    });
  }

  function toVisNode(n) {
    var node = {
      id: n.id,
      label: n.label,
      title: tip(n.title),
      shape: n.shape,
      color: { background: n.color, border: n.seed ? "#000000" : n.color },
      borderWidth: n.seed ? 3 : 1,
      font: { size: 12 }
    };
    if (n.more) {
      node.shapeProperties = { borderDashes: [4, 3] };
      node.color = { background: "#ffffff", border: "#777777" };
      node.font = { size: 11, color: "#333333" };
    }
    if (n.aggregate) { node.value = n.aggregate; node.scaling = { min: 12, max: 40 }; }
    return node;
  }

  function toVisEdge(e, i, labelled) {
    return {
      id: i,
      from: e.from,
      to: e.to,
      label: labelled ? e.label : undefined,
      title: tip(e.title),
      arrows: "to",
      dashes: !!e.dashes,
      font: { size: 9, align: "middle", color: "#444444" },
      color: { color: "#9e9e9e", highlight: "#333333" }
    };
  }

  function draw(payload, height) {
    container.style.height = height + "px";
    container.dataset.stable = "false";
    if (network !== null) { network.destroy(); network = null; }
    var big = payload.nodes.length > 150;
    var labelled = payload.edges.length <= 120;
    var data = {
      nodes: new vis.DataSet(payload.nodes.map(toVisNode)),
      edges: new vis.DataSet(payload.edges.map(function (e, i) { return toVisEdge(e, i, labelled); }))
    };
    var options = {
      autoResize: true,
      layout: { improvedLayout: !big, randomSeed: 7 },
      physics: {
        enabled: true,
        solver: "forceAtlas2Based",
        forceAtlas2Based: { gravitationalConstant: -60, springLength: 110 },
        stabilization: { enabled: true, iterations: big ? 120 : 250, fit: true }
      },
      interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big },
      edges: { smooth: false }
    };
    network = new vis.Network(container, data, options);
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      container.dataset.stable = "true";
    });
    network.on("click", function (params) {
      if (params.nodes.length > 0) {
        clicks += 1;
        post("streamlit:setComponentValue", {
          value: { id: String(params.nodes[0]), seq: clicks },
          dataType: "json"
        });
      }
    });
    window.workbenchNetwork = network; // for the browser tests
    statusBox.textContent = payload.status || "";
    drawLegend(payload.legend || []);
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data) { return; }
    if (event.data.type !== "streamlit:render") { return; }
    var args = event.data.args || {};
    if (args.chart) { return; } // the entity chart: chart.js draws it
    var payload = args.payload || { nodes: [], edges: [], key: "" };
    var height = args.height || 560;
    if (payload.key !== drawnKey) {
      drawnKey = payload.key;
      draw(payload, height);
    }
    post("streamlit:setFrameHeight", { height: document.body.scrollHeight + 4 });
  });

  post("streamlit:componentReady", { apiVersion: 1 });
})();
