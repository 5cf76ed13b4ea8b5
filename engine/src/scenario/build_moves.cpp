// `supply.destinations` (where turnover leavers go, DESIGN.md 2.2 step 1) and
// `supply.promotion` (routes of step 4: no cycles, min_tenure on a band edge).
#include <algorithm>
#include <functional>
#include <set>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// A move as written, before it is checked against the cell that uses it.
struct WrittenMove {
  Move move;
  Location at;
  std::string path;
};

struct WrittenSplit {
  double exit_share = 0.0;
  std::vector<WrittenMove> moves;
  bool ok = false;
};

// Reads one split; shares in [0, 1] summing to 1 within 1e-9.
WrittenSplit read_split(const Node& n, const std::string& path, BuildContext& ctx) {
  WrittenSplit out;
  if (!expect_map(n, path, ctx)) return out;
  check_keys(n, path, {"exit", "same_sector", "to_sector", "to_role", "to_role_sector"}, ctx);
  bool ok = true;
  double sum = 0.0;
  auto share = [&](const Node& v, const std::string& p) {
    const auto x = read_in(v, p, kShare, ctx);
    ok = ok && x.has_value();
    sum += x.value_or(0.0);
    return x.value_or(0.0);
  };
  if (const Node* e = optional_key(n, "exit")) out.exit_share = share(*e, child_path(path, "exit"));
  if (const Node* s = optional_key(n, "same_sector")) {
    const std::string p = child_path(path, "same_sector");
    out.moves.push_back({Move{MoveKind::same_sector, 0, 0, share(*s, p)}, s->loc, p});
  }
  for (const bool roles : {false, true}) {
    const char* key = roles ? "to_role" : "to_sector";
    const Node* m = optional_key(n, key);
    const std::string mpath = child_path(path, key);
    if (m == nullptr || !expect_map(*m, mpath, ctx)) continue;
    for (std::size_t i = 0; i < m->entries.size(); ++i) {
      const auto& [label, v] = m->entries[i];
      if (label == "source" || label == "assumed") continue;
      const Location at = key_at(*m, i);
      const auto idx = find_label(label, roles ? ctx.dims.roles : ctx.dims.sectors,
                                  roles ? "role" : "sector", at, mpath, ctx);
      const std::string p = child_path(mpath, label);
      const double x = share(*v, p);
      if (!idx) {
        ok = false;
        continue;
      }
      Move mv{roles ? MoveKind::to_role : MoveKind::to_sector, roles ? *idx : 0, roles ? 0 : *idx,
              x};
      out.moves.push_back({mv, v->loc, p});
    }
  }
  if (const Node* list = optional_key(n, "to_role_sector")) {
    const std::string lpath = child_path(path, "to_role_sector");
    if (expect_seq(*list, lpath, ctx)) {
      for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& item = *list->items[i];
        const std::string p = lpath + "[" + std::to_string(i) + "]";
        if (!expect_map(item, p, ctx)) {
          ok = false;
          continue;
        }
        check_keys(item, p, {"role", "sector", "share"}, ctx);
        const Node* r = require_key(item, "role", p, ctx);
        const Node* s = require_key(item, "sector", p, ctx);
        const Node* x = require_key(item, "share", p, ctx);
        const auto ri = r ? read_role(*r, child_path(p, "role"), ctx) : std::nullopt;
        const auto si = s ? read_sector(*s, child_path(p, "sector"), ctx) : std::nullopt;
        const double v = x ? share(*x, child_path(p, "share")) : 0.0;
        if (!ri || !si || !x) {
          ok = false;
          continue;
        }
        out.moves.push_back({Move{MoveKind::to_role_sector, *ri, *si, v}, item.loc, p});
      }
    }
  }
  if (ok) ok = check_sum_to_one(sum, n.loc, path, ctx);
  out.ok = ok;
  return out;
}

// A move must leave the cell: to_sector not the own sector, to_role not the
// own role, to_role_sector changing both (DESIGN.md 3).
bool check_moves_for_cell(const WrittenSplit& split, Role r, Sector s, bool general,
                          std::set<std::string>& reported, BuildContext& ctx) {
  bool ok = true;
  for (const auto& wm : split.moves) {
    const Move& m = wm.move;
    std::string rule;
    if (m.kind == MoveKind::to_sector && m.to_sector == s) {
      rule = "a move to the leaver's own sector; use same_sector";
    } else if (m.kind == MoveKind::to_role && m.to_role == r) {
      rule = "a move to the leaver's own role; use same_sector";
    } else if (m.kind == MoveKind::to_role_sector && (m.to_role == r || m.to_sector == s)) {
      rule = m.to_role == r && m.to_sector == s ? "a move to the leaver's own role and sector; "
                                                  "use same_sector"
             : m.to_role == r                   ? "a move to the leaver's own role; use to_sector"
                                                : "a move to the leaver's own sector; use to_role";
    }
    if (rule.empty()) continue;
    ok = false;
    if (general) rule += " (applies to " + ctx.dims.roles[r] + " in " + ctx.dims.sectors[s] + ")";
    if (reported.insert(wm.path + rule).second) {
      report(ctx, wm.at, wm.path, format_number(m.share), rule);
    }
  }
  return ok;
}

}  // namespace

