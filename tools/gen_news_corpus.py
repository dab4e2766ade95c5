#!/usr/bin/env python3
"""Place-dense news text for the extraction benchmarks: the committed articles (tests/data/articles,
examples/*.txt) repeated, each copy followed by a sentence naming three random GeoNames places, so that
name lookups keep missing the caches as they would on fresh news.

With --realistic the development reports (tests/data/dev1) are repeated too: longer reports with
fewer places per sentence, about 8,400 mentions per MiB instead of 12,600 (real reports run at 3,000-3,750
per MB), for figures closer to what users paste in.

With --seeds the real reports in ../shared/seeds are repeated instead (read here, never copied into the
project): about 4,200 mentions per MiB, the density of real news.

usage: tools/gen_news_corpus.py [--realistic | --seeds] OUT.txt MEGABYTES [GEONAMES_FILE]
GEONAMES_FILE defaults to ../shared/data/geonames/cities500-RU-UA-BY.txt.
"""
import glob
import os
import random
import sys

args = sys.argv[1:]
realistic = "--realistic" in args
seeds = "--seeds" in args
args = [a for a in args if a not in ("--realistic", "--seeds")]
out, megabytes = args[0], float(args[1])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = args[2] if len(args) > 2 else os.path.join(root, "../shared/data/geonames/cities500-RU-UA-BY.txt")
names = [line.split("\t")[1] for line in open(source, encoding="utf-8")]
dirs = ["tests/data/articles", "examples"] + (["tests/data/dev1"] if realistic else [])
if seeds:
    dirs = ["../shared/seeds"]
files = sorted(f for d in dirs for f in glob.glob(os.path.join(root, d, "*.txt")))
if not files:
    sys.exit(f"no articles in {', '.join(dirs)}")
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
