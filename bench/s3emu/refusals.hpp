// Operations the emulator refuses, as a server that implements less or a role allowed less
// would: --deny answers 403 AccessDenied, as an IAM policy does (DeleteObject denied also
// refuses each key of a DeleteObjects, which IAM authorizes key by key); --not-implemented
// answers 501 NotImplemented, or 405 MethodNotAllowed where given as OP=405.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace s3emu {

struct Refusals {
  std::map<std::string, bool, std::less<>> denied;          // op -> true
  std::map<std::string, int, std::less<>> not_implemented;  // op -> 501 or 405

  bool any() const { return !denied.empty() || !not_implemented.empty(); }
};

// The operation names routes carry ("DeleteObjects", "ListObjectVersions", ...).
bool is_operation(std::string_view op);

// "OP,OP,..." for --deny and "OP[=405],..." for --not-implemented, added to `into`;
// false and `error` set on an unknown operation or status.
bool parse_denied(std::string_view spec, Refusals& into, std::string& error);
bool parse_not_implemented(std::string_view spec, Refusals& into, std::string& error);

}  // namespace s3emu
