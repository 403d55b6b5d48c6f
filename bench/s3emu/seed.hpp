// Instant seeding, without HTTP:
//   bucket=NAME,objects=N,prefixes=P,versions=V,markers=M,uploads=U,old_uploads=U,
//   versioning=enabled|suspended|off,lock=governance|compliance,locked=K,
//   keys=plain|unicode|hostile|hashed,size=BYTES,region=R,replication=1,
//   classes=STANDARD:70,GLACIER:20,DEEP_ARCHIVE:10,age=0d..400d
// objects=N keys spread over P prefixes; versions=V versions of each key, the newest
// current; markers=M of those keys get a delete marker on top; uploads=U incomplete
// uploads with one part each (old_uploads=U more, started 30 days ago); locked=K keys whose versions are under the lock mode for a day.
// classes: each version's storage class, drawn by weight (default STANDARD). age: each key's
// entries get times in that span back from the seeding, the newest youngest, spaced at random
// (a version became noncurrent when the next was written); default: the seeding's second.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s3emu/store.hpp"

namespace s3emu {

struct SeedSpec {
  std::string bucket;
  std::uint64_t objects = 0;
  std::uint64_t prefixes = 1;
  std::uint64_t versions = 1;
  std::uint64_t markers = 0;
  std::uint64_t uploads = 0;
  std::uint64_t old_uploads = 0;  // initiated 30 days before the seeding
  Versioning versioning = Versioning::never;
  bool versioning_given = false;
  LockMode lock = LockMode::none;
  std::uint64_t locked = 0;
  std::string keys = "plain";
  std::uint64_t size = 1024;
  std::string region = "us-east-1";
  bool replication = false;
  std::vector<std::pair<std::uint8_t, std::uint64_t>> classes;  // storage class index, weight
  std::int64_t age_min = 0, age_max = 0;  // seconds before the seeding
};

std::optional<SeedSpec> parse_seed_spec(std::string_view spec, std::string& error);

// Creates the bucket (it must not exist) and fills it. Returns false with `error` set.
bool seed(Store& store, const SeedSpec& spec, std::int64_t now, std::string& error);

// The key of object `index` of `prefix_index` in a `keys` family; sorted by (prefix, index)
// for plain and unicode keys.
std::string seed_key(const std::string& family, std::uint64_t prefix_index, std::uint64_t index);

}  // namespace s3emu
