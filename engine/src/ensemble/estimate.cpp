// What an ensemble will need before it starts (DESIGN.md 7): the record of
// one draw (from a deterministic run of the scenario as written) times the
// draws, for what the runner holds and what the file stores.
#include <algorithm>

#include "ensemble/block_sizes.hpp"
#include "ensemble/draw_record.hpp"
#include "staffsim/ensemble.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {

namespace {

// Fixed costs of the process: code, the scenario, HDF5 and TBB (measured
// at about 20 MB for the shipped scenarios; rounded up).
constexpr std::uint64_t kProcessBytes = std::uint64_t{48} << 20;
// Per worker thread: one simulation's state and one draw's results.
constexpr std::uint64_t kPerThreadBytes = std::uint64_t{4} << 20;
constexpr std::uint64_t kBlock = ensemble::kBlock;
using ensemble::kReduceBytes;

}  // namespace

EnsembleEstimate estimate_ensemble(const Scenario& scenario, const EnsembleOptions& options) {
  Scenario plain = scenario;
  plain.stochastic = false;
  Simulation sim(std::move(plain));
  sim.run();
  const ensemble::RecordLayout layout = ensemble::record_layout(sim.results());
  const std::uint64_t columns = layout.size;
  std::uint64_t core_columns = 0;
  for (const std::string& name : core_variable_names()) core_columns += layout.field(name).size;
  const std::uint64_t draws = std::max<std::uint64_t>(options.draws, 1);
  const std::uint64_t q = options.quantiles.size();

  const std::uint64_t core = draws * core_columns * sizeof(float);
  const std::uint64_t summaries = (q + 2) * columns * sizeof(double);
  const std::uint64_t store = columns * draws * sizeof(float);
  const std::uint64_t block_buffers = kBlock * columns * (sizeof(double) + sizeof(float));
  const std::uint64_t threads =
      options.threads > 0 ? static_cast<std::uint64_t>(options.threads) : 2;
  EnsembleEstimate e;
  e.peak_memory_bytes = kProcessBytes + threads * kPerThreadBytes + core + 2 * summaries +
                        block_buffers + (store <= options.memory_budget_bytes ? store : 0) +
                        std::min(store, kReduceBytes);
  // The file: the core set per draw, the summaries, small coordinates and
  // the provenance (the resolved scenario).
  const std::uint64_t parameters = draws * uncertain_parameter_names(scenario).size() * 8;
  e.file_bytes =
      core + summaries + parameters + scenario.resolved_yaml.size() + (std::uint64_t{256} << 10);
  if (!is_ensemble(scenario, options.draws)) {
    e.peak_memory_bytes = kProcessBytes + columns * sizeof(double) * 4;
    e.file_bytes =
        columns * sizeof(double) + scenario.resolved_yaml.size() + (std::uint64_t{256} << 10);
  }
  return e;
}

}  // namespace staffsim
