// event_loop_test.cpp: stage 2's loop (a copy of stage 1's) against the same promises.
#include "stage2_state_machine/event_loop.hpp"

namespace loop_contract {
using EventLoop = stage2::EventLoop;
}  // namespace loop_contract

#include "tests/stage1_callbacks/event_loop_contract_tests.hpp"  // NOLINT: after the alias above
