// The ensemble runner (DESIGN.md 2.7). Draws run in blocks: within a block
// TBB runs the draws in parallel, each writing its own slot; then the block
// is committed - moments, the core set, shortfall counts and the float32
// columns for the quantiles - column by column, each column in draw order.
// Nothing therefore depends on the number of threads or on scheduling.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "ensemble/block_sizes.hpp"
#include "ensemble/column_store.hpp"
#include "ensemble/draw_record.hpp"
#include "ensemble/draw_statistics.hpp"
#include "staffsim/ensemble.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {

namespace {

using ensemble::kBlock;
using ensemble::kReduceBytes;

void check_options(const Scenario& sc, const EnsembleOptions& o) {
  if (o.draws == 0) throw UsageError("draws must be at least 1");
  if (o.first_draw + o.draws > (std::uint64_t{1} << 32)) {
    throw UsageError("draws " + std::to_string(o.first_draw) + " .. " +
                     std::to_string(o.first_draw + o.draws - 1) +
                     ": draw numbers stop at 2^32 - 1");
  }
  const std::uint64_t most = max_draws(sc);
  if (o.first_draw + o.draws > most) {
    throw UsageError("draws = " + std::to_string(o.draws) + ": the scenario's `sample:` file has " +
                     std::to_string(most) + " rows, one per draw");
  }
  if (o.threads < 0) throw UsageError("threads must be >= 0 (0: every core)");
  const std::size_t entries = uncertain_parameter_names(sc).size();
  if (!o.samples.empty() && o.samples.size() != o.draws * entries) {
    throw UsageError("samples: " + std::to_string(o.samples.size()) + " values; " +
                     std::to_string(o.draws) + " draws x " + std::to_string(entries) +
                     " uncertainty entries need " + std::to_string(o.draws * entries));
  }
  double previous = 0.0;
  for (const double q : o.quantiles) {
    if (!(q > previous && q < 1.0)) {
      throw UsageError("quantile levels must increase strictly within (0, 1)");
    }
    previous = q;
  }
}

// One draw, start to end: its own parameters (or a fork of the prototype
// when nothing is uncertain), its own noise, its results flattened.
class DrawRunner {
 public:
  DrawRunner(const Scenario& sc, std::uint64_t seed) : sc_(sc), seed_(seed) {
    if (!sc.uncertainty) prototype_.emplace(sc, FlowSwitches{}, DrawKey{seed, 0});
  }

  // Runs the draw and hands its results to `use` in place (a draw's results
  // are large: copying them out cost as much as some of the flows).
  // `given`: the draw's row of an external design (empty: none).
  template <class Use>
  void run(std::uint64_t draw, std::span<const double> given, std::span<double> parameters,
           const Use& use) const {
    const DrawKey key{seed_, draw};
    if (prototype_) {
      // One simulation per thread, restarted for each draw: no allocation
      // (and no page faults, which contend between threads) per draw.
      std::optional<Simulation>& sim = per_thread_.local();
      if (sim) {
        sim->restart_from(*prototype_, key);
      } else {
        sim.emplace(prototype_->fork(key));
      }
      sim->run();
      use(sim->results());
      return;
    }
    ParameterDraw pd = draw_scenario(sc_, seed_, draw, given);
    std::copy_n(pd.values.begin(), std::min(pd.values.size(), parameters.size()),
                parameters.begin());
    Simulation sim(std::move(pd.scenario), FlowSwitches{}, key);
    sim.run();
    use(sim.results());
  }

 private:
  const Scenario& sc_;
  std::uint64_t seed_;
  std::optional<Simulation> prototype_;
  mutable tbb::enumerable_thread_specific<std::optional<Simulation>> per_thread_;
};

// Counts of draws in shortfall, per (year, rs) and per year in total.
struct ShortfallCounts {
  std::vector<std::uint64_t> vacancy_cell, gap_cell, vacancy_total, gap_total;
};

class Committer {
 public:
  Committer(const ensemble::RecordLayout& layout, const EnsembleOptions& o, EnsembleResults& out,
            int years, int rs)
      : layout_(layout),
        draws_(o.draws),
        out_(out),
        moments_(layout.size),
        store_(layout.size, o.draws, kBlock, o.memory_budget_bytes, o.scratch_dir),
        transposed_(layout.size * kBlock),
        years_(years),
        rs_(rs),
        vac_hc_(layout.field("vacancies_hc")),
        posts_hc_(layout.field("posts_hc")),
        fte_(layout.field("fte")),
        posts_(layout.field("posts")) {
    for (const std::string& name : core_variable_names()) {
      const ensemble::RecordField& f = layout.field(name);
      core_.push_back(&f);
      out.per_draw.push_back(DrawVariable{f.name, f.dims, f.units, f.long_name, {}});
      out.per_draw.back().values.resize(static_cast<std::size_t>(o.draws) * f.size);
    }
    const auto cells = static_cast<std::size_t>(years) * static_cast<std::size_t>(rs);
    counts_.vacancy_cell.assign(cells, 0);
    counts_.gap_cell.assign(cells, 0);
    counts_.vacancy_total.assign(static_cast<std::size_t>(years), 0);
    counts_.gap_total.assign(static_cast<std::size_t>(years), 0);
  }

