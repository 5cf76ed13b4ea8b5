// One draw of the `uncertainty:` block (DESIGN.md 2.7): each entry samples
// from the parameter stream of (seed, draw) - stream id = the entry's index,
// cell = the element's ordinal, element 0's stream when one value serves all
// elements - and the entries apply in order to a copy-on-write view of the
// merged tree, which the builder then turns into the draw's Scenario with
// every rule of the file itself. Nothing is read from disk: CSV tables come
// from the cache filled at load.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "random/philox_stream.hpp"
#include "random/samplers.hpp"
#include "scenario/build_support.hpp"
#include "scenario/uncertainty.hpp"

namespace staffsim::config {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

random::RandomStream stream(std::uint64_t seed, std::uint64_t draw, std::uint32_t index,
                            std::size_t element) {
  return random::RandomStream(seed, draw, random::Stream::parameters, index,
                              static_cast<std::uint32_t>(element));
}

// One value of a continuous distribution.
double sample_value(const UncertainEntry& e, random::RandomStream& rng) {
  const bool truncated = std::isfinite(e.lower) || std::isfinite(e.upper);
  switch (e.dist) {
    case Distribution::normal:
      return truncated ? random::truncated_normal(rng, e.mean, e.sd, e.lower, e.upper)
                       : random::normal(rng, e.mean, e.sd);
    case Distribution::lognormal:
      if (!truncated) return random::lognormal(rng, e.mu, e.sigma);
      return std::exp(random::truncated_normal(rng, e.mu, e.sigma,
                                               e.lower > 0.0 ? std::log(e.lower) : -kInf,
                                               std::isfinite(e.upper) ? std::log(e.upper) : kInf));
    case Distribution::uniform:
      return random::uniform(rng, e.lower, e.upper);
    case Distribution::triangular:
      return random::triangular(rng, e.lower, e.peak, e.upper);
    case Distribution::beta:
      return e.lower + (e.upper - e.lower) * random::beta(rng, e.a, e.b);
    default:
      return kNaN;
  }
}

// The number a scale or renormalise step starts from.
double current_number(const Node& n, const UncertainEntry& e, const std::string& path) {
  if (const auto v = parse_number(n)) return *v;
  throw ScenarioError(e.label + ": " + path + " = " + to_flow(n) +
                      " is not a number, so it cannot be scaled");
}

NodePtr number_node(double v, const Node& old, const Location& at) {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::scalar;
  n->scalar = format_number(v);
  n->loc = at;
  n->base_dir = old.base_dir;
  return n;
}

// New values of the selected elements from their current ones: value or
// scale, then, with renormalise, rescaled to the current total.
void combine(bool scale, bool renormalise, std::span<const double> x, std::size_t offset,
             std::vector<double>& values) {
  double before = 0.0;
  double after = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    const double xk = x.size() == 1 ? x[0] : x[offset + k];
    before += values[k];
    values[k] = scale ? values[k] * xk : xk;
    after += values[k];
  }
  if (renormalise && after != 0.0) {
    for (double& v : values) v *= before / after;
  }
}

// Cells of a table: a CellOverride whose transform applies the draw.
NodePtr with_transform(const NodePtr& root, const UncertainTarget& t, const UncertainEntry& e,
                       CellTransform transform) {
  auto at = std::make_shared<Node>();
  at->loc = e.at;
  CellOverride ov{t.selectors, at, t.path, std::move(transform)};
  return edit_at(root, t.steps, [&](const NodePtr& old) {
    auto n = std::make_shared<Node>(*old);
    n->cell_overrides.push_back(ov);
    return n;
  });
}

// Numbers (x per element, or one for all) onto the entry's targets.
NodePtr apply_numbers(NodePtr root, const UncertainEntry& e,
                      const std::vector<UncertainTarget>& targets, std::vector<double> x) {
  const bool plain = std::all_of(targets.begin(), targets.end(),
                                 [](const UncertainTarget& t) { return !t.cells(); });
  if (plain) {
    // Plain numbers: read, combine and write back here.
    std::vector<double> values;
    values.reserve(targets.size());
    const bool read = e.scale || e.renormalise || e.balance.has_value();
    double before = 0.0;
    for (const auto& t : targets) {
      values.push_back(read ? current_number(node_at(*root, t.steps), e, t.path) : 0.0);
      before += values.back();
    }
    combine(e.scale, e.renormalise, x, 0, values);
    for (std::size_t k = 0; k < targets.size(); ++k) {
      root = edit_at(root, targets[k].steps,
                     [&](const NodePtr& old) { return number_node(values[k], *old, e.at); });
    }
    if (e.balance) {
      double after = 0.0;
      for (const double v : values) after += v;
      const double kept =
          current_number(node_at(*root, e.balance->steps), e, e.balance->path) + before - after;
      root = edit_at(root, e.balance->steps,
                     [&](const NodePtr& old) { return number_node(kept, *old, e.at); });
    }
    return root;
  }
  const auto shared_x = std::make_shared<const std::vector<double>>(std::move(x));
  std::size_t offset = 0;
  for (const auto& t : targets) {
    if (t.cells()) {
      root = with_transform(root, t, e,
                            [scale = e.scale, renormalise = e.renormalise, shared_x, offset](
                                const CellSelection&, std::vector<double>& v) {
                              combine(scale, renormalise, *shared_x, offset, v);
                            });
    } else {
      std::vector<double> one{e.scale ? current_number(node_at(*root, t.steps), e, t.path) : 0.0};
      combine(e.scale, e.renormalise, *shared_x, offset, one);
      root = edit_at(root, t.steps,
                     [&](const NodePtr& old) { return number_node(one[0], *old, e.at); });
    }
    offset += t.size();
  }
  return root;
}

}  // namespace

