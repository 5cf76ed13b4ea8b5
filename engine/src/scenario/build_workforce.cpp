// `workforce` (opening stock margins, DESIGN.md 2.1): labels and ranges spread
// to the engine's axes (single ages, tenure bands); a "not_recorded" row
// spread in proportion to the recorded cells that share its other labels.
// The engine scales each margin to the total and fits the joint table.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

const std::vector<std::string> kAxisNames{"role", "sector", "age", "tenure"};

// Length of an axis in the flattened margin layout (StockMargin).
int axis_size(Axis a, const Dimensions& dims) {
  switch (a) {
    case Axis::role:
      return dims.n_roles();
    case Axis::sector:
      return dims.n_sectors();
    case Axis::age:
      return dims.n_ages();
    case Axis::tenure:
      return dims.n_bands();
  }
  return 0;
}

// Where one label of one axis lands: (index, weight) pairs summing to 1.
using Spread = std::vector<std::pair<int, double>>;

// A row with `not_recorded` on some axis, spread once every recorded row is
// in: its spreads (empty on the not-recorded axes), count and labels.
struct UnrecordedRow {
  std::vector<Spread> spreads;
  double count = 0.0;
  std::vector<std::string> labels;
  Location at;
  std::string path;
};

// Everything one margin needs while reading its rows.
struct MarginReader {
  std::vector<Axis> axes;
  std::map<std::string, Eigen::ArrayXd> age_weights;  // open-band weights by range text
  std::vector<std::vector<std::string>> seen;         // label tuples, for duplicates
  // Distinct ranges, grouped by the labels of the other axes (each role of a
  // (role, age) table may band ages its own way), for the disjointness check.
  std::map<std::string, std::map<std::string, std::pair<AgeRange, Location>>> ages;
  std::map<std::string, std::map<std::string, std::pair<TenureRange, Location>>> tenures;
  std::set<std::string> age_labels;  // every age range used
  std::string age_group;             // of the record being read
  std::string tenure_group;
  std::vector<UnrecordedRow> unrecorded;  // spread after the recorded rows
};

// One label on one axis, or nullopt (reported) / empty spread (not_recorded).
std::optional<Spread> spread_label(Axis axis, const std::string& label, const Location& at,
                                   const std::string& path, MarginReader& m, BuildContext& ctx) {
  if (label == "not_recorded") return Spread{};
  const Dimensions& dims = ctx.dims;
  if (axis == Axis::role || axis == Axis::sector) {
    const bool role = axis == Axis::role;
    const auto idx = find_label(label, role ? dims.roles : dims.sectors, role ? "role" : "sector",
                                at, path, ctx);
    if (!idx) return std::nullopt;
    return Spread{{*idx, 1.0}};
  }
  if (axis == Axis::age) {
    const auto r = parse_age_range(label, dims.max_age);
    if (!r) {
      report(ctx, at, path, label, "expected an age range like 18-29, 70+ or 45");
      return std::nullopt;
    }
    if (!check_age_bounds(*r, label, at, path, ctx)) return std::nullopt;
    m.ages[m.age_group].emplace(label, std::make_pair(*r, at));
    m.age_labels.insert(label);
    const int n = r->hi - r->lo + 1;
    Eigen::ArrayXd w = Eigen::ArrayXd::Constant(n, 1.0 / n);
    if (const auto it = m.age_weights.find(label); it != m.age_weights.end()) {
      if (it->second.size() != n) {
        report(ctx, at, path, label,
               "age_weights for this range need " + std::to_string(n) + " values");
        return std::nullopt;
      }
      w = it->second / it->second.sum();
    }
    Spread s;
    for (int i = 0; i < n; ++i) s.emplace_back(r->lo - dims.min_age + i, w(i));
    return s;
  }
  const auto r = parse_tenure_range(label);
  if (!r) {
    report(ctx, at, path, label, "expected a tenure range like 1-3 or 20+");
    return std::nullopt;
  }
  const auto w = tenure_overlap(*r, dims);
  if (!w) {
    report(ctx, at, path, label,
           "an open tenure range must start at or above the last band edge (" +
               format_number(dims.tenure_edges.back()) + "); give closed ranges below it");
    return std::nullopt;
  }
  m.tenures[m.tenure_group].emplace(label, std::make_pair(*r, at));
  Spread s;
  for (int k = 0; k < w->size(); ++k) {
    if ((*w)(k) > 0.0) s.emplace_back(k, (*w)(k));
  }
  return s;
}

