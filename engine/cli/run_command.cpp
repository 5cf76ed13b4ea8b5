// `staffsim run` (DESIGN.md 5): one deterministic run, stepped here so that
// Ctrl-C and the progress bar act between steps, or an ensemble (more than
// one draw, uncertain parameters or process noise) run by the library in
// parallel. Either way: refuse what would not fit (DESIGN.md 7), print the
// table, write the results file safely.
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "staffsim/annual_table.hpp"
#include "staffsim/ensemble.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/progress.hpp"
#include "staffsim/results_writer.hpp"
#include "staffsim/simulation.hpp"
#include "staffsim/summary.hpp"

namespace po = boost::program_options;

namespace staffsim::cli {

namespace {

// Set by SIGINT; the run checks it between steps or blocks of draws.
// Process-wide by nature (a signal), and confined to the CLI.
std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int /*signal*/) { g_interrupted.store(true); }

// A whole number >= 0 (Boost would read "-3" as a huge unsigned number).
std::uint64_t parse_count(const std::string& option, const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError("--" + option + " = '" + text + "': expected a whole number >= 0");
  }
  return value;
}

// "512M", "2G", "1.5GiB", "100000": bytes (K, M, G, T are powers of 1024).
std::uint64_t parse_size(const std::string& option, const std::string& text) {
  std::istringstream in(text);
  double value = 0.0;
  in >> value;
  std::string unit;
  in >> unit;
  double scale = 1.0;
  if (!unit.empty()) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
    const std::string rest = unit.substr(1);
    const bool suffix_ok = rest.empty() || rest == "B" || rest == "iB" || rest == "b";
    if (u == 'K' && suffix_ok) {
      scale = 1024.0;
    } else if (u == 'M' && suffix_ok) {
      scale = 1024.0 * 1024.0;
    } else if (u == 'G' && suffix_ok) {
      scale = 1024.0 * 1024.0 * 1024.0;
    } else if (u == 'T' && suffix_ok) {
      scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
    } else if (!(u == 'B' && rest.empty())) {
      value = -1.0;
    }
  }
  if (in.fail() || !(value > 0.0) || !std::isfinite(value)) {
    throw UsageError("--" + option + " = '" + text +
                     "': expected a positive size such as 512M, 2G or 1.5GiB");
  }
  return static_cast<std::uint64_t>(value * scale);
}

std::string format_bytes(std::uint64_t bytes) {
  std::ostringstream out;
  out.precision(3);
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024.0 * 1024.0) {
    out << b / (1024.0 * 1024.0 * 1024.0) << " GiB";
  } else {
    out << b / (1024.0 * 1024.0) << " MiB";
  }
  return out.str();
}

// 80% of the machine's memory (DESIGN.md 7).
std::uint64_t default_memory_limit() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return UINT64_MAX;
  return static_cast<std::uint64_t>(static_cast<double>(pages) * static_cast<double>(page) * 0.8);
}

// Refuses, before anything runs, a run that would not fit in memory or in
// the file-size limit (default: the free space where the file goes).
void check_limits(const Scenario& sc, const EnsembleOptions& o, const po::variables_map& vm,
                  const std::string& output) {
  const EnsembleEstimate e = estimate_ensemble(sc, o);
  const std::uint64_t memory = vm.count("max-memory") != 0
                                   ? parse_size("max-memory", vm["max-memory"].as<std::string>())
                                   : default_memory_limit();
  if (e.peak_memory_bytes > memory) {
    throw UsageError("refused: " + std::to_string(o.draws) + " draws need an estimated " +
                     format_bytes(e.peak_memory_bytes) + " of memory, above the limit of " +
                     format_bytes(memory) +
                     (vm.count("max-memory") != 0
                          ? " (--max-memory)"
                          : " (80% of this machine's memory; --max-memory)") +
                     "; run fewer draws or split them over several runs");
  }
  if (output.empty()) return;
  std::uint64_t limit = UINT64_MAX;
  std::string why = " (--max-file-size)";
  if (vm.count("max-file-size") != 0) {
    limit = parse_size("max-file-size", vm["max-file-size"].as<std::string>());
  } else {
    std::error_code ec;
    const auto space = std::filesystem::space(std::filesystem::absolute(output).parent_path(), ec);
    if (!ec) limit = space.available;
    why = " (the free space in its folder; --max-file-size)";
  }
  if (e.file_bytes > limit) {
    throw UsageError("refused: the results file '" + output + "' would take an estimated " +
                     format_bytes(e.file_bytes) + ", above the limit of " + format_bytes(limit) +
                     why);
  }
}

