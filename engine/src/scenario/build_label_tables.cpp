// Tables over two label sets (the need tables of DESIGN.md 2.3: prevalence by
// client group and age group, mix by client group and service, ratio by
// service and role, provider by service and sector), written as nested maps
// or as a CSV, with cell overrides from `overrides:` / `--set`.
#include <sstream>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// Cells as read so far and where each row was first given.
struct Grid {
  LabelTable table;
  bool ok = true;
  void set(int r, int c, double v, const Location& at) {
    table.values(r, c) = v;
    mark(r, at);
  }
  void mark(int r, const Location& at) {
    if (!table.row_given[static_cast<std::size_t>(r)]) {
      table.row_given[static_cast<std::size_t>(r)] = true;
      table.row_at[static_cast<std::size_t>(r)] = at;
    }
  }
};

// A cell named like a cell-table cell: path[row,col].
std::string pair_path(const std::string& path, const std::string& row, const std::string& col) {
  return path + "[" + row + "," + col + "]";
}

// `{row: {col: value}}`; a value is named by its cell, path[row,col].
void read_nested(const Node& n, const std::string& path, const LabelAxis& rows,
                 const LabelAxis& cols, const Domain& d, Grid& grid, BuildContext& ctx) {
  for (std::size_t i = 0; i < n.entries.size(); ++i) {
    const auto& [row, body] = n.entries[i];
    if (row == "source" || row == "assumed" || row == "table") continue;
    const auto r = find_label(row, *rows.labels, rows.what, key_at(n, i), path, ctx);
    const std::string rpath = child_path(path, row);
    if (!r || !expect_map(*body, rpath, ctx)) {
      grid.ok = false;
      continue;
    }
    for (std::size_t j = 0; j < body->entries.size(); ++j) {
      const auto& [col, value] = body->entries[j];
      if (col == "source" || col == "assumed") continue;
      const auto c = find_label(col, *cols.labels, cols.what, key_at(*body, j), rpath, ctx);
      const auto v = read_in(*value, pair_path(path, row, col), d, ctx);
      if (c && v) {
        grid.set(*r, *c, *v, body->loc);
      } else {
        grid.ok = false;
      }
    }
    grid.mark(*r, body->loc);  // a row written as an empty map is a row of zeros
  }
}

// CSV with columns <row>,<col>,value; each cell in one row only.
void read_csv_rows(const Node& name, const std::string& path, const LabelAxis& rows,
                   const LabelAxis& cols, const Domain& d, Grid& grid, BuildContext& ctx) {
  const auto csv = open_csv(name, child_path(path, "table"), ctx);
  if (!csv) {
    grid.ok = false;
    return;
  }
  const Location head{csv->display_name, 1, 0};
  for (const auto& h : csv->header) {
    if (h != rows.column && h != cols.column && h != "value" && h != "source" && h != "assumed") {
      report(ctx, head, path, h,
             std::string("unexpected CSV column (expected ") + rows.column + "," + cols.column +
                 ",value)");
      grid.ok = false;
    }
  }
  const int rc = csv_column(*csv, rows.column, head, path, ctx);
  const int cc = csv_column(*csv, cols.column, head, path, ctx);
  const int vc = csv_column(*csv, "value", head, path, ctx);
  if (rc < 0 || cc < 0 || vc < 0) {
    grid.ok = false;
    return;
  }
  Eigen::ArrayXXi first_row =
      Eigen::ArrayXXi::Zero(grid.table.values.rows(), grid.table.values.cols());
  for (std::size_t i = 0; i < csv->rows.size(); ++i) {
    const auto& row = csv->rows[i];
    const Location at = csv_row_location(*csv, i);
    if (row.size() != csv->header.size()) {
      report(ctx, at, path, "", "expected " + std::to_string(csv->header.size()) + " fields");
      grid.ok = false;
      continue;
    }
    const auto r = find_label(row[rc], *rows.labels, rows.what, at, path, ctx);
    const auto c = find_label(row[cc], *cols.labels, cols.what, at, path, ctx);
    if (!r || !c) {
      grid.ok = false;
      continue;
    }
    const std::string p = pair_path(path, row[rc], row[cc]);
    Node cell;
    cell.kind = Node::Kind::scalar;
    cell.scalar = row[vc];
    cell.loc = at;
    const auto v = read_in(cell, p, d, ctx);
    if (first_row(*r, *c) != 0) {
      report(
          ctx, at, p, row[vc],
          "duplicate row for this cell (first at row " + std::to_string(first_row(*r, *c)) + ")");
      grid.ok = false;
      continue;
    }
    first_row(*r, *c) = at.line;
    if (v) {
      grid.set(*r, *c, *v, at);
    } else {
      grid.ok = false;
    }
  }
}

