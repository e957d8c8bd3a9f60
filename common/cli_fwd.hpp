// cli_fwd.hpp: CLI11's App by name only. CLI11 is one large header that takes seconds to
// compile; a header that only passes a CLI::App& along includes this one, and just the
// files that add or parse options include <CLI/CLI.hpp> (or common/cli.hpp). So the
// stages' code and the tests compile without it.
#pragma once

namespace CLI {
class App;
}  // namespace CLI