// The most specific level wins, whole splits: by_cell, by_role, default,
// then "everyone exits".
void build_destinations(const Node& supply, Scenario& sc, BuildContext& ctx) {
  const Dimensions& dims = sc.dims;
  sc.destinations.assign(static_cast<std::size_t>(dims.n_role_sectors()), DestinationSplit{});
  const Node* n = optional_key(supply, "destinations");
  const std::string path = "supply.destinations";
  if (n == nullptr || !expect_map(*n, path, ctx)) return;
  check_keys(*n, path, {"default", "by_role", "by_cell"}, ctx);
  std::vector<const WrittenSplit*> chosen(sc.destinations.size(), nullptr);
  std::vector<bool> general(sc.destinations.size(), false);
  std::vector<std::unique_ptr<WrittenSplit>> store;
  auto keep = [&](const Node& node, const std::string& p) {
    store.push_back(std::make_unique<WrittenSplit>(read_split(node, p, ctx)));
    return store.back().get();
  };
  if (const Node* d = optional_key(*n, "default")) {
    const WrittenSplit* w = keep(*d, child_path(path, "default"));
    std::fill(chosen.begin(), chosen.end(), w);
    std::fill(general.begin(), general.end(), true);
  }
  if (const Node* br = optional_key(*n, "by_role");
      br && expect_map(*br, child_path(path, "by_role"), ctx)) {
    for (std::size_t i = 0; i < br->entries.size(); ++i) {
      const auto& [role, split] = br->entries[i];
      if (role == "source" || role == "assumed") continue;
      const auto r =
          find_label(role, dims.roles, "role", key_at(*br, i), child_path(path, "by_role"), ctx);
      const WrittenSplit* w = keep(*split, child_path(child_path(path, "by_role"), role));
      if (!r) continue;
      for (Sector s = 0; s < dims.n_sectors(); ++s) {
        chosen[static_cast<std::size_t>(dims.rs(*r, s))] = w;
        general[static_cast<std::size_t>(dims.rs(*r, s))] = dims.n_sectors() > 1;
      }
    }
  }
  if (const Node* bc = optional_key(*n, "by_cell");
      bc && expect_map(*bc, child_path(path, "by_cell"), ctx)) {
    for (std::size_t i = 0; i < bc->entries.size(); ++i) {
      const auto& [role, row] = bc->entries[i];
      if (role == "source" || role == "assumed") continue;
      const std::string rpath = child_path(child_path(path, "by_cell"), role);
      const auto r =
          find_label(role, dims.roles, "role", key_at(*bc, i), child_path(path, "by_cell"), ctx);
      if (!r || !expect_map(*row, rpath, ctx)) continue;
      for (std::size_t j = 0; j < row->entries.size(); ++j) {
        const auto& [sector, split] = row->entries[j];
        if (sector == "source" || sector == "assumed") continue;
        const auto s = find_label(sector, dims.sectors, "sector", key_at(*row, j), rpath, ctx);
        const WrittenSplit* w = keep(*split, child_path(rpath, sector));
        if (!s) continue;
        chosen[static_cast<std::size_t>(dims.rs(*r, *s))] = w;
        general[static_cast<std::size_t>(dims.rs(*r, *s))] = false;
      }
    }
  }
  std::set<std::string> reported;
  for (Role r = 0; r < dims.n_roles(); ++r) {
    for (Sector s = 0; s < dims.n_sectors(); ++s) {
      const auto rs = static_cast<std::size_t>(dims.rs(r, s));
      const WrittenSplit* w = chosen[rs];
      if (w == nullptr || !w->ok) continue;
      if (!check_moves_for_cell(*w, r, s, general[rs], reported, ctx)) continue;
      DestinationSplit& out = sc.destinations[rs];
      out.exit_share = w->exit_share;
      for (const auto& wm : w->moves) {
        if (wm.move.share > 0.0) out.moves.push_back(wm.move);
      }
    }
  }
}

