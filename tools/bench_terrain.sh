#!/usr/bin/env bash
# Terrain benchmarks, side by side:
#  (a) `deadzone viewshed` (both cores) against gdal_viewshed (GDAL's own, single-threaded) on
#      the same generated DEM, observer and radius, run in turn: medians and their ratio (both
#      write the same window, uncompressed);
#  (b) ITM points per second per thread over radial profiles: from scratch (one full
#      point-to-point call per point, the code path before RadialPath) and along the radial;
#  (c) the sample with terrain (geodata/campaign.json over gen-dem's DEM): wall time, CPU
#      time and peak RSS (/usr/bin/time -v), and the count of footprints that fell back to the
#      star-shaped lit part (the "footprint_star_only" warning); 1 vs 2 threads: wall/CPU ratios and
#      whether deadzone.gpkg is byte-identical;
#  (d) cost series: national scenarios from gen-campaign (cells 1k/3k/10k, 30k with CELLS) over
#      the sample's DEM with hata+diffraction, and range growth (ITM at max_range_m 5/10/20 km).
# The machine's load average is printed with each figure: on a shared machine wall times depend
# on it, CPU times much less.
#
# usage: tools/bench_terrain.sh [BUILD_DIR]     env: SIZE (viewshed DEM cells, default 2001),
#        RADIUS_M (default 20000), RUNS (default 3), DEADZONE_BENCH_RADIALS (default 8),
#        CELLS (default "1000 3000 10000"), RANGES (default "5000 10000 20000"), RANGE_CELLS
#        (default 99), SKIP (any of: viewshed itm sample series)
set -euo pipefail
BUILD=${1:-build}
SIZE=${SIZE:-2001}
RADIUS_M=${RADIUS_M:-20000}
RUNS=${RUNS:-3}
DEADZONE="$BUILD/deadzone"
[[ -x "$DEADZONE" ]] || { echo "bench_terrain: no $DEADZONE (build first)" >&2; exit 2; }
command -v gdal_viewshed >/dev/null || { echo "bench_terrain: gdal_viewshed not found" >&2; exit 2; }
SKIP=${SKIP:-}
skipped() { [[ " $SKIP " == *" $1 "* ]]; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

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
# One run of a command, its wall / CPU / peak RSS appended to $WORK/<label>.runs.
time_one() { # label, command...
    local label=$1; shift
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/$label.out" 2>"$WORK/$label.err"
    awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i]}
        /User time/ {u = $2} /System time/ {s = $2} /Maximum resident set size/ {r = $2}
        END {print w, u + s, r}' "$WORK/time.txt" >>"$WORK/$label.runs"
}
# Medians of the runs so far into $WORK/<label>.wall and .cpu, and one line about them.
report() { # label, load before
    local label=$1 before=$2
    awk '{print $1}' "$WORK/$label.runs" | median > "$WORK/$label.wall"
    awk '{print $2}' "$WORK/$label.runs" | median > "$WORK/$label.cpu"
    printf '%-28s wall %s s (median %s), cpu %s s (median %s), peak RSS %d MB, load %s\n' "$label" \
        "$(awk '{printf "%s ", $1}' "$WORK/$label.runs")" "$(cat "$WORK/$label.wall")" \
        "$(awk '{printf "%s ", $2}' "$WORK/$label.runs")" "$(cat "$WORK/$label.cpu")" \
        $(( $(awk 'BEGIN {m = 0} $3 > m {m = $3} END {print m}' "$WORK/$label.runs") / 1024 )) "$before"
}
time_runs() { # label, command...
    local label=$1 before
    before=$(load)
    rm -f "$WORK/$label.runs"
    for _ in $(seq "$RUNS"); do time_one "$@"; done
    report "$label" "$before"
}

if ! skipped viewshed; then
echo "## (a) viewshed: DEM ${SIZE}x${SIZE} cells of 30 m; observer at the centre, 10 m up, target 2 m, radius ${RADIUS_M} m; $(nproc) cores"
# In turn, run by run (deadzone, gdal_viewshed, deadzone, …), so a drift in the machine's speed
# falls on both; the first run of each is a warm-up (page cache, dynamic loader), not counted.
before=$(load)
ours=("$DEADZONE" viewshed --dem "$WORK/dem.tif" --lon "$LON" --lat "$LAT" --observer-height-m 10 \
    --target-height-m 2 --max-distance-m "$RADIUS_M" --out "$WORK/ours.tif")
theirs=(gdal_viewshed -q -oz 10 -tz 2 -cc 0.85714 -md "$RADIUS_M" -ox "$X" -oy "$Y" "$WORK/dem.tif" "$WORK/gdal.tif")
"${ours[@]}" >/dev/null && "${theirs[@]}"
for _ in $(seq "$RUNS"); do
    time_one deadzone "${ours[@]}"
    time_one gdal_viewshed "${theirs[@]}"
done
report deadzone "$before"
report gdal_viewshed "$before"
printf 'ratio gdal_viewshed / deadzone: wall %.2f, cpu %.2f (above 1: deadzone is faster)\n' \
    "$(echo "$(cat "$WORK/gdal_viewshed.wall") / $(cat "$WORK/deadzone.wall")" | bc -l)" \
    "$(echo "$(cat "$WORK/gdal_viewshed.cpu") / $(cat "$WORK/deadzone.cpu")" | bc -l)"
