// CPU cost of the protocol work per deleted key: building a 1000-key DeleteObjects body,
// signing it, and parsing the listing page that fed it and the answer that came back.
// The budget for the whole client is 1 µs of CPU per deleted key (bench goals); this shows
// how much of it the protocol layer uses. Run: build/bench/protocol_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "protocol/delete_requests.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/list_responses.hpp"
#include "protocol/list_requests.hpp"
#include "protocol/sigv4.hpp"

using namespace s3purge::protocol;

namespace {

constexpr int kKeys = 1000;

RequestContext context() {
  auto ep = parse_endpoint("http://127.0.0.1:9000");
  return RequestContext{"bench", *resolve_bucket_address(*ep, "bench", AddressingStyle::path), {}};
}

std::vector<ObjectId> batch() {
  std::vector<ObjectId> ids;
  for (int i = 0; i < kKeys; ++i) {
    ids.push_back({"logs/2026/11/23/host-" + std::to_string(i % 97) + "/part-" +
                       std::to_string(i) + ".json.gz",
                   "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY" + std::to_string(i)});
  }
  return ids;
}

void BM_BuildDeleteObjects(benchmark::State& state) {
  const RequestContext ctx = context();
  const auto ids = batch();
  std::string buffer;
  for (auto _ : state) {
    auto r = build_delete_objects(ctx, ids, {}, std::move(buffer));
    benchmark::DoNotOptimize(r->body.data());
    buffer = std::move(r->body);  // the engine hands the body back for the next batch
  }
  state.SetItemsProcessed(state.iterations() * kKeys);
}
BENCHMARK(BM_BuildDeleteObjects);

void BM_SignDeleteObjects(benchmark::State& state) {
  const auto mode = state.range(0) ? PayloadSigning::sha256 : PayloadSigning::unsigned_payload;
  const RequestContext ctx = context();
  auto request = *build_delete_objects(ctx, batch(), {});
  const Signer signer(Credentials{"AKIAIOSFODNN7EXAMPLE", "secret", ""}, "us-east-1");
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    signer.sign(request, now, mode);
    benchmark::DoNotOptimize(request.headers.get("authorization").data());
  }
  state.SetItemsProcessed(state.iterations() * kKeys);
  state.SetLabel(state.range(0) ? "sha256 payload (plain http)" : "UNSIGNED-PAYLOAD (https)");
}
BENCHMARK(BM_SignDeleteObjects)->Arg(0)->Arg(1);

// A ListObjectsV2 page as S3 sends it with encoding-type=url (and as s3emu does).
std::string objects_page() {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bench</Name><Prefix></Prefix>"
      "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
      "<KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>"
      "<IsTruncated>true</IsTruncated>";
  for (int i = 0; i < kKeys; ++i) {
    body += "<Contents><Key>logs/2026/11/23/host-" + std::to_string(i % 97) + "/part-" +
            std::to_string(i) + ".json.gz</Key><LastModified>2026-11-23T14:00:00.000Z"
            "</LastModified><ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234"
            "</Size><StorageClass>STANDARD</StorageClass></Contents>";
  }
  return body + "</ListBucketResult>";
}

void BM_ParseListObjectsV2Page(benchmark::State& state) {
  const std::string body = objects_page();
  for (auto _ : state) {
    auto page = parse_list_objects_v2(body);
    benchmark::DoNotOptimize(page->objects.data());
  }
  state.SetItemsProcessed(state.iterations() * kKeys);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_ParseListObjectsV2Page);

std::string versions_page() {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListVersionsResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bench</Name><Prefix></Prefix>"
      "<KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><NextKeyMarker>k</NextKeyMarker>"
      "<NextVersionIdMarker>v</NextVersionIdMarker><MaxKeys>1000</MaxKeys>"
      "<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>";
  for (int i = 0; i < kKeys; ++i) {
    body += "<Version><Key>logs%2F2026%2F11%2F23%2Fpart-" + std::to_string(i) +
            ".json.gz</Key><VersionId>3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY" + std::to_string(i) +
            "</VersionId><IsLatest>true</IsLatest><LastModified>2026-11-23T14:00:00.000Z"
            "</LastModified><ETag>\"fba9dede5f27731c9771645a39863328\"</ETag><Size>434234"
            "</Size><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
            "</ID></Owner><StorageClass>STANDARD</StorageClass></Version>";
  }
  return body + "</ListVersionsResult>";
}

void BM_ParseListVersionsPage(benchmark::State& state) {
  const std::string body = versions_page();
  for (auto _ : state) {
    auto page = parse_list_object_versions(body);
    benchmark::DoNotOptimize(page->entries.data());
  }
  state.SetItemsProcessed(state.iterations() * kKeys);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_ParseListVersionsPage);

void BM_ParseDeleteResult(benchmark::State& state) {
  std::string body = "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (int i = 0; i < kKeys; ++i) {
    body += "<Deleted><Key>logs/2026/11/23/part-" + std::to_string(i) +
            ".json.gz</Key><VersionId>3HL4kqtJlcpXroDTDmJ" + std::to_string(i) +
            "</VersionId></Deleted>";
  }
  body += "</DeleteResult>";
  for (auto _ : state) {
    auto r = parse_delete_objects_result(body);
    benchmark::DoNotOptimize(r->deleted.data());
  }
  state.SetItemsProcessed(state.iterations() * kKeys);
  state.SetLabel("verbose answer; Quiet mode returns only errors");
}
BENCHMARK(BM_ParseDeleteResult);

}  // namespace

BENCHMARK_MAIN();
