#pragma once
// The `uncertainty:` block (DESIGN.md 2.7): entries that each draw a value
// (or one per element) from a distribution and apply it to the parameters a
// path selects, in order, before the scenario is built. Each draw's scenario
// is built from the merged tree by the same builder and validation as the
// file itself, so a sampled value is held to every rule a written one is.
// Internal header.
//
// Files: uncertainty_load.cpp reads and validates the block (load time),
// uncertainty_paths.cpp resolves entry paths in the tree, uncertainty.cpp
// samples and applies the entries of one draw.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <span>

#include "scenario/config_tree.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

class ParameterUncertainty {
 public:
  virtual ~ParameterUncertainty() = default;
  // Draw `draw`'s scenario from `base` (whose non-random parts it keeps:
  // file, name, resolved YAML, provenance, warnings). `given`: one value per
  // entry from an external design, NaN where the entry samples as usual.
  [[nodiscard]] virtual ParameterDraw draw(const Scenario& base, std::uint64_t seed,
                                           std::uint64_t draw,
                                           std::span<const double> given) const = 0;
  [[nodiscard]] virtual std::vector<std::string> names() const = 0;
  [[nodiscard]] virtual std::uint64_t max_draws() const = 0;
  // Every element the entries write at `given` (one value per entry), as
  // `path = value` overrides that reproduce them on the scenario without
  // the block: numbers, each selected table cell, and balances. A fitted
  // calibration is written this way.
  [[nodiscard]] virtual std::vector<std::pair<std::string, double>> assignments(
      std::span<const double> given) const = 0;
};

}  // namespace staffsim

namespace staffsim::config {

enum class Distribution {
  normal,
  lognormal,
  uniform,
  triangular,
  beta,
  discrete,
  dirichlet,
  sample
};

// One parameter an entry selects: a value in the tree (a number, or for a
// discrete choice any value), or cells of a table, which the builder changes
// through a CellOverride with a transform.
struct UncertainTarget {
  std::vector<std::size_t> steps;       // map entry / list item indices from the root
  std::string path;                     // the node's path, e.g. recruitment.sources[abroad].cap
  std::vector<std::string> selectors;   // non-empty: cells of a table
  std::vector<std::string> cell_names;  // the selected cells, in selection order (load time)
  [[nodiscard]] bool cells() const { return !selectors.empty(); }
  [[nodiscard]] std::size_t size() const { return cells() ? cell_names.size() : 1; }
};

// One entry of the block, validated.
struct UncertainEntry {
  std::string name;   // names(): `name:`, else the path (sample: the file as written)
  std::string label;  // in messages: uncertainty[name], or uncertainty[index] without a name
  Location at;        // where the entry was written
  Distribution dist = Distribution::normal;
  bool scale = false;        // mode: scale (multiplies) rather than value (replaces)
  bool independent = false;  // one draw per selected element
  bool renormalise = false;  // the selected elements keep their total
  double mean = 0.0, sd = 1.0;
  double mu = 0.0, sigma = 1.0;
  double a = 1.0, b = 1.0;
  double peak = 0.0;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::vector<NodePtr> values;           // discrete: the choices
  std::vector<double> numbers;           // discrete: the choices as numbers (when all are)
  std::vector<double> weights;           // discrete: choice weights, summing to 1
  std::vector<double> alpha;             // dirichlet
  std::vector<UncertainTarget> targets;  // path entries
  // `balance:` a number that absorbs the change of the targets (their total
  // with it is kept); plain numbers, one value for all.
  std::optional<UncertainTarget> balance;

  // sample entries: one column per path, one row per draw.
  std::string sample_file;                // display name
  std::vector<std::string> column_names;  // the header's paths
  std::vector<std::vector<UncertainTarget>> columns;
  std::vector<std::vector<double>> rows;  // rows[d][column]
  std::vector<Location> row_at;           // CSV row of each draw

  // Selected elements (targets' cells or numbers), in selection order.
  [[nodiscard]] std::size_t elements() const;
  [[nodiscard]] bool numeric_choices() const { return numbers.size() == values.size(); }
};

// What one entry gives in one draw.
struct EntryDraw {
  std::vector<double> x;            // per element, or one value for all (size 1)
  std::vector<std::size_t> choice;  // discrete: per element, or one for all
  std::size_t row = 0;              // sample: the row
  double reported = std::numeric_limits<double>::quiet_NaN();  // ParameterDraw::values
};

// Samples entry `index` for (seed, draw) from the parameter stream.
[[nodiscard]] EntryDraw sample_entry(const UncertainEntry& e, std::uint32_t index,
                                     std::uint64_t seed, std::uint64_t draw);
// `root` with the entry's draw applied (nodes on the way copied; `root` and
// everything else shared and unchanged). Throws ScenarioError when a scaled
// value is not a number.
[[nodiscard]] NodePtr apply_entry(const NodePtr& root, const UncertainEntry& e, const EntryDraw& d);

// ---- Paths (uncertainty_paths.cpp) ----------------------------------------
// The parameters `path` selects in the tree (DESIGN.md 2.7 grammar; named
// list items by name, cell selectors last); nullopt with `rule` set when it
// selects nothing.
[[nodiscard]] std::optional<std::vector<UncertainTarget>> resolve_targets(const Node& root,
                                                                          const std::string& path,
                                                                          std::string& rule);
// The node at `steps`.
[[nodiscard]] const Node& node_at(const Node& root, const std::vector<std::size_t>& steps);
// `root` with the node at `steps` replaced by edit(old): the nodes on the way
// are copied (shallowly), everything else is shared.
[[nodiscard]] NodePtr edit_at(const NodePtr& root, const std::vector<std::size_t>& steps,
                              const std::function<NodePtr(const NodePtr&)>& edit);

// ---- The block (uncertainty_load.cpp) -------------------------------------
// Reads and validates `block` (the merged tree's `uncertainty:`) against
// `params` (the merged tree without it), reporting every problem to diags.
// With `probe` (the scenario itself is valid) each entry's paths are
// resolved through the builder and the ends of each distribution's support
// are built and checked. nullptr when there is no block or on errors.
// `block_name` names the block in messages (`calibration.free` reads its
// free parameters as uniform entries through this same reader).
[[nodiscard]] std::shared_ptr<const ParameterUncertainty> build_uncertainty(
    const NodePtr& block, const NodePtr& params, bool probe, const std::shared_ptr<CsvCache>& cache,
    Diagnostics& diags, const std::string& block_name = "uncertainty");

// The ParameterUncertainty of a loaded scenario: the merged tree (without
// the block, immutable), the entries and the shared CSV cache.
class TreeUncertainty final : public ParameterUncertainty {
 public:
  TreeUncertainty(NodePtr root, std::vector<UncertainEntry> entries,
                  std::shared_ptr<CsvCache> cache);
  [[nodiscard]] ParameterDraw draw(const Scenario& base, std::uint64_t seed, std::uint64_t draw,
                                   std::span<const double> given) const override;
  [[nodiscard]] std::vector<std::string> names() const override;
  [[nodiscard]] std::uint64_t max_draws() const override { return max_draws_; }
  [[nodiscard]] std::vector<std::pair<std::string, double>> assignments(
      std::span<const double> given) const override;

 private:
  NodePtr root_;
  std::vector<UncertainEntry> entries_;
  std::shared_ptr<CsvCache> cache_;
  std::uint64_t max_draws_ = std::numeric_limits<std::uint64_t>::max();
};

}  // namespace staffsim::config
