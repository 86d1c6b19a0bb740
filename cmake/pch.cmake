# Precompiled headers (DEADZONE_PCH, on by default with GCC): the standard and third-party headers
# nearly every source includes — fmt, nlohmann/json, GDAL/OGR, Boost.Geometry's models, doctest for
# the tests — are parsed once per build instead of once per source. One PCH for the libraries
# (made by deadzone_geo, reused by every stage above it; core, below geo, has no GDAL and compiles
# its few small sources without) and one for the tests (made by deadzone_test_main).
# Only headers that behave the same whatever is defined before them belong here: no project
# headers (they change often and would rebuild everything), nothing configured by macros.
# GCC only: with -Winvalid-pch a PCH it cannot use is reported and the source simply compiled
# without it, where clang would stop with an error (the fuzz build uses clang: no PCH there).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT DEADZONE_SANITIZE AND NOT DEADZONE_FUZZ)
  set(deadzone_pch_default ON)
else()
  set(deadzone_pch_default OFF)
endif()
option(DEADZONE_PCH "Precompile the heavy third-party headers (GCC)" ${deadzone_pch_default})

set(DEADZONE_PCH_HEADERS
  <algorithm> <array> <chrono> <cmath> <cstdint> <cstdlib> <filesystem> <fstream> <functional>
  <map> <memory> <optional> <set> <sstream> <stdexcept> <string> <string_view> <thread>
  <unordered_map> <vector>
  <fmt/format.h> <nlohmann/json.hpp> <gdal_priv.h> <ogr_geometry.h> <ogr_spatialref.h>
  <boost/geometry/geometries/box.hpp> <boost/geometry/geometries/multi_polygon.hpp>
  <boost/geometry/geometries/point_xy.hpp> <boost/geometry/geometries/polygon.hpp>
  <boost/geometry/geometries/ring.hpp>)

# ccache hashes a PCH's inputs only with this sloppiness; without it every source using the PCH
# would be compiled afresh each time (tools/setup.sh and the build instructions use ccache).
if(DEADZONE_PCH AND CMAKE_CXX_COMPILER_LAUNCHER MATCHES "(^|/)ccache$")
  set(CMAKE_CXX_COMPILER_LAUNCHER env CCACHE_SLOPPINESS=pch_defines,time_macros ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()

# deadzone_pch(TARGET [FROM OWNER] [EXTRA header...]): TARGET makes the PCH (the list above plus
# EXTRA), or with FROM reuses OWNER's (same flags and options: the targets of one build all do).
function(deadzone_pch target)
  if(NOT DEADZONE_PCH)
    return()
  endif()
  cmake_parse_arguments(P "" "FROM" "EXTRA" ${ARGN})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  if(P_FROM)
    target_precompile_headers(${target} REUSE_FROM ${P_FROM})
  else()
    target_precompile_headers(${target} PRIVATE ${DEADZONE_PCH_HEADERS} ${P_EXTRA})
  endif()
  target_compile_options(${target} PRIVATE -Winvalid-pch)
endfunction()
