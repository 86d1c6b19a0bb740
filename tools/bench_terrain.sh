#!/usr/bin/env bash
# Terrain benchmarks, side by side: `deadzone viewshed` (R2, both cores) against gdal_viewshed
# (GDAL's own, single-threaded) on the same generated DEM, observer and radius; then ITM points
# per second over radial profiles. Several runs each; medians and the ratio are printed.
#
# usage: tools/bench_terrain.sh [BUILD_DIR]     env: SIZE (cells, default 2001), RADIUS_M
#        (default 20000), RUNS (default 3), DEADZONE_BENCH_RADIALS (default 8)
set -euo pipefail
BUILD=${1:-build}
SIZE=${SIZE:-2001}
RADIUS_M=${RADIUS_M:-20000}
RUNS=${RUNS:-3}
DEADZONE="$BUILD/deadzone"
[[ -x "$DEADZONE" ]] || { echo "bench_terrain: no $DEADZONE (build first)" >&2; exit 2; }
command -v gdal_viewshed >/dev/null || { echo "bench_terrain: gdal_viewshed not found" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A rough synthetic DEM (30 m cells, UTM 48N): ridges at two scales plus seeded noise.
python3 - "$SIZE" "$WORK/dem.asc" <<'PY'
import math, sys
n = int(sys.argv[1]); cell = 30.0; state = 2024
with open(sys.argv[2], "w") as f:
    f.write(f"ncols {n}\nnrows {n}\nxllcorner 500000\nyllcorner {2400000 - n * cell}\ncellsize {cell}\n")
    for y in range(n):
        row = []
        for x in range(n):
            state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
            noise = ((state >> 8) & 0xFFFF) / 65535.0 * 24.0 - 12.0
            z = (600 + 300 * math.sin(x / 23) * math.cos(y / 31) + 150 * math.sin((x + 2 * y) / 11)
                 + 60 * math.cos((3 * x - y) / 7) + noise)
            row.append(f"{z:.2f}")
        f.write(" ".join(row) + "\n")
PY
gdal_translate -q -a_srs EPSG:32648 -ot Float32 "$WORK/dem.asc" "$WORK/dem.tif"
CENTER=$(( SIZE / 2 ))
X=$(python3 -c "print(500000 + ($CENTER + 0.5) * 30)")
Y=$(python3 -c "print(2400000 - ($CENTER + 0.5) * 30)")
read -r LON LAT < <(echo "$X $Y" | gdaltransform -s_srs EPSG:32648 -t_srs EPSG:4326 -output_xy)

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# Wall time and CPU time (user + sys, all threads) per run, via /usr/bin/time -v. On a shared
# machine the wall time depends on the load; the CPU time does not (much).
time_runs() { # label, command...
    local label=$1; shift
    local walls=() cpus=()
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$WORK/time.txt")")
        cpus+=("$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$WORK/time.txt")")
    done
    printf '%s\n' "${walls[@]}" | median > "$WORK/$label.wall"
    printf '%s\n' "${cpus[@]}" | median > "$WORK/$label.cpu"
    printf '%-24s wall %s s (median %s), cpu %s s (median %s)\n' "$label" "${walls[*]}" "$(cat "$WORK/$label.wall")" \
        "${cpus[*]}" "$(cat "$WORK/$label.cpu")"
}

echo "DEM: ${SIZE}x${SIZE} cells of 30 m; observer at the centre, 10 m up, target 2 m, radius ${RADIUS_M} m; $(nproc) cores"
time_runs deadzone "$DEADZONE" viewshed --dem "$WORK/dem.tif" --lon "$LON" --lat "$LAT" \
    --observer-height-m 10 --target-height-m 2 --max-distance-m "$RADIUS_M" --out "$WORK/ours.tif"
time_runs "gdal_viewshed" gdal_viewshed -q -oz 10 -tz 2 -cc 0.85714 -md "$RADIUS_M" -ox "$X" -oy "$Y" \
    "$WORK/dem.tif" "$WORK/gdal.tif"
