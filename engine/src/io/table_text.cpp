// Number and string forms for CSV, JSON and text tables (io/table_text.hpp).
#include "io/table_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace staffsim::io {

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  // std::to_chars without a precision gives the shortest exact text.
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isfinite(v) ? csv_number(v) : "null"; }

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
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
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string cell(double v, const char* format) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  // A small negative number rounded to zero prints as "0", not "-0".
  const std::string text = buf;
  const bool zero = text.find_first_not_of("-0.%") == std::string::npos;
  return zero && text.front() == '-' ? text.substr(1) : text;
}

}  // namespace staffsim::io
