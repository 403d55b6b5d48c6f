#include "engine/key_range.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

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

// Arithmetic on numbers of one length whose fraction digits are in base `radix`.
void add(Number& a, const Number& b, std::uint32_t radix = 256) {
  std::uint32_t carry = 0;
  for (std::size_t i = a.size(); i-- > 1;) {
    const std::uint32_t sum = a[i] + b[i] + carry;
    a[i] = sum % radix;
    carry = sum / radix;
  }
  a[0] += b[0] + carry;
}

// a - b, for a >= b.
Number minus(Number a, const Number& b, std::uint32_t radix = 256) {
  std::uint32_t borrow = 0;
  for (std::size_t i = a.size(); i-- > 1;) {
    const std::uint32_t sub = b[i] + borrow;
    borrow = a[i] < sub ? 1 : 0;
    a[i] = a[i] + borrow * radix - sub;
  }
  a[0] -= b[0] + borrow;
  return a;
}

void multiply(Number& a, std::uint32_t k, std::uint32_t radix = 256) {
  std::uint64_t carry = 0;
  for (std::size_t i = a.size(); i-- > 1;) {
    const std::uint64_t p = std::uint64_t{a[i]} * k + carry;
    a[i] = static_cast<std::uint32_t>(p % radix);
    carry = p / radix;
  }
  a[0] = static_cast<std::uint32_t>(a[0] * std::uint64_t{k} + carry);
}

void divide(Number& a, std::uint32_t k, std::uint32_t radix = 256) {
  std::uint64_t rem = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t cur = rem * (i == 0 ? 1 : radix) + a[i];
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

std::vector<std::string> split_points_in_alphabet(std::string_view prefix,
                                                  const std::vector<std::string_view>& page,
                                                  const std::optional<std::string>& through,
                                                  int parts, int pages_ahead) {
  if (parts < 1 || pages_ahead < 1 || page.size() < 2) return {};
  std::vector<std::string_view> tails;
  for (const auto key : page) {
    if (!key.starts_with(prefix)) return {};
    tails.push_back(key.substr(prefix.size()));
  }
  const std::string_view first = tails.front(), pos = tails.back();
  // Where the page's keys start to differ, and the bytes they use from there on.
  std::size_t d = 0;
  while (d < first.size() && d < pos.size() && first[d] == pos[d]) ++d;
  std::array<bool, 256> used{};
  std::size_t longest = 0;
  for (const auto t : tails) {
    for (std::size_t i = d; i < t.size(); ++i) used[static_cast<unsigned char>(t[i])] = true;
    longest = std::max(longest, t.size());
  }
  std::vector<unsigned char> alphabet;
  for (int b = 0; b < 256; ++b) {
    if (used[b]) alphabet.push_back(static_cast<unsigned char>(b));
  }
  const auto radix = static_cast<std::uint32_t>(alphabet.size());
  if (radix < 2 || radix == 256) return {};
  // The number starts where the common bytes stop being of the alphabet: "object-0000"
  // then digits is the number "0000..." after "object-", so carries stay in digits.
  std::size_t q = d;
  while (q > 0 && used[static_cast<unsigned char>(first[q - 1])]) --q;
  // A byte's digit: its place in the alphabet, or that of the largest one below it; a key
  // that ends early reads as padded with the smallest.
  std::array<std::uint32_t, 256> digit{};
  for (std::uint32_t b = 0, at = 0; b < 256; ++b) {
    while (at + 1 < radix && alphabet[at + 1] <= b) ++at;
    digit[b] = alphabet[at] <= b ? at : 0;
  }
  const std::size_t digits = longest - q + 3;  // room for a step of 1/(parts + 1)
  const auto number_of = [&](std::string_view t) {
    Number n(digits + 1, 0);
    for (std::size_t i = q; i < t.size() && i - q < digits; ++i) {
      n[i - q + 1] = digit[static_cast<unsigned char>(t[i])];
    }
    return n;
  };
  const Number p = number_of(pos);
  Number h(digits + 1, 0);
  h[0] = 1;  // past the largest number of this many digits
  if (through) {
    const std::string_view t = std::string_view(*through).substr(prefix.size());
    if (t.substr(0, q) == pos.substr(0, q)) h = number_of(t);
    else if (t < pos.substr(0, q)) return {};
  }
  if (!less(p, h)) return {};
  Number span = minus(p, number_of(first), radix);
  if (is_zero(span)) span.back() = 1;
  multiply(span, static_cast<std::uint32_t>(pages_ahead), radix);
  const Number rest = minus(h, p, radix);
  if (less(rest, span)) span = rest;
  divide(span, static_cast<std::uint32_t>(parts) + 1, radix);
  if (is_zero(span)) return {};

  std::vector<std::string> out;
  const std::string head = std::string(prefix) + std::string(pos.substr(0, q));
  Number at = p;
  for (int i = 0; i < parts; ++i) {
    add(at, span, radix);
    if (!less(at, h) || at[0] != 0) break;
    std::string key = head;
    std::size_t end = at.size();
    while (end > 1 && at[end - 1] == 0) --end;  // trailing smallest digits add nothing
    for (std::size_t j = 1; j < end; ++j) key.push_back(static_cast<char>(alphabet[at[j]]));
    const std::string_view lower = out.empty() ? page.back() : std::string_view(out.back());
    if (key <= lower || (through && key >= *through)) continue;
    out.push_back(std::move(key));
  }
  return out;
}

namespace {

// log2 of a number below 2, roughly: enough to spread cuts over orders of magnitude.
int log2_of(const Number& n) {
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (n[i] == 0) continue;
    int bits = 0;
    for (std::uint32_t v = n[i]; v > 1; v >>= 1) ++bits;
    return bits - 8 * static_cast<int>(i);
  }
  return std::numeric_limits<int>::min();
}

void shift_right(Number& n, int bits) {
  for (; bits >= 8; bits -= 8) divide(n, 256);
  if (bits > 0) divide(n, 1u << bits);
}

// Cuts spread evenly in orders of magnitude from one page's width up to everything left:
// keys that vary at a level the page did not show (the "0001" of "prefix-0001/...", when
// the page held only "prefix-0000/...") are reached by some of them.
std::vector<std::string> far_cuts(std::string_view prefix, std::string_view pos,
                                  const std::optional<std::string>& through, std::string_view first,
                                  int parts) {
  if (parts < 1 || !pos.starts_with(prefix) || !first.starts_with(prefix)) return {};
  const auto tail = [&](std::string_view key) { return key.substr(prefix.size()); };
  const std::size_t digits = std::max({pos.size(), first.size(), through ? through->size() : 0}) -
                             prefix.size() + 3;
  const Number p = number(tail(pos), digits);
  const Number h = through ? number(tail(*through), digits) : one(digits);
  if (!less(p, h)) return {};
  const Number rest = minus(h, p);
  Number width = minus(p, number(tail(first), digits));
  if (is_zero(width)) width.back() = 1;
  const int span = log2_of(rest) - log2_of(width);  // orders of magnitude, in bits
  if (span <= 8) return {};
  std::vector<std::string> out;
  for (int j = 1; j <= parts; ++j) {
    Number step = rest;
    shift_right(step, span * (parts + 1 - j) / (parts + 1));
    Number at = p;
    add(at, step);
    if (!less(at, h)) continue;
    out.push_back(std::string(prefix) + bytes_of(at));
  }
  return out;
}

}  // namespace

