// A home directory of its own and an environment given per test, for the configuration
// and credential resolution tests: real files read through the real file reader.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "protocol/config_resolver.hpp"
#include "protocol/system_environment.hpp"

class ConfigResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "s3purge-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    home_ = tmpl;
    env_["HOME"] = home_.string();
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  void write(const std::string& relative, const std::string& text) {
    const std::filesystem::path p = home_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  s3purge::protocol::Result<s3purge::protocol::ResolvedConfig> resolve(const s3purge::protocol::ConfigFlags& flags = {}) {
    auto env = [this](std::string_view name) -> std::optional<std::string> {
      auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    return s3purge::protocol::resolve_config(flags, env, s3purge::protocol::system_file_reader());
  }
  std::string path(const std::string& relative) const { return (home_ / relative).string(); }

  std::filesystem::path home_;
  std::map<std::string, std::string> env_;
};

