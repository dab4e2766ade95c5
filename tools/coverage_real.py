#!/usr/bin/env python3
"""Gazetteer coverage on real event records (issue 22's measure).

For the development two thirds of ../shared/data/real (a record is held out when the SHA-256 of its id is
0 mod 3; those are never read here), runs `incimap resolve --region <the record's province>` on the place
the record names (CIR `town/city`, UCDP `where_coordinates` of precision 1-2) and reports:
- placed: the share whose `best` is within 10 km of the analysts' point;
- within 25 km: the share whose `best` is within 25 km;
- present: the share with any candidate of that name within 10 km (the gazetteer has the place);
- wrong: `resolved` more than 25 km away.

Usage: tools/coverage_real.py [--bin target/release/incimap] [--data ../shared/data/real] [--gazetteer DIR]
Exit 1 if the data is missing. Prints one line per source and country and a total.
"""
import argparse, csv, hashlib, json, math, os, re, subprocess, sys
from collections import defaultdict


def dev(rid):
    return int(hashlib.sha256(rid.encode()).hexdigest(), 16) % 3 != 0


def km(a, b, c, d):
    la1, lo1, la2, lo2 = map(math.radians, (a, b, c, d))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def records(data):
    with open(os.path.join(data, "cir_events.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not dev(r["entry"]):
                continue
            name = r["town/city"].strip()
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError:
                continue
            if name:
                yield "cir", r["country"].strip() or "?", name, r["province"].strip(), lat, lon
    with open(os.path.join(data, "ucdp_ukraine.csv"), encoding="cp1252") as f:
        for r in csv.DictReader(f):
            if not dev(r["id"]) or r["where_prec"].strip() not in ("1", "2"):
                continue
            # "Avdiivka town", "Pisky village": the place name before its kind word
            name = re.sub(r"\s+(town|village|city|settlement|urban-type settlement)$", "", r["where_coordinates"].strip())
            region = re.sub(r"\s+(oblast|province|region)$", "", r["adm_1"].strip(), flags=re.I)
            try:
                lat, lon = float(r["latitude"]), float(r["longitude"])
            except ValueError:
                continue
            if name:
                yield "ucdp", "Ukraine", name, region, lat, lon


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/incimap")
    ap.add_argument("--data", default="../shared/data/real")
    ap.add_argument("--gazetteer")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f"no {a.data}", file=sys.stderr)
        return 1
    by_region = defaultdict(list)
    for rec in records(a.data):
        by_region[rec[3]].append(rec)
    stats = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, placed, present, wrong, within 25 km
    for region, recs in sorted(by_region.items()):
        cmd = [a.bin, "-q", "resolve", "--format", "json", "--limit", "50"]
        if a.gazetteer:
            cmd[1:1] = ["--gazetteer", a.gazetteer]
        if region:
            cmd += ["--region", region]
        names = "".join(r[2].replace("\n", " ") + "\n" for r in recs)
        out = subprocess.run(cmd, input=names, capture_output=True, text=True)
        try:
            answers = json.loads(out.stdout)
        except json.JSONDecodeError:
            # an unknown region hint fails the batch: ask without it
            out = subprocess.run(cmd[: cmd.index("--region")] if region else cmd, input=names, capture_output=True, text=True)
            answers = json.loads(out.stdout or "[]")
        if len(answers) != len(recs):
            # the CLI refused the batch (an unusable name): its records are not counted
            print(f"region {region!r}: {len(recs)} records not counted: {out.stderr.strip()}", file=sys.stderr)
        for rec, ans in zip(recs, answers):
            src, country, _, _, lat, lon = rec
            best = ans.get("best")
            d = km(lat, lon, best["lat"], best["lon"]) if best else None
            present = any(km(lat, lon, c["lat"], c["lon"]) <= 10 for c in ans.get("candidates", []))
            for k in ((src, country), ("all", "all")):
                s = stats[k]
                s[0] += 1
                s[1] += d is not None and d <= 10
                s[2] += present or (d is not None and d <= 10)
                s[3] += d is not None and d > 25 and ans.get("status") == "resolved"
                s[4] += d is not None and d <= 25
    for (src, country), (n, placed, present, wrong, near) in sorted(stats.items()):
        if n >= 20 or src == "all":
            print(f"{src:5} {country:8} records {n:5}  placed within 10 km {100*placed/n:5.1f} %  "
                  f"within 25 km {100*near/n:5.1f} %  "
                  f"present {100*present/n:5.1f} %  resolved > 25 km away {100*wrong/n:4.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
