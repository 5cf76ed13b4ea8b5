#pragma once
// The CLI's commands: each parses its own options, calls the library and
// returns an exit code. Errors propagate as exceptions to main().
#include <string>
#include <vector>

namespace staffsim::cli {

int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int show_command(const std::vector<std::string>& args);
// summary_command.cpp: a results file's figures, or two side by side.
int summary_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);

}  // namespace staffsim::cli
