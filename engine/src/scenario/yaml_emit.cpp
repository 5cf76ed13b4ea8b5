// The merged tree back to YAML text: the resolved scenario stored with the
// results (DESIGN.md 4 provenance) and, annotated with where every value came
// from, the output of `staffsim show`. Block style, keys in merged order,
// scalars quoted only when YAML would otherwise read them differently.
#include <array>
#include <cctype>
#include <cstdio>
#include <string>

#include "scenario/config_tree.hpp"

namespace staffsim::config {

namespace {

bool is_number_like(const std::string& s) {
  if (s.empty()) return false;
  static const std::array<const char*, 6> specials = {".inf", "-.inf", "+.inf",
                                                      ".nan", ".Inf",  ".NaN"};
  for (const char* sp : specials) {
    if (s == sp) return true;
  }
  std::size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  bool digits = false;
  bool other = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (!(c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c == 'x' || c == 'o' ||
                 c == '_' || std::isxdigit(static_cast<unsigned char>(c)))) {
      other = true;
    }
  }
  return digits && !other;
}

// Words YAML 1.1/1.2 readers take as null or booleans.
bool is_reserved_word(const std::string& s) {
  static const std::array<const char*, 22> words = {
      "~",   "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
      "Yes", "YES",  "no",   "No",   "NO",   "on",   "On",   "ON",    "off",   "Off",   "OFF"};
  for (const char* w : words) {
    if (s == w) return true;
  }
  return false;
}

// Whether a plain (unquoted) scalar would not read back as the same text.
bool needs_quotes_for_syntax(const std::string& s, bool flow) {
  if (s.empty()) return true;
  if (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t') return true;
  const std::string indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(s.front()) != std::string::npos) {
    const bool dash_like = (s.front() == '-' || s.front() == '?' || s.front() == ':');
    if (!dash_like || s.size() == 1 || s[1] == ' ') return true;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  if (flow && s.find_first_of(",[]{}") != std::string::npos) return true;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          std::array<char, 8> buf{};
          std::snprintf(buf.data(), buf.size(), "\\x%02x", static_cast<unsigned>(c) & 0xffU);
          out += buf.data();
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A quoted scalar stays a string: it is quoted again when its text would read
// as a number, a boolean or null to any YAML reader (YAML 1.1 readers also
// take `1:30` as a number, so anything starting like a number is quoted).
std::string scalar_text(const std::string& s, bool quoted, bool flow) {
  const bool numberish = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) ||
                                        s[0] == '+' || s[0] == '-' || s[0] == '.');
  const bool typed = quoted && (numberish || is_number_like(s) || is_reserved_word(s));
  return (typed || needs_quotes_for_syntax(s, flow)) ? double_quoted(s) : s;
}

std::string key_text(const std::string& key) { return scalar_text(key, false, false); }

std::string where(const Location& loc) {
  std::string out = loc.file;
  if (loc.line > 0) out += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  return out;
}

// Multi-line text reads best as a literal block (`|`); text whose first line
// starts with a blank, or with other control characters, stays double-quoted.
bool literal_block(const Node& n) {
  if (!n.is_scalar() || n.scalar.find('\n') == std::string::npos) return false;
  const std::string& s = n.scalar;
  if (s.front() == ' ' || s.front() == '\t' || s.front() == '\n') return false;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) return false;
  }
  return true;
}

// Values written on one line: scalars, null and empty collections.
bool single_line(const Node& n) {
  return n.is_scalar() || n.is_null() || (n.is_map() && n.entries.empty()) ||
         (n.is_seq() && n.items.empty());
}

class Emitter {
 public:
  explicit Emitter(bool annotate) : annotate_(annotate) {}
  std::string text;

  void map_entries(const Node& map, int indent, const std::string* first_prefix) {
    for (std::size_t i = 0; i < map.entries.size(); ++i) {
      const std::string lead = (i == 0 && first_prefix != nullptr) ? *first_prefix : pad(indent);
      value(*map.entries[i].second, indent, lead + key_text(map.entries[i].first) + ":");
    }
  }