  // Draws [first, first + n), records[i * columns + c].
  void commit(std::uint64_t first, std::size_t n, const std::vector<double>& records,
              double threshold) {
    const std::size_t C = layout_.size;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, C, 2048),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        // Draw by draw over a run of columns: the columns'
                        // running moments are independent chains (each still
                        // in draw order) and the records are read in order.
                        for (std::size_t i = 0; i < n; ++i) {
                          const double* rec = records.data() + i * C;
                          for (std::size_t c = r.begin(); c != r.end(); ++c) {
                            moments_.add(c, rec[c], first + i);
                          }
                        }
                        for (std::size_t c = r.begin(); c != r.end(); ++c) {
                          for (std::size_t i = 0; i < n; ++i) {
                            transposed_[c * n + i] = static_cast<float>(records[i * C + c]);
                          }
                        }
                      });
    store_.append(std::span<const float>(transposed_.data(), C * n), n);
    for (std::size_t v = 0; v < core_.size(); ++v) {
      const ensemble::RecordField& f = *core_[v];
      float* dst = out_.per_draw[v].values.data() + first * f.size;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < f.size; ++j) {
          dst[i * f.size + j] = static_cast<float>(records[i * C + f.offset + j]);
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) count_shortfalls(records.data() + i * C, threshold);
  }

  // Quantiles, means and standard errors of every variable; probabilities.
  void finish(const std::vector<double>& levels) {
    const std::size_t C = layout_.size;
    const std::size_t Q = levels.size();
    std::vector<double> q(Q * C);
    const std::uint64_t per_column = std::max<std::uint64_t>(1, draws_ * sizeof(float));
    const auto span_columns = static_cast<std::size_t>(
        std::clamp<std::uint64_t>(kReduceBytes / per_column, 1, C == 0 ? 1 : C));
    std::vector<float> block;
    for (std::size_t first = 0; first < C; first += span_columns) {
      const std::size_t count = std::min(span_columns, C - first);
      store_.read(first, count, block);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 16),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          std::vector<double> column_q(Q);
                          for (std::size_t j = r.begin(); j != r.end(); ++j) {
                            std::span<float> values(block.data() + j * draws_,
                                                    static_cast<std::size_t>(draws_));
                            ensemble::quantiles_type7(values, levels, column_q);
                            for (std::size_t k = 0; k < Q; ++k) q[k * C + first + j] = column_q[k];
                          }
                        });
    }
    for (const ensemble::RecordField& f : layout_.fields) {
      VariableSummary s{f.name, f.dims, f.units, f.long_name, {}, {}, {}};
      s.quantiles.resize(Q * f.size);
      s.mean.resize(f.size);
      s.mean_se.resize(f.size);
      for (std::size_t j = 0; j < f.size; ++j) {
        for (std::size_t k = 0; k < Q; ++k) s.quantiles[k * f.size + j] = q[k * C + f.offset + j];
        s.mean[j] = moments_.mean(f.offset + j);
        s.mean_se[j] = moments_.standard_error(f.offset + j, draws_);
      }
      out_.summaries.push_back(std::move(s));
    }
    const auto share = [&](const std::vector<std::uint64_t>& counts) {
      std::vector<double> p(counts.size());
      for (std::size_t i = 0; i < counts.size(); ++i) {
        p[i] = static_cast<double>(counts[i]) / static_cast<double>(draws_);
      }
      return p;
    };
    const std::vector<std::string> cell{"year", "role", "sector"};
    out_.probabilities.push_back(
        {"p_vacancy_rate_above", cell,
         "probability that the vacancy rate (headcount) exceeds shortfall_threshold",
         share(counts_.vacancy_cell)});
    out_.probabilities.push_back(
        {"p_gap_below", cell,
         "probability that the gap (fte - posts) is below -shortfall_threshold x posts",
         share(counts_.gap_cell)});
    out_.probabilities.push_back(
        {"p_vacancy_rate_above_total",
         {"year"},
         "probability that the whole workforce's vacancy rate (headcount) exceeds "
         "shortfall_threshold",
         share(counts_.vacancy_total)});
    out_.probabilities.push_back(
        {"p_gap_below_total",
         {"year"},
         "probability that the whole workforce's gap (fte - posts) is below "
         "-shortfall_threshold x posts",
         share(counts_.gap_total)});
  }

 private:
  void count_shortfalls(const double* rec, double x) {
    for (int y = 0; y < years_; ++y) {
      double vac = 0.0, posts_hc = 0.0, fte = 0.0, posts = 0.0;
      for (int rs = 0; rs < rs_; ++rs) {
        const auto cell = static_cast<std::size_t>(y) * static_cast<std::size_t>(rs_) +
                          static_cast<std::size_t>(rs);
        const double v = rec[vac_hc_.offset + cell];
        const double ph = rec[posts_hc_.offset + cell];
        const double f = rec[fte_.offset + cell];
        const double p = rec[posts_.offset + cell];
        if (ph > 0.0 && v / ph > x) ++counts_.vacancy_cell[cell];
        if (f - p < -x * p) ++counts_.gap_cell[cell];
        vac += v;
        posts_hc += ph;
        fte += f;
        posts += p;
      }
      const auto yy = static_cast<std::size_t>(y);
      if (posts_hc > 0.0 && vac / posts_hc > x) ++counts_.vacancy_total[yy];
      if (fte - posts < -x * posts) ++counts_.gap_total[yy];
    }
  }

  const ensemble::RecordLayout& layout_;
  std::uint64_t draws_;
  EnsembleResults& out_;
  ensemble::RunningMoments moments_;
  ensemble::ColumnStore store_;
  std::vector<float> transposed_;
  std::vector<const ensemble::RecordField*> core_;
  int years_;
  int rs_;
  const ensemble::RecordField& vac_hc_;
  const ensemble::RecordField& posts_hc_;
  const ensemble::RecordField& fte_;
  const ensemble::RecordField& posts_;
  ShortfallCounts counts_;
};

