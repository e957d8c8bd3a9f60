// main.cpp: the stage2_state_machine binary. The lesson is in client.cpp.
#include "common/client_main.hpp"
#include "stage2_state_machine/client.hpp"

int main(int argc, char** argv) {
  return common::client_main(argc, argv,
                             {.name = "stage2_state_machine",
                              .description = "Stage 2: a class-based state machine per request",
                              .with_selector = true,
                              .run = stage2::run});
}
