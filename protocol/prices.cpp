#include "protocol/prices.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace s3purge::protocol {

namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<double> price(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

}  // namespace

Result<Prices> parse_prices(std::string_view text) {
  Prices out;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto w = words(line);
    if (w.empty()) continue;
    const auto bad = [&](const std::string& what) {
      return Error(client_errc::invalid_config, "prices line " + std::to_string(line_no) + ": " + what);
    };
    if (w[0] == "currency" && w.size() == 2) {
      out.currency = std::string(w[1]);
    } else if (w[0] == "storage" && w.size() == 3) {
      const auto p = price(w[2]);
      if (!p) return bad("'" + std::string(w[2]) + "' is not a price (a number, 0 or more)");
      out.storage_gb_month[std::string(w[1])] = *p;
    } else if (w[0] == "request" && w.size() == 3) {
      const auto p = price(w[2]);
      if (!p) return bad("'" + std::string(w[2]) + "' is not a price (a number, 0 or more)");
      if (w[1] == "list") out.list_per_1000 = p;
      else if (w[1] == "delete") out.delete_per_1000 = p;
      else if (w[1] == "abort") out.abort_per_1000 = p;
      else return bad("request '" + std::string(w[1]) + "': list, delete or abort");
    } else {
      return bad("write `currency CODE`, `storage CLASS PRICE_PER_GB_MONTH` or `request list|delete|abort PRICE_PER_1000`");
    }
  }
  return out;
}

}  // namespace s3purge::protocol
