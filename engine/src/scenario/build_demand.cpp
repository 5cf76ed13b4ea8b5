// `demand` (DESIGN.md 2.3): the mode (posts input, need-based or index), the
// coverage of the data, the opening vacancies that calibrate base posts in
// need and index modes, and the index paths. The need tables are read by
// build_need.cpp. apply_coverage scales people counts by 1 / coverage.
#include <cmath>
#include <set>
#include <utility>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

const std::vector<std::string> kNeedKeys{
    "client_groups", "age_groups", "services", "prevalence",
    "mix",           "ratio",      "provider", "effective_ratio_roles"};

constexpr Domain kCoverage{0.0, false, 1.0, true, "a coverage must be in (0, 1]"};
constexpr Domain kVacancyRate{0.0, true, 1.0, false, "a vacancy rate must be in [0, 1)"};
constexpr Domain kIndex{0.0, true, kInf, true, "an index must be >= 0"};

// The mode as written in the scenario, for messages.
const char* mode_name(DemandMode m) {
  return m == DemandMode::need ? "need" : m == DemandMode::index ? "index" : "posts";
}

// A key of another mode is an error, as a recruitment rule's unused keys are.
void reject(const Node& d, const std::string& key, DemandMode mode, BuildContext& ctx) {
  if (optional_key(d, key) == nullptr) return;
  report(ctx, d.key_location(key), child_path("demand", key), "",
         std::string("not used in demand mode ") + mode_name(mode));
}

// `{rate: cell table}` (V / (H + V) per cell, headcount) or `{total: n}`
// (vacancies in headcount; rate = n / (workforce.total + n) in every cell).
void read_opening_vacancies(const Node& n, Scenario& sc, BuildContext& ctx) {
  const std::string path = "demand.opening_vacancies";
  if (!expect_map(n, path, ctx)) return;
  check_keys(n, path, {"rate", "total"}, ctx);
  const Node* rate = optional_key(n, "rate");
  const Node* total = optional_key(n, "total");
  if ((rate != nullptr) == (total != nullptr)) {
    report(ctx, n.loc, path, "", "give exactly one of `rate` or `total`");
    return;
  }
  const int R = sc.dims.n_roles();
  const int S = sc.dims.n_sectors();
  if (rate != nullptr) {
    sc.demand.opening_vacancy_rate =
        read_cell_table(*rate, child_path(path, "rate"), std::nullopt, kVacancyRate, ctx);
    return;
  }
  const auto v = read_in(*total, child_path(path, "total"), kCount, ctx);
  const double h = sc.opening.total;  // pre-coverage, like the vacancies: the rate is scale-free
  if (v && h > 0.0) sc.demand.opening_vacancy_rate = Eigen::ArrayXXd::Constant(R, S, *v / (h + *v));
}

// A map whose first key is a year is a year table, not the by_* form.
bool is_year_table(const Node& n) {
  for (const auto& [key, value] : n.entries) {
    if (key == "source" || key == "assumed") continue;
    Node k;
    k.kind = Node::Kind::scalar;
    k.scalar = key;
    return parse_number(k).has_value();
  }
  return false;
}

// One written index path: its values, and where and under which path it was
// written (for the extrapolation warning, given only when a cell uses it).
struct IndexPath {
  YearPath values;
  std::string path;
  Location at;
};

// A number (constant index) or a `{year: value}` table, values >= 0. The
// index should be 1 at start_year (posts0 is the opening posts); a warning
// says so once per written path.
std::optional<IndexPath> read_index_path(const Node& n, const std::string& path, const Scenario& sc,
                                         BuildContext& ctx) {
  std::optional<YearPath> p;
  if (n.is_scalar()) {
    if (const auto v = read_in(n, path, kIndex, ctx)) p = YearPath::constant(*v);
  } else {
    p = read_year_table(n, path, kIndex, ctx);
  }
  if (p && std::abs(p->at(sc.time.start_year) - 1.0) > 1e-9) {
    ctx.diags.warning(n.loc, path, format_number(p->at(sc.time.start_year)),
                      "the index at start_year " + std::to_string(sc.time.start_year) +
                          " is not 1, so opening posts differ from fte_factor (H0 + V0) and the "
                          "opening vacancy rate is not reproduced");
  }
  if (!p) return std::nullopt;
  return IndexPath{std::move(*p), path, n.loc};
}

