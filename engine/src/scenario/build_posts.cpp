// `posts` (demand mode posts, DESIGN.md 2.3): per (role, sector) year paths
// in FTE. A `total` is split over the cells in proportion to the opening stock
// (FTE for unit fte, headcount for unit headcount); a `table` gives each cell.
// In need and index modes posts come from demand and `posts` must be absent.
#include <algorithm>
#include <map>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// Length of an axis in the flattened margin layout (StockMargin).
int axis_size(Axis a, const Dimensions& dims) {
  return a == Axis::role     ? dims.n_roles()
         : a == Axis::sector ? dims.n_sectors()
         : a == Axis::age    ? dims.n_ages()
                             : dims.n_bands();
}

// Whether a margin is over axis `a`.
bool has_axis(const StockMargin& m, Axis a) {
  return std::find(m.axes.begin(), m.axes.end(), a) != m.axes.end();
}

// Sums a flattened margin (row-major over its axes) down to (role, sector);
// an axis the margin lacks collapses to index 0.
Eigen::ArrayXXd collapse_to_rs(const StockMargin& m, const Dimensions& dims) {
  const int R = has_axis(m, Axis::role) ? dims.n_roles() : 1;
  const int S = has_axis(m, Axis::sector) ? dims.n_sectors() : 1;
  Eigen::ArrayXXd out = Eigen::ArrayXXd::Zero(R, S);
  for (long flat = 0; flat < m.values.size(); ++flat) {
    long rest = flat;
    int r = 0;
    int s = 0;
    for (std::size_t a = m.axes.size(); a-- > 0;) {
      const int n = axis_size(m.axes[a], dims);
      const int i = static_cast<int>(rest % n);
      rest /= n;
      if (m.axes[a] == Axis::role) r = i;
      if (m.axes[a] == Axis::sector) s = i;
    }
    out(r, s) += m.values(flat);
  }
  return out;
}

}  // namespace

// The (role, sector) headcount shares that the engine's fit of the margins
// gives: a margin holding both axes fixes them; otherwise the role and
// sector marginals combine independently (uniform over an axis no margin
// names), which is what IPF returns for such margins.
Eigen::ArrayXXd opening_rs_shares(const OpeningStock& opening, const Dimensions& dims) {
  const int R = dims.n_roles();
  const int S = dims.n_sectors();
  for (const auto& m : opening.margins) {
    if (has_axis(m, Axis::role) && has_axis(m, Axis::sector)) {
      const Eigen::ArrayXXd joint = collapse_to_rs(m, dims);
      return joint / joint.sum();
    }
  }
  Eigen::ArrayXd role = Eigen::ArrayXd::Constant(R, 1.0 / R);
  Eigen::ArrayXd sector = Eigen::ArrayXd::Constant(S, 1.0 / S);
  bool have_role = false;
  bool have_sector = false;
  for (const auto& m : opening.margins) {
    if (!have_role && has_axis(m, Axis::role)) {
      role = collapse_to_rs(m, dims).rowwise().sum();
      role /= role.sum();
      have_role = true;
    }
    if (!have_sector && has_axis(m, Axis::sector)) {
      sector = collapse_to_rs(m, dims).colwise().sum().transpose();
      sector /= sector.sum();
      have_sector = true;
    }
  }
  return (role.matrix() * sector.matrix().transpose()).array();
}

