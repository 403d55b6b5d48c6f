// "name=value,name=value" option values (--seed, --fault), split once for both.
#pragma once

#include <string>
#include <string_view>

namespace s3emu {

// Calls item(name, value) for each item; stops at the first false (item sets `error`), or
// at an item without '=' (then `error` says "`what` 'item' needs =VALUE"). A value may be a
// list of "name:weight" pairs: "classes=STANDARD:70,GLACIER:30" is one item.
template <class F>
bool for_each_spec_item(std::string_view spec, std::string_view what, std::string& error, F item) {
  const auto continues = [](std::string_view rest) {
    const auto next = rest.substr(0, rest.find(','));
    return next.find('=') == std::string_view::npos && next.find(':') != std::string_view::npos;
  };
  while (!spec.empty()) {
    auto comma = spec.find(',');
    while (comma != std::string_view::npos && spec.substr(0, comma).find('=') != std::string_view::npos &&
           continues(spec.substr(comma + 1))) {
      comma = spec.find(',', comma + 1);
    }
    const std::string_view text = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) {
      error = std::string(what) + " '" + std::string(text) + "' needs =VALUE";
      return false;
    }
    if (!item(text.substr(0, eq), text.substr(eq + 1))) return false;
  }
  return true;
}

}  // namespace s3emu
