// The flags that choose what a purge takes (--only, --older-than, --newer-than,
// --keep-newest, --include, --exclude, --storage-class, --allow-resurface), and the
// selection they make. `plan` and the deleting commands build it the same way, so a plan
// counts what the run will delete.
#pragma once

#include <cstdint>

#include "cli/flags.hpp"
#include "protocol/error.hpp"
#include "protocol/selection.hpp"

namespace CLI {
class App;
}

namespace s3purge::cli {

// `entries`: the command lists objects and versions too (plan, empty), not only uploads.
void add_selection_flags(CLI::App* cmd, Flags& f, bool entries);

// "--only noncurrent --older-than 30d": the selection flags given, for a confirmation or a
// plan; "" where none is given.
std::string selection_words(const Flags& f);

// `now` in seconds since 1970: durations count back from it.
protocol::Result<protocol::Selection> selection_of(const Flags& f, std::int64_t now);

}  // namespace s3purge::cli
