// Paths and overrides (DESIGN.md 2.7): one grammar for `--set`, `overrides:`,
// `with_overrides` and, later, uncertainty and sweeps:
//   path := segment ('.' segment)*
//   segment := name ('[' selector (',' selector)* ']')?
//   selector := label | '*' | label ('|' label)*
#include <cctype>
#include <string>
#include <vector>

#include "scenario/config_tree.hpp"

namespace staffsim::config {

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool is_identifier(std::string_view s) {
  if (s.empty() || !is_ident_start(s[0])) return false;
  for (char c : s) {
    if (!is_ident_char(c)) return false;
  }
  return true;
}

// A non-negative decimal number: digits, optionally '.' and digits.
bool is_number(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) return false;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// Labels are identifiers, numbers (years, tenure edges) or ranges such as
// `70+`, `18-29` or `0.5-2`.
bool is_label(std::string_view s) {
  if (is_identifier(s) || is_number(s)) return true;
  if (s.size() > 1 && s.back() == '+') return is_number(s.substr(0, s.size() - 1));
  const std::size_t dash = s.find('-');
  return dash != std::string_view::npos && is_number(s.substr(0, dash)) &&
         is_number(s.substr(dash + 1));
}

// Thrown inside parse_path only, with the 1-based character position.
struct PathError {
  std::string what;
  std::size_t position;
};

// One selector between '[' and ']' or ',': '*' or labels joined by '|'.
std::string check_selector(std::string_view raw, std::size_t start) {
  const std::string sel(trim(raw));
  if (sel.empty()) throw PathError{"empty selector", start + 1};
  if (sel == "*") return sel;
  const std::size_t lead = raw.find_first_not_of(" \t");
  std::size_t from = 0;
  while (true) {
    const std::size_t bar = sel.find('|', from);
    const std::string label = sel.substr(from, bar == std::string::npos ? bar : bar - from);
    const std::size_t pos = start + lead + from + 1;
    if (label == "*") throw PathError{"'*' cannot be combined with other labels", pos};
    if (!is_label(label)) {
      throw PathError{label.empty() ? "empty label" : "bad label '" + label + "'", pos};
    }
    if (bar == std::string::npos) break;
    from = bar + 1;
  }
  return sel;
}

std::vector<PathSegment> parse_segments(const std::string& path) {
  if (path.empty()) throw PathError{"empty path", 1};
  std::vector<PathSegment> out;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    PathSegment seg;
    if (path[i] == '"') {
      // A quoted key: any map key, e.g. an age band `bands."18-29"`.
      const std::size_t close = path.find('"', i + 1);
      if (close == std::string::npos) throw PathError{"unclosed '\"'", i + 1};
      seg.name = path.substr(i + 1, close - i - 1);
      if (seg.name.empty()) throw PathError{"empty quoted key", i + 1};
      i = close + 1;
      if (i < path.size() && path[i] != '.' && path[i] != '[') {
        throw PathError{
            std::string("expected '.' or '[' after a quoted key, found '") + path[i] + "'", i + 1};
      }
    } else {
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      seg.name = path.substr(start, i - start);
    }
    if (seg.name.empty()) throw PathError{"empty segment", start + 1};
    if (path[start] != '"' && !is_identifier(seg.name) && !is_number(seg.name)) {
      std::size_t bad = 0;
      while (bad < seg.name.size() && is_ident_char(seg.name[bad])) ++bad;
      throw PathError{"'" + seg.name + "' is not a name", start + bad + 1};
    }
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) throw PathError{"unclosed '['", i + 1};
      std::size_t sel_start = i + 1;
      while (true) {
        const std::size_t comma = path.find(',', sel_start);
        const std::size_t end = (comma == std::string::npos || comma > close) ? close : comma;
        const std::string_view raw(path.data() + sel_start, end - sel_start);
        seg.selectors.push_back(check_selector(raw, sel_start));
        if (end == close) break;
        sel_start = end + 1;
      }
      i = close + 1;
    }
    out.push_back(std::move(seg));
    if (i == path.size()) return out;
    if (path[i] != '.') {
      throw PathError{std::string("expected '.' after ']', found '") + path[i] + "'", i + 1};
    }
    ++i;
    if (i == path.size()) throw PathError{"empty segment", i + 1};
  }
}

std::string names_of(const Node& seq) {
  std::string out;
  for (const auto& item : seq.items) {
    const Node* name = item && item->is_map() ? item->get("name") : nullptr;
    if (name != nullptr && name->is_scalar()) out += (out.empty() ? "" : ", ") + name->scalar;
  }
  return out;
}

std::vector<std::string> keys_of(const Node& map) {
  std::vector<std::string> out;
  for (const auto& [k, v] : map.entries) out.push_back(k);
  return out;
}

// Everything one override needs while it walks the tree.
struct Walk {
  const std::vector<PathSegment>& segs;
  const NodePtr& value;
  const std::string& full_path;
  Diagnostics& diags;

  void fail(const std::string& rule) const {
    diags.error(value->loc, full_path, to_flow(*value), rule);
  }

  void set_entry(Node& map, std::size_t at, const std::string& key) const {
    if (value->is_null()) {  // `null` deletes, as in a child file
      if (at < map.entries.size()) {
        map.entries.erase(map.entries.begin() + static_cast<std::ptrdiff_t>(at));
        map.key_locations.erase(map.key_locations.begin() + static_cast<std::ptrdiff_t>(at));
      }
    } else if (at < map.entries.size()) {
      map.entries[at].second = deep_copy(*value);
    } else {
      map.entries.emplace_back(key, deep_copy(*value));
      map.key_locations.push_back(value->loc);
    }
  }

