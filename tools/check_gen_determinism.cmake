# CTest script: regenerates the sample campaign twice and checks that both runs are
# byte-identical to each other and to the committed geodata/ (so geodata/README.md's
# regeneration command really reproduces the bundled files).
# Variables: GEN (gen-campaign), SOURCE (repository root), WORK (scratch folder).
set(files campaign.json villages.geojson commitments.csv stations/viettel.csv stations/vinaphone.geojson
          stations/mobifone.gpkg stations/mobifone_opencellid.csv)
file(REMOVE_RECURSE ${WORK})
foreach(run a b)
  execute_process(COMMAND ${GEN} sample --out ${WORK}/${run} --seed 2022
                          --campaign ${SOURCE}/geodata/campaign.json
                          --outline ${SOURCE}/geodata/natural-earth-vietnam-50m.geojson
                  RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gen-campaign sample failed (exit ${rc})")
  endif()
endforeach()
foreach(f ${files})
  foreach(other ${WORK}/b/${f} ${SOURCE}/geodata/${f})
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/a/${f} ${other} RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
      message(FATAL_ERROR "${WORK}/a/${f} differs from ${other}")
    endif()
  endforeach()
endforeach()
