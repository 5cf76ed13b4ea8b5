#include "commands.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "staffsim/annual_table.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/progress.hpp"
#include "staffsim/results_writer.hpp"
#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace po = boost::program_options;

namespace staffsim::cli {

namespace {

// Set by SIGINT; the run loop checks it between steps. Process-wide by
// nature (a signal), and confined to the CLI.
std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int /*signal*/) { g_interrupted.store(true); }

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

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description opts("staffsim run SCENARIO.yaml [options]");
  std::string scenario_path;
  std::string output;
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value(&scenario_path)->required(), "scenario file")(
      "output,o", po::value(&output),
      "results file to write: .h5 (HDF5, netCDF-4 compatible; also .nc) or .csv")(
      "set", po::value(&sets)->composing(), "override a parameter: path=value (repeatable)")(
      "quiet,q", po::bool_switch(), "print nothing but errors");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, pos);
  const bool quiet = vm["quiet"].as<bool>();

  const Scenario sc = load_scenario(scenario_path, parse_sets(sets));
  if (!quiet) print_warnings(sc);
  if (!output.empty() &&
      !std::filesystem::is_directory(std::filesystem::absolute(output).parent_path())) {
    throw IoError("cannot write '" + output + "': its folder does not exist");
  }
  std::signal(SIGINT, on_sigint);
  Simulation sim(sc);
  if (!quiet) {
    for (const Diagnostic& w : sim.results().warnings) std::cerr << w.format() << '\n';
  }
  // A progress bar on a terminal, for runs that take over a second.
  const bool show_progress = !quiet && ::isatty(STDERR_FILENO) == 1;
  ProgressMeter meter(sc.time.n_steps(), ProgressMeter::Clock::now());
  while (!sim.finished()) {
    if (g_interrupted.load()) {
      if (show_progress) std::cerr << meter.finish();
      throw Interrupted();
    }
    sim.step();
    if (show_progress) std::cerr << meter.update(sim.step_index(), ProgressMeter::Clock::now());
  }
  if (show_progress) std::cerr << meter.finish() << std::flush;
  // Ctrl-C while writing abandons the file: the writer polls the flag.
  if (!output.empty()) {
    write_results(sim.results(), sc, output,
                  WriteOptions{.cancelled = [] { return g_interrupted.load(); }});
  }
  std::signal(SIGINT, SIG_DFL);
  if (!quiet) {
    const auto rows = annual_rows(sim.results(), Grouping::total);
    std::cout << format_annual_table(rows, "staffsim run: " + sc.name) << '\n'
              << format_retirement_and_money_table(rows, sim.results().price_base_year);
    if (!output.empty()) std::cout << "results: " << output << '\n';
  }
  return 0;
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
