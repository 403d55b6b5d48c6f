#include "protocol/delete_reconcile.hpp"

#include <string_view>
#include <unordered_map>

#include "protocol/uri.hpp"

namespace s3purge::protocol {
namespace {

// One element of the answer: a deletion, or an error.
struct Element {
  std::string_view key;
  std::string_view version_id;
  const DeleteFailure* error = nullptr;  // null: a <Deleted>
  bool delete_marker = false;            // a <Deleted> that says a marker was made or deleted
};

class Matcher {
 public:
  Matcher(std::span<const ObjectId> sent, Reconciled& out) : sent_(sent), out_(out), taken_(sent.size(), false) {
    for (std::size_t i = 0; i < sent.size(); ++i) by_key_[sent[i].key].push_back(i);
  }

  // Elements with a version id: the entry sent with it, else one of its key sent without.
  bool match_versioned(const Element& e) {
    const auto* entries = of_key(e.key);
    if (!entries) return unmatched(e);
    std::size_t loose = kNone;
    for (const auto i : *entries) {
      if (taken_[i]) continue;
      if (sent_[i].version_id == e.version_id) return assign(i, e);
      if (sent_[i].version_id.empty() && loose == kNone) loose = i;
    }
    return loose != kNone ? assign(loose, e) : unmatched(e);
  }

  // The elements of one key that give no version id, against its entries not yet taken.
  bool match_unversioned(std::string_view key, const std::vector<Element>& elements) {
    const auto* entries = of_key(key);
    if (!entries) return unmatched(elements.front());
    std::vector<std::size_t> open;
    for (const auto i : *entries) {
      if (!taken_[i]) open.push_back(i);
    }
    if (elements.size() > open.size()) return unmatched(elements.front());
    bool alike = true;
    for (const auto& e : elements) {
      alike = alike && same(e, elements.front());
    }
    if (elements.size() < open.size() || !alike) {
      // Which of the key's entries each element names cannot be told.
      for (const auto i : open) {
        taken_[i] = true;
        out_.outcome[i] = EntryOutcome::unknown;
      }
      return true;
    }
    for (std::size_t j = 0; j < open.size(); ++j) assign(open[j], elements[j]);
    return true;
  }

  // Entries no element named.
  void rest(EntryOutcome outcome) {
    for (std::size_t i = 0; i < sent_.size(); ++i) {
      if (!taken_[i]) out_.outcome[i] = outcome;
    }
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  const std::vector<std::size_t>* of_key(std::string_view key) const {
    const auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : &it->second;
  }

  static bool same(const Element& a, const Element& b) {
    if (!a.error || !b.error) return !a.error && !b.error;
    return a.error->code == b.error->code;
  }

  bool assign(std::size_t i, const Element& e) {
    taken_[i] = true;
    if (!e.error) {
      // A version asked for by id: a <Deleted> that names no version, or a marker made in
      // its place, says nothing of that version.
      const bool version_sent = !sent_[i].version_id.empty() && !sent_[i].marker;
      const bool describes_it = sent_[i].version_id.empty() || (!e.version_id.empty() && !(version_sent && e.delete_marker));
      out_.outcome[i] = describes_it ? EntryOutcome::deleted : EntryOutcome::unknown;
    } else {
      out_.outcome[i] = is_retryable(e.error->ec) ? EntryOutcome::retry : EntryOutcome::failed;
      out_.errors[i] = e.error;
    }
    return true;
  }

  bool unmatched(const Element& e) {
    out_.unmatched = "the answer names " + uri_encode(e.key, false) +
                     (e.version_id.empty() ? std::string() : " (" + uri_encode(e.version_id, false) + ")") +
                     (e.error ? " (" + uri_encode(e.error->code, false) + ")" : std::string()) +
                     ", which the request did not hold (or not that often)";
    return false;
  }

  std::span<const ObjectId> sent_;
  Reconciled& out_;
  std::vector<bool> taken_;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_key_;
};

}  // namespace

Reconciled reconcile_delete_result(std::span<const ObjectId> sent, const DeleteObjectsResult& answer,
                                   bool lists_deletions) {
  Reconciled out;
  const bool quiet = answer.deleted.empty() && !lists_deletions;
  out.outcome.assign(sent.size(), quiet ? EntryOutcome::deleted : EntryOutcome::unknown);
  out.errors.assign(sent.size(), nullptr);
  // Quiet, and nothing refused: the answer of almost every batch, decided without an index.
  if (answer.errors.empty() && answer.deleted.empty()) return out;

  Matcher match(sent, out);
  std::vector<Element> unversioned;
  std::unordered_map<std::string_view, std::vector<Element>> unversioned_by_key;
  auto take = [&](const Element& e) {
    if (!e.version_id.empty()) return match.match_versioned(e);
    auto& list = unversioned_by_key[e.key];
    if (list.empty()) unversioned.push_back(e);  // keys in document order
    list.push_back(e);
    return true;
  };
  bool ok = true;
  for (const auto& d : answer.deleted) ok = ok && take({d.key, d.version_id, nullptr, d.delete_marker});
  for (const auto& f : answer.errors) ok = ok && take({f.key, f.version_id, &f});
  for (const auto& first : unversioned) {
    ok = ok && match.match_unversioned(first.key, unversioned_by_key[first.key]);
  }
  if (!ok) {
    out.outcome.assign(sent.size(), EntryOutcome::unknown);
    out.errors.assign(sent.size(), nullptr);
    return out;
  }
  // Quiet mode lists errors only; a server that lists deletions must list every entry.
  match.rest(quiet ? EntryOutcome::deleted : EntryOutcome::unknown);
  return out;
}

}  // namespace s3purge::protocol
