// The merge rules of `extends:` (DESIGN.md 3): maps deep-merge; lists whose
// items all have `name:` merge by name; other lists are replaced whole;
// `key: null` deletes a key; a value never changes kind. Every merged value
// keeps the Location of the file that wrote it.
#include <string>
#include <vector>

#include "scenario/config_tree.hpp"

namespace staffsim::config {

namespace {

std::string where(const Location& loc) {
  std::string out = loc.file;
  if (loc.line > 0) out += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  return out;
}

std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// The item's `name`, or "" when the item is not a map with a scalar name.
std::string item_name(const NodePtr& item) {
  if (!item || !item->is_map()) return "";
  const Node* name = item->get("name");
  return (name != nullptr && name->is_scalar()) ? name->scalar : "";
}

bool all_named(const std::vector<NodePtr>& items) {
  if (items.empty()) return false;
  for (const auto& item : items) {
    if (item_name(item).empty()) return false;
  }
  return true;
}

// `remove: true` (YAML's spellings of true) marks a by-name deletion.
bool marks_removal(const Node& item) {
  const Node* remove = item.get("remove");
  if (remove == nullptr || !remove->is_scalar() || remove->quoted) return false;
  const std::string& v = remove->scalar;
  return v == "true" || v == "True" || v == "TRUE" || v == "yes" || v == "Yes" || v == "on";
}

NodePtr without_key(const Node& map, std::string_view key) {
  auto out = deep_copy(map);
  for (std::size_t i = 0; i < out->entries.size(); ++i) {
    if (out->entries[i].first == key) {
      out->entries.erase(out->entries.begin() + static_cast<std::ptrdiff_t>(i));
      if (i < out->key_locations.size()) {
        out->key_locations.erase(out->key_locations.begin() + static_cast<std::ptrdiff_t>(i));
      }
      break;
    }
  }
  return out;
}

// Maps deep-merge: the parent's keys in their order, each replaced or merged
// by the child's value of that key, then the child's new keys; a child's
// `key: null` deletes the key. Cell overrides of both sides are kept.
NodePtr merge_maps(const Node& parent, const Node& child, const std::string& path,
                   Diagnostics& diags) {
  auto out = deep_copy(parent);
  for (std::size_t i = 0; i < child.entries.size(); ++i) {
    const auto& [key, value] = child.entries[i];
    const Location key_loc = i < child.key_locations.size() ? child.key_locations[i] : child.loc;
    std::size_t at = out->entries.size();
    for (std::size_t j = 0; j < out->entries.size(); ++j) {
      if (out->entries[j].first == key) at = j;
    }
    if (!value || value->is_null()) {
      if (at < out->entries.size()) {
        out->entries.erase(out->entries.begin() + static_cast<std::ptrdiff_t>(at));
        out->key_locations.erase(out->key_locations.begin() + static_cast<std::ptrdiff_t>(at));
      }
      continue;
    }
    if (at == out->entries.size()) {
      out->entries.emplace_back(key, deep_copy(*value));
      out->key_locations.push_back(key_loc);
    } else {
      out->entries[at].second = merge(out->entries[at].second, value, join_key(path, key), diags);
      out->key_locations[at] = key_loc;
    }
  }
  for (const auto& cell : child.cell_overrides) {
    out->cell_overrides.push_back(CellOverride{cell.selectors,
                                               cell.value ? deep_copy(*cell.value) : cell.value,
                                               cell.path, cell.transform});
  }
  return out;
}

// Lists of named items merge by name: a child item deep-merges into the
// parent's item of that name, a new name appends, `{name: x, remove: true}`
// deletes x.
NodePtr merge_named_lists(const Node& parent, const Node& child, const std::string& path,
                          Diagnostics& diags) {
  auto out = deep_copy(parent);
  out->loc = child.loc;
  for (const auto& item : child.items) {
    const std::string name = item_name(item);
    const std::string item_path = path + "[" + name + "]";
    std::size_t at = out->items.size();
    for (std::size_t j = 0; j < out->items.size(); ++j) {
      if (item_name(out->items[j]) == name) {
        at = j;
        break;
      }
    }
    if (marks_removal(*item)) {
      if (at == out->items.size()) {
        std::vector<std::string> names;
        for (const auto& p : out->items) names.push_back(item_name(p));
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        diags.error(item->loc, item_path, "",
                    "no item named '" + name + "' to remove in " + path + "; items: " + list +
                        did_you_mean(name, names));
      } else {
        out->items.erase(out->items.begin() + static_cast<std::ptrdiff_t>(at));
      }
      continue;
    }
    const NodePtr clean = item->get("remove") != nullptr ? without_key(*item, "remove") : item;
    if (at == out->items.size()) {
      out->items.push_back(deep_copy(*clean));
    } else {
      out->items[at] = merge(out->items[at], clean, item_path, diags);
    }
  }
  return out;
}

}  // namespace

// One rule per kind pair; a child that changes the kind of a value (map,
// list, scalar) is an error naming both places, and the child's value is kept
// so that validation can go on.
NodePtr merge(const NodePtr& parent, const NodePtr& child, const std::string& path,
              Diagnostics& diags) {
  if (!child) return parent ? deep_copy(*parent) : nullptr;
  if (!parent || parent->is_null() || child->is_null()) return deep_copy(*child);
  if (parent->kind != child->kind) {
    diags.error(child->loc, path, "",
                std::string("a ") + kind_name(child->kind) + " cannot replace the " +
                    kind_name(parent->kind) + " written at " + where(parent->loc) +
                    " (merging keeps a value's kind: map, list or scalar)");
    return deep_copy(*child);
  }
  if (parent->is_map()) return merge_maps(*parent, *child, path, diags);
  if (parent->is_seq() && all_named(child->items) &&
      (parent->items.empty() || all_named(parent->items))) {
    return merge_named_lists(*parent, *child, path, diags);
  }
  return deep_copy(*child);
}

}  // namespace staffsim::config
