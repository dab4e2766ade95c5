#!/usr/bin/env python3
"""Throughput of geotext (the regex city-name tagger the extraction issue names for scale) on one core.

usage: tools/geotext_bench.py CORPUS [ROUNDS]
CORPUS is a file, split into articles of about 4 KB at blank lines as benches/extract_pass.rs splits it, or a
directory whose *.txt files are the articles (read 200 times over). Needs `pip install geotext`.
"""
import glob
import os
import sys
import time

from geotext import GeoText

path = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
if os.path.isdir(path):
    docs = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(path, "*.txt")))] * 200
else:
    docs, current = [], ""
    for paragraph in open(path, encoding="utf-8").read().split("\n\n"):
        current += paragraph + "\n\n"
        if len(current.encode()) > 4000:
            docs.append(current)
            current = ""
    if current:
        docs.append(current)
size = sum(len(d.encode()) for d in docs)
GeoText("warm up in Kyiv")
for _ in range(rounds):
    start = time.perf_counter()
    cities = sum(len(GeoText(d).cities) for d in docs)
    seconds = time.perf_counter() - start
    print(f"geotext: {size / seconds / 1e6:.1f} MB/s ({size} bytes, {len(docs)} articles, {cities} cities)")
