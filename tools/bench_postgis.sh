#!/usr/bin/env bash
# deadzone against PostGIS on the same overlay (issue #13, part 5), side by side in one run.
#
#   tools/bench_postgis.sh                  # 10 000 and 30 000 villages
#   tools/bench_postgis.sh 10000 30000 100000
#   BUILD=build-mine WORK=/tmp/x tools/bench_postgis.sh 10000
#   NO_BUILD=1 tools/bench_postgis.sh   # use the tools already built (another build is running)
#
# Per size N: `gen-campaign national` writes N villages and N three-sector sites on the northern
# part of the land holding N/100 000 of its area (the density of 100 000 villages over all of
# Vietnam at every size, so the per-village work stays the same and the series shows how each
# side grows with N). Each sector becomes an omni cell with a fixed range_m (1.2-2.8 km, from the
# site and cell numbers), placed half its range out along the sector's azimuth: about as many
# cells meet a village as in the independent campaign of the issue.
#
# Both sides read the same villages.gpkg and stations.csv and compute, at the as-of date, the
# covered fraction of every village per operator and for all operators together, over the cells
# on air that day:
#   deadzone  bench-overlay: ingest, build_footprints, then run_overlay timed with 1 and 2
#             threads. run_overlay does more than PostGIS here: covered periods over all dates,
#             expected dates, potential fractions and the gap geometry of every village.
#   PostGIS   a throwaway PostgreSQL 15 + PostGIS 3 (tools/pg_test_cluster.sh, stopped on exit,
#             failure included). Villages loaded with ogr2ogr, cells with COPY; each footprint is
#             the engine's geodesic circle (128 ST_Project points on the WGS84 ellipsoid, radius
#             scaled to the circle's area as geo::disc does), GiST-indexed. Per village:
#             ST_Area(ST_Intersection(village, ST_Union(its footprints))::geography) / village area
#             (in PostGIS faster than the union of the clipped footprints: 12.5 s against 16.3 s
#             at 2 000 villages, same fractions to 7e-6), grouped by operator, then for all
#             operators, over the cells on air.
# The agreement is the mean and max |Δ| over every (village, operator) pair either side reports
# (a missing pair is 0) and over ALL. Times are wall seconds; the machine may be shared, so the
# load average is printed with each table.
#
# Figures (docs/overlay.md, "deadzone against PostGIS"), 2026-12-02 on a quiet machine (load
# average 1.2-1.4): PostGIS's two queries (wall) / deadzone run_overlay on two threads: 14.07 /
# 0.47 s = 29.9x at 10 000 villages, 41.84 / 1.48 s = 28.3x at 30 000, 150.08 / 4.67 s = 32.1x at
# 100 000; per CPU second 18.1x, 17.3x, 19.9x (2026-11-30, before: 4.4x, 6.5x, 2.4x wall under a
# load of 13-18; 8.9x, 5.5x, 6.1x CPU). Max |Δ| per (village, operator) 7.0e-6, 9.5e-6, 1.3e-5.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WORK=${WORK:-/tmp/deadzone-postgis}
SEED=${SEED:-2022}
AS_OF=${AS_OF:-2022-07-30}
FULL=100000
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 30000)
for n in "${sizes[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ && "$n" -le "$FULL" ]] || { echo "bench_postgis.sh: size must be 1..$FULL, not '$n'" >&2; exit 2; }
done
for tool in ogr2ogr awk; do
    command -v "$tool" >/dev/null || { echo "bench_postgis.sh: $tool is missing (tools/setup.sh installs it)" >&2; exit 2; }
done

if [ -z "${NO_BUILD:-}" ]; then
    if [ ! -f "$BUILD/build.ninja" ] && [ ! -f "$BUILD/Makefile" ]; then
        cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    cmake --build "$BUILD" --target bench-overlay gen-campaign -- -j2 >/dev/null
fi
for tool in bench-overlay gen-campaign; do
    [ -x "$BUILD/tools/$tool" ] || { echo "bench_postgis.sh: $BUILD/tools/$tool is not built" >&2; exit 2; }
done

