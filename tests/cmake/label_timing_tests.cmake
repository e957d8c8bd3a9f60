# label_timing_tests.cmake: adds the CTest label `timing` to the test cases of one doctest
# executable that are in the doctest suite "timing" (`TEST_CASE("..." * test_support::timing)`,
# tests/support/timing.hpp), so that `ctest -L timing` runs exactly the tests that measure
# real time. Run after each build of the executable (tests/CMakeLists.txt, aio_add_test),
# it writes CTEST_FILE, which CTest includes after the doctest-discovered tests.
#
#   cmake -D TEST_EXECUTABLE=... -D TEST_PREFIX=... -D TEST_LABELS=... -D CTEST_FILE=...
#         -D DISCOVERED=<dir>/<target>_tests- -P this
# DISCOVERED starts the name of doctest_discover_tests' own list (its name ends in a hash):
# a labelled name that is not in it means the two disagree on the names, and stops the build.
execute_process(
  COMMAND "${TEST_EXECUTABLE}" --list-test-cases --test-suite=timing --no-version
  OUTPUT_VARIABLE listing
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --list-test-cases failed (${result}):\n${listing}")
endif()

file(GLOB discovered_files "${DISCOVERED}*.cmake")
set(discovered "")
foreach(file IN LISTS discovered_files)
  file(READ "${file}" text)
  string(APPEND discovered "${text}")
endforeach()

set(script "")
string(REPLACE "\n" ";" lines "${listing}")
foreach(line IN LISTS lines)
  # doctest frames the names with lines of '=' and its own "[doctest] ..." lines.
  if(line STREQUAL "" OR line MATCHES "^=+$" OR line MATCHES "^\\[doctest\\]")
    continue()
  endif()
  set(name "${TEST_PREFIX}${line}")
  string(FIND "${discovered}" "[==[${name}]==]" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "timing test '${name}' is not among the tests doctest discovered")
  endif()
  string(APPEND script
    "set_tests_properties([==[${name}]==] PROPERTIES LABELS \"${TEST_LABELS};timing\")\n")
endforeach()
file(WRITE "${CTEST_FILE}" "${script}")
