// main.cpp: the stage0_blocking binary. The lesson is in client.cpp.
#include "common/client_main.hpp"
#include "stage0_blocking/client.hpp"

int main(int argc, char** argv) {
  bool threads = false;
  return common::client_main(
      argc, argv,
      {.name = "stage0_blocking",
       .description = "Stage 0: blocking sockets, one request after another "
                      "(--threads: a thread per request)",
       .with_selector = false,
       .add_options =
           [&threads](CLI::App& app) {
             common::add_flag(app, "--threads", threads,
                              "Send every request from a thread of its own");
           },
       .run =
           [&threads](const common::ClientOptions& options, common::RunReport& report) {
             if (threads) {
               stage0::run_threads(options, report, stage0::thread_limit());
             } else {
               stage0::run(options, report);
             }
           }});
}
