// The engine against s3emu started in-process on 127.0.0.1, port 0: the real HTTP stack,
// the real emulator, every byte on loopback.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <optional>
#include <thread>

#include "engine/purger.hpp"
#include "engine/tls_context.hpp"
#include "tests/engine/emulator_fixture.hpp"

using namespace s3purge;
using engine::Kind;
namespace asio = boost::asio;

using namespace s3purge::testing;

// 1. 100k objects with versions, markers and uploads: emptied, bucket deleted.
TEST(Purger, EmptiesAndDeletesAVersionedBucket) {
  Emulator emu("bucket=big-bucket,objects=100000,prefixes=20,versions=2,markers=5000,uploads=300");
  auto o = options_for(emu, "big-bucket");
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_TRUE(r.balanced()) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 200000u) << summary(r);
  EXPECT_EQ(r.of(Kind::delete_marker).deleted, 5000u);
  EXPECT_EQ(r.of(Kind::upload).deleted, 300u);
  EXPECT_EQ(r.of(Kind::object).listed, 0u) << "versioned: every entry is a version or marker";
  EXPECT_TRUE(r.failures.empty());
  EXPECT_FALSE(emu.census("big-bucket")) << "the bucket is gone";
  EXPECT_EQ(emu.stats().keys_deleted_total(), 205000u) << "each entry removed exactly once";
  // Latency per operation, every attempt.
  EXPECT_EQ(r.calls.latency.at("DeleteObjects").count(), 205u);
  EXPECT_GE(r.calls.latency.at("ListObjectVersions").count(), 205u);
  EXPECT_EQ(r.calls.latency.at("AbortMultipartUpload").count(), 300u);
  EXPECT_EQ(r.calls.latency.at("DeleteBucket").count(), 1u);
  EXPECT_GT(r.calls.latency.at("DeleteObjects").percentile_ms(50), 0);
}

TEST(Purger, GovernanceLockNeedsTheBypassOption) {
  Emulator emu("bucket=governed-bucket,objects=500,versions=2,lock=governance,locked=20");
  auto o = options_for(emu, "governed-bucket");
  o.delete_bucket = true;
  auto r = purge(o);
  EXPECT_EQ(r.of(Kind::version).failed, 40u) << summary(r);
  EXPECT_FALSE(r.bucket_deleted);
  o.bypass_governance = true;
  r = purge(o);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 40u);
}

TEST(Purger, WrongRegionStopsAndNamesTheRightOne) {
  Emulator emu("bucket=eu-bucket,objects=50,region=eu-west-1");
  const auto r = purge(options_for(emu, "eu-bucket"));
  EXPECT_NE(r.stopped.find("AuthorizationHeaderMalformed"), std::string::npos) << r.stopped;
  EXPECT_NE(r.stopped.find("--region eu-west-1"), std::string::npos) << r.stopped;
  EXPECT_EQ(emu.census("eu-bucket")->keys, 50u);
}

TEST(Purger, EmptiesAnUnversionedBucketAndKeepsIt) {
  Emulator emu("bucket=flat-bucket,objects=25000,prefixes=3,uploads=10");
  const auto r = purge(options_for(emu, "flat-bucket"));
  EXPECT_TRUE(r.balanced()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, 25000u) << summary(r);
  EXPECT_TRUE(r.empty_verified);
  EXPECT_FALSE(r.bucket_deleted);
  auto c = emu.census("flat-bucket");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->empty());
}