fi

if ! skipped itm && [[ -x "$BUILD/tests/test_model" ]]; then
    echo "## (b) ITM over radial profiles (load $(load)):"
    "$BUILD/tests/test_model" --no-skip -tc="itm throughput" 2>&1 | grep -E "ITM points|thread" | sed 's/^.*MESSAGE: //'
fi

# --- Terrain footprints ----------------------------------------------------------------------
GEN_DEM="$BUILD/tools/gen-dem"
GEN_CAMPAIGN="$BUILD/tools/gen-campaign"
SAMPLE_DEM=geodata/terrain/dem.tif
if [[ ! -f "$SAMPLE_DEM" ]]; then
    [[ -x "$GEN_DEM" ]] || { echo "bench_terrain: no $GEN_DEM (build first)" >&2; exit 2; }
    mkdir -p geodata/terrain
    "$GEN_DEM" --villages geodata/villages.geojson --out "$SAMPLE_DEM"
fi
# The fallback count from a run's warnings (0 when the warning is absent).
star_only() {
    local found
    found=$(grep -o '[0-9]* of [0-9]* terrain footprints kept only' "$1" | head -1 | awk '{print $1 " of " $3}' || true)
    echo "${found:-0 of all}"
}

if ! skipped sample; then
    echo "## (c) sample campaign with terrain (hata+diffraction, 360 radials, DEM step; 2 threads):"
    RUNS=1 time_runs sample_terrain "$DEADZONE" analyze geodata/campaign.json --as-of 2022-06-30 \
        --out "$WORK/sample_terrain" --threads 2
    echo "   star-shaped fallback (lit ground beyond shadows dropped): $(star_only "$WORK/sample_terrain.err") footprints"
    RUNS=1 time_runs sample_terrain_1thread "$DEADZONE" analyze geodata/campaign.json --as-of 2022-06-30 \
        --out "$WORK/sample_terrain1" --threads 1
    # Above 1: the second core helps (wall); the CPU ratio shows the cost of the threading.
    printf 'sample with terrain, 1 thread / 2 threads: wall %.2f, cpu %.2f (load %s)\n' \
        "$(echo "$(cat "$WORK/sample_terrain_1thread.wall") / $(cat "$WORK/sample_terrain.wall")" | bc -l)" \
        "$(echo "$(cat "$WORK/sample_terrain_1thread.cpu") / $(cat "$WORK/sample_terrain.cpu")" | bc -l)" "$(load)"
    if cmp -s "$WORK/sample_terrain/deadzone.gpkg" "$WORK/sample_terrain1/deadzone.gpkg"; then
        echo "   deadzone.gpkg: byte-identical at 1 and 2 threads"
    else
        echo "   deadzone.gpkg: DIFFERS between 1 and 2 threads"
    fi
    RUNS=1 time_runs sample_blind "$DEADZONE" analyze geodata/campaign_flat.json --as-of 2022-06-30 \
        --out "$WORK/sample_blind" --threads 2
fi

if ! skipped series; then
    [[ -x "$GEN_CAMPAIGN" ]] || { echo "bench_terrain: no $GEN_CAMPAIGN (build first)" >&2; exit 2; }
    # National scenarios on the northern part of the land (inside the sample DEM's extent, which
    # starts at 11.6 N), as many villages as cells, the terrain campaign's settings; the DEM is
    # the sample's (linked).
    scenario() { # cells -> directory
        local cells=$1 dir="$WORK/national-$1"
        if [[ ! -f "$dir/campaign.json" ]]; then
            "$GEN_CAMPAIGN" national --villages "$cells" --sites $(( (cells + 2) / 3 )) --land-share 0.55 \
                --campaign geodata/campaign.json --out "$dir" >/dev/null
            mkdir -p "$dir/terrain"
            ln -sf "$(realpath "$SAMPLE_DEM")" "$dir/terrain/dem.tif"
        fi
        echo "$dir"
    }
    echo "## (d) cost against cells: national scenarios, hata+diffraction over the sample DEM, 2 threads"
    for n in ${CELLS:-1000 3000 10000}; do
        dir=$(scenario "$n")
        RUNS=1 time_runs "cells_${n}" "$DEADZONE" analyze "$dir/campaign.json" --as-of 2022-06-30 \
            --out "$WORK/o_$n" --threads 2 --format geojson
        echo "   star-shaped fallback (lit ground beyond shadows dropped): $(star_only "$WORK/cells_${n}.err") footprints"
    done
    echo "## (d) cost against range: ${RANGE_CELLS:-99} cells, itm, max_range_m = each range, 2 threads"
    dir=$(scenario "${RANGE_CELLS:-99}")
    for r in ${RANGES:-5000 10000 20000}; do
        python3 - "$dir/campaign.json" "$dir/campaign_itm_$r.json" "$r" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["model"]["propagation"] = "itm"
c["model"]["max_range_m"] = int(sys.argv[3])
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
        RUNS=1 time_runs "itm_${RANGE_CELLS:-99}_cells_${r}_m" "$DEADZONE" analyze "$dir/campaign_itm_$r.json" \
            --as-of 2022-06-30 --out "$WORK/i_$r" --threads 2 --format geojson
    done
fi