WriteOptions cancellable() {
  return WriteOptions{.cancelled = [] { return g_interrupted.load(); }};
}

void run_single(const Scenario& sc, const std::string& output, bool quiet) {
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
  if (!output.empty()) write_results(sim.results(), sc, output, cancellable());
  if (!quiet) {
    const auto rows = annual_rows(sim.results(), Grouping::total);
    std::cout << format_annual_table(rows, "staffsim run: " + sc.name) << '\n'
              << format_retirement_and_money_table(rows, sim.results().price_base_year);
  }
}

void run_many(const Scenario& sc, EnsembleOptions o, const std::string& output, bool quiet) {
  const bool show_progress = !quiet && ::isatty(STDERR_FILENO) == 1;
  ProgressMeter meter(static_cast<int>(std::min<std::uint64_t>(o.draws, INT32_MAX)),
                      ProgressMeter::Clock::now());
  o.cancelled = [] { return g_interrupted.load(); };
  if (show_progress) {
    o.progress = [&](std::uint64_t done, std::uint64_t /*total*/) {
      std::cerr << meter.update(static_cast<int>(done), ProgressMeter::Clock::now());
    };
  }
  if (!output.empty()) o.scratch_dir = std::filesystem::absolute(output).parent_path();
  EnsembleResults res;
  try {
    res = run_ensemble(sc, o);
  } catch (const Interrupted&) {
    if (show_progress) std::cerr << meter.finish();
    throw;
  }
  if (show_progress) std::cerr << meter.finish() << std::flush;
  if (!quiet) {
    for (const Diagnostic& w : res.first.warnings) std::cerr << w.format() << '\n';
  }
  if (!output.empty()) write_ensemble_results(res, sc, output, cancellable());
  if (!quiet) {
    std::cout << format_ensemble_summary(res.first, res.per_draw, res.draws, SummaryOptions{},
                                         "staffsim run: " + sc.name + " (" +
                                             std::to_string(res.draws) + " draws, seed " +
                                             std::to_string(res.seed) + ")");
  }
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description opts("staffsim run SCENARIO.yaml [options]");
  std::string scenario_path;
  std::string output;
  std::vector<std::string> sets;
  EnsembleOptions ens;
  std::string draws;
  std::string seed;
  opts.add_options()("scenario", po::value(&scenario_path)->required(), "scenario file")(
      "output,o", po::value(&output),
      "results file to write: .h5 (HDF5, netCDF-4 compatible; also .nc) or .csv (one run)")(
      "draws", po::value(&draws)->default_value("1"), "Monte Carlo draws")(
      "seed", po::value(&seed)->default_value("0"), "seed of the draws' random numbers")(
      "threads", po::value(&ens.threads)->default_value(0), "worker threads (0: every core)")(
      "set", po::value(&sets)->composing(), "override a parameter: path=value (repeatable)")(
      "max-memory", po::value<std::string>(),
      "refuse a run whose estimated peak memory exceeds this (default 80% of RAM)")(
      "max-file-size", po::value<std::string>(),
      "refuse a run whose estimated file size exceeds this (default: free space)")(
      "quiet,q", po::bool_switch(), "print nothing but errors");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, pos);
  const bool quiet = vm["quiet"].as<bool>();
  ens.draws = parse_count("draws", draws);
  ens.seed = parse_count("seed", seed);
  if (ens.draws == 0) throw UsageError("--draws = 0: at least one draw");
  if (ens.threads < 0)
    throw UsageError("--threads = " + std::to_string(ens.threads) +
                     ": must be >= 0 (0: every core)");

  const Scenario sc = load_scenario(scenario_path, parse_sets(sets));
  if (!quiet) print_warnings(sc);
  if (!output.empty() &&
      !std::filesystem::is_directory(std::filesystem::absolute(output).parent_path())) {
    throw IoError("cannot write '" + output + "': its folder does not exist");
  }
  check_limits(sc, ens, vm, output);
  std::signal(SIGINT, on_sigint);
  if (is_ensemble(sc, ens.draws)) {
    run_many(sc, ens, output, quiet);
  } else {
    run_single(sc, output, quiet);
  }
  std::signal(SIGINT, SIG_DFL);
  if (!quiet && !output.empty()) std::cout << "results: " << output << '\n';
  return 0;
}

}  // namespace staffsim::cli
