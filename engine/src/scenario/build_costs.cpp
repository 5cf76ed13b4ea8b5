// `costs` (DESIGN.md 2.6): the price base year and the cell tables the money
// indicators need: pay bill (FTE x pay), recruitment cost (hires and employer
// moves in x cost per hire) and vacancy cover (vacancies x agency share x pay
// x agency premium). Without `costs` the engine reports no money.
#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// The sources' cost per hire: GBP 3,600 (CIPD, cited at 003:243).
constexpr double kCostPerHire = 3600.0;

constexpr Domain kPay{0.0, true, kInf, true, "pay (a year per FTE) must be >= 0"};
constexpr Domain kMoney{0.0, true, kInf, true, "a cost must be >= 0"};
constexpr Domain kPremium{0.0, true, kInf, true,
                          "an agency premium (agency cost / pay) must be >= 0"};

// A cell table with a documented default for cells not given.
Eigen::ArrayXXd read_or_default(const Node& costs, std::string_view key, double fallback,
                                const Domain& d, BuildContext& ctx) {
  if (const Node* n = optional_key(costs, key)) {
    return read_cell_table(*n, child_path("costs", key), fallback, d, ctx);
  }
  return Eigen::ArrayXXd::Constant(ctx.dims.n_roles(), ctx.dims.n_sectors(), fallback);
}

}  // namespace

// `price_base_year` and `pay` are required when `costs` is given; the other
// tables have defaults. Absent: price_base_year 0 and empty arrays.
void build_costs(const Node& root, Scenario& sc, BuildContext& ctx) {
  sc.costs = Costs{};
  const Node* c = optional_key(root, "costs");
  if (c == nullptr || !expect_map(*c, "costs", ctx)) return;
  check_keys(*c, "costs",
             {"price_base_year", "pay", "cost_per_hire", "agency_share", "agency_premium"}, ctx);
  if (const Node* y = require_key(*c, "price_base_year", "costs", ctx)) {
    const auto v = read_integer(*y, "costs.price_base_year", ctx);
    if (v && (*v < 1900 || *v > 2200)) {
      report(ctx, y->loc, "costs.price_base_year", y->scalar, "a year must be in 1900..2200");
    } else if (v) {
      sc.costs.price_base_year = *v;
    }
  }
  if (const Node* p = require_key(*c, "pay", "costs", ctx)) {
    sc.costs.pay = read_cell_table(*p, "costs.pay", std::nullopt, kPay, ctx);
  }
  sc.costs.cost_per_hire = read_or_default(*c, "cost_per_hire", kCostPerHire, kMoney, ctx);
  sc.costs.agency_share = read_or_default(*c, "agency_share", 0.0, kShare, ctx);
  sc.costs.agency_premium = read_or_default(*c, "agency_premium", 1.0, kPremium, ctx);
}

}  // namespace staffsim::config
