// Operations on a bucket: create, head, delete, the listings, DeleteObjects, and the
// bucket documents (versioning, location, lifecycle, object lock, replication).
#include "s3emu/router.hpp"

#include <algorithm>

#include "protocol/checksums.hpp"
#include "protocol/crypto.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"
#include "s3emu/listing.hpp"
#include "s3emu/router_call.hpp"

namespace s3emu {

namespace proto = s3purge::protocol;
using namespace detail;

HttpResponse Router::bucket_op(Call& c) {
  const Route& r = c.route;
  const std::string& op = r.op;

  if (op == "CreateBucket") {
    if (auto ok = proto::validate_bucket_name(r.bucket);
        !ok || !proto::is_dns_compatible_bucket(r.bucket)) {
      return c.error(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
    std::string region = options_.region;
    if (!c.req.body.empty()) {
      auto doc = proto::XmlDocument::parse(c.req.body);
      if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
      const std::string lc = doc->root().child_text("LocationConstraint");
      if (!lc.empty()) region = lc;
    }
    const bool lock = proto::iequals(c.req.headers.get("x-amz-bucket-object-lock-enabled"), "true");
    std::lock_guard guard(store_.mutex());
    if (!store_.create(r.bucket, region, lock, c.now)) {
      return c.error(409, "BucketAlreadyOwnedByYou",
                     "Your previous request to create the named bucket succeeded and you already "
                     "own it.");
    }
    HttpResponse resp = c.respond(200);
    resp.headers.set("Location", "/" + r.bucket);
    return resp;
  }

  std::unique_lock guard(store_.mutex());
  Bucket* b = store_.find(r.bucket);
  if (!b) {
    if (op == "HeadBucket") return c.respond(404);
    return c.no_such_bucket();
  }

  if (op == "HeadBucket") {
    HttpResponse resp = c.respond(200);
    resp.headers.set("x-amz-bucket-region", b->region);
    return resp;
  }
  if (op == "DeleteObjects") {
    if (!options_.delete_objects) {
      return c.error(501, "NotImplemented",
                     "A header or query you provided implies functionality that is not "
                     "implemented");
    }
    return delete_objects(c, *b);
  }
  if (op == "ListObjectsV2" || op == "ListObjects") {
    ObjectsQuery q;
    if (auto* v = r.param("prefix")) q.prefix = *v;
    if (auto* v = r.param("delimiter")) q.delimiter = *v;
    if (auto* v = r.param("start-after")) q.start_after = *v;
    if (auto* v = r.param("continuation-token")) q.continuation_token = *v;
    if (auto* v = r.param("marker")) q.marker = *v;
    q.max_keys = std::min(parse_int(r.param("max-keys"), 1000), options_.max_page);
    if (q.max_keys < 0) return c.error(400, "InvalidArgument", "max-keys must be a number");
    const auto* enc = r.param("encoding-type");
    if (enc && *enc != "url") return c.error(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
    ObjectsPage page;
    if (!list_objects(*b, q, page)) {
      return c.error(400, "InvalidArgument", "The continuation token provided is incorrect");
    }
    std::string body;
    body.reserve(64 + page.contents.size() * 256);
    if (op == "ListObjectsV2") {
      list_objects_v2_xml(body, r.bucket, q, page, enc != nullptr);
    } else {
      list_objects_v1_xml(body, r.bucket, q, page, enc != nullptr);
    }
    return c.respond(200, std::move(body));
  }
  if (op == "ListObjectVersions") {
    VersionsQuery q;
    if (auto* v = r.param("prefix")) q.prefix = *v;
    if (auto* v = r.param("delimiter")) q.delimiter = *v;
    if (auto* v = r.param("key-marker")) q.key_marker = *v;
    if (auto* v = r.param("version-id-marker")) q.version_id_marker = *v;
    q.max_keys = std::min(parse_int(r.param("max-keys"), 1000), options_.max_page);
    if (q.max_keys < 0) return c.error(400, "InvalidArgument", "max-keys must be a number");
    if (!q.version_id_marker.empty() && q.key_marker.empty()) {
      return c.error(400, "InvalidArgument",
                     "A version-id marker cannot be specified without a key marker.");
    }
    VersionsPage page;
    list_versions(*b, q, page);
    std::string body;
    body.reserve(64 + page.entries.size() * 320);
    list_versions_xml(body, r.bucket, q, page, r.has("encoding-type"));
    return c.respond(200, std::move(body));
  }
  if (op == "ListMultipartUploads") {
    UploadsQuery q;
    if (auto* v = r.param("prefix")) q.prefix = *v;
    if (auto* v = r.param("key-marker")) q.key_marker = *v;
    if (auto* v = r.param("upload-id-marker")) q.upload_id_marker = *v;
    q.max_uploads = std::min(parse_int(r.param("max-uploads"), 1000), options_.max_page);
    if (q.max_uploads < 0) return c.error(400, "InvalidArgument", "max-uploads must be a number");
    UploadsPage page;
    list_uploads(*b, q, page);
    std::string body;
    list_uploads_xml(body, r.bucket, q, page, r.has("encoding-type"));
    return c.respond(200, std::move(body));
  }
  if (op == "DeleteBucket") {
    const BucketCensus census = Store::census(*b);
    if (!census.empty()) {
      return c.error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty",
                     {{"BucketName", r.bucket}});
    }
    store_.buckets().erase(store_.buckets().find(r.bucket));
    return c.respond(204);
  }
  if (op == "GetBucketVersioning") return c.respond(200, versioning_xml(b->versioning));
  if (op == "PutBucketVersioning") {
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    const std::string status = doc->root().child_text("Status");
    if (status == "Enabled") {
      b->versioning = Versioning::enabled;
    } else if (status == "Suspended") {
      if (b->object_lock) {
        return c.error(409, "InvalidBucketState",
                       "An Object Lock configuration is present on this bucket, so the "
                       "versioning state cannot be changed.");
      }
      b->versioning = Versioning::suspended;
    } else {
      return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    return c.respond(200);
  }
  if (op == "GetBucketLocation") return c.respond(200, location_xml(b->region));
  if (op == "GetBucketLifecycleConfiguration") {
    if (b->lifecycle_xml.empty()) {
      return c.error(404, "NoSuchLifecycleConfiguration",
                     "The lifecycle configuration does not exist", {{"BucketName", r.bucket}});
    }
    return c.respond(200, b->lifecycle_xml);
  }
  if (op == "PutBucketLifecycleConfiguration") {
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc || doc->root().name() != "LifecycleConfiguration") {
      return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    b->lifecycle_xml = c.req.body;
    return c.respond(200);
  }
  if (op == "DeleteBucketLifecycle") {
    b->lifecycle_xml.clear();
    return c.respond(204);
  }
  if (op == "GetObjectLockConfiguration") {
    if (!b->object_lock) {
      return c.error(404, "ObjectLockConfigurationNotFoundError",
                     "Object Lock configuration does not exist for this bucket",
                     {{"BucketName", r.bucket}});
    }
    return c.respond(200, object_lock_xml(*b));
  }
  if (op == "PutObjectLockConfiguration") {
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    if (!b->object_lock) {
      return c.error(409, "InvalidBucketState", "Object Lock is not enabled for this bucket");
    }
    const auto retention = doc->root().child("Rule").child("DefaultRetention");
    const std::string mode = retention.child_text("Mode");
    b->default_lock = mode == "GOVERNANCE"   ? LockMode::governance
                      : mode == "COMPLIANCE" ? LockMode::compliance
                                             : LockMode::none;
    const std::string days = retention.child_text("Days");
    b->default_lock_days = parse_int(&days, 0);
    return c.respond(200);
  }
  if (op == "GetBucketReplication") {
    if (b->replication_xml.empty()) {
      return c.error(404, "ReplicationConfigurationNotFoundError",
                     "The replication configuration was not found", {{"BucketName", r.bucket}});
    }
    return c.respond(200, b->replication_xml);
  }
  if (op == "GetBucketOther") {
    return c.error(404, "NoSuchConfiguration", "s3emu keeps no such configuration");
  }
  return c.error(501, "NotImplemented", "s3emu does not implement " + op);
}

// DeleteObjects' integrity header: Content-MD5 or one x-amz-checksum-* (crc32, crc32c,
// crc64nvme), checked against the body; --refuse-checksum md5|crc refuses one of them, as
// S3 clones that know only Content-MD5 (or, rarely, only the CRCs) do.
std::optional<HttpResponse> Router::check_delete_checksum(Call& c) {
  const std::string_view md5 = c.req.headers.get("content-md5");
  std::optional<proto::ChecksumAlgorithm> crc;
  std::string_view crc_value;
  for (const auto& [name, value] : c.req.headers) {
    if (name.size() > 15 && proto::iequals(name.substr(0, 15), "x-amz-checksum-")) {
      std::string algo(name.substr(15));
      for (auto& ch : algo) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      crc = proto::parse_checksum_algorithm(algo);
      if (!crc || *crc == proto::ChecksumAlgorithm::md5) {
        return c.error(400, "InvalidRequest", "Value for x-amz-checksum-" + algo + " header is invalid.");
      }
      crc_value = value;
    }
  }
  if (md5.empty() && !crc) {
    return c.error(400, "InvalidRequest", "Missing required header for this request: Content-Md5.");
  }
  if (options_.refuse_checksum == "crc" && md5.empty()) {
    return c.error(400, "InvalidRequest", "Missing required header for this request: Content-Md5.");
  }
  if (options_.refuse_checksum == "md5" && !crc) {
    return c.error(400, "InvalidRequest", "Content-MD5 is not accepted here: send an x-amz-checksum-* header");
  }
  if (!md5.empty() && md5 != proto::content_md5(c.req.body)) {
    const bool well_formed = md5.size() == 24 && md5.ends_with("==");
    return well_formed ? c.error(400, "BadDigest",
                                 "The Content-MD5 you specified did not match what we received.")
                       : c.error(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
  }
  if (crc && crc_value != proto::checksum_value(*crc, c.req.body)) {
    return c.error(400, "BadDigest", "The " + std::string(proto::checksum_name(*crc)) +
                                         " you specified did not match the calculated checksum.");
  }
  return std::nullopt;
}

HttpResponse Router::delete_objects(Call& c, Bucket& b) {
  if (auto refused = check_delete_checksum(c)) return std::move(*refused);
  auto doc = proto::XmlDocument::parse(c.req.body);
  if (!doc || doc->root().name() != "Delete") {
    return c.error(400, "MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
  }
  const proto::XmlNode root = doc->root();
  const bool quiet = root.child_text("Quiet") == "true";
  const bool bypass =
      proto::iequals(c.req.headers.get("x-amz-bypass-governance-retention"), "true");
  std::vector<DeleteResultEntry> entries;
  for (const proto::XmlNode o : root) {
    if (o.name() != "Object") continue;
    if (!o.has_child("Key")) {
      return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    entries.push_back({o.child_text("Key"), o.child_text("VersionId"), {}});
  }
  if (entries.empty() || entries.size() > 1000) {
    return c.error(400, "MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
  }
  // Each key takes a write of its partition; a key over its partition's capacity is refused
  // (SlowDown), and a request none of whose keys may run is refused whole, as S3 does.
  std::vector<bool> slowed;
  if (partitions_) {
    const auto now = Partitions::clock::now();
    slowed.resize(entries.size());
    std::size_t refused = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) refused += slowed[i] = !partitions_->admit(entries[i].key, now);
    if (refused == entries.size()) {
      stats_.throttle();
      return c.error(503, "SlowDown", "Please reduce your request rate.");
    }
    stats_.keys_slowed(refused);
  }
  std::uint64_t removed = 0, without_effect = 0;
  const bool verbose = faults_ && faults_->verbose(c.seq);
  if (verbose) stats_.fault("verbose");
  const bool unmatched = faults_ && faults_->unmatched(c.seq);
  // A lie is told only in an answer that reaches the client whole and names what was sent:
  // then the client's count of deletions is the census's, plus these lies, exactly.
  const bool told = c.fault == RequestFault::none && !unmatched;
  // IAM authorizes each key of a DeleteObjects: without s3:DeleteObject each is refused.
  const bool keys_denied = options_.refusals.denied.count("DeleteObject") > 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto& e = entries[i];
    if (!slowed.empty() && slowed[i]) {
      e.outcome.error_code = "SlowDown";
      e.outcome.error_message = "Please reduce your request rate.";
      continue;
    }
    if (keys_denied) {
      e.outcome.error_code = "AccessDenied";
      e.outcome.error_message = "Access Denied";
      continue;
    }
    if (verbose && i == 0) {
      e.unnamed = true;  // kept, and not named in an answer that names the others
      continue;
    }
    if (faults_ && faults_->versionless_error(c.seq, i)) {
      e.outcome.error_code = "InternalError";
      e.outcome.error_message = "We encountered an internal error. Please try again.";
      e.name_version = false;
      stats_.fault("versionless-error");
      continue;
    }
    if (faults_ && faults_->key_error(c.seq, i)) {
      e.outcome.error_code = "InternalError";
      e.outcome.error_message = "We encountered an internal error. Please try again.";
      stats_.fault("key-error");
      continue;
    }
    if (told && faults_ && faults_->lost_delete(c.seq, i)) {
      stats_.fault("lost-delete");  // answered as deleted; the key stays
      continue;
    }
    e.outcome = store_.remove(b, e.key, e.version_id, bypass, c.now);
    if (e.outcome.removed) {
      ++removed;
    } else if (e.outcome.error_code.empty() && !e.outcome.delete_marker) {
      ++without_effect;
    }
  }
  stats_.keys_deleted(removed);
  stats_.deletes_without_effect(without_effect);
  if (unmatched) {
    // Carried out, and answered with an error for a key the request did not hold.
    stats_.fault("unmatched");
    DeleteResultEntry ghost{"s3emu-unmatched/" + std::to_string(c.seq), {}, {}};
    ghost.outcome.error_code = "AccessDenied";
    ghost.outcome.error_message = "Access Denied";
    entries.push_back(std::move(ghost));
  }
  std::string body;
  body.reserve(quiet && !verbose ? 256 : entries.size() * 96);
  delete_result_xml(body, entries, quiet && !verbose);
  return c.respond(200, std::move(body));
}

}  // namespace s3emu
