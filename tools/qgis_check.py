#!/usr/bin/python3
"""Load every incimap layer with its QGIS style in headless QGIS and report features per layer.

Usage (Debian: apt-get install python3-qgis):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/qgis_check.py output/ [--png map.png] [--json]

For each layer written by `incimap map` (incidents, leaders, border, ukraine, bands; `.geojson` or the
`.geojsons` sequences of `--format geojsonseq`, the `.fgb` files of `--format fgb`) it opens the file through QGIS' OGR provider, applies the
`.qml` beside it (with `--format gpkg`: opens the layer of `incimap.gpkg`, whose default style QGIS loads from
the GeoPackage's `layer_styles` table by itself), and prints the geometry type, the feature count, the renderer the style set up and its
classes. With --png it also renders all layers, styled, into an image. Exits 1 if any layer fails to
load, has no style, or its style did not apply.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (the environment must be set before Qt loads)
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

LAYERS = ["incidents", "leaders", "border", "ukraine", "bands"]
# The renderer each style must produce (a default single symbol would mean the .qml was ignored).
EXPECTED_RENDERER = {
    "incidents": "graduatedSymbol",
    "leaders": "singleSymbol",
    "border": "singleSymbol",
    "ukraine": "singleSymbol",
    "bands": "graduatedSymbol",
}


def find_layer_file(directory, name):
    for ext in (".geojson", ".geojsons", ".fgb"):
        path = os.path.join(directory, name + ext)
        if os.path.exists(path):
            return path
    return None


def check(directory):
    results = []
    gpkg = os.path.join(directory, "incimap.gpkg")
    for name in LAYERS:
        row = {"layer": name, "ok": False}
        results.append(row)
        if os.path.exists(gpkg):
            check_geopackage_layer(gpkg, name, row)
            continue
        path = find_layer_file(directory, name)
        if path is None:
            row["error"] = "missing file"
            continue
        row["file"] = os.path.basename(path)
        layer = QgsVectorLayer(path, name, "ogr")
        if not layer.isValid():
            row["error"] = "QGIS cannot open it"
            continue
        row["features"] = layer.featureCount()
        row["geometry"] = QgsWkbTypes.displayString(layer.wkbType())
        row["fields"] = [f.name() for f in layer.fields()]
        qml = os.path.join(directory, name + ".qml")
        if not os.path.exists(qml):
            row["error"] = "no .qml style beside it"
            row["_layer"] = layer
            continue
        message, loaded = layer.loadNamedStyle(qml)
        describe_style(layer, row)
        if not loaded:
            row["error"] = "style did not load: " + message
        elif row["renderer"] != EXPECTED_RENDERER[name]:
            row["error"] = "style gave renderer %s, expected %s" % (row["renderer"], EXPECTED_RENDERER[name])
        else:
            row["ok"] = True
    return results


def describe_style(layer, row):
    """The renderer a style set up on `layer`, its classes and attribute, into `row`."""
    renderer = layer.renderer()
    row["renderer"] = renderer.type() if renderer else None
    if hasattr(renderer, "ranges"):
        row["classes"] = [r.label() for r in renderer.ranges()]
    if hasattr(renderer, "classAttribute"):
        row["attribute"] = renderer.classAttribute()
    row["_layer"] = layer


def check_geopackage_layer(gpkg, name, row):
    """A layer of the GeoPackage, opened as a user would: its style must come from the file itself."""
    row["file"] = os.path.basename(gpkg)
    layer = QgsVectorLayer(gpkg + "|layername=" + name, name, "ogr")
    if not layer.isValid():
        row["error"] = "QGIS cannot open it"
        return
    row["features"] = layer.featureCount()
    row["geometry"] = QgsWkbTypes.displayString(layer.wkbType())
    row["fields"] = [f.name() for f in layer.fields()]
    describe_style(layer, row)
    if row["renderer"] != EXPECTED_RENDERER[name]:
        row["error"] = "default style gave renderer %s, expected %s" % (row["renderer"], EXPECTED_RENDERER[name])
    else:
        row["ok"] = True


def render(results, png):
    layers = [r["_layer"] for r in results if "_layer" in r]
    # Draw order: QGIS draws the first layer in the list on top.
    order = {name: i for i, name in enumerate(LAYERS)}
    layers.sort(key=lambda l: order.get(l.name(), 99))
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1200, 900))
    extent = QgsRectangle()
    extent.setMinimal()
    for l in layers:
        if l.name() in ("incidents", "border", "bands") and l.featureCount() > 0:
            extent.combineExtentWith(l.extent())
    if extent.isEmpty():
        extent = layers[0].extent() if layers else QgsRectangle(22, 44, 41, 53)
    extent.scale(1.05)
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage().save(png, "png")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", help="an output directory of `incimap map`")
    ap.add_argument("--png", help="also render all layers, styled, into this PNG")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args()
    if not os.path.isdir(args.directory):
        print("qgis_check: %s is not a directory" % args.directory, file=sys.stderr)
        return 2

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        results = check(args.directory)
        rendered = render(results, args.png) if args.png else None
        public = [{k: v for k, v in r.items() if not k.startswith("_")} for r in results]
        if args.json:
            print(json.dumps({"qgis": app.applicationVersion() if hasattr(app, "applicationVersion") else "",
                              "layers": public, "png": args.png, "rendered": rendered}, indent=1))
        else:
            print("%-10s %-17s %-16s %9s  %s" % ("layer", "file", "geometry", "features", "style"))
            for r in public:
                style = r.get("renderer") or "-"
                if r.get("attribute"):
                    style += " by %s (%d classes)" % (r["attribute"], len(r.get("classes", [])))
                print("%-10s %-17s %-16s %9s  %s%s" % (r["layer"], r.get("file", "-"), r.get("geometry", "-"),
                      r.get("features", "-"), style, "" if r["ok"] else "  FAILED: " + r.get("error", "")))
            if args.png:
                print("rendered %s: %s" % (args.png, "ok" if rendered else "FAILED"))
        failed = [r for r in results if not r["ok"]] or (args.png and not rendered)
        return 1 if failed else 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


if __name__ == "__main__":
    code = main()
    # QGIS 3.22's teardown (exitQgis and the interpreter's own) can crash after all work is done; the
    # report is complete and flushed, so leave without it.
    os._exit(code)
