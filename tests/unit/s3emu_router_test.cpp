// s3emu's request handling, driven without sockets. Requests come from the protocol
// layer's builders (signed by its Signer where verification is on) and answers are read
// with its parsers; S3's semantics are checked against the behaviour S3 documents.
#include <gtest/gtest.h>

#include <set>

#include "protocol/checksums.hpp"
#include "protocol/bucket_requests.hpp"
#include "protocol/bucket_responses.hpp"
#include "protocol/crypto.hpp"
#include "protocol/lifecycle.hpp"
#include "protocol/xml_writer.hpp"
#include "protocol/delete_requests.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/list_requests.hpp"
#include "protocol/list_responses.hpp"
#include "protocol/s3_response.hpp"
#include "s3emu/router.hpp"
#include "s3emu/seed.hpp"

using namespace s3purge::protocol;
using s3emu::EmuRequest;

namespace {

std::int64_t fixed_clock() { return 1795437296; }

class EmuTest : public ::testing::Test {
 protected:
  void SetUp() override { make_router({}); }

  void make_router(s3emu::RouterOptions options, const s3emu::FaultInjector* faults = nullptr) {
    router_ = std::make_unique<s3emu::Router>(store_, stats_, std::move(options), faults,
                                              &fixed_clock);
  }

  RequestContext ctx(const std::string& bucket) {
    auto ep = parse_endpoint("http://127.0.0.1:9000");
    return RequestContext{bucket, *resolve_bucket_address(*ep, bucket, AddressingStyle::path), {}};
  }

  HttpResponse send(const HttpRequest& r, s3emu::RequestFault fault = s3emu::RequestFault::none) {
    EmuRequest e;
    e.method = r.method;
    e.target = r.target();
    e.headers = r.headers;
    e.headers.set("host", r.host);
    e.body = r.body;
    return router_->handle(e, router_->route(e), ++seq_, fault);
  }

  HttpResponse raw(std::string method, std::string target, std::string body = {},
                   Headers headers = {}) {
    EmuRequest e{std::move(method), std::move(target), std::move(headers), std::move(body)};
    if (!e.headers.contains("host")) e.headers.set("host", "127.0.0.1:9000");
    return router_->handle(e, router_->route(e), ++seq_, s3emu::RequestFault::none);
  }

  void seed(const std::string& spec) {
    std::string error;
    auto s = s3emu::parse_seed_spec(spec, error);
    ASSERT_TRUE(s) << error;
    ASSERT_TRUE(s3emu::seed(store_, *s, fixed_clock(), error)) << error;
  }

  void put(const std::string& bucket, const std::string& key, const std::string& body,
           Headers extra = {}) {
    HttpRequest r = ctx(bucket).make_object_request("PUT", key);
    r.body = body;
    for (const auto& [n, v] : extra) r.headers.set(n, v);
    ASSERT_EQ(send(r).status, 200);
  }

  std::vector<ListedVersion> all_versions(const std::string& bucket, int page_size = 1000) {
    std::vector<ListedVersion> out;
    ListObjectVersionsParams p;
    p.max_keys = page_size;
    for (int guard = 0; guard < 100000; ++guard) {
      auto resp = send(build_list_object_versions(ctx(bucket), p));
      EXPECT_EQ(resp.status, 200) << resp.body;
      auto page = parse_list_object_versions(resp.body);
      EXPECT_TRUE(page) << page.error().describe();
      if (!page) break;
      out.insert(out.end(), page->entries.begin(), page->entries.end());
      if (!page->is_truncated) break;
      p.key_marker = page->next_key_marker;
      p.version_id_marker = page->next_version_id_marker;
    }
    return out;
  }

  HttpResponse delete_batch(const std::string& bucket, const std::vector<ObjectId>& ids,
                            DeleteOptions o = {}) {
    return send(*build_delete_objects(ctx(bucket), ids, o));
  }

