#include "cli/preflight_json.hpp"

#include <boost/json.hpp>

namespace s3purge::cli {

namespace json = boost::json;

json::value lock_json(const Fact<protocol::ObjectLockConfiguration>& f) {
  if (!f.value) return {{"unknown", f.unknown_because}};
  return {{"enabled", f.value->enabled}, {"default_mode", f.value->default_mode},
          {"default_days", f.value->default_days}, {"default_years", f.value->default_years}};
}

json::value replication_json(const Fact<protocol::ReplicationConfiguration>& f) {
  if (!f.value) return {{"unknown", f.unknown_because}};
  json::array rules;
  for (const auto& r : f.value->rules) {
    rules.push_back({{"id", r.id}, {"enabled", r.enabled}, {"destination", r.destination_bucket},
                     {"replicates_delete_markers", r.replicates_delete_markers}});
  }
  return {{"rules", std::move(rules)}};
}

json::value lifecycle_json(const Fact<protocol::LifecycleConfiguration>& f) {
  if (!f.value) return {{"unknown", f.unknown_because}};
  json::array rules;
  for (const auto& r : f.value->rules) {
    json::object o{{"id", r.id}, {"enabled", r.enabled}, {"prefix", r.prefix}};
    if (r.expiration_days) o["expiration_days"] = *r.expiration_days;
    if (r.noncurrent_expiration_days) o["noncurrent_expiration_days"] = *r.noncurrent_expiration_days;
    if (r.abort_incomplete_upload_days) o["abort_incomplete_upload_days"] = *r.abort_incomplete_upload_days;
    o["expired_object_delete_marker"] = r.expired_object_delete_marker;
    rules.push_back(std::move(o));
  }
  return {{"rules", std::move(rules)}};
}

}  // namespace s3purge::cli
