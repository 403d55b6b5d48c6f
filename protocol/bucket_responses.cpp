#include "protocol/bucket_responses.hpp"

#include "protocol/xml_fields.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

Result<std::string> parse_bucket_location(std::string_view body) {
  auto doc = parse_document(body, "LocationConstraint");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  std::string region = root.text();
  if (region.empty()) return std::string("us-east-1");
  if (region == "EU") return std::string("eu-west-1");
  return region;
}

std::string_view to_string(VersioningStatus s) {
  switch (s) {
    case VersioningStatus::never_enabled: return "never enabled";
    case VersioningStatus::enabled: return "Enabled";
    case VersioningStatus::suspended: return "Suspended";
    case VersioningStatus::unknown: return "unknown";
  }
  return "unknown";
}

Result<BucketVersioning> parse_bucket_versioning(std::string_view body) {
  // moto 5 answers a never-versioned bucket with an empty <GetBucketVersioningResponse/>;
  // S3 with an empty <VersioningConfiguration/>. Anything else is not a versioning answer.
  const std::string_view root_name = root_element_name(body);
  const bool moto_empty = root_name == "GetBucketVersioningResponse";
  auto doc = parse_document(body, moto_empty ? "GetBucketVersioningResponse"
                                             : "VersioningConfiguration");
  if (!doc) {
    // A whole, well-formed S3 document of another operation (a ...Result or
    // ...Configuration): a server without this operation that answers it as another
    // (s3rver: a listing). Not damage in transit, not worth a retry.
    const bool s3_document = root_name.ends_with("Result") || root_name.ends_with("Configuration");
    if (s3_document && root_name != "VersioningConfiguration" && parse_document(body, root_name)) {
      return Error(client_errc::wrong_document,
                   "expected <VersioningConfiguration>, got <" + std::string(root_name) + ">");
    }
    return std::move(doc).error();
  }
  const XmlNode root = doc->root();
  BucketVersioning v;
  const std::string status = root.child_text("Status");
  if (status == "Enabled") {
    v.status = VersioningStatus::enabled;
  } else if (status == "Suspended") {
    v.status = VersioningStatus::suspended;
  } else if (!status.empty()) {
    return malformed("unknown versioning status '" + status.substr(0, 32) + "'");
  }
  v.mfa_delete = root.child_text("MfaDelete") == "Enabled";
  return v;
}

Result<ObjectLockConfiguration> parse_object_lock_configuration(std::string_view body) {
  auto doc = parse_document(body, "ObjectLockConfiguration");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  ObjectLockConfiguration c;
  c.enabled = root.child_text("ObjectLockEnabled") == "Enabled";
  const XmlNode retention = root.child("Rule").child("DefaultRetention");
  if (retention) {
    c.default_mode = retention.child_text("Mode");
    S3PURGE_TRY_ASSIGN(c.default_days, uint_field(retention, "Days", 0));
    S3PURGE_TRY_ASSIGN(c.default_years, uint_field(retention, "Years", 0));
  }
  return c;
}

Result<ReplicationConfiguration> parse_replication_configuration(std::string_view body) {
  auto doc = parse_document(body, "ReplicationConfiguration");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  ReplicationConfiguration c;
  c.role = root.child_text("Role");
  for (const XmlNode n : root) {
    if (n.name() != "Rule") continue;
    ReplicationRule r;
    r.id = n.child_text("ID");
    r.enabled = n.child_text("Status") == "Enabled";
    r.destination_bucket = n.child("Destination").child_text("Bucket");
    r.replicates_delete_markers =
        n.child("DeleteMarkerReplication").child_text("Status") == "Enabled";
    c.rules.push_back(std::move(r));
  }
  return c;
}

}  // namespace s3purge::protocol
