#include "s3emu/listing.hpp"

#include "protocol/crypto.hpp"

namespace s3emu {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Tokens are hex of "k" + last key or "p" + last common prefix: opaque to clients.
std::string encode_token(char kind, const std::string& value) {
  std::string raw(1, kind);
  raw += value;
  return s3purge::protocol::hex_lower(reinterpret_cast<const std::uint8_t*>(raw.data()),
                                      raw.size());
}

bool decode_token(const std::string& token, char& kind, std::string& value) {
  if (token.size() < 2 || token.size() % 2 != 0) return false;
  std::string raw;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    auto nib = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    const int hi = nib(token[i]), lo = nib(token[i + 1]);
    if (hi < 0 || lo < 0) return false;
    raw.push_back(static_cast<char>(hi * 16 + lo));
  }
  kind = raw[0];
  value = raw.substr(1);
  return kind == 'k' || kind == 'p';
}

// The common prefix `key` rolls up into, or "" when it is listed on its own.
std::string common_prefix(const std::string& key, const std::string& prefix,
                          const std::string& delimiter) {
  if (delimiter.empty()) return {};
  const auto pos = key.find(delimiter, prefix.size());
  if (pos == std::string::npos) return {};
  return key.substr(0, pos + delimiter.size());
}

template <class Map>
auto after_prefix(const Map& keys, const std::string& cp) {
  const std::string succ = prefix_successor(cp);
  return succ.empty() ? keys.end() : keys.lower_bound(succ);
}

}  // namespace

std::string prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xff) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

bool list_objects(const Bucket& b, const ObjectsQuery& q, ObjectsPage& page) {
  using Iter = decltype(b.keys.begin());
  // The later of two positions; end() is the latest.
  auto later = [&](Iter x, Iter y) {
    if (x == b.keys.end() || y == b.keys.end()) return b.keys.end();
    return x->first < y->first ? y : x;
  };
  Iter it = b.keys.lower_bound(q.prefix);
  if (!q.start_after.empty()) it = later(it, b.keys.upper_bound(q.start_after));
  if (!q.marker.empty()) {
    const bool rolled_up = !q.delimiter.empty() && q.marker.ends_with(q.delimiter);
    it = later(it, rolled_up ? after_prefix(b.keys, q.marker) : b.keys.upper_bound(q.marker));
  }
  if (!q.continuation_token.empty()) {
    char kind = 0;
    std::string value;
    if (!decode_token(q.continuation_token, kind, value)) return false;
    it = later(it, kind == 'p' ? after_prefix(b.keys, value) : b.keys.upper_bound(value));
  }

  int count = 0;
  std::string last;
  char last_kind = 'k';
  while (it != b.keys.end() && starts_with(it->first, q.prefix)) {
    const Version* current = it->second.current();
    if (!current) {
      ++it;
      continue;
    }
    if (count == q.max_keys) {
      page.truncated = true;
      break;
    }
    std::string cp = common_prefix(it->first, q.prefix, q.delimiter);
    if (!cp.empty()) {
      it = after_prefix(b.keys, cp);
      last = cp;
      last_kind = 'p';
      page.common_prefixes.push_back(std::move(cp));
    } else {
      page.contents.emplace_back(&it->first, current);
      last = it->first;
      last_kind = 'k';
      ++it;
    }
    ++count;
  }
  if (page.truncated) {
    page.next_token = encode_token(last_kind, last);
    page.next_marker = last;
  }
  return true;
}

void list_versions(const Bucket& b, const VersionsQuery& q, VersionsPage& page) {
  auto it = b.keys.lower_bound(q.prefix);
  std::size_t first_version = 0;  // where to start within the first key
  if (!q.key_marker.empty() && q.key_marker >= q.prefix) {
    if (!q.delimiter.empty() && q.key_marker.ends_with(q.delimiter) &&
        q.version_id_marker.empty()) {
      it = after_prefix(b.keys, q.key_marker);
    } else {
      it = b.keys.lower_bound(q.key_marker);
      if (it != b.keys.end() && it->first == q.key_marker) {
        if (q.version_id_marker.empty()) {
          ++it;
        } else {
          // Resume after the marker version, found by its sequence: it works even when
          // the marker version itself has been deleted since.
          const auto& versions = it->second.versions;
          std::uint64_t marker_seq = 0;
          bool known = false;
          for (const auto& v : versions) {
            if (v.version_id == q.version_id_marker) marker_seq = v.seq, known = true;
          }
          if (!known) {
            if (auto seq = Store::seq_of(q.version_id_marker)) marker_seq = *seq, known = true;
          }
          if (!known) {
            ++it;
          } else {
            while (first_version < versions.size() && versions[first_version].seq >= marker_seq) {
              ++first_version;
            }
            if (first_version == versions.size()) ++it, first_version = 0;
          }
        }
      }
    }
  }

  int count = 0;
  for (; it != b.keys.end() && starts_with(it->first, q.prefix); first_version = 0) {
    std::string cp = common_prefix(it->first, q.prefix, q.delimiter);
    if (!cp.empty()) {
      if (count == q.max_keys) {
        page.truncated = true;
        break;
      }
      it = after_prefix(b.keys, cp);
      page.next_key_marker = cp;
      page.next_version_id_marker.clear();
      page.common_prefixes.push_back(std::move(cp));
      ++count;
      continue;
    }
    const auto& versions = it->second.versions;
    for (std::size_t i = first_version; i < versions.size(); ++i) {
      if (count == q.max_keys) {
        page.truncated = true;
        return;
      }
      page.entries.push_back({&it->first, &versions[i], i == 0});
      page.next_key_marker = it->first;
      page.next_version_id_marker = versions[i].version_id;
      ++count;
    }
    ++it;
  }
  if (!page.truncated) page.next_key_marker.clear(), page.next_version_id_marker.clear();
}

void list_uploads(const Bucket& b, const UploadsQuery& q, UploadsPage& page) {
  auto it = b.uploads.lower_bound({q.prefix, std::string()});
  if (!q.key_marker.empty() && q.key_marker >= q.prefix) {
    if (q.upload_id_marker.empty()) {
      it = b.uploads.lower_bound({q.key_marker + '\0', std::string()});
    } else {
      it = b.uploads.upper_bound({q.key_marker, q.upload_id_marker});
    }
  }
  int count = 0;
  for (; it != b.uploads.end() && starts_with(it->first.first, q.prefix); ++it) {
    if (count == q.max_uploads) {
      page.truncated = true;
      return;
    }
    page.uploads.emplace_back(&it->first, &it->second);
    page.next_key_marker = it->first.first;
    page.next_upload_id_marker = it->first.second;
    ++count;
  }
  page.next_key_marker.clear();
  page.next_upload_id_marker.clear();
}

}  // namespace s3emu
