// Listing parsers on real answers (captured from moto_server by tests/data/capture_moto.py,
// and from the AWS documentation), and on truncated, malformed, empty, huge and hostile
// input.
#include "protocol/list_responses.hpp"

#include <gtest/gtest.h>

#include "test_data.hpp"

using namespace s3purge::protocol;
using s3purge::test::fixture;

TEST(ListObjectsV2, MotoPage) {
  auto p = parse_list_objects_v2(fixture("moto/list_objects_v2_page1.xml"));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_TRUE(p->is_truncated);
  EXPECT_FALSE(p->next_continuation_token.empty());
  ASSERT_EQ(p->objects.size(), 2u);
}

TEST(ListObjectsV2, MotoAllWithHostileKeys) {
  auto p = parse_list_objects_v2(fixture("moto/list_objects_v2_all.xml"));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_FALSE(p->is_truncated);
  std::vector<std::string> keys;
  for (const auto& o : p->objects) keys.push_back(o.key);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "a&b<c>d\"e'f"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "dir/with space.txt"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt"),
            keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "plus+equals=tilde~percent%"), keys.end());
  EXPECT_EQ(std::find(keys.begin(), keys.end(), "plain.txt"), keys.end())
      << "plain.txt has a delete marker on top";
  for (const auto& o : p->objects) EXPECT_EQ(o.size, 11u) << o.key;
}

TEST(ListObjectsV2, MotoDelimiterCommonPrefixes) {
  auto p = parse_list_objects_v2(fixture("moto/list_objects_v2_delimiter.xml"));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_NE(std::find(p->common_prefixes.begin(), p->common_prefixes.end(), "dir/"),
            p->common_prefixes.end());
}

TEST(ListObjectsV2, UrlEncodedKeysAreDecoded) {
  // As AWS answers with encoding-type=url: '+' for space, %XX for the rest.
  auto p = parse_list_objects_v2(
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>b</Name><Prefix>my+dir%2F</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>"
      "<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>my+dir/a%2Bb+c.txt</Key><Size>5</Size></Contents>"
      "<Contents><Key>ctl%01%0A%0D</Key><Size>0</Size></Contents>"
      "<Contents><Key>caf%C3%A9</Key><Size>1</Size></Contents>"
      "<CommonPrefixes><Prefix>x%20y/</Prefix></CommonPrefixes></ListBucketResult>");
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->objects.size(), 3u);
  EXPECT_EQ(p->objects[0].key, "my dir/a+b c.txt");
  EXPECT_EQ(p->objects[0].size, 5u);
  EXPECT_EQ(p->objects[1].key, "ctl\x01\n\r");
  EXPECT_EQ(p->objects[2].key, "caf\xc3\xa9");
  EXPECT_EQ(p->common_prefixes.at(0), "x y/");
}

TEST(ListObjectsV2, TruncatedWithoutTokenIsAnErrorNotTheEnd) {
  auto p = parse_list_objects_v2(
      "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a</Key></Contents>"
      "</ListBucketResult>");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, client_errc::inconsistent_listing);
}

TEST(ListObjectsV2, MalformedFields) {
  EXPECT_EQ(parse_list_objects_v2("<ListBucketResult><IsTruncated>yes</IsTruncated>"
                                  "</ListBucketResult>").error().code,
            client_errc::malformed_response);
  EXPECT_EQ(parse_list_objects_v2("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size>"
                                  "</Contents></ListBucketResult>").error().code,
            client_errc::malformed_response);
  EXPECT_EQ(parse_list_objects_v2("<ListBucketResult><Contents><Size>1</Size></Contents>"
                                  "</ListBucketResult>").error().code,
            client_errc::malformed_response);
  EXPECT_EQ(parse_list_objects_v2("<ListBucketResult><EncodingType>url</EncodingType>"
                                  "<Contents><Key>bad%zz</Key></Contents></ListBucketResult>")
                .error().code,
            client_errc::malformed_response);
  EXPECT_EQ(parse_list_objects_v2("<ListVersionsResult/>").error().code,
            client_errc::malformed_response)
      << "the wrong document for this operation";
  EXPECT_EQ(parse_list_objects_v2("").error().code, client_errc::empty_response);
}

// Where EncodingType comes in the page does not matter: S3 puts it before the entries,
// other servers after them.
TEST(ListObjectsV2, EncodingTypeAfterTheEntriesStillDecodes) {
  auto p = parse_list_objects_v2(
      "<ListBucketResult><Contents><Key>a%2Fb+c</Key></Contents>"
      "<CommonPrefixes><Prefix>d%2F</Prefix></CommonPrefixes>"
      "<EncodingType>url</EncodingType></ListBucketResult>");
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->objects.at(0).key, "a/b c");
  EXPECT_EQ(p->common_prefixes.at(0), "d/");
}