// Adds count x (product of the axes' spreads) to the flattened margin.
void accumulate(const std::vector<Spread>& spreads, const std::vector<int>& sizes, double count,
                Eigen::ArrayXd& values) {
  std::vector<std::size_t> pos(spreads.size(), 0);
  while (true) {
    long flat = 0;
    double w = count;
    for (std::size_t a = 0; a < spreads.size(); ++a) {
      flat = flat * sizes[a] + spreads[a][pos[a]].first;
      w *= spreads[a][pos[a]].second;
    }
    values(flat) += w;
    std::size_t a = spreads.size();
    while (a > 0) {
      --a;
      if (++pos[a] < spreads[a].size()) break;
      pos[a] = 0;
      if (a == 0) return;
    }
    if (spreads.empty()) return;
  }
}

// One record (a `values` entry or a CSV row): labels per axis and a count.
void add_record(const std::vector<std::string>& labels, const Node& count_node, const Location& at,
                const std::string& path, MarginReader& m, Eigen::ArrayXd& values,
                BuildContext& ctx) {
  if (std::find(m.seen.begin(), m.seen.end(), labels) != m.seen.end()) {
    report(ctx, at, path, "", "duplicate row for these labels");
    return;
  }
  m.seen.push_back(labels);
  m.age_group.clear();
  m.tenure_group.clear();
  for (std::size_t a = 0; a < m.axes.size(); ++a) {
    if (m.axes[a] != Axis::age) m.age_group += labels[a] + ",";
    if (m.axes[a] != Axis::tenure) m.tenure_group += labels[a] + ",";
  }
  std::vector<Spread> spreads;
  bool ok = true;
  bool not_recorded = false;
  for (std::size_t a = 0; a < m.axes.size(); ++a) {
    const auto s = spread_label(m.axes[a], labels[a], at, path, m, ctx);
    if (!s) ok = false;
    if (s && s->empty()) not_recorded = true;
    if (s) spreads.push_back(*s);
  }
  const auto count = read_in(count_node, path, kCount, ctx);
  if (!ok || !count) return;
  if (not_recorded) {
    m.unrecorded.push_back(UnrecordedRow{spreads, *count, labels, at, path});
    return;
  }
  std::vector<int> sizes;
  for (Axis a : m.axes) sizes.push_back(axis_size(a, ctx.dims));
  accumulate(spreads, sizes, *count, values);
}

// DESIGN.md 2.1, "not recorded" rows are spread in proportion to the recorded
// ones: a row whose label is `not_recorded` on some axes goes to the cells
// that share its labels on the other axes (all cells when every axis is not
// recorded), in proportion to the recorded counts there. An age or tenure
// range on a recorded axis selects the cells of its ages or bands; the
// recorded counts, not the range's own spread, weight them. `independent,
// not_recorded,464` in a [sector, age] table adds 464 to the independent
// sector's ages in proportion to the independent row. A row whose cells hold
// no recorded count cannot be spread and is an error naming it. With one
// axis this is the whole table, which scaling to the total did anyway.
void spread_unrecorded(const MarginReader& m, Eigen::ArrayXd& values, BuildContext& ctx) {
  if (m.unrecorded.empty()) return;
  std::vector<int> sizes;
  for (Axis a : m.axes) sizes.push_back(axis_size(a, ctx.dims));
  const Eigen::ArrayXd recorded = values;  // every row spreads over the recorded rows only
  for (const UnrecordedRow& row : m.unrecorded) {
    if (row.count == 0.0) continue;  // nothing to spread
    // in[a][i]: index i of axis a shares the row's label (every index when
    // the axis is not recorded).
    std::vector<std::vector<bool>> in(m.axes.size());
    for (std::size_t a = 0; a < m.axes.size(); ++a) {
      const auto n = static_cast<std::size_t>(sizes[a]);
      in[a].assign(n, row.spreads[a].empty());
      for (const auto& [i, w] : row.spreads[a]) in[a][static_cast<std::size_t>(i)] = true;
    }
    Eigen::ArrayXd group = Eigen::ArrayXd::Zero(recorded.size());
    for (long flat = 0; flat < recorded.size(); ++flat) {
      long rest = flat;
      bool member = true;
      for (std::size_t a = m.axes.size(); a-- > 0 && member;) {
        member = in[a][static_cast<std::size_t>(rest % sizes[a])];
        rest /= sizes[a];
      }
      if (member) group(flat) = recorded(flat);
    }
    if (group.sum() <= 0.0) {
      std::string labels;
      std::string others;
      for (std::size_t a = 0; a < row.labels.size(); ++a) {
        labels += (a == 0 ? "" : ",") + row.labels[a];
        if (row.labels[a] != "not_recorded") others += (others.empty() ? "" : ",") + row.labels[a];
      }
      report(ctx, row.at, row.path, labels,
             others.empty() ? std::string("a not_recorded row needs recorded rows to spread over")
                            : "a not_recorded row is spread over the recorded cells of " + others +
                                  ", and no recorded row has a count there");
      continue;
    }
    values += group * (row.count / group.sum());
  }
}

