#include "protocol/key_list.hpp"

#include "protocol/utf8.hpp"

namespace s3purge::protocol {

namespace {

constexpr std::size_t kMaxKeyBytes = 1024;  // S3's limit on a key, in UTF-8 bytes

}  // namespace

Result<std::optional<KeyLine>> parse_key_line(std::string_view line, std::string_view prefix) {
  auto bad = [](std::string why) { return Error(client_errc::invalid_key, std::move(why)); };
  if (line.empty()) return std::optional<KeyLine>();
  if (line.back() == '\r') {
    return bad("the line ends in a carriage return (a CRLF file?); convert it with dos2unix");
  }
  const auto tab = line.find('\t');
  const std::string_view key = line.substr(0, tab);
  const std::string_view version = tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
  if (key.empty()) return bad("the key is empty");
  if (!is_utf8(line)) return bad("the line is not UTF-8 (S3 keys are UTF-8)");
  if (tab != std::string_view::npos && version.empty()) return bad("a tab but no version id after it");
  if (version.find('\t') != std::string_view::npos) return bad("more than one tab");
  if (prefix.size() + key.size() > kMaxKeyBytes) {
    return bad("the key is longer than S3's 1024 bytes");
  }
  KeyLine out;
  out.key.reserve(prefix.size() + key.size());
  out.key.append(prefix).append(key);
  out.version_id = version;
  return std::optional<KeyLine>(std::move(out));
}

}  // namespace s3purge::protocol