  s3emu::Store store_;
  s3emu::Stats stats_;
  std::unique_ptr<s3emu::Router> router_;
  std::uint64_t seq_ = 0;
};

}  // namespace

TEST_F(EmuTest, VersionedDeleteMakesMarkersAndVersionDeletesRemove) {
  ASSERT_EQ(raw("PUT", "/vb-bucket").status, 200);
  ASSERT_EQ(raw("PUT", "/vb-bucket?versioning",
                "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>")
                .status,
            200);
  for (int i = 0; i < 3; ++i) put("vb-bucket", "k", "body" + std::to_string(i));
  auto del = send(*build_delete_object(ctx("vb-bucket"), {"k", ""}, {}));
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(del.headers.get("x-amz-delete-marker"), "true");
  EXPECT_EQ(raw("GET", "/vb-bucket/k").status, 404);

  auto versions = all_versions("vb-bucket");
  ASSERT_EQ(versions.size(), 4u);
  EXPECT_EQ(versions[0].kind, VersionKind::delete_marker);
  EXPECT_TRUE(versions[0].is_latest);
  EXPECT_FALSE(versions[1].is_latest);

  // Deleting the marker by id brings the newest version back.
  auto undo = send(*build_delete_object(ctx("vb-bucket"), {"k", versions[0].version_id}, {}));
  EXPECT_EQ(undo.status, 204);
  auto get = raw("GET", "/vb-bucket/k");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "body2");

  // Deleting every version by id removes the key: nothing remains, nothing was marked.
  std::vector<ObjectId> ids;
  for (const auto& v : all_versions("vb-bucket")) ids.push_back({v.key, v.version_id});
  auto r = delete_batch("vb-bucket", ids);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(parse_delete_objects_result(r.body)->errors.empty());
  EXPECT_TRUE(all_versions("vb-bucket").empty());
  EXPECT_EQ(send(build_delete_bucket(ctx("vb-bucket"))).status, 204);
}

TEST_F(EmuTest, SuspendedBucketsUseNullVersions) {
  seed("bucket=sb-bucket,objects=1,versions=2,versioning=suspended");
  put("sb-bucket", "prefix-0000/object-000000000", "a");
  put("sb-bucket", "prefix-0000/object-000000000", "b");
  auto v = all_versions("sb-bucket");
  ASSERT_EQ(v.size(), 3u) << "the null version replaced itself, the two seeded remain";
  EXPECT_EQ(v[0].version_id, "null");
  auto del = send(*build_delete_object(ctx("sb-bucket"), {"prefix-0000/object-000000000", ""}, {}));
  EXPECT_EQ(del.headers.get("x-amz-version-id"), "null");
  v = all_versions("sb-bucket");
  ASSERT_EQ(v.size(), 3u) << "the null marker replaced the null version";
  EXPECT_EQ(v[0].kind, VersionKind::delete_marker);
}

TEST_F(EmuTest, UnversionedDeleteOfMissingKeySucceeds) {
  seed("bucket=ub-bucket,objects=3");
  auto r = delete_batch("ub-bucket", {{"prefix-0000/object-000000000", ""}, {"no-such-key", ""}});
  ASSERT_EQ(r.status, 200);
  auto result = parse_delete_objects_result(r.body);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->errors.empty());
  EXPECT_NE(stats_.to_json(store_).find("\"keys_deleted\":1,\"deletes_without_effect\":1"),
            std::string::npos);
}

