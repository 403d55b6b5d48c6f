// Deterministic fault injection: each request's fate is a hash of (--fault-seed, the
// request's arrival number), so a run with the same seed and arrival order misbehaves the
// same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace s3emu {

struct FaultRates {
  double slowdown = 0;      // 503 SlowDown instead of executing
  double internal = 0;      // 500 InternalError instead of executing
  double reset = 0;         // executed, then the connection is reset mid-response
  double key_error = 0;     // per key of a DeleteObjects: InternalError, key kept
  double error_in_200 = 0;  // 200 whose body is <Error><Code>InternalError</Code>, not executed
  double truncate = 0;      // executed, body cut short and the connection closed
  double lost_delete = 0;   // per key of a DeleteObjects: reported deleted, key kept (a lying server)
  // Answers of S3 clones that a client must not take at their word:
  double versionless_error = 0;  // per key: InternalError whose <Error> names no VersionId (moto)
  double unmatched = 0;     // per DeleteObjects: executed, and its answer also names a key not sent
  double verbose = 0;       // per DeleteObjects: Quiet ignored, the first entry kept and not named
  bool any() const {
    return slowdown + internal + reset + key_error + error_in_200 + truncate + lost_delete +
               versionless_error + unmatched + verbose > 0;
  }
};

// "slowdown=0.05,internal=0.01,..." ; nullopt and `error` set on bad input.
std::optional<FaultRates> parse_fault_rates(std::string_view spec, std::string& error);

// over_capacity is not drawn: the capacity model's SlowDown, counted as a throttle only.
enum class RequestFault { none, slowdown, internal, reset, error_in_200, truncate, over_capacity };
std::string_view to_string(RequestFault f);

class FaultInjector {
 public:
  FaultInjector(FaultRates rates, std::uint64_t seed) : rates_(rates), seed_(seed) {}
  RequestFault draw(std::uint64_t request_seq) const;
  bool key_error(std::uint64_t request_seq, std::size_t key_index) const;
  bool lost_delete(std::uint64_t request_seq, std::size_t key_index) const;
  bool versionless_error(std::uint64_t request_seq, std::size_t key_index) const;
  bool unmatched(std::uint64_t request_seq) const;
  bool verbose(std::uint64_t request_seq) const;
  const FaultRates& rates() const { return rates_; }

 private:
  double uniform(std::uint64_t a, std::uint64_t b) const;  // [0, 1)
  FaultRates rates_;
  std::uint64_t seed_;
};

}  // namespace s3emu
