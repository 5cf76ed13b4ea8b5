// The Simulation: one draw's state and clock, stepping through the flows of
// DESIGN.md 2.2 in their order and recording annual results at each census.
#include "staffsim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "demand.hpp"
#include "indicators.hpp"
#include "model.hpp"
#include "staffsim/opening_stock.hpp"

namespace staffsim {

using detail::Model;
using detail::Scratch;

namespace {

// base_is: stock_average (DESIGN.md 2.2): scale base so that the opening
// stock's mean turnover hazard in the first year equals base. The first
// year's hazards use the age index at the coming census, one above the
// opening census's; those who age out at the first birthday are left out.
Eigen::ArrayXXd stock_average_base(const Model& m, const Eigen::ArrayXd& H0) {
  Eigen::ArrayXXd base = m.sc.turnover.base;
  for (int r = 0; r < m.R; ++r) {
    for (int s = 0; s < m.S; ++s) {
      const double* block = H0.data() + m.sc.dims.block(r, s);
      double people = 0.0;
      double weighted = 0.0;
      for (int a = 0; a + 1 < m.A; ++a) {
        for (int k = 0; k < m.K; ++k) {
          const double h = block[a * m.K + k];
          people += h;
          weighted += h * m.sc.turnover.age_factor(r, a + 1) * m.sc.turnover.tenure_factor(r, k);
        }
      }
      if (people > 0.0 && weighted > 0.0) base(r, s) *= people / weighted;
    }
  }
  return base;
}

// Debug builds check that no stock went negative (DESIGN.md 2.2: stocks are
// never clamped; a negative value is a bug).
void check_non_negative([[maybe_unused]] const Eigen::ArrayXd& H,
                        [[maybe_unused]] const char* where) {
#ifdef STAFFSIM_DEBUG_CHECKS
  for (Eigen::Index i = 0; i < H.size(); ++i) {
    if (!(H[i] >= 0.0)) {
      std::fprintf(stderr, "staffsim: negative or NaN stock %g at cell %ld after %s\n", H[i],
                   static_cast<long>(i), where);
      std::abort();
    }
  }
#endif
}

void check_non_negative_pipeline([[maybe_unused]] const std::vector<Eigen::ArrayXd>& pipeline) {
#ifdef STAFFSIM_DEBUG_CHECKS
  for (const Eigen::ArrayXd& T : pipeline) check_non_negative(T, "training");
#endif
}

// The domain of a lever's values by type (DESIGN.md 2.5).
void check_lever_value(const Lever& lever, double value) {
  bool ok = std::isfinite(value);
  const char* rule = "must be finite";
  switch (lever.type) {
    case LeverType::retention:
    case LeverType::intensity:
    case LeverType::productivity:
      ok = ok && value > 0.0;
      rule = "a factor must be > 0";
      break;
    case LeverType::prevention:
    case LeverType::demand_scale:
    case LeverType::training_intake:
      ok = ok && value >= 0.0;
      rule = "must be >= 0";
      break;
    case LeverType::pay:
      ok = ok && value > -1.0;
      rule = "a pay change must be > -1";
      break;
    case LeverType::personalisation:
    case LeverType::outsourcing:
      ok = ok && value >= 0.0 && value <= 1.0;
      rule = "a share must be in [0, 1]";
      break;
    case LeverType::international_recruitment:
      ok = ok && value >= 0.0 && (lever.acts_on_cap || value <= 1.0);
      rule = lever.acts_on_cap ? "a cap must be >= 0" : "a share must be in [0, 1]";
      break;
    case LeverType::retirement_shift:
      break;
  }
  if (!ok) {
    throw UsageError("set_lever: " + lever.name + " = " + std::to_string(value) + ": " + rule);
  }
}

}  // namespace

struct Simulation::Impl {
  Model m;
  Scratch scratch;
  Eigen::ArrayXd H;
  std::vector<Eigen::ArrayXd> pipeline;
  int n = 0;  // steps done
  Ledger step_ledger;
  Ledger year_ledger;
  Eigen::ArrayXd year_completers;
  Eigen::ArrayXd year_unfilled;
  Eigen::ArrayXd band_totals;  // (K) census scratch
  detail::DemandModel demand;
  detail::OutlookScratch outlook;
  detail::MoneyAccumulator money;
  Results results;
  DrawKey key;
  // Stochastic mode: the real-valued opening stock and pipeline, which each
  // draw integerises from its own key (so fork() can do it again).
  Eigen::ArrayXd H_real;
  std::vector<Eigen::ArrayXd> pipeline_real;

