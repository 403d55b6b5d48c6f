// s3emu's request handling, driven without sockets. Requests come from the protocol
// layer's builders (signed by its Signer where verification is on) and answers are read
// with its parsers; S3's semantics are checked against the behaviour S3 documents.
#include "s3emu_fixture.hpp"

using namespace s3emu_test;

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