// 2. Faults: SlowDown, resets, per-key InternalError, errors inside 200s, truncated bodies.
TEST(Purger, EverythingDeletedAndCountedUnderFaults) {
  s3emu::FaultRates f;
  f.slowdown = 0.05;
  f.reset = 0.01;
  f.key_error = 0.01;
  f.error_in_200 = 0.01;
  f.internal = 0.01;
  f.truncate = 0.01;
  Emulator emu("bucket=faulty-bucket,objects=30000,prefixes=5,versions=2,markers=1000,uploads=200",
               {}, {}, f);
  auto o = options_for(emu, "faulty-bucket");
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_TRUE(r.balanced()) << summary(r);
  EXPECT_TRUE(r.failures.empty()) << r.failures.size() << " failures, first: "
                                  << (r.failures.empty() ? "" : r.failures[0].code);
  EXPECT_EQ(r.of(Kind::version).deleted, 60000u);
  EXPECT_EQ(r.of(Kind::delete_marker).deleted, 1000u);
  EXPECT_EQ(r.of(Kind::upload).deleted, 200u);
  EXPECT_GT(r.calls.throttle_retries, 0u);
  EXPECT_GT(r.calls.transient_retries + r.key_retries, 0u);
  EXPECT_GT(r.throttles, 0u);
  EXPECT_EQ(emu.stats().keys_deleted_total(), 61000u);
}

// 3. Permanent per-key failures: reported with codes, the run ends, no loop.
TEST(Purger, ComplianceLockedVersionsAreReportedNotRetriedForever) {
  Emulator emu("bucket=locked-bucket,objects=2000,versions=2,lock=compliance,locked=30");
  auto o = options_for(emu, "locked-bucket");
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.balanced()) << summary(r);
  EXPECT_EQ(r.of(Kind::version).failed, 60u) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 4000u - 60u);
  ASSERT_EQ(r.failures.size(), 60u);
  for (const auto& f : r.failures) {
    EXPECT_EQ(f.code, "AccessDenied");
    EXPECT_FALSE(f.version_id.empty());
    EXPECT_FALSE(f.request_id.empty());
  }
  EXPECT_FALSE(r.bucket_deleted);
  EXPECT_EQ(r.remaining, 60u) << "what remains is exactly what failed";
  EXPECT_LE(r.passes, 2) << "known failures do not cause more passes";
}

// 4. A prefix-scoped run leaves every other key intact.
TEST(Purger, PrefixRunTouchesNothingElse) {
  Emulator emu("bucket=prefix-bucket,objects=5000,prefixes=5,versions=2");
  const auto before = emu.keys("prefix-bucket");
  auto o = options_for(emu, "prefix-bucket");
  o.prefix = "prefix-0002/";
  const auto r = purge(o);
  EXPECT_TRUE(r.balanced()) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 2000u) << summary(r);
  std::vector<std::string> expected;
  for (const auto& k : before) {
    if (!k.starts_with("prefix-0002/")) expected.push_back(k);
  }
  EXPECT_EQ(emu.keys("prefix-bucket"), expected);
  EXPECT_TRUE(emu.census("prefix-bucket"));
}

TEST(Purger, PrefixWithDeleteBucketIsRefused) {
  Emulator emu("bucket=keep-bucket,objects=10");
  auto o = options_for(emu, "keep-bucket");
  o.prefix = "prefix-0000/";
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_FALSE(r.stopped.empty());
  EXPECT_EQ(emu.census("keep-bucket")->keys, 10u) << "nothing deleted";
}

// 5. TLS with a self-signed certificate: refused without trust, works with the CA bundle.
TEST(Purger, TlsNeedsTrust) {
  const auto dir = std::filesystem::temp_directory_path() / ("s3purge-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  s3emu::write_self_signed_certificate(cert, key, {"tls-bucket.localhost"});
  s3emu::ServerOptions so;
  so.tls_cert_file = cert;
  so.tls_key_file = key;
  Emulator emu("bucket=tls-bucket,objects=3000,versions=2", {}, so);

  auto untrusted = engine::make_tls_context({"/etc/ssl/certs/ca-certificates.crt", true});
  ASSERT_TRUE(untrusted) << untrusted.error().describe();
  auto r = purge(options_for(emu, "tls-bucket", "https"), untrusted->get());
  EXPECT_NE(r.stopped.find("certificate verify failed"), std::string::npos) << r.stopped;
  EXPECT_EQ(emu.census("tls-bucket")->keys, 3000u) << "nothing deleted";

  auto trusted = engine::make_tls_context({cert, true});
  ASSERT_TRUE(trusted);
  auto o = options_for(emu, "tls-bucket", "https", "localhost",
                       protocol::AddressingStyle::virtual_hosted);
  o.connection.connect_address = "127.0.0.1";
  o.delete_bucket = true;
  r = purge(o, trusted->get());
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 6000u);
  std::filesystem::remove_all(dir);
}

