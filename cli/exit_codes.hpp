// The process exit codes, documented in the README.
#pragma once

namespace s3purge::cli {

enum class ExitCode : int {
  ok = 0,               // everything done
  some_failed = 1,      // some items could not be deleted; see the report
  usage = 2,            // bad usage or configuration
  interrupted = 3,      // stopped by a signal before finishing
  not_empty = 4,        // the bucket still holds something after the final verification
};

}  // namespace s3purge::cli