TEST_F(EmuTest, DeleteObjectsChecksItsInput) {
  seed("bucket=db-bucket,objects=10");
  std::vector<ObjectId> ids = {{"prefix-0000/object-000000001", ""}};
  HttpRequest r = *build_delete_objects(ctx("db-bucket"), ids, {});
  r.headers.erase("content-md5");
  auto e = error_from_response(send(r));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->s3_code, "InvalidRequest");
  r.headers.set("content-md5", "AAAAAAAAAAAAAAAAAAAAAA==");
  EXPECT_EQ(error_from_response(send(r))->s3_code, "BadDigest");
  r.headers.set("content-md5", "nope");
  EXPECT_EQ(error_from_response(send(r))->s3_code, "InvalidDigest");
  r.headers.erase("content-md5");
  r.headers.set("x-amz-checksum-crc32", "AAAAAA==");
  EXPECT_EQ(error_from_response(send(r))->s3_code, "BadDigest") << "a wrong CRC";
  r.headers.set("x-amz-checksum-crc32", checksum_value(ChecksumAlgorithm::crc32, r.body));
  EXPECT_EQ(send(r).status, 200) << "a checksum header stands in for Content-MD5";

  std::string body = "<Delete>";
  for (int i = 0; i < 1001; ++i) body += "<Object><Key>k" + std::to_string(i) + "</Key></Object>";
  body += "</Delete>";
  Headers h;
  h.set("content-md5", content_md5(body));
  EXPECT_EQ(error_from_response(raw("POST", "/db-bucket?delete", body, h))->s3_code, "MalformedXML");
  h.set("content-md5", content_md5("<Delete"));
  EXPECT_EQ(error_from_response(raw("POST", "/db-bucket?delete", "<Delete", h))->s3_code, "MalformedXML");
}