// 6. Virtual-hosted addressing end to end.
TEST(Purger, VirtualHostedAddressing) {
  Emulator emu("bucket=vhost-bucket,objects=4000,uploads=5");
  auto o = options_for(emu, "vhost-bucket", "http", "localhost",
                       protocol::AddressingStyle::virtual_hosted);
  ASSERT_EQ(o.address.host_header, "vhost-bucket.localhost:" + std::to_string(emu.port()));
  o.connection.connect_address = "127.0.0.1";
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, 4000u);
}

// 7. A server without DeleteObjects: single deletes, same concurrency.
TEST(Purger, FallsBackToSingleDeletes) {
  s3emu::RouterOptions ro;
  ro.delete_objects = false;
  Emulator emu("bucket=nobatch-bucket,objects=1500,versions=2", ro);
  auto o = options_for(emu, "nobatch-bucket");
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.delete_objects_unsupported);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 3000u);
  EXPECT_TRUE(r.balanced());
}

TEST(Purger, HostileKeysIncludingOnesXmlCannotCarry) {
  Emulator emu("bucket=hostile-bucket,objects=3000,keys=hostile,versions=2");
  auto o = options_for(emu, "hostile-bucket");
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 6000u);
}

TEST(Purger, PeerClosingAfterNRequestsLosesNothing) {
  s3emu::ServerOptions so;
  so.max_requests_per_connection = 3;
  Emulator emu("bucket=closing-bucket,objects=20000,versions=2,uploads=50", {}, so);
  auto o = options_for(emu, "closing-bucket");
  o.delete_bucket = true;
  o.retry.transient_retries = 0;  // a resend on a closed keep-alive is not a retry
  const auto r = purge(o);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 40000u);
  EXPECT_EQ(r.calls.transient_retries, 0u);
}

TEST(Purger, DryRunDeletesNothingAndCountsEverything) {
  Emulator emu("bucket=dry-bucket,objects=3000,versions=2,markers=100,uploads=7");
  auto o = options_for(emu, "dry-bucket");
  o.dry_run = true;
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_TRUE(r.balanced());
  EXPECT_EQ(r.of(Kind::version).skipped, 6000u);
  EXPECT_EQ(r.of(Kind::delete_marker).skipped, 100u);
  EXPECT_EQ(r.of(Kind::upload).skipped, 7u);
  EXPECT_EQ(r.total(&engine::KindCounts::deleted), 0u);
  EXPECT_EQ(emu.stats().keys_deleted_total(), 0u);
  EXPECT_EQ(emu.census("dry-bucket")->keys, 3000u);
}

TEST(Purger, FatalErrorsStopBeforeDeletingAnything) {
  Emulator emu("bucket=fatal-bucket,objects=100");
  auto r = purge(options_for(emu, "fatal-bucket"), nullptr, {"AKIDTEST", "wrong-secret", ""});
  EXPECT_NE(r.stopped.find("SignatureDoesNotMatch"), std::string::npos) << r.stopped;
  r = purge(options_for(emu, "no-such-bucket"));
  EXPECT_NE(r.stopped.find("NoSuchBucket"), std::string::npos) << r.stopped;
  EXPECT_EQ(emu.census("fatal-bucket")->keys, 100u);
  // An endpoint nobody listens on.
  auto o = options_for(emu, "fatal-bucket");
  o.address.port = 1;
  o.retry.transient_retries = 2;
  r = purge(o);
  EXPECT_NE(r.stopped.find("connection refused"), std::string::npos) << r.stopped;
}

