#include "s3emu/store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "protocol/crypto.hpp"

namespace s3emu {

const std::vector<std::string_view>& storage_class_names() {
  static const std::vector<std::string_view> names{
      "STANDARD",   "STANDARD_IA",        "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER",
      "DEEP_ARCHIVE", "REDUCED_REDUNDANCY", "IA",       "Archive",             "ColdArchive", "DeepColdArchive"};
  return names;
}

std::optional<std::uint8_t> storage_class_index(std::string_view name) {
  const auto& names = storage_class_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

std::string Version::etag() const {
  std::string out = "\"" + s3purge::protocol::hex_lower(md5);
  if (parts) out += "-" + std::to_string(parts);
  return out + "\"";
}

std::string Store::version_id_for(std::uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "v%014llx", static_cast<unsigned long long>(seq));
  return buf;
}

std::optional<std::uint64_t> Store::seq_of(std::string_view id) {
  if (id.size() != 15 || id[0] != 'v') return std::nullopt;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), v, 16);
  if (ec != std::errc() || ptr != id.data() + id.size()) return std::nullopt;
  return v;
}

Bucket* Store::find(std::string_view bucket) {
  const auto it = buckets_.find(bucket);
  return it == buckets_.end() ? nullptr : &it->second;
}

bool Store::create(std::string_view bucket, std::string region, bool object_lock,
                   std::int64_t now) {
  if (find(bucket)) return false;
  Bucket& b = buckets_[std::string(bucket)];
  b.region = std::move(region);
  b.created = now;
  b.object_lock = object_lock;
  if (object_lock) b.versioning = Versioning::enabled;  // object lock implies versioning
  return true;
}

namespace {

// Removes the versions `pred` selects, with their bodies; returns how many.
template <class Pred>
std::size_t erase_versions(Bucket& b, std::vector<Version>& versions, Pred pred) {
  std::size_t n = 0;
  for (auto it = versions.begin(); it != versions.end();) {
    if (pred(*it)) {
      if (!b.bodies.empty()) b.bodies.erase(it->seq);
      it = versions.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

}  // namespace

const Version& Store::put(Bucket& b, std::string_view key, std::optional<std::string> body,
                          std::uint64_t size, const Md5& md5, std::uint16_t parts,
                          std::int64_t now, LockMode lock, std::int64_t retain_until,
                          bool legal_hold, std::uint8_t storage_class) {
  auto it = b.keys.find(key);
  if (it == b.keys.end()) it = b.keys.emplace(std::string(key), KeyEntry{}).first;
  auto& versions = it->second.versions;
  Version v;
  v.seq = next_seq();
  v.size = size;
  v.md5 = md5;
  v.parts = parts;
  v.last_modified = now;
  v.lock = lock;
  v.retain_until = retain_until;
  v.legal_hold = legal_hold;
  v.storage_class = storage_class;
  if (b.object_lock && lock == LockMode::none && b.default_lock != LockMode::none) {
    v.lock = b.default_lock;
    v.retain_until = now + b.default_lock_days * 86400;
  }
  if (b.versioning == Versioning::enabled) {
    v.version_id = version_id_for(v.seq);
  } else {
    // Unversioned and suspended buckets hold one "null" version, which a write replaces.
    v.version_id = "null";
    erase_versions(b, versions, [](const Version& x) { return x.version_id == "null"; });
  }
  if (body) b.bodies[v.seq] = std::move(*body);
  versions.insert(versions.begin(), std::move(v));
  return versions.front();
}

DeleteOutcome Store::remove(Bucket& b, std::string_view key, std::string_view version_id,
                            bool bypass_governance, std::int64_t now) {
  DeleteOutcome out;
  auto it = b.keys.find(key);

  if (version_id.empty()) {
    if (b.versioning == Versioning::never) {
      // Plain delete: the object goes; a missing key is still a success.
      if (it != b.keys.end()) {
        erase_versions(b, it->second.versions, [](const Version&) { return true; });
        b.keys.erase(it);
        out.removed = true;
      }
      return out;
    }
    // Versioned: a delete marker goes on top. Suspended: it is the "null" version and
    // replaces an existing null version.
    if (it == b.keys.end()) it = b.keys.emplace(std::string(key), KeyEntry{}).first;
    auto& versions = it->second.versions;
    Version m;
    m.seq = next_seq();
    m.delete_marker = true;
    m.last_modified = now;
    if (b.versioning == Versioning::enabled) {
      m.version_id = version_id_for(m.seq);
    } else {
      m.version_id = "null";
      out.removed =
          erase_versions(b, versions, [](const Version& x) { return x.version_id == "null"; }) > 0;
    }
    out.delete_marker = true;
    out.version_id = m.version_id;
    versions.insert(versions.begin(), std::move(m));
    return out;
  }

  out.version_id.assign(version_id);
  if (it == b.keys.end()) return out;  // nothing to delete is still a success
  auto& versions = it->second.versions;
  const auto v = std::find_if(versions.begin(), versions.end(),
                              [&](const Version& x) { return x.version_id == version_id; });
  if (v == versions.end()) return out;
  if (!v->delete_marker) {
    const bool retained = v->retain_until > now;
    if (v->legal_hold || (retained && v->lock == LockMode::compliance) ||
        (retained && v->lock == LockMode::governance && !bypass_governance)) {
      out.error_code = "AccessDenied";
      out.error_message = "Access Denied because object protected by object lock.";
      return out;
    }
  }
  out.delete_marker = v->delete_marker;
  if (!b.bodies.empty()) b.bodies.erase(v->seq);
  versions.erase(v);
  out.removed = true;
  if (versions.empty()) b.keys.erase(it);
  return out;
}

std::string Store::create_upload(Bucket& b, std::string_view key, std::int64_t now) {
  // Upload ids sort in creation order, as S3 lists uploads of one key.
  std::string id = "u" + version_id_for(next_seq()).substr(1) + "-s3emu";
  b.uploads[{std::string(key), id}] = Upload{now, {}};
  return id;
}

BucketCensus Store::census(const Bucket& b) {
  BucketCensus c;
  c.keys = b.keys.size();
  c.uploads = b.uploads.size();
  for (const auto& [key, entry] : b.keys) {
    for (std::size_t i = 0; i < entry.versions.size(); ++i) {
      const Version& v = entry.versions[i];
      if (v.delete_marker) {
        ++c.markers;
      } else if (i == 0) {
        ++c.current;
      } else {
        ++c.noncurrent;
      }
    }
  }
  return c;
}

}  // namespace s3emu