std::vector<std::string> cut_range(std::string_view prefix, const std::vector<std::string_view>& page,
                                   const std::optional<std::string>& through, int parts,
                                   int pages_ahead) {
  if (page.empty() || parts < 1) return {};
  // Half the pieces near, at the page's density; half far, in case the keys go on at a
  // level this page did not show. One piece: near.
  const int far = parts / 2, near = parts - far;
  auto cuts = split_points_in_alphabet(prefix, page, through, near, pages_ahead);
  if (cuts.empty()) {
    cuts = split_points(prefix, page.back(), through, page.front(), page.back(), near, pages_ahead);
  }
  for (auto& c : far_cuts(prefix, page.back(), through, page.front(), far)) cuts.push_back(std::move(c));
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::erase_if(cuts, [&](const std::string& c) {
    return c <= page.back() || (through && c >= *through);
  });
  return cuts;
}

std::vector<std::string> cuts_among(const std::vector<std::string>& bounds,
                                    const std::optional<std::string_view>& pos,
                                    const std::optional<std::string>& through, int parts) {
  const auto first = pos ? std::upper_bound(bounds.begin(), bounds.end(), *pos,
                                            [](std::string_view p, const std::string& b) { return p < b; })
                         : bounds.begin();
  const auto last = through ? std::lower_bound(first, bounds.end(), *through) : bounds.end();
  const auto inside = static_cast<std::size_t>(last - first);
  const std::size_t n = std::min(inside, static_cast<std::size_t>(std::max(parts, 0)));
  std::vector<std::string> out;
  out.reserve(n);
  // The j-th of n cuts after (j + 1) / (n + 1) of the bounds inside: n + 1 runs of nearly
  // equal counts, each cut a different bound.
  for (std::size_t j = 0; j < n; ++j) out.push_back(*(first + (j + 1) * inside / (n + 1)));
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
