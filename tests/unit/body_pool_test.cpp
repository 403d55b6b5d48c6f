#include "engine/body_pool.hpp"

#include <gtest/gtest.h>

#include <string>

namespace s3purge::engine {
namespace {

std::string with_capacity(std::size_t n) {
  std::string s;
  s.reserve(n);
  s = "left over";
  return s;
}

TEST(BodyPool, GivesBackTheBufferItKept) {
  BodyPool pool;
  std::string body = with_capacity(400 * 1024);
  const char* data = body.data();
  pool.give(std::move(body));
  EXPECT_EQ(pool.kept(), 1u);
  std::string again = pool.take();
  EXPECT_TRUE(again.empty());                     // cleared: no bytes of the last answer
  EXPECT_GE(again.capacity(), 400u * 1024);
  EXPECT_EQ(again.data(), data);                  // the same memory, not a fresh one
  EXPECT_EQ(pool.kept(), 0u);
}

TEST(BodyPool, EmptyPoolGivesAnEmptyString) {
  BodyPool pool;
  EXPECT_TRUE(pool.take().empty());
}

TEST(BodyPool, KeepsNeitherSmallNorHugeBuffers) {
  BodyPool pool;
  pool.give(with_capacity(1024));
  pool.give(with_capacity(BodyPool::kMaxKeptBytes + 1));
  EXPECT_EQ(pool.kept(), 0u);
}

TEST(BodyPool, KeepsAtMostItsLimit) {
  BodyPool pool;
  for (std::size_t i = 0; i < BodyPool::kMaxKept + 3; ++i) pool.give(with_capacity(BodyPool::kLarge));
  EXPECT_EQ(pool.kept(), BodyPool::kMaxKept);
  for (std::size_t i = 0; i < BodyPool::kMaxKept; ++i) EXPECT_GE(pool.take().capacity(), BodyPool::kLarge);
  EXPECT_EQ(pool.kept(), 0u);
}

TEST(BodyPool, OnePoolPerThread) {
  EXPECT_EQ(&BodyPool::of_thread(), &BodyPool::of_thread());
}

}  // namespace
}  // namespace s3purge::engine
