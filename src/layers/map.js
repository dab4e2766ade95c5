// incimap offline map. The inline layers are drawn on a canvas in a plain equirectangular view (x scaled by
// the cosine of the centre latitude): country outlines, bands and the border as cached Path2D shapes,
// incidents and leaders point by point in screen space (smooth at 20,000 incidents). Place labels are SVG
// text over the canvas. Filters (date range, weapon, event type, side of the border) redraw the map and
// update the legend's counts; their state is kept in the URL's #fragment, so a filtered view can be
// bookmarked or shared (`index.html#weapon=drone&from=2024-05-01`). No network, no libraries.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("incimap-data").textContent);
  var root = document.getElementById("map");
  var DEG = 100; // projected units per degree of latitude
  var RADIUS = 4.5; // incident dot radius, px
  var HIT_PX = 8; // a click this close to a dot selects it
  var DAY_MS = 86400000;

  function html(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function svgEl(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // ---- Projection and extent (border, bands and incidents; Ukraine when there is nothing else) ----
  var ext = [Infinity, Infinity, -Infinity, -Infinity];
  function grow(c) {
    if (typeof c[0] === "number") {
      if (c[0] < ext[0]) ext[0] = c[0];
      if (c[1] < ext[1]) ext[1] = c[1];
      if (c[0] > ext[2]) ext[2] = c[0];
      if (c[1] > ext[3]) ext[3] = c[1];
    } else for (var i = 0; i < c.length; i++) grow(c[i]);
  }
  var features = data.incidents.features;
  if (data.border) grow(data.border.geometry.coordinates);
  data.bands.forEach(function (b) { grow(b.geometry.coordinates); });
  features.forEach(function (f) { grow(f.geometry.coordinates); });
  if (!isFinite(ext[0]) && data.ukraine) grow(data.ukraine.geometry.coordinates);
  if (!isFinite(ext[0])) ext = [22, 44, 41, 53];
  var lat0 = (ext[1] + ext[3]) / 2, lon0 = (ext[0] + ext[2]) / 2;
  var kx = Math.cos(lat0 * Math.PI / 180);
  function projX(lon) { return (lon - lon0) * kx * DEG; }
  function projY(lat) { return -(lat - lat0) * DEG; }

  function addRing(path, ring, close) {
    for (var i = 0; i < ring.length; i++) {
      var x = projX(ring[i][0]), y = projY(ring[i][1]);
      if (i) path.lineTo(x, y); else path.moveTo(x, y);
    }
    if (close) path.closePath();
  }
  function shape(g) {
    var p = new Path2D(), c = g.coordinates;
    switch (g.type) {
      case "LineString": addRing(p, c, false); break;
      case "MultiLineString": c.forEach(function (l) { addRing(p, l, false); }); break;
      case "Polygon": c.forEach(function (r) { addRing(p, r, true); }); break;
      case "MultiPolygon": c.forEach(function (q) { q.forEach(function (r) { addRing(p, r, true); }); }); break;
    }
    return p;
  }
  var context = [data.russia, data.belarus].filter(Boolean).map(function (f) { return shape(f.geometry); });
  var ukraine = data.ukraine ? shape(data.ukraine.geometry) : null;
  var bands = data.bands.map(function (b) { return { path: shape(b.geometry), alpha: b.alpha, label: b.label }; });
  var border = data.border ? shape(data.border.geometry) : null;

  // ---- Incidents as flat arrays ----
  var n = features.length;
  var X = new Float64Array(n), Y = new Float64Array(n), cls = new Int16Array(n);
  var dayLo = new Float64Array(n), dayHi = new Float64Array(n);
  function classOf(km) {
    if (typeof km !== "number") return -1;
    for (var i = 0; i < data.classes.length; i++) {
      var c = data.classes[i];
      if (km >= c.lower && km < c.upper) return i;
    }
    return -1;
  }
  // `YYYY`, `YYYY-MM` or `YYYY-MM-DD` → [first day, last day] (days since 1970); null otherwise.
  function dayRange(s) {
    var m = typeof s === "string" && /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
    if (!m) return null;
    var y = +m[1];
    if (m[3]) { var d = Date.UTC(y, +m[2] - 1, +m[3]) / DAY_MS; return [d, d]; }
    if (m[2]) return [Date.UTC(y, +m[2] - 1, 1) / DAY_MS, Date.UTC(y, +m[2], 1) / DAY_MS - 1];
    return [Date.UTC(y, 0, 1) / DAY_MS, Date.UTC(y + 1, 0, 1) / DAY_MS - 1];
  }
  function isoDay(d) { return new Date(d * DAY_MS).toISOString().slice(0, 10); }
  var NONE = "not given";
  var COUNTRY_NAMES = { RU: "Russia", UA: "Ukraine", BY: "Belarus" };
  var EVENT_ORDER = ["air_strike", "shelling", "crash", "interception", "ground_fighting", "movement", "damage",
    "other"];
  // Facets: a value per incident, the values in legend order, which are on.
  var facets = {
    weapon: { title: "Weapon", key: function (p) { return p.weapon || NONE; } },
    event: { title: "Event type", key: function (p) { return p.event_type || NONE; } },
    country: { title: "Side of the border", key: function (p) { return p.country || NONE; } }
  };
  var facetNames = ["weapon", "event", "country"];
  facetNames.forEach(function (name) {
    var f = facets[name], index = {}, totals = {};
    f.of = new Int32Array(n);
    f.values = [];
    features.forEach(function (feat, i) {
      var v = f.key(feat.properties);
      if (!(v in index)) { index[v] = f.values.length; f.values.push(v); }
      f.of[i] = index[v];
      totals[v] = (totals[v] || 0) + 1;
    });
    var rank = function (v) {
      if (v === NONE) return 1e9;
      if (name === "event") { var r = EVENT_ORDER.indexOf(v); return r < 0 ? 100 : r; }
      if (name === "country") { var c = ["RU", "UA", "BY"].indexOf(v); return c < 0 ? 100 : c; }
      return -totals[v];
    };
    f.order = f.values.map(function (v, i) { return i; }).sort(function (a, b) {
      return rank(f.values[a]) - rank(f.values[b]) || (f.values[a] < f.values[b] ? -1 : 1);
    });
    f.on = f.values.map(function () { return true; });
    f.counts = new Int32Array(f.values.length);
  });
  var minDay = Infinity, maxDay = -Infinity, undatedTotal = 0;
  features.forEach(function (f, i) {
    var c = f.geometry.coordinates;
    X[i] = projX(c[0]); Y[i] = projY(c[1]);
    cls[i] = classOf(f.properties.border_km);
    var r = dayRange(f.properties.date);
    if (r) {
      dayLo[i] = r[0]; dayHi[i] = r[1];
      if (r[0] < minDay) minDay = r[0];
      if (r[1] > maxDay) maxDay = r[1];
    } else { dayLo[i] = NaN; dayHi[i] = NaN; undatedTotal++; }
  });
  var dated = isFinite(minDay);
  var dateFilter = { from: dated ? minDay : 0, to: dated ? maxDay : 0, undated: true };

  // Leaders: projected vertices per incident (matched by feature id).
  var byId = {};
  features.forEach(function (f, i) { byId[f.id] = i; });
  var leaderOf = new Array(n);
  data.leaders.features.forEach(function (f) {
    var i = byId[f.id];
    if (i === undefined) return;
    var c = f.geometry.coordinates, a = new Float64Array(c.length * 2);
    for (var j = 0; j < c.length; j++) { a[2 * j] = projX(c[j][0]); a[2 * j + 1] = projY(c[j][1]); }
    leaderOf[i] = a;
  });

  // ---- Filtering: which incidents are shown, and the legend's counts ----
  var visible = new Int32Array(n), visibleCount = 0;
  var classCounts = new Int32Array(data.classes.length), inRange = 0, undatedShown = 0;
  function passDate(i) {
    if (dayLo[i] !== dayLo[i]) return dateFilter.undated; // NaN: undated
    return dayHi[i] >= dateFilter.from && dayLo[i] <= dateFilter.to;
  }
  // Each facet's count of a value is of the incidents the other filters keep (what ticking it would show).
  function refilter() {
    facetNames.forEach(function (name) { facets[name].counts.fill(0); });
    classCounts.fill(0);
    visibleCount = 0; inRange = 0; undatedShown = 0;
    var fw = facets.weapon, fe = facets.event, fc = facets.country;
    for (var i = 0; i < n; i++) {
      var w = fw.of[i], e = fe.of[i], c = fc.of[i];
      var pd = passDate(i), pw = fw.on[w], pe = fe.on[e], pc = fc.on[c];
      if (pd && pe && pc) fw.counts[w]++;
      if (pd && pw && pc) fe.counts[e]++;
      if (pd && pw && pe) fc.counts[c]++;
      if (pw && pe && pc) {
        if (dayLo[i] !== dayLo[i]) undatedShown++;
        else if (pd) inRange++;
      }
      if (pd && pw && pe && pc) {
        visible[visibleCount++] = i;
        if (cls[i] >= 0) classCounts[cls[i]]++;
      }
    }
    root.setAttribute("data-incidents-shown", String(visibleCount));
    if (selected >= 0 && !isShown(selected)) hidePopup();
    updateLegend();
    writeHash();
    requestDraw();
  }
  function isShown(i) {
    return passDate(i) && facets.weapon.on[facets.weapon.of[i]] && facets.event.on[facets.event.of[i]] &&
      facets.country.on[facets.country.of[i]];
  }

  // ---- Drawing ----
  var canvas = html("canvas", { id: "map-canvas", role: "img",
    "aria-label": "Map of incidents near the Russia–Ukraine border" }, root);
  var ctx = canvas.getContext("2d");
  var labelSvg = svgEl("svg", { id: "labels", "aria-hidden": "true" }, root);
  // Above this many embedded incidents the leaders start hidden (a tangle of thousands of lines that doubles
  // a frame's cost); the legend turns them on.
  var LEADERS_SHOWN_MAX = 5000;
  var layerOn = { context: true, labels: true, ukraine: true, bands: true, border: true,
    leaders: n <= LEADERS_SHOWN_MAX, incidents: true };
  var k = 1, tx = 0, ty = 0, dpr = 1, width = 0, height = 0, pending = false, selected = -1;
  function resize() {
    dpr = window.devicePixelRatio || 1;
    width = root.clientWidth || 1024; height = root.clientHeight || 768;
    canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
  }
  function requestDraw() {
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }
  function drawWorld() {
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
    ctx.lineJoin = "round";
    if (layerOn.context && context.length) {
      ctx.fillStyle = data.colors.context_fill;
      ctx.strokeStyle = data.colors.context_outline;
      ctx.lineWidth = 1 / k;
      context.forEach(function (p) { ctx.fill(p, "evenodd"); ctx.stroke(p); });
    }
    if (layerOn.ukraine && ukraine) {
      ctx.globalAlpha = 0.85;
      ctx.fillStyle = data.colors.ukraine_fill;
      ctx.fill(ukraine, "evenodd");
      ctx.globalAlpha = 1;
      ctx.strokeStyle = data.colors.ukraine_outline;
      ctx.lineWidth = 1 / k;
      ctx.stroke(ukraine);
    }
    if (layerOn.bands) {
      ctx.fillStyle = data.colors.band;
      bands.forEach(function (b) { ctx.globalAlpha = b.alpha; ctx.fill(b.path, "evenodd"); });
      ctx.globalAlpha = 0.6;
      ctx.strokeStyle = data.colors.band;
      ctx.lineWidth = 0.5 / k;
      bands.forEach(function (b) { ctx.stroke(b.path); });
      ctx.globalAlpha = 1;
    }
    if (layerOn.border && border) {
      ctx.strokeStyle = data.colors.border;
      ctx.lineWidth = 3 / k;
      ctx.lineCap = "round";
      ctx.stroke(border);
    }
  }
  // ---- Incidents and leaders: rasterised here into one pixel buffer per frame, shown on a canvas of their
  // own. Stamping pre-drawn dots and stepping along lines pixel by pixel costs a few milliseconds for 20,000
  // incidents, where the canvas' own anti-aliased paths and image copies cost 50–120 ms a frame when the
  // browser draws in software (headless, no GPU). ----
  var points = html("canvas", { id: "points-canvas", "aria-hidden": "true" }, root);
  var pctx = points.getContext("2d");
  var image = null, px32 = null, px8 = null, stamps = [], stampDpr = 0, stampSize = 0;
  var DASH_ON = 4, DASH_PERIOD = 7; // leaders: 4 px drawn, 3 px gap
  var leaderPixel = (function (h) { // opaque, RGBA in little-endian byte order
    var v = parseInt(h.slice(1), 16);
    return ((255 << 24) | ((v & 255) << 16) | (v & 0xff00) | (v >> 16 & 255)) >>> 0;
  })(data.colors.leader);
  // One dot per distance class (index 0: no class), drawn once by the canvas, kept as pixel offsets and
  // colours (opaque pixels written whole, edge pixels blended). A 32-bit pixel is read and written in the
  // byte order RGBA of a little-endian machine (every browser's platform).
  function makeStamps() {
    stampDpr = dpr;
    stampSize = Math.ceil((2 * RADIUS + 2) * dpr);
    var s = document.createElement("canvas");
    s.width = s.height = stampSize;
    var g = s.getContext("2d");
    stamps = [-1].concat(data.classes.map(function (c, i) { return i; })).map(function (c) {
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.clearRect(0, 0, stampSize, stampSize);
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.beginPath();
      g.arc(RADIUS + 1, RADIUS + 1, RADIUS, 0, 2 * Math.PI);
      g.fillStyle = c < 0 ? "#999999" : data.classes[c].color;
      g.fill();
      g.lineWidth = 0.8;
      g.strokeStyle = "#222";
      g.stroke();
      var d = g.getImageData(0, 0, stampSize, stampSize).data, u = new Uint32Array(d.buffer.slice(0));
      var dx = [], dy = [], rgba = [], al = [];
      for (var y = 0; y < stampSize; y++) {
        for (var x = 0; x < stampSize; x++) {
          var o = y * stampSize + x;
          if (!d[o * 4 + 3]) continue;
          dx.push(x); dy.push(y); rgba.push(u[o]); al.push(d[o * 4 + 3]);
        }
      }
      return { dx: Int32Array.from(dx), dy: Int32Array.from(dy), rgba: Uint32Array.from(rgba),
        a: Uint8Array.from(al), off: new Int32Array(dx.length), width: 0 };
    });
  }
  // Pixel c (its own opacity a, 0–255) over pixel o: written as it is over an empty pixel, else mixed with
  // what is there (red and blue, then green, in integer arithmetic), the more opaque of the two kept.
  function over(o, c, a) {
    var d = px32[o];
    if (d === 0) { px32[o] = c; return; }
    var ia = 255 - a, da = d >>> 24;
    var rb = (((c & 0xff00ff) * a + (d & 0xff00ff) * ia) >>> 8) & 0xff00ff;
    var g = (((c & 0xff00) * a + (d & 0xff00) * ia) >>> 8) & 0xff00;
    px32[o] = ((a > da ? a : da) << 24 | rb | g) >>> 0;
  }
  function stamp(st, x0, y0, W, H) {
    var n = st.dx.length, j;
    if (x0 >= 0 && y0 >= 0 && x0 + stampSize <= W && y0 + stampSize <= H) {
      if (st.width !== W) { for (j = 0; j < n; j++) st.off[j] = st.dy[j] * W + st.dx[j]; st.width = W; }
      var base = y0 * W + x0;
      for (j = 0; j < n; j++) {
        if (st.a[j] === 255) px32[base + st.off[j]] = st.rgba[j];
        else over(base + st.off[j], st.rgba[j], st.a[j]);
      }
      return;
    }
    for (j = 0; j < n; j++) {
      var x = x0 + st.dx[j], y = y0 + st.dy[j];
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      if (st.a[j] === 255) px32[y * W + x] = st.rgba[j];
      else over(y * W + x, st.rgba[j], st.a[j]);
    }
  }
  // A segment clipped to the buffer (Liang–Barsky), then stepped pixel by pixel in opaque pixels of the
  // leader colour; `phase` carries the dash pattern along a leader. Returns the new phase.
  function segment(x0, y0, x1, y1, W, H, dashed, phase) {
    var dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
    var p = [-dx, dx, -dy, dy], q = [x0, W - 1 - x0, y0, H - 1 - y0];
    for (var e = 0; e < 4; e++) {
      if (p[e] === 0) { if (q[e] < 0) return phase; continue; }
      var t = q[e] / p[e];
      if (p[e] < 0) { if (t > t1) return phase; if (t > t0) t0 = t; } else { if (t < t0) return phase; if (t < t1) t1 = t; }
    }
    var len = Math.max(Math.abs(dx), Math.abs(dy)), steps = Math.ceil(len * (t1 - t0));
    var x = x0 + dx * t0 + 0.5, y = y0 + dy * t0 + 0.5, sx = steps ? dx * (t1 - t0) / steps : 0;
    var sy = steps ? dy * (t1 - t0) / steps : 0, ph = Math.floor(phase + len * t0) % DASH_PERIOD;
    for (var s = 0; s <= steps; s++) {
      if (!dashed || ph < DASH_ON) px32[(y | 0) * W + (x | 0)] = leaderPixel;
      x += sx; y += sy;
      if (++ph === DASH_PERIOD) ph = 0;
    }
    return phase + len;
  }
  // Leaders are dashed when few: dashes over thousands of crossing lines only add noise.
  var DASH_MAX = 2000;
  function rasterLeaders(W, H) {
    var dashed = visibleCount <= DASH_MAX, kd = k * dpr, txd = tx * dpr, tyd = ty * dpr;
    for (var v = 0; v < visibleCount; v++) {
      var a = leaderOf[visible[v]];
      if (!a) continue;
      var phase = 0, x0 = a[0] * kd + txd, y0 = a[1] * kd + tyd;
      for (var j = 2; j < a.length; j += 2) {
        var x1 = a[j] * kd + txd, y1 = a[j + 1] * kd + tyd;
        phase = segment(x0, y0, x1, y1, W, H, dashed, phase);
        x0 = x1; y0 = y1;
      }
    }
  }
  function rasterIncidents(W, H) {
    var drawn = 0, kd = k * dpr, txd = tx * dpr, tyd = ty * dpr, half = stampSize / 2;
    for (var v = 0; v < visibleCount; v++) {
      var i = visible[v], x = Math.round(X[i] * kd + txd - half), y = Math.round(Y[i] * kd + tyd - half);
      if (x <= -stampSize || y <= -stampSize || x >= W || y >= H) continue;
      stamp(stamps[cls[i] + 1], x, y, W, H);
      drawn++;
    }
    return drawn;
  }
  function drawPoints() {
    var W = canvas.width, H = canvas.height;
    if (points.width !== W || points.height !== H) { points.width = W; points.height = H; }
    if (!image || image.width !== W || image.height !== H) {
      image = pctx.createImageData(W, H);
      px8 = image.data; px32 = new Uint32Array(px8.buffer);
    } else px32.fill(0);
    if (stampDpr !== dpr) makeStamps();
    if (layerOn.leaders) rasterLeaders(W, H);
    var drawn = layerOn.incidents ? rasterIncidents(W, H) : 0;
    pctx.putImageData(image, 0, 0);
    if (selected >= 0 && layerOn.incidents) {
      pctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      pctx.beginPath();
      pctx.arc(X[selected] * k + tx, Y[selected] * k + ty, RADIUS + 2, 0, 2 * Math.PI);
      pctx.lineWidth = 2.5;
      pctx.strokeStyle = "#000";
      pctx.stroke();
      pctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    return drawn;
  }
  function draw() {
    pending = false;
    var t0 = performance.now();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawWorld();
    var drawn = drawPoints();
    placeLabels();
    root.setAttribute("data-incidents-drawn", String(drawn));
    root.setAttribute("data-draw-ms", (performance.now() - t0).toFixed(1));
  }

  // ---- Place labels: larger places first; a label that would overlap one already placed is hidden ----
  var labels = data.labels.map(function (l) {
    var g = svgEl("g", { "class": "place" + (l.capital ? " capital" : ""), "data-name": l.name,
      "data-country": l.country }, labelSvg);
    svgEl("circle", { r: l.capital ? 3.5 : 2.5 }, g);
    var t = svgEl("text", { x: 5, y: -4 }, g);
    t.textContent = l.name;
    return { g: g, x: projX(l.lon), y: projY(l.lat), w: 0, h: l.capital ? 15 : 13 };
  });
  function placeLabels() {
    labelSvg.style.display = layerOn.labels ? "" : "none";
    if (!layerOn.labels) return;
    var placed = [], shown = 0;
    labels.forEach(function (l) {
      var x = l.x * k + tx, y = l.y * k + ty;
      if (!l.w) l.w = l.g.lastChild.getComputedTextLength ? l.g.lastChild.getComputedTextLength() + 8 : 60;
      var box = [x - 3, y - l.h - 4, x + l.w, y + 4];
      var off = box[2] < 0 || box[0] > width || box[3] < 0 || box[1] > height;
      var clash = !off && placed.some(function (b) {
        return box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1];
      });
      if (off || clash) { l.g.setAttribute("visibility", "hidden"); return; }
      placed.push(box);
      shown++;
      l.g.setAttribute("visibility", "visible");
      l.g.setAttribute("transform", "translate(" + x.toFixed(1) + " " + y.toFixed(1) + ")");
    });
    labelSvg.setAttribute("data-labels-shown", String(shown));
  }

  // ---- View: screen = projected * k + (tx, ty) ----
  function apply() { updateScale(); requestDraw(); }
  function fit() {
    resize();
    var ax = projX(ext[0]), ay = projY(ext[3]), bx = projX(ext[2]), by = projY(ext[1]);
    var dw = Math.max(bx - ax, 1e-6), dh = Math.max(by - ay, 1e-6);
    // Fit beside the legend when the window is wide enough for both.
    var side = legend && width > 900 ? legend.offsetWidth + 20 : 0, free = width - side;
    k = 0.9 * Math.min(free / dw, height / dh);
    tx = free / 2 - k * (ax + bx) / 2;
    ty = height / 2 - k * (ay + by) / 2;
    apply();
  }
  function zoomAt(f, sx, sy) {
    var nk = Math.min(Math.max(k * f, 0.05), 1e5);
    tx = sx - (sx - tx) * nk / k;
    ty = sy - (sy - ty) * nk / k;
    k = nk;
    apply();
  }
  function nearest(sx, sy) {
    var best = -1, bd = HIT_PX * HIT_PX;
    for (var v = 0; v < visibleCount; v++) {
      var i = visible[v], dx = X[i] * k + tx - sx, dy = Y[i] * k + ty - sy, d = dx * dx + dy * dy;
      if (d <= bd) { bd = d; best = i; }
    }
    return best;
  }
  root.addEventListener("wheel", function (e) {
    if (e.target.closest && e.target.closest(".panel")) return;
    e.preventDefault();
    var r = root.getBoundingClientRect();
    zoomAt(Math.pow(1.0015, -e.deltaY), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var drag = null;
  root.addEventListener("pointerdown", function (e) {
    if (e.target.closest && e.target.closest(".panel")) return;
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
    if (!d || d.moved || !layerOn.incidents) return;
    var r = root.getBoundingClientRect(), i = nearest(e.clientX - r.left, e.clientY - r.top);
    if (i >= 0) showPopup(i, e.clientX, e.clientY); else hidePopup();
  });
  window.addEventListener("resize", fit);
  window.addEventListener("keydown", function (e) {
    if (e.target.tagName === "INPUT") return;
    if (e.key === "+" || e.key === "=") zoomAt(1.5, width / 2, height / 2);
    else if (e.key === "-") zoomAt(1 / 1.5, width / 2, height / 2);
    else if (e.key === "Escape") hidePopup();
  });
  var controls = html("div", { id: "controls", "class": "panel" }, root);
  [["+", "Zoom in", function () { zoomAt(1.5, width / 2, height / 2); }],
   ["−", "Zoom out", function () { zoomAt(1 / 1.5, width / 2, height / 2); }],
   ["⌂", "Fit all", fit]].forEach(function (b) {
    html("button", { type: "button", title: b[1], "aria-label": b[1] }, controls, b[0]).addEventListener("click", b[2]);
  });

  // ---- Popup: date, place, what happened, distance; then the evidence; then every other property ----
  var popup = html("div", { id: "popup", "class": "panel" }, root);
  var LEAD = ["date", "place_name", "admin1_name", "event_type", "weapon", "border_km", "country",
    "inside_ukraine", "evidence"];
  function km(v) { return (Math.round(Math.abs(v) * 10) / 10).toLocaleString("en") + " km"; }
  function distanceText(p) {
    if (typeof p.border_km !== "number") return "distance to the border unknown";
    if (p.border_km < 0 || p.inside_ukraine) return km(p.border_km) + " inside Ukraine";
    var where = COUNTRY_NAMES[p.country] || p.country;
    return km(p.border_km) + " from the border" + (where ? ", in " + where : ", outside the countries' land");
  }
  function hidePopup() {
    popup.style.display = "none";
    if (selected >= 0) { selected = -1; requestDraw(); writeHash(); }
  }
  function showPopup(i, x, y) {
    var p = features[i].properties;
    selected = i;
    requestDraw();
    popup.textContent = "";
    html("button", { "class": "close", type: "button", "aria-label": "Close" }, popup, "×")
      .addEventListener("click", hidePopup);
    var head = html("div", { "class": "lead" }, popup);
    html("div", { "class": "date" }, head, p.date || "date not given");
    var place = p.place_name || p.place || "unnamed place (coordinates given)";
    html("div", { "class": "place" }, head, place + (p.admin1_name ? ", " + p.admin1_name : ""));
    var what = [p.event_type ? p.event_type.replace(/_/g, " ") : null, p.weapon].filter(Boolean).join(" · ");
    html("div", { "class": "what" }, head, what || "what happened is not stated");
    html("div", { "class": "distance" }, head, distanceText(p));
    if (p.evidence) html("blockquote", { "class": "evidence" }, popup, p.evidence);
    var t = html("table", {}, popup);
    for (var key in p) {
      var v = p[key];
      if (LEAD.indexOf(key) >= 0 || v === null || v === "" || (key === "place" && !p.place_name)) continue;
      var tr = html("tr", {}, t);
      html("td", {}, tr, key);
      html("td", {}, tr, typeof v === "object" ? JSON.stringify(v) : String(v));
    }
    var r = root.getBoundingClientRect();
    popup.style.display = "block";
    popup.style.left = Math.max(10, Math.min(x - r.left + 12, r.width - popup.offsetWidth - 10)) + "px";
    popup.style.top = Math.max(10, Math.min(y - r.top + 12, r.height - popup.offsetHeight - 10)) + "px";
    popup.setAttribute("data-index", String(i));
    writeHash();
  }
  // For tests and scripts: open the popup of the i-th embedded incident.
  window.incimapShow = function (i) {
    var r = root.getBoundingClientRect();
    showPopup(i, r.left + X[i] * k + tx, r.top + Y[i] * k + ty);
  };

  // ---- Legend: layers, filters with counts, distance classes, bands ----
  var legend = html("div", { id: "legend", "class": "panel" }, root);
  html("h1", {}, legend, "Incidents near the Russia–Ukraine border");
  var summary = html("div", { id: "shown", "class": "summary" }, legend);
  function sw(cls, style) { var s = html("span", { "class": "sw " + cls }); s.setAttribute("style", style); return s; }
  function checkbox(parent, attrs, label, swatch, onChange, off) {
    var lab = html("label", attrs, parent);
    var cb = html("input", off ? { type: "checkbox" } : { type: "checkbox", checked: "checked" }, lab);
    cb.addEventListener("change", function () { onChange(cb.checked); });
    if (swatch) lab.appendChild(swatch);
    lab.appendChild(document.createTextNode(" " + label));
    return { label: lab, box: cb, count: html("span", { "class": "count" }, lab) };
  }
  function section(title, open) {
    var d = html("details", open ? { open: "open" } : {}, legend);
    html("summary", {}, d, title);
    return d;
  }
  var layersBox = section("Layers", true);
  [["incidents", "Incidents", sw("dot", "background:#fff")],
   ["leaders", "Line to nearest border point", sw("line", "border-top:2px dashed " + data.colors.leader)],
   ["border", "Russia–Ukraine land border", sw("line", "border-top-color:" + data.colors.border)],
   ["bands", "Distance bands (Russian land)", sw("", "background:" + data.colors.band + ";opacity:.5")],
   ["ukraine", "Ukraine (Crimea included)", sw("", "background:" + data.colors.ukraine_fill)],
   ["context", "Russia and Belarus", sw("", "background:" + data.colors.context_fill)],
   ["labels", "Regional capitals", sw("dot", "background:#333")]].forEach(function (l) {
    checkbox(layersBox, { "data-layer": l[0] }, l[1], l[2], function (on) { layerOn[l[0]] = on; requestDraw(); },
      !layerOn[l[0]]);
  });
  if (!layerOn.leaders) {
    html("div", { "class": "note" }, layersBox, "Lines to the border start hidden above " +
      LEADERS_SHOWN_MAX.toLocaleString("en") + " incidents.");
  }

  // Date range: two sliders over the days from the first incident date to the last.
  var dateBox = section("Date", true), dateText, fromIn, toIn, undatedBox;
  if (dated) {
    dateText = html("div", { id: "date-range", "class": "range-text" }, dateBox);
    var sliders = html("div", { "class": "sliders" }, dateBox);
    var range = { type: "range", min: String(minDay), max: String(maxDay), step: "1" };
    fromIn = html("input", Object.assign({ id: "date-from", "aria-label": "From date" }, range), sliders);
    toIn = html("input", Object.assign({ id: "date-to", "aria-label": "To date" }, range), sliders);
    var onSlide = function (e) {
      var a = +fromIn.value, b = +toIn.value;
      if (a > b) { if (e.target === fromIn) b = a; else a = b; }
      dateFilter.from = a; dateFilter.to = b;
      refilter();
    };
    fromIn.addEventListener("input", onSlide);
    toIn.addEventListener("input", onSlide);
  } else html("div", { "class": "note" }, dateBox, "No incident has a date.");
  undatedBox = checkbox(dateBox, { "data-filter": "undated" }, "Incidents without a date", null,
    function (on) { dateFilter.undated = on; refilter(); });

  facetNames.forEach(function (name) {
    var f = facets[name], box = section(f.title, true);
    f.rows = [];
    f.order.forEach(function (vi) {
      var v = f.values[vi];
      var text = v === NONE ? NONE : name === "event" ? v.replace(/_/g, " ") :
        name === "country" ? (COUNTRY_NAMES[v] ? COUNTRY_NAMES[v] + " (" + v + ")" : v) : v;
      if (name === "country" && v === NONE) text = "neither (at sea or elsewhere)";
      f.rows[vi] = checkbox(box, { "data-filter": name, "data-value": v }, text, null,
        function (on) { f.on[vi] = on; refilter(); });
    });
  });
  var classBox = section("Distance to the border", true);
  var classRows = data.classes.map(function (c) {
    var lab = html("label", { "data-class": c.label }, classBox);
    lab.appendChild(sw("dot", "background:" + c.color));
    lab.appendChild(document.createTextNode(c.label));
    return html("span", { "class": "count" }, lab);
  });
  if (data.bands.length) {
    var bandBox = section("Bands (Russian land within each distance)", false);
    data.bands.forEach(function (b) {
      var lab = html("label", {}, bandBox);
      lab.appendChild(sw("", "background:" + data.colors.band + ";opacity:" + b.alpha));
      lab.appendChild(document.createTextNode(b.label));
    });
  }
  if (data.incidents_shown < data.incidents_total) {
    html("div", { "class": "note" }, legend, "The page holds the first " + data.incidents_shown + " of " +
      data.incidents_total + " incidents; the GeoJSON layers hold all of them.");
  }
  html("div", { "class": "note" }, legend, "Drag to pan, wheel or +/− to zoom, click an incident for details.");

  function setCount(row, c) { row.count.textContent = " " + c; row.label.setAttribute("data-count", String(c)); }
  function updateLegend() {
    summary.textContent = visibleCount.toLocaleString("en") + " of " + n.toLocaleString("en") + " incidents shown";
    summary.setAttribute("data-shown", String(visibleCount));
    facetNames.forEach(function (name) {
      var f = facets[name];
      f.values.forEach(function (v, vi) { setCount(f.rows[vi], f.counts[vi]); f.rows[vi].box.checked = f.on[vi]; });
    });
    classRows.forEach(function (s, i) { s.textContent = " " + classCounts[i]; s.parentNode.setAttribute("data-count", classCounts[i]); });
    setCount(undatedBox, undatedShown);
    undatedBox.box.checked = dateFilter.undated;
    if (dated) {
      fromIn.value = String(dateFilter.from); toIn.value = String(dateFilter.to);
      dateText.textContent = isoDay(dateFilter.from) + " – " + isoDay(dateFilter.to) + ": " + inRange;
      dateText.setAttribute("data-count", String(inRange));
    }
  }

  // ---- Filter state in the URL's fragment: weapon=drone,missile&event=air_strike&country=RU&from=...&to=...&undated=0,
  // and incident=ID for the incident whose popup is open (by its feature id in incidents.geojson).
  var openId = null;
  function readHash() {
    facetNames.forEach(function (name) { facets[name].on = facets[name].values.map(function () { return true; }); });
    dateFilter.from = dated ? minDay : 0; dateFilter.to = dated ? maxDay : 0; dateFilter.undated = true;
    var h = location.hash.replace(/^#/, "");
    if (!h) return;
    h.split("&").forEach(function (kv) {
      var eq = kv.indexOf("="), key = decodeURIComponent(eq < 0 ? kv : kv.slice(0, eq));
      var val = eq < 0 ? "" : decodeURIComponent(kv.slice(eq + 1));
      if (facets[key]) {
        var want = val.split(",");
        facets[key].on = facets[key].values.map(function (v) { return want.indexOf(v) >= 0; });
      } else if ((key === "from" || key === "to") && dated) {
        var r = dayRange(val);
        if (r) dateFilter[key] = Math.min(Math.max(key === "from" ? r[0] : r[1], minDay), maxDay);
      } else if (key === "undated") dateFilter.undated = val !== "0";
      else if (key === "incident") openId = val;
    });
  }
  function writeHash() {
    var parts = [];
    facetNames.forEach(function (name) {
      var f = facets[name];
      if (f.on.every(Boolean)) return;
      parts.push(name + "=" + f.values.filter(function (v, i) { return f.on[i]; }).map(encodeURIComponent).join(","));
    });
    if (dated && dateFilter.from > minDay) parts.push("from=" + isoDay(dateFilter.from));
    if (dated && dateFilter.to < maxDay) parts.push("to=" + isoDay(dateFilter.to));
    if (!dateFilter.undated) parts.push("undated=0");
    if (selected >= 0) parts.push("incident=" + encodeURIComponent(features[selected].id));
    var h = parts.length ? "#" + parts.join("&") : "";
    if (h !== location.hash && !(h === "" && location.hash === "#")) {
      try { history.replaceState(null, "", h || location.pathname + location.search); } catch (e) { /* file: */ }
    }
  }
  window.addEventListener("hashchange", function () { readHash(); refilter(); });

  // ---- Scale bar: km per pixel at the centre latitude ----
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

  root.setAttribute("data-incidents-total", String(data.incidents_total));
  root.setAttribute("data-incidents-embedded", String(n));
  readHash();
  fit();
  refilter();
  if (openId !== null && byId[openId] !== undefined && isShown(byId[openId])) window.incimapShow(byId[openId]);
  draw(); // the first frame now, not at the next animation frame: the page is complete once loaded
})();
