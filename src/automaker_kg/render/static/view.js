(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("akg-data").textContent);
  function tip(text) {
    var el = document.createElement("div");
    el.className = "akg-tip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { n.title = tip(n.text); });
  data.edges.forEach(function (e) { e.title = tip(e.text); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("akg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.network = network;
  window.akgReady = false;
  function ready() {
    if (window.akgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false, maxZoomLevel: 1.5});
    window.akgReady = true;
    document.body.setAttribute("data-akg-ready", "1");
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", ready);
  } else {
    network.once("afterDrawing", ready);
  }

  var list = document.getElementById("akg-labels");
  var labels = {};
  data.nodes.forEach(function (n) { labels[n.label] = true; });
  Object.keys(labels).sort().forEach(function (label) {
    var opt = document.createElement("option");
    opt.value = label;
    list.appendChild(opt);
  });
  var result = document.getElementById("akg-search-result");
  document.getElementById("akg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("akg-search").value.trim().toLowerCase();
    var ids = q ? data.nodes.filter(function (n) {
      return !n.hidden && n.label.toLowerCase().indexOf(q) >= 0;
    }).map(function (n) { return n.id; }) : [];
    network.selectNodes(ids);
    if (ids.length) { network.fit({nodes: ids, animation: false}); }
    result.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
  });
  document.getElementById("akg-reset").addEventListener("click", function () {
    document.getElementById("akg-search").value = "";
    result.textContent = "";
    network.unselectAll();
    network.fit({animation: false});
  });

  function refilter() {
    var kinds = {}, statuses = {};
    document.querySelectorAll("input.akg-kind").forEach(function (b) {
      kinds[b.value] = b.checked;
    });
    document.querySelectorAll("input.akg-status").forEach(function (b) {
      statuses[b.value] = b.checked;
    });
    nodes.update(data.nodes.map(function (n) {
      n.hidden = kinds[n.kind] === false;
      return {id: n.id, hidden: n.hidden};
    }));
    edges.update(data.edges.map(function (e) {
      return {id: e.id, hidden: statuses[e.status] === false};
    }));
  }
  document.querySelectorAll("input.akg-kind, input.akg-status").forEach(function (b) {
    b.addEventListener("change", refilter);
  });
})();
