# Build-wide instrumentation: DEADZONE_SANITIZE (ASan + UBSan for the whole test suite, any
# compiler that has them) and DEADZONE_FUZZ (libFuzzer targets under fuzz/, clang only).
# Included before any target so that every library, tool and test is built the same way: a
# sanitized test linked against an unsanitized library would miss most of what it is for.

option(DEADZONE_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(DEADZONE_FUZZ "Build the libFuzzer targets in fuzz/ (clang only; implies ASan + UBSan)" OFF)

set(DEADZONE_SANITIZER_FLAGS
    -fsanitize=address,undefined
    # Undefined behaviour stops the test (a report alone scrolls past in ctest output).
    -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)

# Instrumented builds are compiled at -O1 with line tables only, whatever the build type: -O1 is
# what ASan's and libFuzzer's documentation recommend (OSS-Fuzz builds the same way), reports still
# name function, file and line, and a source compiles in less than half the CPU time of the
# RelWithDebInfo default (-O2 -g: full debug info is most of an instrumented object's size).
# Placed after CMAKE_CXX_FLAGS_<CONFIG> on the command line, so these win.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(DEADZONE_INSTRUMENTED_FLAGS -O1 -gline-tables-only)
else()
  set(DEADZONE_INSTRUMENTED_FLAGS -O1 -g1)
endif()

if(DEADZONE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DEADZONE_FUZZ=ON needs clang (libFuzzer); configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-16 (tools/fuzz.sh does)")
  endif()
  # Library code gets coverage instrumentation without libFuzzer's main(); only the targets in
  # fuzz/ link -fsanitize=fuzzer.
  add_compile_options(${DEADZONE_SANITIZER_FLAGS} ${DEADZONE_INSTRUMENTED_FLAGS} -fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=address,undefined)
elseif(DEADZONE_SANITIZE)
  add_compile_options(${DEADZONE_SANITIZER_FLAGS} ${DEADZONE_INSTRUMENTED_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()