TEST_F(EmuTest, ServerWithoutDeleteObjects) {
  s3emu::RouterOptions o;
  o.delete_objects = false;
  make_router(o);
  seed("bucket=nb-bucket,objects=2");
  auto e = error_from_response(delete_batch("nb-bucket", {{"prefix-0000/object-000000000", ""}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::not_implemented);
  EXPECT_EQ(send(*build_delete_object(ctx("nb-bucket"), {"prefix-0000/object-000000000", ""}, {})).status,
            204);
}

TEST_F(EmuTest, DeleteBucketRefusesEveryKindOfContent) {
  auto refused = [&](const std::string& bucket) {
    auto e = error_from_response(send(build_delete_bucket(ctx(bucket))));
    return e && e->code == s3_errc::bucket_not_empty;
  };
  seed("bucket=only-current,objects=1");
  EXPECT_TRUE(refused("only-current"));
  seed("bucket=only-noncurrent,objects=1,versions=2");
  send(*build_delete_object(ctx("only-noncurrent"),
                            {"prefix-0000/object-000000000", all_versions("only-noncurrent")[0].version_id}, {}));
  ASSERT_EQ(all_versions("only-noncurrent").size(), 1u);
  EXPECT_TRUE(refused("only-noncurrent"));
  seed("bucket=only-markers,objects=1,markers=1");
  auto v = all_versions("only-markers");
  send(*build_delete_object(ctx("only-markers"), {v[1].key, v[1].version_id}, {}));
  ASSERT_EQ(all_versions("only-markers").size(), 1u);
  EXPECT_EQ(all_versions("only-markers")[0].kind, VersionKind::delete_marker);
  EXPECT_TRUE(refused("only-markers"));
  seed("bucket=only-uploads,uploads=1");
  EXPECT_TRUE(refused("only-uploads"));
  auto uploads = parse_list_multipart_uploads(send(build_list_multipart_uploads(ctx("only-uploads"), {})).body);
  ASSERT_EQ(uploads->uploads.size(), 1u);
  EXPECT_EQ(send(*build_abort_multipart_upload(ctx("only-uploads"), uploads->uploads[0].key,
                                               uploads->uploads[0].upload_id)).status,
            204);
  EXPECT_EQ(send(build_delete_bucket(ctx("only-uploads"))).status, 204);
  auto gone = error_from_response(send(build_delete_bucket(ctx("only-uploads"))));
  EXPECT_EQ(gone->code, s3_errc::no_such_bucket);
  EXPECT_EQ(send(build_head_bucket(ctx("only-uploads"))).status, 404);
  EXPECT_TRUE(send(build_head_bucket(ctx("only-uploads"))).body.empty());
}

TEST_F(EmuTest, ListObjectsV2PagesEveryKeyOnce) {
  seed("bucket=pb-bucket,objects=2500,prefixes=7,versions=2,markers=100");
  for (const int page_size : {1, 7, 1000}) {
    ListObjectsV2Params p;
    p.max_keys = page_size;
    std::vector<std::string> keys;
    int pages = 0;
    for (;;) {
      auto page = parse_list_objects_v2(send(build_list_objects_v2(ctx("pb-bucket"), p)).body);
      ASSERT_TRUE(page) << page.error().describe();
      ASSERT_LE(page->objects.size(), static_cast<std::size_t>(page_size));
      for (const auto& o : page->objects) keys.push_back(o.key);
      ++pages;
      if (!page->is_truncated) break;
      p.continuation_token = page->next_continuation_token;
    }
    EXPECT_EQ(keys.size(), 2400u) << "2500 keys, 100 under a delete marker";
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
    EXPECT_GE(pages, 2400 / page_size);
  }
  ListObjectsV2Params p;
  p.delimiter = "/";
  p.max_keys = 3;
  std::vector<std::string> prefixes;
  for (;;) {
    auto page = parse_list_objects_v2(send(build_list_objects_v2(ctx("pb-bucket"), p)).body);
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->objects.empty());
    prefixes.insert(prefixes.end(), page->common_prefixes.begin(), page->common_prefixes.end());
    if (!page->is_truncated) break;
    p.continuation_token = page->next_continuation_token;
  }
  EXPECT_EQ(prefixes.size(), 7u);
  ListObjectsV2Params sa;
  sa.start_after = "prefix-0006/";
  sa.prefix = "prefix-0006/";
  // Prefix 6 holds 2500 / 7 = 357 keys (the remainder of 1 went to prefix 0).
  EXPECT_EQ(parse_list_objects_v2(send(build_list_objects_v2(ctx("pb-bucket"), sa)).body)->objects.size(),
            357u);
}

TEST_F(EmuTest, ListVersionsPagesEveryEntryOnceWithEveryMarker) {
  seed("bucket=vp-bucket,objects=300,prefixes=3,versions=3,markers=50");
  std::set<std::pair<std::string, std::string>> seen;
  for (const int page_size : {1, 5, 1000}) {
    auto entries = all_versions("vp-bucket", page_size);
    EXPECT_EQ(entries.size(), 300u * 3 + 50) << "page size " << page_size;
    std::set<std::pair<std::string, std::string>> unique;
    for (const auto& e : entries) unique.insert({e.key, e.version_id});
    EXPECT_EQ(unique.size(), entries.size());
    if (seen.empty()) seen = unique;
    EXPECT_EQ(unique, seen);
  }
}

TEST_F(EmuTest, VersionMarkerStillWorksAfterTheMarkerIsDeleted) {
  seed("bucket=md-bucket,objects=10,versions=4");
  ListObjectVersionsParams p;
  p.max_keys = 6;  // ends in the middle of the second key
  auto first = parse_list_object_versions(send(build_list_object_versions(ctx("md-bucket"), p)).body);
  ASSERT_TRUE(first && first->is_truncated);
  std::vector<ObjectId> ids;
  for (const auto& e : first->entries) ids.push_back({e.key, e.version_id});
  ASSERT_EQ(delete_batch("md-bucket", ids).status, 200);  // including the marker's own version
  p.key_marker = first->next_key_marker;
  p.version_id_marker = first->next_version_id_marker;
  p.max_keys = 1000;
  auto rest = parse_list_object_versions(send(build_list_object_versions(ctx("md-bucket"), p)).body);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->entries.size(), 40u - 6u) << "moto ends the listing here; S3 and s3emu do not";
}

