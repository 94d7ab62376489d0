# Installs the build tree into a scratch prefix and builds + runs a consumer project against it.
#
#   cmake -DBINARY_DIR=<tapeless build dir> -DCONSUMER_DIR=<consumer source dir>
#         -DWORK_DIR=<scratch dir> -DCXX_COMPILER=<c++> -DGENERATOR=<generator>
#         [-DMAKE_PROGRAM=<ninja/make>] [-DCONFIG=<build type>] -P install_test.cmake
#
# Any failing step fails the script (and so the test).

foreach(var BINARY_DIR CONSUMER_DIR WORK_DIR CXX_COMPILER GENERATOR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "install_test.cmake: ${var} not set")
    endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/consumer-build")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(config_args "")
set(build_type_args "")
if(DEFINED CONFIG AND NOT "${CONFIG}" STREQUAL "")
    set(config_args --config "${CONFIG}")
    set(build_type_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
endif()

set(make_program_args "")
if(DEFINED MAKE_PROGRAM AND NOT "${MAKE_PROGRAM}" STREQUAL "")
    set(make_program_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

function(run_step name)
    message(STATUS "install test: ${name}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "install test: step '${name}' failed (${result})")
    endif()
endfunction()

run_step("install" "${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${prefix}" ${config_args})

foreach(f include/tapeless lib/cmake/tapeless/tapelessConfig.cmake
          lib/cmake/tapeless/tapelessConfigVersion.cmake lib/cmake/tapeless/tapelessTargets.cmake)
    if(NOT EXISTS "${prefix}/${f}")
        message(FATAL_ERROR "install test: ${prefix}/${f} was not installed")
    endif()
endforeach()

run_step(
    "configure consumer"
    "${CMAKE_COMMAND}"
    -S "${CONSUMER_DIR}"
    -B "${consumer_build}"
    -G "${GENERATOR}"
    ${make_program_args}
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    ${build_type_args})

# Make sure the package came from the scratch prefix, not from somewhere else on the system.
file(STRINGS "${consumer_build}/CMakeCache.txt" found_dir REGEX "^tapeless_DIR:")
string(REGEX REPLACE "^tapeless_DIR:[A-Z]+=" "" found_dir "${found_dir}")
file(REAL_PATH "${found_dir}" found_dir)
file(REAL_PATH "${prefix}/lib/cmake/tapeless" expected_dir)
if(NOT found_dir STREQUAL expected_dir)
    message(FATAL_ERROR "install test: consumer used tapeless from '${found_dir}', "
                        "expected '${expected_dir}'")
endif()

run_step("build consumer" "${CMAKE_COMMAND}" --build "${consumer_build}" ${config_args})

set(exe "")
foreach(candidate "${consumer_build}/tapeless_consumer" "${consumer_build}/${CONFIG}/tapeless_consumer"
                  "${consumer_build}/tapeless_consumer.exe"
                  "${consumer_build}/${CONFIG}/tapeless_consumer.exe")
    if(EXISTS "${candidate}" AND NOT IS_DIRECTORY "${candidate}")
        set(exe "${candidate}")
        break()
    endif()
endforeach()
if(exe STREQUAL "")
    message(FATAL_ERROR "install test: consumer executable not found in ${consumer_build}")
endif()

run_step("run consumer" "${exe}")
message(STATUS "install test: OK")
