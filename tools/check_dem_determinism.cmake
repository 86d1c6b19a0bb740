# CTest script: gen-dem remakes the sample's committed DEM (geodata/terrain/dem.tif) byte for byte,
# so geodata/README.md's command really reproduces the bundled file.
# Variables: GEN (gen-dem), SOURCE (repository root), WORK (scratch folder).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${GEN} --villages ${SOURCE}/geodata/villages.geojson --out ${WORK}/dem.tif
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen-dem failed (exit ${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/dem.tif ${SOURCE}/geodata/terrain/dem.tif
                RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "${WORK}/dem.tif differs from geodata/terrain/dem.tif")
endif()
file(REMOVE_RECURSE ${WORK})