TEST_F(EmuTest, UploadsPageWithBothMarkers) {
  seed("bucket=up-bucket,uploads=25");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(raw("POST", "/up-bucket/same-key?uploads").status, 200);
  }
  ListMultipartUploadsParams p;
  p.max_uploads = 4;
  std::set<std::string> ids;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = parse_list_multipart_uploads(send(build_list_multipart_uploads(ctx("up-bucket"), p)).body);
    ASSERT_TRUE(page) << page.error().describe();
    for (const auto& u : page->uploads) ids.insert(u.upload_id);
    if (!page->is_truncated) break;
    p.key_marker = page->next_key_marker;
    p.upload_id_marker = page->next_upload_id_marker;
  }
  EXPECT_EQ(ids.size(), 28u);
}

TEST_F(EmuTest, ObjectLockGovernanceComplianceAndLegalHold) {
  seed("bucket=lk-bucket,objects=4,lock=compliance,locked=1");
  seed("bucket=gv-bucket,objects=2,lock=governance,locked=2");
  auto v = all_versions("lk-bucket");
  auto r = parse_delete_objects_result(
      delete_batch("lk-bucket", {{v[0].key, v[0].version_id}, {v[1].key, v[1].version_id}}).body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].ec, s3_errc::access_denied);
  EXPECT_EQ(r->errors[0].key, v[0].key);
  // Compliance holds even with the bypass header.
  r = parse_delete_objects_result(delete_batch("lk-bucket", {{v[0].key, v[0].version_id}}, {true, true, ""}).body);
  EXPECT_EQ(r->errors.size(), 1u);
  auto g = all_versions("gv-bucket");
  r = parse_delete_objects_result(delete_batch("gv-bucket", {{g[0].key, g[0].version_id}}).body);
  EXPECT_EQ(r->errors.size(), 1u) << "governance needs the bypass header";
  r = parse_delete_objects_result(delete_batch("gv-bucket", {{g[0].key, g[0].version_id}}, {true, true, ""}).body);
  EXPECT_TRUE(r->errors.empty());
  Headers hold;
  hold.set("x-amz-object-lock-legal-hold", "ON");
  put("gv-bucket", "held", "x", hold);
  auto h = all_versions("gv-bucket");
  const auto held = std::find_if(h.begin(), h.end(), [](auto& e) { return e.key == "held"; });
  r = parse_delete_objects_result(delete_batch("gv-bucket", {{held->key, held->version_id}}, {true, true, ""}).body);
  EXPECT_EQ(r->errors.size(), 1u) << "a legal hold cannot be bypassed";
  auto cfg = parse_object_lock_configuration(send(build_get_object_lock_configuration(ctx("lk-bucket"))).body);
  ASSERT_TRUE(cfg);
  EXPECT_TRUE(cfg->enabled);
}

TEST_F(EmuTest, HostileKeysSurviveUrlEncodedListingAndXmlDeletes) {
  seed("bucket=hk-bucket,objects=200,keys=hostile");
  ListObjectsV2Params p;
  auto page = parse_list_objects_v2(send(build_list_objects_v2(ctx("hk-bucket"), p)).body);
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->objects.size(), 200u);
  std::set<std::string> listed;
  for (const auto& o : page->objects) listed.insert(o.key);
  for (std::uint64_t i = 0; i < 200; ++i) EXPECT_TRUE(listed.count(s3emu::seed_key("hostile", 0, i))) << i;
  std::vector<ObjectId> xml_safe, unsafe;
  for (const auto& k : listed) (xml_can_carry(k) ? xml_safe : unsafe).push_back({k, ""});
  ASSERT_FALSE(unsafe.empty());
  ASSERT_EQ(delete_batch("hk-bucket", xml_safe).status, 200);
  for (const auto& id : unsafe) {
    EXPECT_EQ(send(*build_delete_object(ctx("hk-bucket"), id, {})).status, 204) << id.key;
  }
  EXPECT_TRUE(parse_list_objects_v2(send(build_list_objects_v2(ctx("hk-bucket"), p)).body)->objects.empty());
}

