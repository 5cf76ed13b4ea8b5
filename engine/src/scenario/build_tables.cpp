// Cell tables (a value per role and sector) in every documented form, the
// cell overrides of `--set` / `overrides:` applied to them, and opening CSVs.
#include <filesystem>
#include <sstream>

#include "scenario/build_support.hpp"

namespace staffsim::config {

Location csv_row_location(const CsvTable& t, std::size_t row) {
  const int line = row < t.row_numbers.size() ? t.row_numbers[row] : 0;
  return Location{t.display_name, line, 0};
}

// A missing CSV is a validation problem of the key that names it, reported
// with the other problems rather than thrown.
std::shared_ptr<const CsvTable> open_csv(const Node& name, const std::string& path,
                                         BuildContext& ctx) {
  const auto text = read_text(name, path, ctx);
  if (!text) return nullptr;
  const std::filesystem::path file = name.base_dir / *text;
  if (ctx.csv_cache != nullptr) {
    if (const CsvCache::Entry* hit = ctx.csv_cache->find(file)) {
      for (const Diagnostic& d : hit->problems) ctx.diags.add(d);
      ctx.diags.record_input(hit->table->display_name, hit->sha256);
      return hit->table;
    }
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    report(ctx, name.loc, path, *text, "CSV file not found (" + file.string() + ")");
    return nullptr;
  }
  try {
    if (ctx.csv_cache == nullptr || ctx.csv_cache->frozen()) {
      auto t = std::make_shared<CsvTable>(read_csv(file, name.loc, ctx.diags));
      if (t->header.empty()) return nullptr;  // read_csv reported why
      return t;
    }
    // Read into a Diagnostics of its own, so the cache can replay exactly
    // what this read reported.
    Diagnostics own;
    auto t = std::make_shared<const CsvTable>(read_csv(file, name.loc, own));
    for (const Diagnostic& d : own.all()) ctx.diags.add(d);
    for (const auto& [f, digest] : own.inputs()) ctx.diags.record_input(f, digest);
    if (t->header.empty()) return nullptr;  // read_csv reported why
    const std::string digest = own.inputs().empty() ? std::string() : own.inputs().front().second;
    ctx.csv_cache->insert(file, CsvCache::Entry{t, own.all(), digest});
    return t;
  } catch (const IoError& e) {
    report(ctx, name.loc, path, *text, e.what());
    return nullptr;
  }
}

int csv_column(const CsvTable& t, std::string_view name, const Location& at,
               const std::string& path, BuildContext& ctx) {
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i] == name) return static_cast<int>(i);
  }
  report(ctx, at, path, t.display_name, "the CSV has no column `" + std::string(name) + "`");
  return -1;
}

namespace {

// Cells as read so far, with which cells some form covered.
struct CellGrid {
  Eigen::ArrayXXd values;
  Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> covered;
  void set(int r, int s, double v) {
    values(r, s) = v;
    covered(r, s) = true;
  }
};

// {label: value} over one dimension; `by_role` or `by_sector`.
void read_by_dim(const Node& map, const std::string& path, bool roles, const Domain& d,
                 CellGrid& grid, BuildContext& ctx) {
  if (!expect_map(map, path, ctx)) return;
  const auto& labels = roles ? ctx.dims.roles : ctx.dims.sectors;
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const auto& [key, value] = map.entries[i];
    if (key == "source" || key == "assumed") continue;
    const Location at = key_at(map, i);
    const auto idx = find_label(key, labels, roles ? "role" : "sector", at, path, ctx);
    const auto v = read_in(*value, child_path(path, key), d, ctx);
    if (!idx || !v) continue;
    const int n_other = roles ? ctx.dims.n_sectors() : ctx.dims.n_roles();
    for (int j = 0; j < n_other; ++j) {
      if (roles) {
        grid.set(*idx, j, *v);
      } else {
        grid.set(j, *idx, *v);
      }
    }
  }
}

