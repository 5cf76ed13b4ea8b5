// `supply.training` (DESIGN.md 2.4): programmes whose duration is a whole
// number of steps, intake as a time path, entrant ages and completer sectors
// as normalised distributions.
#include <algorithm>
#include <cmath>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// {sector: share} summing to 1, as an (S) array.
std::optional<Eigen::ArrayXd> read_sector_shares(const Node& n, const std::string& path,
                                                 BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return std::nullopt;
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(ctx.dims.n_sectors());
  bool ok = true;
  for (std::size_t i = 0; i < n.entries.size(); ++i) {
    const auto& [label, v] = n.entries[i];
    if (label == "source" || label == "assumed") continue;
    const Location at = key_at(n, i);
    const auto s = find_label(label, ctx.dims.sectors, "sector", at, path, ctx);
    const auto x = read_in(*v, child_path(path, label), kShare, ctx);
    if (!s || !x) {
      ok = false;
      continue;
    }
    out(*s) += *x;
  }
  if (ok) ok = check_sum_to_one(out.sum(), n.loc, path, ctx);
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

// `{range: weight}` over ages, normalised to sum 1 (size A).
std::optional<Eigen::ArrayXd> read_age_distribution(const Node& n, const std::string& path,
                                                    BuildContext& ctx) {
  const auto entries = read_age_map(n, path, kNonNegative, ctx);
  if (!entries) return std::nullopt;
  // A weight on a range is spread evenly over its ages.
  Eigen::ArrayXd w = Eigen::ArrayXd::Zero(ctx.dims.n_ages());
  for (const auto& e : *entries) {
    const int n_ages = e.range.hi - e.range.lo + 1;
    for (int a = e.range.lo; a <= e.range.hi; ++a) w(a - ctx.dims.min_age) += e.value / n_ages;
  }
  if (w.sum() <= 0.0) {
    report(ctx, n.loc, path, "", "age weights must have a positive sum");
    return std::nullopt;
  }
  return Eigen::ArrayXd(w / w.sum());
}

// Each programme is kept only when all its parts are valid.
void build_training(const Node& supply, Scenario& sc, BuildContext& ctx) {
  const Node* n = optional_key(supply, "training");
  const std::string path = "supply.training";
  if (n == nullptr || !expect_seq(*n, path, ctx)) return;
  for (std::size_t i = 0; i < n->items.size(); ++i) {
    const Node& item = *n->items[i];
    std::string p = path + "[" + std::to_string(i) + "]";
    if (!expect_map(item, p, ctx)) continue;
    const Node* name = require_key(item, "name", p, ctx);
    if (name && name->is_scalar()) p = path + "[" + name->scalar + "]";
    check_keys(item, p,
               {"name", "role", "duration", "intake", "intake_age", "attrition", "retained",
                "sectors", "in_training", "cost_per_trainee_year", "cost_per_completer"},
               ctx);
    Programme prog;
    bool ok = name != nullptr;
    if (name) prog.name = name->scalar;
    for (const auto& other : sc.programmes) {
      if (name && other.name == prog.name) {
        report(ctx, name->loc, p, prog.name, "duplicate programme name");
      }
    }
    if (const Node* r = require_key(item, "role", p, ctx)) {
      const auto role = read_role(*r, child_path(p, "role"), ctx);
      if (role) prog.role = *role;
      ok = ok && role.has_value();
    } else {
      ok = false;
    }
    // DESIGN.md 2.4: a D-year programme completes exactly D/dt steps later.
    std::optional<double> duration;
    if (const Node* d = require_key(item, "duration", p, ctx)) {
      duration = read_in(*d, child_path(p, "duration"), kPositive, ctx);
      if (duration && ctx.dt) {
        const double steps = *duration / *ctx.dt;
        if (std::abs(steps - std::round(steps)) > 1e-9) {
          report(ctx, d->loc, child_path(p, "duration"), d->scalar,
                 "a duration must be a multiple of the step (dt = " + format_number(*ctx.dt) +
                     " years)");
          duration.reset();
        } else {
          prog.duration_steps = static_cast<int>(std::lround(steps));
        }
      }
    }
    ok = ok && duration.has_value();
    if (const Node* in = require_key(item, "intake", p, ctx)) {
      const auto v = read_lever_path(*in, child_path(p, "intake"), kNonNegative, ctx);
      if (v) prog.intake = *v;
      if (v && v->shape == PathShape::table) {
        ctx.intake_tables.push_back({prog.name, child_path(p, "intake"), in->loc, v->table});
      }
      ok = ok && v.has_value();
    } else {
      ok = false;
    }
    if (const Node* a = require_key(item, "intake_age", p, ctx)) {
      const auto v = read_age_distribution(*a, child_path(p, "intake_age"), ctx);
      if (v) prog.intake_age = *v;
      ok = ok && v.has_value();
    } else {
      ok = false;
    }
    if (const Node* s = require_key(item, "sectors", p, ctx)) {
      const auto v = read_sector_shares(*s, child_path(p, "sectors"), ctx);
      if (v) prog.sector_shares = *v;
      ok = ok && v.has_value();
    } else {
      ok = false;
    }
    auto scalar = [&](const char* key, const Domain& d, double& out) {
      if (const Node* x = optional_key(item, key)) {
        const auto v = read_in(*x, child_path(p, key), d, ctx);
        if (v) out = *v;
        ok = ok && v.has_value();
      }
    };
    scalar("attrition", kProbability, prog.attrition);
    scalar("retained", kShare, prog.retained);
    scalar("cost_per_trainee_year", kNonNegative, prog.cost_per_trainee_year);
    scalar("cost_per_completer", kNonNegative, prog.cost_per_completer);
    if (const Node* t = optional_key(item, "in_training")) {
      const std::string tp = child_path(p, "in_training");
      if (expect_seq(*t, tp, ctx)) {
        for (std::size_t k = 0; k < t->items.size(); ++k) {
          const auto v = read_in(*t->items[k], tp + "[" + std::to_string(k) + "]", kCount, ctx);
          prog.in_training.push_back(v.value_or(0.0));
          ok = ok && v.has_value();
        }
        const auto years = duration ? static_cast<std::size_t>(std::ceil(*duration - 1e-9)) : 0;
        if (duration && t->items.size() != years) {
          report(ctx, t->loc, tp, std::to_string(t->items.size()) + " values",
                 "expected one count per year of course (" + std::to_string(years) + ")");
          ok = false;
        }
      } else {
        ok = false;
      }
    } else if (ok) {
      // DESIGN.md 2.4: without in_training the pipeline opens stationary,
      // "with a notice".
      ctx.diags.warning(item.loc, child_path(p, "in_training"), "",
                        "not given; the pipeline opens in the steady state of the first year's "
                        "intake");
    }
    if (ok) sc.programmes.push_back(std::move(prog));
  }
}

// A programme's intake table is used unless a training_intake lever names the
// programme (the lever replaces the intake, DESIGN.md 2.5).
void warn_intake_extrapolation(const Scenario& sc, BuildContext& ctx) {
  for (const auto& t : ctx.intake_tables) {
    const bool replaced = std::any_of(sc.levers.begin(), sc.levers.end(), [&](const Lever& l) {
      return l.type == LeverType::training_intake && l.programme == t.programme;
    });
    if (!replaced) warn_if_extrapolated(t.values, t.at, t.path, ctx);
  }
}

}  // namespace staffsim::config