mkdir -p "$WORK"
eval "$(tools/pg_test_cluster.sh start 2>/dev/null)"
trap 'tools/pg_test_cluster.sh stop "$DEADZONE_TEST_PG_DIR" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
pg_dir=$DEADZONE_TEST_PG_DIR
pg_uri=$DEADZONE_TEST_PG_URI
pg_port=${pg_uri##*:}
pg_port=${pg_port%%/*}
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql
psql() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$pg_uri" "$@"; }
now() { date +%s.%N; }
# CPU seconds the server has used so far: the postmaster and its live children, plus what its
# finished children (one backend per psql call, parallel workers) left in its cutime/cstime.
clk_tck=$(getconf CLK_TCK)
pg_cpu() {
    local pm ticks=0 pid f
    pm=$(head -n 1 "$pg_dir/data/postmaster.pid")
    for pid in "$pm" $(pgrep -P "$pm"); do
        f=$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null) || continue
        ticks=$((ticks + $(awk '{ print $12 + $13 + $14 + $15 }' <<<"$f")))
    done
    awk -v t="$ticks" -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }'
}
# A finished backend's CPU reaches the postmaster's cutime only once the postmaster has reaped
# it, a moment after psql returns: wait (up to 10 s) until no more children are alive than the
# server's own processes, so that each query's CPU is counted in its own row.
pg_children() { pgrep -c -P "$(head -n 1 "$pg_dir/data/postmaster.pid")" || true; }
wait_reaped() {
    local i
    for i in $(seq 100); do
        (( $(pg_children) <= pg_base_children )) && return 0
        sleep 0.1
    done
}
cpu_since() { wait_reaped; awk -v a="$1" -v b="$(pg_cpu)" 'BEGIN { printf "%.2f", b - a }'; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
pg_base_children=$(pg_children) # checkpointer, writers, launchers: no backend yet
pg_version=$(psql -At -c "SELECT split_part(version(), ' ', 2) || ' + PostGIS ' || postgis_lib_version() || ' (GEOS ' || split_part(postgis_geos_version(), '-', 1) || ')'")

# The engine's disc (geo::disc) scales the inscribed 128-gon's radius so that its area is pi r^2.
disc_scale=$(awk 'BEGIN { n = 128; pi = atan2(0, -1); printf "%.17g", sqrt(2 * pi / (n * sin(2 * pi / n))) }')

summary=$(mktemp)
trap 'rm -f "$summary"; tools/pg_test_cluster.sh stop "$pg_dir" 2>/dev/null' EXIT

for n in "${sizes[@]}"; do
    share=$(awk -v n="$n" -v full="$FULL" 'BEGIN { printf "%.6g", n / full }')
    dir="$WORK/omni-$n-seed$SEED"
    if [ ! -f "$dir/campaign.json" ]; then
        rm -rf "$dir.gen" "$dir"
        "$BUILD/tools/gen-campaign" national --villages "$n" --sites "$n" --seed "$SEED" --land-share "$share" \
            --out "$dir.gen" >/dev/null
        mkdir -p "$dir"
        mv "$dir.gen/villages.gpkg" "$dir.gen/commitments.csv" "$dir/"
        # Sectors → omni cells with a fixed range: drop the radio columns, add range_m.
        awk -F, -v OFS=, '
            NR == 1 { print "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,range_m"; next }
            {
                site = substr($2, 2) + 0; k = substr($3, 2) + 0
                range = 1200 + (site * 7919 + k * 104729) % 1601
                pi = atan2(0, -1); az = $13 * pi / 180; d = range / 2
                lat = $5 + d * cos(az) / 110574
                lon = $4 + d * sin(az) / (111320 * cos($5 * pi / 180))
                printf "%s,%s,%s,%.6f,%.6f,%s,%s,%s,%s,%d\n", $1, $2, $3, lon, lat, $6, $7, $8, $9, range
            }' "$dir.gen/stations.csv" >"$dir/stations.csv"
        mv "$dir.gen/campaign.json" "$dir/campaign.json"
        rm -rf "$dir.gen"
    fi
    cells=$(($(wc -l <"$dir/stations.csv") - 1))
    echo "## $n villages, $cells omni cells (fixed range_m), on $share of the land, as of $AS_OF"
    echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg)"

    # deadzone
    dz_log="$dir/deadzone.txt"
    "$BUILD/tools/bench-overlay" "$dir" --as-of "$AS_OF" --threads 1 2 --no-dissolve --fractions "$dir/deadzone.csv" >"$dz_log"
    dz() { awk -F'|' -v step="$1" -v thr="$2" '{ s = $2; t = $5; gsub(/ /, "", s); gsub(/ /, "", t) } s == step && (thr == "" || t == thr) { gsub(/ /, "", $6); print $6; exit }' "$dz_log"; }
    dz_ingest=$(dz ingest ""); dz_foot=$(dz build_footprints ""); dz_1=$(dz run_overlay 1); dz_2=$(dz run_overlay 2)
    dzc() { awk -F'|' -v thr="$1" '{ s = $2; t = $5; gsub(/ /, "", s); gsub(/ /, "", t) } s == "run_overlay" && t == thr { gsub(/ /, "", $7); print $7; exit }' "$dz_log"; }
    dz_1c=$(dzc 1); dz_2c=$(dzc 2)
    dz_mem=$(awk -F'|' '/run_overlay/ { gsub(/ /, "", $8); m = $8 } END { print m }' "$dz_log")
    meet=$(grep -o '[0-9.]* cells meet a village' "$dz_log" | cut -d' ' -f1)

    # PostGIS
    psql -c "DROP TABLE IF EXISTS villages, raw_cells, cells, pg_op, pg_all"
    t=$(now)
    PGPASSWORD='' ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$pg_port user=postgres dbname=deadzone_test" \
        "$dir/villages.gpkg" villages -nln villages -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST \
        -select village_id -gt 65536 -nlt POLYGON
    psql -c "ALTER TABLE villages ADD COLUMN area_m2 double precision;
             UPDATE villages SET area_m2 = ST_Area(geom::geography); ANALYZE villages"
    pg_villages=$(since "$t")
    t=$(now)
    psql <<SQL
CREATE TABLE raw_cells (operator text, site_id text, cell_id text, lon double precision, lat double precision,
                        tech text, status text, on_air_date date, off_air_date date, range_m double precision);
\copy raw_cells FROM '$dir/stations.csv' WITH (FORMAT csv, HEADER true)
SQL
    pg_copy=$(since "$t")
    t=$(now)
    # In service on the as-of date exactly as Cell::in_service: on air or off air, with an on-air
    # date on or before it, and no off-air date on or before it (nor one before the on-air date).
    psql <<SQL
CREATE TABLE cells AS
SELECT c.operator,
       (c.status IN ('on_air', 'off_air') AND c.on_air_date IS NOT NULL AND c.on_air_date <= DATE '$AS_OF'
        AND (c.off_air_date IS NULL OR (c.off_air_date > c.on_air_date AND c.off_air_date > DATE '$AS_OF'))
        AND NOT (c.status = 'off_air' AND c.off_air_date IS NULL)) AS on_air,
       ST_MakePolygon(ST_MakeLine(ARRAY(
           SELECT ST_Project(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)::geography, c.range_m * $disc_scale,
                             radians(360.0 * (k % 128) / 128))::geometry
           FROM generate_series(0, 128) AS k ORDER BY k))) AS geom
FROM raw_cells c;
CREATE INDEX ON cells USING gist (geom);
ANALYZE cells;
SQL
    pg_foot=$(since "$t")
    on_air=$(psql -At -c "SELECT count(*) FROM cells WHERE on_air")
    t=$(now)
    wait_reaped
    c=$(pg_cpu)
    psql <<SQL
CREATE TABLE pg_op AS
SELECT v.village_id, c.operator,
       ST_Area(ST_CollectionExtract(ST_Intersection(v.geom, ST_Union(c.geom)), 3)::geography) / v.area_m2 AS fraction
FROM villages v JOIN cells c ON c.on_air AND ST_Intersects(v.geom, c.geom)
GROUP BY v.village_id, c.operator, v.area_m2, v.geom;
SQL
    pg_op=$(since "$t")
    pg_op_cpu=$(cpu_since "$c")
    t=$(now)
    wait_reaped
    c=$(pg_cpu)
    psql <<SQL
CREATE TABLE pg_all AS
SELECT v.village_id, 'ALL'::text AS operator,
       ST_Area(ST_CollectionExtract(ST_Intersection(v.geom, ST_Union(c.geom)), 3)::geography) / v.area_m2 AS fraction
FROM villages v JOIN cells c ON c.on_air AND ST_Intersects(v.geom, c.geom)
GROUP BY v.village_id, v.area_m2, v.geom;
SQL
    pg_all=$(since "$t")
    pg_all_cpu=$(cpu_since "$c")
    psql -c "\copy (SELECT village_id, operator, fraction FROM pg_op UNION ALL SELECT * FROM pg_all) TO '$dir/postgis.csv' WITH (FORMAT csv, HEADER true)"

    # Agreement over every pair either side has (deadzone lists operators whose cells meet the
    # village even when none is on air: fraction 0, absent from PostGIS, so also counted as 0).
    agreement=$(awk -F, '
        FNR == 1 { next }
        FILENAME == ARGV[1] { dz[$1 "," $2] = $3; keys[$1 "," $2] = 1; next }
        { pg[$1 "," $2] = $3; keys[$1 "," $2] = 1 }
        END {
            for (k in keys) {
                d = (k in dz ? dz[k] : 0) - (k in pg ? pg[k] : 0); if (d < 0) d = -d
                split(k, part, ","); all = part[2] == "ALL"
                cnt[all]++; sum[all] += d; if (d > mx[all]) { mx[all] = d; at[all] = k }
            }
            printf "per operator: %d pairs, mean |Δ| %.2g, max |Δ| %.2g (%s); all operators: %d villages, mean |Δ| %.2g, max |Δ| %.2g (%s)",
                cnt[0], sum[0] / (cnt[0] ? cnt[0] : 1), mx[0], at[0], cnt[1], sum[1] / (cnt[1] ? cnt[1] : 1), mx[1], at[1]
        }' "$dir/deadzone.csv" "$dir/postgis.csv")

    pg_total=$(awk -v a="$pg_op" -v b="$pg_all" 'BEGIN { printf "%.2f", a + b }')
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", (b > 0 ? a / b : 0) }'; }
    echo "   $on_air of $cells cells on air; $meet cells meet a village on average; $pg_version"
    echo
    echo "| step (wall s)                           |       PostGIS | deadzone 1 thr | deadzone 2 thr | PostGIS / deadzone 1 thr | PostGIS / deadzone 2 thr |"
    echo "|-----------------------------------------|---------------|----------------|----------------|--------------------------|--------------------------|"
    printf "| load villages / ingest (deadzone: all)  | %13s | %14s | %14s | %24s | %24s |\n" "$pg_villages+$pg_copy" "$dz_ingest" "-" "-" "-"
    printf "| footprints (geodesic circles, indexed)  | %13s | %14s | %14s | %24s | %24s |\n" "$pg_foot" "-" "$dz_foot" "-" "$(ratio "$pg_foot" "$dz_foot")"
    printf "| per-operator + all-operator fractions   | %13s | %14s | %14s | %24s | %24s |\n" "$pg_op+$pg_all" "$dz_1" "$dz_2" "$(ratio "$pg_total" "$dz_1")" "$(ratio "$pg_total" "$dz_2")"
    pg_total_cpu=$(awk -v a="$pg_op_cpu" -v b="$pg_all_cpu" 'BEGIN { printf "%.2f", a + b }')
    printf "| the same, CPU s (server / process)      | %13s | %14s | %14s | %24s | %24s |\n" "$pg_op_cpu+$pg_all_cpu" "$dz_1c" "$dz_2c" "$(ratio "$pg_total_cpu" "$dz_1c")" "$(ratio "$pg_total_cpu" "$dz_2c")"
    echo
    echo "   deadzone peak memory ${dz_mem} MB; agreement: $agreement"
    echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "$n $pg_total $dz_1 $dz_2 $pg_total_cpu $dz_1c" >>"$summary"
done

if (($(wc -l <"$summary") > 1)); then
    echo "## Growth: overlay time per village (ms), and against the smallest size (1.00 = linear)"
    awk '
        NR == 1 { n0 = $1; p0 = $2 / $1; a0 = $3 / $1; b0 = $4 / $1; pc0 = $5 / $1; ac0 = $6 / $1 }
        { rows[NR] = $0 }
        END {
            print "| villages | PostGIS ms | deadzone 1 thr ms | deadzone 2 thr ms | PostGIS growth | deadzone 1 thr growth | PostGIS CPU ms | deadzone 1 thr CPU ms | PostGIS CPU growth | deadzone CPU growth |"
            print "|----------|------------|-------------------|-------------------|----------------|-----------------------|----------------|-----------------------|--------------------|---------------------|"
            for (i = 1; i <= NR; ++i) {
                split(rows[i], f, " ")
                printf "| %8d | %10.3f | %17.3f | %17.3f | %14.2f | %21.2f | %14.3f | %21.3f | %18.2f | %19.2f |\n", f[1], 1000 * f[2] / f[1], 1000 * f[3] / f[1],
                    1000 * f[4] / f[1], (f[2] / f[1]) / p0, (f[3] / f[1]) / a0, 1000 * f[5] / f[1], 1000 * f[6] / f[1],
                    (pc0 > 0 ? (f[5] / f[1]) / pc0 : 0), (ac0 > 0 ? (f[6] / f[1]) / ac0 : 0)
            }
        }' "$summary"
fi