// {role: {sector: value}}; a value is named by its cell, param[role,sector].
void read_by_cell(const Node& map, const std::string& path, const std::string& param,
                  const Domain& d, CellGrid& grid, BuildContext& ctx) {
  if (!expect_map(map, path, ctx)) return;
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const auto& [role, row] = map.entries[i];
    if (role == "source" || role == "assumed") continue;
    const Location at = key_at(map, i);
    const auto r = find_label(role, ctx.dims.roles, "role", at, path, ctx);
    const std::string rpath = child_path(path, role);
    if (!r || !expect_map(*row, rpath, ctx)) continue;
    for (std::size_t j = 0; j < row->entries.size(); ++j) {
      const auto& [sector, value] = row->entries[j];
      if (sector == "source" || sector == "assumed") continue;
      const Location sat = key_at(*row, j);
      const auto s = find_label(sector, ctx.dims.sectors, "sector", sat, rpath, ctx);
      const auto v = read_in(*value, cell_path(param, role, sector), d, ctx);
      if (s && v) grid.set(*r, *s, *v);
    }
  }
}

// CSV with columns role, sector, value; each row overrides one cell. Problems
// are reported with the file and row.
void read_cell_csv(const Node& name, const std::string& path, const Domain& d, CellGrid& grid,
                   BuildContext& ctx) {
  const auto table = open_csv(name, child_path(path, "table"), ctx);
  if (!table) return;
  const Location head{table->display_name, 1, 0};
  for (const auto& h : table->header) {
    if (h != "role" && h != "sector" && h != "value" && h != "source" && h != "assumed") {
      report(ctx, head, path, h, "unexpected CSV column (expected role,sector,value)");
    }
  }
  const int rc = csv_column(*table, "role", head, path, ctx);
  const int sc = csv_column(*table, "sector", head, path, ctx);
  const int vc = csv_column(*table, "value", head, path, ctx);
  if (rc < 0 || sc < 0 || vc < 0) return;
  Eigen::ArrayXXi first_row = Eigen::ArrayXXi::Zero(ctx.dims.n_roles(), ctx.dims.n_sectors());
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    const auto& row = table->rows[i];
    const Location at = csv_row_location(*table, i);
    if (row.size() != table->header.size()) {
      report(ctx, at, path, "",
             "expected " + std::to_string(table->header.size()) + " fields, found " +
                 std::to_string(row.size()));
      continue;
    }
    const auto r = find_label(row[rc], ctx.dims.roles, "role", at, path, ctx);
    const auto s = find_label(row[sc], ctx.dims.sectors, "sector", at, path, ctx);
    if (!r || !s) continue;
    const std::string p = cell_path(path, row[rc], row[sc]);
    Node cell;
    cell.kind = Node::Kind::scalar;
    cell.scalar = row[vc];
    cell.loc = at;
    const auto v = read_in(cell, p, d, ctx);
    if (first_row(*r, *s) != 0) {
      report(
          ctx, at, p, row[vc],
          "duplicate row for this cell (first at row " + std::to_string(first_row(*r, *s)) + ")");
      continue;
    }
    first_row(*r, *s) = at.line;
    if (v) grid.set(*r, *s, *v);
  }
}

// One selector entry: "*" (all), a label, or labels joined by '|'.
std::optional<std::vector<int>> select_labels(const std::string& selector,
                                              const std::vector<std::string>& labels,
                                              const char* what, const Location& at,
                                              const std::string& path, BuildContext& ctx) {
  std::vector<int> out;
  if (selector == "*") {
    for (int i = 0; i < static_cast<int>(labels.size()); ++i) out.push_back(i);
    return out;
  }
  std::stringstream in(selector);
  std::string label;
  bool ok = true;
  while (std::getline(in, label, '|')) {
    const auto idx = find_label(label, labels, what, at, path, ctx);
    if (idx) {
      out.push_back(*idx);
    } else {
      ok = false;
    }
  }
  if (!ok || out.empty()) return std::nullopt;
  return out;
}

// A transform (uncertainty:) maps the selected cells' current values to new
// ones, each then held to the table's domain like a written value.
void transform_cells(const CellOverride& ov, const std::vector<int>& roles,
                     const std::vector<int>& sectors, const std::string& path, const Domain& d,
                     const Location& at, CellGrid& grid, BuildContext& ctx) {
  CellSelection sel{{}, &ctx.dims.roles, &ctx.dims.sectors, &path};
  std::vector<double> values;
  for (int r : roles) {
    for (int s : sectors) {
      sel.cells.push_back({r, s});
      values.push_back(grid.values(r, s));
    }
  }
  ov.transform(sel, values);
  for (std::size_t k = 0; k < sel.cells.size() && k < values.size(); ++k) {
    const auto [r, s] = sel.cells[k];
    if (check_domain(values[k], d, at, sel.cell_name(k), ctx)) grid.set(r, s, values[k]);
  }
}