std::size_t UncertainEntry::elements() const {
  std::size_t n = 0;
  for (const auto& t : targets) n += t.size();
  return n;
}

EntryDraw sample_entry(const UncertainEntry& e, std::uint32_t index, std::uint64_t seed,
                       std::uint64_t draw) {
  EntryDraw d;
  const std::size_t n = e.elements();
  switch (e.dist) {
    case Distribution::sample: {
      d.row = static_cast<std::size_t>(draw);
      if (e.columns.size() == 1 && d.row < e.rows.size()) d.reported = e.rows[d.row][0];
      return d;
    }
    case Distribution::dirichlet: {
      auto rng = stream(seed, draw, index, 0);
      d.x.resize(e.alpha.size());
      random::dirichlet(rng, e.alpha, d.x);
      return d;
    }
    case Distribution::discrete: {
      const std::size_t m = e.independent ? n : 1;
      for (std::size_t k = 0; k < m; ++k) {
        auto rng = stream(seed, draw, index, k);
        d.choice.push_back(random::discrete_choice(rng, e.weights));
        if (e.numeric_choices()) d.x.push_back(e.numbers[d.choice.back()]);
      }
      if (!e.independent) d.reported = static_cast<double>(d.choice[0]);
      return d;
    }
    default: {
      const std::size_t m = e.independent ? n : 1;
      for (std::size_t k = 0; k < m; ++k) {
        auto rng = stream(seed, draw, index, k);
        d.x.push_back(sample_value(e, rng));
      }
      if (!e.independent) d.reported = d.x[0];
      return d;
    }
  }
}

NodePtr apply_entry(const NodePtr& root, const UncertainEntry& e, const EntryDraw& d) {
  if (e.dist == Distribution::sample) {
    NodePtr out = root;
    for (std::size_t c = 0; c < e.columns.size(); ++c) {
      out = apply_numbers(out, e, e.columns[c], {e.rows[d.row][c]});
    }
    return out;
  }
  if (e.dist == Distribution::discrete && !e.numeric_choices()) {
    // Any YAML value (a file name, a year table): the chosen node replaces
    // the parameter, keeping where it was written.
    NodePtr out = root;
    std::size_t k = 0;
    for (const auto& t : e.targets) {
      const NodePtr& value = e.values[d.choice[d.choice.size() == 1 ? 0 : k]];
      out = edit_at(out, t.steps, [&](const NodePtr&) { return value; });
      k += t.size();
    }
    return out;
  }
  return apply_numbers(root, e, e.targets, d.x);
}

// ---- TreeUncertainty ---------------------------------------------------------

TreeUncertainty::TreeUncertainty(NodePtr root, std::vector<UncertainEntry> entries,
                                 std::shared_ptr<CsvCache> cache)
    : root_(std::move(root)), entries_(std::move(entries)), cache_(std::move(cache)) {
  for (const auto& e : entries_) {
    if (e.dist == Distribution::sample) {
      max_draws_ = std::min<std::uint64_t>(max_draws_, e.rows.size());
    }
  }
}

std::vector<std::string> TreeUncertainty::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

// An external design's value for entry `e` replaces its sample: one value
// for all elements (the value, or the factor in scale mode), or the index
// of a discrete choice.
void use_given(const UncertainEntry& e, double v, std::uint64_t draw, EntryDraw& d) {
  const auto refuse = [&](const std::string& rule) {
    throw UsageError("samples[" + std::to_string(draw) + "] for " + e.label + " = " +
                     std::to_string(v) + ": " + rule);
  };
  if (e.independent || e.dist == Distribution::sample || e.dist == Distribution::dirichlet) {
    refuse(
        "an external design gives one value per entry; this entry draws one value per "
        "element, a Dirichlet vector or a sample file row (give NaN to let it sample)");
  }
  if (!std::isfinite(v)) refuse("must be finite (NaN lets the entry sample)");
  if (e.dist == Distribution::discrete) {
    if (v < 0 || v != std::floor(v) || v >= static_cast<double>(e.values.size())) {
      refuse("a discrete entry takes the index of a choice, 0 to " +
             std::to_string(e.values.size() - 1));
    }
    d.choice = {static_cast<std::size_t>(v)};
    d.x.clear();
    if (e.numeric_choices()) d.x.push_back(e.numbers[d.choice[0]]);
  } else {
    d.x = {v};
  }
  d.reported = v;
}

