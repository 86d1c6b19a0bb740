#!/usr/bin/env bash
# Overlay benchmark (issue #3, part 6): the national scenario at 10 000, 30 000 and 100 000
# villages with as many three-sector sites, timing ingest, build_footprints, run_overlay with 1
# and 2 threads, and dissolve_coverage, with peak memory. Prints one table per size.
#
#   tools/bench.sh                    # all three sizes
#   SIZES="10000" tools/bench.sh      # just one
#   BUILD=build-mine tools/bench.sh   # another build folder (default: build)
#
# The scenario comes from `gen-campaign national` (written once to $WORK, default
# /tmp/deadzone-bench, and read back through ingest like any campaign). If this gen-campaign has
# no `national` subcommand, bench-overlay generates an equivalent scenario in memory instead
# (--synthetic) and the ingest row is then the in-memory generation time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WORK=${WORK:-/tmp/deadzone-bench}
SIZES=${SIZES:-"10000 30000 100000"}
SEED=${SEED:-2022}

if [ ! -f "$BUILD/build.ninja" ] && [ ! -f "$BUILD/Makefile" ]; then
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" --target bench-overlay gen-campaign -- -j2 >/dev/null

national=0
if "$BUILD/tools/gen-campaign" national --help >/dev/null 2>&1; then
    national=1
fi

for n in $SIZES; do
    echo "## $n villages, $n sites x 3 cells"
    if [ "$national" = 1 ]; then
        dir="$WORK/national-$n"
        if [ ! -f "$dir/campaign.json" ]; then
            "$BUILD/tools/gen-campaign" national --villages "$n" --sites "$n" --seed "$SEED" --out "$dir" >/dev/null
        fi
        "$BUILD/tools/bench-overlay" "$dir" --threads 1 2
    else
        "$BUILD/tools/bench-overlay" --synthetic "$n" --sites "$n" --seed "$SEED" --threads 1 2
    fi
    echo
done