EnsembleResults run_in_arena(const Scenario& sc, const EnsembleOptions& o) {
  EnsembleResults out;
  out.draws = o.draws;
  out.first_draw = o.first_draw;
  out.seed = o.seed;
  out.stochastic = sc.stochastic;
  out.quantile_levels = o.quantiles;
  out.shortfall_threshold = sc.outputs.shortfall_threshold;
  out.parameter_names = uncertain_parameter_names(sc);
  const std::size_t P = out.parameter_names.size();
  out.parameter_values.assign(static_cast<std::size_t>(o.draws) * P,
                              std::numeric_limits<double>::quiet_NaN());

  const DrawRunner runner(sc, o.seed);
  // The first draw first and alone: its results fix the record layout.
  // The external design's row of local draw d (empty without a design).
  const auto given = [&](std::uint64_t d) {
    return o.samples.empty() ? std::span<const double>()
                             : std::span<const double>(o.samples.data() + d * P, P);
  };
  runner.run(o.first_draw, given(0), std::span<double>(out.parameter_values.data(), P),
             [&](const Results& res) { out.first = res; });
  const ensemble::RecordLayout layout = ensemble::record_layout(out.first);
  const int years = out.first.recorded_years();
  Committer committer(layout, o, out, years, out.first.dims.n_role_sectors());

  const std::size_t C = layout.size;
  std::vector<double> records(kBlock * C);
  ensemble::flatten_results(out.first, layout, std::span<double>(records.data(), C));
  for (std::uint64_t first = 0; first < o.draws; first += kBlock) {
    if (o.cancelled && o.cancelled()) throw Interrupted();
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, o.draws - first));
    const std::size_t from = first == 0 ? 1 : 0;  // the first draw is done
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(from, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) {
            const std::uint64_t d = first + i;  // local index; the draw is first_draw + d
            runner.run(o.first_draw + d, given(d),
                       std::span<double>(out.parameter_values.data() + d * P, P),
                       [&](const Results& res) {
                         ensemble::flatten_results(res, layout,
                                                   std::span<double>(records.data() + i * C, C));
                       });
          }
        });
    committer.commit(first, n, records, out.shortfall_threshold);
    if (o.progress) o.progress(first + n, o.draws);
  }
  if (o.cancelled && o.cancelled()) throw Interrupted();
  committer.finish(o.quantiles);
  return out;
}

}  // namespace

const std::vector<std::string>& core_variable_names() {
  static const std::vector<std::string> names{"headcount", "fte",       "posts",
                                              "posts_hc",  "vacancies", "starters",
                                              "leavers",   "wastage",   "joiners"};
  return names;
}

bool is_ensemble(const Scenario& scenario, std::uint64_t draws) {
  return draws > 1 || scenario.stochastic || scenario.uncertainty != nullptr;
}

const DrawVariable& EnsembleResults::draw_variable(const std::string& name) const {
  for (const DrawVariable& v : per_draw) {
    if (v.name == name) return v;
  }
  throw UsageError("the ensemble keeps no per-draw variable '" + name + "'");
}

const VariableSummary& EnsembleResults::summary(const std::string& name) const {
  for (const VariableSummary& v : summaries) {
    if (v.name == name) return v;
  }
  throw UsageError("the ensemble has no variable '" + name + "'");
}

EnsembleResults run_ensemble(const Scenario& scenario, const EnsembleOptions& options) {
  check_options(scenario, options);
  if (options.threads > 0) {
    tbb::task_arena arena(options.threads);
    return arena.execute([&] { return run_in_arena(scenario, options); });
  }
  return run_in_arena(scenario, options);
}

}  // namespace staffsim
