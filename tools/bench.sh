#!/usr/bin/env bash
# Overlay benchmark (issue #3, part 6): the national scenario at 10 000, 30 000 and 100 000
# villages with as many three-sector sites, timing ingest, build_footprints, run_overlay with 1
# and 2 threads, and dissolve_coverage, with peak memory. Prints one table per size, then how
# the time per village grows from the smallest size to the largest.
#
#   tools/bench.sh                    # constant density: N villages on N/100 000 of the land
#   MODE=country tools/bench.sh       # every size spread over the whole country
#   SIZES="10000" tools/bench.sh      # just one size
#   BUILD=build-mine tools/bench.sh   # another build folder (default: build)
#
# MODE=density (the default) keeps the density of villages and sites that 100 000 of each have
# over all of Vietnam (FULL, default 100000): N villages and N sites are drawn on the northern
# part of the land holding N/FULL of its area (`gen-campaign national --land-share`), so each
# village meets about as many footprints at every size and the series shows how the cost grows
# with the amount of work. MODE=country spreads every size over the whole land, so the density
# grows with N as well and the overlay's cost grows faster than N.
#
# Scenarios are written once to $WORK (default /tmp/deadzone-bench) and read back through ingest
# like any campaign; delete $WORK after changing the generator. If this gen-campaign has no
# `national` subcommand, bench-overlay generates a uniform scenario in memory instead
# (--synthetic, whole country only) and the ingest row is then the in-memory generation time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WORK=${WORK:-/tmp/deadzone-bench}
SIZES=${SIZES:-"10000 30000 100000"}
SEED=${SEED:-2022}
MODE=${MODE:-density}
FULL=${FULL:-100000}

case "$MODE" in
    density | country) ;;
    *) echo "bench.sh: MODE must be density or country, not '$MODE'" >&2; exit 2 ;;
esac

if [ ! -f "$BUILD/build.ninja" ] && [ ! -f "$BUILD/Makefile" ]; then
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" --target bench-overlay gen-campaign -- -j2 >/dev/null

national=0
if "$BUILD/tools/gen-campaign" national --help 2>/dev/null | grep -q -- --land-share; then
    national=1
elif [ "$MODE" = country ] && "$BUILD/tools/gen-campaign" national --help >/dev/null 2>&1; then
    national=1
elif [ "$MODE" = density ]; then
    echo "bench.sh: this gen-campaign has no 'national --land-share'; run with MODE=country" >&2
    exit 2
fi

mkdir -p "$WORK"
tables=$(mktemp)
generated=$(mktemp)
trap 'rm -f "$tables" "$generated"' EXIT

for n in $SIZES; do
    if [ "$MODE" = density ]; then
        share=$(awk -v n="$n" -v full="$FULL" 'BEGIN { printf "%.6g", n / full }')
        echo "## $n villages, $n sites x 3 cells, on $share of the land (constant density)"
        dir="$WORK/density-$n-of-$FULL-seed$SEED"
        gen_args=(--land-share "$share")
    else
        echo "## $n villages, $n sites x 3 cells, over the whole country"
        dir="$WORK/national-$n-seed$SEED"
        gen_args=()
    fi
    if [ "$national" = 1 ]; then
        if [ ! -f "$dir/campaign.json" ]; then
            "$BUILD/tools/gen-campaign" national --villages "$n" --sites "$n" --seed "$SEED" \
                "${gen_args[@]}" --out "$dir" >"$generated"
            grep -E 'land share|footprints over' "$generated" || true
        fi
        "$BUILD/tools/bench-overlay" "$dir" --threads 1 2 | tee -a "$tables"
    else
        "$BUILD/tools/bench-overlay" --synthetic "$n" --sites "$n" --seed "$SEED" --threads 1 2 | tee -a "$tables"
    fi
    echo
done

# Growth: per step, wall and CPU time per village (ms) at each size, and the ratio of the
# largest size's per-village time to the smallest's (1.0 = linear growth).
echo "## Growth ($MODE): time per village, ms wall / CPU"
awk -F'|' -v sizes="$SIZES" '
    function trim(s) { gsub(/^ +| +$/, "", s); return s }
    /^\| [a-z_]/ && trim($2) != "step" {
        step = trim($2); threads = trim($5)
        key = (step == "run_overlay") ? step " " threads " thr" : step
        if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
        v = trim($3); wall[key, v] = trim($6); cpu[key, v] = trim($7)
    }
    END {
        count = split(sizes, size, " ")
        header = "| step                   |"; rule = "|------------------------|"
        for (i = 1; i <= count; ++i) { header = header sprintf(" %17s |", size[i]); rule = rule "-------------------|" }
        header = header sprintf(" %17s |", size[count] "/" size[1]); rule = rule "-------------------|"
        print header; print rule
        for (k = 1; k <= keys; ++k) {
            key = order[k]; line = sprintf("| %-22s |", key)
            for (i = 1; i <= count; ++i) {
                n = size[i]
                if ((key, n) in wall) line = line sprintf(" %7.3f / %7.3f |", 1000 * wall[key, n] / n, 1000 * cpu[key, n] / n)
                else line = line sprintf(" %17s |", "-")
            }
            a = size[1]; b = size[count]
            if ((key, a) in wall && (key, b) in wall && wall[key, a] > 0 && cpu[key, a] > 0)
                line = line sprintf(" %7.2f / %7.2f |", (wall[key, b] / b) / (wall[key, a] / a), (cpu[key, b] / b) / (cpu[key, a] / a))
            else line = line sprintf(" %17s |", "-")
            print line
        }
    }' "$tables"