ParameterDraw TreeUncertainty::draw(const Scenario& base, std::uint64_t seed, std::uint64_t draw,
                                    std::span<const double> given) const {
  if (!given.empty() && given.size() != entries_.size()) {
    throw UsageError("samples: " + std::to_string(given.size()) +
                     " values for a draw, but the "
                     "scenario has " +
                     std::to_string(entries_.size()) + " uncertainty entries");
  }
  if (draw >= max_draws_) {
    for (const auto& e : entries_) {
      if (e.dist == Distribution::sample && draw >= e.rows.size()) {
        throw ScenarioError("draw " + std::to_string(draw) + ": " + e.label + " has " +
                            std::to_string(e.rows.size()) + " rows in " + e.sample_file +
                            " (draws 0 to " + std::to_string(e.rows.size() - 1) + ")");
      }
    }
  }
  std::vector<EntryDraw> drawn;
  drawn.reserve(entries_.size());
  ParameterDraw out{Scenario{}, {}};
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    drawn.push_back(sample_entry(entries_[i], static_cast<std::uint32_t>(i), seed, draw));
    if (!given.empty() && !std::isnan(given[i]))
      use_given(entries_[i], given[i], draw, drawn.back());
    out.values.push_back(drawn.back().reported);
  }
  // Builds the tree with the first `n` entries applied.
  auto build = [&](std::size_t n, Diagnostics& diags) {
    NodePtr tree = root_;
    for (std::size_t i = 0; i < n; ++i) tree = apply_entry(tree, entries_[i], drawn[i]);
    return build_scenario(tree, diags, cache_.get());
  };
  Diagnostics diags;
  out.scenario = build(entries_.size(), diags);
  if (diags.has_errors()) {
    // Name the entry: the first whose application breaks a rule.
    std::size_t culprit = entries_.size() - 1;
    std::vector<Diagnostic> problems;
    for (std::size_t n = 1; n <= entries_.size(); ++n) {
      Diagnostics partial;
      (void)build(n, partial);
      if (partial.has_errors()) {
        culprit = n - 1;
        for (const auto& p : partial.all()) {
          if (p.severity == Diagnostic::Severity::error) problems.push_back(p);
        }
        break;
      }
    }
    if (problems.empty()) {
      for (const auto& p : diags.all()) {
        if (p.severity == Diagnostic::Severity::error) problems.push_back(p);
      }
    }
    for (auto& p : problems) {
      p.rule += " (draw " + std::to_string(draw) + " of " + entries_[culprit].label + ")";
    }
    throw ScenarioError(std::move(problems));
  }
  Scenario& sc = out.scenario;
  sc.name = base.name;
  sc.description = base.description;
  sc.file = base.file;
  sc.resolved_yaml = base.resolved_yaml;
  sc.input_sha256 = base.input_sha256;
  sc.warnings = base.warnings;
  sc.uncertainty = base.uncertainty;
  return out;
}

std::vector<std::pair<std::string, double>> TreeUncertainty::assignments(
    std::span<const double> given) const {
  if (given.size() != entries_.size()) {
    throw UsageError("assignments: " + std::to_string(given.size()) + " values for " +
                     std::to_string(entries_.size()) + " entries");
  }
  NodePtr tree = root_;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    EntryDraw d;
    use_given(entries_[i], given[i], 0, d);
    tree = apply_entry(tree, entries_[i], d);
  }
  std::vector<std::pair<std::string, double>> out;
  // Cells: a last override on each selected table records the values the
  // builder ends with, under their override paths.
  auto cells = std::make_shared<std::vector<std::pair<std::string, double>>>();
  bool any_cells = false;
  const auto number_at = [&](const UncertainTarget& t) {
    const auto v = parse_number(node_at(*tree, t.steps));
    out.emplace_back(t.path, v.value_or(std::nan("")));
  };
  for (const auto& e : entries_) {
    for (const auto& t : e.targets) {
      if (!t.cells()) {
        number_at(t);
        continue;
      }
      any_cells = true;
      auto at = std::make_shared<Node>();
      at->loc = e.at;
      CellOverride capture{t.selectors, at, t.path,
                           [cells](const CellSelection& sel, std::vector<double>& v) {
                             for (std::size_t k = 0; k < sel.cells.size(); ++k) {
                               cells->emplace_back(sel.cell_name(k), v[k]);
                             }
                           }};
      tree = edit_at(tree, t.steps, [&](const NodePtr& old) {
        auto n = std::make_shared<Node>(*old);
        n->cell_overrides.push_back(capture);
        return n;
      });
    }
    if (e.balance) number_at(*e.balance);
  }
  if (any_cells) {
    Diagnostics diags;
    (void)build_scenario(tree, diags, cache_.get());
    diags.throw_if_errors();
    out.insert(out.end(), cells->begin(), cells->end());
  }
  return out;
}

}  // namespace staffsim::config
