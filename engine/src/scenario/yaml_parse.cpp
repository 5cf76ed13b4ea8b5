// YAML text to a located tree (config_tree.hpp): every key and value keeps the
// file, line and column it was written at, so validation can point at it
// (DESIGN.md 3). yaml-cpp does the parsing; this file only converts.
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "scenario/config_tree.hpp"

namespace staffsim::config {

namespace {

// What every node converted from one text shares.
struct Source {
  std::string file;                // as the user named it
  std::filesystem::path base_dir;  // folder of the file
  bool fixed_location = false;     // --set values: every node gets `at`
  Location at;
};

Location location_of(const YAML::Mark& mark, const Source& src) {
  if (src.fixed_location) return src.at;
  if (mark.is_null()) return Location{src.file, 0, 0};
  return Location{src.file, mark.line + 1, mark.column + 1};
}

// yaml-cpp tags a quoted or block scalar "!" and a plain one "?"; an explicit
// `!!str` also makes a string. A quoted scalar is never a number.
bool is_quoted(const YAML::Node& n) {
  const std::string& tag = n.Tag();
  return tag == "!" || tag == "tag:yaml.org,2002:str";
}

std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string();
}

NodePtr convert(const YAML::Node& y, const Source& src, const std::string& path,
                Diagnostics& diags);

// Maps keep file order; a key written twice is an error at its second
// occurrence (yaml-cpp keeps both, silently using the first).
void convert_map(const YAML::Node& y, Node& out, const Source& src, const std::string& path,
                 Diagnostics& diags) {
  for (auto it = y.begin(); it != y.end(); ++it) {
    // Copies, not references: yaml-cpp's iterator hands out a temporary
    // proxy, and a reference to its members dangles (ASan: use after scope).
    const YAML::Node key = it->first;
    const YAML::Node value_node = it->second;
    const Location key_loc = location_of(key.Mark(), src);
    if (!key.IsScalar()) {
      diags.error(key_loc, path, "", "a key must be a plain name, not a list, map or null");
      continue;
    }
    const std::string name = key_text(key);
    const std::string child_path = path.empty() ? name : path + "." + name;
    if (out.get(name) != nullptr) {
      const Location first = out.key_location(name);
      diags.error(key_loc, child_path, "",
                  "duplicate key '" + name + "' (first written at " + first.file + ":" +
                      std::to_string(first.line) + ":" + std::to_string(first.column) + ")");
      continue;
    }
    NodePtr value = convert(value_node, src, child_path, diags);
    // An empty value (`key:` and nothing) has no position of its own: yaml-cpp
    // marks it at the next token, so point at the key instead.
    if (value->is_null() && !src.fixed_location &&
        (value->loc.line != key_loc.line || value->loc.line == 0)) {
      value->loc = key_loc;
    }
    out.entries.emplace_back(name, std::move(value));
    out.key_locations.push_back(key_loc);
  }
}

NodePtr convert(const YAML::Node& y, const Source& src, const std::string& path,
                Diagnostics& diags) {
  auto out = std::make_shared<Node>();
  out->loc = location_of(y.Mark(), src);
  out->base_dir = src.base_dir;
  switch (y.Type()) {
    case YAML::NodeType::Scalar:
      out->kind = Node::Kind::scalar;
      out->scalar = y.Scalar();
      out->quoted = is_quoted(y);
      break;
    case YAML::NodeType::Sequence: {
      out->kind = Node::Kind::sequence;
      std::size_t i = 0;
      for (const auto& item : y) {
        out->items.push_back(convert(item, src, path + "[" + std::to_string(i) + "]", diags));
        ++i;
      }
      break;
    }
    case YAML::NodeType::Map:
      out->kind = Node::Kind::map;
      convert_map(y, *out, src, path, diags);
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out->kind = Node::Kind::null;
      break;
  }
  return out;
}

// Reads the whole file, or throws IoError naming it and the system's reason.
std::string read_text_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    throw IoError("cannot read scenario file '" + file.generic_string() +
                  "': " + std::strerror(EISDIR));
  }
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno != 0 ? errno : ENOENT;
    throw IoError("cannot read scenario file '" + file.generic_string() +
                  "': " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw IoError("cannot read scenario file '" + file.generic_string() + "': read failed");
  }
  return text.str();
}

}  // namespace

// A syntax error becomes a diagnostic at yaml-cpp's mark (0-based, reported
// 1-based) and the result is nullptr; an empty file is an empty map.
NodePtr parse_yaml_file(const std::filesystem::path& file, Diagnostics& diags) {
  const std::string text = read_text_file(file);
  const std::string display = file.generic_string();
  diags.record_input(display, sha256_hex(text));
  Source src{display, file.parent_path(), false, {}};
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    diags.error(Location{display, e.mark.line + 1, e.mark.column + 1}, "", "",
                "YAML syntax error: " + e.msg);
    return nullptr;
  } catch (const YAML::Exception& e) {
    diags.error(Location{display, 0, 0}, "", "", std::string("YAML error: ") + e.what());
    return nullptr;
  }
  NodePtr root = convert(doc, src, "", diags);
  if (root->is_null()) {
    root->kind = Node::Kind::map;
    root->loc = Location{display, 1, 1};
  }
  return root;
}

// `--set` values are YAML scalars or flow collections; every node of the
// value is located at `at` (the command line has no lines). An empty text is
// the empty string, not null (null would delete the key). nullptr when the
// text is not YAML (reported).
NodePtr parse_yaml_value(const std::string& text, const Location& at, Diagnostics& diags) {
  Source src{at.file, {}, true, at};
  if (text.empty()) {
    auto out = std::make_shared<Node>();
    out->kind = Node::Kind::scalar;
    out->quoted = true;
    out->loc = at;
    return out;
  }
  try {
    return convert(YAML::Load(text), src, "", diags);
  } catch (const YAML::Exception& e) {
    diags.error(at, "", text, "cannot parse the value as YAML: " + e.msg);
  }
  return nullptr;
}

}  // namespace staffsim::config
