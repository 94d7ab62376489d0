# Runs a documentation sample (scripts/doc_samples.py): PROGRAM must exit with 0 and, if EXPECTED
# names a file, print exactly its contents. WHERE is the sample's place in the docs, for messages.
#
#   cmake -DPROGRAM=<exe> [-DEXPECTED=<file>] -DWHERE=<doc.md:line> -P run_sample.cmake
if(NOT DEFINED PROGRAM)
    message(FATAL_ERROR "run_sample.cmake: PROGRAM is not set")
endif()
execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the sample at ${WHERE} exited with ${rc}\n${out}${err}")
endif()
if(DEFINED EXPECTED AND NOT "${EXPECTED}" STREQUAL "")
    file(READ ${EXPECTED} expected)
    if(NOT out STREQUAL expected)
        message(FATAL_ERROR "the sample at ${WHERE} prints something else than the output block "
                            "below it.\n--- documented\n${expected}--- printed\n${out}")
    endif()
endif()
message(STATUS "the sample at ${WHERE} runs as documented")