// `index`: one path for every cell, or `default` < `by_sector` < `by_role`
// < `by_cell` like a cell table; every cell needs a path.
void read_index(const Node& n, Scenario& sc, BuildContext& ctx) {
  const std::string path = "demand.index";
  const Dimensions& dims = sc.dims;
  std::vector<std::optional<IndexPath>> cells(static_cast<std::size_t>(dims.n_role_sectors()));
  bool ok = true;
  auto fill = [&](const std::optional<IndexPath>& p, std::optional<Role> r,
                  std::optional<Sector> s) {
    ok = ok && p.has_value();
    if (!p) return;
    for (Role i = 0; i < dims.n_roles(); ++i) {
      for (Sector j = 0; j < dims.n_sectors(); ++j) {
        if ((!r || *r == i) && (!s || *s == j)) cells[static_cast<std::size_t>(dims.rs(i, j))] = p;
      }
    }
  };
  if (n.is_scalar() || is_year_table(n)) {
    fill(read_index_path(n, path, sc, ctx), std::nullopt, std::nullopt);
  } else if (expect_map(n, path, ctx)) {
    check_keys(n, path, {"default", "by_sector", "by_role", "by_cell"}, ctx);
    if (const Node* d = optional_key(n, "default")) {
      fill(read_index_path(*d, child_path(path, "default"), sc, ctx), std::nullopt, std::nullopt);
    }
    for (const bool roles : {false, true}) {
      const std::string p = child_path(path, roles ? "by_role" : "by_sector");
      const Node* m = optional_key(n, roles ? "by_role" : "by_sector");
      if (m == nullptr || !expect_map(*m, p, ctx)) continue;
      for (std::size_t i = 0; i < m->entries.size(); ++i) {
        const auto& [label, body] = m->entries[i];
        if (label == "source" || label == "assumed") continue;
        const auto idx = find_label(label, roles ? dims.roles : dims.sectors,
                                    roles ? "role" : "sector", key_at(*m, i), p, ctx);
        const auto yp = read_index_path(*body, child_path(p, label), sc, ctx);
        if (!idx) ok = false;
        if (idx && roles) fill(yp, *idx, std::nullopt);
        if (idx && !roles) fill(yp, std::nullopt, *idx);
      }
    }
    const std::string cp = child_path(path, "by_cell");
    if (const Node* m = optional_key(n, "by_cell"); m && expect_map(*m, cp, ctx)) {
      for (std::size_t i = 0; i < m->entries.size(); ++i) {
        const auto& [role, row] = m->entries[i];
        if (role == "source" || role == "assumed") continue;
        const auto r = find_label(role, dims.roles, "role", key_at(*m, i), cp, ctx);
        const std::string rp = child_path(cp, role);
        if (!r || !expect_map(*row, rp, ctx)) {
          ok = false;
          continue;
        }
        for (std::size_t j = 0; j < row->entries.size(); ++j) {
          const auto& [sector, body] = row->entries[j];
          if (sector == "source" || sector == "assumed") continue;
          const auto s = find_label(sector, dims.sectors, "sector", key_at(*row, j), rp, ctx);
          const auto yp = read_index_path(*body, cell_path(path, role, sector), sc, ctx);
          if (s) fill(yp, *r, *s);
          ok = ok && s.has_value();
        }
      }
    }
  } else {
    ok = false;
  }
  if (!ok) return;  // no "missing cell" cascade after a reported problem
  sc.demand.index.assign(cells.size(), YearPath{});
  std::set<std::string> warned;  // each written path once, and only if some cell uses it
  for (Role r = 0; r < dims.n_roles(); ++r) {
    for (Sector s = 0; s < dims.n_sectors(); ++s) {
      const auto& cell = cells[static_cast<std::size_t>(dims.rs(r, s))];
      if (cell) {
        sc.demand.index[static_cast<std::size_t>(dims.rs(r, s))] = cell->values;
        if (warned.insert(cell->path).second) {
          warn_if_extrapolated(cell->values, cell->at, cell->path, ctx);
        }
      } else {
        report(ctx, n.loc, cell_path(path, dims.roles[r], dims.sectors[s]), "",
               "no index for this cell (give one path, default, by_role, by_sector or by_cell)");
      }
    }
  }
}

}  // namespace

