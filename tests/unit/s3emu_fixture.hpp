// The fixture of s3emu's request-handling tests: a Router over a Store, driven without
// sockets, with requests from the protocol layer's builders and a fixed clock.
#pragma once

#include <gtest/gtest.h>

#include <map>
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
#include "protocol/storage_class.hpp"
#include "s3emu/router.hpp"
#include "s3emu/seed.hpp"

namespace s3emu_test {

using namespace s3purge::protocol;
using s3emu::EmuRequest;

inline std::int64_t fixed_clock() { return 1795437296; }

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

}  // namespace s3emu_test
