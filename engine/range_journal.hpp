// --state-file: the key ranges a run has emptied, so that a run after an interruption
// skips them instead of listing them again. One line per range, appended and flushed as
// each range (or the listed start of one) is done:
//
//   done entries|uploads BUCKET xHEX(prefix) xHEX(after)|- xHEX(through)|-
//
// and, before a run deletes anything, one line that says a run began there (then anything
// under the prefix may have been deleted, done or not):
//
//   begun entries BUCKET xHEX(prefix) - -
//
// Keys are hex, so any byte fits; "-" is an open end. A last line cut short by a crash is
// ignored; any other line that does not read this way makes open() fail, since the file is
// then not one this tool wrote.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/key_range.hpp"
#include "protocol/error.hpp"

namespace s3purge::engine {

class RangeJournal {
 public:
  static protocol::Result<std::unique_ptr<RangeJournal>> open(const std::string& path);
  ~RangeJournal();

  // The ranges done for this bucket, prefix and listing ("entries" or "uploads").
  std::vector<KeyRange> done(std::string_view bucket, std::string_view prefix,
                             std::string_view listing) const;
  // Whether a run over this bucket and prefix began before this one (and may have deleted).
  bool begun_before(std::string_view bucket, std::string_view prefix) const;
  // Records that a run begins; as record() for write errors.
  std::optional<protocol::Error> record_begun(std::string_view bucket, std::string_view prefix);
  // Records a range as done. A write error is returned once and then ignored: the purge
  // goes on, only its resume is lost.
  std::optional<protocol::Error> record(std::string_view bucket, std::string_view prefix,
                                std::string_view listing, const KeyRange& range);

 private:
  std::optional<protocol::Error> write(const std::string& line);
  struct Line {
    bool done = true;  // else a "begun" line
    std::string listing, bucket, prefix;
    KeyRange range;
  };
  RangeJournal(std::string path, std::FILE* file, std::vector<Line> lines);
  std::string path_;
  std::FILE* file_;
  std::vector<Line> lines_;
  bool write_failed_ = false;
};

}  // namespace s3purge::engine
