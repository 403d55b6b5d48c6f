#include "s3emu/seed.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <cstdio>

#include "protocol/crypto.hpp"
#include "protocol/endpoint.hpp"
#include "s3emu/spec_items.hpp"

namespace s3emu {
namespace {

bool parse_u64(std::string_view v, std::uint64_t& out) {
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return !v.empty() && ec == std::errc() && ptr == v.data() + v.size();
}

// Keys that test a client's encoding: XML specials, URL specials, control characters,
// dot segments, doubled and leading slashes, NFC/NFD twins, long keys.
constexpr std::string_view kHostile[] = {
    "a&b<c>d\"e'f/", "?delete&x=1/", "%2F%25/", "plus+equals=/", "sp ace/  two/",
    "ctl\x01\x1f/",  "tab\tnl\ncr\r/", "../dots/./", "//double//", "/leading/",
    "caf\xc3\xa9/",  "cafe\xcc\x81/", "\xe6\x97\xa5\xe6\x9c\xac/", "emoji\xf0\x9f\x98\x80/",
};

// "0d..400d" (d, h, m or s): seconds.
bool parse_age_span(std::string_view v, std::int64_t& lo, std::int64_t& hi) {
  const auto dots = v.find("..");
  if (dots == std::string_view::npos) return false;
  const auto seconds = [](std::string_view t, std::int64_t& out) {
    if (t.size() < 2) return false;
    const char unit = t.back();
    const std::int64_t scale = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : unit == 's' ? 1 : 0;
    std::uint64_t n = 0;
    if (!scale || !parse_u64(t.substr(0, t.size() - 1), n) || n > 100 * 365) return false;
    out = static_cast<std::int64_t>(n) * scale;
    return true;
  };
  return seconds(v.substr(0, dots), lo) && seconds(v.substr(dots + 2), hi) && lo <= hi;
}

// "STANDARD:70,GLACIER:30": class indexes with weights.
bool parse_classes(std::string_view v, std::vector<std::pair<std::uint8_t, std::uint64_t>>& out) {
  while (!v.empty()) {
    const auto comma = v.find(',');
    const auto item = v.substr(0, comma);
    const auto colon = item.find(':');
    std::uint64_t weight = 0;
    if (colon == std::string_view::npos || !parse_u64(item.substr(colon + 1), weight) || weight == 0) return false;
    const auto index = storage_class_index(item.substr(0, colon));
    if (!index) return false;
    out.emplace_back(*index, weight);
    v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
  }
  return !out.empty();
}

// splitmix64: the seeding's draws, the same for the same spec.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint8_t draw_class(const SeedSpec& s, std::uint64_t seq) {
  if (s.classes.empty()) return 0;
  std::uint64_t total = 0;
  for (const auto& [c, w] : s.classes) total += w;
  std::uint64_t pick = mix(seq * 2 + 1) % total;
  for (const auto& [c, w] : s.classes) {
    if (pick < w) return c;
    pick -= w;
  }
  return s.classes.back().first;
}

}  // namespace

std::string seed_key(const std::string& family, std::uint64_t prefix_index, std::uint64_t index) {
  char buf[96];
  if (family == "unicode") {
    std::snprintf(buf, sizeof buf, "donn\xc3\xa9""es-%04llu/\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab-%09llu.txt",
                  static_cast<unsigned long long>(prefix_index),
                  static_cast<unsigned long long>(index));
    return buf;
  }
  if (family == "hostile") {
    const std::string_view pattern = kHostile[index % std::size(kHostile)];
    std::snprintf(buf, sizeof buf, "%04llu-%09llu", static_cast<unsigned long long>(prefix_index),
                  static_cast<unsigned long long>(index));
    std::string key = std::string(pattern) + buf;
    if (index % 97 == 5) key += std::string(1024 - key.size(), 'L');  // S3's longest key
    return key;
  }
  if (family == "hashed") {
    // Hash-named, as buckets spread over S3 partitions often are: no shared prefix.
    const std::uint64_t h = mix(index);
    std::snprintf(buf, sizeof buf, "%08llx/object-%09llu", static_cast<unsigned long long>(h >> 32),
                  static_cast<unsigned long long>(index));
    return buf;
  }
  std::snprintf(buf, sizeof buf, "prefix-%04llu/object-%09llu",
                static_cast<unsigned long long>(prefix_index),
                static_cast<unsigned long long>(index));
  return buf;
}

