#!/usr/bin/env bash
# PostgreSQL store benchmark (issue 12): the same national-scale uploads into a GeoPackage store
# and a PostgreSQL store, each step run on one side then the other (so both see the same load)
# and timed with /usr/bin/time -v: wall, CPU of the deadzone process (the server's own CPU is not
# in it) and its peak resident memory. Prints one table with the ratio PostgreSQL / GeoPackage
# and the load average at each step (the machine is shared).
#
#   tools/bench_pg.sh                              # national: 100 000 villages, 100 000 sites = 300 000 cells
#   VILLAGES=10000 SITES=20000 tools/bench_pg.sh   # smaller (60 000 cells)
#   REPORT=0 tools/bench_pg.sh                     # imports only (report's overlay is the long part)
#   BUILD=build-mine tools/bench_pg.sh             # another build folder (default: build)
#
# Uploads: init (campaign, villages, commitments), then every cell of the scenario as ONE
# operator's upload (VTL; site ids prefixed by their generated operator, so keys stay unique):
# the "300 000 cells in one import" case; then the same file again (a no-op), then
# `report --json` from each store (the two documents must be equal but for the upload time).
# The scenario comes from build/tools/gen-campaign national (seeded: the same files every run).
# Uses $DEADZONE_TEST_PG_URI when set, else starts a throwaway cluster (tools/pg_test_cluster.sh)
# and stops it on exit. Scenarios are kept in $WORK (default /tmp/deadzone-bench-pg).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WORK=${WORK:-/tmp/deadzone-bench-pg}
SITES=${SITES:-100000}
VILLAGES=${VILLAGES:-100000}
SEED=${SEED:-2022}
AS_OF=${AS_OF:-2022-07-30}
REPORT=${REPORT:-1}

if [ "${SKIP_BUILD:-0}" != 1 ]; then # SKIP_BUILD=1: use the binaries as they are
    cmake --build "$BUILD" --target deadzone gen-campaign -- -j2 >/dev/null
fi
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
    # The density of the 100 000-village scenario: fewer villages use the northern part of the land.
    share=$(awk -v v="$VILLAGES" 'BEGIN { s = v / 100000; if (s > 1) s = 1; print s }')
    /usr/bin/time -f "%e" -o "$WORK/gen-time" "$BUILD/tools/gen-campaign" national --out "$scenario" --seed "$SEED" \
        --villages "$VILLAGES" --sites "$SITES" --land-share "$share" >/dev/null
    echo "generated $scenario in $(cat "$WORK/gen-time") s"
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

# run KIND OUTFILE command...: runs it under /usr/bin/time -v; sets WALL (s), CPU (user+sys s), RSS (MB).
run() {
    local kind=$1 out=$2
    shift 2
    /usr/bin/time -v -o "$WORK/time-$kind" "$@" >"$out" 2>"$WORK/err-$kind" ||
        { cat "$WORK/err-$kind" >&2; echo "bench_pg: '$*' failed" >&2; exit 1; }
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$WORK/time-$kind")
    CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$WORK/time-$kind")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/time-$kind")
}

step() { # label, then the deadzone arguments with STORE where the store goes
    local label=$1
    shift
    local args_g=() args_p=()
    for a in "$@"; do
        if [ "$a" = STORE ]; then args_g+=("$gpkg"); args_p+=("$pg"); else args_g+=("$a"); args_p+=("$a"); fi
    done
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    run gpkg "$WORK/out-gpkg" "$DEADZONE" -q "${args_g[@]}"
    local gw=$WALL gc=$CPU gr=$RSS
    run pg "$WORK/out-pg" "$DEADZONE" -q "${args_p[@]}"
    local ratio
    ratio=$(awk -v a="$WALL" -v b="$gw" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf "| %-40s | %7s s | %6s s | %5s MB | %7s s | %6s s | %5s MB | %5s | %5s |\n" "$label" "$gw" "$gc" "$gr" \
        "$WALL" "$CPU" "$RSS" "$ratio" "$load"
}

echo "Scenario: $VILLAGES villages, $ncells cells in one upload; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| step | GeoPackage wall | CPU | peak RSS | PostgreSQL wall | CPU | peak RSS | PG/GPKG | load |"
echo "|---|---|---|---|---|---|---|---|---|"
step "init (campaign, villages, commitments)" init STORE --campaign "$scenario/campaign.json"
step "import $ncells cells, all added" import STORE --stations "$cells" --operator VTL
step "same file again (no-op)" import STORE --stations "$cells" --operator VTL
if [ "$REPORT" = 1 ]; then
    step "report --as-of $AS_OF --json" report STORE --as-of "$AS_OF" --json
    # The two stores hold the same uploads: the same document but for the upload time.
    if ! cmp -s <(grep -v '"uploaded_at"' "$WORK/out-gpkg") <(grep -v '"uploaded_at"' "$WORK/out-pg"); then
        echo "bench_pg: report --json differs between the GeoPackage and the PostgreSQL store" >&2
        exit 1
    fi
    echo "report --json: identical from both stores (upload time aside)"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
