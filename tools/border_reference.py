#!/usr/bin/env python3
"""Independent reference values for incimap's border distance engine.

Computes, with Python GeographicLib (Karney's geodesic algorithms; `pip install geographiclib`) and nothing
from incimap, the signed WGS84 geodesic distance from points to the Russia-Ukraine land border, and which
country each point is in. The results are committed as test fixtures; the Rust tests compare against them
without needing Python.

Method (deliberately brute force, sharing no code or shortcut with the Rust engine):
- border: the reference line `tests/data/border/ru-ua-land-border.geojson` (shipped with the source data);
- distance: spherical distances to every border vertex pick the vertices within 1 % + 100 m of the nearest
  (the sphere is within 1 % of the ellipsoid); their GeographicLib distances give an upper bound; every
  segment touching one of them whose lower bound ((dA + dB - length) / 2, the triangle inequality) could beat
  it is densified along its geodesic every metre or less, and the smallest GeographicLib Inverse distance to
  those samples is the answer (error under 1 m);
- inside/country: even-odd ray casting over every ring of the OpenStreetMap polygons in
  `shared/data/boundaries/` (ukraine, belarus, russia-west); de jure, so a point inside Ukraine's polygon is
  `UA` even where Russia's polygon also covers it (Crimea), then `BY`, then `RU`. A point in none of them
  (the polygons are land only: lakes, reservoirs and wide rivers are holes) takes the first country, in the
  same order, one of whose outer rings holds it: a country's territory includes its inland water. Else empty.

Usage (from the repository root, with the shared data next to it):
    python3 tools/border_reference.py --data ../shared/data --out tests/data/border [--points 1200] [--jobs 2]
    python3 tools/border_reference.py --data ../shared/data --out tests/data/border --countries-only
The second form keeps the distances of the files already in --out and works out again only `inside_ukraine`,
`country` and the sign of `border_km` (seconds, where measuring takes half an hour a core): for a change of
the country rule, which moves no border point.

Writes:
    reference_points.csv  random points, seed 20240229, uniform over lon 28..48, lat 43..56, 5 decimals
    reference_places.csv  GeoNames places (name, geonameid, lat, lon from cities500-RU-UA-BY.txt)
Columns: [name, geonameid,] lat, lon, border_km (signed, negative inside Ukraine), nearest_lat, nearest_lon,
inside_ukraine (true/false), country.
"""

import argparse
import csv
import json
import math
import os
import random
import sys
from multiprocessing import Pool

from geographiclib.geodesic import Geodesic

GEOD = Geodesic.WGS84
R_KM = 6371.0088
SEED = 20240229
PLACES = ["Belgorod", "Shebekino", "Sudzha", "Kharkiv", "Simferopol", "Rostov-na-Donu", "Kaluga"]

BORDER = []  # list of segments ((lat1, lon1), (lat2, lon2))
VERTICES = []
POLYGONS = {}  # code -> list of rings [(lon, lat), ...] with bbox
OUTER_RINGS = {}  # code -> the outer rings alone


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_KM * math.asin(min(1.0, math.sqrt(a)))


def load_border(path):
    with open(path) as f:
        gj = json.load(f)
    segs = []
    for feat in gj["features"]:
        g = feat["geometry"]
        lines = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
        for line in lines:
            for (x1, y1), (x2, y2) in zip(line, line[1:]):
                if (x1, y1) != (x2, y2):
                    segs.append(((y1, x1), (y2, x2)))
    return segs


