// --prices FILE: what the provider charges, as the user writes it down; s3purge never
// guesses a price. One setting per line, `#` starts a comment:
//
//   currency USD
//   storage GLACIER 0.0036          # per GB-month, by storage class as listings name it
//   storage DEEP_ARCHIVE 0.00099
//   request list 0.005              # per 1,000 requests: list, delete, abort
//   request delete 0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace s3purge::protocol {

struct Prices {
  std::string currency;  // as written; empty: none said
  std::map<std::string, double, std::less<>> storage_gb_month;  // by class name
  std::optional<double> list_per_1000, delete_per_1000, abort_per_1000;
};

// The file's text; an error names the line and what is wrong with it.
Result<Prices> parse_prices(std::string_view text);

}  // namespace s3purge::protocol
