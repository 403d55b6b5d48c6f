#include "engine/key_range.hpp"

#include <algorithm>
#include <cstdint>

namespace s3purge::engine {

namespace {

// A key suffix read as a number in [0, 1]: digit 0 is the integer part, then base-256
// digits, most significant first. All numbers of one computation have the same length.
using Number = std::vector<std::uint32_t>;

Number number(std::string_view bytes, std::size_t digits) {
  Number n(digits + 1, 0);
  for (std::size_t i = 0; i < bytes.size(); ++i) n[i + 1] = static_cast<unsigned char>(bytes[i]);
  return n;
}

Number one(std::size_t digits) {
  Number n(digits + 1, 0);
  n[0] = 1;
  return n;
}

bool less(const Number& a, const Number& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

bool is_zero(const Number& a) {
  return std::all_of(a.begin(), a.end(), [](std::uint32_t d) { return d == 0; });
}

void add(Number& a, const Number& b) {
  std::uint32_t carry = 0;
  for (std::size_t i = a.size(); i-- > 1;) {
    const std::uint32_t sum = a[i] + b[i] + carry;
    a[i] = sum & 0xff;
    carry = sum >> 8;
  }
  a[0] += b[0] + carry;
}

// a - b, for a >= b.
Number minus(Number a, const Number& b) {
  std::uint32_t borrow = 0;
  for (std::size_t i = a.size(); i-- > 1;) {
    const std::uint32_t sub = b[i] + borrow;
    borrow = a[i] < sub ? 1 : 0;
    a[i] = a[i] + (borrow << 8) - sub;
  }
  a[0] -= b[0] + borrow;
  return a;
}

void multiply(Number& a, std::uint32_t k) {
  std::uint64_t carry = 0;
  for (std::size_t i = a.size(); i-- > 1;) {
    const std::uint64_t p = std::uint64_t{a[i]} * k + carry;
    a[i] = static_cast<std::uint32_t>(p & 0xff);
    carry = p >> 8;
  }
  a[0] = static_cast<std::uint32_t>(a[0] * std::uint64_t{k} + carry);
}

void divide(Number& a, std::uint32_t k) {
  std::uint64_t rem = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t cur = (rem << (i == 0 ? 0 : 8)) + a[i];
    a[i] = static_cast<std::uint32_t>(cur / k);
    rem = cur % k;
  }
}

// The bytes of a number below 1. Trailing zero bytes are dropped: the string is then
// smaller, but stays above every key whose number is smaller (see split_points).
std::string bytes_of(const Number& n) {
  std::size_t end = n.size();
  while (end > 1 && n[end - 1] == 0) --end;
  std::string out;
  for (std::size_t i = 1; i < end; ++i) out.push_back(static_cast<char>(n[i]));
  return out;
}

// Lower bounds: none is below everything. Upper bounds: none is above everything.
bool lower_less(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return b && (!a || *a < *b);
}
bool upper_less(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a && (!b || *a < *b);
}
// A range that starts after `lower` reaches past `upper` (nothing left below upper).
bool at_or_past(const std::optional<std::string>& lower, const std::optional<std::string>& upper) {
  return lower && upper && *lower >= *upper;
}

}  // namespace

std::vector<std::string> split_points(std::string_view prefix, std::string_view pos,
                                      const std::optional<std::string>& through,
                                      std::string_view first, std::string_view last, int parts,
                                      int pages_ahead) {
  if (parts < 1 || pages_ahead < 1) return {};
  if (!pos.starts_with(prefix) || !first.starts_with(prefix) || !last.starts_with(prefix) ||
      (through && !std::string_view(*through).starts_with(prefix))) {
    return {};
  }
  const auto tail = [&](std::string_view key) { return key.substr(prefix.size()); };
  // Three digits beyond the longest key: room for a step of 1/(parts + 1) of the smallest
  // difference two keys of that length can have.
  const std::size_t digits =
      std::max({pos.size(), first.size(), last.size(), through ? through->size() : 0}) -
      prefix.size() + 3;
  const Number p = number(tail(pos), digits);
  const Number h = through ? number(tail(*through), digits) : one(digits);
  if (!less(p, h)) return {};

  // Numbers strictly between p and h are, as strings, strictly between pos and through:
  // comparing a string with a shorter one compares it with that one padded with zeros.
  const Number f = number(tail(first), digits), l = number(tail(last), digits);
  Number span = less(f, l) ? minus(l, f) : number({}, digits);
  if (is_zero(span)) span.back() = 1;  // a page of one key's versions: the least width
  multiply(span, static_cast<std::uint32_t>(pages_ahead));
  const Number rest = minus(h, p);
  if (less(rest, span)) span = rest;
  Number step = span;
  divide(step, static_cast<std::uint32_t>(parts) + 1);
  if (is_zero(step)) return {};

  std::vector<std::string> out;
  Number at = p;
  for (int i = 0; i < parts; ++i) {
    add(at, step);
    if (!less(at, h)) break;
    std::string key = std::string(prefix) + bytes_of(at);
    if (key > (out.empty() ? std::string(pos) : out.back())) out.push_back(std::move(key));
  }
  return out;
}

std::vector<KeyRange> shard_ranges(std::string_view prefix, int index, int count) {
  // Sorted in byte order, so cutting positions evenly cuts keys made of them in order.
  static constexpr std::string_view kAlphabet =
      "-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
  constexpr std::uint64_t kBase = kAlphabet.size();
  constexpr std::uint64_t kPositions = kBase * kBase * kBase;  // 274,625 > 256 * kMaxShards
  const std::uint64_t pieces = 256 * static_cast<std::uint64_t>(count);
  const auto cut = [&](std::uint64_t i) {
    const std::uint64_t at = kPositions * i / pieces;
    std::string out(prefix);
    out += kAlphabet[at / (kBase * kBase)];
    out += kAlphabet[at / kBase % kBase];
    out += kAlphabet[at % kBase];
    return out;
  };
  std::vector<KeyRange> out;
  for (std::uint64_t i = static_cast<std::uint64_t>(index); i < pieces; i += count) {
    KeyRange r;
    if (i > 0) r.after = cut(i);
    if (i + 1 < pieces) r.through = cut(i + 1);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<KeyRange> merge(std::vector<KeyRange> ranges) {
  std::erase_if(ranges, [](const KeyRange& r) { return r.empty(); });
  std::sort(ranges.begin(), ranges.end(),
            [](const KeyRange& a, const KeyRange& b) { return lower_less(a.after, b.after); });
  std::vector<KeyRange> out;
  for (auto& r : ranges) {
    // r starts at or before the point where the last one ends: one range.
    if (!out.empty() && (!r.after || !out.back().through || *r.after <= *out.back().through)) {
      if (upper_less(out.back().through, r.through)) out.back().through = r.through;
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<KeyRange> subtract(const KeyRange& range, std::vector<KeyRange> done) {
  std::vector<KeyRange> out;
  std::optional<std::string> at = range.after;  // everything up to here is accounted for
  for (const auto& d : merge(std::move(done))) {
    if (at_or_past(at, d.through)) continue;  // wholly below what is left
    if (lower_less(at, d.after)) {
      // A gap before d: keys in (at, min(d.after, range.through)] are left.
      KeyRange gap{at, upper_less(d.after, range.through) ? d.after : range.through};
      if (!gap.empty()) out.push_back(std::move(gap));
    }
    if (!d.through) return out;  // d runs to the end
    if (lower_less(at, d.through)) at = d.through;
    if (at_or_past(at, range.through)) return out;
  }
  KeyRange rest{at, range.through};
  if (!rest.empty()) out.push_back(std::move(rest));
  return out;
}

}  // namespace s3purge::engine
