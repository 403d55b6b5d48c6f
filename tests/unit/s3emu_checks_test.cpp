// s3emu's request handling beyond objects and listings, driven without sockets: object
// lock, hostile keys, addressing, SigV4 verification, faults, refusals, bucket documents
// and seeds.
#include "s3emu_fixture.hpp"

using namespace s3emu_test;

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

TEST_F(EmuTest, SeedsWithStorageClassesAndAges) {
  std::string error;
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,classes=STANDARD:1,COLDEST:1", error)) << "an unknown class";
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,classes=GLACIER:0", error)) << "a weight of 0";
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,age=5d..2d", error));
  EXPECT_FALSE(s3emu::parse_seed_spec("bucket=x1,age=5y..7y", error));
  seed("bucket=aged,objects=2000,versions=3,markers=100,classes=STANDARD:70,GLACIER:30,age=10d..40d");
  std::map<std::string, int> classes;
  std::string key;
  std::int64_t above = INT64_MAX;
  for (const auto& v : all_versions("aged", 333)) {
    if (v.key != key) key = v.key, above = INT64_MAX;
    EXPECT_LE(v.modified, above) << "newest first within " << v.key;
    EXPECT_GE(v.modified, fixed_clock() - 40 * 86400);
    EXPECT_LE(v.modified, fixed_clock() - 10 * 86400);
    above = v.modified;
    if (v.kind == VersionKind::version) ++classes[std::to_string(v.storage_class)];
  }
  // 6,000 versions drawn 70:30 (deterministically): both classes, in about that share.
  ASSERT_EQ(classes.size(), 2u);
  const int glacier = classes[std::to_string(storage_class_of("GLACIER"))];
  EXPECT_GT(glacier, 1500);
  EXPECT_LT(glacier, 2100);
}
