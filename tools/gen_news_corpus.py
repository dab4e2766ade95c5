#!/usr/bin/env python3
"""Place-dense news text for the extraction benchmarks: the committed articles (tests/data/articles,
examples/*.txt) repeated, each copy followed by a sentence naming three random GeoNames places, so that
name lookups keep missing the caches as they would on fresh news.

usage: tools/gen_news_corpus.py OUT.txt MEGABYTES [GEONAMES_FILE]
GEONAMES_FILE defaults to ../shared/data/geonames/cities500-RU-UA-BY.txt.
"""
import glob
import os
import random
import sys

out, megabytes = sys.argv[1], float(sys.argv[2])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = sys.argv[3] if len(sys.argv) > 3 else os.path.join(root, "../shared/data/geonames/cities500-RU-UA-BY.txt")
names = [line.split("\t")[1] for line in open(source, encoding="utf-8")]
files = sorted(glob.glob(os.path.join(root, "tests/data/articles/*.txt")) + glob.glob(os.path.join(root, "examples/*.txt")))
base = [open(f, encoding="utf-8").read() for f in files]
random.seed(5)
total, i, parts = 0, 0, []
while total < megabytes * (1 << 20):
    a, b, c = (random.choice(names) for _ in range(3))
    text = (base[i % len(base)] + f"\nLater, a drone fell near {a} and debris damaged a house in {b}, "
            f"officials in {c} said on Tuesday.\n\n")
    parts.append(text)
    total += len(text.encode())
    i += 1
open(out, "w", encoding="utf-8").write("".join(parts))
