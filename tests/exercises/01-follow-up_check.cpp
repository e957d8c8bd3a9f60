// 01-follow-up_check.cpp: the check of exercise 01 (docs/exercises/01-follow-up.md),
// built against exercises/01-follow-up (the starter) and against its solution.
#include "client.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include "tests/exercises/follow_up_checks.hpp"  // NOLINT: after client.hpp
