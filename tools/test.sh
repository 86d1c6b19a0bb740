#!/usr/bin/env bash
# Sets everything up (tools/setup.sh) and runs the whole test suite through CTest.
#   tools/test.sh              normal build in build/
#   tools/test.sh --sanitize   the same suite built with ASan + UBSan in build-asan/ (see
#                              docs/hardening.md); any report fails the run
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "tools/test.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

jobs="${DEADZONE_JOBS:-$(nproc)}"

# The PostgreSQL store's tests need a real server: a throwaway cluster in a temporary folder on
# a free port, stopped (and deleted) when this script exits, whether the tests pass or fail.
# DEADZONE_REQUIRE_PG=1 (set by .ci/run) makes a server that cannot start an error, not a skip.
start_postgres() {
  local env_lines
  if env_lines=$(tools/pg_test_cluster.sh start); then
    eval "$env_lines"
    trap 'tools/pg_test_cluster.sh stop "$DEADZONE_TEST_PG_DIR" || true' EXIT
  elif [ "${DEADZONE_REQUIRE_PG:-0}" = 1 ]; then
    echo "tools/test.sh: could not start PostgreSQL, and DEADZONE_REQUIRE_PG=1" >&2
    exit 1
  else
    echo "tools/test.sh: could not start PostgreSQL; the 'pg' test will say SKIPPED" >&2
  fi
}
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

if ((sanitize)); then
  tools/setup.sh --no-build
  # Tools off: the generator and benchmarks are the slowest files to build and their one test
  # (generator determinism) runs in the normal suite.
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEADZONE_SANITIZE=ON \
        -DDEADZONE_BUILD_TOOLS=OFF "${launcher[@]}" >/dev/null
  cmake --build build-asan -j "$jobs"
  # detect_leaks: GDAL and PROJ keep process-wide caches on purpose; LeakSanitizer still runs
  # (a leak of ours would be reported) but their one-off allocations are listed in
  # tools/lsan.supp. halt_on_error makes the first report fail the test that raised it.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}"
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tools/lsan.supp:print_suppressions=0}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  start_postgres
  # The browser test drives JavaScript in chromium; the server side it calls is covered under
  # the sanitizers by test_service, so the slow browser run is left to the normal suite, as is
  # the terrain sample end to end (label slow; the terrain code runs under the sanitizers in the
  # unit tests).
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE 'browser|slow'
else
  tools/setup.sh
  start_postgres
  ctest --test-dir build --output-on-failure -j "$(nproc)"
fi