def load_rings(path, outer_only=False):
    """Every ring (bounding box, points) of the polygons in a GeoJSON file; only the outer ones if asked."""
    with open(path) as f:
        gj = json.load(f)
    rings = []
    for feat in gj["features"]:
        g = feat["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            for ring in poly[:1] if outer_only else poly:
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                rings.append(((min(xs), min(ys), max(xs), max(ys)), [(p[0], p[1]) for p in ring]))
    return rings


def inside(rings, lon, lat):
    """Even-odd ray casting over all rings (holes and islands included)."""
    odd = False
    for (x0, y0, x1, y1), ring in rings:
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        for (ax, ay), (bx, by) in zip(ring, ring[1:]):
            if (ay > lat) != (by > lat):
                x = ax + (lat - ay) / (by - ay) * (bx - ax)
                if lon < x:
                    odd = not odd
    return odd


def country_of(lon, lat):
    for code in ("UA", "BY", "RU"):
        if inside(POLYGONS[code], lon, lat):
            return code
    # Inland water: within an outer ring of the country (each ring alone, so that an island in a lake,
    # itself an outer ring, does not cancel the ring around the lake).
    for code in ("UA", "BY", "RU"):
        if any(inside([ring], lon, lat) for ring in OUTER_RINGS[code]):
            return code
    return ""


def nearest_on_border(lat, lon):
    """(distance m, nearest lat, nearest lon) by densifying candidate segments to <= 1 m."""
    # Spherical distances to all vertices, then exact geodesic distances to those that could be nearest
    # (a sphere is within 1 % of the ellipsoid here).
    dv = [haversine_km(lat, lon, a, b) for a, b in VERTICES]
    band = min(dv) * 1.01 + 0.1
    geo = {}
    for j, d in enumerate(dv):
        if d <= band:
            a, b = VERTICES[j]
            geo[j] = GEOD.Inverse(lat, lon, a, b, Geodesic.DISTANCE)["s12"]
    upper = min(geo.values())
    best = (math.inf, None, None)
    for i, ((alat, alon), (blat, blon)) in enumerate(BORDER):
        # Lower bound by the triangle inequality: dist(P, X) >= (dA + dB - length) / 2 for X on AB.
        da = geo.get(2 * i, dv[2 * i] * 990.0)
        db = geo.get(2 * i + 1, dv[2 * i + 1] * 990.0)
        seg_m = haversine_km(alat, alon, blat, blon) * 1010.0
        if (da + db - seg_m) / 2 > upper + 1.0:
            continue  # cheap spherical bound (ends shrunk 1 %, length stretched 1 %)
        line = GEOD.InverseLine(alat, alon, blat, blon)
        if (da + db - line.s13) / 2 > upper + 1.0:
            continue
        n = max(1, math.ceil(line.s13 / 1.0))
        for k in range(n + 1):
            pos = line.Position(line.s13 * k / n, Geodesic.LATITUDE | Geodesic.LONGITUDE)
            s = GEOD.Inverse(lat, lon, pos["lat2"], pos["lon2"], Geodesic.DISTANCE)["s12"]
            if s < best[0]:
                best = (s, pos["lat2"], pos["lon2"])
    return best


def measure(point):
    lat, lon = point
    s, nlat, nlon = nearest_on_border(lat, lon)
    country = country_of(lon, lat)
    inside_ua = country == "UA"
    km = -s / 1000.0 if inside_ua else s / 1000.0
    return [f"{lat:.5f}", f"{lon:.5f}", f"{km:.4f}", f"{nlat:.6f}", f"{nlon:.6f}", str(inside_ua).lower(), country]


def init(border_path, data):
    global BORDER, VERTICES
    BORDER = load_border(border_path)
    VERTICES = [v for seg in BORDER for v in seg]
    init_countries(data)


def init_countries(data):
    bdir = os.path.join(data, "boundaries")
    POLYGONS["UA"] = load_rings(os.path.join(bdir, "ukraine.geojson"))
    POLYGONS["BY"] = load_rings(os.path.join(bdir, "belarus.geojson"))
    POLYGONS["RU"] = load_rings(os.path.join(bdir, "russia-west.geojson"))
    for code, name in (("UA", "ukraine"), ("BY", "belarus"), ("RU", "russia-west")):
        OUTER_RINGS[code] = load_rings(os.path.join(bdir, f"{name}.geojson"), outer_only=True)


def recount(data, out):
    """Rewrite the country columns, and the sign of the distance, of the reference files in `out`."""
    init_countries(data)
    for name in ("reference_places.csv", "reference_points.csv"):
        path = os.path.join(out, name)
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            country = country_of(float(row["lon"]), float(row["lat"]))
            km = abs(float(row["border_km"]))
            row["border_km"] = f"{-km if country == 'UA' else km:.4f}"
            row["inside_ukraine"] = str(country == "UA").lower()
            row["country"] = country
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--border", default="tests/data/border/ru-ua-land-border.geojson")
    ap.add_argument("--out", default="tests/data/border")
    ap.add_argument("--points", type=int, default=1200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--countries-only", action="store_true", help="only the country columns of existing files")
    args = ap.parse_args()
    if args.countries_only:
        recount(args.data, args.out)
        return

    rng = random.Random(SEED)
    points = [(round(rng.uniform(43.0, 56.0), 5), round(rng.uniform(28.0, 48.0), 5)) for _ in range(args.points)]

    places = []
    with open(os.path.join(args.data, "geonames", "cities500-RU-UA-BY.txt"), encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row[1] in PLACES:
                places.append((row[1], row[0], float(row[4]), float(row[5])))
    missing = set(PLACES) - {p[0] for p in places}
    if missing:
        sys.exit(f"not in GeoNames file: {missing}")

    os.makedirs(args.out, exist_ok=True)
    with Pool(args.jobs, initializer=init, initargs=(args.border, args.data)) as pool:
        place_rows = pool.map(measure, [(lat, lon) for _, _, lat, lon in places])
        point_rows = pool.map(measure, points, chunksize=20)

    header = ["lat", "lon", "border_km", "nearest_lat", "nearest_lon", "inside_ukraine", "country"]
    with open(os.path.join(args.out, "reference_places.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "geonameid"] + header)
        for (name, gid, _, _), row in zip(places, place_rows):
            w.writerow([name, gid] + row)
    with open(os.path.join(args.out, "reference_points.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(point_rows)


if __name__ == "__main__":
    main()