TEST(ListObjectsV2, KeysOfOnlyWhitespaceAreKeptExactly) {
  auto p = parse_list_objects_v2(
      "<ListBucketResult><Contents><Key> </Key></Contents><Contents><Key>\t \n</Key></Contents>"
      "<Contents><Key> a </Key></Contents></ListBucketResult>");
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->objects.size(), 3u);
  EXPECT_EQ(p->objects[0].key, " ");
  EXPECT_EQ(p->objects[1].key, "\t \n");
  EXPECT_EQ(p->objects[2].key, " a ");
}

// A page that says a thing twice is ambiguous: which key would be deleted?
TEST(ListParsers, FieldsGivenTwiceAreMalformed) {
  for (const char* body :
       {"<ListBucketResult><Contents><Key>a</Key><Key>b</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a</Key><Size>1</Size><Size>2</Size></Contents>"
        "</ListBucketResult>",
        "<ListBucketResult><IsTruncated>false</IsTruncated><IsTruncated>true</IsTruncated>"
        "</ListBucketResult>",
        "<ListBucketResult><CommonPrefixes><Prefix>a/</Prefix><Prefix>b/</Prefix>"
        "</CommonPrefixes></ListBucketResult>",
        "<ListBucketResult><CommonPrefixes></CommonPrefixes></ListBucketResult>"}) {
    auto p = parse_list_objects_v2(body);
    ASSERT_FALSE(p) << body;
    EXPECT_EQ(p.error().code, client_errc::malformed_response) << body;
  }
  auto v = parse_list_object_versions(
      "<ListVersionsResult><Version><Key>a</Key><VersionId>1</VersionId><VersionId>2</VersionId>"
      "</Version></ListVersionsResult>");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, client_errc::malformed_response);
  auto u = parse_list_multipart_uploads(
      "<ListMultipartUploadsResult><Upload><Key>a</Key><Key>b</Key><UploadId>u</UploadId>"
      "</Upload></ListMultipartUploadsResult>");
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, client_errc::malformed_response);
}

TEST(ListObjectVersions, MotoPageInDocumentOrder) {
  auto p = parse_list_object_versions(fixture("moto/list_versions_page1.xml"));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_TRUE(p->is_truncated);
  EXPECT_EQ(p->entries.size(), 3u);
  EXPECT_EQ(p->next_key_marker, "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt");
  EXPECT_FALSE(p->next_version_id_marker.empty());
}

TEST(ListObjectVersions, MotoAllVersionsAndMarkers) {
  auto p = parse_list_object_versions(fixture("moto/list_versions_all.xml"));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_FALSE(p->is_truncated);
  int versions = 0, markers = 0, latest = 0;
  for (const auto& e : p->entries) {
    (e.kind == VersionKind::version ? versions : markers)++;
    latest += e.is_latest ? 1 : 0;
    EXPECT_FALSE(e.version_id.empty());
  }
  EXPECT_EQ(versions, 12) << "6 keys, 2 versions each";
  EXPECT_EQ(markers, 1);
  EXPECT_EQ(latest, 6);
}

TEST(ListObjectVersions, AwsDocExampleWithNullVersionAndMarker) {
  auto p = parse_list_object_versions(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>bucket</Name><Prefix>my</Prefix><KeyMarker/><VersionIdMarker/>"
      "<MaxKeys>5</MaxKeys><IsTruncated>false</IsTruncated>"
      "<Version><Key>my-image.jpg</Key><VersionId>3/L4kqtJl40Nr8X8gdRQBpUMLUo</VersionId>"
      "<IsLatest>true</IsLatest><LastModified>2009-10-12T17:50:30.000Z</LastModified>"
      "<ETag>\"fba9dede5f27731c9771645a39863328\"</ETag><Size>434234</Size>"
      "<StorageClass>STANDARD</StorageClass></Version>"
      "<DeleteMarker><Key>my-second-image.jpg</Key><VersionId>03jpff543dhffds434rfdsFDN943fdsFkdmqnh892</VersionId>"
      "<IsLatest>true</IsLatest><LastModified>2009-11-12T17:50:30.000Z</LastModified></DeleteMarker>"
      "<Version><Key>my-second-image.jpg</Key><VersionId>null</VersionId><IsLatest>false</IsLatest>"
      "<Size>166434</Size></Version></ListVersionsResult>");
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->entries.size(), 3u);
  EXPECT_EQ(p->entries[0].size, 434234u);
  EXPECT_EQ(p->entries[1].kind, VersionKind::delete_marker);
  EXPECT_EQ(p->entries[2].version_id, "null");
}

