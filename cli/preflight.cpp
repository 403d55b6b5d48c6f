#include "cli/preflight.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "protocol/printable.hpp"

namespace s3purge::cli {

namespace asio = boost::asio;

namespace {

std::string code_of(const protocol::Error& e) { return e.s3_code.empty() ? e.code.message() : e.s3_code; }

template <typename T>
Fact<T> fact(protocol::Result<T> r) {
  if (r) return {std::move(*r), {}};
  return {std::nullopt, code_of(r.error())};
}

}  // namespace

asio::awaitable<protocol::Result<Preflight>> preflight(const ClientMaker& make, const Target& target,
                                                       PreflightWants wants) {
  using namespace asio::experimental::awaitable_operators;
  auto first = make(), second = make(), third = make();
  auto [v, lock, replication] =
      co_await (first->versioning() && second->object_lock() && third->replication());
  // Versioning first: an unknown bucket or a wrong region is its error, whatever the others
  // say; a refusal leaves it unknown (the run then lists as if versioned).
  Preflight p;
  if (v) {
    p.versioning = *v;
  } else if (protocol::is_refusal(v.error().code)) {
    p.versioning.status = protocol::VersioningStatus::unknown;
    p.versioning_unknown_because = code_of(v.error());
  } else {
    co_return std::move(v).error();
  }
  p.lock = fact(std::move(lock));
  p.replication = fact(std::move(replication));
  if (wants.lifecycle) p.lifecycle = fact(co_await first->lifecycle());
  if (wants.siblings && !target.prefix.empty() && !target.prefix.ends_with('/')) {
    // Unknown versioning: current keys, which s3:ListBucket alone may list.
    const bool versioned = p.versioning.status == protocol::VersioningStatus::enabled ||
                           p.versioning.status == protocol::VersioningStatus::suspended;
    auto m = co_await first->prefix_matches(target.prefix, versioned);
    if (m) {
      p.siblings = std::move(*m);
    } else if (!protocol::is_refusal(m.error().code)) {
      co_return std::move(m).error();
    }
  }
  co_return p;
}

void print_warnings(std::ostream& out, const Target& t, const Preflight& p, bool bypass_governance) {
  const std::string where = "s3://" + t.bucket + "/" + t.prefix;
  if (p.versioning.status == protocol::VersioningStatus::unknown) {
    out << "s3purge: warning: " << t.bucket << ": versioning unknown (" << protocol::printable(p.versioning_unknown_because)
        << "): the bucket is listed as if versioned\n";
  }
  if (p.replication.value && !p.replication.value->rules.empty()) {
    bool markers = false;
    for (const auto& r : p.replication.value->rules) markers = markers || r.replicates_delete_markers;
    out << "s3purge: warning: " << t.bucket << " replicates to "
        << protocol::printable(p.replication.value->rules.front().destination_bucket)
        << (p.replication.value->rules.size() > 1 ? " and more" : "")
        << (markers ? ": delete markers replicate, so deletions may reach the destination\n"
                    : ": versions deleted here stay in the destination\n");
  }
  // With the bypass, only compliance retention (the default mode, if the bucket has one)
  // still holds versions back.
  if (p.lock.value && p.lock.value->enabled && (!bypass_governance || p.lock.value->default_mode == "COMPLIANCE")) {
    out << "s3purge: warning: " << t.bucket << " has object lock"
        << (p.lock.value->default_mode.empty() ? "" : " (default " + protocol::printable(p.lock.value->default_mode) + ")")
        << (bypass_governance ? ": versions under compliance retention or a legal hold cannot be deleted"
                              : ": versions under governance retention are deleted only with "
                                "--bypass-governance-retention; those under compliance retention or a legal hold "
                                "cannot be")
        << "; they are reported as failed\n";
  }
  if (p.siblings && !p.siblings->siblings.empty()) {
    out << "s3purge: warning: prefix '" << t.prefix << "' has no trailing '/': it also matches";
    for (const auto& s : p.siblings->siblings) out << " '" << protocol::printable(s) << "'";
    out << (p.siblings->more ? " and more" : "") << ". Everything under " << where
        << " will be deleted; use '" << t.prefix << "/' for the folder alone.\n";
  }
}

}  // namespace s3purge::cli