  // `line` holds "key:" (at `indent`); the value goes after it or below it.
  void value(const Node& n, int indent, const std::string& line) {
    if (literal_block(n)) {
      block(n, indent + 2, line);
      return;
    }
    if (single_line(n)) {
      text += line + " " + to_flow(n) + note(n) + "\n";
      cell_notes(n, indent);
      return;
    }
    text += line + "\n";
    cell_notes(n, indent + 2);
    if (n.is_map()) {
      map_entries(n, indent + 2, nullptr);
    } else {
      items(n, indent + 2);
    }
  }

  void items(const Node& seq, int indent) {
    for (const auto& item : seq.items) {
      const Node& n = *item;
      if (literal_block(n)) {
        block(n, indent + 2, pad(indent) + "-");
      } else if (single_line(n)) {
        text += pad(indent) + "- " + to_flow(n) + note(n) + "\n";
        cell_notes(n, indent + 2);
      } else if (n.is_map()) {
        cell_notes(n, indent);
        const std::string prefix = pad(indent) + "- ";
        map_entries(n, indent + 2, &prefix);
      } else {
        text += pad(indent) + "-\n";
        cell_notes(n, indent + 2);
        items(n, indent + 2);
      }
    }
  }

  // `line: |` then the text's lines at `indent`; the chomping indicator keeps
  // the trailing line breaks exact (`|-` none, `|` one, `|+` more).
  void block(const Node& n, int indent, const std::string& line) {
    const std::string& s = n.scalar;
    std::size_t body_end = s.size();
    while (body_end > 0 && s[body_end - 1] == '\n') --body_end;
    const std::size_t trailing = s.size() - body_end;
    const char* chomp = trailing == 0 ? "|-" : (trailing == 1 ? "|" : "|+");
    text += line + " " + chomp + note(n) + "\n";
    std::size_t from = 0;
    while (from < body_end) {
      std::size_t nl = s.find('\n', from);
      if (nl == std::string::npos || nl > body_end) nl = body_end;
      const std::string part = s.substr(from, nl - from);
      text += (part.empty() ? std::string() : pad(indent) + part) + "\n";
      from = nl + 1;
    }
    for (std::size_t i = 1; i < trailing; ++i) text += "\n";
    cell_notes(n, indent - 2);
  }

  // Cell overrides are applied by the builder; here they show as comments,
  // e.g. `# override [care_worker,private] = 0.3 (from --set)`.
  void cell_notes(const Node& n, int indent) {
    for (const auto& cell : n.cell_overrides) {
      std::string sel;
      for (const auto& s : cell.selectors) sel += (sel.empty() ? "" : ",") + s;
      text += pad(indent) + "# override [" + sel +
              "] = " + (cell.value ? to_flow(*cell.value) : std::string("null")) + " (from " +
              (cell.value ? where(cell.value->loc) : std::string("?")) + ")\n";
    }
  }

 private:
  bool annotate_;

  static std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent), ' '); }

  std::string note(const Node& n) const {
    if (!annotate_ || n.loc.file.empty()) return "";
    return "  # " + where(n.loc);
  }
};

}  // namespace

// Flow style for single-line contexts: messages, cell overrides, `[]`.
std::string to_flow(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::scalar:
      return scalar_text(node.scalar, node.quoted, false);
    case Node::Kind::sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        if (i > 0) out += ", ";
        const Node& item = *node.items[i];
        out += item.is_scalar() ? scalar_text(item.scalar, item.quoted, true) : to_flow(item);
      }
      return out + "]";
    }
    case Node::Kind::map: {
      std::string out = "{";
      for (std::size_t i = 0; i < node.entries.size(); ++i) {
        if (i > 0) out += ", ";
        const Node& v = *node.entries[i].second;
        out += scalar_text(node.entries[i].first, false, true) + ": " +
               (v.is_scalar() ? scalar_text(v.scalar, v.quoted, true) : to_flow(v));
      }
      return out + "}";
    }
  }
  return "";
}

std::string to_yaml(const Node& root, bool annotate) {
  Emitter out(annotate);
  if (root.is_map() && !root.entries.empty()) {
    out.cell_notes(root, 0);
    out.map_entries(root, 0, nullptr);
  } else if (root.is_seq() && !root.items.empty()) {
    out.items(root, 0);
  } else {
    out.value(root, 0, "---");
  }
  return out.text;
}

}  // namespace staffsim::config