// `age_weights: {range: [w...]}`, checked when a row uses the range.
void read_age_weights(const Node& n, const std::string& path, MarginReader& m, BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return;
  for (const auto& [label, list] : n.entries) {
    if (label == "source" || label == "assumed") continue;
    const std::string p = child_path(path, label);
    if (!list->is_seq() || list->items.empty()) {
      report(ctx, list->loc, p, "", "expected a list of weights, one per age of the range");
      continue;
    }
    Eigen::ArrayXd w(static_cast<long>(list->items.size()));
    bool ok = true;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const auto v = read_in(*list->items[i], p, kNonNegative, ctx);
      ok = ok && v.has_value();
      w(static_cast<long>(i)) = v.value_or(0.0);
    }
    if (ok && w.sum() <= 0.0) report(ctx, list->loc, p, "", "weights must have a positive sum");
    if (ok && w.sum() > 0.0) m.age_weights[label] = w;
  }
}

// One margin: axes, then `values` (one axis) or a CSV `table`, spread to
// the engine axes; ranges disjoint within a group, positive total.
std::optional<StockMargin> read_margin(const Node& n, const std::string& path, BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return std::nullopt;
  check_keys(n, path, {"name", "axes", "values", "table", "age_weights"}, ctx);
  const Node* axes_node = require_key(n, "axes", path, ctx);
  if (axes_node == nullptr) return std::nullopt;
  const auto names = read_label_list(*axes_node, child_path(path, "axes"), ctx);
  if (!names) return std::nullopt;
  MarginReader m;
  bool ok = !names->empty();
  if (names->empty()) report(ctx, axes_node->loc, child_path(path, "axes"), "[]", "no axes given");
  for (const auto& a : *names) {
    const auto it = std::find(kAxisNames.begin(), kAxisNames.end(), a);
    if (it == kAxisNames.end()) {
      report(ctx, axes_node->loc, child_path(path, "axes"), a,
             "unknown axis (expected role, sector, age or tenure)" + suggestion(a, kAxisNames));
      ok = false;
      continue;
    }
    const Axis axis = static_cast<Axis>(it - kAxisNames.begin());
    if (std::find(m.axes.begin(), m.axes.end(), axis) != m.axes.end()) {
      report(ctx, axes_node->loc, child_path(path, "axes"), a, "an axis may appear once");
      ok = false;
    }
    m.axes.push_back(axis);
  }
  if (!ok) return std::nullopt;
  if (const Node* w = optional_key(n, "age_weights")) {
    read_age_weights(*w, child_path(path, "age_weights"), m, ctx);
  }
  long size = 1;
  for (Axis a : m.axes) size *= axis_size(a, ctx.dims);
  StockMargin out{m.axes, Eigen::ArrayXd::Zero(size),
                  n.loc.file + ":" + std::to_string(n.loc.line)};
  const Node* values = optional_key(n, "values");
  const Node* table = optional_key(n, "table");
  if ((values != nullptr) == (table != nullptr)) {
    report(ctx, n.loc, path, "", "give exactly one of `values` or `table`");
    return std::nullopt;
  }
  if (values != nullptr) {
    const std::string vpath = child_path(path, "values");
    if (m.axes.size() != 1) {
      report(ctx, values->loc, vpath, "", "with several axes, give the margin as a CSV `table`");
      return std::nullopt;
    }
    if (!expect_map(*values, vpath, ctx)) return std::nullopt;
    for (std::size_t i = 0; i < values->entries.size(); ++i) {
      const auto& [label, count] = values->entries[i];
      if (label == "source" || label == "assumed") continue;
      const Location at = key_at(*values, i);
      add_record({label}, *count, at, child_path(vpath, label), m, out.values, ctx);
    }
  } else {
    const auto csv = open_csv(*table, child_path(path, "table"), ctx);
    if (!csv) return std::nullopt;
    const Location head{csv->display_name, 1, 0};
    std::vector<int> cols;
    for (const auto& a : *names) cols.push_back(csv_column(*csv, a, head, path, ctx));
    const int vc = csv_column(*csv, "value", head, path, ctx);
    if (vc < 0 || std::find(cols.begin(), cols.end(), -1) != cols.end()) return std::nullopt;
    for (std::size_t i = 0; i < csv->rows.size(); ++i) {
      const auto& row = csv->rows[i];
      const Location at = csv_row_location(*csv, i);
      if (row.size() != csv->header.size()) {
        report(ctx, at, path, "", "expected " + std::to_string(csv->header.size()) + " fields");
        continue;
      }
      std::vector<std::string> labels;
      labels.reserve(cols.size());
      for (int c : cols) labels.push_back(row[c]);
      Node count;
      count.kind = Node::Kind::scalar;
      count.scalar = row[vc];
      count.loc = at;
      add_record(labels, count, at, path, m, out.values, ctx);
    }
  }
  spread_unrecorded(m, out.values, ctx);
  // Weights for a range no row uses are a mistake (a typo in the range).
  if (const Node* w = optional_key(n, "age_weights")) {
    for (std::size_t i = 0; i < w->entries.size(); ++i) {
      const std::string& label = w->entries[i].first;
      if (label == "source" || label == "assumed" || m.age_labels.count(label) != 0) continue;
      report(ctx, key_at(*w, i), child_path(child_path(path, "age_weights"), label), label,
             "no row of this margin has this age range");
    }
  }
  // The ranges of one table must be disjoint.
  bool disjoint = true;
  for (const auto& [group, ranges] : m.ages) {
    std::vector<AgeRange> ar;
    std::vector<Location> al;
    std::vector<std::string> at;
    for (const auto& [text, rl] : ranges) {
      ar.push_back(rl.first);
      al.push_back(rl.second);
      at.push_back(text);
    }
    disjoint = check_disjoint(ar, al, at, path, ctx) && disjoint;
  }
  for (const auto& [group, ranges] : m.tenures) {
    std::vector<std::pair<TenureRange, std::string>> tr;
    for (const auto& [text, rl] : ranges) tr.emplace_back(rl.first, text);
    std::sort(tr.begin(), tr.end(), [](auto& a, auto& b) { return a.first.lo < b.first.lo; });
    for (std::size_t i = 1; i < tr.size(); ++i) {
      if (tr[i].first.lo < tr[i - 1].first.hi) {
        report(ctx, ranges.at(tr[i].second).second, child_path(path, tr[i].second), tr[i].second,
               "tenure ranges of one table must not overlap (overlaps " + tr[i - 1].second + ")");
        disjoint = false;
      }
    }
  }
  if (!disjoint) return std::nullopt;
  if (out.values.sum() <= 0.0) {
    report(ctx, n.loc, path, "", "a margin needs a positive total count");
    return std::nullopt;
  }
  return out;
}

}  // namespace

