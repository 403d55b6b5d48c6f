// Emits signed requests as JSON lines, built with the real request builders and signed with
// the real Signer, for tests/botocore/compare_sigv4.py to re-sign with botocore and compare
// byte for byte. Every byte string that may not be ASCII is written as hex.
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <iostream>
#include <string>
#include <vector>

#include "protocol/bucket_requests.hpp"
#include "protocol/crypto.hpp"
#include "protocol/delete_requests.hpp"
#include "protocol/lifecycle.hpp"
#include "protocol/list_requests.hpp"
#include "protocol/sigv4.hpp"

using namespace s3purge::protocol;

namespace {

std::string hex(std::string_view s) {
  return hex_lower(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

std::string json_ascii(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

struct Case {
  std::string name;
  std::string endpoint;
  std::string bucket;
  AddressingStyle style;
  std::string key;  // "" for bucket requests
  std::string region;
  Credentials credentials;
  std::chrono::system_clock::time_point when;
  PayloadSigning payload;
  HttpRequest request;
};

const Credentials kCreds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const Credentials kTemp{"ASIAY34FZKBOKMUTVV7A", "secret/with+plus=and~tilde",
                        "FwoGZXIvYXdzEJr//////////wEaDM+token/with=odd+chars"};

std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

RequestContext context(const std::string& endpoint, const std::string& bucket,
                       AddressingStyle style, RequestOptions options = {}) {
  auto ep = parse_endpoint(endpoint);
  if (!ep) throw std::runtime_error(ep.error().describe());
  auto addr = resolve_bucket_address(*ep, bucket, style);
  if (!addr) throw std::runtime_error(addr.error().describe());
  return RequestContext{bucket, *addr, std::move(options)};
}

template <class T>
T must(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().describe());
  return std::move(r).value();
}

void emit(const Case& c, const RequestContext& ctx) {
  std::cout << "{\"name\":" << json_ascii(c.name) << ",\"endpoint\":" << json_ascii(c.endpoint)
            << ",\"bucket\":" << json_ascii(c.bucket)
            << ",\"style\":" << json_ascii(to_string(ctx.address.style))
            << ",\"object\":" << (c.key.empty() ? "false" : "true")
            << ",\"key_hex\":" << json_ascii(hex(c.key))
            << ",\"region\":" << json_ascii(c.region)
            << ",\"access_key\":" << json_ascii(c.credentials.access_key_id)
            << ",\"secret_key_hex\":" << json_ascii(hex(c.credentials.secret_access_key))
            << ",\"token_hex\":" << json_ascii(hex(c.credentials.session_token))
            << ",\"timestamp\":" << json_ascii(amz_timestamp(c.when))
            << ",\"unsigned_payload\":"
            << (c.payload == PayloadSigning::unsigned_payload ? "true" : "false")
            << ",\"method\":" << json_ascii(c.request.method)
            << ",\"host\":" << json_ascii(c.request.host)
            << ",\"path\":" << json_ascii(c.request.path)
            << ",\"target\":" << json_ascii(c.request.target()) << ",\"query\":[";
  for (std::size_t i = 0; i < c.request.query.size(); ++i) {
    std::cout << (i ? "," : "") << "[" << json_ascii(hex(c.request.query[i].name)) << ","
              << json_ascii(hex(c.request.query[i].value)) << "]";
  }
  std::cout << "],\"headers\":[";
  bool first = true;
  for (const auto& [n, v] : c.request.headers) {
    std::cout << (first ? "" : ",") << "[" << json_ascii(n) << "," << json_ascii(hex(v)) << "]";
    first = false;
  }
  std::cout << "],\"body_hex\":" << json_ascii(hex(c.request.body)) << "}\n";
}

}  // namespace

int main() {
  std::vector<std::pair<Case, RequestContext>> cases;
  const auto t0 = at(1369353600);   // 2013-05-24T00:00:00Z, the AWS documentation's date
  const auto t1 = at(1795437296);   // 2026-11-23T...
  const auto t2 = at(1795437296 + 86400 * 3 + 7);

  auto add = [&](std::string name, std::string endpoint, std::string bucket, AddressingStyle style,
                 std::string key, std::string region, Credentials creds,
                 std::chrono::system_clock::time_point when, PayloadSigning payload,
                 const std::function<HttpRequest(const RequestContext&)>& build,
                 RequestOptions options = {}) {
    RequestContext ctx = context(endpoint, bucket, style, options);
    Case c{std::move(name), endpoint, bucket, style, std::move(key), std::move(region),
           std::move(creds), when, payload, build(ctx)};
    cases.emplace_back(std::move(c), std::move(ctx));
  };
  const auto S = PayloadSigning::sha256;
  const auto U = PayloadSigning::unsigned_payload;
  const auto P = AddressingStyle::path;
  const auto V = AddressingStyle::virtual_hosted;
  const auto A = AddressingStyle::automatic;
  const std::string aws = "https://s3.us-east-1.amazonaws.com";
  const std::string local = "http://127.0.0.1:9000";

  // Listings.
  add("list-v2-plain", local, "bucket", P, "", "us-east-1", kCreds, t1, S,
      [](auto& c) { return build_list_objects_v2(c, {}); });
  add("list-v2-prefix-spaces-unicode", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) {
        ListObjectsV2Params p;
        p.prefix = "photos/2024 summer/caf\xc3\xa9/";
        p.start_after = "photos/2024 summer/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.jpg";
        return build_list_objects_v2(c, p);
      });
  add("list-v2-token-plus-equals", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) {
        ListObjectsV2Params p;
        p.continuation_token = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=+a~b%c";
        p.max_keys = 1000;
        return build_list_objects_v2(c, p);
      });
  add("list-v2-long-token", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U, [](auto& c) {
    ListObjectsV2Params p;
    p.continuation_token = std::string(1500, 'x') + "/+=";
    p.delimiter = "/";
    return build_list_objects_v2(c, p);
  });
  add("list-v2-no-encoding-type", local, "bucket", P, "", "us-east-1", kCreds, t1, S, [](auto& c) {
    ListObjectsV2Params p;
    p.url_encoding = false;
    p.max_keys = 1;
    p.prefix = "a+b=c~d%e/f g";
    return build_list_objects_v2(c, p);
  });
  add("list-versions-markers", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) {
        ListObjectVersionsParams p;
        p.key_marker = "dir/a b+c=d~e%f/g";
        p.version_id_marker = "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo";
        return build_list_object_versions(c, p);
      });
  add("list-versions-null-marker-token", aws, "examplebucket", V, "", "us-east-1", kTemp, t1, U,
      [](auto& c) {
        ListObjectVersionsParams p;
        p.key_marker = "k";
        p.version_id_marker = "null";
        p.prefix = "logs/";
        return build_list_object_versions(c, p);
      });
  add("list-uploads", local, "bucket", P, "", "us-east-1", kCreds, t1, S, [](auto& c) {
    ListMultipartUploadsParams p;
    p.key_marker = "big/file.bin";
    p.upload_id_marker = "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA--";
    return build_list_multipart_uploads(c, p);
  });
  add("list-uploads-virtual-token", aws, "examplebucket", V, "", "us-east-1", kTemp, t1, U,
      [](auto& c) { return build_list_multipart_uploads(c, {}); });

  // DeleteObjects.
  auto batch = [](std::vector<ObjectId> ids, DeleteOptions o) {
    return [ids = std::move(ids), o](const RequestContext& c) {
      return must(build_delete_objects(c, ids, o));
    };
  };
  add("delete-objects-one-http", local, "bucket", P, "", "us-east-1", kCreds, t1, S,
      batch({{"a.txt", ""}}, {}));
  std::vector<ObjectId> thousand;
  for (int i = 0; i < 1000; ++i) thousand.push_back({"prefix/key-" + std::to_string(i), ""});
  add("delete-objects-1000-unsigned", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      batch(thousand, {}));
  add("delete-objects-1000-signed", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, S,
      batch(thousand, {false, false, ""}));
  add("delete-objects-xml-specials-versions", aws, "examplebucket", V, "", "us-east-1", kCreds, t1,
      U,
      batch({{"a&b<c>d\"e'f", "v1"}, {"caf\xc3\xa9 \xe2\x98\x83", "null"},
             {"tab\there\nnl\rcr", "3/L4kq+tJ="}},
            {true, true, ""}),
      RequestOptions{true, "111122223333"});
  add("delete-objects-mfa-spaces", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      batch({{"k", "v"}}, {true, false, "arn:aws:iam::123456789012:mfa/user   123456"}));
  add("delete-objects-session-token", aws, "examplebucket", V, "", "us-east-1", kTemp, t1, U,
      batch({{"k1", ""}, {"k2", ""}}, {}));

  // DeleteObject, one key.
  auto single = [](std::string key, std::string version, DeleteOptions o = {}) {
    return [key, version, o](const RequestContext& c) {
      return must(build_delete_object(c, {key, version}, o));
    };
  };
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"delete-object-plain", "test.txt"},
      {"delete-object-spaces", "my folder/my file (1).txt"},
      {"delete-object-unicode-nfc", "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt"},
      {"delete-object-unicode-nfd", "cafe\xcc\x81/na\xc3\xafve"},
      {"delete-object-reserved", "a+b=c~d%e/f:g@h!i$j&k'l(m)n*o,p;q"},
      {"delete-object-query-like", "?delete&x=%2F#frag"},
      {"delete-object-control", std::string("ctl\x01\x1f\x7f\ttab\nnl", 13)},
      {"delete-object-dots-slashes", "/leading//double/../dots/./x"},
      {"delete-object-1024", std::string(1024, 'k')},
  };
  for (const auto& [name, key] : keys) {
    add(name, aws, "examplebucket", V, key, "us-east-1", kCreds, t1, U, single(key, ""));
  }
  add("delete-object-path-style-version", local, "bucket", P, "dir/file name.txt", "us-east-1",
      kCreds, t1, S, single("dir/file name.txt", "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf"));
  add("delete-object-bypass-governance", aws, "examplebucket", V, "locked.bin", "us-east-1",
      kTemp, t1, U, single("locked.bin", "v2", {true, true, ""}),
      RequestOptions{true, "111122223333"});
  add("abort-upload", aws, "examplebucket", V, "big file.bin", "us-east-1", kCreds, t1, U,
      [](auto& c) {
        return must(build_abort_multipart_upload(c, "big file.bin",
                                                 "2~JZ8QkN9R-EXAMPLE+UPLOAD/ID="));
      });

  // Bucket-level requests.
  add("delete-bucket", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) { return build_delete_bucket(c); });
  add("head-bucket-eu-options", "https://s3.eu-central-1.amazonaws.com", "examplebucket", V, "",
      "eu-central-1", kCreds, t1, U, [](auto& c) { return build_head_bucket(c); },
      RequestOptions{true, "111122223333"});
  add("get-location", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) { return build_get_bucket_location(c); });
  add("get-versioning", local, "bucket", P, "", "us-east-1", kCreds, t1, S,
      [](auto& c) { return build_get_bucket_versioning(c); });
  add("get-object-lock", aws, "examplebucket", V, "", "us-east-1", kTemp, t1, U,
      [](auto& c) { return build_get_object_lock_configuration(c); });
  add("get-lifecycle", aws, "examplebucket", V, "", "us-east-1", kCreds, t0, U,
      [](auto& c) { return build_get_bucket_lifecycle(c); });
  add("put-lifecycle", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, S, [](auto& c) {
    LifecycleConfiguration cfg;
    LifecycleRule r;
    r.id = "s3purge-expire-all";
    r.expiration_days = 1;
    r.noncurrent_expiration_days = 1;
    r.abort_incomplete_upload_days = 1;
    cfg.rules.push_back(r);
    return build_put_bucket_lifecycle(c, must(write_lifecycle_configuration(cfg)));
  });
  add("delete-lifecycle", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) { return build_delete_bucket_lifecycle(c); });
  add("get-replication", aws, "examplebucket", V, "", "us-east-1", kCreds, t1, U,
      [](auto& c) { return build_get_bucket_replication(c); });

  // Endpoints and addressing.
  add("ipv6-endpoint", "http://[::1]:9000", "bucket", P, "k", "us-east-1", kCreds, t1, S,
      single("k", ""));
  add("legacy-bucket-name", local, "Legacy_Bucket", P, "k", "us-east-1", kCreds, t1, S,
      single("k", ""));
  add("dotted-bucket-https-auto", aws, "my.dotted.bucket", A, "k", "us-east-1", kCreds, t1, U,
      single("k", ""));
  add("dotted-bucket-http-auto", "http://minio.internal:9000", "my.dotted.bucket", A, "k",
      "us-east-1", kCreds, t1, S, single("k", ""));
  add("coreweave-virtual", "https://cwobject.com", "my-bucket", V, "", "US-EAST-04A", kCreds, t1,
      U, [](auto& c) { return build_list_objects_v2(c, {}); });
  add("next-day-same-signer", aws, "examplebucket", V, "", "us-east-1", kCreds, t2, U,
      [](auto& c) { return build_get_bucket_versioning(c); });

  // Sign with one signer per (credentials, region), so the per-day key cache is exercised
  // across dates.
  for (auto& [c, ctx] : cases) {
    static std::vector<std::unique_ptr<Signer>> signers;
    Signer* signer = nullptr;
    for (auto& s : signers) {
      if (s->region() == c.region && s->credentials().access_key_id == c.credentials.access_key_id) {
        signer = s.get();
      }
    }
    if (!signer) signer = signers.emplace_back(std::make_unique<Signer>(c.credentials, c.region)).get();
    signer->sign(c.request, c.when, c.payload);
    emit(c, ctx);
  }
  return 0;
}
