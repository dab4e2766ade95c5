"""Geodesic midpoints for the "between A and B" tests, computed with Python geographiclib (WGS84),
independently of incimap. Coordinates are GeoNames' (cities500-RU-UA-BY.txt rows 512051 Pavlovskaya and
580453 Atamanskaya). Run: python3 midpoints.py > midpoints.json"""
import json
from geographiclib.geodesic import Geodesic

pairs = {"Pavlovskaya-Atamanskaya": ((46.1377, 39.7832), (46.1773, 39.6358))}
out = {}
for name, ((lat1, lon1), (lat2, lon2)) in pairs.items():
    inv = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)
    mid = Geodesic.WGS84.Direct(lat1, lon1, inv["azi1"], inv["s12"] / 2)
    out[name] = {"lat": mid["lat2"], "lon": mid["lon2"]}
print(json.dumps(out, indent=1))
