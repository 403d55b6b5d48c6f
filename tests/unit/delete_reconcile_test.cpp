#include "protocol/delete_reconcile.hpp"

#include <gtest/gtest.h>

using namespace s3purge::protocol;

namespace {

DeleteFailure error(std::string key, std::string version, std::string code) {
  DeleteFailure f{std::move(key), std::move(version), code, "msg", {}};
  f.ec = s3_errc_from_code(code);
  return f;
}

using O = EntryOutcome;

}  // namespace

TEST(DeleteReconcile, QuietAnswerWithoutErrorsDeletesEverything) {
  const std::vector<ObjectId> sent{{"a", "1"}, {"b", ""}};
  const auto r = reconcile_delete_result(sent, {});
  EXPECT_EQ(r.outcome, (std::vector<O>{O::deleted, O::deleted}));
  EXPECT_TRUE(r.unmatched.empty());
}

TEST(DeleteReconcile, ErrorsWithoutVersionIdsStillFailTheirEntries) {
  // moto: a COMPLIANCE-locked version refused, the answer naming only its key.
  const std::vector<ObjectId> sent{{"locked/k0", "v0"}, {"free", "v1"}, {"locked/k1", "v2"}};
  DeleteObjectsResult answer;
  answer.errors = {error("locked/k0", "", "AccessDenied"), error("locked/k1", "", "AccessDenied")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::failed, O::deleted, O::failed}));
  ASSERT_NE(r.errors[0], nullptr);
  EXPECT_EQ(r.errors[0]->code, "AccessDenied");
  EXPECT_EQ(r.errors[2]->key, "locked/k1");
}

TEST(DeleteReconcile, SeveralVersionsOfAKeyEachNamedOnceAreAllFailed) {
  const std::vector<ObjectId> sent{{"k", "v1"}, {"k", "v2"}, {"other", "v3"}};
  DeleteObjectsResult answer;
  answer.errors = {error("k", "", "AccessDenied"), error("k", "", "AccessDenied")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::failed, O::failed, O::deleted}));
}

TEST(DeleteReconcile, FewerVersionlessErrorsThanEntriesOfTheKeyAreUnknown) {
  // Which of the two versions was refused cannot be told: neither is taken as deleted.
  const std::vector<ObjectId> sent{{"k", "v1"}, {"k", "v2"}, {"x", "v3"}};
  DeleteObjectsResult answer;
  answer.errors = {error("k", "", "AccessDenied")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::unknown, O::unknown, O::deleted}));
}

TEST(DeleteReconcile, VersionedErrorsMatchExactly) {
  const std::vector<ObjectId> sent{{"k", "v1"}, {"k", "v2"}};
  DeleteObjectsResult answer;
  answer.errors = {error("k", "v2", "AccessDenied")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::deleted, O::failed}));
}

TEST(DeleteReconcile, RetryableErrorsAreRetried) {
  const std::vector<ObjectId> sent{{"k", ""}, {"s", ""}};
  DeleteObjectsResult answer;
  answer.errors = {error("k", "", "InternalError"), error("s", "", "SlowDown")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::retry, O::retry}));
}

TEST(DeleteReconcile, AnErrorForAKeyNotSentMakesTheWholeAnswerUnmatched) {
  const std::vector<ObjectId> sent{{"a", "1"}, {"b", "2"}};
  DeleteObjectsResult answer;
  answer.errors = {error("zzz", "", "AccessDenied")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::unknown, O::unknown}));
  EXPECT_NE(r.unmatched.find("zzz"), std::string::npos) << r.unmatched;
}

TEST(DeleteReconcile, MoreElementsForAKeyThanSentIsUnmatched) {
  const std::vector<ObjectId> sent{{"a", "1"}};
  DeleteObjectsResult answer;
  answer.deleted = {{"a", "", false, ""}, {"a", "", false, ""}};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_FALSE(r.unmatched.empty());
  EXPECT_EQ(r.outcome, (std::vector<O>{O::unknown}));
}

TEST(DeleteReconcile, AVerboseAnswerMustNameEveryEntry) {
  // A server that ignores Quiet lists deletions: an entry it leaves out is not deleted by
  // default, it is unknown.
  const std::vector<ObjectId> sent{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  DeleteObjectsResult answer;
  answer.deleted = {{"a", "1", false, ""}, {"c", "3", false, ""}};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::deleted, O::unknown, O::deleted}));
}

TEST(DeleteReconcile, ADeletedThatDoesNotDescribeTheVersionSentIsNoProofOfIt) {
  // A version sent by id: a <Deleted> that names no version id, or says a marker was made
  // in its place, does not say that version is gone.
  const std::vector<ObjectId> sent{{"a", "1"}, {"b", "2"}, {"c", "3", true}, {"d", ""}};
  DeleteObjectsResult answer;
  answer.deleted = {{"a", "", false, ""}, {"b", "2", true, "m9"}, {"c", "3", true, "3"}, {"d", "m7", true, "m7"}};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::unknown, O::unknown, O::deleted, O::deleted}))
      << "a marker deleted by its id says DeleteMarker too, and a key sent without an id gets a marker";
  EXPECT_TRUE(r.unmatched.empty());
}

TEST(DeleteReconcile, MixedDeletedAndRefusedVersionsOfOneKeyWithoutIdsAreUnknown) {
  const std::vector<ObjectId> sent{{"k", "v1"}, {"k", "v2"}};
  DeleteObjectsResult answer;
  answer.deleted = {{"k", "", false, ""}};
  answer.errors = {error("k", "", "AccessDenied")};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::unknown, O::unknown}));
}

TEST(DeleteReconcile, AMarkerCreatedForAKeySentWithoutVersionMatchesIt) {
  const std::vector<ObjectId> sent{{"k", ""}};
  DeleteObjectsResult answer;
  answer.deleted = {{"k", "mk1", true, "mk1"}};
  const auto r = reconcile_delete_result(sent, answer);
  EXPECT_EQ(r.outcome, (std::vector<O>{O::deleted}));
  EXPECT_TRUE(r.unmatched.empty());
}

TEST(DeleteReconcile, AnEmptyAnswerFromAServerThatIgnoresQuietConfirmsNothing) {
  const std::vector<ObjectId> sent{{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(reconcile_delete_result(sent, {}, true).outcome, (std::vector<O>{O::unknown, O::unknown}));
  DeleteObjectsResult answer;
  answer.errors = {error("a", "1", "AccessDenied")};
  EXPECT_EQ(reconcile_delete_result(sent, answer, true).outcome, (std::vector<O>{O::failed, O::unknown}));
  EXPECT_EQ(reconcile_delete_result(sent, answer, false).outcome, (std::vector<O>{O::failed, O::deleted}));
}
