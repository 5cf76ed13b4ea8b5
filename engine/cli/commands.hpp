#pragma once
// The CLI's commands: each parses its own options, calls the library and
// returns an exit code. Errors propagate as exceptions to main().
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "staffsim/scenario.hpp"

namespace staffsim::cli {

// Shared by the commands (commands.cpp).
std::vector<Override> parse_sets(const std::vector<std::string>& sets);
boost::program_options::variables_map parse(
    const std::vector<std::string>& args, const boost::program_options::options_description& opts,
    const boost::program_options::positional_options_description& pos);
void print_warnings(const Scenario& sc);

// run_command.cpp: one run or an ensemble, its table, its results file.
int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int show_command(const std::vector<std::string>& args);
// summary_command.cpp: a results file's figures, or two side by side.
int summary_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
// calibrate_command.cpp: fit the calibration block; fit some tables and
// predict the others.
int calibrate_command(const std::vector<std::string>& args);
int crossval_command(const std::vector<std::string>& args);
// goal_command.cpp: the lever value that meets a target (docs/goal-seeking.md).
int goal_command(const std::vector<std::string>& args);

}  // namespace staffsim::cli
