#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) in build-fuzz/ and runs each for
# SECONDS (default 60) on a corpus seeded from tests/data. One job at a time (-jobs not used: the
# machine is shared). Crashes, leaks and timeouts land in build-fuzz/artifacts/<target>/; the
# script exits 1 if any target found one. See docs/hardening.md.
#   tools/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
case "$seconds" in ''|*[!0-9]*) echo "tools/fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

cxx="${DEADZONE_FUZZ_CXX:-}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_install() {
  echo "fuzz: installing $*" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
# The fuzzers need clang and its runtime (libFuzzer, ASan, UBSan), which Debian ships apart:
# clang-N alone compiles but cannot link -fsanitize=fuzzer without libclang-rt-N-dev. A machine
# may have the compiler and not the runtime (CI once did), so the runtime is checked by linking a
# probe, not by looking for the compiler; whatever is missing is installed from Debian.
links_fuzzer() { # links_fuzzer CXX: can CXX link a libFuzzer + ASan + UBSan program here?
  local dir
  dir="$(mktemp -d)"
  printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' > "$dir/probe.cpp"
  "$1" -fsanitize=fuzzer,address,undefined "$dir/probe.cpp" -o "$dir/probe" >/dev/null 2>&1
  local rc=$?
  rm -rf "$dir"
  return $rc
}
if [ -z "$cxx" ]; then
  command -v clang++-16 >/dev/null 2>&1 || apt_install clang-16 libclang-rt-16-dev
  cxx=clang++-16
fi
if ! links_fuzzer "$cxx"; then
  version="$("$cxx" -dumpversion 2>/dev/null | cut -d. -f1)"
  [ -n "$version" ] && apt_install "libclang-rt-$version-dev"
  if ! links_fuzzer "$cxx"; then
    echo "tools/fuzz.sh: $cxx cannot link a libFuzzer target with ASan + UBSan (apt-get install clang-16 libclang-rt-16-dev)" >&2
    exit 2
  fi
fi

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
      -DDEADZONE_FUZZ=ON -DDEADZONE_BUILD_TESTS=OFF -DDEADZONE_BUILD_TOOLS=OFF "${launcher[@]}" >/dev/null
all_targets=(table_csv table_xlsx villages campaign opencellid itm_profile gpkg_geometry)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
# Only the fuzz targets and what they link (the ingest stage), not the whole tree.
cmake --build build-fuzz -j "${DEADZONE_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

# Seeds: every tests/data file of the target's kind (bad inputs included: they reach the deepest
# error paths). Rebuilt on each run; what libFuzzer finds goes to corpus/<target> and is kept.
copy_seeds() { # copy_seeds DIR FIND-ARGS...: files keep their path in the name (tiny/ and mini/ share names)
  local dir="$1"; shift
  find tests/data "$@" -type f | while read -r f; do cp "$f" "$dir/$(echo "${f#tests/data/}" | tr / _)"; done
}

seed_corpus() {
  local target="$1" dir="build-fuzz/seeds/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  case "$target" in
    table_csv)  copy_seeds "$dir" -name '*.csv' ! -name 'opencellid*' ;;
    villages)   copy_seeds "$dir" -name '*.geojson' ;;
    campaign)   copy_seeds "$dir" -name '*campaign*.json' ;;
    opencellid) # rows only: the target prepends the header
                find tests/data -name 'opencellid*.csv' | while read -r f; do
                  tail -n +2 "$f" > "$dir/$(basename "$f")"; done
                printf 'LTE,452,4,10101,2011,0,105.0,21.0,3000,5,1,1640995200,1640995200,0\n' > "$dir/one_lte_row"
                printf 'GSM,452,1,1,1,0,105.8,21.0,0,1,1,0,0,0\nUMTS,452,2,7,9,0,105.5,21.2,1000,2,1,1656633600,1656633600,-90\n' > "$dir/gsm_umts_rows" ;;
    itm_profile) copy_seeds "$dir" \( -path '*/itm/*.txt' -o -name '*.pfl' \) ;;
    gpkg_geometry) # the geometry blobs of a GeoPackage made from the test villages (ogr2ogr, sqlite3)
                if command -v ogr2ogr >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1; then
                  local gpkg="build-fuzz/seeds/villages.gpkg"
                  rm -f "$gpkg"
                  ogr2ogr -f GPKG "$gpkg" tests/data/mini/villages.geojson -nln villages 2>/dev/null || true
                  sqlite3 "$gpkg" "SELECT fid, hex(geom) FROM villages" 2>/dev/null |
                    while IFS='|' read -r fid hex; do
                      python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$hex" > "$dir/village_$fid.gpb"
                    done
                fi ;;
    table_xlsx) # workbooks made from the station CSVs (ogr2ogr, from gdal-bin)
                if command -v ogr2ogr >/dev/null 2>&1; then
                  for f in tests/data/tiny/stations.csv tests/data/mini/stations.csv tests/data/bad/stations_bad_date.csv; do
                    name="$(echo "${f#tests/data/}" | tr / _)"
                    [ -f "$f" ] && ogr2ogr -f XLSX "$dir/${name%.csv}.xlsx" "$f" -oo AUTODETECT_TYPE=NO 2>/dev/null || true
                  done
                fi ;;
  esac
}

declare -A runs found
status=0
for target in "${targets[@]}"; do
  binary="build-fuzz/fuzz/fuzz_$target"
  [ -x "$binary" ] || { echo "tools/fuzz.sh: no target '$target'" >&2; exit 2; }
  seed_corpus "$target"
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  log="build-fuzz/fuzz-$target.log"
  echo "fuzz: $target for ${seconds}s (log $log)" >&2
  set +e
  "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
            -print_final_stats=1 "${dict[@]}" -artifact_prefix="build-fuzz/artifacts/$target/" \
            "build-fuzz/corpus/$target" "build-fuzz/seeds/$target" >"$log" 2>&1
  rc=$?
  set -e
  runs[$target]=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  found[$target]=$(find "build-fuzz/artifacts/$target" -type f | wc -l)
  if [ "$rc" -ne 0 ] || [ "${found[$target]}" -ne 0 ]; then
    status=1
    echo "fuzz: $target FAILED (exit $rc): see $log and build-fuzz/artifacts/$target/" >&2
    grep -m3 -E 'ERROR|runtime error|uncaught|deadly' "$log" >&2 || true
  fi
done

printf '%-12s %12s %9s\n' target executions findings
for target in "${targets[@]}"; do
  printf '%-12s %12s %9s\n' "$target" "${runs[$target]:-?}" "${found[$target]:-?}"
done
exit "$status"
