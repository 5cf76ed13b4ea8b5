// CSV tables named by a scenario (DESIGN.md 3: YAML for the scenario, CSV
// for tables) and the SHA-256 digests recorded for every input file.
#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "scenario/config_tree.hpp"

namespace staffsim::config {

namespace {

struct DigestContext {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using DigestPtr = std::unique_ptr<EVP_MD_CTX, DigestContext>;

DigestPtr start_sha256() {
  DigestPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw IoError("SHA-256 is not available from OpenSSL");
  }
  return ctx;
}

std::string finish_hex(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, digest.data(), &len) != 1) {
    throw IoError("SHA-256 computation failed");
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4U];
    out += hex[digest[i] & 0xfU];
  }
  return out;
}

// Splits the text into records: RFC 4180 quoting ("" inside quotes is one
// quote; a quoted field may span lines), CRLF or LF line ends, surrounding
// blanks of unquoted fields trimmed. Each record carries the physical line it
// starts on; blank lines and lines starting with '#' are skipped.
class CsvReader {
 public:
  CsvReader(const std::string& text, std::string display, Diagnostics& diags)
      : text_(text), display_(std::move(display)), diags_(diags) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // UTF-8 byte order mark
  }

  // False at the end of the text.
  bool next(std::vector<std::string>& fields, int& row) {
    while (pos_ < text_.size()) {
      const std::size_t eol = line_end(pos_);
      const std::string_view line(text_.data() + pos_, eol - pos_);
      const std::size_t first = line.find_first_not_of(" \t\r");
      if (first == std::string_view::npos || line[first] == '#') {
        advance_line(eol);
        continue;
      }
      row = line_;
      fields.clear();
      read_record(fields);
      return true;
    }
    return false;
  }

 private:
  const std::string& text_;
  std::string display_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;
  int line_ = 1;

  std::size_t line_end(std::size_t from) const {
    const std::size_t nl = text_.find('\n', from);
    return nl == std::string::npos ? text_.size() : nl;
  }

  void advance_line(std::size_t eol) {
    pos_ = eol < text_.size() ? eol + 1 : eol;
    ++line_;
  }

  void read_record(std::vector<std::string>& fields) {
    const int start_line = line_;
    std::string field;
    bool was_quoted = false;
    while (true) {
      const char c = pos_ < text_.size() ? text_[pos_] : '\n';
      if (c == '"' && trim(field).empty() && !was_quoted) {
        field.clear();
        was_quoted = true;
        read_quoted(field, start_line);
        continue;
      }
      if (c == ',' || c == '\n' || c == '\r') {
        fields.push_back(was_quoted ? field : trim(field));
        field.clear();
        was_quoted = false;
        if (c == ',') {
          ++pos_;
          continue;
        }
        if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') {
          ++pos_;  // a lone CR ends the record too
          ++line_;
          return;
        }
        advance_line(line_end(pos_));
        return;
      }
      if (was_quoted && c != ' ' && c != '\t') {
        diags_.error(Location{display_, start_line, 0}, "", "",
                     "unexpected text after a closing quote");
        was_quoted = false;
      }
      if (!was_quoted) field += c;
      ++pos_;
    }
  }

  void read_quoted(std::string& field, int start_line) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        return;
      }
      if (c == '\n') ++line_;
      if (!(c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) field += c;
      ++pos_;
    }
    diags_.error(Location{display_, start_line, 0}, "", "",
                 "a quoted field is not closed before the end of the file");
  }

  static std::string trim(const std::string& s) {
    const std::size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    const std::size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
  }
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  DigestPtr ctx = start_sha256();
  if (EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1) {
    throw IoError("SHA-256 computation failed");
  }
  return finish_hex(ctx.get());
}

// Read in blocks so large inputs are not held twice.
std::string sha256_file(const std::filesystem::path& file) {
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw IoError("cannot read '" + file.generic_string() +
                  "': " + std::strerror(errno != 0 ? errno : ENOENT));
  }
  DigestPtr ctx = start_sha256();
  std::array<char, 65536> buf{};
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0 && EVP_DigestUpdate(ctx.get(), buf.data(), got) != 1) {
      throw IoError("SHA-256 computation failed");
    }
  }
  if (in.bad()) throw IoError("cannot read '" + file.generic_string() + "': read failed");
  return finish_hex(ctx.get());
}

// Every problem goes to diags, an unreadable file included (reported at the
// YAML value that names the table), so validation lists them all. Rows are
// numbered by physical line; the digest is of the bytes parsed.
CsvTable read_csv(const std::filesystem::path& file, const Location& named_at, Diagnostics& diags) {
  CsvTable table;
  table.file = file;
  table.display_name = file.lexically_normal().generic_string();
  std::error_code ec;
  const bool is_dir = std::filesystem::is_directory(file, ec);
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in || is_dir) {
    const int err = is_dir ? EISDIR : (errno != 0 ? errno : ENOENT);
    diags.error(named_at, "", "",
                "cannot read table '" + table.display_name + "' (resolved to " +
                    std::filesystem::absolute(file).lexically_normal().generic_string() +
                    "): " + std::strerror(err));
    return table;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  diags.record_input(table.display_name, sha256_hex(text));

  CsvReader reader(text, table.display_name, diags);
  std::vector<std::string> fields;
  int row = 0;
  if (!reader.next(fields, row)) {
    diags.error(named_at, "", "", "table '" + table.display_name + "' has no header row");
    return table;
  }
  table.header = fields;
  while (reader.next(fields, row)) {
    if (fields.size() != table.header.size()) {
      diags.error(Location{table.display_name, row, 0}, "", "",
                  "expected " + std::to_string(table.header.size()) + " fields, found " +
                      std::to_string(fields.size()));
      continue;
    }
    table.rows.push_back(fields);
    table.row_numbers.push_back(row);
  }
  return table;
}

}  // namespace staffsim::config
