#!/usr/bin/env bash
# Starts `deadzone serve` on the bundled sample in one command: builds the sample store once
# (init + the three operators' station files), issues a department token and a viewer token
# the first time (printed once, and kept in $WORK/tokens.txt for this demo only), then serves
# the store and the dashboard on http://127.0.0.1:8080/ until Ctrl-C.
#
#   tools/serve_sample.sh                     # http://127.0.0.1:8080/
#   LISTEN=0.0.0.0:8443 TLS_CERT=c.pem TLS_KEY=k.pem tools/serve_sample.sh
#   BUILD=build-mine WORK=/tmp/dz tools/serve_sample.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WORK=${WORK:-/tmp/deadzone-serve-sample}
LISTEN=${LISTEN:-127.0.0.1:8080}
DZ=$BUILD/deadzone
[ -x "$DZ" ] || { echo "no $DZ: build first (tools/demo.sh or cmake --build $BUILD)" >&2; exit 1; }
# The dashboard serves Leaflet from web/vendor/leaflet, copied from npm by tools/setup.sh.
[ -f web/vendor/leaflet/leaflet-src.esm.js ] || tools/setup.sh --no-build
mkdir -p "$WORK"
STORE=$WORK/sample.gpkg
if [ ! -f "$STORE" ]; then
  "$DZ" -q init "$STORE" --campaign geodata/campaign.json
  "$DZ" -q import "$STORE" --stations geodata/stations/viettel.csv --operator VTL
  "$DZ" -q import "$STORE" --stations geodata/stations/vinaphone.geojson --operator VNP
  "$DZ" -q import "$STORE" --stations geodata/stations/mobifone.gpkg --operator MBF
  "$DZ" -q import "$STORE" --stations geodata/stations/mobifone_opencellid.csv --operator MBF --mode upsert
  {
    echo "department $("$DZ" -q token add "$STORE" --role department)"
    echo "viewer     $("$DZ" -q token add "$STORE" --role viewer)"
    echo "VTL        $("$DZ" -q token add "$STORE" --operator VTL)"
  } > "$WORK/tokens.txt"
  chmod 600 "$WORK/tokens.txt"
fi
echo "Tokens for this demo store ($WORK/tokens.txt):"
cat "$WORK/tokens.txt"
TLS=()
if [ -n "${TLS_CERT:-}" ]; then TLS=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"); fi
exec "$DZ" serve "$STORE" --listen "$LISTEN" "${TLS[@]}"