TEST_F(EmuTest, VirtualHostedAddressing) {
  seed("bucket=vh-bucket,objects=3");
  auto ep = parse_endpoint("http://localhost:9000");
  RequestContext v{"vh-bucket", *resolve_bucket_address(*ep, "vh-bucket", AddressingStyle::virtual_hosted), {}};
  ASSERT_EQ(v.address.host_header, "vh-bucket.localhost:9000");
  auto page = parse_list_objects_v2(send(build_list_objects_v2(v, {})).body);
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->objects.size(), 3u);
  EXPECT_EQ(send(*build_delete_object(v, {"prefix-0000/object-000000000", ""}, {})).status, 204);
  EXPECT_EQ(parse_list_objects_v2(send(build_list_objects_v2(v, {})).body)->objects.size(), 2u);
}

TEST_F(EmuTest, SigV4Verification) {
  s3emu::RouterOptions o;
  o.access_key = "AKIDEMU";
  o.secret_key = "emu-secret";
  o.region = "us-east-1";
  make_router(o);
  seed("bucket=sig,objects=5");
  seed("bucket=eu-bucket,objects=1,region=eu-west-1");
  const auto now = std::chrono::system_clock::now();
  auto signed_with = [&](const Credentials& c, const std::string& region, HttpRequest r) {
    Signer(c, region).sign(r, now, PayloadSigning::sha256);
    return r;
  };
  const Credentials good{"AKIDEMU", "emu-secret", ""};
  auto ok = send(signed_with(good, "us-east-1", build_list_objects_v2(ctx("sig"), {})));
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto batch = signed_with(good, "us-east-1",
                           *build_delete_objects(ctx("sig"), std::vector<ObjectId>{{"a b+c", ""}}, {}));
  EXPECT_EQ(send(batch).status, 200);

  auto e = error_from_response(send(signed_with({"AKIDEMU", "wrong", ""}, "us-east-1",
                                                build_list_objects_v2(ctx("sig"), {}))));
  EXPECT_EQ(e->code, s3_errc::signature_does_not_match);
  e = error_from_response(send(signed_with({"AKIDOTHER", "emu-secret", ""}, "us-east-1",
                                           build_list_objects_v2(ctx("sig"), {}))));
  EXPECT_EQ(e->code, s3_errc::invalid_access_key_id);
  e = error_from_response(send(signed_with(good, "us-east-1", build_list_objects_v2(ctx("eu-bucket"), {}))));
  EXPECT_EQ(e->code, s3_errc::authorization_header_malformed);
  EXPECT_EQ(e->region, "eu-west-1") << "the error names the bucket's region";
  auto tampered = batch;
  tampered.body += " ";
  e = error_from_response(send(tampered));
  EXPECT_EQ(e->code, s3_errc::x_amz_content_sha256_mismatch);
  auto unsigned_req = build_list_objects_v2(ctx("sig"), {});
  EXPECT_EQ(error_from_response(send(unsigned_req))->code, s3_errc::access_denied);
  HttpRequest unsigned_payload = build_list_objects_v2(ctx("sig"), {});
  Signer(good, "us-east-1").sign(unsigned_payload, now, PayloadSigning::unsigned_payload);
  EXPECT_EQ(send(unsigned_payload).status, 200);
}

