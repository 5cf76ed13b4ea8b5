#pragma once
// Text forms of numbers and names shared by the summary and the comparison:
// CSV fields, JSON values and fixed-width table cells. Internal header.
#include <string>
#include <string_view>

namespace staffsim::io {

// Shortest text that reads back to the same double; empty for NaN.
[[nodiscard]] std::string csv_number(double v);
// A CSV field, quoted when it holds a comma, quote or line break.
[[nodiscard]] std::string csv_field(std::string_view text);
// A JSON number (exact, as csv_number) or null for NaN and infinities.
[[nodiscard]] std::string json_number(double v);
// A JSON string literal with the escapes JSON requires.
[[nodiscard]] std::string json_string(std::string_view text);
// printf-formatted `v`, or "-" for NaN (a flow of the first year).
[[nodiscard]] std::string cell(double v, const char* format);

}  // namespace staffsim::io
