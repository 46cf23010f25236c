(function () {
  "use strict";
  // The view's data: entities, one line per subject with all its claims, and the timeline.
  // Which claims hold on a date was decided in Python (each claim's `spans`, from the time
  // model); this script only tests whether the slider's date lies in a span.
  var data = JSON.parse(document.getElementById("akg-data").textContent);
  var timeline = data.timeline;
  var served = location.protocol === "http:" || location.protocol === "https:";
  var STANDING_ORDER = {"in force": 0, "reported": 1, "planned": 2};
  var state = {
    day: timeline ? timeline.start : null,
    history: false,
    unfoldAll: false,
    expanded: {},
    kinds: {},
    statuses: {},
    focus: null
  };
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function tip(text) {
    var el = document.createElement("div");
    el.className = "akg-tip";
    el.textContent = text;
    return el;
  }

  // -- time: is a date inside one of a claim's spans ------------------------------------
  function spanOn(spans, day) {
    if (day === null) { return spans[0] || null; }
    for (var i = 0; i < spans.length; i++) {
      var s = spans[i];
      if ((s[0] === null || s[0] <= day) && (s[1] === null || day < s[1])) { return s; }
    }
    return null;
  }
  function endedBefore(spans, day) {
    if (day === null) { return false; }
    return spans.some(function (s) { return s[1] !== null && s[1] <= day; });
  }

  // The claims of one line on the current date: the one drawn, those beside it, the past.
  function pick(edge) {
    var shown = [];
    edge.claims.forEach(function (c, i) {
      if (state.statuses[c.status] === false) { return; }
      var span = spanOn(c.spans, state.day);
      if (span) { shown.push({claim: c, standing: span[2], order: i}); }
    });
    shown.sort(function (a, b) {
      var sa = STANDING_ORDER[a.standing] === undefined ? 3 : STANDING_ORDER[a.standing];
      var sb = STANDING_ORDER[b.standing] === undefined ? 3 : STANDING_ORDER[b.standing];
      return sa - sb || a.order - b.order;
    });
    // the latest claim that had ended (or was superseded) by then, unless it still says the same
    var past = edge.claims.find(function (c) {
      return state.statuses[c.status] !== false && endedBefore(c.spans, state.day) &&
        !shown.some(function (s) { return s.claim === c; });
    }) || null;
    if (past && shown.length && past.display === shown[0].claim.display) { past = null; }
    return {current: shown[0] || null, beside: shown.slice(1), past: past};
  }

  function edgeText(edge, p) {
    var lines = [edge.heading];
    if (p.current) {
      var now = p.current.claim.display + " (" + p.current.standing + ")";
      var also = p.beside.map(function (b) { return b.claim.display + " " + b.standing; });
      lines.push((state.day ? "On " + state.day + ": " : "Now: ") + now +
                 (also.length ? "; beside it " + also.join(", ") : ""));
    } else if (p.past) {
      lines.push("On " + state.day + ": no claim holds; it was " + p.past.display);
    }
    if (p.past && p.current) { lines.push("Before: " + p.past.display); }
    lines.push("", edge.claims.length > 1 ? "History, latest published first:" : "Claim:");
    edge.claims.forEach(function (c) {
      var mark = p.current && c === p.current.claim ? "\u25b6 " :
        p.beside.some(function (b) { return b.claim === c; }) ? "+ " : "\u00b7 ";
      lines.push(mark + c.text);
    });
    return lines.join("\n");
  }

  function lineLabel(edge, p) {
    if (!edge.labelled) { return undefined; }
    if (p.current) {
      var label = p.current.claim.display;
      var beside = p.beside.filter(function (b) {  // agreeing claims stay in the tooltip
        return b.standing !== p.current.standing && b.claim.display !== p.current.claim.display;
      });
      var words = [];  // two sources giving the same plan say it once
      beside.forEach(function (b) {
        var said = b.claim.display + " " + b.standing;
        if (words.indexOf(said) < 0) { words.push(said); }
      });
      if (words.length) { label += " (" + words.join(", ") + ")"; }
      return label;
    }
    return undefined;
  }

  // -- folding: people, markets and unnamed sources inside their entity ------------------
  function foldedAway(n) {
    return n.fold !== undefined && !state.unfoldAll && !state.expanded[n.fold];
  }

  // -- one pass: what is shown, and how -------------------------------------------------
  function apply() {
    var edgeUpdates = [];
    var nodeHasLine = {};
    var picks = {};
    data.edges.forEach(function (e) {
      var p = pick(e);
      picks[e.id] = p;
      var visible = (p.current || (state.history && p.past)) && !foldedAway(byId[e.from]) &&
        !foldedAway(byId[e.to]) && state.kinds[byId[e.from].kind] !== false &&
        state.kinds[byId[e.to].kind] !== false;
      if (visible) { nodeHasLine[e.from] = nodeHasLine[e.to] = true; }
    });
    data.edges.forEach(function (e) {
      var p = picks[e.id];
      var ends = nodeHasLine[e.from] && nodeHasLine[e.to] && !foldedAway(byId[e.from]) &&
        !foldedAway(byId[e.to]) && state.kinds[byId[e.from].kind] !== false &&
        state.kinds[byId[e.to].kind] !== false;
      var visible = ends && p.current;
      var claim = p.current ? p.current.claim : null;
      var dim = state.focus && !(state.focus[e.from] || state.focus[e.to]);
      var update = {
        id: e.id,
        hidden: !visible,
        label: visible ? lineLabel(e, p) : undefined,
        dashes: claim ? claim.dashes : false,
        width: claim ? claim.width : 1,
        status: claim ? claim.status : "",
        claim: claim ? claim.claim : "",
        title: undefined  // written when the pointer reaches the line (see hoverEdge)
      };
      if (dim || e.dimmed) {  // only lines whose look changes carry colour and font again
        update.color = {color: e.colour, highlight: e.colour, hover: e.colour,
                        opacity: dim ? 0.12 : 1};
        update.font = {color: dim ? "#bdbdbd" : (e.font ? e.font.color : "#343434"),
                       size: 11, strokeWidth: 3, align: "horizontal"};
        e.dimmed = !!dim;
      }
      edgeUpdates.push(update);
      // its twin: the claim that held before, faded, while the history switch is on
      if (!timeline) { return; }
      var was = ends && state.history && p.past;
      edgeUpdates.push({
        id: e.id + ":was",
        hidden: !was,
        label: was && e.labelled ? "was " + p.past.display : undefined,
        dashes: [3, 4],
        width: was ? Math.max(1, p.past.width * 0.6) : 1,
        status: was ? p.past.status : "",
        claim: was ? p.past.claim : "",
        color: {color: e.colour, highlight: e.colour, hover: e.colour, opacity: 0.3},
        font: {color: "#9e9e9e", size: 10, strokeWidth: 3, align: "horizontal"},
        title: undefined
      });
    });
    var nodeUpdates = data.nodes.map(function (n) {
      var hidden = state.kinds[n.kind] === false || foldedAway(n) ||
        (timeline !== null && !nodeHasLine[n.id] && !n.alwaysShown);
      var label = n.label;
      if (n.folded && !state.unfoldAll && !state.expanded[n.id]) {
        label += " (+" + n.folded + ")";
      }
      var dim = state.focus && !state.focus[n.id];
      n.hidden = hidden;
      var update = {id: n.id, hidden: hidden, label: label};
      if (dim || n.dimmed) {
        update.opacity = dim ? 0.2 : 1;
        update.font = {color: dim ? "#bdbdbd" : "#343434"};
        n.dimmed = !!dim;
      }
      return update;
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    document.body.setAttribute("data-akg-day", state.day || "");
  }

  // -- the network ----------------------------------------------------------------------
  var linked = {};
  data.edges.forEach(function (e) { linked[e.from] = linked[e.to] = true; });
  data.nodes.forEach(function (n) {
    n.alwaysShown = !linked[n.id];  // an entity without lines is shown on every date
  });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = Object.assign({}, n);
    delete item.alwaysShown;
    delete item.text;
    return item;
  }));
  var edges = new vis.DataSet(data.edges.flatMap(function (e) {
    var line = {id: e.id, from: e.from, to: e.to, relation: e.relation, arrows: e.arrows,
                color: e.color, claims: e.claims.map(function (c) { return c.key; })};
    if (e.smooth) { line.smooth = e.smooth; }
    if (e.font) { line.font = e.font; }
    if (!timeline) { return [line]; }  // no dates, no history to show
    var roundness = e.smooth ? e.smooth.roundness + 0.25 : 0.3;
    var was = {id: e.id + ":was", from: e.from, to: e.to, relation: e.relation, history: true,
               arrows: e.arrows, hidden: true, claims: [],
               smooth: {enabled: true, type: "curvedCCW", roundness: roundness}};
    return [line, was];
  }));
  if (timeline) { state.day = timeline.start; }
  apply();  // the opening state, before the network first reads the data
  var container = document.getElementById("akg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.network = network;
  window.akgReady = false;

  function ready() {
    if (window.akgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false, maxZoomLevel: 1.5});
    // room for the labels at the edges, which fit() does not count
    network.moveTo({scale: network.getScale() * 0.94, animation: false});
    window.akgReady = true;
    document.body.setAttribute("data-akg-ready", "1");
  }
  // Tooltips are written when the pointer reaches an item (the popup shows after a delay),
  // so a large view builds none up front; their text is DOM text, never markup.
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  network.on("hoverEdge", function (params) {
    var e = edgeById[String(params.edge).split(":")[0]];
    if (e) { edges.update({id: params.edge, title: tip(edgeText(e, pick(e)))}); }
  });
  network.on("hoverNode", function (params) {
    var n = byId[params.node];
    if (n && !nodes.get(n.id).title) { nodes.update({id: n.id, title: tip(n.text)}); }
  });

  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", ready);
  } else {
    network.once("afterDrawing", ready);
  }

  // -- the date slider and the history switch -------------------------------------------
  var DAY = 86400000;
  function toDays(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function toIso(days) { return new Date(days * DAY).toISOString().slice(0, 10); }
  function setDay(iso) {
    if (!timeline || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) { return; }
    if (iso < timeline.first) { iso = timeline.first; }
    if (iso > timeline.last) { iso = timeline.last; }
    state.day = iso;
    document.getElementById("akg-slider").value = String(toDays(iso) - toDays(timeline.first));
    document.getElementById("akg-date").value = iso;
    apply();
  }
  window.akgSetDate = setDay;
  if (timeline) {
    var slider = document.getElementById("akg-slider");
    slider.min = "0";
    slider.max = String(toDays(timeline.last) - toDays(timeline.first));
    slider.step = "1";
    var ticks = document.getElementById("akg-changes");
    timeline.changes.forEach(function (d) {
      var opt = document.createElement("option");
      opt.value = String(toDays(d) - toDays(timeline.first));
      ticks.appendChild(opt);
    });
    slider.addEventListener("input", function () {
      setDay(toIso(toDays(timeline.first) + Number(slider.value)));
    });
    document.getElementById("akg-date").addEventListener("change", function (ev) {
      setDay(ev.target.value);
    });
    document.getElementById("akg-prev").addEventListener("click", function () {
      var earlier = timeline.changes.filter(function (d) { return d < state.day; });
      if (earlier.length) { setDay(earlier[earlier.length - 1]); }
    });
    document.getElementById("akg-next").addEventListener("click", function () {
      var later = timeline.changes.filter(function (d) { return d > state.day; });
      if (later.length) { setDay(later[0]); }
    });
    document.getElementById("akg-history").addEventListener("change", function (ev) {
      state.history = ev.target.checked;
      apply();
    });
    document.getElementById("akg-slider").value =
      String(toDays(timeline.start) - toDays(timeline.first));
  }
  var unfold = document.getElementById("akg-unfold");
  if (unfold) {
    unfold.addEventListener("change", function () {
      state.unfoldAll = unfold.checked;
      apply();
    });
  }

  // -- fuzzy search: the best matches focused, the rest dimmed --------------------------
  function norm(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function distance(a, b) {  // optimal string alignment (transpositions count one)
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d.push([i]); }
    for (j = 1; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }
  function score(n, q) {
    var best = Infinity;
    var tolerance = q.length <= 3 ? 0 : q.length <= 6 ? 1 : 2;
    [n.label].concat(n.aliases || []).forEach(function (name) {
      var t = norm(name);
      if (!t) { return; }
      if (t === q) { best = Math.min(best, 0); return; }
      if (t.indexOf(q) === 0) { best = Math.min(best, 1); return; }
      if (t.indexOf(q) >= 0) { best = Math.min(best, 2); return; }
      var whole = distance(q, t);  // the whole name misspelt ranks above one of its words
      if (whole <= tolerance) { best = Math.min(best, 3 + whole); return; }
      t.split(" ").forEach(function (w) {
        var d = Math.min(distance(q, w),
          q.length < w.length ? distance(q, w.slice(0, q.length)) + 1 : Infinity);
        if (d <= tolerance) { best = Math.min(best, 6 + d); }
      });
    });
    return best;
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
  function focus(query) {
    var q = norm(query);
    var scored = q ? data.nodes.map(function (n) { return [score(n, q), n]; })
      .filter(function (s) { return s[0] < Infinity; }) : [];
    var bestScore = Math.min.apply(null, scored.map(function (s) { return s[0]; }));
    var exact = scored.filter(function (s) { return s[0] < 3; });
    var found = (exact.length ? exact : scored.filter(function (s) { return s[0] === bestScore; }))
      .map(function (s) { return s[1]; });
    state.focus = null;
    if (!found.length) {
      apply();
      network.unselectAll();
      result.textContent = q ? "no entity like \u201c" + query + "\u201d" : "";
      return;
    }
    found.forEach(function (n) {
      if (n.fold !== undefined) { state.expanded[n.fold] = true; }
      state.kinds[n.kind] = true;
      var box = document.querySelector("input.akg-kind[value='" + CSS.escape(n.kind) + "']");
      if (box) { box.checked = true; }
    });
    var ids = found.map(function (n) { return n.id; });
    state.focus = {};
    ids.forEach(function (id) { state.focus[id] = true; });
    apply();
    ids = ids.filter(function (id) { return !byId[id].hidden; });
    network.selectNodes(ids);
    if (ids.length) { network.fit({nodes: ids.concat(neighbours(ids)), animation: false, maxZoomLevel: 1.5}); }
    var names = found.slice(0, 3).map(function (n) { return n.label; }).join(", ");
    result.textContent = found.length + (found.length === 1 ? " match: " : " matches: ") + names +
      (found.length > 3 ? ", \u2026" : "");
  }
  function neighbours(ids) {
    var out = [];
    ids.forEach(function (id) {
      network.getConnectedNodes(id).forEach(function (other) {
        if (!byId[other].hidden) { out.push(other); }
      });
    });
    return out;
  }
  document.getElementById("akg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    focus(document.getElementById("akg-search").value);
  });
  document.getElementById("akg-reset").addEventListener("click", function () {
    document.getElementById("akg-search").value = "";
    result.textContent = "";
    state.focus = null;
    apply();
    network.unselectAll();
    network.fit({animation: false, maxZoomLevel: 1.5});
  });

  // -- details of a click: the claims with their sources (linked when served) -----------
  var details = document.getElementById("akg-details");
  var body = document.getElementById("akg-details-body");
  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text) { el.textContent = text; }
    if (cls) { el.className = cls; }
    parent.appendChild(el);
    return el;
  }
  function sourceLink(parent, c) {
    if (!c.source) { return; }
    var s = c.source;
    var words = s.title ? s.publisher + ", \u201c" + s.title + "\u201d" +
      (s.date ? ", " + s.date : "") : "doc:" + s.id;
    if (served && s.id) {
      var spans = c.evidence.filter(function (e) { return e[0] === s.id; })
        .map(function (e) { return e[1] + "-" + e[2]; }).join(",");
      var a = add(parent, "a", words);
      a.href = "/documents/" + encodeURIComponent(s.id) + (spans ? "?spans=" + spans : "");
      a.className = "akg-source";
    } else {
      add(parent, "span", words, "akg-source");
    }
  }
  function showEdge(id) {
    var e = edgeById[id.split(":")[0]];
    var p = pick(e);
    body.textContent = "";
    add(body, "strong", e.heading);
    e.claims.forEach(function (c) {
      var now = p.current && p.current.claim === c;
      var div = add(body, "div", "", "akg-claim" + (now ? " akg-now" : "") +
        (!now && !p.beside.some(function (b) { return b.claim === c; }) ? " akg-past" : ""));
      add(div, "div", c.text.split("\n  source:")[0]);
      sourceLink(div, c);
    });
    details.hidden = false;
  }
  function showNode(id) {
    var n = byId[id];
    body.textContent = "";
    add(body, "strong", n.label);
    add(body, "div", n.text.split("\n").slice(1).join("\n"));
    details.hidden = false;
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (byId[id].folded && !state.unfoldAll) {
        state.expanded[id] = !state.expanded[id];
        apply();
      }
      showNode(id);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    } else {
      details.hidden = true;
    }
  });

  // -- the legend's boxes: kinds and statuses -------------------------------------------
  document.querySelectorAll("input.akg-kind").forEach(function (b) {
    b.addEventListener("change", function () { state.kinds[b.value] = b.checked; apply(); });
  });
  document.querySelectorAll("input.akg-status").forEach(function (b) {
    b.addEventListener("change", function () { state.statuses[b.value] = b.checked; apply(); });
  });
})();