// Overrides attached to the node by `overrides:` / `--set` (DESIGN.md 2.7):
// one selector per dimension, in the declared order role, sector.
void apply_cell_overrides(const Node& node, const std::string& path, const Domain& d,
                          CellGrid& grid, BuildContext& ctx) {
  if (node.cell_overrides.empty()) return;
  ctx.used_overrides.insert(&node);
  for (const auto& ov : node.cell_overrides) {
    const Location at = ov.value ? ov.value->loc : node.loc;
    if (ov.selectors.size() != 2) {
      report(ctx, at, ov.path, "",
             "a cell table takes 2 selectors (role, sector), found " +
                 std::to_string(ov.selectors.size()));
      continue;
    }
    const auto roles = select_labels(ov.selectors[0], ctx.dims.roles, "role", at, ov.path, ctx);
    const auto sectors =
        select_labels(ov.selectors[1], ctx.dims.sectors, "sector", at, ov.path, ctx);
    if (ov.transform) {
      if (roles && sectors) transform_cells(ov, *roles, *sectors, path, d, at, grid, ctx);
      continue;
    }
    if (!ov.value) continue;
    const auto v = read_in(*ov.value, ov.path, d, ctx);
    if (!roles || !sectors || !v) continue;
    for (int r : *roles) {
      for (int s : *sectors) grid.set(r, s, *v);
    }
  }
}

}  // namespace

// Forms of the scenario reference, later ones winning: a number or
// `default`, then `by_sector`, `by_role`, `by_cell`, `table` rows, and last
// the cell overrides.
Eigen::ArrayXXd read_cell_table(const Node& node, const std::string& path,
                                std::optional<double> fallback, const Domain& d,
                                BuildContext& ctx) {
  const int R = ctx.dims.n_roles();
  const int S = ctx.dims.n_sectors();
  CellGrid grid{Eigen::ArrayXXd::Constant(R, S, fallback.value_or(0.0)),
                Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(R, S, false)};
  if (node.is_scalar()) {
    if (const auto v = read_in(node, path, d, ctx)) grid.values.setConstant(*v);
    grid.covered.setConstant(true);  // a bad value was reported; no cascade
  } else if (node.is_map()) {
    check_keys(node, path, {"default", "by_sector", "by_role", "by_cell", "table"}, ctx);
    if (const Node* def = optional_key(node, "default")) {
      if (const auto v = read_in(*def, child_path(path, "default"), d, ctx)) {
        grid.values.setConstant(*v);
      }
      grid.covered.setConstant(true);
    }
    if (const Node* n = optional_key(node, "by_sector")) {
      read_by_dim(*n, child_path(path, "by_sector"), false, d, grid, ctx);
    }
    if (const Node* n = optional_key(node, "by_role")) {
      read_by_dim(*n, child_path(path, "by_role"), true, d, grid, ctx);
    }
    if (const Node* n = optional_key(node, "by_cell")) {
      read_by_cell(*n, child_path(path, "by_cell"), path, d, grid, ctx);
    }
    if (const Node* n = optional_key(node, "table")) read_cell_csv(*n, path, d, grid, ctx);
  } else if (!node.is_null()) {
    report(ctx, node.loc, path, "", "expected a number or a cell table (a mapping)");
    grid.covered.setConstant(true);
  }
  apply_cell_overrides(node, path, d, grid, ctx);
  if (!fallback) {
    for (int r = 0; r < R; ++r) {
      for (int s = 0; s < S; ++s) {
        if (grid.covered(r, s)) continue;
        report(ctx, node.loc, cell_path(path, ctx.dims.roles[r], ctx.dims.sectors[s]), "",
               "no value for this cell (give default, by_role, by_sector, by_cell or a table "
               "row)");
      }
    }
  }
  return grid.values;
}

}  // namespace staffsim::config
