// staffsim command-line tool: parse the command, call the library, map
// errors to exit codes (DESIGN.md 5): 0 ok, 1 internal error, 2 usage,
// 3 invalid scenario, 4 I/O, 130 interrupted.
#include <boost/program_options/errors.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "staffsim/errors.hpp"

namespace {

constexpr const char* kUsage =
    "usage: staffsim <command> [options]\n"
    "  run SCENARIO.yaml [-o results.h5|results.csv] [--set path=value ...] [--quiet]\n"
    "      [--draws N] [--seed S] [--threads T] [--max-memory SIZE] [--max-file-size SIZE]\n"
    "  validate SCENARIO.yaml [--set path=value ...] [--calibration]\n"
    "  show SCENARIO.yaml [--set path=value ...]   the resolved scenario, each value with its "
    "source\n"
    "  summary RESULTS.h5 [--year Y] [--by role|sector|total] [--format table|csv|json]\n"
    "          [--observed]\n"
    "  compare A.h5 B.h5 [--year Y] [--by role|sector|total] [--format table|csv|json]\n"
    "  calibrate SCENARIO.yaml [-o calibrated.yaml] [--method least_squares|abc]\n"
    "          [--fit-tables T,...] [--draws N] [--accept K] [--seed S] [--threads T]\n"
    "          [--posterior FILE] [--format table|json] [--set path=value ...]\n"
    "  crossval SCENARIO.yaml --fit TABLE[,TABLE] [--method least_squares|abc]\n"
    "          [--format table|json] [--set path=value ...]\n"
    "  goal SCENARIO.yaml --lever NAME --target \"INDICATOR[YEAR] <= VALUE\" [--lower X]\n"
    "       [--upper X] [--tolerance T] [--max-evaluations N] [--set path=value ...]\n"
    "       [--format table|json]\n"
    "  --version\n";

int dispatch(const std::string& command, const std::vector<std::string>& rest) {
  using namespace staffsim::cli;
  if (command == "run") return run_command(rest);
  if (command == "validate") return validate_command(rest);
  if (command == "show") return show_command(rest);
  if (command == "summary") return summary_command(rest);
  if (command == "compare") return compare_command(rest);
  if (command == "calibrate") return calibrate_command(rest);
  if (command == "crossval") return crossval_command(rest);
  if (command == "goal") return goal_command(rest);
  if (command == "--version") {
    std::cout << "staffsim " << STAFFSIM_VERSION << '\n';
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "staffsim: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::vector<std::string> rest(argv + 2, argv + argc);
  try {
    return dispatch(argv[1], rest);
  } catch (const boost::program_options::error& e) {
    std::cerr << "staffsim " << argv[1] << ": " << e.what() << '\n' << kUsage;
    return 2;
  } catch (const staffsim::ScenarioError& e) {
    std::cerr << e.what() << '\n';
    return 3;
  } catch (const staffsim::IoError& e) {
    std::cerr << "staffsim: " << e.what() << '\n';
    return 4;
  } catch (const staffsim::UsageError& e) {
    std::cerr << "staffsim: " << e.what() << '\n';
    return 2;
  } catch (const staffsim::Interrupted&) {
    std::cerr << "staffsim: interrupted; nothing was written\n";
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "staffsim: internal error: " << e.what() << '\n';
    return 1;
  }
}
