// Reading fixtures from tests/data.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace s3purge::test {

inline std::string fixture(const std::string& relative) {
  const std::string path = std::string(S3PURGE_TEST_DATA) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace s3purge::test
