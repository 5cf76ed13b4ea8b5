// Goal seeking (staffsim/goal.hpp, docs/goal-seeking.md): one lever's value
// at which an indicator meets a target. Each evaluation is a fresh
// deterministic run of a copy of the scenario with the lever's path changed,
// to the target's year; nothing is shared between evaluations, so the search
// holds no state beyond its own locals.
#include "staffsim/goal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "number_text.hpp"
#include "scenario/build_support.hpp"
#include "scenario/config_tree.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {

namespace {

using calib::num;

constexpr double kInf = std::numeric_limits<double>::infinity();

// The domain of a lever type's value (the loader's own, DESIGN.md 2.5)
// and, where it is open-ended, the default practical range searched
// instead.
struct LeverDomain {
  config::Domain domain;
  double practical_lo = -kInf;
  double practical_hi = kInf;
  [[nodiscard]] bool contains(double v) const { return std::isfinite(v) && domain.contains(v); }
};

LeverDomain domain_of(const Lever& lever, double current) {
  LeverDomain d{config::lever_domain(lever.type, lever.acts_on_cap)};
  // Counts (people a year) have no natural scale: ten times the current
  // value, and at least 100.
  const double count_hi = std::max(10.0 * std::abs(current), 100.0);
  switch (lever.type) {
    case LeverType::retention:
    case LeverType::intensity:
    case LeverType::productivity:
      d.practical_lo = 0.1;
      d.practical_hi = 10.0;
      break;
    case LeverType::prevention:
    case LeverType::demand_scale:
      d.practical_lo = 0.0;
      d.practical_hi = 10.0;
      break;
    case LeverType::pay:
      d.practical_lo = -0.5;
      d.practical_hi = 1.0;
      break;
    case LeverType::retirement_shift:
      d.practical_lo = -10.0;
      d.practical_hi = 10.0;
      break;
    case LeverType::training_intake:
      d.practical_lo = 0.0;
      d.practical_hi = count_hi;
      break;
    case LeverType::international_recruitment:
      d.practical_lo = 0.0;
      d.practical_hi = lever.acts_on_cap ? count_hi : 1.0;
      break;
    case LeverType::personalisation:
    case LeverType::outsourcing:
      d.practical_lo = 0.0;
      d.practical_hi = 1.0;
      break;
  }
  return d;
}

// The value the lever reaches (goal.hpp): a path's to_value, or a constant.
bool is_constant(const LeverPath& p) {
  return p.shape == PathShape::table && p.table.years.size() == 1;
}

double lever_value(const LeverPath& p) { return is_constant(p) ? p.table.values[0] : p.to_value; }

void set_lever_value(LeverPath& p, double v) {
  if (is_constant(p)) {
    p.table = YearPath::constant(v);
  } else {
    p.to_value = v;
  }
}

const char* shape_name(PathShape s) {
  switch (s) {
    case PathShape::linear:
      return "linear";
    case PathShape::step:
      return "step";
    case PathShape::logistic:
      return "logistic";
    case PathShape::table:
      return "table";
  }
  return "";
}

std::string describe_path(const LeverPath& p) {
  if (is_constant(p)) return "its constant value";
  if (p.shape == PathShape::step) {
    return "to_value of its step path (from " + num(p.from_value) + ", switching after " +
           num(p.start_year) + ")";
  }
  return std::string("to_value of its ") + shape_name(p.shape) + " path (from " +
         num(p.from_value) + " in " + num(p.start_year) + " to the value in " + num(p.end_year) +
         ")";
}

const Lever& find_lever(const Scenario& sc, const std::string& name) {
  std::vector<std::string> names;
  for (const Lever& l : sc.levers) {
    if (l.name == name) return l;
    names.push_back(l.name);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw UsageError("goal: lever = '" + name + "' is not a lever of scenario " + sc.name +
                   config::did_you_mean(name, names) +
                   (names.empty() ? std::string(" (it has none)") : " (levers: " + list + ")"));
}

// |indicator - value| within which `==` holds.
double equal_tolerance(double value) { return 1e-6 * std::max(1.0, std::abs(value)); }

// Signed distance from the target: <= 0 where an inequality holds; for ==,
// the difference (its sign tells the side).
double excess(const GoalTarget& t, double f) {
  return t.op == GoalTarget::Op::at_least ? t.value - f : f - t.value;
}

bool meets(const GoalTarget& t, double f) {
  if (!std::isfinite(f)) return false;
  if (t.op == GoalTarget::Op::equal) return std::abs(f - t.value) <= equal_tolerance(t.value);
  return excess(t, f) <= 0.0;
}

// The searched range: user bounds checked against the domain, else the
// domain's bounds, else the practical ones widened to take in the current
// value. Open domain bounds are never searched exactly.
void set_range(GoalResult& r, const Lever& lever, const GoalOptions& o) {
  const LeverDomain d = domain_of(lever, r.current_value);
  const auto bound = [&](const char* name, const std::optional<double>& given, double domain_end,
                         bool open, double practical, double& out, RangeBasis& basis) {
    if (given) {
      if (!d.contains(*given)) {
        throw UsageError("goal: " + std::string(name) + " = " + num(*given, 17) + " for lever " +
                         lever.name + " (" + to_string(lever.type) + "): " +
                         (std::isfinite(*given) ? std::string(d.domain.rule)
                                                : std::string("must be a finite number")));
      }
      out = *given;
      basis = RangeBasis::user;
    } else if (std::isfinite(domain_end) && !open) {
      out = domain_end;
      basis = RangeBasis::domain;
    } else {
      out = practical;
      basis = RangeBasis::practical;
    }
  };
  bound("lower", o.lower, d.domain.lo, !d.domain.lo_closed,
        std::min(d.practical_lo, r.current_value), r.lower, r.lower_basis);
  bound("upper", o.upper, d.domain.hi, !d.domain.hi_closed,
        std::max(d.practical_hi, r.current_value), r.upper, r.upper_basis);
  if (!(r.lower < r.upper)) {
    throw UsageError("goal: lower = " + num(r.lower, 17) + " (" + to_string(r.lower_basis) +
                     "), upper = " + num(r.upper, 17) + " (" + to_string(r.upper_basis) +
                     ") for lever " + lever.name + ": lower must be < upper");
  }
}

void check_options(const GoalOptions& o) {
  if (!(o.tolerance > 0.0 && o.tolerance < 1.0)) {
    throw UsageError("goal: tolerance = " + num(o.tolerance) +
                     ": must be > 0 and < 1 (a fraction of the searched range)");
  }
  if (o.scan_points < 2) {
    throw UsageError("goal: scan_points = " + std::to_string(o.scan_points) + ": must be >= 2");
  }
  if (o.max_evaluations < o.scan_points + 2) {
    throw UsageError("goal: max_evaluations = " + std::to_string(o.max_evaluations) +
                     ": must be >= scan_points + 2 = " + std::to_string(o.scan_points + 2) +
                     " (the scan, the current value and one more)");
  }
}

// Runs a copy of the scenario with the lever at `value` to the target's year.
class Evaluator {
 public:
  Evaluator(Scenario sc, std::size_t lever, IndicatorQuery query)
      : sc_(std::move(sc)), lever_(lever), query_(std::move(query)) {}
  double operator()(double value) {
    ++count_;
    set_lever_value(sc_.levers[lever_].path, value);
    try {
      Simulation sim(sc_);
      sim.run_to(query_.year);
      return evaluate(query_, sim.results());
    } catch (const ScenarioError& e) {
      // Say which value of the search the scenario refused.
      throw ScenarioError("goal: with " + sc_.levers[lever_].name + " = " + num(value, 17) + ": " +
                          e.what());
    }
  }
  [[nodiscard]] int count() const { return count_; }

 private:
  Scenario sc_;
  std::size_t lever_;
  IndicatorQuery query_;
  int count_ = 0;
};

// A bracket [a, b] with the target's side at b: for <= and >=, b meets the
// target and a does not; for ==, the difference from the value changes sign
// between them. Narrowed by Illinois secant steps, with a bisection whenever
// a step fails to halve it, so it shrinks at least geometrically whatever
// the response. For == it goes on below the tolerance until the indicator is
// within equal_tolerance of the value: a steep response still gets there,
// and what stays apart after that is a jump.
struct Bracket {
  double a, fa, b, fb;
};

Bracket narrow(Bracket br, const GoalTarget& t, Evaluator& eval, double tol, int budget) {
  const bool equal = t.op == GoalTarget::Op::equal;
  const auto b_side = [&](double f) {
    return equal ? std::isfinite(f) && std::signbit(excess(t, f)) == std::signbit(excess(t, br.fb))
                 : meets(t, f);
  };
  double ga = excess(t, br.fa);
  double gb = excess(t, br.fb);
  int kept = 0;  // +1: a kept in a row, -1: b kept (Illinois halves its g)
  bool bisect = false;
  const double stop = equal ? 1e-6 * tol : tol;
  while (std::abs(br.b - br.a) > stop && eval.count() < budget) {
    if (equal && meets(t, br.fb)) break;
    const double lo = std::min(br.a, br.b);
    const double hi = std::max(br.a, br.b);
    const double width = hi - lo;
    double x = 0.5 * (lo + hi);
    if (!bisect && std::isfinite(ga) && std::isfinite(gb) && ga != gb) {
      x = std::clamp(br.b - gb * (br.b - br.a) / (gb - ga), lo + 0.5 * stop, hi - 0.5 * stop);
    }
    const double fx = eval(x);
    if (b_side(fx)) {
      br.b = x;
      br.fb = fx;
      gb = excess(t, fx);
      ga = kept > 0 ? 0.5 * ga : ga;
      kept = kept > 0 ? kept + 1 : 1;
    } else {
      br.a = x;
      br.fa = fx;
      ga = excess(t, fx);
      gb = kept < 0 ? 0.5 * gb : gb;
      kept = kept < 0 ? kept - 1 : -1;
    }
    bisect = !bisect && std::abs(br.b - br.a) > 0.5 * width;
  }
  return br;
}

// The range and where its ends come from, in words.
std::string describe_range(const GoalResult& r, const LeverDomain& d) {
  const std::string out = "[" + num(r.lower, 8) + ", " + num(r.upper, 8) + "]";
  const std::string rule = d.domain.rule;
  const std::string domain = rule.empty()              ? std::string("the value has no bounds")
                             : std::isinf(d.domain.hi) ? rule + " and has no upper bound"
                                                       : rule;
  const auto both = [&](RangeBasis b) { return r.lower_basis == b && r.upper_basis == b; };
  if (both(RangeBasis::domain)) return out + ", the whole domain (" + domain + ")";
  if (both(RangeBasis::user)) return out + ", the bounds given";
  if (both(RangeBasis::practical)) {
    return out + ", a default practical range (" + domain +
           "); give lower and upper to search elsewhere";
  }
  const auto end = [](const char* name, RangeBasis b) {
    return std::string(name) + (b == RangeBasis::domain ? " the domain's bound"
                                : b == RangeBasis::user ? " as given"
                                                        : " a default practical bound");
  };
  return out + " (" + end("lower", r.lower_basis) + ", " + end("upper", r.upper_basis) + "; " +
         domain + ")";
}

void add_notes(GoalResult& r, const Scenario& sc, const Lever& lever) {
  if (sc.stochastic || sc.uncertainty) {
    r.notes.push_back(
        std::string("the scenario has ") +
        (sc.stochastic && sc.uncertainty ? "process noise and uncertain parameters"
         : sc.stochastic                 ? "process noise (stochastic: true)"
                                         : "uncertain parameters") +
        ": the search runs its deterministic central case (no noise, every parameter at its "
        "scenario value)");
  }
  const LeverPath& p = lever.path;
  const int year = r.target.query.year;
  if (!is_constant(p) && p.start_year >= year) {
    r.notes.push_back(lever.name + "'s path starts in " + num(p.start_year) +
                      ", not before the target year " + std::to_string(year) +
                      ": its value cannot move the target");
  } else if (!is_constant(p) && p.shape != PathShape::step && p.end_year > year) {
    r.notes.push_back(lever.name + "'s path reaches its value in " + num(p.end_year) +
                      ", after the target year " + std::to_string(year) +
                      ": the target sees part of the change");
  }
  // Switches between meeting and not meeting, over the points with a value.
  int switches = 0;
  const GoalScanPoint* last = nullptr;
  for (const auto& point : r.scan) {
    if (std::isnan(point.indicator_value)) continue;
    switches += last != nullptr && last->meets != point.meets ? 1 : 0;
    last = &point;
  }
  if (switches > 1) {
    r.notes.push_back(
        "the target holds on more than one interval of the scan (the response is not monotone): "
        "the value nearest the current one is given");
  }
}

// Evaluates `scan_points` values evenly spaced over the range and, when it
// lies inside, the current value (in place of a grid point within the
// tolerance of it).
void scan_range(GoalResult& r, const GoalTarget& t, Evaluator& eval, int n) {
  const bool current_inside = r.current_value >= r.lower && r.current_value <= r.upper;
  for (int i = 0; i < n; ++i) {
    const double x = i + 1 == n ? r.upper : r.lower + (r.upper - r.lower) * i / (n - 1);
    if (current_inside && std::abs(x - r.current_value) <= r.tolerance) continue;
    r.scan.push_back({x, eval(x), false});
  }
  if (current_inside) r.scan.push_back({r.current_value, r.current_indicator_value, false});
  std::sort(r.scan.begin(), r.scan.end(),
            [](const auto& p, const auto& q) { return p.lever_value < q.lever_value; });
  for (auto& p : r.scan) p.meets = meets(t, p.indicator_value);
}

// Where the search settles, as scan indices: `found` meets the target (or,
// for ==, lies across a crossing from `other`); `other`, when set, is the
// neighbour on the current value's side, which does not, so the two bracket
// the edge nearest the current value.
struct Start {
  std::size_t found = 0;
  std::optional<std::size_t> other;
};

std::optional<Start> choose_start(const GoalResult& r, const GoalTarget& t) {
  const auto distance = [&](std::size_t i) {
    return std::abs(r.scan[i].lever_value - r.current_value);
  };
  std::optional<Start> out;
  for (std::size_t i = 0; i < r.scan.size(); ++i) {
    if (r.scan[i].meets && (!out || distance(i) < distance(out->found))) out = Start{i, {}};
  }
  if (t.op != GoalTarget::Op::equal) {
    if (out) {
      const double x = r.scan[out->found].lever_value;
      if (x > r.current_value && out->found > 0) out->other = out->found - 1;
      if (x < r.current_value && out->found + 1 < r.scan.size()) out->other = out->found + 1;
    }
    return out;
  }
  // For ==, a sign change between neighbours, if nearer than any point
  // already within the tolerance.
  for (std::size_t i = 1; i < r.scan.size(); ++i) {
    const double g0 = excess(t, r.scan[i - 1].indicator_value);
    const double g1 = excess(t, r.scan[i].indicator_value);
    if (!std::isfinite(g0) || !std::isfinite(g1) || (g0 < 0.0) == (g1 < 0.0)) continue;
    const std::size_t near = distance(i - 1) < distance(i) ? i - 1 : i;
    const std::size_t far = near == i ? i - 1 : i;
    if (!out || distance(near) < distance(out->found)) out = Start{far, near};
  }
  return out;
}

// Narrows the start's bracket and records the value found.
void settle(GoalResult& r, const GoalTarget& t, Evaluator& eval, const Start& start,
            int max_evaluations) {
  const GoalScanPoint& f = r.scan[start.found];
  Bracket br{f.lever_value, f.indicator_value, f.lever_value, f.indicator_value};
  if (start.other) {
    br.a = r.scan[*start.other].lever_value;
    br.fa = r.scan[*start.other].indicator_value;
    br = narrow(br, t, eval, r.tolerance, max_evaluations);
  }
  // For ==, the end nearer the value; for <= and >=, the end that meets it.
  const bool equal = t.op == GoalTarget::Op::equal;
  const bool use_a = equal && std::abs(excess(t, br.fa)) < std::abs(excess(t, br.fb));
  r.value = use_a ? br.a : br.b;
  r.indicator_value = use_a ? br.fa : br.fb;
  r.met = meets(t, r.indicator_value);
  r.no_change_needed = r.met && r.value == r.current_value;
  if (std::abs(br.b - br.a) > r.tolerance && !(equal && r.met)) {
    r.notes.push_back("stopped at max_evaluations = " + std::to_string(max_evaluations) +
                      " before the tolerance: the edge lies between " + num(br.a, 10) + " and " +
                      num(br.b, 10));
  } else if (!r.met) {
    r.notes.push_back("the indicator jumps from " + num(br.fa, 10) + " to " + num(br.fb, 10) +
                      " between " + num(br.a, 10) + " and " + num(br.b, 10) +
                      " without coming within " + num(equal_tolerance(t.value)) + " of the value");
  }
}

// No scan point meets the target: the one with the smallest shortfall
// (|difference| for ==), of equals the smallest change.
void closest_approach(GoalResult& r, const GoalTarget& t) {
  const auto shortfall = [&](const GoalScanPoint& p) {
    return std::abs(excess(t, p.indicator_value));
  };
  const auto distance = [&](const GoalScanPoint& p) {
    return std::abs(p.lever_value - r.current_value);
  };
  const GoalScanPoint* closest = nullptr;
  for (const auto& p : r.scan) {
    if (std::isnan(shortfall(p))) continue;
    if (closest == nullptr || shortfall(p) < shortfall(*closest) ||
        (shortfall(p) == shortfall(*closest) && distance(p) < distance(*closest))) {
      closest = &p;
    }
  }
  r.value = closest != nullptr ? closest->lever_value : r.current_value;
  r.indicator_value = closest != nullptr ? closest->indicator_value : std::nan("");
}

std::string verdict(const GoalResult& r) {
  const std::string ind = r.target.query.text();
  if (r.no_change_needed) {
    return r.target.text() + " already holds at the current value " + num(r.current_value, 8) +
           " of " + r.lever + " (" + ind + " = " + num(r.current_indicator_value) +
           "): no change needed";
  }
  if (r.met) {
    return r.target.text() + " is met with " + r.lever + " = " + num(r.value, 8) + " (" + ind +
           " = " + num(r.indicator_value) + "; the current value " + num(r.current_value, 8) +
           " gives " + num(r.current_indicator_value) + ")";
  }
  return r.target.text() + " cannot be met by " + r.lever + " within " + r.range_text +
         ": the closest is " + ind + " = " + num(r.indicator_value) + " at " + num(r.value, 8);
}

}  // namespace

GoalResult seek_goal(const Scenario& scenario, const GoalTarget& target,
                     const GoalOptions& options) {
  check_options(options);
  const Lever& lever = find_lever(scenario, options.lever);
  if (lever.path.shape == PathShape::table && !is_constant(lever.path)) {
    throw UsageError("goal: lever " + lever.name +
                     " has a year-table path of several values, so there is no one value to "
                     "change: give it a {start_year, end_year, from_value, to_value, shape} path "
                     "(e.g. with --set levers." +
                     lever.name + ".path=...) or a constant");
  }
  if (const std::string rule = check_query(target.query, scenario); !rule.empty()) {
    throw UsageError("goal: target '" + target.text() + "': " + rule);
  }
  GoalResult r;
  r.scenario = scenario.name;
  r.target = target;
  r.lever = lever.name;
  r.lever_type = to_string(lever.type);
  r.path_text = describe_path(lever.path);
  r.current_value = lever_value(lever.path);
  set_range(r, lever, options);
  r.range_text = describe_range(r, domain_of(lever, r.current_value));
  r.tolerance = options.tolerance * (r.upper - r.lower);

  // The deterministic central case (goal.hpp).
  Scenario central = scenario;
  central.stochastic = false;
  central.uncertainty.reset();
  const auto index = static_cast<std::size_t>(&lever - scenario.levers.data());
  Evaluator eval(std::move(central), index, target.query);
  r.current_indicator_value = eval(r.current_value);
  scan_range(r, target, eval, options.scan_points);
  if (const auto start = choose_start(r, target)) {
    settle(r, target, eval, *start, options.max_evaluations);
  } else {
    closest_approach(r, target);
  }
  r.evaluations = eval.count();
  add_notes(r, scenario, lever);
  r.message = verdict(r);
  return r;
}

}  // namespace staffsim