TEST_F(EmuTest, FaultsAreDeterministicAndShaped) {
  s3emu::FaultRates rates;
  rates.slowdown = 0.1;
  rates.key_error = 0.05;
  const s3emu::FaultInjector a(rates, 7), b(rates, 7), c(rates, 8);
  int slow = 0, differ = 0;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    EXPECT_EQ(a.draw(i), b.draw(i));
    slow += a.draw(i) == s3emu::RequestFault::slowdown ? 1 : 0;
    differ += a.draw(i) != c.draw(i) ? 1 : 0;
  }
  EXPECT_NEAR(slow, 2000, 200);
  EXPECT_GT(differ, 1000) << "another seed, other draws";

  make_router({}, &a);
  seed("bucket=fb-bucket,objects=1000");
  std::vector<ObjectId> ids;
  for (std::uint64_t i = 0; i < 1000; ++i) ids.push_back({s3emu::seed_key("plain", 0, i), ""});
  auto r = parse_delete_objects_result(delete_batch("fb-bucket", ids).body);
  ASSERT_TRUE(r);
  EXPECT_NEAR(static_cast<double>(r->errors.size()), 50, 25);
  for (const auto& f : r->errors) EXPECT_EQ(f.ec, s3_errc::internal_error);

  auto s = error_from_response(send(build_list_objects_v2(ctx("fb-bucket"), {}), s3emu::RequestFault::slowdown));
  EXPECT_EQ(s->code, s3_errc::slow_down);
  auto in200 = send(build_list_objects_v2(ctx("fb-bucket"), {}), s3emu::RequestFault::error_in_200);
  EXPECT_EQ(in200.status, 200);
  EXPECT_EQ(error_from_response(in200)->code, s3_errc::internal_error);
}

TEST_F(EmuTest, HostileAnswersAreShapedAsTheirFaultsSay) {
  std::string error;
  auto rates = s3emu::parse_fault_rates("versionless-error=1", error);
  ASSERT_TRUE(rates) << error;
  const s3emu::FaultInjector versionless(*rates, 3);
  make_router({}, &versionless);
  seed("bucket=hb-bucket,objects=10,versions=2");
  const auto versions = all_versions("hb-bucket");
  std::vector<ObjectId> ids;
  for (const auto& v : versions) ids.push_back({v.key, v.version_id});
  auto r = parse_delete_objects_result(delete_batch("hb-bucket", ids).body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), ids.size());
  for (const auto& f : r->errors) EXPECT_TRUE(f.version_id.empty()) << "no VersionId, as moto answers";
  EXPECT_EQ(all_versions("hb-bucket").size(), versions.size()) << "nothing deleted";

  rates = s3emu::parse_fault_rates("unmatched=1", error);
  const s3emu::FaultInjector unmatched(*rates, 3);
  make_router({}, &unmatched);
  r = parse_delete_objects_result(delete_batch("hb-bucket", {ids[0]}).body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_NE(r->errors[0].key, ids[0].key) << "names a key that was not sent";
  EXPECT_EQ(all_versions("hb-bucket").size(), versions.size() - 1) << "and was carried out";

  rates = s3emu::parse_fault_rates("verbose=1", error);
  const s3emu::FaultInjector verbose(*rates, 3);
  make_router({}, &verbose);
  const std::vector<ObjectId> two{ids[1], ids[2]};
  r = parse_delete_objects_result(delete_batch("hb-bucket", two).body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->deleted.size(), 1u) << "Quiet ignored, the first left out";
  EXPECT_EQ(r->deleted[0].version_id, ids[2].version_id);
  EXPECT_EQ(all_versions("hb-bucket").size(), versions.size() - 2) << "the first kept";

  EXPECT_FALSE(s3emu::parse_fault_rates("versionless=1", error));
  EXPECT_NE(error.find("versionless-error"), std::string::npos) << error;
}

