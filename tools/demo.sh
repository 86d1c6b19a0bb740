#!/usr/bin/env bash
# Sets everything up (tools/setup.sh), checks the bundled 2022 campaign and analyses it as of
# both milestones: out/2022-06-30/ and out/2022-07-30/ (reports, GeoJSON, GeoPackage). The sample
# has terrain (geodata/campaign.json: Hata + knife-edge diffraction over the synthetic DEM
# committed in geodata/terrain/, made by gen-dem). Then the same campaign terrain-blind
# (geodata/campaign_flat.json) as of the last milestone, for comparison: out/2022-07-30-flat/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
build/deadzone check --campaign geodata
for day in 2022-06-30 2022-07-30; do
  echo
  build/deadzone analyze geodata --as-of "$day" --out "out/$day"
done
echo
echo "Terrain-blind, for comparison:"
build/deadzone analyze --campaign geodata/campaign_flat.json --as-of 2022-07-30 --out out/2022-07-30-flat
echo
echo "Open out/2022-06-30/report.html in a browser; drag out/2022-06-30/deadzone.gpkg into QGIS"
echo "(its footprints layer shows the terrain's shadows)."
echo "The service and its dashboard on the sample: tools/serve_sample.sh"
