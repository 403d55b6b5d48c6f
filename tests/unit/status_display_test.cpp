#include "cli/status_display.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cli/text.hpp"

namespace {

using s3purge::engine::Kind;
using s3purge::engine::PurgeReport;
using namespace s3purge::cli;

TEST(Text, NumbersForPeople) {
  EXPECT_EQ(thousands(0), "0");
  EXPECT_EQ(thousands(999), "999");
  EXPECT_EQ(thousands(1000), "1,000");
  EXPECT_EQ(thousands(2055000), "2,055,000");
  EXPECT_EQ(bytes_text(512), "512 B");
  EXPECT_EQ(bytes_text(1536), "1.5 KiB");
  EXPECT_EQ(bytes_text(3ull << 30), "3.0 GiB");
  EXPECT_EQ(duration_text(2.25), "2.2s");
  EXPECT_EQ(duration_text(125), "2:05");
  EXPECT_EQ(duration_text(3725), "1:02:05");
  EXPECT_EQ(duration_text(-1), "?");
  EXPECT_EQ(time_left_text(45), "in 45 s");
  EXPECT_EQ(time_left_text(12 * 60 + 5), "in 12 min");
  EXPECT_EQ(time_left_text(5 * 3600 + 3 * 60), "in 5 h 3 min");
  EXPECT_EQ(time_left_text(40 * 86400.0), "in 40 days");
  EXPECT_EQ(time_left_text(37904133 * 60.0), "in 72 years") << "not 'in 37904133 min'";
  EXPECT_EQ(time_left_text(-180), "3 min ago");
}

PurgeReport halfway() {
  PurgeReport r;
  r.of(Kind::version).listed = 1000;
  r.of(Kind::version).deleted = 400;
  r.of(Kind::delete_marker).listed = 10;
  r.of(Kind::delete_marker).failed = 10;
  r.calls.throttle_retries = 3;
  return r;
}

TEST(Status, NoPercentageWhileTheTotalIsUnknown) {
  const auto lines = status_lines("delete s3://b/", halfway(), 2.0, 200, 0);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("listed 1,010 so far"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find('%'), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("deleted 400 (200/s)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("failed 10"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("throttled 3"), std::string::npos) << lines[2];
}

TEST(Status, PercentageAndEtaOnceTheListingEnded) {
  auto r = halfway();
  r.listing_done = true;
  const auto lines = status_lines("x", r, 2.0, 200, 0);
  // 410 of 1010 done in 2 s; 600 left at that average: 2.9 s, whatever the rate lately.
  EXPECT_NE(lines[0].find("40.6%"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("ETA 2.9s"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("of 1,010"), std::string::npos) << lines[0];
}

TEST(Status, AStalledListingSaysListingAndTheEtaDoesNotDouble) {
  // --expect 7805; 700 listed and all of it done: the deleters wait for the listing.
  PurgeReport r;
  r.of(Kind::version).listed = 700;
  r.of(Kind::version).deleted = 700;
  for (const double at : {10.0, 20.0, 40.0}) {
    const auto lines = status_lines("x", r, at, 0, 7805);
    EXPECT_NE(lines[0].find("ETA listing..."), std::string::npos) << lines[0];
  }
  // The listing moved on: an ETA from the average, which a pause does not double.
  r.of(Kind::version).listed = 1400;
  const auto a = status_lines("x", r, 10, 0, 7805), b = status_lines("x", r, 20, 0, 7805);
  EXPECT_NE(a[0].find("ETA 1:42"), std::string::npos) << a[0];  // 7105 left at 70/s
  EXPECT_NE(b[0].find("ETA 3:23"), std::string::npos) << b[0];  // at 35/s: the time taken so far, not 2^n
}

TEST(Status, APlanSpeaksOfListingNotOfDeleting) {
  PurgeReport r;
  r.of(Kind::version).listed = 7005;
  r.of(Kind::version).skipped = 7005;
  r.of(Kind::version).kept = 5;
  const auto lines = status_lines("plan s3://b/", r, 10, 700, 0, true);
  const std::string all = lines[0] + lines[1] + lines[2];
  EXPECT_EQ(all.find("deleted"), std::string::npos) << all;
  EXPECT_EQ(all.find("skipped"), std::string::npos) << all;
  EXPECT_NE(lines[1].find("listed 7,005 (700/s)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("taken 7,000, kept 5"), std::string::npos) << lines[2];
}

TEST(Status, TheRateIsOverTheLastSecondsAndDoesNotHalveAtEachUpdate) {
  std::ostringstream log;
  StatusDisplay status(log, false, "x", 0);
  PurgeReport r;
  for (int s = 1; s <= 10; ++s) {
    if (s <= 5) r.of(Kind::version).listed = r.of(Kind::version).deleted = 1000u * static_cast<unsigned>(s);
    status.update(r, std::chrono::seconds(s));
  }
  // 1000/s for 5 s, then nothing: at 7 s the last 5 s held 3000 (2000 at 8 s), never 1000/2^n.
  std::string text = log.str(), line;
  std::vector<std::string> lines;
  for (std::istringstream in(text); std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_NE(lines[4].find("(1,000/s)"), std::string::npos) << lines[4];
  EXPECT_NE(lines[6].find("(600/s)"), std::string::npos) << lines[6];
  EXPECT_NE(lines[9].find("(0/s)"), std::string::npos) << lines[9];
}

TEST(Status, PercentageFromAPlanBeforeTheListingEnds) {
  const auto lines = status_lines("x", halfway(), 2.0, 100, 4100);
  EXPECT_NE(lines[0].find("10.0%"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("(planned)"), std::string::npos) << lines[0];
  // More listed than planned (late writers): the total follows the listing.
  const auto more = status_lines("x", halfway(), 2.0, 100, 500);
  EXPECT_NE(more[0].find("of 1,010"), std::string::npos) << more[0];
}

TEST(Status, ATerminalRedrawsInPlaceALogGetsLines) {
  std::ostringstream tty, log;
  StatusDisplay on_tty(tty, true, "x", 0), in_log(log, false, "x", 0);
  for (int i = 1; i <= 2; ++i) {
    on_tty.update(halfway(), std::chrono::seconds(i));
    in_log.update(halfway(), std::chrono::seconds(i));
  }
  on_tty.clear();
  EXPECT_NE(tty.str().find("\x1b[3F\x1b[J"), std::string::npos) << "moves back over the area";
  EXPECT_EQ(log.str().find('\x1b'), std::string::npos) << "no escapes in a log";
  const std::string text = log.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(Status, EveryLineFitsTheWidthAndNothingIsDropped) {
  PurgeReport r = halfway();
  r.of(Kind::object).deleted = 123456789;
  r.calls.requests = 987654321;
  const auto lines = status_lines("delete s3://a-rather-long-bucket-name/with/a/prefix/", r, 3725, 123456, 0);
  for (const std::size_t width : {80u, 40u, 20u}) {
    const auto fitted = fit_to_width(lines, width);
    EXPECT_GT(fitted.size(), lines.size()) << width;
    std::string joined;
    for (const auto& l : fitted) {
      EXPECT_LE(l.size(), width) << l;
      joined += l;
    }
    // Cut at separators: every number is still there whole.
    for (const char* part : {"123,456,789", "987,654,321", "123,456/s", "1:02:05"}) {
      EXPECT_NE(joined.find(part), std::string::npos) << part << " at width " << width;
    }
  }
  EXPECT_EQ(fit_to_width(lines, 0), lines);
  const std::vector<std::string> word{"abcdefghij"};
  EXPECT_EQ(fit_to_width(word, 6), (std::vector<std::string>{"abcdef", "  ghij"}));
  EXPECT_EQ(fit_to_width(word, 3), std::vector<std::string>{"abc"});
}

TEST(Status, ANarrowerTerminalMovesBackOverTheRowsTheAreaTakesNow) {
  std::ostringstream tty;
  std::size_t columns = 200;
  StatusDisplay status(tty, true, "x", 0, [&] { return columns; });
  status.update(halfway(), std::chrono::seconds(1));
  const std::string first = tty.str();
  EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), 3);
  columns = 30;  // every line of the old area now takes several rows
  tty.str("");
  status.update(halfway(), std::chrono::seconds(2));
  const std::string redraw = tty.str();
  const auto at = redraw.find("F\x1b[J");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::stoul(redraw.substr(2, at - 2)), 3u) << redraw.substr(0, at + 4);
}

}  // namespace