  Impl(const Impl&) = default;
  // Same-shaped arrays and vectors keep their memory when assigned: a
  // simulation restarted from a prototype allocates nothing.
  Impl& operator=(const Impl&) = default;
  Impl(Scenario sc, FlowSwitches on, DrawKey draw_key)
      : m(detail::make_model(std::move(sc), on)), key(draw_key) {
    const int n_sources = static_cast<int>(m.sc.sources.size());
    const auto n_prog = static_cast<Eigen::Index>(m.sc.programmes.size());
    H = build_opening_stock(m.sc, m.base);
    if (m.sc.turnover.base_is_stock_average) {
      // The stationary tenure of the opening stock depends on the base it
      // normalises; iterate to the fixed point (a few rounds suffice).
      for (int it = 0; it < 50; ++it) {
        const Eigen::ArrayXXd next = stock_average_base(m, H);
        const double change = ((next - m.base).abs() / next.max(1e-300)).maxCoeff();
        m.base = next;
        H = build_opening_stock(m.sc, m.base);
        if (change < 1e-13) break;
      }
    }
    pipeline = detail::opening_pipeline(m);
    {
      Eigen::ArrayXd opening_headcount(m.RS);
      detail::measure_headcount(m, H, opening_headcount);
      demand = detail::DemandModel(m.sc, opening_headcount, results.warnings);
    }
    outlook.resize(m.R, m.A);
    money.resize(m.RS, static_cast<int>(n_prog));

    scratch.exit_blocks.resize(static_cast<std::size_t>(m.RS));
    for (auto& blk : scratch.exit_blocks) {
      blk.stay.resize(m.A * m.K);
      blk.retire_share.resize(m.A * m.K);
    }
    const Eigen::Index cells = static_cast<Eigen::Index>(m.A) * m.K;
    scratch.exit_retired.setZero(detail::kExitGroup * cells);
    scratch.exit_leavers.setZero(static_cast<Eigen::Index>(detail::kExitGroup) * m.A);
    scratch.exit_up.setZero(cells);
    scratch.exit_turnover.setZero(cells);
    scratch.movers.setZero(static_cast<Eigen::Index>(m.RS) * m.A);
    scratch.fte.setZero(m.RS);
    scratch.posts.setZero(m.RS);
    scratch.requests.setZero(m.RS);
    scratch.source_shares.setZero(n_sources, m.RS);
    scratch.source_budget.setZero(n_sources);
    scratch.source_demand.setZero(n_sources);
    scratch.completers.setZero(m.A);
    scratch.unfilled.setZero(m.RS);
    scratch.start_headcount.setZero(m.RS);
    scratch.route_capacity.setZero(static_cast<Eigen::Index>(m.sc.promotion.size()));
    step_ledger.resize(m.RS, n_sources);
    year_ledger.resize(m.RS, n_sources);
    year_completers.setZero(n_prog);
    year_unfilled.setZero(m.RS);
    band_totals.setZero(m.K);
    if (m.sc.stochastic) {
      scratch.resize_for_noise(m);
      H_real = H;
      pipeline_real = pipeline;
      integerise_opening();
    }

    results.dims = m.sc.dims;
    for (const Source& src : m.sc.sources) results.source_names.push_back(src.name);
    for (const Programme& p : m.sc.programmes) results.programme_names.push_back(p.name);
    results.client_groups = m.sc.demand.need.client_groups;
    results.age_band = m.sc.outputs.age_band;
    results.age_band_nmds = m.sc.outputs.age_band_nmds;
    results.price_base_year = m.sc.costs.price_base_year;
    results.posts_by_construction = m.sc.demand.mode == DemandMode::index;
    const auto n_groups = static_cast<Eigen::Index>(results.client_groups.size());
    results.years.resize(static_cast<std::size_t>(m.sc.time.n_years()));
    for (int y = 0; y < m.sc.time.n_years(); ++y) {
      YearResult& yr = results.years[static_cast<std::size_t>(y)];
      yr.year = m.sc.time.start_year + y;
      yr.headcount.setZero(m.RS);
      yr.fte.setZero(m.RS);
      yr.posts.setZero(m.RS);
      yr.posts_hc.setZero(m.RS);
      yr.vacancies.setZero(m.RS);
      yr.age_profile.setZero(m.RS, m.A);
      yr.tenure_profile.setZero(m.RS, m.K);
      yr.flows.resize(m.RS, n_sources);
      yr.trainees.setZero(n_prog);
      yr.completers.setZero(n_prog);
      yr.unfilled_requests.setZero(m.RS);
      yr.posts_by_client_group.setZero(m.RS, n_groups);
      yr.retirement_outlook_5.setZero(m.RS);
      yr.retirement_outlook_10.setZero(m.RS);
      yr.pay_bill.setZero(m.RS);
      yr.recruitment_cost.setZero(m.RS);
      yr.vacancy_cover_cost.setZero(m.RS);
      yr.training_cost.setZero(n_prog);
    }
    record_census(0, false);
  }

