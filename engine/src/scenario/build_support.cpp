// Readers and checks shared by the scenario builder. Every problem goes to the
// Diagnostics in the shape "file:line:col: path = value: rule" (DESIGN.md 3).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdio>

#include "scenario/build_support.hpp"

namespace staffsim::config {

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string cell_path(const std::string& parent, const std::string& role,
                      const std::string& sector) {
  return parent + "[" + role + "," + sector + "]";
}

// Shortest text that reads back as the same double, so messages show the
// value the user wrote (0.2, not 0.200000).
std::string format_number(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

// Unknown keys and labels name the closest candidate (the loader's rule, so
// every message suggests alike).
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  return did_you_mean(word, candidates);
}

void report(BuildContext& ctx, const Location& at, const std::string& path,
            const std::string& value, const std::string& rule) {
  ctx.diags.error(at, path, value, rule);
}

// Every mapping may carry provenance; anything else must be a known key.
void check_keys(const Node& map, const std::string& path,
                std::initializer_list<std::string_view> allowed, BuildContext& ctx) {
  if (!map.is_map()) return;
  std::vector<std::string> known(allowed.begin(), allowed.end());
  known.emplace_back("source");
  known.emplace_back("assumed");
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const std::string& key = map.entries[i].first;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const Location at = key_at(map, i);
    report(ctx, at, child_path(path, key), "", "unknown key" + suggestion(key, known));
  }
}

const Node* optional_key(const Node& map, std::string_view key) {
  if (!map.is_map()) return nullptr;
  for (const auto& [k, v] : map.entries) {
    if (k == key) return (v && !v->is_null()) ? v.get() : nullptr;
  }
  return nullptr;
}

const Node* require_key(const Node& map, std::string_view key, const std::string& path,
                        BuildContext& ctx) {
  const Node* n = optional_key(map, key);
  if (n == nullptr) report(ctx, map.loc, child_path(path, key), "", "missing required key");
  return n;
}

Location key_at(const Node& map, std::size_t i) {
  return i < map.key_locations.size() ? map.key_locations[i] : map.loc;
}

bool expect_map(const Node& n, const std::string& path, BuildContext& ctx) {
  if (n.is_map()) return true;
  report(ctx, n.loc, path, n.scalar, "expected a mapping");
  return false;
}

bool expect_seq(const Node& n, const std::string& path, BuildContext& ctx) {
  if (n.is_seq()) return true;
  report(ctx, n.loc, path, n.scalar, "expected a list");
  return false;
}

namespace {
// YAML 1.2 spellings of infinity and NaN, which read_number rejects by name.
bool is_non_finite_text(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN";
}
}  // namespace

// YAML 1.2 core-schema numbers: decimal integers and floats; quoted scalars
// are strings. Non-finite values are not numbers here (read_number says why).
std::optional<double> parse_number(const Node& n) {
  if (!n.is_scalar() || n.quoted) return std::nullopt;
  std::string_view s = n.scalar;
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0.0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return std::nullopt;
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> read_number(const Node& n, const std::string& path, BuildContext& ctx) {
  if (auto v = parse_number(n)) return v;
  if (n.is_scalar() && !n.quoted && is_non_finite_text(n.scalar)) {
    report(ctx, n.loc, path, n.scalar, "a number must be finite");
  } else if (n.is_scalar()) {
    report(ctx, n.loc, path, n.scalar, "expected a number");
  } else {
    report(ctx, n.loc, path, "",
           n.is_map() ? "expected a number, not a mapping" : "expected a number, not a list");
  }
  return std::nullopt;
}

std::optional<int> read_integer(const Node& n, const std::string& path, BuildContext& ctx) {
  const auto v = read_number(n, path, ctx);
  if (!v) return std::nullopt;
  if (std::floor(*v) != *v || std::abs(*v) > 1e9) {
    report(ctx, n.loc, path, n.scalar, "expected an integer");
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<std::string> read_text(const Node& n, const std::string& path, BuildContext& ctx) {
  if (n.is_scalar()) return n.scalar;
  report(ctx, n.loc, path, "",
         n.is_map() ? "expected text, not a mapping" : "expected text, not a list");
  return std::nullopt;
}

std::optional<bool> read_bool(const Node& n, const std::string& path, BuildContext& ctx) {
  if (n.is_scalar() && !n.quoted) {
    const std::string& v = n.scalar;
    if (v == "true" || v == "True" || v == "TRUE") return true;
    if (v == "false" || v == "False" || v == "FALSE") return false;
  }
  report(ctx, n.loc, path, n.is_scalar() ? n.scalar : to_flow(n), "expected true or false");
  return std::nullopt;
}

std::optional<std::string> read_choice(const Node& n, const std::string& path,
                                       const std::vector<std::string>& choices, BuildContext& ctx) {
  auto s = read_text(n, path, ctx);
  if (!s) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *s) != choices.end()) return s;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  report(ctx, n.loc, path, *s, "expected one of " + list + suggestion(*s, choices));
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_label_list(const Node& n, const std::string& path,
                                                        BuildContext& ctx) {
  if (!n.is_seq()) {
    report(ctx, n.loc, path, n.scalar, "expected a list of labels");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = *n.items[i];
    if (!item.is_scalar()) {
      report(ctx, item.loc, path + "[" + std::to_string(i) + "]", "", "expected a list of labels");
      ok = false;
      continue;
    }
    out.push_back(item.scalar);
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<int> find_label(const std::string& label, const std::vector<std::string>& labels,
                              const char* what, const Location& at, const std::string& path,
                              BuildContext& ctx) {
  const auto it = std::find(labels.begin(), labels.end(), label);
  if (it != labels.end()) return static_cast<int>(it - labels.begin());
  report(ctx, at, path, label, std::string("unknown ") + what + suggestion(label, labels));
  return std::nullopt;
}

std::optional<Role> read_role(const Node& n, const std::string& path, BuildContext& ctx) {
  const auto s = read_text(n, path, ctx);
  if (!s) return std::nullopt;
  return find_label(*s, ctx.dims.roles, "role", n.loc, path, ctx);
}

std::optional<Sector> read_sector(const Node& n, const std::string& path, BuildContext& ctx) {
  const auto s = read_text(n, path, ctx);
  if (!s) return std::nullopt;
  return find_label(*s, ctx.dims.sectors, "sector", n.loc, path, ctx);
}

bool Domain::contains(double v) const {
  const bool above = lo_closed ? v >= lo : v > lo;
  const bool below = hi_closed ? v <= hi : v < hi;
  return above && below;
}

bool check_domain(double v, const Domain& d, const Location& at, const std::string& path,
                  BuildContext& ctx) {
  if (d.contains(v)) return true;
  report(ctx, at, path, format_number(v), d.rule);
  return false;
}

std::optional<double> read_in(const Node& n, const std::string& path, const Domain& d,
                              BuildContext& ctx) {
  const auto v = read_number(n, path, ctx);
  if (!v || !check_domain(*v, d, n.loc, path, ctx)) return std::nullopt;
  return v;
}

bool check_sum_to_one(double sum, const Location& at, const std::string& path, BuildContext& ctx) {
  if (std::abs(sum - 1.0) <= 1e-9) return true;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.12g", sum);  // 0.9, not 0.8999999999999999
  report(ctx, at, path, std::string("sum ") + buf, "shares must sum to 1 (within 1e-9)");
  return false;
}

}  // namespace staffsim::config
