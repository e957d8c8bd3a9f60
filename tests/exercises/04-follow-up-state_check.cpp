// 04-follow-up-state_check.cpp: the check of exercise 04 (docs/exercises/04-follow-up-state.md),
// built against exercises/04-follow-up-state (the starter) and against its solution.
#include "client.hpp"  // the exercise's (the starter's or the solution's: see CMakeLists.txt)

#include "tests/exercises/follow_up_checks.hpp"  // NOLINT: after client.hpp
