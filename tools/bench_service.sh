#!/usr/bin/env bash
# Load test of `deadzone serve` on the sample with wrk (Debian package `wrk`): /api/progress and
# a bbox layer request, each first alone, then while operators upload in a loop (every upload
# changes the store, so the cache is rebuilt each time: the worst case for readers).
# Short runs (DURATION, default 10 s each) on purpose: the machine is shared.
#
#   tools/bench_service.sh                         # wrk: 2 threads, 32 connections; server: 64 threads
#   DURATION=20s CONNECTIONS=64 tools/bench_service.sh
#   BUILD=build-mine tools/bench_service.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-64}
PORT=${PORT:-18080}
WORK=$(mktemp -d /tmp/deadzone-bench-service-XXXXXX)
DZ=$BUILD/deadzone
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

STORE=$WORK/sample.gpkg
"$DZ" -q init "$STORE" --campaign geodata/campaign_flat.json
"$DZ" -q import "$STORE" --stations geodata/stations/viettel.csv --operator VTL
"$DZ" -q import "$STORE" --stations geodata/stations/vinaphone.geojson --operator VNP
"$DZ" -q import "$STORE" --stations geodata/stations/mobifone.gpkg --operator MBF
VIEWER=$("$DZ" -q token add "$STORE" --role viewer)
MBF=$("$DZ" -q token add "$STORE" --operator MBF)

"$DZ" serve "$STORE" --listen 127.0.0.1:$PORT --threads "$SERVER_THREADS" 2>"$WORK/serve.log" &
SERVER=$!
UPLOADER=
cleanup() {
  [ -n "$UPLOADER" ] && kill "$UPLOADER" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

PROGRESS="http://127.0.0.1:$PORT/api/progress?as_of=2022-06-30"
LAYER="http://127.0.0.1:$PORT/api/layers/villages.geojson?as_of=2022-06-30&bbox=104.0,21.5,105.5,23.0"
AUTH="Authorization: Bearer $VIEWER"
# Warm the cache (the first request computes the analysis and the layers).
curl -sf -H "$AUTH" "$PROGRESS" >/dev/null
curl -sf -H "$AUTH" "$LAYER" >/dev/null

# Each read is run twice: as a browser asks (Chromium sends "Accept-Encoding: gzip, deflate, br":
# the service answers with its cached gzip copy) and as a client without compression.
BROWSER="Accept-Encoding: gzip, deflate, br"
run() { # label url [extra header]
  echo "== $1"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" ${3:+-H "$3"} "$2" |
    grep -E "Requests/sec|Transfer/sec|  50%|  99%|Non-2xx|Socket errors|requests in"
}
echo "deadzone serve on the sample: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "wrk $WRK_THREADS threads, $CONNECTIONS connections, $DURATION per run, $SERVER_THREADS server threads"
run "/api/progress (cached), gzip" "$PROGRESS" "$BROWSER"
run "/api/progress (cached), uncompressed" "$PROGRESS"
run "bbox villages layer (cached), gzip" "$LAYER" "$BROWSER"
run "bbox villages layer (cached), uncompressed" "$LAYER"

# MobiFone adds a cell (upsert), then uploads its GeoPackage again (replace: the cell ends), as
# fast as it can: every upload changes the store.
printf 'operator,site_id,cell_id,lon,lat,tech,status,on_air_date\nMBF,BENCH-1,1,105.5,22.5,4G,on_air,2022-06-01\n' > "$WORK/one.csv"
(
  while true; do
    curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $MBF" -H "Content-Type: text/csv" \
      --data-binary @"$WORK/one.csv" "http://127.0.0.1:$PORT/api/uploads?kind=stations&mode=upsert&file=one.csv" \
      >> "$WORK/uploads.txt" || true
    curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $MBF" -H "Content-Type: application/geopackage+sqlite3" \
      --data-binary @geodata/stations/mobifone.gpkg "http://127.0.0.1:$PORT/api/uploads?kind=stations&mode=replace&file=mobifone.gpkg" \
      >> "$WORK/uploads.txt" || true
  done
) &
UPLOADER=$!
run "/api/progress while MBF uploads in a loop, gzip" "$PROGRESS" "$BROWSER"
run "/api/progress while MBF uploads in a loop, uncompressed" "$PROGRESS"
run "bbox villages layer while MBF uploads in a loop, gzip" "$LAYER" "$BROWSER"
run "bbox villages layer while MBF uploads in a loop, uncompressed" "$LAYER"
kill "$UPLOADER" 2>/dev/null || true
wait "$UPLOADER" 2>/dev/null || true
UPLOADER=
echo "uploads answered during the runs: $(sort "$WORK/uploads.txt" | uniq -c | tr '\n' ' ')"