std::optional<SeedSpec> parse_seed_spec(std::string_view spec, std::string& error) {
  SeedSpec s;
  const bool parsed = for_each_spec_item(spec, "seed item", error, [&](std::string_view k,
                                                                        std::string_view v) {
    bool ok = true;
    if (k == "bucket") s.bucket = v;
    else if (k == "objects") ok = parse_u64(v, s.objects);
    else if (k == "prefixes") ok = parse_u64(v, s.prefixes) && s.prefixes > 0;
    else if (k == "versions") ok = parse_u64(v, s.versions) && s.versions > 0;
    else if (k == "markers") ok = parse_u64(v, s.markers);
    else if (k == "uploads") ok = parse_u64(v, s.uploads);
    else if (k == "old_uploads") ok = parse_u64(v, s.old_uploads);
    else if (k == "locked") ok = parse_u64(v, s.locked);
    else if (k == "size") ok = parse_u64(v, s.size);
    else if (k == "region") s.region = v;
    else if (k == "replication") s.replication = v == "1" || v == "true";
    else if (k == "classes") ok = parse_classes(v, s.classes);
    else if (k == "age") ok = parse_age_span(v, s.age_min, s.age_max);
    else if (k == "keys") {
      s.keys = v;
      ok = v == "plain" || v == "unicode" || v == "hostile" || v == "hashed";
    } else if (k == "versioning") {
      s.versioning_given = true;
      if (v == "enabled") s.versioning = Versioning::enabled;
      else if (v == "suspended") s.versioning = Versioning::suspended;
      else if (v == "off") s.versioning = Versioning::never;
      else ok = false;
    } else if (k == "lock") {
      if (v == "governance") s.lock = LockMode::governance;
      else if (v == "compliance") s.lock = LockMode::compliance;
      else ok = false;
    } else {
      error = "unknown seed item '" + std::string(k) + "'";
      return false;
    }
    if (!ok) error = "bad value for seed item '" + std::string(k) + "': '" + std::string(v) + "'";
    return ok;
  });
  if (!parsed) return std::nullopt;
  if (s.bucket.empty()) {
    error = "seed needs bucket=NAME";
    return std::nullopt;
  }
  if (!s3purge::protocol::is_dns_compatible_bucket(s.bucket)) {
    error = "seed bucket name '" + s.bucket + "' is not a valid bucket name";
    return std::nullopt;
  }
  if (!s.versioning_given && (s.versions > 1 || s.markers > 0 || s.lock != LockMode::none)) {
    s.versioning = Versioning::enabled;
  }
  if (s.versioning == Versioning::never && (s.versions > 1 || s.markers > 0)) {
    error = "versions > 1 and markers need versioning=enabled or suspended";
    return std::nullopt;
  }
  if (s.markers > s.objects || s.locked > s.objects) {
    error = "markers and locked cannot exceed objects";
    return std::nullopt;
  }
  if (s.locked > 0 && s.lock == LockMode::none) {
    error = "locked=K needs lock=governance or lock=compliance";
    return std::nullopt;
  }
  return s;
}

