#!/usr/bin/env bash
# PostgreSQL store benchmark (issue 12): the same national-scale uploads into a GeoPackage store
# and a PostgreSQL store, timing each step (wall, and CPU of the deadzone process: the server's
# own CPU is not in it). Prints one table.
#
#   tools/bench_pg.sh                          # 100 000 sites = 300 000 cells, 10 000 villages
#   SITES=20000 VILLAGES=2000 tools/bench_pg.sh   # smaller (60 000 cells)
#   REPORT=0 tools/bench_pg.sh                 # imports only (report's overlay is the long part)
#   BUILD=build-mine tools/bench_pg.sh         # another build folder (default: build)
#
# Uploads: init (campaign, villages, commitments), then every cell of the scenario as ONE
# operator's upload (VTL; site ids prefixed by their generated operator, so keys stay unique):
# the "300 000 cells in one import" case; then the same file again (a no-op), then `report`.
# Uses $DEADZONE_TEST_PG_URI when set, else starts a throwaway cluster (tools/pg_test_cluster.sh)
# and stops it on exit. Scenarios are kept in $WORK (default /tmp/deadzone-bench-pg).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WORK=${WORK:-/tmp/deadzone-bench-pg}
SITES=${SITES:-100000}
VILLAGES=${VILLAGES:-10000}
SEED=${SEED:-2022}
AS_OF=${AS_OF:-2022-07-30}
REPORT=${REPORT:-1}

cmake --build "$BUILD" --target deadzone gen-campaign -- -j2 >/dev/null
DEADZONE=$BUILD/deadzone
started_cluster=0
if [ -z "${DEADZONE_TEST_PG_URI:-}" ]; then
    eval "$(tools/pg_test_cluster.sh start)"
    started_cluster=1
    trap 'tools/pg_test_cluster.sh stop' EXIT
fi

mkdir -p "$WORK"
scenario=$WORK/national-$VILLAGES-$SITES-$SEED
if [ ! -f "$scenario/campaign.json" ]; then
    share=$(awk -v v="$VILLAGES" 'BEGIN { s = v / 100000; if (s > 1) s = 1; print s }')
    "$BUILD/tools/gen-campaign" national --out "$scenario" --seed "$SEED" --villages "$VILLAGES" --sites "$SITES" \
        --land-share "$share" >/dev/null
fi
cells=$scenario/all-as-vtl.csv
if [ ! -f "$cells" ]; then
    awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $2 = $1 "-" $2; $1 = "VTL"; print }' \
        "$scenario/stations.csv" >"$cells"
fi
ncells=$(($(wc -l <"$cells") - 1))

schema=bench_$$
sep='?'
[[ "$DEADZONE_TEST_PG_URI" == *\?* ]] && sep='&'
pg="$DEADZONE_TEST_PG_URI${sep}schema=$schema"
gpkg=$WORK/bench-$$.gpkg
cleanup_stores() {
    rm -f "$gpkg" "$gpkg-wal" "$gpkg-shm"
    psql -X -q "$DEADZONE_TEST_PG_URI" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap 'cleanup_stores; if [ "$started_cluster" = 1 ]; then tools/pg_test_cluster.sh stop; fi' EXIT

timed() { # label, store kind, command...
    local label=$1 kind=$2
    shift 2
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" ||
        { cat "$WORK/err" >&2; echo "bench_pg: '$label' failed" >&2; exit 1; }
    read -r wall user sys <"$WORK/time"
    printf "| %-44s | %-10s | %8s s | %6s + %-6s s |\n" "$label" "$kind" "$wall" "$user" "$sys"
}

echo "Scenario: $VILLAGES villages, $ncells cells in one upload ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo "| step | store | wall | CPU (user + sys) |"
echo "|---|---|---|---|"
for kind in gpkg postgresql; do
    store=$gpkg
    [ "$kind" = postgresql ] && store=$pg
    timed "init (campaign, villages, commitments)" "$kind" "$DEADZONE" -q init "$store" --campaign "$scenario/campaign.json"
    timed "import $ncells cells, all added" "$kind" "$DEADZONE" -q import "$store" --stations "$cells" --operator VTL
    timed "same file again (no-op)" "$kind" "$DEADZONE" -q import "$store" --stations "$cells" --operator VTL
    if [ "$REPORT" = 1 ]; then
        timed "report --as-of $AS_OF" "$kind" "$DEADZONE" -q report "$store" --as-of "$AS_OF"
    fi
done