  // Applies segment `i` onward below `node`, the value at `here`.
  void step(Node& node, std::size_t i, const std::string& here) const {
    const PathSegment& seg = segs[i];
    const bool last = i + 1 == segs.size();
    if (!node.is_map()) {
      fail("'" + (here.empty() ? std::string("the scenario") : here) + "' is a " +
           kind_name(node.kind) + ", not a map: it has no key '" + seg.name + "'");
      return;
    }
    std::size_t at = node.entries.size();
    for (std::size_t j = 0; j < node.entries.size(); ++j) {
      if (node.entries[j].first == seg.name) at = j;
    }
    const std::string path = join_key(here, seg.name);
    if (at == node.entries.size() && !(last && seg.selectors.empty())) {
      fail("unknown key '" + seg.name + "' " +
           (here.empty() ? std::string("at the top level") : "in " + here) +
           did_you_mean(seg.name, keys_of(node)));
      return;
    }
    if (seg.selectors.empty()) {
      if (last) {
        set_entry(node, at, seg.name);
      } else {
        descend(*node.entries[at].second, i + 1, path);
      }
      return;
    }
    Node& target = *node.entries[at].second;
    if (target.is_seq()) {
      select_items(target, i, path);
    } else if (last) {
      // A dimensioned parameter: the builder applies the cell override.
      target.cell_overrides.push_back(CellOverride{seg.selectors, deep_copy(*value), full_path});
    } else {
      fail("'" + path + "' is a " + std::string(kind_name(target.kind)) +
           ": cell selectors [...] must end the path");
    }
  }

  void descend(Node& node, std::size_t i, const std::string& here) const {
    if (node.is_seq()) {
      const std::string names = names_of(node);
      fail("'" + here + "' is a list: pick items by name, e.g. " + here + "[" +
           (names.empty() ? std::string("name") : names.substr(0, names.find(','))) + "]." +
           segs[i].name);
      return;
    }
    step(node, i, here);
  }

  // A selector on a list picks its items by `name`.
  void select_items(Node& seq, std::size_t i, const std::string& path) const {
    const PathSegment& seg = segs[i];
    if (seg.selectors.size() != 1) {
      fail("'" + path + "' is a list: it takes one selector (item names), not " +
           std::to_string(seg.selectors.size()));
      return;
    }
    const std::string& sel = seg.selectors[0];
    std::vector<std::size_t> picked;
    std::vector<std::string> names;
    for (std::size_t j = 0; j < seq.items.size(); ++j) {
      const Node* name =
          seq.items[j] && seq.items[j]->is_map() ? seq.items[j]->get("name") : nullptr;
      if (name == nullptr || !name->is_scalar()) continue;
      names.push_back(name->scalar);
      if (matches(sel, name->scalar)) picked.push_back(j);
    }
    if (picked.empty()) {
      const std::string first = sel.substr(0, sel.find('|'));
      fail("no item named '" + sel + "' in " + path + "; items: " + names_of(seq) +
           did_you_mean(first, names));
      return;
    }
    for (std::size_t j : picked) {
      const std::string item_path = path + "[" + seq.items[j]->get("name")->scalar + "]";
      if (i + 1 == segs.size()) {
        seq.items[j] = deep_copy(*value);  // the whole item is replaced
      } else {
        descend(*seq.items[j], i + 1, item_path);
      }
    }
  }
};

}  // namespace

// Problems are reported with the position (1-based) where the path goes
// wrong, e.g. "bad path 'a..b': empty segment at character 3".
std::vector<PathSegment> parse_path(const std::string& path, const Location& at,
                                    Diagnostics& diags) {
  try {
    return parse_segments(path);
  } catch (const PathError& e) {
    std::string rule = "bad path '" + path + "': " + e.what;
    if (path.empty()) {
      diags.error(at, "", "", rule);
    } else {
      diags.error(at, "", "", rule + " at character " + std::to_string(e.position));
    }
  }
  return {};
}

// Walks the tree by segment names: map keys, list items by name, and a cell
// selector on the last segment attached to the parameter as a CellOverride.
// A missing last key is created in an existing map; a missing intermediate
// key is an error with a did-you-mean.
void apply_override(const NodePtr& root, const std::string& path, const NodePtr& value,
                    Diagnostics& diags) {
  if (!root || !value) return;
  const std::vector<PathSegment> segs = parse_path(path, value->loc, diags);
  if (segs.empty()) return;
  const Walk walk{segs, value, path, diags};
  walk.descend(*root, 0, "");
}

std::string join_key(const std::string& path, const std::string& key) {
  // Keys that are not names (age bands such as 18-29) are quoted, so the
  // path reads back through the grammar.
  const std::string k = is_identifier(key) || is_number(key) ? key : "\"" + key + "\"";
  return path.empty() ? k : path + "." + k;
}

bool matches(const std::string& selector, const std::string& name) {
  if (selector == "*") return true;
  std::size_t from = 0;
  while (true) {
    const std::size_t bar = selector.find('|', from);
    if (selector.substr(from, bar == std::string::npos ? bar : bar - from) == name) return true;
    if (bar == std::string::npos) return false;
    from = bar + 1;
  }
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

}  // namespace staffsim::config
