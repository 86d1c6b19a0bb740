# CTest script: gen-measurements remakes the sample's synthetic drive test
# (geodata/measurements/drive_test_2022.csv) byte for byte from the terrain-blind sample, so
# geodata/README.md's command really reproduces the bundled file.
# Variables: GEN (gen-measurements), SOURCE (repository root), WORK (scratch folder).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${GEN} --campaign ${SOURCE}/geodata/campaign_flat.json --out ${WORK}/drive_test_2022.csv --seed 2022
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen-measurements failed (exit ${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/drive_test_2022.csv
                        ${SOURCE}/geodata/measurements/drive_test_2022.csv RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "${WORK}/drive_test_2022.csv differs from geodata/measurements/drive_test_2022.csv")
endif()
file(REMOVE_RECURSE ${WORK})