// Routes fill vacancies of `to` from eligible staff of `from` in the same
// sector; min_tenure must be a band edge; routes must not form a cycle.
void build_promotion(const Node& supply, Scenario& sc, BuildContext& ctx) {
  const Node* n = optional_key(supply, "promotion");
  const std::string path = "supply.promotion";
  if (n == nullptr || !expect_seq(*n, path, ctx)) return;
  std::vector<Location> route_at;
  std::vector<std::string> route_path;
  for (std::size_t i = 0; i < n->items.size(); ++i) {
    const Node& item = *n->items[i];
    std::string p = path + "[" + std::to_string(i) + "]";
    if (!expect_map(item, p, ctx)) continue;
    const Node* name = require_key(item, "name", p, ctx);
    if (name && name->is_scalar()) p = path + "[" + name->scalar + "]";
    check_keys(item, p, {"name", "from", "to", "max_rate", "min_tenure", "sectors"}, ctx);
    PromotionRoute route;
    if (name) route.name = name->scalar;
    for (const auto& other : sc.promotion) {
      if (name && other.name == route.name) {
        report(ctx, name->loc, p, route.name, "duplicate route name");
      }
    }
    const Node* from = require_key(item, "from", p, ctx);
    const Node* to = require_key(item, "to", p, ctx);
    const Node* rate = require_key(item, "max_rate", p, ctx);
    const auto f = from ? read_role(*from, child_path(p, "from"), ctx) : std::nullopt;
    const auto t = to ? read_role(*to, child_path(p, "to"), ctx) : std::nullopt;
    const auto m = rate ? read_in(*rate, child_path(p, "max_rate"), kShare, ctx) : std::nullopt;
    bool ok = f && t && m && name;
    if (f && t && *f == *t) {
      report(ctx, to->loc, child_path(p, "to"), to->scalar,
             "a promotion must lead to another role");
      ok = false;
    }
    if (const Node* mt = optional_key(item, "min_tenure")) {
      const auto v = read_number(*mt, child_path(p, "min_tenure"), ctx);
      const auto& e = sc.dims.tenure_edges;
      const auto it = v ? find_edge(e, *v) : e.end();
      if (v && it == e.end()) {
        std::string edges;
        for (double x : e) edges += (edges.empty() ? "" : ", ") + format_number(x);
        report(ctx, mt->loc, child_path(p, "min_tenure"), mt->scalar,
               "min_tenure must be a tenure band edge (" + edges + ")");
      }
      ok = ok && it != e.end();
      if (it != e.end()) route.min_band = static_cast<Band>(it - e.begin());
    }
    if (const Node* ss = optional_key(item, "sectors")) {
      const auto labels = read_label_list(*ss, child_path(p, "sectors"), ctx);
      for (const auto& l : labels.value_or(std::vector<std::string>{})) {
        const auto s =
            find_label(l, sc.dims.sectors, "sector", ss->loc, child_path(p, "sectors"), ctx);
        if (s) route.sectors.push_back(*s);
        ok = ok && s.has_value();
      }
      ok = ok && labels.has_value();
    }
    if (!ok) continue;
    route.from = *f;
    route.to = *t;
    route.max_rate = *m;
    sc.promotion.push_back(route);
    route_at.push_back(item.loc);
    route_path.push_back(p);
  }
  // A cycle in any sector (DESIGN.md 2.2 step 4: topological order).
  std::set<std::string> cycles;
  for (Sector s = 0; s < sc.dims.n_sectors(); ++s) {
    const int R = sc.dims.n_roles();
    std::vector<std::vector<std::size_t>> out_routes(static_cast<std::size_t>(R));
    for (std::size_t i = 0; i < sc.promotion.size(); ++i) {
      const auto& rt = sc.promotion[i];
      if (rt.serves(s)) {
        out_routes[static_cast<std::size_t>(rt.from)].push_back(i);
      }
    }
    std::vector<int> state(static_cast<std::size_t>(R), 0);  // 0 new, 1 on stack, 2 done
    std::vector<std::size_t> stack;                          // routes taken
    std::function<void(Role)> visit = [&](Role r) {
      state[static_cast<std::size_t>(r)] = 1;
      for (std::size_t i : out_routes[static_cast<std::size_t>(r)]) {
        const Role next = sc.promotion[i].to;
        stack.push_back(i);
        if (state[static_cast<std::size_t>(next)] == 1) {
          std::size_t first = stack.size() - 1;
          while (sc.promotion[stack[first]].from != next) --first;
          std::string chain = sc.dims.roles[static_cast<std::size_t>(next)];
          for (std::size_t j = first; j < stack.size(); ++j) {
            chain += " -> " + sc.dims.roles[static_cast<std::size_t>(sc.promotion[stack[j]].to)];
          }
          if (cycles.insert(chain).second) {
            report(ctx, route_at[stack[first]], route_path[stack[first]], "",
                   "promotion routes form a cycle: " + chain);
          }
        } else if (state[static_cast<std::size_t>(next)] == 0) {
          visit(next);
        }
        stack.pop_back();
      }
      state[static_cast<std::size_t>(r)] = 2;
    };
    for (Role r = 0; r < R; ++r) {
      if (state[static_cast<std::size_t>(r)] == 0) visit(r);
    }
  }
}

}  // namespace staffsim::config
