#include "commands.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "staffsim/errors.hpp"
#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace po = boost::program_options;

namespace staffsim::cli {

// Parses `path=value` pairs given with --set.
std::vector<Override> parse_sets(const std::vector<std::string>& sets) {
  std::vector<Override> out;
  for (const std::string& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw ScenarioError(std::vector<Diagnostic>{Diagnostic{
          .file = "--set", .path = s, .rule = "expected path=value, e.g. time.end_year=2030"}});
    }
    out.push_back(Override{s.substr(0, eq), s.substr(eq + 1)});
  }
  return out;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& pos) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

void print_warnings(const Scenario& sc) {
  for (const Diagnostic& w : sc.warnings) std::cerr << w.format() << '\n';
}

int validate_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "staffsim validate SCENARIO.yaml [--set path=value ...] [--calibration]");
  std::string scenario_path;
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value(&scenario_path)->required(), "scenario file")(
      "set", po::value(&sets)->composing(), "override a parameter: path=value")(
      "calibration", po::bool_switch(),
      "print the demand calibration report (effective staff per user)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, pos);
  const Scenario sc = load_scenario(scenario_path, parse_sets(sets));
  print_warnings(sc);
  // Building the simulation builds the opening stock and calibrates demand,
  // whose problems (e.g. a role with demand but no base posts) are errors too.
  const Simulation sim(sc);
  for (const Diagnostic& w : sim.results().warnings) std::cerr << w.format() << '\n';
  std::cout << scenario_path << ": valid (" << sc.dims.n_roles() << " roles, "
            << sc.dims.n_sectors() << " sectors, " << sc.time.start_year << "-" << sc.time.end_year
            << ", " << sc.time.steps_per_year << " steps a year, "
            << sc.warnings.size() + sim.results().warnings.size() << " warnings)\n";
  if (vm["calibration"].as<bool>()) {
    if (sc.demand.mode == DemandMode::need) {
      std::cout << sim.calibration_report();
    } else {
      std::cout << "no calibration report: demand.mode is not need\n";
    }
  }
  return 0;
}

int show_command(const std::vector<std::string>& args) {
  po::options_description opts("staffsim show SCENARIO.yaml [--set path=value ...]");
  std::string scenario_path;
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value(&scenario_path)->required(), "scenario file")(
      "set", po::value(&sets)->composing(), "override a parameter: path=value");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  parse(args, opts, pos);
  std::cout << show_scenario(scenario_path, parse_sets(sets));
  return 0;
}

}  // namespace staffsim::cli