TEST_F(EmuTest, DeniedAndNotImplementedOperationsAreRefusedAsServersDo) {
  s3emu::RouterOptions options;
  std::string error;
  ASSERT_TRUE(s3emu::parse_denied("GetBucketVersioning,DeleteObject", options.refusals, error)) << error;
  ASSERT_TRUE(s3emu::parse_not_implemented("ListObjectVersions=405,ListMultipartUploads", options.refusals, error))
      << error;
  make_router(options);
  seed("bucket=rf-bucket,objects=3");
  auto e = error_from_response(send(build_get_bucket_versioning(ctx("rf-bucket"))));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->http_status, 403);
  EXPECT_EQ(e->code, s3_errc::access_denied);
  e = error_from_response(send(build_list_object_versions(ctx("rf-bucket"), {})));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::method_not_allowed);
  e = error_from_response(send(build_list_multipart_uploads(ctx("rf-bucket"), {})));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::not_implemented);
  EXPECT_FALSE(error_from_response(send(build_list_objects_v2(ctx("rf-bucket"), {})))) << "the rest is served";

  // DeleteObject denied: DeleteObjects answers 200, each key refused, nothing deleted.
  std::vector<ObjectId> ids;
  for (std::uint64_t i = 0; i < 3; ++i) ids.push_back({s3emu::seed_key("plain", 0, i), ""});
  auto r = parse_delete_objects_result(delete_batch("rf-bucket", ids).body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 3u);
  for (const auto& f : r->errors) EXPECT_EQ(f.ec, s3_errc::access_denied);
  EXPECT_EQ(parse_list_objects_v2(send(build_list_objects_v2(ctx("rf-bucket"), {})).body)->objects.size(), 3u);

  EXPECT_FALSE(s3emu::parse_denied("DeleteEverything", options.refusals, error));
  EXPECT_NE(error.find("unknown operation 'DeleteEverything'"), std::string::npos) << error;
  EXPECT_FALSE(s3emu::parse_not_implemented("ListObjectsV2=404", options.refusals, error));
}

TEST_F(EmuTest, BucketDocuments) {
  seed("bucket=docs,objects=1,replication=1,region=eu-west-1");
  seed("bucket=plain-doc,objects=1");
  EXPECT_EQ(*parse_bucket_location(send(build_get_bucket_location(ctx("docs"))).body), "eu-west-1");
  EXPECT_EQ(*parse_bucket_location(send(build_get_bucket_location(ctx("plain-doc"))).body), "us-east-1");
  auto repl = parse_replication_configuration(send(build_get_bucket_replication(ctx("docs"))).body);
  ASSERT_TRUE(repl);
  EXPECT_EQ(repl->rules.size(), 1u);
  EXPECT_EQ(error_from_response(send(build_get_bucket_replication(ctx("plain-doc"))))->code,
            s3_errc::replication_configuration_not_found);
  EXPECT_EQ(error_from_response(send(build_get_bucket_lifecycle(ctx("plain-doc"))))->code,
            s3_errc::no_such_lifecycle_configuration);
  LifecycleConfiguration lc;
  LifecycleRule rule;
  rule.id = "expire";
  rule.expiration_days = 1;
  lc.rules.push_back(rule);
  EXPECT_EQ(send(build_put_bucket_lifecycle(ctx("plain-doc"), *write_lifecycle_configuration(lc))).status, 200);
  auto got = parse_lifecycle_configuration(send(build_get_bucket_lifecycle(ctx("plain-doc"))).body);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rules.at(0).id, "expire");
  EXPECT_EQ(send(build_delete_bucket_lifecycle(ctx("plain-doc"))).status, 204);
  EXPECT_EQ(parse_bucket_versioning(send(build_get_bucket_versioning(ctx("plain-doc"))).body)->status,
            VersioningStatus::never_enabled);
}

TEST_F(EmuTest, SeedSpecErrorsAndCensus) {
  std::string error;
  EXPECT_FALSE(s3emu::parse_seed_spec("objects=5", error));
  EXPECT_NE(error.find("bucket"), std::string::npos);
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,objects=5,versions=2,versioning=off", error));
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,objects=1,markers=2", error));
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,colour=blue", error));
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,objects=ten", error));
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=Bad_Name", error));
  seed("bucket=census,objects=10000,prefixes=13,versions=3,markers=1000,uploads=77");
  const auto c = s3emu::Store::census(*store_.find("census"));
  EXPECT_EQ(c.keys, 10000u);
  EXPECT_EQ(c.current, 9000u);
  EXPECT_EQ(c.noncurrent, 10000u * 3 - 9000u);
  EXPECT_EQ(c.markers, 1000u);
  EXPECT_EQ(c.uploads, 77u);
  EXPECT_FALSE(s3emu::seed(store_, *s3emu::parse_seed_spec("bucket=census", error), 0, error));
}
