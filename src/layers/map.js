// incimap offline map: draws the inline layers as SVG in a plain equirectangular view (x scaled by the
// cosine of the centre latitude), with pan, zoom, a legend and popups. No network, no libraries.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("incimap-data").textContent);
  var root = document.getElementById("map");
  var DEG = 100; // SVG units per degree of latitude

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // Extent: border, bands and incidents; Ukraine when there is nothing else.
  var ext = [Infinity, Infinity, -Infinity, -Infinity];
  function grow(c) {
    if (typeof c[0] === "number") {
      if (c[0] < ext[0]) ext[0] = c[0];
      if (c[1] < ext[1]) ext[1] = c[1];
      if (c[0] > ext[2]) ext[2] = c[0];
      if (c[1] > ext[3]) ext[3] = c[1];
    } else for (var i = 0; i < c.length; i++) grow(c[i]);
  }
  if (data.border) grow(data.border.geometry.coordinates);
  data.bands.forEach(function (b) { grow(b.geometry.coordinates); });
  data.incidents.features.forEach(function (f) { grow(f.geometry.coordinates); });
  if (!isFinite(ext[0])) grow(data.ukraine.geometry.coordinates);
  if (!isFinite(ext[0])) ext = [22, 44, 41, 53];
  var lat0 = (ext[1] + ext[3]) / 2, lon0 = (ext[0] + ext[2]) / 2;
  var kx = Math.cos(lat0 * Math.PI / 180);
  function px(c) { return [((c[0] - lon0) * kx * DEG), (-(c[1] - lat0) * DEG)]; }
  function fmt(v) { return Math.round(v * 100) / 100; }
  function ringPath(ring) {
    var s = "";
    for (var i = 0; i < ring.length; i++) { var p = px(ring[i]); s += (i ? "L" : "M") + fmt(p[0]) + " " + fmt(p[1]); }
    return s;
  }
  function geomPath(g) {
    var c = g.coordinates, s = "";
    switch (g.type) {
      case "LineString": return ringPath(c);
      case "MultiLineString": c.forEach(function (l) { s += ringPath(l); }); return s;
      case "Polygon": c.forEach(function (r) { s += ringPath(r) + "Z"; }); return s;
      case "MultiPolygon": c.forEach(function (p) { p.forEach(function (r) { s += ringPath(r) + "Z"; }); }); return s;
    }
    return s;
  }

  var svg = el("svg", { id: "map-svg", role: "img", "aria-label": "Map of incidents near the Russia–Ukraine border" }, root);
  var view = el("g", { id: "view" }, svg);
  var layers = {};
  ["ukraine", "bands", "border", "leaders", "incidents"].forEach(function (name) {
    layers[name] = el("g", { id: name }, view);
  });

  el("path", { id: "ukraine-area", d: geomPath(data.ukraine.geometry), fill: data.colors.ukraine_fill,
    stroke: data.colors.ukraine_outline, "fill-opacity": 0.6 }, layers.ukraine);
  data.bands.forEach(function (b, i) {
    var p = el("path", { "class": "band", d: geomPath(b.geometry), fill: data.colors.band, "fill-opacity": b.alpha,
      stroke: data.colors.band, "stroke-opacity": 0.6 }, layers.bands);
    el("title", {}, p).textContent = "band " + b.label;
  });
  if (data.border) {
    el("path", { id: "border-line", d: geomPath(data.border.geometry), stroke: data.colors.border }, layers.border);
  }
  data.leaders.features.forEach(function (f) {
    el("path", { "class": "leader", d: geomPath(f.geometry), stroke: data.colors.leader }, layers.leaders);
  });

  function classOf(km) {
    if (typeof km !== "number") return null;
    for (var i = 0; i < data.classes.length; i++) {
      var c = data.classes[i];
      if (km >= c.lower && km < c.upper) return c;
    }
    return null;
  }
  var circles = [];
  data.incidents.features.forEach(function (f, i) {
    var p = px(f.geometry.coordinates), c = classOf(f.properties.border_km);
    var circle = el("circle", { "class": "incident", cx: fmt(p[0]), cy: fmt(p[1]), fill: c ? c.color : "#999",
      "data-index": i, "data-event": f.properties.event_type || "not given" }, layers.incidents);
    circles.push(circle);
  });
  svg.setAttribute("data-incidents-drawn", String(circles.length));
  svg.setAttribute("data-incidents-total", String(data.incidents_total));

  // View state: screen = (svg units) * k + (tx, ty).
  var k = 1, tx = 0, ty = 0;
  function apply() {
    view.setAttribute("transform", "translate(" + tx + " " + ty + ") scale(" + k + ")");
    layers.incidents.style.setProperty("--r", (4.5 / k) + "px");
    updateScale();
  }
  function fit() {
    var w = root.clientWidth || 1024, h = root.clientHeight || 768;
    var a = px([ext[0], ext[3]]), b = px([ext[2], ext[1]]);
    var dw = Math.max(b[0] - a[0], 1e-6), dh = Math.max(b[1] - a[1], 1e-6);
    k = 0.9 * Math.min(w / dw, h / dh);
    tx = w / 2 - k * (a[0] + b[0]) / 2;
    ty = h / 2 - k * (a[1] + b[1]) / 2;
    apply();
  }
  function zoomAt(f, sx, sy) {
    var nk = Math.min(Math.max(k * f, 0.05), 1e5);
    tx = sx - (sx - tx) * nk / k;
    ty = sy - (sy - ty) * nk / k;
    k = nk;
    apply();
  }
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(Math.pow(1.0015, -e.deltaY), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, tx: tx, ty: ty, moved: false };
    root.classList.add("dragging");
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    tx = drag.tx + dx; ty = drag.ty + dy; apply();
  });
  window.addEventListener("pointerup", function (e) {
    var d = drag; drag = null; root.classList.remove("dragging");
    if (d && !d.moved && e.target.classList && e.target.classList.contains("incident")) {
      show(+e.target.getAttribute("data-index"), e.clientX, e.clientY);
    }
  });
  window.addEventListener("resize", fit);
  window.addEventListener("keydown", function (e) {
    var w = root.clientWidth / 2, h = root.clientHeight / 2;
    if (e.key === "+" || e.key === "=") zoomAt(1.5, w, h);
    else if (e.key === "-") zoomAt(1 / 1.5, w, h);
    else if (e.key === "Escape") hide();
  });

  // Controls.
  var controls = html("div", { id: "controls", "class": "panel" }, root);
  [["+", "Zoom in", function () { zoomAt(1.5, root.clientWidth / 2, root.clientHeight / 2); }],
   ["−", "Zoom out", function () { zoomAt(1 / 1.5, root.clientWidth / 2, root.clientHeight / 2); }],
   ["⌂", "Fit all", fit]].forEach(function (b) {
    var btn = html("button", { type: "button", title: b[1], "aria-label": b[1] }, controls, b[0]);
    btn.addEventListener("click", b[2]);
  });

  // Popup.
  var popup = html("div", { id: "popup", "class": "panel" }, root);
  var selected = null;
  function hide() {
    popup.style.display = "none";
    if (selected) selected.classList.remove("selected");
    selected = null;
  }
  function show(i, x, y) {
    hide();
    var f = data.incidents.features[i];
    selected = circles[i]; selected.classList.add("selected");
    popup.textContent = "";
    var close = html("button", { "class": "close", type: "button", "aria-label": "Close" }, popup, "×");
    close.addEventListener("click", hide);
    var t = html("table", {}, popup);
    var props = f.properties;
    for (var key in props) {
      var v = props[key];
      if (v === null || v === "") continue;
      var tr = html("tr", {}, t);
      html("td", {}, tr, key);
      html("td", {}, tr, typeof v === "object" ? JSON.stringify(v) : String(v));
    }
    var r = root.getBoundingClientRect();
    popup.style.display = "block";
    popup.style.left = Math.min(x - r.left + 12, r.width - popup.offsetWidth - 10) + "px";
    popup.style.top = Math.min(y - r.top + 12, r.height - popup.offsetHeight - 10) + "px";
  }
  window.incimapShow = show;

  // Legend with layer toggles.
  var legend = html("div", { id: "legend", "class": "panel" }, root);
  html("h1", {}, legend, "Incidents near the Russia–Ukraine border");
  function toggle(name, label, swatch) {
    var lab = html("label", {}, legend);
    var cb = html("input", { type: "checkbox", checked: "checked", "data-layer": name }, lab);
    cb.addEventListener("change", function () { layers[name].style.display = cb.checked ? "" : "none"; });
    if (swatch) lab.appendChild(swatch);
    lab.appendChild(document.createTextNode(" " + label));
  }
  function sw(cls, style) { var s = html("span", { "class": "sw " + cls }); s.setAttribute("style", style); return s; }
  html("h2", {}, legend, "Layers");
  var shown = data.incidents_shown, total = data.incidents_total;
  toggle("incidents", "Incidents (" + total + ")", sw("dot", "background:#fff"));
  toggle("leaders", "Line to nearest border point", sw("line", "border-top:2px dashed " + data.colors.leader));
  toggle("border", "Russia–Ukraine land border", sw("line", "border-top-color:" + data.colors.border));
  toggle("bands", "Distance bands (outside Ukraine)", sw("", "background:" + data.colors.band + ";opacity:.5"));
  toggle("ukraine", "Ukraine (Crimea included)", sw("", "background:" + data.colors.ukraine_fill));
  html("h2", {}, legend, "Distance to the border");
  data.classes.forEach(function (c) {
    var lab = html("label", {}, legend);
    lab.appendChild(sw("dot", "background:" + c.color));
    lab.appendChild(document.createTextNode(c.label));
  });
  // Event types, each shown or hidden on its own.
  var eventCounts = {};
  data.incidents.features.forEach(function (f) {
    var t = f.properties.event_type || "not given";
    eventCounts[t] = (eventCounts[t] || 0) + 1;
  });
  var eventOrder = ["air_strike", "shelling", "crash", "interception", "ground_fighting", "movement", "damage",
    "other", "not given"];
  if (Object.keys(eventCounts).length) html("h2", {}, legend, "Event types");
  eventOrder.forEach(function (t) {
    if (!eventCounts[t]) return;
    var lab = html("label", {}, legend);
    var cb = html("input", { type: "checkbox", checked: "checked", "data-event-type": t }, lab);
    cb.addEventListener("change", function () {
      circles.forEach(function (c) {
        if (c.getAttribute("data-event") === t) c.style.display = cb.checked ? "" : "none";
      });
    });
    lab.appendChild(document.createTextNode(" " + t.replace("_", " ") + " (" + eventCounts[t] + ")"));
  });
  if (data.bands.length) {
    html("h2", {}, legend, "Bands");
    data.bands.forEach(function (b) {
      var lab = html("label", {}, legend);
      lab.appendChild(sw("", "background:" + data.colors.band + ";opacity:" + b.alpha));
      lab.appendChild(document.createTextNode(b.label));
    });
  }
  if (shown < total) {
    html("div", { "class": "note" }, legend,
      "Showing the first " + shown + " of " + total + " incidents; the GeoJSON layers hold all of them.");
  }
  html("div", { "class": "note" }, legend, "Drag to pan, wheel or +/− to zoom, click an incident for details.");

  // Scale bar: km per pixel at the centre latitude.
  var scale = html("div", { id: "scale", "class": "panel" }, root);
  var bar = html("div", { "class": "bar" }, scale);
  var scaleText = html("div", {}, scale);
  function updateScale() {
    var kmPerPx = 111.32 / (DEG * k);
    var target = kmPerPx * 120, nice = Math.pow(10, Math.floor(Math.log10(target)));
    [5, 2, 1].some(function (m) { if (m * nice <= target) { nice *= m; return true; } return false; });
    bar.style.width = Math.round(nice / kmPerPx) + "px";
    scaleText.textContent = (nice >= 1 ? nice : nice.toFixed(2)) + " km";
  }
  html("div", { id: "attribution", "class": "panel" }, root,
    "Boundaries © OpenStreetMap contributors (ODbL) · places © GeoNames (CC BY 4.0) · incimap");

  fit();
})();