  // Stochastic mode (DESIGN.md 2.7): this draw's integer opening stock and
  // pipeline from the real-valued ones, by systematic rounding per (r,s)
  // block and per programme (step-0 streams rs and RS + p). Demand stays
  // calibrated on the real-valued stock, so every draw sees the same posts.
  // A copy for draw `k`: with process noise, its own integer opening.
  void rekey(DrawKey k);

  void integerise_opening() {
    const detail::Noise opening{key.seed, key.draw, 0};
    detail::integerise(opening, 0, H_real, static_cast<Eigen::Index>(m.A) * m.K, H);
    for (std::size_t p = 0; p < pipeline.size(); ++p) {
      detail::integerise(opening, static_cast<std::uint32_t>(m.RS + p), pipeline_real[p],
                         pipeline_real[p].size(), pipeline[p]);
    }
  }

  // Stocks at census point y (index from start_year); flows of the year
  // ending there unless it is the opening census.
  void record_census(int y, bool with_flows) {
    YearResult& yr = results.years[static_cast<std::size_t>(y)];
    const double year = yr.year;
    demand.posts(m.sc, year, yr.posts);
    demand.posts_by_client_group(m.sc, year, yr.posts_by_client_group);
    detail::retirement_outlook(m, H, y * m.sc.time.steps_per_year, outlook, yr.retirement_outlook_5,
                               yr.retirement_outlook_10);
    for (int r = 0; r < m.R; ++r) {
      for (int s = 0; s < m.S; ++s) {
        const int rs = m.sc.dims.rs(r, s);
        const double* block = H.data() + m.sc.dims.block(r, s);
        double hc = 0.0;
        for (int a = 0; a < m.A; ++a) {
          double at_age = 0.0;
          for (int k = 0; k < m.K; ++k) at_age += block[a * m.K + k];
          yr.age_profile(rs, a) = at_age;
          hc += at_age;
        }
        // Every band's total over ages at once: K independent chains of
        // additions, each in age order.
        band_totals.setZero();
        for (int a = 0; a < m.A; ++a) {
          for (int k = 0; k < m.K; ++k) band_totals[k] += block[a * m.K + k];
        }
        for (int k = 0; k < m.K; ++k) yr.tenure_profile(rs, k) = band_totals[k];
        const double phi = m.sc.fte_factor(r, s);
        yr.headcount[rs] = hc;
        yr.fte[rs] = hc * phi;
        yr.posts_hc[rs] = yr.posts[rs] / phi;
        yr.vacancies[rs] = std::max(0.0, yr.posts[rs] - yr.fte[rs]);
      }
    }
    for (std::size_t p = 0; p < pipeline.size(); ++p) {
      yr.trainees[static_cast<Eigen::Index>(p)] = pipeline[p].sum();
    }
    yr.has_flows = with_flows;
    if (with_flows) {
      yr.flows.leavers = year_ledger.leavers;
      yr.flows.starters = year_ledger.starters;
      yr.flows.hires_by_source = year_ledger.hires_by_source;
      yr.completers = year_completers;
      yr.unfilled_requests = year_unfilled;
      record_money(yr);
    } else {
      yr.flows.leavers.setConstant(std::nan(""));
      yr.flows.starters.setConstant(std::nan(""));
      yr.flows.hires_by_source.setConstant(std::nan(""));
      yr.completers.setConstant(std::nan(""));
      yr.unfilled_requests.setConstant(std::nan(""));
      yr.pay_bill.setConstant(std::nan(""));
      yr.recruitment_cost.setConstant(std::nan(""));
      yr.vacancy_cover_cost.setConstant(std::nan(""));
      yr.training_cost.setConstant(std::nan(""));
    }
    yr.recorded = true;
    year_ledger.clear();
    year_completers.setZero();
    year_unfilled.setZero();
    money.clear();
  }

