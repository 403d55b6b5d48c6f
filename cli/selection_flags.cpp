#include "cli/selection_flags.hpp"

#include <CLI/CLI.hpp>

#include "cli/command_line.hpp"
#include "cli/flag_checks.hpp"

namespace s3purge::cli {

namespace {

protocol::Error bad(std::string message) {
  return protocol::Error(protocol::client_errc::invalid_config, std::move(message));
}

// Checked as the command line is parsed: a bad value is a usage error before any request.
template <typename Parse>
CLI::Validator valid(Parse parse) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        auto r = parse(text);
        return r ? std::string() : r.error().message;
      },
      "", "");
}

CLI::Validator time_limit() {
  return valid([](const std::string& t) { return protocol::parse_time_limit(t, 0); });
}

CLI::Validator pattern() {
  return valid([](const std::string& t) { return protocol::KeyPattern::parse(t); });
}

}  // namespace

std::string selection_words(const Flags& f) {
  std::string out;
  const auto flag = [&](const char* name, const std::string& value) {
    if (!value.empty()) out += std::string(" ") + name + " " + value;
  };
  flag("--only", f.only);
  flag("--older-than", f.older_than);
  flag("--newer-than", f.newer_than);
  if (f.keep_newest > 0) flag("--keep-newest", std::to_string(f.keep_newest));
  for (const auto& p : f.include) flag("--include", "'" + p + "'");
  for (const auto& p : f.exclude) flag("--exclude", "'" + p + "'");
  flag("--storage-class", f.storage_class);
  if (f.skip_early_charges) out += " --skip-early-deletion-charges";
  if (f.allow_resurface) out += " --allow-resurface";
  return out.empty() ? out : out.substr(1);
}

void add_selection_flags(CLI::App* cmd, Flags& f, bool entries) {
  cmd->option_defaults()->group(kGroupSelection);
  if (entries) {
    cmd->add_option("--only", f.only,
                    "take only these: current, noncurrent, markers, orphan-markers (delete markers that "
                    "hide nothing once the run is done), uploads; comma-separated (default: all)")
        ->type_name("KINDS:{current,noncurrent,markers,orphan-markers,uploads}")->check(valid([](const std::string& t) { return protocol::parse_parts(t); }));
  }
  cmd->add_option("--older-than", f.older_than,
                  "take only entries older than this: 30d, 12h, or a UTC date 2026-11-01; a noncurrent "
                  "version's age counts from when a newer one replaced it, an upload's from its start")
      ->type_name("AGE|DATE")->check(time_limit());
  cmd->add_option("--newer-than", f.newer_than, "take only entries newer than this (as --older-than)")
      ->type_name("AGE|DATE")->check(time_limit());
  if (entries) {
    cmd->add_option("--keep-newest", f.keep_newest, "keep the N newest noncurrent versions of each key")
        ->type_name("N")->check(number_in(0, 1000000, true, ""));
  }
  cmd->add_option("--include", f.include,
                  "take only keys matching this pattern, relative to the prefix (repeatable): * within a "
                  "folder, ** across folders, ? one character; a leading / anchors it at the prefix")
      ->type_name("GLOB")->check(pattern());
  cmd->add_option("--exclude", f.exclude, "never take keys matching this pattern (repeatable)")
      ->type_name("GLOB")->check(pattern());
  cmd->add_option("--storage-class", f.storage_class,
                  "take only entries of these storage classes, comma-separated (delete markers have none)")
      ->type_name("CLASSES");
  if (entries) {
    cmd->add_flag("--skip-early-deletion-charges", f.skip_early_charges,
                  "keep what is still inside its storage class's minimum duration (STANDARD_IA 30 days, "
                  "GLACIER_IR and GLACIER 90, DEEP_ARCHIVE 180, ...), where deleting it is billed as if it stayed");
    cmd->add_flag("--allow-resurface", f.allow_resurface,
                  "on a versioned bucket, take current versions or delete markers even where a version "
                  "beneath them stays and becomes current again");
  }
}

protocol::Result<protocol::Selection> selection_of(const Flags& f, std::int64_t now) {
  protocol::Selection s;
  if (!f.only.empty()) {
    auto parts = protocol::parse_parts(f.only);
    if (!parts) return bad("--only " + parts.error().message);
    s.parts = *parts;
  }
  const auto limit = [&](const std::string& text, const char* flag,
                         std::optional<std::int64_t>& out) -> std::optional<protocol::Error> {
    if (text.empty()) return std::nullopt;
    auto t = protocol::parse_time_limit(text, now);
    if (!t) return bad(std::string(flag) + " " + t.error().message);
    out = *t;
    return std::nullopt;
  };
  if (auto e = limit(f.older_than, "--older-than", s.older_than)) return std::move(*e);
  if (auto e = limit(f.newer_than, "--newer-than", s.newer_than)) return std::move(*e);
  if (s.older_than && s.newer_than && *s.newer_than >= *s.older_than) {
    return bad("--newer-than " + f.newer_than + " and --older-than " + f.older_than + " leave no time between them");
  }
  s.keep_newest = f.keep_newest;
  if (s.keep_newest > 0 && !(s.parts & protocol::kNoncurrent)) {
    return bad("--keep-newest keeps noncurrent versions, which --only " + f.only + " does not take");
  }
  for (const auto* list : {&f.include, &f.exclude}) {
    for (const auto& text : *list) {
      auto p = protocol::KeyPattern::parse(text);
      if (!p) return bad((list == &f.include ? "--include: " : "--exclude: ") + p.error().message);
      (list == &f.include ? s.include : s.exclude).push_back(std::move(*p));
    }
  }
  std::string_view classes = f.storage_class;
  while (!classes.empty()) {
    const auto comma = classes.find(',');
    const auto name = classes.substr(0, comma);
    if (name.empty()) return bad("--storage-class '" + f.storage_class + "': an empty class name");
    // Names a server invents (OTHER past 255) are taken as given: the listing names them.
    s.classes.push_back(protocol::storage_class_of(name));
    if (comma == std::string_view::npos) break;
    classes.remove_prefix(comma + 1);
  }
  s.allow_resurface = f.allow_resurface;
  s.skip_early_charges = f.skip_early_charges;
  s.now = now;
  return s;
}

}  // namespace s3purge::cli
