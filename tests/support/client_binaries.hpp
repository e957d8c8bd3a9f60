// client_binaries.hpp: every client binary, for tests that start them
// as a user would. A test target gets the paths from aio_pass_client_binaries() in
// tests/CMakeLists.txt (AIO_STAGE0_BLOCKING="/path/to/stage0_blocking", ...). A new stage
// adds its binary there and a line here.
#pragma once

#include <string>
#include <vector>

namespace test_support {

struct ClientBinary {
  std::string label;  // "stage4_coroutines --sequential"
  std::string path;
  std::vector<std::string> flags;
  bool one_after_another = false;  // requests wait for each other: N of them take N delays
};

inline const std::vector<ClientBinary>& client_binaries() {
  static const std::vector<ClientBinary> all = {
      {"stage0_blocking", AIO_STAGE0_BLOCKING, {}, true},
      {"stage0_blocking --threads", AIO_STAGE0_BLOCKING, {"--threads"}},
      {"stage1_callbacks", AIO_STAGE1_CALLBACKS, {}},
      {"stage2_state_machine", AIO_STAGE2_STATE_MACHINE, {}},
      {"stage3_generators", AIO_STAGE3_GENERATORS, {}},
      {"stage4_coroutines", AIO_STAGE4_COROUTINES, {}},
      {"stage4_coroutines --sequential", AIO_STAGE4_COROUTINES, {"--sequential"}, true},
  };
  return all;
}

}  // namespace test_support