printf 'ratio gdal_viewshed / deadzone: wall %.2f, cpu %.2f (above 1: deadzone is faster)\n' \
    "$(echo "$(cat "$WORK/gdal_viewshed.wall") / $(cat "$WORK/deadzone.wall")" | bc -l)" \
    "$(echo "$(cat "$WORK/gdal_viewshed.cpu") / $(cat "$WORK/deadzone.cpu")" | bc -l)"

if [[ -x "$BUILD/tests/test_model" ]]; then
    echo "ITM over radial profiles:"
    "$BUILD/tests/test_model" --no-skip -tc="itm throughput" 2>&1 | grep -E "ITM points|thread" | sed 's/^.*MESSAGE: //'
fi

# --- Terrain footprints ----------------------------------------------------------------------
# The sample with terrain (goal < 20 s on 2 cores): geodata/campaign_terrain.json over the
# synthetic DEM from gen-dem (generated here when missing), wall and CPU time.
GEN_DEM="$BUILD/tools/gen-dem"
SAMPLE_DEM=geodata/terrain/dem.tif
if [[ -x "$GEN_DEM" ]]; then
    if [[ ! -f "$SAMPLE_DEM" ]]; then
        mkdir -p geodata/terrain
        "$GEN_DEM" --villages geodata/villages.geojson --out "$SAMPLE_DEM"
    fi
    echo "Sample campaign with terrain (hata+diffraction, 360 radials, DEM step):"
    RUNS=1 time_runs sample_terrain "$DEADZONE" analyze geodata/campaign_terrain.json --as-of 2022-06-30 \
        --out "$WORK/sample_terrain" --threads 2
    RUNS=1 time_runs sample_blind "$DEADZONE" analyze geodata/campaign.json --as-of 2022-06-30 \
        --out "$WORK/sample_blind" --threads 2
    # Cost against cells and range: the sample's first N cells, hata+diffraction (reach = Hata's)
    # and itm (reach = max_range_m), on 2 threads. CELLS / RANGES override the series.
    python3 - "$WORK" <<'PY'
import csv, json, os, sys
work = sys.argv[1]
base = json.load(open("geodata/campaign_terrain.json"))
rows = list(csv.DictReader(open("geodata/stations/viettel.csv")))
for n in (30, 300, 1000):
    with open(f"{work}/cells_{n}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys())
        w.writeheader()
        w.writerows(rows[:n])
for model, rng in (("hata+diffraction", 35000), ("itm", 5000), ("itm", 10000), ("itm", 20000)):
    c = dict(base)
    c["model"] = dict(base["model"], propagation=model, max_range_m=rng)
    c["terrain"] = {"dem": os.path.abspath("geodata/terrain/dem.tif")}
    for key in ("villages", "commitments"):
        c[key] = os.path.abspath("geodata/" + base[key])
    c.pop("stations")
    json.dump(c, open(f"{work}/campaign_{model.replace('+', '_')}_{rng}.json", "w"))
PY
    for n in ${CELLS:-30 300 1000}; do
        RUNS=1 time_runs "hata_diffraction_${n}_cells" "$DEADZONE" analyze "$WORK/campaign_hata_diffraction_35000.json" \
            --stations "$WORK/cells_$n.csv" --as-of 2022-06-30 --out "$WORK/o_$n" --threads 2 --format geojson
    done
    for r in ${RANGES:-5000 10000}; do
        RUNS=1 time_runs "itm_30_cells_${r}_m" "$DEADZONE" analyze "$WORK/campaign_itm_$r.json" \
            --stations "$WORK/cells_30.csv" --as-of 2022-06-30 --out "$WORK/i_$r" --threads 2 --format geojson
    done
    echo "(30 000 cells: about 30 x the 1 000-cell CPU time — per-cell cost is flat; see docs/model.md)"
fi
