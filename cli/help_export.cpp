#include "cli/help_export.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/command_line.hpp"

namespace s3purge::cli {

namespace {

constexpr const char* kGroups[] = {kGroupTarget, kGroupSelection, kGroupSpeed, kGroupSafety, kGroupOutput};

std::vector<const CLI::App*> commands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

// The flags --help shows (test hooks have no group), in group order.
std::vector<const CLI::Option*> shown_flags(const CLI::App& cmd) {
  std::vector<const CLI::Option*> out;
  for (const char* group : kGroups) {
    for (const auto* opt : cmd.get_options()) {
      if (!opt->get_positional() && opt->get_group() == group) out.push_back(opt);
    }
  }
  return out;
}

std::vector<const CLI::Option*> positionals(const CLI::App& cmd) {
  std::vector<const CLI::Option*> out;
  for (const auto* opt : cmd.get_options()) {
    if (opt->get_positional()) out.push_back(opt);
  }
  return out;
}

bool takes_value(const CLI::Option& o) { return o.get_type_size() != 0; }

// A command's names: its own, then its aliases ("delete", "rb").
std::vector<std::string> names_of(const CLI::App& c) {
  std::vector<std::string> out{c.get_name()};
  for (const auto& a : c.get_aliases()) out.push_back(a);
  return out;
}
bool takes_file(const CLI::Option& o) { return o.get_type_name().starts_with("FILE"); }

// "TEXT:{auto,path,virtual}" -> {"auto", "path", "virtual"}.
std::vector<std::string> choices(const CLI::Option& o) {
  const std::string t = o.get_type_name();
  const auto open = t.find('{'), close = t.find('}');
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string cur;
  for (std::size_t i = open + 1; i < close; ++i) {
    if (t[i] == ',') out.push_back(cur), cur.clear();
    else cur += t[i];
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The words the first positional takes, where it takes a fixed set (lifecycle's action,
// completion's shell); empty otherwise.
std::vector<std::string> positional_words(const CLI::App& c) {
  const auto p = positionals(c);
  return p.empty() ? std::vector<std::string>{} : choices(*p.front());
}

std::string spaced(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The help text's first clause: what a completion menu has room for.
std::string short_help(const std::string& text) {
  std::string s = text.substr(0, text.find_first_of(";(:"));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() > 70) s = s.substr(0, 67) + "...";
  return s;
}

std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string quoted(const std::string& text, const std::string& quote_escape) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? quote_escape : std::string(1, c);
  return out + "'";
}

void man_options(std::ostream& out, const CLI::App& cmd) {
  for (const char* group : kGroups) {
    bool any = false;
    for (const auto* opt : shown_flags(cmd)) {
      if (opt->get_group() != group) continue;
      if (!any) out << ".PP\n\\fI" << group << "\\fR\n", any = true;
      out << ".TP\n";
      std::string names;
      for (const auto& s : opt->get_snames()) names += (names.empty() ? "" : ", ") + std::string("\\fB\\-") + s + "\\fR";
      for (const auto& l : opt->get_lnames()) names += (names.empty() ? "" : ", ") + std::string("\\fB\\-\\-") + roff(l) + "\\fR";
      if (takes_value(*opt)) names += " \\fI" + roff(opt->get_type_name()) + "\\fR";
      out << names << "\n" << roff(opt->get_description());
      if (!opt->get_default_str().empty()) out << " (default " << roff(opt->get_default_str()) << ")";
      out << "\n";
    }
  }
}

void man_examples(std::ostream& out, const std::string& footer) {
  out << ".nf\n";
  for (std::size_t at = 0; at < footer.size();) {
    auto end = footer.find('\n', at);
    if (end == std::string::npos) end = footer.size();
    out << roff(footer.substr(at, end - at)) << "\n";
    at = end + 1;
  }
  out << ".fi\n";
}

void bash(std::ostream& out, const CLI::App& app) {
  out << "# bash completion for s3purge, written by `s3purge completion bash`\n"
         "_s3purge() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case \"${COMP_WORDS[i]}\" in -*) ;; *) cmd=\"${COMP_WORDS[i]}\"; break ;; esac\n"
         "  done\n"
         "  # A list value (--only current,noncurrent): the word after its last comma.\n"
         "  local head=\"\" last=\"$cur\"\n"
         "  if [[ \"$cur\" == *,* ]]; then head=\"${cur%,*},\"; last=\"${cur##*,}\"; fi\n"
         "  if [[ -z \"$cmd\" ]]; then\n"
         "    COMPREPLY=($(compgen -W \"";
  for (const auto* c : commands(app)) out << spaced(names_of(*c)) << " ";
  out << "--help --version\" -- \"$cur\"))\n    return\n  fi\n  local flags=\"\"\n  case \"$cmd\" in\n";
  for (const auto* c : commands(app)) {
    out << "    " << c->get_name();
    for (const auto& a : c->get_aliases()) out << "|" << a;
    out << ")\n      flags=\"--help";
    for (const auto* o : shown_flags(*c)) {
      for (const auto& l : o->get_lnames()) out << " --" << l;
      for (const auto& s : o->get_snames()) out << " -" << s;
    }
    out << "\"\n      case \"$prev\" in\n";
    for (const auto* o : shown_flags(*c)) {
      if (!takes_value(*o)) continue;
      std::string names;
      for (const auto& l : o->get_lnames()) names += (names.empty() ? "--" : "|--") + l;
      const auto values = choices(*o);
      if (takes_file(*o)) {
        out << "        " << names << ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
      } else if (!values.empty()) {
        std::string words;
        for (const auto& v : values) words += (words.empty() ? "" : " ") + v;
        out << "        " << names << ") COMPREPLY=($(compgen -P \"$head\" -W \"" << words
            << "\" -- \"$last\")); return ;;\n";
      } else {
        out << "        " << names << ") return ;;\n";
      }
    }
    out << "      esac\n";
    if (const auto words = positional_words(*c); !words.empty()) {
      out << "      if [[ \"$cur\" != -* && \"${COMP_WORDS[COMP_CWORD-1]}\" == \"$cmd\" ]]; then\n"
          << "        COMPREPLY=($(compgen -W \"" << spaced(words) << "\" -- \"$cur\")); return\n      fi\n";
    }
    out << "      ;;\n";
  }
  out << "  esac\n"
         "  if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\")); fi\n"
         "}\n"
         "complete -o default -F _s3purge s3purge\n";
}

std::string zsh_spec(const CLI::Option& o, const std::string& name) {
  std::string help;
  for (char c : short_help(o.get_description())) {
    if (c == '[' || c == ']' || c == '\\') help += '\\';
    help += c;
  }
  std::string spec = (name == "-v" || name == "--verbose" ? "*" : "") + name + "[" + help + "]";
  if (takes_value(o)) {
    const auto values = choices(o);
    std::string words;
    for (const auto& v : values) words += (words.empty() ? "" : " ") + v;
    spec += takes_file(o) ? ":file:_files" : values.empty() ? ":value: " : ":value:(" + words + ")";
  }
  return quoted(spec, "'\\''");
}

void zsh(std::ostream& out, const CLI::App& app) {
  out << "#compdef s3purge\n# zsh completion for s3purge, written by `s3purge completion zsh`\n"
         "_s3purge() {\n  local -a commands\n  commands=(\n";
  for (const auto* c : commands(app)) {
    for (const auto& name : names_of(*c)) {
      out << "    " << quoted(name + ":" + short_help(c->get_description()), "'\\''") << "\n";
    }
  }
  out << "  )\n  if (( CURRENT == 2 )); then\n    _describe -t commands command commands\n    return\n  fi\n"
         "  local cmd=$words[2]\n  shift words\n  (( CURRENT-- ))\n  case $cmd in\n";
  for (const auto* c : commands(app)) {
    out << "    " << c->get_name();
    for (const auto& a : c->get_aliases()) out << "|" << a;
    out << ")\n      _arguments -s \\\n";
    for (const auto* o : shown_flags(*c)) {
      for (const auto& s : o->get_snames()) out << "        " << zsh_spec(*o, "-" + s) << " \\\n";
      for (const auto& l : o->get_lnames()) out << "        " << zsh_spec(*o, "--" + l) << " \\\n";
    }
    if (const auto words = positional_words(*c); !words.empty()) {
      out << "        '1:" << positionals(*c).front()->get_name() << ":(" << spaced(words) << ")' \\\n";
    }
    out << "        '*:target: '\n      ;;\n";
  }
  out << "  esac\n}\n_s3purge \"$@\"\n";
}

void fish(std::ostream& out, const CLI::App& app) {
  out << "# fish completion for s3purge, written by `s3purge completion fish`\n"
         "complete -c s3purge -f\n";
  for (const auto* c : commands(app)) {
    for (const auto& name : names_of(*c)) {
      out << "complete -c s3purge -n __fish_use_subcommand -a " << name << " -d "
          << quoted(short_help(c->get_description()), "\\'") << "\n";
    }
  }
  for (const auto* c : commands(app)) {
    std::string names = c->get_name();
    for (const auto& a : c->get_aliases()) names += " " + a;
    const std::string when = quoted("__fish_seen_subcommand_from " + names, "\\'");
    if (const auto words = positional_words(*c); !words.empty()) {
      out << "complete -c s3purge -n " << when << " -a " << quoted(spaced(words), "\\'") << "\n";
    }
    for (const auto* o : shown_flags(*c)) {
      out << "complete -c s3purge -n " << when;
      for (const auto& s : o->get_snames()) out << " -s " << s;
      for (const auto& l : o->get_lnames()) out << " -l " << l;
      if (takes_value(*o)) {
        const auto values = choices(*o);
        std::string words;
        for (const auto& v : values) words += (words.empty() ? "" : " ") + v;
        out << (takes_file(*o) ? " -r -F" : values.empty() ? " -x" : " -x -a " + quoted(words, "\\'"));
      }
      out << " -d " << quoted(short_help(o->get_description()), "\\'") << "\n";
    }
  }
}

}  // namespace

void write_man_page(std::ostream& out, const CLI::App& app, std::string_view version) {
  out << ".TH S3PURGE 1 \"\" \"s3purge " << version << "\" \"User Commands\"\n"
      << ".SH NAME\ns3purge \\- empty and delete S3\\-compatible buckets\n"
      << ".SH SYNOPSIS\n\\fBs3purge\\fR \\fICOMMAND\\fR [\\fIFLAGS\\fR] \\fIs3://BUCKET\\fR[/\\fIPREFIX\\fR] ...\n"
      << ".SH DESCRIPTION\n" << roff(app.get_description()) << "\n"
      << ".SH COMMANDS\n";
  for (const auto* c : commands(app)) {
    out << ".SS " << roff(c->get_name());
    for (const auto* p : positionals(*c)) out << " " << roff(p->get_name());
    out << "\n" << roff(c->get_description()) << "\n";
    for (const auto* p : positionals(*c)) {
      out << ".TP\n\\fI" << roff(p->get_name()) << "\\fR\n" << roff(p->get_description()) << "\n";
    }
    man_options(out, *c);
    if (!c->get_footer().empty()) {
      out << ".PP\n";
      man_examples(out, c->get_footer());
    }
  }
  out << ".SH EXAMPLES AND EXIT STATUS\n";
  man_examples(out, app.get_footer());
  out << ".SH SEE ALSO\n\\fBaws\\fR(1), README.md of s3purge\n";
}

void write_completion(std::ostream& out, const CLI::App& app, std::string_view shell) {
  if (shell == "bash") bash(out, app);
  else if (shell == "zsh") zsh(out, app);
  else fish(out, app);
}

}  // namespace s3purge::cli