TEST(ListObjectVersions, TruncatedWithoutMarkersIsAnError) {
  auto p = parse_list_object_versions(
      "<ListVersionsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k</NextKeyMarker>"
      "</ListVersionsResult>");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, client_errc::inconsistent_listing);
  p = parse_list_object_versions("<ListVersionsResult><IsTruncated>true</IsTruncated>"
                                 "</ListVersionsResult>");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, client_errc::inconsistent_listing);
}

TEST(ListObjectVersions, EntryWithoutVersionIdIsMalformed) {
  auto p = parse_list_object_versions(
      "<ListVersionsResult><Version><Key>k</Key></Version></ListVersionsResult>");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, client_errc::malformed_response);
}

TEST(ListMultipartUploads, MotoUploads) {
  auto p = parse_list_multipart_uploads(fixture("moto/list_uploads.xml"));
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->uploads.size(), 2u);
  EXPECT_EQ(p->uploads[0].key, "big upload.bin");
  EXPECT_FALSE(p->uploads[0].upload_id.empty());
  EXPECT_NE(p->uploads[0].upload_id, p->uploads[1].upload_id);
  EXPECT_FALSE(p->uploads[0].initiated.empty());
}

TEST(ListMultipartUploads, TruncatedNeedsBothMarkers) {
  auto p = parse_list_multipart_uploads(
      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k"
      "</NextKeyMarker></ListMultipartUploadsResult>");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, client_errc::inconsistent_listing);
  p = parse_list_multipart_uploads(
      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k"
      "</NextKeyMarker><NextUploadIdMarker>u</NextUploadIdMarker>"
      "<Upload><Key>k</Key><UploadId>u</UploadId></Upload></ListMultipartUploadsResult>");
  ASSERT_TRUE(p);
}

// Every cut of a real answer, at every byte, gives an error (never a crash, never a
// shorter listing taken for the whole).
TEST(ListParsers, EveryTruncationIsAnError) {
  for (const char* name : {"moto/list_versions_all.xml", "moto/list_objects_v2_all.xml",
                           "moto/list_uploads.xml"}) {
    const std::string body = fixture(name);
    const std::size_t end = body.rfind('>') + 1;  // the root's closing '>'
    int truncated = 0;
    for (std::size_t cut = 0; cut < end; ++cut) {
      const std::string_view part(body.data(), cut);
      bool ok = false;
      std::error_code ec;
      if (std::string_view(name).find("versions") != std::string_view::npos) {
        auto r = parse_list_object_versions(part);
        ok = r.has_value();
        if (!ok) ec = r.error().code;
      } else if (std::string_view(name).find("objects") != std::string_view::npos) {
        auto r = parse_list_objects_v2(part);
        ok = r.has_value();
        if (!ok) ec = r.error().code;
      } else {
        auto r = parse_list_multipart_uploads(part);
        ok = r.has_value();
        if (!ok) ec = r.error().code;
      }
      ASSERT_FALSE(ok) << name << " cut at " << cut << " parsed as complete";
      truncated += ec == client_errc::truncated_response ? 1 : 0;
    }
    EXPECT_GT(truncated, static_cast<int>(end) * 9 / 10) << name << ": most cuts are told as truncation";
  }
}

TEST(ListParsers, HugeTenMegabytePage) {
  // Far beyond S3's 1000 entries, but a server may misbehave: parse it or refuse it clearly.
  std::string body = "<ListVersionsResult><IsTruncated>false</IsTruncated>";
  const std::string key(200, 'k');
  int n = 0;
  while (body.size() < 10 * 1024 * 1024) {
    body += "<Version><Key>" + key + std::to_string(n++) +
            "</Key><VersionId>v</VersionId><Size>1</Size></Version>";
  }
  body += "</ListVersionsResult>";
  auto p = parse_list_object_versions(body);
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->entries.size(), static_cast<std::size_t>(n));
}

TEST(ListParsers, HostileKeys) {
  const std::string long_key(1024, 'x');
  auto p = parse_list_objects_v2(
      "<ListBucketResult><Contents><Key>" + long_key + "</Key></Contents>"
      "<Contents><Key>&#1;&#x1F;&lt;&amp;</Key></Contents>"
      "<Contents><Key>&#0;nul</Key></Contents>"
      "<Contents><Key>..//./?delete%2F</Key></Contents></ListBucketResult>");
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->objects.size(), 4u);
  EXPECT_EQ(p->objects[0].key, long_key);
  EXPECT_EQ(p->objects[1].key, "\x01\x1f<&");
  EXPECT_EQ(p->objects[3].key, "..//./?delete%2F") << "no decoding without EncodingType=url";
}
