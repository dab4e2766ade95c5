#!/usr/bin/env python3
"""Generate synthetic GeoNames country dumps of full size, in the real 19-column format, for measuring
`incimap gazetteer build` on RU+UA+BY scale input (the real dumps cannot be fetched here).

    python3 tools/gen_synthetic_dump.py OUT_DIR [TOTAL_ROWS=500000] [SHARED_DATA=../shared/data]

Writes OUT_DIR/RU.txt, UA.txt, BY.txt (70/22/8 % of the rows, as in the real dumps) and links the real
admin1CodesASCII.txt, admin2Codes.txt and boundary GeoJSON from SHARED_DATA beside them, so that
`incimap gazetteer build --from OUT_DIR` runs exactly as on downloaded data.

The mix imitates the real dumps, a little harsher: 55% populated places (class P, kept by the build; the
real share is lower), the rest streams, hills, farms, admin areas (read and dropped); 0-6 alternate names
per row in Latin and Cyrillic, a few with 40+ in many scripts (as big towns have); real admin1 codes of
each country, admin2 codes, populations from a heavy-tailed distribution; deterministic (seed 7).
"""
import os
import random
import sys

OUT = sys.argv[1]
TOTAL = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
SHARED = sys.argv[3] if len(sys.argv) > 3 else "../shared/data"
rng = random.Random(7)

LAT = "ka ro vo ni sk ov ev ka la mi po ra de li no bo ta gu ze sa ve ly zh ch sh ya yu".split()
CYR = "ка ро во ни ск ов ев ка ла ми по ра де ли но бо та гу зе са ве лы жи че ша я ю".split()
OTHER = ["北京", "Σόφια", "ბათუმი", "מוסקבה", "موسكو", "Москва-Сити", "Mosku", "Moscou", "Moskau"]
FEATURES = [("P", "PPL", 50), ("P", "PPLA2", 2), ("P", "PPLA3", 2), ("P", "PPLX", 1), ("H", "STM", 12),
            ("H", "LK", 6), ("T", "HLL", 6), ("S", "FRM", 8), ("L", "LCTY", 6), ("A", "ADM3", 4), ("V", "FRST", 3)]
WEIGHTS = [f[2] for f in FEATURES]
BOX = {"RU": (44.0, 60.0, 28.0, 50.0), "UA": (44.4, 52.3, 22.2, 40.2), "BY": (51.3, 56.1, 23.2, 32.7)}
SHARE = {"RU": 0.70, "UA": 0.22, "BY": 0.08}


def admin_codes(cc):
    a1, a2 = [], {}
    with open(os.path.join(SHARED, "geonames/admin1CodesASCII.txt"), encoding="utf-8") as f:
        for line in f:
            code = line.split("\t")[0]
            if code.startswith(cc + "."):
                a1.append(code.split(".")[1])
    with open(os.path.join(SHARED, "geonames/admin2Codes.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split("\t")[0].split(".")
            if parts[0] == cc and len(parts) == 3:
                a2.setdefault(parts[1], []).append(parts[2])
    return a1, a2


def word(syll, n):
    return "".join(rng.choice(syll) for _ in range(n))


def row(gid, cc, a1, a2):
    k = rng.randint(2, 4)
    idx = [rng.randrange(len(LAT)) for _ in range(k)]
    name = "".join(LAT[i] for i in idx).capitalize()
    cyr = "".join(CYR[i] for i in idx).capitalize()
    fclass, fcode, _ = rng.choices(FEATURES, WEIGHTS)[0]
    alts = [cyr] if rng.random() < 0.8 else []
    alts += [name + suffix for suffix in rng.sample(["ovka", "ivka", "ino", "skoye", "sk"], rng.randint(0, 3))]
    alts += [word(CYR, 3).capitalize() for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.01:
        alts += [word(LAT, 3).capitalize() for _ in range(30)] + OTHER
    lat0, lat1, lon0, lon1 = BOX[cc]
    lat, lon = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
    admin1 = rng.choice(a1)
    admin2 = rng.choice(a2.get(admin1, [""])) if rng.random() < 0.9 else ""
    pop = int(rng.paretovariate(1.2) * 50) if fclass == "P" else 0
    if pop < 80 and fclass == "P" and rng.random() < 0.5:
        pop = 0
    date = f"20{rng.randint(12, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    cols = [str(gid), name, name, ",".join(alts), f"{lat:.5f}", f"{lon:.5f}", fclass, fcode, cc, "", admin1,
            admin2, "", "", str(pop), "", str(rng.randint(0, 400)), "Europe/Moscow", date]
    return "\t".join(cols)


def main():
    os.makedirs(OUT, exist_ok=True)
    gid = 10_000_000
    for cc, share in SHARE.items():
        a1, a2 = admin_codes(cc)
        n = int(TOTAL * share)
        with open(os.path.join(OUT, f"{cc}.txt"), "w", encoding="utf-8") as f:
            for _ in range(n):
                gid += 1
                f.write(row(gid, cc, a1, a2) + "\n")
        print(f"{cc}.txt: {n} rows")
    for rel, name in [("geonames/admin1CodesASCII.txt", "admin1CodesASCII.txt"),
                      ("geonames/admin2Codes.txt", "admin2Codes.txt"),
                      ("boundaries/ukraine.geojson", "ukraine.geojson"),
                      ("boundaries/russia-west.geojson", "russia-west.geojson"),
                      ("boundaries/belarus.geojson", "belarus.geojson")]:
        dst = os.path.join(OUT, name)
        if not os.path.exists(dst):
            os.symlink(os.path.abspath(os.path.join(SHARED, rel)), dst)


if __name__ == "__main__":
    main()