// Margins are listed; each is named in messages by its `name:` if it has one.
void build_workforce(const Node& root, Scenario& sc, BuildContext& ctx) {
  const Node* w = require_key(root, "workforce", "", ctx);
  if (w == nullptr || !expect_map(*w, "workforce", ctx)) return;
  check_keys(*w, "workforce", {"total", "margins"}, ctx);
  if (const Node* t = require_key(*w, "total", "workforce", ctx)) {
    const auto v = read_in(*t, "workforce.total", kPositive, ctx);
    if (v) sc.opening.total = *v;
  }
  const Node* margins = require_key(*w, "margins", "workforce", ctx);
  if (margins == nullptr || !expect_seq(*margins, "workforce.margins", ctx)) return;
  if (margins->items.empty()) {
    report(ctx, margins->loc, "workforce.margins", "[]", "at least one margin is needed");
  }
  for (std::size_t i = 0; i < margins->items.size(); ++i) {
    const Node& item = *margins->items[i];
    std::string label = std::to_string(i);
    if (const Node* nm = optional_key(item, "name"); nm && nm->is_scalar()) label = nm->scalar;
    auto m = read_margin(item, "workforce.margins[" + label + "]", ctx);
    if (m) sc.opening.margins.push_back(std::move(*m));
  }
}

}  // namespace staffsim::config
