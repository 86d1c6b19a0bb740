#!/usr/bin/env bash
# Sets everything up (tools/setup.sh), checks the bundled 2022 campaign and analyses it as of
# both milestones: out/2022-06-30/ and out/2022-07-30/ (reports, GeoJSON, GeoPackage).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
build/deadzone check --campaign geodata
for day in 2022-06-30 2022-07-30; do
  echo
  build/deadzone analyze geodata --as-of "$day" --out "out/$day"
done
echo
echo "Open out/2022-06-30/report.html in a browser; drag out/2022-06-30/deadzone.gpkg into QGIS."
