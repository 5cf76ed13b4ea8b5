// Age ranges ("18-29", "70+", "45") and tenure ranges ("1-3", "20+") as the
// scenario reference defines them, and their spreading to single ages and to
// the engine's tenure bands.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <numeric>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {
// A whole-string number (no trailing text), for range bounds.
template <typename T>
std::optional<T> parse_whole(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  T v{};
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}
}  // namespace

// Completed years, inclusive; an open range runs to max_age. The bounds are
// checked separately (check_age_bounds) so the message can name them.
std::optional<AgeRange> parse_age_range(std::string_view text, int max_age) {
  text = trim(text);
  if (!text.empty() && text.back() == '+') {
    const auto lo = parse_whole<int>(text.substr(0, text.size() - 1));
    if (!lo || *lo < 0) return std::nullopt;
    return AgeRange{*lo, std::max(*lo, max_age)};
  }
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    const auto a = parse_whole<int>(text);
    if (!a || *a < 0) return std::nullopt;
    return AgeRange{*a, *a};
  }
  const auto lo = parse_whole<int>(text.substr(0, dash));
  const auto hi = parse_whole<int>(text.substr(dash + 1));
  if (!lo || !hi || *lo < 0 || *hi < *lo) return std::nullopt;
  return AgeRange{*lo, *hi};
}

bool check_age_bounds(const AgeRange& r, const std::string& text, const Location& at,
                      const std::string& path, BuildContext& ctx) {
  if (r.lo >= ctx.dims.min_age && r.hi <= ctx.dims.max_age) return true;
  report(ctx, at, path, text,
         "an age range must lie within [min_age, max_age] = [" + std::to_string(ctx.dims.min_age) +
             ", " + std::to_string(ctx.dims.max_age) + "]");
  return false;
}

// The ranges of one table must be disjoint (scenario reference, conventions).
bool check_disjoint(const std::vector<AgeRange>& ranges, const std::vector<Location>& at,
                    const std::vector<std::string>& texts, const std::string& path,
                    BuildContext& ctx) {
  std::vector<std::size_t> order(ranges.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ranges[a].lo < ranges[b].lo; });
  bool ok = true;
  for (std::size_t i = 1; i < order.size(); ++i) {
    const std::size_t prev = order[i - 1];
    const std::size_t cur = order[i];
    if (ranges[cur].lo <= ranges[prev].hi) {
      report(ctx, at[cur], child_path(path, texts[cur]), texts[cur],
             "age ranges of one table must not overlap (overlaps " + texts[prev] + ")");
      ok = false;
    }
  }
  return ok;
}

std::optional<std::vector<AgeEntry>> read_age_map(const Node& map, const std::string& path,
                                                  const Domain& d, BuildContext& ctx) {
  if (!expect_map(map, path, ctx)) return std::nullopt;
  std::vector<AgeEntry> out;
  std::vector<AgeRange> ranges;
  std::vector<Location> locs;
  std::vector<std::string> texts;
  bool ok = true;
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const auto& [key, value] = map.entries[i];
    if (key == "source" || key == "assumed") continue;
    const Location at = key_at(map, i);
    const std::string p = child_path(path, key);
    const auto range = parse_age_range(key, ctx.dims.max_age);
    if (!range) {
      report(ctx, at, p, key, "expected an age range like 18-29, 70+ or 45");
      ok = false;
      continue;
    }
    if (!check_age_bounds(*range, key, at, p, ctx)) ok = false;
    const auto v = read_in(*value, p, d, ctx);
    if (!v) {
      ok = false;
      continue;
    }
    out.push_back(AgeEntry{*range, *v, value->loc, p});
    ranges.push_back(*range);
    locs.push_back(at);
    texts.push_back(key);
  }
  if (!check_disjoint(ranges, locs, texts, path, ctx)) ok = false;
  if (!ok) return std::nullopt;
  return out;
}

Eigen::ArrayXd values_by_age(const std::vector<AgeEntry>& entries, const Dimensions& dims,
                             double fill) {
  Eigen::ArrayXd out = Eigen::ArrayXd::Constant(dims.n_ages(), fill);
  for (const auto& e : entries) {
    for (int a = e.range.lo; a <= e.range.hi; ++a) out(a - dims.min_age) = e.value;
  }
  return out;
}

// Years with the current employer in the current role: [lo, hi) or [lo, inf).
std::optional<TenureRange> parse_tenure_range(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.back() == '+') {
    const auto lo = parse_whole<double>(text.substr(0, text.size() - 1));
    if (!lo || *lo < 0) return std::nullopt;
    return TenureRange{*lo, kInf};
  }
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto lo = parse_whole<double>(text.substr(0, dash));
  const auto hi = parse_whole<double>(text.substr(dash + 1));
  if (!lo || !hi || *lo < 0 || *hi <= *lo) return std::nullopt;
  return TenureRange{*lo, *hi};
}

// Overlap of [lo, hi) with each band [e_k, e_k+1), uniform within the range
// (scenario reference, workforce). An open range lies wholly in the last band
// when it starts at or above its edge; below it the spread is undefined.
std::optional<Eigen::ArrayXd> tenure_overlap(const TenureRange& r, const Dimensions& dims) {
  const int K = dims.n_bands();
  Eigen::ArrayXd w = Eigen::ArrayXd::Zero(K);
  if (r.hi == kInf) {
    if (r.lo < dims.tenure_edges.back()) return std::nullopt;
    w(K - 1) = 1.0;
    return w;
  }
  for (int k = 0; k < K; ++k) {
    const double lo = dims.tenure_edges[k];
    const double hi = k + 1 < K ? dims.tenure_edges[k + 1] : kInf;
    w(k) = std::max(0.0, std::min(r.hi, hi) - std::max(r.lo, lo)) / (r.hi - r.lo);
  }
  return w;
}

std::vector<double>::const_iterator find_edge(const std::vector<double>& edges, double written) {
  return std::find_if(edges.begin(), edges.end(), [&](double e) {
    return e == written || std::abs(e - written) <= 5e-6 * std::max(1.0, std::abs(e));
  });
}

std::string band_label(const Dimensions& dims, Band k) {
  const std::string lo = format_number(dims.tenure_edges[k]);
  if (k + 1 >= dims.n_bands()) return lo + "+";
  return lo + "-" + format_number(dims.tenure_edges[k + 1]);
}

}  // namespace staffsim::config
