// client_binaries.hpp: every client binary this build has, for tests that start them
// as a user would. A test target gets the paths from aio_pass_client_binaries() in
// tests/CMakeLists.txt (AIO_STAGE0_BLOCKING="/path/to/stage0_blocking", ...); a stage
// not built yet is simply not in the list, nor is stage 5 where io_uring is refused (its
// probe's reason is printed on stderr instead, once).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#ifdef AIO_STAGE5_IO_URING
#include "stage5_io_uring/ring.hpp"
#endif

namespace test_support {

struct ClientBinary {
  std::string label;  // "stage4_coroutines --sequential"
  std::string path;
  std::vector<std::string> flags;
  bool one_after_another = false;  // requests wait for each other: N of them take N delays
};

inline const std::vector<ClientBinary>& client_binaries() {
  static const std::vector<ClientBinary> all = [] {
    std::vector<ClientBinary> list = {
#ifdef AIO_STAGE0_BLOCKING
        {"stage0_blocking", AIO_STAGE0_BLOCKING, {}, true},
        {"stage0_blocking --threads", AIO_STAGE0_BLOCKING, {"--threads"}},
#endif
#ifdef AIO_STAGE1_CALLBACKS
        {"stage1_callbacks", AIO_STAGE1_CALLBACKS, {}},
#endif
#ifdef AIO_STAGE2_STATE_MACHINE
        {"stage2_state_machine", AIO_STAGE2_STATE_MACHINE, {}},
#endif
#ifdef AIO_STAGE3_GENERATORS
        {"stage3_generators", AIO_STAGE3_GENERATORS, {}},
#endif
#ifdef AIO_STAGE4_COROUTINES
        {"stage4_coroutines", AIO_STAGE4_COROUTINES, {}},
        {"stage4_coroutines --sequential", AIO_STAGE4_COROUTINES, {"--sequential"}, true},
#endif
    };
#ifdef AIO_STAGE5_IO_URING
    if (const std::string why = stage5::probe(); why.empty()) {
      list.push_back({"stage5_io_uring", AIO_STAGE5_IO_URING, {}});
    } else {
      std::fprintf(stderr, "stage5_io_uring skipped: %s\n", why.c_str());
    }
#endif
    return list;
  }();
  return all;
}

}  // namespace test_support