  // The year's money (DESIGN.md 2.6): pay bill and vacancy cover integrated
  // over the steps; recruitment cost on hires and employer moves in (every
  // NMDS-SC starter but training completers); training cost on trainee-years
  // and completers.
  void record_money(YearResult& yr) const {
    const Costs& c = m.sc.costs;
    yr.pay_bill = money.pay_bill;
    yr.vacancy_cover_cost = money.vacancy_cover;
    for (Role r = 0; r < m.R; ++r) {
      for (Sector s = 0; s < m.S; ++s) {
        const int rs = m.sc.dims.rs(r, s);
        const double movers_and_hires =
            year_ledger.nmds_starters(rs) - year_ledger.start(rs, Start::training);
        yr.recruitment_cost[rs] =
            c.cost_per_hire.size() > 0 ? movers_and_hires * c.cost_per_hire(r, s) : 0.0;
      }
    }
    for (std::size_t p = 0; p < m.sc.programmes.size(); ++p) {
      const Programme& prog = m.sc.programmes[p];
      const auto i = static_cast<Eigen::Index>(p);
      yr.training_cost[i] = money.trainee_years[i] * prog.cost_per_trainee_year +
                            year_completers[i] * prog.cost_per_completer;
    }
  }

  void step() {
    const int spy = m.sc.time.steps_per_year;
    if (n >= m.sc.time.n_steps()) {
      throw UsageError("the simulation has reached its end year " +
                       std::to_string(m.sc.time.end_year));
    }
    const double year = m.sc.time.year_at_step_end(n);  // inputs at t_n + dt
    step_ledger.clear();
    // The headcount at the start of a step is the one measured at the end
    // of the last (nothing touches H between steps); the first measures it.
    if (n == 0) detail::measure_headcount(m, H, scratch.start_headcount);
    demand.posts(m.sc, year, scratch.posts);
    if (n % spy == 0) detail::apply_birthday(m, H, pipeline, step_ledger);
    if (m.sc.stochastic) {
      const detail::Noise noise{key.seed, key.draw, static_cast<std::uint32_t>(n + 1)};
      detail::apply_exits_and_progression(m, scratch, H, step_ledger, year, noise);
      detail::apply_arrivals(m, scratch, H);
      check_non_negative(H, "exits");
      if (m.on.promotion) detail::apply_promotion(m, scratch, H, step_ledger, noise);
      check_non_negative(H, "promotion");
      detail::apply_training(m, scratch, pipeline, H, step_ledger, year, year_completers, noise);
      check_non_negative_pipeline(pipeline);
      detail::apply_recruitment(m, scratch, H, step_ledger, year, noise);
      check_non_negative(H, "recruitment");
    } else {
      detail::apply_exits_and_progression(m, scratch, H, step_ledger, year);
      detail::apply_arrivals(m, scratch, H);
      check_non_negative(H, "exits");
      if (m.on.promotion) detail::apply_promotion(m, scratch, H, step_ledger);
      check_non_negative(H, "promotion");
      detail::apply_training(m, scratch, pipeline, H, step_ledger, year, year_completers);
      detail::apply_recruitment(m, scratch, H, step_ledger, year);
      check_non_negative(H, "recruitment");
    }
    detail::measure_headcount_and_fte(m, H, scratch.start_headcount, scratch.fte);
    detail::accumulate_money(m, scratch.fte, scratch.posts, pipeline, year, money);
    year_ledger.add(step_ledger);
    year_unfilled += scratch.unfilled;
    ++n;
    if (n % spy == 0) record_census(n / spy, true);
  }
};

Simulation::Simulation(Scenario scenario, FlowSwitches switches, DrawKey key)
    : impl_(std::make_unique<Impl>(std::move(scenario), switches, key)) {}

namespace {

void require_unstepped(int steps, const char* what, double year) {
  if (steps != 0) {
    throw UsageError(std::string(what) +
                     ": only a simulation that has not stepped can be copied (this one is at " +
                     std::to_string(year) + ")");
  }
}

}  // namespace

void Simulation::Impl::rekey(DrawKey k) {
  key = k;
  if (m.sc.stochastic) {
    // This draw's own integer opening, and the opening census recorded again.
    integerise_opening();
    record_census(0, false);
  }
}

Simulation Simulation::fork(DrawKey key) const {
  require_unstepped(impl_->n, "fork", current_year());
  Simulation copy(std::make_unique<Impl>(*impl_));
  copy.impl_->rekey(key);
  return copy;
}

void Simulation::restart_from(const Simulation& prototype, DrawKey key) {
  require_unstepped(prototype.impl_->n, "restart_from", prototype.current_year());
  *impl_ = *prototype.impl_;
  impl_->rekey(key);
}

DrawKey Simulation::key() const { return impl_->key; }

Simulation::Simulation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

void Simulation::step() { impl_->step(); }

void Simulation::run_to(int year) {
  const TimeGrid& t = impl_->m.sc.time;
  if (year > t.end_year) {
    throw UsageError("run_to(" + std::to_string(year) + "): the scenario ends in " +
                     std::to_string(t.end_year));
  }
  const int target = (year - t.start_year) * t.steps_per_year;
  if (target < impl_->n) {
    throw UsageError("run_to(" + std::to_string(year) + "): the simulation is already at " +
                     std::to_string(current_year()));
  }
  while (impl_->n < target) impl_->step();
}

void Simulation::run() { run_to(impl_->m.sc.time.end_year); }

// DESIGN.md 2.5: at the current time t0 the instance's path becomes "old
// path for t <= t0, value after". Only levers may change mid-run.
void Simulation::set_lever(const std::string& instance, double value) {
  std::vector<Lever>& levers = impl_->m.sc.levers;
  for (Lever& lever : levers) {
    if (lever.name != instance) continue;
    check_lever_value(lever, value);
    lever.path.replacements.emplace_back(current_year(), value);
    return;
  }
  std::string names;
  for (const Lever& lever : levers) names += (names.empty() ? "" : ", ") + lever.name;
  throw UsageError("set_lever: '" + instance + "' is not a lever of this scenario" +
                   (names.empty() ? std::string(" (it has none)") : "; levers: " + names));
}

std::vector<std::string> Simulation::lever_names() const {
  std::vector<std::string> names;
  for (const Lever& lever : impl_->m.sc.levers) names.push_back(lever.name);
  return names;
}

std::string Simulation::calibration_report() const {
  return impl_->demand.calibration_report(impl_->m.sc);
}

bool Simulation::finished() const { return impl_->n >= impl_->m.sc.time.n_steps(); }
int Simulation::step_index() const { return impl_->n; }
double Simulation::current_year() const {
  return impl_->m.sc.time.start_year +
         static_cast<double>(impl_->n) / impl_->m.sc.time.steps_per_year;
}
const Scenario& Simulation::scenario() const { return impl_->m.sc; }
const Dimensions& Simulation::dims() const { return impl_->m.sc.dims; }
const Eigen::ArrayXd& Simulation::headcount() const { return impl_->H; }
const std::vector<Eigen::ArrayXd>& Simulation::pipeline() const { return impl_->pipeline; }
const Ledger& Simulation::last_step_ledger() const { return impl_->step_ledger; }
const Results& Simulation::results() const { return impl_->results; }
const Eigen::ArrayXXd& Simulation::turnover_base() const { return impl_->m.base; }

Results run_scenario(const Scenario& scenario) {
  Simulation sim(scenario);
  sim.run();
  return sim.results();
}

}  // namespace staffsim
