#!/usr/bin/env bash
# Installs every Debian package deadzone's build, tests and tools need (idempotent), then
# configures and builds into ./build. Usage: tools/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin libproj-dev proj-bin proj-data libboost-dev nlohmann-json3-dev
  libfmt-dev libcli11-dev doctest-dev libsqlite3-dev sqlite3 libssl-dev libicu-dev ccache
  python3 python3-gdal
  # second round: the service (cpp-httplib over OpenSSL; openssl makes the TLS test's
  # certificate; zlib gzips its answers), the PostgreSQL store (libpq; the server and PostGIS for its tests), the
  # dashboard's browser test (Debian's chromium, driven by playwright-core) and the load bench
  libcpp-httplib-dev openssl zlib1g-dev libpq-dev postgresql-15 postgresql-15-postgis-3 chromium wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Independent validators the tests run on deadzone's outputs (tools/node/package.json, pinned by
# its lock file): @mapbox/geojsonhint for RFC 7946. Installed only when missing or out of date.
if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing nodejs npm" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -f tools/node/node_modules/.package-lock.json ] ||
   [ tools/node/package-lock.json -nt tools/node/node_modules/.package-lock.json ]; then
  echo "setup: installing tools/node (npm ci)" >&2
  npm ci --prefix tools/node --no-audit --no-fund --loglevel=error >/dev/null
fi
# The dashboard serves Leaflet from web/vendor/leaflet (git-ignored; no CDN, works offline).
if [ ! -f web/vendor/leaflet/leaflet-src.esm.js ] ||
   [ tools/node/package-lock.json -nt web/vendor/leaflet/leaflet-src.esm.js ]; then
  rm -rf web/vendor/leaflet && mkdir -p web/vendor && cp -R tools/node/node_modules/leaflet/dist web/vendor/leaflet
fi

if [ "${1:-}" != "--no-build" ]; then
  # ccache (installed above) makes a rebuild in another checkout of the same sources cheap.
  launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
  cmake --build build -j "$(nproc)"
fi
