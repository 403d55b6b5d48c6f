#include "engine/range_journal.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace s3purge::engine {

using protocol::Error;

namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string encode(std::string_view bytes) {
  std::string out = "x";
  for (const unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string encode_bound(const std::optional<std::string>& bound) {
  return bound ? encode(std::string_view(*bound)) : "-";
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view field) {
  if (field.empty() || field[0] != 'x' || field.size() % 2 == 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i < field.size(); i += 2) {
    const int hi = nibble(field[i]), lo = nibble(field[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// A bound: "-" is an open end.
bool decode_bound(std::string_view field, std::optional<std::string>& out) {
  if (field == "-") {
    out.reset();
    return true;
  }
  out = decode(field);
  return out.has_value();
}

}  // namespace

RangeJournal::RangeJournal(std::string path, std::FILE* file, std::vector<Line> lines)
    : path_(std::move(path)), file_(file), lines_(std::move(lines)) {}

RangeJournal::~RangeJournal() { std::fclose(file_); }

protocol::Result<std::unique_ptr<RangeJournal>> RangeJournal::open(const std::string& path) {
  std::vector<Line> lines;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    std::size_t start = 0, line_no = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      if (end == std::string::npos) break;  // a last line cut short: ignored
      ++line_no;
      std::istringstream fields(text.substr(start, end - start));
      start = end + 1;
      std::string word, after, through, prefix_field;
      Line l;
      fields >> word >> l.listing >> l.bucket >> prefix_field >> after >> through;
      const auto prefix = decode(prefix_field);
      std::string rest;
      l.done = word == "done";
      const bool ok = (l.done || word == "begun") && (l.listing == "entries" || l.listing == "uploads") &&
                      !l.bucket.empty() && prefix && decode_bound(after, l.range.after) &&
                      decode_bound(through, l.range.through) && !(fields >> rest);
      if (!ok) {
        return Error(protocol::client_errc::invalid_config,
                     "--state-file " + path + ": line " + std::to_string(line_no) +
                         " is not an s3purge state line");
      }
      l.prefix = *prefix;
      lines.push_back(std::move(l));
    }
  }
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (!f) {
    return Error(protocol::client_errc::invalid_config,
                 "cannot write --state-file " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<RangeJournal>(new RangeJournal(path, f, std::move(lines)));
}

std::vector<KeyRange> RangeJournal::done(std::string_view bucket, std::string_view prefix,
                                         std::string_view listing) const {
  std::vector<KeyRange> out;
  for (const auto& l : lines_) {
    if (l.done && l.bucket == bucket && l.prefix == prefix && l.listing == listing) out.push_back(l.range);
  }
  return merge(std::move(out));
}

bool RangeJournal::begun_before(std::string_view bucket, std::string_view prefix) const {
  for (const auto& l : lines_) {
    if (l.bucket == bucket && l.prefix == prefix) return true;
  }
  return false;
}

std::optional<protocol::Error> RangeJournal::record_begun(std::string_view bucket, std::string_view prefix) {
  return write("begun entries " + std::string(bucket) + " " + encode(prefix) + " - -\n");
}

std::optional<protocol::Error> RangeJournal::record(std::string_view bucket, std::string_view prefix,
                                            std::string_view listing, const KeyRange& range) {
  return write("done " + std::string(listing) + " " + std::string(bucket) + " " + encode(prefix) + " " +
               encode_bound(range.after) + " " + encode_bound(range.through) + "\n");
}

std::optional<protocol::Error> RangeJournal::write(const std::string& line) {
  if (write_failed_) return std::nullopt;
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    write_failed_ = true;
    return Error(protocol::client_errc::invalid_config,
                 "cannot write --state-file " + path_ + ": " + std::strerror(errno));
  }
  return std::nullopt;
}

}  // namespace s3purge::engine