// One selector: "*", a label, or labels joined by '|'.
std::optional<std::vector<int>> select(const std::string& selector, const LabelAxis& axis,
                                       const Location& at, const std::string& path,
                                       BuildContext& ctx) {
  std::vector<int> out;
  if (selector == "*") {
    for (int i = 0; i < static_cast<int>(axis.labels->size()); ++i) out.push_back(i);
    return out;
  }
  std::stringstream in(selector);
  std::string label;
  bool ok = true;
  while (std::getline(in, label, '|')) {
    const auto idx = find_label(label, *axis.labels, axis.what, at, path, ctx);
    if (idx) out.push_back(*idx);
    ok = ok && idx.has_value();
  }
  if (!ok || out.empty()) return std::nullopt;
  return out;
}

// Overrides attached to the node, one selector per axis in the order rows,
// columns (DESIGN.md 2.7).
void apply_overrides(const Node& n, const std::string& path, const LabelAxis& rows,
                     const LabelAxis& cols, const Domain& d, Grid& grid, BuildContext& ctx) {
  if (n.cell_overrides.empty()) return;
  ctx.used_overrides.insert(&n);
  for (const auto& ov : n.cell_overrides) {
    const Location at = ov.value ? ov.value->loc : n.loc;
    if (ov.selectors.size() != 2) {
      report(ctx, at, ov.path, "",
             std::string("this table takes 2 selectors (") + rows.column + ", " + cols.column +
                 "), found " + std::to_string(ov.selectors.size()));
      grid.ok = false;
      continue;
    }
    const auto rs = select(ov.selectors[0], rows, at, ov.path, ctx);
    const auto cs = select(ov.selectors[1], cols, at, ov.path, ctx);
    if (ov.transform) {
      if (!rs || !cs) {
        grid.ok = false;
        continue;
      }
      // uncertainty: new values from the current ones, each held to `d`.
      CellSelection sel{{}, rows.labels, cols.labels, &path};
      std::vector<double> values;
      for (int r : *rs) {
        for (int c : *cs) {
          sel.cells.push_back({r, c});
          values.push_back(grid.table.values(r, c));
        }
      }
      ov.transform(sel, values);
      for (std::size_t k = 0; k < sel.cells.size() && k < values.size(); ++k) {
        const auto [r, c] = sel.cells[k];
        if (check_domain(values[k], d, at, sel.cell_name(k), ctx)) {
          grid.set(r, c, values[k], at);
        } else {
          grid.ok = false;
        }
      }
      continue;
    }
    const auto v = ov.value ? read_in(*ov.value, ov.path, d, ctx) : std::nullopt;
    if (!rs || !cs || !v) {
      grid.ok = false;
      continue;
    }
    for (int r : *rs) {
      for (int c : *cs) grid.set(r, c, *v, at);
    }
  }
}

}  // namespace

// Map rows, then CSV rows, then cell overrides; missing cells are 0.
std::optional<LabelTable> read_label_table(const Node& n, const std::string& path,
                                           const LabelAxis& rows, const LabelAxis& cols,
                                           const Domain& d, BuildContext& ctx) {
  const auto R = static_cast<Eigen::Index>(rows.labels->size());
  const auto C = static_cast<Eigen::Index>(cols.labels->size());
  Grid grid{LabelTable{Eigen::ArrayXXd::Zero(R, C), std::vector<bool>(static_cast<std::size_t>(R)),
                       std::vector<Location>(static_cast<std::size_t>(R), n.loc)}};
  if (!expect_map(n, path, ctx)) return std::nullopt;
  read_nested(n, path, rows, cols, d, grid, ctx);
  if (const Node* t = optional_key(n, "table")) read_csv_rows(*t, path, rows, cols, d, grid, ctx);
  apply_overrides(n, path, rows, cols, d, grid, ctx);
  if (!grid.ok) return std::nullopt;
  return std::move(grid.table);
}

}  // namespace staffsim::config
