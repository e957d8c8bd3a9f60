// main.cpp: the stage1_callbacks binary. The lesson is in client.cpp.
#include "common/client_main.hpp"
#include "stage1_callbacks/client.hpp"

int main(int argc, char** argv) {
  return common::client_main(argc, argv,
                             {.name = "stage1_callbacks",
                              .description = "Stage 1: nested callbacks on a selector loop",
                              .with_selector = true,
                              .run = stage1::run});
}
