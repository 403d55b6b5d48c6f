// What the commands other than empty/delete ask of the engine, against s3emu in-process:
// rm (keys from a list or a file), abort-uploads --older-than, and the BucketClient
// requests of plan, lifecycle and the sibling-prefix check.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/bucket_client.hpp"
#include "engine/key_source.hpp"
#include "tests/engine/emulator_fixture.hpp"

using namespace s3purge::testing;
using s3purge::engine::Kind;

namespace {

template <typename T>
T run(asio::io_context& ioc, asio::awaitable<T> task) {
  std::optional<T> out;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { out = co_await std::move(task); },
                 [](std::exception_ptr e) {
                   if (e) std::rethrow_exception(e);
                 });
  ioc.restart();
  ioc.run();
  return std::move(*out);
}

std::filesystem::path temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    (name + "-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path) << text;
  return path;
}

TEST(Rm, DeletesTheKeysNamedRelativeToThePrefix) {
  Emulator emu("bucket=rm-list,objects=50,prefixes=2");
  const auto keys = emu.keys("rm-list");
  ASSERT_EQ(keys.size(), 50u);
  const std::string prefix = keys[0].substr(0, keys[0].find('/') + 1);
  std::vector<std::string> lines;
  for (const auto& k : keys) {
    if (k.starts_with(prefix) && lines.size() < 10) lines.push_back(k.substr(prefix.size()));
  }
  lines.push_back("");  // blank lines are skipped
  engine::ListKeySource source(lines);
  auto o = options_for(emu, "rm-list");
  o.prefix = prefix;
  o.keys = &source;
  const auto r = purge(o);
  EXPECT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).listed, 10u) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, 10u) << summary(r);
  EXPECT_TRUE(r.balanced());
  EXPECT_EQ(emu.keys("rm-list").size(), 40u);
  for (const auto& k : emu.keys("rm-list")) {
    EXPECT_TRUE(std::find(lines.begin(), lines.end(), k.substr(prefix.size())) == lines.end() ||
                !k.starts_with(prefix))
        << k << " was named but not deleted";
  }
  EXPECT_EQ(r.of(Kind::upload).listed, 0u) << "rm does not touch uploads";
}

TEST(Rm, ReadsAFileInChunksAndReportsBadLines) {
  Emulator emu("bucket=rm-file,objects=2500");
  std::string text;
  for (const auto& k : emu.keys("rm-file")) text += k + "\n";
  text += "crlf-key\r\n";       // refused: would name a key that does not exist
  text += "\tno-key\n";         // refused: empty key
  text += "last-without-newline";
  const auto path = temp_file("rm-file", text);
  asio::io_context ioc;
  auto o = options_for(emu, "rm-file");
  auto source = engine::FileKeySource::open(ioc.get_executor(), path.string());
  ASSERT_TRUE(source);
  o.keys = source->get();
  engine::Purger purger(ioc.get_executor(), o, kCreds, "us-east-1", nullptr);
  const auto r = run(ioc, purger.run());
  std::filesystem::remove(path);
  EXPECT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).listed, 2503u) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, 2501u) << summary(r);  // S3 deletes absent keys happily
  EXPECT_EQ(r.of(Kind::object).failed, 2u) << summary(r);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0].code, "InvalidKeyLine");
  EXPECT_NE(r.failures[0].message.find("line 2501"), std::string::npos) << r.failures[0].message;
  EXPECT_NE(r.failures[0].message.find("carriage return"), std::string::npos);
  EXPECT_TRUE(r.balanced());
  EXPECT_TRUE(emu.keys("rm-file").empty());
}

TEST(Rm, AMissingFileIsAClearError) {
  asio::io_context ioc;
  auto source = engine::FileKeySource::open(ioc.get_executor(), "/nonexistent/keys.txt");
  ASSERT_FALSE(source);
  EXPECT_NE(source.error().message.find("/nonexistent/keys.txt"), std::string::npos);
}

TEST(Rm, ADirectoryIsAnErrorThatStopsTheRun) {
  Emulator emu("bucket=rm-dir,objects=5");
  asio::io_context ioc;
  auto source = engine::FileKeySource::open(ioc.get_executor(), "/");
  ASSERT_TRUE(source);  // open(2) takes a directory; read(2) refuses it
  auto o = options_for(emu, "rm-dir");
  o.keys = source->get();
  engine::Purger purger(ioc.get_executor(), o, kCreds, "us-east-1", nullptr);
  const auto r = run(ioc, purger.run());
  EXPECT_NE(r.stopped.find("cannot read keys"), std::string::npos) << summary(r);
  EXPECT_EQ(emu.keys("rm-dir").size(), 5u);
}

TEST(AbortUploads, OnlyThoseOlderThanTheCutoff) {
  Emulator emu("bucket=mpu,objects=20,uploads=5,old_uploads=7");
  auto o = options_for(emu, "mpu");
  o.objects = false;
  o.selection.older_than = std::chrono::duration_cast<std::chrono::seconds>(
                              (std::chrono::system_clock::now() - std::chrono::hours(24 * 7)).time_since_epoch())
                              .count();
  const auto r = purge(o);
  EXPECT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::upload).listed, 12u) << summary(r);
  EXPECT_EQ(r.of(Kind::upload).deleted, 7u) << summary(r);
  EXPECT_EQ(r.of(Kind::upload).skipped, 5u) << summary(r);
  EXPECT_EQ(r.kept_by[static_cast<std::size_t>(protocol::KeptBy::age)], 5u);
  EXPECT_EQ(r.of(Kind::object).listed, 0u) << "objects are not touched";
  EXPECT_TRUE(r.empty_verified) << "nothing old enough is left";
  EXPECT_TRUE(r.listing_done);
  const auto census = emu.census("mpu");
  ASSERT_TRUE(census);
  EXPECT_EQ(census->uploads, 5u);
  EXPECT_EQ(emu.keys("mpu").size(), 20u);
}

