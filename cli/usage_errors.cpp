#include "cli/usage_errors.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

#include "cli/command_line.hpp"

namespace s3purge::cli {

namespace {

// Optimal string alignment distance: a swap of two neighbours counts as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

bool is_number(std::string_view s) {
  if (s.size() < 2 || s[0] != '-') return false;
  return std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.';
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
    for (const auto& alias : sub->get_aliases()) names.push_back(alias);
  }
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::vector<std::string> flag_names(const CLI::App& cmd) {
  std::vector<std::string> names{"--help"};
  for (const auto* opt : cmd.get_options()) {
    for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
  }
  return names;
}

std::string hint(std::string_view word, const std::vector<std::string>& names) {
  const auto near = closest(word, names);
  return near.empty() ? std::string() : " (did you mean " + near + "?)";
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& n : names) {
    const auto d = edit_distance(word, n);
    if (d < best_d) best_d = d, best = n;
  }
  const std::size_t allowed = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 4));
  return best_d <= allowed ? best : std::string();
}

namespace {

// Whether `name` is one of `empty`'s selection flags.
bool selects(const CLI::App& app, const std::string& name) {
  for (const auto* sub : app.get_subcommands([](const CLI::App* c) { return c->get_name() == "empty"; })) {
    const auto* opt = sub->get_option_no_throw(name);
    if (opt && opt->get_group() == kGroupSelection) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> unknown_words(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* cmd = nullptr;
  std::string cmd_name;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    if (!cmd) {
      if (a == "-h" || a == "--help" || a == "--version") return std::nullopt;
      if (a.starts_with("-")) {
        return "unknown flag " + a + " before the command; the commands are " + joined(command_names(app));
      }
      for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->check_name(a)) cmd = sub, cmd_name = a;
      }
      if (!cmd) {
        return "unknown command '" + a + "'" + hint(a, command_names(app)) + "; the commands are " +
               joined(command_names(app));
      }
      continue;
    }
    if (a.starts_with("--")) {
      const std::string name = a.substr(0, a.find('='));
      if (name == "--help") continue;
      const CLI::Option* opt = cmd->get_option_no_throw(name);
      if (!opt && selects(app, name)) {
        // A selection flag where the command takes none: say why, and what does.
        return cmd_name + ": " + name + " selects entries, and " + cmd_name +
               (cmd->get_name() == "rm" ? " takes only the keys it names"
                                        : " takes no selection: it empties the whole bucket before deleting it") +
               "; to take part of a bucket: s3purge empty s3://BUCKET[/PREFIX] " + name + " ...";
      }
      if (!opt) {
        return cmd_name + ": unknown flag " + name + hint(name, flag_names(*cmd)) + "; see s3purge " +
               cmd_name + " --help";
      }
      if (opt->get_type_size() != 0 && a.find('=') == std::string::npos) ++i;  // its value
    } else if (a.size() > 1 && a[0] == '-' && !is_number(a)) {
      for (std::size_t c = 1; c < a.size(); ++c) {
        const std::string name{'-', a[c]};
        if (name == "-h") continue;
        const CLI::Option* opt = cmd->get_option_no_throw(name);
        if (!opt) {
          return cmd_name + ": unknown flag " + name + (a.size() > 2 ? " (in " + a + ")" : "") +
                 "; see s3purge " + cmd_name + " --help";
        }
        if (opt->get_type_size() != 0) {
          if (c + 1 == a.size()) ++i;  // "-x VALUE"
          break;                       // "-xVALUE"
        }
      }
    }
  }
  if (!cmd && !args.empty()) return std::nullopt;
  if (!cmd) return "a command is required: " + joined(command_names(app)) + "; see s3purge --help";
  return std::nullopt;
}

std::string usage_line(const CLI::App& app, const CLI::ParseError& e) {
  std::string where;
  for (const auto* sub : app.get_subcommands()) where = sub->get_name() + ": ";
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == '.')) what.pop_back();
  // "targets is required" reads better with what the targets look like.
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    for (const auto* sub : app.get_subcommands()) {
      for (const auto* opt : sub->get_options()) {
        if (opt->get_positional() && opt->get_required() && opt->count() == 0) {
          what = "missing " + opt->get_name() + " (" + opt->get_description() + ")";
          break;
        }
      }
    }
  }
  return "s3purge: error: " + where + what;
}

}  // namespace s3purge::cli