// Deleting the bucket, DeleteBucket is the last check (it answers 409 while anything is
// left): the listing `empty` ends with is not sent. Same buckets, same requests, but that.
TEST(Purger, DeleteBucketIsTheLastCheck) {
  Emulator::Config config;
  config.seeds = {"bucket=kept,objects=500,uploads=3", "bucket=gone,objects=500,uploads=3"};
  Emulator emu(config);
  const auto emptied = purge(options_for(emu, "kept"));
  auto o = options_for(emu, "gone");
  o.delete_bucket = true;
  const auto deleted = purge(o);
  ASSERT_TRUE(emptied.empty_verified) << summary(emptied);
  ASSERT_TRUE(deleted.bucket_deleted) << summary(deleted);
  EXPECT_TRUE(deleted.empty_verified);
  EXPECT_EQ(deleted.passes, 1);
  for (const char* op : {"ListObjectsV2", "ListMultipartUploads"}) {
    EXPECT_EQ(deleted.calls.latency.at(op).count() + 1, emptied.calls.latency.at(op).count()) << op;
  }
}

// A server that reports deletions it did not make answers DeleteBucket with 409: another
// pass runs, and DeleteBucket again, until the bucket goes (or the passes run out).
TEST(Purger, BucketNotEmptyMeansAnotherPassThenDeleteBucket) {
  s3emu::FaultRates f;
  f.lost_delete = 0.3;
  Emulator emu("bucket=liar,objects=3000,prefixes=3", {}, {}, f);
  auto o = options_for(emu, "liar");
  o.delete_bucket = true;
  o.extra_passes = 20;
  const auto r = purge(o);
  EXPECT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_GE(r.passes, 2) << summary(r);
  EXPECT_EQ(r.calls.latency.at("DeleteBucket").count(), static_cast<std::uint64_t>(r.passes))
      << "one after each pass, the last one answered 204";
  EXPECT_FALSE(emu.census("liar"));
}

// Versioning the caller checked a moment before is not asked again, and decides the listing.
TEST(Purger, VersioningGivenIsNotAskedAgain) {
  Emulator emu("bucket=told,objects=2000,versions=2");
  auto o = options_for(emu, "told");
  o.versioning = protocol::VersioningStatus::enabled;
  const auto r = purge(o);
  EXPECT_TRUE(r.empty_verified) << summary(r);
  EXPECT_EQ(r.of(Kind::version).deleted, 4000u) << summary(r);
  EXPECT_EQ(r.calls.latency.count("GetBucketVersioning"), 0u);
  EXPECT_EQ(r.calls.latency.count("ListObjectsV2"), 0u) << "versions are listed as versions";
}

// A stop ends the waits in progress: deleters waiting for tokens of a low --rate (minutes
// of them) skip their batches at once instead of sending them, and nothing is counted
// failed.
TEST(Purger, AStopEndsTheWaitsForTokensAtOnce) {
  Emulator emu("bucket=slow-bucket,objects=5000");
  auto o = options_for(emu, "slow-bucket");
  o.rate = 50;  // 5000 keys: 100 s
  o.burst = 1;
  asio::io_context ioc;
  engine::Purger purger(ioc.get_executor(), o, kCreds, "us-east-1", nullptr);
  std::optional<engine::PurgeReport> report;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { report = co_await purger.run(); },
                 [](std::exception_ptr e) {
                   if (e) std::rethrow_exception(e);
                 });
  asio::steady_timer later(ioc, std::chrono::milliseconds(500));
  later.async_wait([&](boost::system::error_code) { purger.request_stop(); });
  ioc.run_for(std::chrono::seconds(20));  // bounded: a wait the stop does not end fails
  ASSERT_TRUE(report) << "the run did not end after the stop";
  EXPECT_TRUE(report->balanced()) << summary(*report);
  EXPECT_EQ(report->of(Kind::object).failed, 0u) << summary(*report);
  EXPECT_GT(report->of(Kind::object).skipped, 0u) << summary(*report);
  EXPECT_LT(report->elapsed, std::chrono::seconds(10)) << summary(*report);
}