bool seed(Store& store, const SeedSpec& s, std::int64_t now, std::string& error) {
  std::lock_guard guard(store.mutex());
  if (!store.create(s.bucket, s.region, s.lock != LockMode::none, now)) {
    error = "seed bucket '" + s.bucket + "' already exists";
    return false;
  }
  Bucket& b = *store.find(s.bucket);
  b.versioning = s.versioning == Versioning::never ? Versioning::never : Versioning::enabled;
  // Seeded objects keep no body: their ETag is the MD5 of `size` x's, or, past 64 MiB (a
  // bucket of 10 GiB objects seeds as fast as one of 1 KiB), of their size written out.
  constexpr std::uint64_t kHashedWhole = 64ull << 20;
  const Md5 md5 = s3purge::protocol::md5(s.size <= kHashedWhole ? std::string(s.size, 'x') : "size " + std::to_string(s.size));
  if (s.replication) {
    b.replication_xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ReplicationConfiguration "
        "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Role>arn:aws:iam::123456789012:role/"
        "replication</Role><Rule><ID>everything</ID><Status>Enabled</Status><Priority>1"
        "</Priority><DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>"
        "<Filter><Prefix></Prefix></Filter><Destination><Bucket>arn:aws:s3:::" +
        s.bucket + "-replica</Bucket></Destination></Rule></ReplicationConfiguration>";
  }

  // Keys are made in sorted order for plain and unicode families, so every insert lands at
  // the end of the map: 10,000,000 objects seed in seconds.
  std::uint64_t made = 0;
  for (std::uint64_t p = 0; p < s.prefixes && made < s.objects; ++p) {
    const std::uint64_t share = s.objects / s.prefixes + (p < s.objects % s.prefixes ? 1 : 0);
    for (std::uint64_t i = 0; i < share; ++i, ++made) {
      std::string key = seed_key(s.keys, p, made);
      const bool sorted = s.keys == "plain" || s.keys == "unicode";
      auto it = !sorted ? b.keys.emplace(std::move(key), KeyEntry{}).first
                                    : b.keys.emplace_hint(b.keys.end(), std::move(key), KeyEntry{});
      auto& versions = it->second.versions;
      versions.reserve(s.versions + (made < s.markers ? 1 : 0));
      const bool locked = made < s.locked;
      // Newest first: the marker (if any), then versions newest to oldest.
      const std::uint64_t first_seq = store.next_seq();
      for (std::uint64_t n = 1; n < s.versions + (made < s.markers ? 1 : 0); ++n) store.next_seq();
      std::uint64_t seq = first_seq + s.versions + (made < s.markers ? 1 : 0) - 1;
      // The key's entries' times, newest first: ages drawn in [age_min, age_max], sorted.
      const std::uint64_t entries = s.versions + (made < s.markers ? 1 : 0);
      std::vector<std::int64_t> times(entries, now);
      if (s.age_max > 0) {
        const auto span = static_cast<std::uint64_t>(s.age_max - s.age_min) + 1;
        for (std::uint64_t e = 0; e < entries; ++e) {
          times[e] = now - s.age_min - static_cast<std::int64_t>(mix(first_seq * 64 + e) % span);
        }
        std::sort(times.begin(), times.end(), std::greater<>());
      } else {
        for (std::uint64_t e = 0; e < entries; ++e) times[e] = now - static_cast<std::int64_t>(e);
      }
      std::size_t at = 0;
      if (made < s.markers) {
        Version m;
        m.seq = seq--;
        m.version_id = Store::version_id_for(m.seq);
        m.delete_marker = true;
        m.last_modified = times[at++];
        versions.push_back(std::move(m));
      }
      for (std::uint64_t n = 0; n < s.versions; ++n) {
        Version v;
        v.seq = seq--;
        v.version_id = b.versioning == Versioning::never ? "null" : Store::version_id_for(v.seq);
        v.size = s.size;
        v.md5 = md5;
        v.last_modified = times[at++];
        v.storage_class = draw_class(s, v.seq);
        if (locked) {
          v.lock = s.lock;
          v.retain_until = now + 86400;
        }
        versions.push_back(std::move(v));
      }
    }
  }
  // Old uploads were started 30 days ago, for `abort-uploads --older-than`.
  for (std::uint64_t u = 0; u < s.uploads + s.old_uploads; ++u) {
    const bool old = u >= s.uploads;
    char key[64];
    std::snprintf(key, sizeof key, old ? "uploads/old-part-%09llu.bin" : "uploads/part-%09llu.bin",
                  static_cast<unsigned long long>(old ? u - s.uploads : u));
    const std::string id = store.create_upload(b, key, old ? now - 30 * 86400 : now);
    b.uploads[{key, id}].parts[1] = Part{5 * 1024 * 1024, md5, {}};
  }
  if (s.versioning == Versioning::suspended) b.versioning = Versioning::suspended;
  return true;
}

}  // namespace s3emu