// The mode decides which keys apply: posts mode takes only `coverage`; need
// and index modes need `opening_vacancies`; index mode needs `index`; need
// mode the need tables (build_need).
void build_demand(const Node& root, Scenario& sc, BuildContext& ctx) {
  sc.demand = Demand{};
  ctx.demand_mode = DemandMode::posts;
  const Node* d = optional_key(root, "demand");
  if (d == nullptr || !expect_map(*d, "demand", ctx)) return;
  check_keys(*d, "demand",
             {"mode", "coverage", "opening_vacancies", "index", "client_groups", "age_groups",
              "services", "prevalence", "mix", "ratio", "provider", "effective_ratio_roles"},
             ctx);
  if (const Node* m = optional_key(*d, "mode")) {
    const auto v = read_choice(*m, "demand.mode", {"posts", "need", "index"}, ctx);
    ctx.demand_mode.reset();
    if (v)
      ctx.demand_mode = *v == "need"    ? DemandMode::need
                        : *v == "index" ? DemandMode::index
                                        : DemandMode::posts;
  }
  if (const Node* c = optional_key(*d, "coverage")) {
    if (const auto v = read_in(*c, "demand.coverage", kCoverage, ctx)) sc.demand.coverage = *v;
  }
  if (!ctx.demand_mode) return;
  const DemandMode mode = *ctx.demand_mode;
  sc.demand.mode = mode;
  if (mode == DemandMode::posts) reject(*d, "opening_vacancies", mode, ctx);
  if (mode != DemandMode::index) reject(*d, "index", mode, ctx);
  if (mode != DemandMode::need) {
    for (const auto& key : kNeedKeys) reject(*d, key, mode, ctx);
  }
  if (mode == DemandMode::posts) return;
  if (const Node* v = optional_key(*d, "opening_vacancies")) {
    read_opening_vacancies(*v, sc, ctx);
  } else {
    report(ctx, d->loc, "demand.opening_vacancies", "",
           std::string("missing required key (demand mode ") + mode_name(mode) +
               " derives base posts fte_factor (H0 + V0) from the opening vacancies)");
  }
  if (mode == DemandMode::index) {
    if (const Node* i = require_key(*d, "index", "demand", ctx)) read_index(*i, sc, ctx);
    return;
  }
  build_need(*d, sc, ctx);
}

// DESIGN.md 2.3: data covering a share of the sector describe that share;
// the counts of people (opening stock, posts input, fixed hires, source
// caps, training intake and pipeline, and the levers that replace an intake
// or a cap) are scaled up so results are for the whole workforce. Rates and
// shares are scale-free.
void apply_coverage(Scenario& sc) {
  const double f = 1.0 / sc.demand.coverage;
  if (f == 1.0) return;
  auto scale_path = [f](LeverPath& p) {
    p.from_value *= f;
    p.to_value *= f;
    for (double& v : p.table.values) v *= f;
  };
  sc.opening.total *= f;
  for (YearPath& p : sc.posts.fte) {
    for (double& v : p.values) v *= f;
  }
  for (RecruitmentRule& rule : sc.recruitment) rule.number *= f;
  for (Source& src : sc.sources) {
    if (src.cap) *src.cap *= f;
  }
  for (Programme& prog : sc.programmes) {
    scale_path(prog.intake);
    for (double& v : prog.in_training) v *= f;
  }
  for (Lever& lever : sc.levers) {
    const bool people = lever.type == LeverType::training_intake ||
                        (lever.type == LeverType::international_recruitment && lever.acts_on_cap);
    if (people) scale_path(lever.path);
  }
}

}  // namespace staffsim::config