namespace {

// DESIGN.md 2.1: a table's cells usually share their years, so the
// extrapolation warning is one per table, naming the first cell and counting
// the others.
void warn_held_cells(const std::optional<std::string>& first, int cells, const Location& at,
                     BuildContext& ctx) {
  if (!first) return;
  const std::string others = cells > 1 ? " (and " + std::to_string(cells - 1) + " other cell" +
                                             (cells > 2 ? "s" : "") + ")"
                                       : "";
  ctx.diags.warning(at, "posts.table", "", *first + others);
}

// `table:` CSV with columns role, sector, year, value; every cell needs rows.
void read_posts_table(const Node& name, bool headcount, Scenario& sc, BuildContext& ctx) {
  const std::string path = "posts.table";
  const auto csv = open_csv(name, path, ctx);
  if (!csv) return;
  const Location head{csv->display_name, 1, 0};
  const int rc = csv_column(*csv, "role", head, path, ctx);
  const int scol = csv_column(*csv, "sector", head, path, ctx);
  const int yc = csv_column(*csv, "year", head, path, ctx);
  const int vc = csv_column(*csv, "value", head, path, ctx);
  if (rc < 0 || scol < 0 || yc < 0 || vc < 0) return;
  std::vector<std::map<double, double>> cells(static_cast<std::size_t>(ctx.dims.n_role_sectors()));
  for (std::size_t i = 0; i < csv->rows.size(); ++i) {
    const auto& row = csv->rows[i];
    const Location at = csv_row_location(*csv, i);
    if (row.size() != csv->header.size()) {
      report(ctx, at, path, "", "expected " + std::to_string(csv->header.size()) + " fields");
      continue;
    }
    const auto r = find_label(row[rc], ctx.dims.roles, "role", at, "posts", ctx);
    const auto s = find_label(row[scol], ctx.dims.sectors, "sector", at, "posts", ctx);
    if (!r || !s) continue;
    const std::string p = cell_path("posts", row[rc], row[scol]);
    Node year;
    year.kind = Node::Kind::scalar;
    year.scalar = row[yc];
    year.loc = at;
    Node value = year;
    value.scalar = row[vc];
    const auto y = read_number(year, p + ".year", ctx);
    const auto v = read_in(value, p, kNonNegative, ctx);
    if (!y || !v) continue;
    auto& cell = cells[static_cast<std::size_t>(ctx.dims.rs(*r, *s))];
    if (!cell.emplace(*y, *v).second) report(ctx, at, p, row[yc], "duplicate year for this cell");
  }
  std::optional<std::string> held;  // the first extrapolating cell's warning
  int held_cells = 0;
  for (int r = 0; r < ctx.dims.n_roles(); ++r) {
    for (int s = 0; s < ctx.dims.n_sectors(); ++s) {
      const auto& cell = cells[static_cast<std::size_t>(ctx.dims.rs(r, s))];
      YearPath& out = sc.posts.fte[static_cast<std::size_t>(ctx.dims.rs(r, s))];
      const std::string p = cell_path("posts", ctx.dims.roles[r], ctx.dims.sectors[s]);
      if (cell.empty()) {
        report(ctx, name.loc, p, "", "the posts table has no row for this cell");
        continue;
      }
      for (const auto& [y, v] : cell) {
        out.years.push_back(y);
        out.values.push_back(headcount ? v * sc.fte_factor(r, s) : v);
      }
      if (auto rule = extrapolation_rule(out, ctx, "the values of " + p)) {
        if (!held) held = std::move(rule);
        ++held_cells;
      }
    }
  }
  warn_held_cells(held, held_cells, name.loc, ctx);
}

}  // namespace

// `posts`: exactly one of `total` (split by the opening stock) or `table`;
// required in demand mode posts, an error in need and index modes.
void build_posts(const Node& root, Scenario& sc, BuildContext& ctx) {
  if (!ctx.demand_mode) return;  // an unknown demand.mode was reported
  if (*ctx.demand_mode != DemandMode::posts) {
    if (optional_key(root, "posts") != nullptr) {
      const char* mode = *ctx.demand_mode == DemandMode::need ? "need" : "index";
      report(
          ctx, root.key_location("posts"), "posts", "",
          std::string("not used in demand mode ") + mode + " (posts come from demand); remove it");
    }
    return;
  }
  const Node* p = require_key(root, "posts", "", ctx);
  sc.posts.fte.assign(static_cast<std::size_t>(sc.dims.n_role_sectors()), YearPath{});
  if (p == nullptr || !expect_map(*p, "posts", ctx)) return;
  check_keys(*p, "posts", {"unit", "total", "table"}, ctx);
  bool headcount = false;
  if (const Node* u = optional_key(*p, "unit")) {
    const auto v = read_choice(*u, "posts.unit", {"fte", "headcount"}, ctx);
    headcount = v && *v == "headcount";
  }
  const Node* total = optional_key(*p, "total");
  const Node* table = optional_key(*p, "table");
  if ((total != nullptr) == (table != nullptr)) {
    report(ctx, p->loc, "posts", "", "give exactly one of `total` or `table`");
    return;
  }
  if (table != nullptr) {
    read_posts_table(*table, headcount, sc, ctx);
    return;
  }
  std::optional<YearPath> path;
  if (total->is_scalar()) {
    if (const auto v = read_in(*total, "posts.total", kNonNegative, ctx)) {
      path = YearPath::constant(*v);
    }
  } else {
    path = read_year_table(*total, "posts.total", kNonNegative, ctx);
    if (path) warn_if_extrapolated(*path, total->loc, "posts.total", ctx);
  }
  if (!path || sc.opening.margins.empty()) return;  // a broken workforce was reported
  // Headcount shares, or FTE shares (headcount x fte_factor) for unit fte.
  Eigen::ArrayXXd share = opening_rs_shares(sc.opening, sc.dims);
  if (!headcount) share = share * sc.fte_factor / (share * sc.fte_factor).sum();
  for (int r = 0; r < sc.dims.n_roles(); ++r) {
    for (int s = 0; s < sc.dims.n_sectors(); ++s) {
      YearPath cell = *path;
      const double f = share(r, s) * (headcount ? sc.fte_factor(r, s) : 1.0);
      for (double& v : cell.values) v *= f;
      sc.posts.fte[static_cast<std::size_t>(sc.dims.rs(r, s))] = cell;
    }
  }
}

}  // namespace staffsim::config
