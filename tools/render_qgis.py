#!/usr/bin/python3
"""Opens deadzone's GeoPackage in QGIS exactly as a GIS user would (each layer with the default
style QGIS finds in its layer_styles table) and renders a PNG, headless.

A manual check that the layers open styled; not part of CI (it needs python3-qgis):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/render_qgis.py OUT/deadzone.gpkg map.png \
        [--extent lon0,lat0,lon1,lat1] [--size 1600x1200] [--geojson] [--layers villages,gaps]

With --geojson it loads OUT/<layer>.geojson instead, styled by the sidecar <layer>.qml.
Prints, per layer, the feature count and the renderer QGIS ended up with.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (QT_QPA_PLATFORM must be set first)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

# Drawing order, bottom to top. `footprints` exists only for a campaign with terrain.
LAYERS = ["footprints", "coverage", "commitments", "gaps", "villages", "stations"]
OPTIONAL = {"footprints"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gpkg", help="deadzone.gpkg written by write_layers")
    parser.add_argument("png", help="image to write")
    parser.add_argument("--extent", help="lon0,lat0,lon1,lat1 (default: the drawn layers' extent)")
    parser.add_argument("--size", default="1600x1200", help="WIDTHxHEIGHT in pixels")
    parser.add_argument("--geojson", action="store_true", help="load the GeoJSON files + .qml instead")
    parser.add_argument("--layers", help="comma-separated subset to draw (default: every layer there is)")
    args = parser.parse_args()

    app = QgsApplication([], False)
    app.initQgis()
    try:
        folder = os.path.dirname(os.path.abspath(args.gpkg))
        layers = []
        wanted = args.layers.split(",") if args.layers else LAYERS
        for name in [n for n in LAYERS if n in wanted]:
            if args.geojson:
                uri = os.path.join(folder, name + ".geojson")
            else:
                uri = f"{os.path.abspath(args.gpkg)}|layername={name}"
            layer = QgsVectorLayer(uri, name, "ogr")  # loads the default style
            if not layer.isValid() and name in OPTIONAL and not args.layers:
                continue
            if not layer.isValid():
                print(f"{name}: cannot open {uri}", file=sys.stderr)
                return 1
            renderer = layer.renderer().type() if layer.renderer() else "none"
            legend = []
            if renderer == "categorizedSymbol":
                legend = [c.label() for c in layer.renderer().categories()]
            print(f"{name}: {layer.featureCount()} features, renderer {renderer}"
                  + (f", legend {legend}" if legend else "")
                  + (", labels on" if layer.labelsEnabled() else ""))
            layers.append(layer)

        settings = QgsMapSettings()
        settings.setLayers(list(reversed(layers)))  # first in the list is drawn on top
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
        width, height = (int(v) for v in args.size.split("x"))
        settings.setOutputSize(QSize(width, height))
        settings.setBackgroundColor(QColor(255, 255, 255))
        if args.extent:
            x0, y0, x1, y1 = (float(v) for v in args.extent.split(","))
            extent = QgsRectangle(x0, y0, x1, y1)
        else:
            extent = QgsRectangle(layers[0].extent())
            for layer in layers[1:]:
                extent.combineExtentWith(layer.extent())
            extent.scale(1.1)
        settings.setExtent(extent)
        # The QGIS canvas gives symbols @map_scale and friends; a bare job has to be told.
        context = QgsExpressionContext()
        context.appendScope(QgsExpressionContextUtils.globalScope())
        context.appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
        settings.setExpressionContext(context)

        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        if not job.renderedImage().save(args.png, "PNG"):
            print(f"cannot write {args.png}", file=sys.stderr)
            return 1
        print(f"wrote {args.png} ({width}x{height}, scale 1:{settings.scale():.0f})")
        return 0
    finally:
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main())
