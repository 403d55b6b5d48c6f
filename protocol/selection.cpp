#include "protocol/selection.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "protocol/time_text.hpp"
#include "protocol/utf8.hpp"

namespace s3purge::protocol {

namespace {

Error bad(std::string message) { return Error(client_errc::invalid_config, std::move(message)); }

struct PartName {
  std::string_view name;
  unsigned bit;
};
constexpr std::array<PartName, 5> kParts{{{"current", kCurrent},
                                          {"noncurrent", kNoncurrent},
                                          {"markers", kMarkers},
                                          {"orphan-markers", kOrphanMarkers},
                                          {"uploads", kUploads}}};

unsigned part_of(Role role) {
  switch (role) {
    case Role::current: return kCurrent;
    case Role::noncurrent: return kNoncurrent;
    case Role::marker: return kMarkers;
    case Role::orphan_marker: return kMarkers | kOrphanMarkers;
    case Role::upload: return kUploads;
  }
  return 0;
}

}  // namespace

Result<unsigned> parse_parts(std::string_view list) {
  unsigned parts = 0;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view name = list.substr(0, comma);
    const auto it = std::find_if(kParts.begin(), kParts.end(), [&](const PartName& p) { return p.name == name; });
    if (it == kParts.end()) {
      return bad("'" + std::string(name) + "': choose from current, noncurrent, markers, orphan-markers, uploads");
    }
    parts |= it->bit;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (parts == 0) return bad("needs at least one of current, noncurrent, markers, orphan-markers, uploads");
  return parts;
}

std::string parts_text(unsigned parts) {
  std::string out;
  for (const auto& p : kParts) {
    if (!(parts & p.bit)) continue;
    if (p.bit == kOrphanMarkers && (parts & kMarkers)) continue;  // markers include them
    if (!out.empty()) out += ',';
    out += p.name;
  }
  return out;
}

std::string_view to_string(KeptBy k) {
  switch (k) {
    case KeptBy::none: return "taken";
    case KeptBy::outside_prefix: return "outside the prefix";
    case KeptBy::kind: return "--only";
    case KeptBy::pattern: return "--include/--exclude";
    case KeptBy::storage_class: return "--storage-class";
    case KeptBy::newest: return "--keep-newest";
    case KeptBy::age: return "--older-than/--newer-than";
    case KeptBy::resurface: return "would bring back a version beneath (--allow-resurface)";
    case KeptBy::early_charge: return "--skip-early-deletion-charges";
  }
  return "?";
}

std::string_view json_name(KeptBy k) {
  switch (k) {
    case KeptBy::none: return "taken";
    case KeptBy::outside_prefix: return "outside_prefix";
    case KeptBy::kind: return "only";
    case KeptBy::pattern: return "pattern";
    case KeptBy::storage_class: return "storage_class";
    case KeptBy::newest: return "keep_newest";
    case KeptBy::age: return "age";
    case KeptBy::resurface: return "resurface";
    case KeptBy::early_charge: return "early_deletion_charge";
  }
  return "?";
}

Result<KeyPattern> KeyPattern::parse(std::string_view text) {
  if (text.empty()) return bad("an empty pattern matches no key");
  KeyPattern p;
  p.text_ = std::string(text);
  std::string_view t = text;
  if (t.front() == '/') {
    p.anchored_ = true;
    t.remove_prefix(1);
  }
  const auto literal = [&](std::size_t& i) {
    const std::size_t n = utf8_char_length(t, i);
    p.steps_.push_back({Token::literal, std::string(t.substr(i, n))});
    i += n;
  };
  for (std::size_t i = 0; i < t.size();) {
    const char c = t[i];
    if (c == '\\') {
      if (i + 1 == t.size()) return bad("pattern '" + p.text_ + "' ends with a lone \\");
      ++i;
      literal(i);
    } else if (c == '?') {
      p.steps_.push_back({Token::one, {}});
      ++i;
    } else if (t.substr(i, 3) == "**/") {
      p.steps_.push_back({Token::folders, {}});
      i += 3;
    } else if (t.substr(i, 2) == "**") {
      p.steps_.push_back({Token::stars, {}});
      i += 2;
    } else if (c == '*') {
      p.steps_.push_back({Token::star, {}});
      ++i;
    } else {
      literal(i);
    }
  }
  if (t.empty() || t.back() == '/') p.steps_.push_back({Token::stars, {}});  // all under the folder
  return p;
}

// Row by row over the pattern's steps: row[j] says the steps so far match the key's first j
// characters. O(steps x key length), whatever the stars: no backtracking blow-up.
bool KeyPattern::matches(std::string_view key) const {
  thread_local std::vector<std::string_view> chars;
  thread_local std::vector<char> row, next;
  chars.clear();
  for (std::size_t i = 0; i < key.size();) {
    const std::size_t n = utf8_char_length(key, i);
    chars.push_back(key.substr(i, n));
    i += n;
  }
  const std::size_t n = chars.size();
  row.assign(n + 1, 0);
  next.assign(n + 1, 0);
  // Unanchored: the match may start at the key's start or just after any '/'.
  row[0] = 1;
  if (!anchored_) {
    for (std::size_t j = 1; j <= n; ++j) row[j] = chars[j - 1] == "/";
  }
  for (const Step& s : steps_) {
    bool any = false;  // row[k] for some k < j: "folders" may take chars[k..j)
    for (std::size_t j = 0; j <= n; ++j) {
      const std::string_view prev = j > 0 ? chars[j - 1] : std::string_view();
      switch (s.token) {
        case Token::literal: next[j] = j > 0 && row[j - 1] && prev == s.c; break;
        case Token::one: next[j] = j > 0 && row[j - 1] && prev != "/"; break;
        case Token::star: next[j] = row[j] || (j > 0 && next[j - 1] && prev != "/"); break;
        case Token::stars: next[j] = row[j] || (j > 0 && next[j - 1]); break;
        case Token::folders: next[j] = row[j] || (j > 0 && prev == "/" && any); break;
      }
      if (row[j]) any = true;
    }
    row.swap(next);
  }
  return row[n] != 0;
}

bool Selection::selective() const {
  return parts != kAllParts || older_than || newer_than || keep_newest > 0 || !include.empty() ||
         !exclude.empty() || !classes.empty() || skip_early_charges;
}

bool Selection::may_resurface() const {
  if (!(parts & (kCurrent | kMarkers))) return false;  // orphan markers hide nothing
  if (!(parts & kNoncurrent)) return true;
  return keep_newest > 0 || newer_than.has_value() || !classes.empty() || skip_early_charges;
}

Error resurface_refusal(const Selection& s) {
  std::string why = "--only " + parts_text(s.parts);
  if (s.keep_newest > 0) why += " with --keep-newest";
  if (s.newer_than) why += " with --newer-than";
  if (!s.classes.empty()) why += " with --storage-class";
  if (s.skip_early_charges) why += " with --skip-early-deletion-charges";
  return bad("on a versioned bucket, " + why +
             " may take a key's current version or delete marker and keep a version beneath it, which "
             "then becomes current again. `plan` with the same flags counts those keys; take what lies "
             "beneath too, or give --allow-resurface");
}

KeptBy judge(const Selection& s, const Facts& e) {
  const auto relative_key = e.relative_key;
  const auto time = e.time;
  if (!(s.parts & part_of(e.role))) return KeptBy::kind;
  if (!s.include.empty() &&
      std::none_of(s.include.begin(), s.include.end(), [&](const KeyPattern& p) { return p.matches(relative_key); })) {
    return KeptBy::pattern;
  }
  if (std::any_of(s.exclude.begin(), s.exclude.end(), [&](const KeyPattern& p) { return p.matches(relative_key); })) {
    return KeptBy::pattern;
  }
  if (!s.classes.empty() && std::find(s.classes.begin(), s.classes.end(), e.storage_class) == s.classes.end()) {
    return KeptBy::storage_class;
  }
  if (e.role == Role::noncurrent && e.rank < s.keep_newest) return KeptBy::newest;
  if (s.older_than || s.newer_than) {
    if (time == INT64_MIN) return KeptBy::age;
    if (s.older_than && !(time < *s.older_than)) return KeptBy::age;
    if (s.newer_than && !(time > *s.newer_than)) return KeptBy::age;
  }
  if (s.skip_early_charges && early_deletion(e.storage_class, e.size, e.stored_at, s.now)) return KeptBy::early_charge;
  return KeptBy::none;
}

Result<std::int64_t> parse_time_limit(std::string_view text, std::int64_t now) {
  if (auto d = parse_duration(text)) {
    return now - std::chrono::duration_cast<std::chrono::seconds>(*d).count();
  }
  std::string iso(text);
  if (iso.size() == 10) iso += "T00:00:00Z";  // a date alone: its midnight, UTC
  if (auto t = parse_iso8601(iso)) {
    return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
  }
  return bad("'" + std::string(text) + "': write a duration like 7d, 12h or 30m, or a UTC date like 2026-11-01");
}

}  // namespace s3purge::protocol
