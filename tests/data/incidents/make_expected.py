#!/usr/bin/env python3
"""Expected `incimap stats` figures for the fixture tables, computed with numpy OUTSIDE incimap.

Run from this directory: python3 make_expected.py > expected.json
Quantiles: numpy.quantile's default (method="linear", Hyndman & Fan type 7), the definition incimap documents.
Bands: half-open [from, to); default edges 0,10,25,50,100,250 mirrored for points inside Ukraine; bands lying
entirely at or below 0 km are listed only when some distance is negative.
"""
import csv
import datetime
import json

import numpy as np

EDGES = [-250.0, -100.0, -50.0, -25.0, -10.0, 0.0, 10.0, 25.0, 50.0, 100.0, 250.0]
UNKNOWN = "(unknown)"


def valid(row):
    """The fixture's own idea of a placeable row: a real date (or none) and coordinates in range."""
    d = row.get("date", "")
    if d:
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                datetime.datetime.strptime(d, fmt)
                break
            except ValueError:
                pass
        else:
            return False
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except (KeyError, ValueError):
        return False
    return -90 <= lat <= 90 and -180 <= lon <= 180


def iso_month(d):
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(d, fmt).strftime("%Y-%m")
        except ValueError:
            pass
    return UNKNOWN


def summary(xs, show_negative):
    xs = np.array(xs, dtype=float)
    out = {"count": int(len(xs))}
    if len(xs):
        q = np.quantile(xs, [0.25, 0.5, 0.75, 0.9])
        out["border_km"] = {
            "min": float(xs.min()), "p25": float(q[0]), "median": float(q[1]), "mean": float(xs.mean()),
            "p75": float(q[2]), "p90": float(q[3]), "max": float(xs.max()),
        }
    else:
        out["border_km"] = None
    bands = []
    lows = [None] + EDGES
    highs = EDGES + [None]
    for lo, hi in zip(lows, highs):
        if not show_negative and hi is not None and hi <= 0:
            continue
        n = int(sum(1 for x in xs if (lo is None or x >= lo) and (hi is None or x < hi)))
        bands.append({"from_km": lo, "to_km": hi, "count": n, "share": n / len(xs) if len(xs) else 0.0})
    out["bands"] = bands
    return out


def expected(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    good = [r for r in rows if valid(r)]
    km = [float(r["border_km"]) for r in good]
    neg = any(x < 0 for x in km)
    keyers = {
        "month": lambda r: iso_month(r["date"]) if r.get("date") else UNKNOWN,
        "weapon": lambda r: r.get("weapon", "").strip().lower() or UNKNOWN,
        "country": lambda r: r.get("country", "").strip() or UNKNOWN,
        "source": lambda r: r.get("source", "").strip() or UNKNOWN,
    }
    out = {"unresolved": len(rows) - len(good), "all": summary(km, neg), "by": {}}
    groupings = [[k] for k in keyers] + [["country", "weapon"], ["month", "weapon"]]
    for by in groupings:
        groups = {}
        for r in good:
            key = " / ".join(keyers[b](r) for b in by)
            groups.setdefault(key, []).append(float(r["border_km"]))
        out["by"][",".join(by)] = {k: summary(v, neg) for k, v in sorted(groups.items())}
    return out


if __name__ == "__main__":
    print(json.dumps({name: expected(name) for name in ["fixed.csv", "single.csv", "all_unresolved.csv"]}, indent=1))
