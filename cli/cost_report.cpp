#include "cli/cost_report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli/text.hpp"
#include "protocol/storage_class.hpp"
#include "protocol/time_text.hpp"

namespace s3purge::cli {

namespace {

namespace json = boost::json;

std::string date_of(std::int64_t seconds) {
  return protocol::format_iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(seconds))).substr(0, 10);
}

std::string money(double amount, const protocol::Prices& p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", amount);
  return std::string(buf) + (p.currency.empty() ? "" : " " + p.currency);
}

std::optional<double> storage_price(const std::optional<protocol::Prices>& prices, protocol::StorageClass c) {
  if (!prices) return std::nullopt;
  const auto it = prices->storage_gb_month.find(protocol::storage_class_name(c));
  if (it == prices->storage_gb_month.end()) return std::nullopt;
  return it->second;
}

// The requests' price, where every kind the run sends has one.
std::optional<double> request_cost(const Requests& n, const std::optional<protocol::Prices>& prices) {
  if (!prices) return std::nullopt;
  double total = 0;
  for (const auto& [count, price] : {std::pair{n.list, prices->list_per_1000}, std::pair{n.deletes, prices->delete_per_1000},
                                     std::pair{n.aborts, prices->abort_per_1000}}) {
    if (count == 0) continue;
    if (!price) return std::nullopt;
    total += static_cast<double>(count) / 1000 * *price;
  }
  return total;
}

}  // namespace

void print_costs(std::ostream& out, const engine::PurgeReport& r, const Requests& requests,
                 const std::optional<protocol::Prices>& prices) {
  char row[240];
  bool header = false;
  for (std::size_t c = 0; c < r.by_class.size(); ++c) {
    const auto& k = r.by_class[c];
    if (k.entries == 0) continue;
    if (!header) {
      std::snprintf(row, sizeof row, "  %-22s %12s %12s\n", "storage class", "selected", "bytes");
      out << row;
      header = true;
    }
    // 48 columns, and what is inside its minimum duration on two lines below: 80 columns hold it.
    const auto cls = static_cast<protocol::StorageClass>(c);
    const int days = protocol::minimum_storage_days(cls);
    const std::string name = protocol::storage_class_name(cls) + (days ? " (" + std::to_string(days) + "d)" : "");
    std::snprintf(row, sizeof row, "  %-22s %12s %12s\n", name.c_str(), thousands(k.entries).c_str(),
                  bytes_text(k.bytes).c_str());
    out << row;
    if (!k.early) continue;
    char billed[48];
    std::snprintf(billed, sizeof billed, "%.4f GB-months", k.gb_months);
    out << "    inside its minimum: " << thousands(k.early) << " (" << bytes_text(k.early_bytes)
        << "), free to delete from " << date_of(k.free_from) << "\n"
        << "    deleting them now is billed " << billed;
    if (const auto price = storage_price(prices, cls)) out << " (" << money(k.gb_months * *price, *prices) << ")";
    else if (prices) out << " (no price for this class)";
    out << "\n";
  }
  if (!prices) return;  // the estimate below counts the requests
  out << "  requests: ~" << thousands(requests.list) << " list, " << thousands(requests.deletes) << " DeleteObjects, "
      << thousands(requests.aborts) << " AbortMultipartUpload";
  if (const auto cost = request_cost(requests, prices)) out << ": " << money(*cost, *prices);
  else out << " (the prices file lacks a request price)";
  out << "\n";
}

json::object costs_json(const engine::PurgeReport& r, const Requests& requests,
                        const std::optional<protocol::Prices>& prices) {
  json::object classes;
  for (std::size_t c = 0; c < r.by_class.size(); ++c) {
    const auto& k = r.by_class[c];
    if (k.entries == 0) continue;
    const auto cls = static_cast<protocol::StorageClass>(c);
    json::object o{{"entries", k.entries},
                   {"bytes", k.bytes},
                   {"minimum_days", protocol::minimum_storage_days(cls)},
                   {"inside_minimum", k.early},
                   {"inside_minimum_bytes", k.early_bytes},
                   {"gb_months_if_deleted_now", k.gb_months}};
    if (k.early) o["free_from"] = date_of(k.free_from);
    if (const auto price = storage_price(prices, cls)) o["charge_if_deleted_now"] = k.gb_months * *price;
    classes[protocol::storage_class_name(cls)] = std::move(o);
  }
  json::object out{{"classes", std::move(classes)},
                   {"requests", {{"list", requests.list}, {"delete", requests.deletes}, {"abort", requests.aborts}}}};
  if (const auto cost = request_cost(requests, prices)) out["requests_cost"] = *cost;
  if (prices) out["currency"] = prices->currency;
  return out;
}

void print_early_billed(std::ostream& out, const engine::PurgeReport& r, bool dry_run) {
  std::uint64_t early = 0;
  double gb_months = 0;
  for (const auto& k : r.by_class) {
    early += k.early;
    gb_months += k.gb_months;
  }
  if (early == 0) return;
  char billed[64];
  std::snprintf(billed, sizeof billed, "%.4f", gb_months);
  out << "  " << thousands(early) << " of the entries taken were inside their storage class's minimum duration: "
      << (dry_run ? "deleting them is" : "their deletion is") << " billed about " << billed
      << " GB-months (--skip-early-deletion-charges keeps them)\n";
}

void print_kept_for_charges(std::ostream& out, const engine::PurgeReport& r, const std::string& target,
                            bool selective_otherwise) {
  int longest = 0;
  for (std::size_t c = 0; c < r.by_class.size(); ++c) {
    const auto& k = r.by_class[c];
    if (!k.early) continue;
    const auto cls = static_cast<protocol::StorageClass>(c);
    longest = std::max(longest, protocol::minimum_storage_days(cls));
    out << "  kept " << thousands(k.early) << " " << protocol::storage_class_name(cls)
        << " entries inside their minimum duration: free to delete from " << date_of(k.free_from) << "\n";
  }
  if (longest == 0) return;
  if (selective_otherwise) {
    out << "  a lifecycle rule expiring them " << longest << " days after they were written deletes them at no charge\n";
  } else {
    out << "  to let S3 delete them at no charge: s3purge lifecycle install " << target << " --days " << longest << "\n";
  }
}

}  // namespace s3purge::cli