TEST(AbortUploads, DeleteBucketIsRefusedWithAFilter) {
  Emulator emu("bucket=mpu2,uploads=2");
  auto o = options_for(emu, "mpu2");
  o.objects = false;
  o.delete_bucket = true;
  const auto r = purge(o);
  EXPECT_FALSE(r.stopped.empty());
  EXPECT_FALSE(r.bucket_deleted);
}

TEST(Plan, ADryRunCountsCurrentAndNoncurrentVersions) {
  Emulator emu("bucket=plan,objects=300,versions=3,markers=10,uploads=4");
  auto o = options_for(emu, "plan");
  o.dry_run = true;
  const auto r = purge(o);
  EXPECT_EQ(r.of(Kind::version).listed, 900u) << summary(r);
  // A key under a delete marker has no current version among its versions.
  EXPECT_EQ(r.current_versions.listed, 290u) << summary(r);
  EXPECT_EQ(r.current_versions.skipped, 290u) << "a dry run's, as their kind's";
  EXPECT_EQ(r.of(Kind::delete_marker).listed, 10u);
  EXPECT_EQ(r.of(Kind::upload).listed, 4u);
  EXPECT_GT(r.current_versions.bytes_listed, 0u);
  EXPECT_TRUE(r.listing_done);
}

TEST(BucketClient, ReadsLockReplicationAndLifecycle) {
  Emulator emu("bucket=facts,objects=3,lock=governance,replication=1");
  asio::io_context ioc;
  engine::BucketClient client(ioc.get_executor(), options_for(emu, "facts"), kCreds, "us-east-1", nullptr);
  auto v = run(ioc, client.versioning());
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_EQ(v->status, protocol::VersioningStatus::enabled) << "object lock turns versioning on";
  auto lock = run(ioc, client.object_lock());
  ASSERT_TRUE(lock) << lock.error().describe();
  EXPECT_TRUE(lock->enabled);
  auto repl = run(ioc, client.replication());
  ASSERT_TRUE(repl) << repl.error().describe();
  EXPECT_FALSE(repl->rules.empty());
  auto lc = run(ioc, client.lifecycle());
  ASSERT_TRUE(lc) << lc.error().describe();
  EXPECT_TRUE(lc->rules.empty()) << "NoSuchLifecycleConfiguration is the empty configuration";
}

TEST(BucketClient, InstallsShowsAndRemovesALifecycleRule) {
  Emulator emu("bucket=rules,objects=3");
  asio::io_context ioc;
  engine::BucketClient client(ioc.get_executor(), options_for(emu, "rules"), kCreds, "us-east-1", nullptr);
  protocol::LifecycleConfiguration config;
  protocol::LifecycleRule rule;
  rule.id = "s3purge-expire-all";
  rule.expiration_days = 1;
  rule.noncurrent_expiration_days = 1;
  rule.abort_incomplete_upload_days = 1;
  config.rules.push_back(rule);
  auto put = run(ioc, client.put_lifecycle(config));
  ASSERT_TRUE(put) << put.error().describe();
  auto got = run(ioc, client.lifecycle());
  ASSERT_TRUE(got) << got.error().describe();
  ASSERT_EQ(got->rules.size(), 1u);
  EXPECT_EQ(got->rules[0].id, "s3purge-expire-all");
  EXPECT_EQ(got->rules[0].abort_incomplete_upload_days, 1u);
  auto del = run(ioc, client.delete_lifecycle());
  ASSERT_TRUE(del) << del.error().describe();
  auto after = run(ioc, client.lifecycle());
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->rules.empty());
}

TEST(BucketClient, FindsWhatAPrefixMatchesBesidesItsFolder) {
  Emulator emu("bucket=siblings,objects=30,prefixes=3");  // prefix-0000/ .. prefix-0002/
  asio::io_context ioc;
  engine::BucketClient client(ioc.get_executor(), options_for(emu, "siblings"), kCreds, "us-east-1", nullptr);
  auto m = run(ioc, client.prefix_matches("prefix-0001", false));
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_TRUE(m->siblings.empty()) << m->siblings.front();
  auto wide = run(ioc, client.prefix_matches("prefix-000", false, 2));
  ASSERT_TRUE(wide);
  EXPECT_EQ(wide->siblings.size(), 2u);
  EXPECT_TRUE(wide->more);
  auto versioned = run(ioc, client.prefix_matches("prefix-", true));
  ASSERT_TRUE(versioned);
  EXPECT_EQ(versioned->siblings.size(), 3u);
  EXPECT_FALSE(versioned->more);
}

TEST(BucketClient, AnUnknownBucketIsAnError) {
  Emulator emu("bucket=exists,objects=1");
  asio::io_context ioc;
  engine::BucketClient client(ioc.get_executor(), options_for(emu, "no-such"), kCreds, "us-east-1", nullptr);
  auto v = run(ioc, client.versioning());
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, protocol::s3_errc::no_such_bucket);
}

}  // namespace
