#!/usr/bin/env python3
"""Make the small fixtures of tests/refresh_*.rs from the project's source data (../shared/data).

Run from the crate root:  python3 tools/make_refresh_fixtures.py [../shared/data]

Writes tests/data/refresh/:
- RU.txt, UA.txt, BY.txt: real rows of GeoNames' cities500 extract (19-column dump format), a few hundred:
  every place of 100,000+ people, and the places of the border oblasts of Belgorod (RU.09), Kharkiv (UA.07)
  and Homel (BY.02) up to a few dozen each. The tests zip them as GeoNames does ({CC}.zip holding {CC}.txt).
- admin1CodesASCII.txt, admin2Codes.txt: the real rows for those countries (admin2 limited to the
  oblasts above), plus a few rows of other countries, which the build must ignore.
- postal/RU.txt, postal/UA.txt, postal/BY.txt: GeoNames postal-code format (12 columns), rows of our own:
  per country, the seat of one border district that the dumps above hold (so the build can tell which oblast
  and district the postal admin names mean) and two villages of that district that cities500 lacks. Admin
  names are written as GeoNames' postal files write them; the coordinates are NOT GeoNames': each comes from
  the Wikipedia article named beside it (degrees, minutes, seconds as printed there), so a test can check
  where a village lands against a source independent of the data under test. The tests zip each as GeoNames
  publishes it (export/zip/{CC}.zip holding {CC}.txt and a readme.txt).
- ukraine.geojson, russia.geojson, belarus.geojson: the OSM country polygons, smaller. Every vertex within
  0.01 degrees of another country's outline is kept exactly (so the Russia-Ukraine land border derived from them is the same line as
  from the full polygons); the stretches in between (coasts, other borders) are simplified with
  Douglas-Peucker at 0.02 degrees, and rings that touch no other country are dropped except the largest.
"""
import json
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
OUT = "tests/data/refresh"
TOL = 0.02
NEAR = 0.01


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def dumps():
    by_cc = {"RU": [], "UA": [], "BY": []}
    border_oblast = {"RU": "09", "UA": "07", "BY": "02"}
    per_oblast = {"RU": 0, "UA": 0, "BY": 0}
    for line in rows(os.path.join(SRC, "geonames/cities500-RU-UA-BY.txt")):
        c = line.split("\t")
        cc, admin1, pop = c[8], c[10], int(c[14] or 0)
        keep = pop >= 100000
        if not keep and admin1 == border_oblast[cc] and per_oblast[cc] < 60:
            per_oblast[cc] += 1
            keep = True
        if keep:
            by_cc[cc].append(line)
    for cc, lines in by_cc.items():
        with open(os.path.join(OUT, f"{cc}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{cc}.txt: {len(lines)} rows")


def admin():
    a1 = rows(os.path.join(SRC, "geonames/admin1CodesASCII.txt"))
    keep1 = [l for l in a1 if l.split(".")[0] in ("RU", "UA", "BY")] + [l for l in a1 if l.startswith("PL.")][:3]
    with open(os.path.join(OUT, "admin1CodesASCII.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(keep1) + "\n")
    a2 = rows(os.path.join(SRC, "geonames/admin2Codes.txt"))
    keep2 = [l for l in a2 if l.split("\t")[0].rsplit(".", 1)[0] in ("RU.09", "UA.07", "BY.02")]
    keep2 += [l for l in a2 if l.startswith("PL.")][:3]
    with open(os.path.join(OUT, "admin2Codes.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(keep2) + "\n")
    print(f"admin1: {len(keep1)} rows, admin2: {len(keep2)} rows")


# (country, postal code, name, admin name1, admin code1, admin name2, (lat d, m, s), (lon d, m, s), source)
POSTAL = [
    ("RU", "309370", "Грайворон", "Белгородская Область", "", "ГРАЙВОРОНСКИЙ РАЙОН", (50, 29, 0), (35, 40, 0),
     "en.wikipedia.org/wiki/Grayvoron"),
    ("RU", "309370", "Гора-Подол", "Белгородская Область", "", "ГРАЙВОРОНСКИЙ РАЙОН", (50, 28, 26), (35, 38, 47),
     "ru.wikipedia.org/wiki/Гора-Подол"),
    ("RU", "309390", "Дорогощь", "Белгородская Область", "", "ГРАЙВОРОНСКИЙ РАЙОН", (50, 35, 3), (35, 34, 18),
     "ru.wikipedia.org/wiki/Дорогощь"),
    ("UA", "62200", "Золочів", "Kharkivska", "07", "Zolochivskyi", (50, 17, 0), (35, 58, 12),
     "en.wikipedia.org/wiki/Zolochiv,_Kharkiv_Oblast"),
    ("UA", "62220", "Уди", "Kharkivska", "07", "Zolochivskyi", (50, 23, 31), (36, 4, 4),
     "ru.wikipedia.org/wiki/Уды_(село)"),
    ("UA", "62212", "Сотницький Козачок", "Kharkivska", "07", "Zolochivskyi", (50, 25, 53), (35, 54, 54),
     "ru.wikipedia.org/wiki/Сотницкий_Казачок"),
    ("BY", "247050", "Добруш", "Gomel", "", "Dobrouch", (52, 25, 0), (31, 19, 0),
     "en.wikipedia.org/wiki/Dobrush"),
    ("BY", "247062", "Жгунь", "Gomel", "", "Dobrouch", (52, 20, 10), (31, 19, 25),
     "ru.wikipedia.org/wiki/Жгунь"),
    ("BY", "247061", "Жгунская Буда", "Gomel", "", "Dobrouch", (52, 21, 13), (31, 15, 26),
     "ru.wikipedia.org/wiki/Жгуно-Буда"),
]


def postal():
    os.makedirs(os.path.join(OUT, "postal"), exist_ok=True)
    deg = lambda d, m, s: round(d + m / 60 + s / 3600, 5)
    for cc in ("RU", "UA", "BY"):
        lines = [
            "\t".join([c, code, name, a1, a1code, a2, "", "", "", str(deg(*lat)), str(deg(*lon)), "4"])
            for c, code, name, a1, a1code, a2, lat, lon, _ in POSTAL
            if c == cc
        ]
        with open(os.path.join(OUT, "postal", f"{cc}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"postal/{cc}.txt: {len(lines)} rows")


def polygons(name):
    with open(os.path.join(SRC, "boundaries", name), encoding="utf-8") as f:
        d = json.load(f)
    out = []
    for ft in d["features"]:
        g = ft["geometry"]
        out.extend(g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]])
    return d, out


def dp(points, tol):
    """Douglas-Peucker on an open run of points (first and last kept)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, bi = -1.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, bi = d, i
        if best > tol:
            keep[bi] = True
            stack += [(a, bi), (bi, b)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, shared):
    pts = [tuple(p) for p in ring]
    idx = [i for i, p in enumerate(pts) if p in shared]
    if not idx:
        s = dp(pts, TOL)
        return [list(p) for p in s] if len(s) >= 4 else None
    out = []
    for k, i in enumerate(idx):
        j = idx[k + 1] if k + 1 < len(idx) else None
        if j is None:
            run = pts[i:] + pts[1 : idx[0] + 1]  # wrap around (the ring is closed: pts[0] == pts[-1])
        else:
            run = pts[i : j + 1]
        s = dp(run, TOL)
        out.extend(s[:-1])
    out.append(out[0])
    return [list(p) for p in out] if len(out) >= 4 else None


def boundaries():
    files = {"ukraine": "ukraine.geojson", "russia": "russia-west.geojson", "belarus": "belarus.geojson"}
    loaded = {k: polygons(v) for k, v in files.items()}
    verts = {k: {tuple(c) for poly in p for ring in poly for c in ring} for k, (_, p) in loaded.items()}
    cell = NEAR
    grids = {}
    for k, vs in verts.items():
        g = {}
        for x, y in vs:
            g.setdefault((int(x // cell), int(y // cell)), []).append((x, y))
        grids[k] = g
    for k, (doc, polys) in loaded.items():
        # Kept exactly: every vertex on or near (within NEAR degrees of) a vertex of another country, so that
        # stretches where the two outlines run together but do not share every vertex stay as they are.
        shared = set()
        for other in verts:
            if other == k:
                continue
            g = grids[other]
            for x, y in verts[k]:
                cx, cy = int(x // cell), int(y // cell)
                if any(
                    (x - ox) ** 2 + (y - oy) ** 2 <= NEAR * NEAR
                    for dx in (-1, 0, 1)
                    for dy in (-1, 0, 1)
                    for ox, oy in g.get((cx + dx, cy + dy), ())
                ):
                    shared.add((x, y))
        largest = max((len(poly[0]), i) for i, poly in enumerate(polys))[1]
        out_polys = []
        for i, poly in enumerate(polys):
            touches = any(tuple(c) in shared for ring in poly for c in ring)
            if not touches and i != largest:
                continue
            rings = [simplify_ring(r, shared) for r in poly]
            if rings[0] is None:
                continue
            out_polys.append([rings[0]] + [r for r in rings[1:] if r is not None])
        feature = doc["features"][0]
        props = dict(feature.get("properties", {}))
        props["fixture"] = "simplified by tools/make_refresh_fixtures.py; vertices near other countries kept exactly"
        out = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": props, "geometry": {"type": "MultiPolygon", "coordinates": out_polys}}],
        }
        with open(os.path.join(OUT, f"{k}.geojson"), "w", encoding="utf-8") as f:
            json.dump(out, f, separators=(",", ":"))
        n = sum(len(r) for p in out_polys for r in p)
        print(f"{k}.geojson: {len(out_polys)} polygons, {n} vertices ({len(shared)} shared kept)")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dumps()
    admin()
    postal()
    boundaries()
