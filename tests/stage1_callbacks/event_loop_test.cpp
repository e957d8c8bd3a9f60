// event_loop_test.cpp: stage 1's loop against what it promises (event_loop.hpp).
#include "stage1_callbacks/event_loop.hpp"

namespace loop_contract {
using EventLoop = stage1::EventLoop;
}  // namespace loop_contract

#include "tests/stage1_callbacks/event_loop_contract_tests.hpp"  // NOLINT: after the alias above
