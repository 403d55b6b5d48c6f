// For tests/independent/compare_checksums.py: each file named on the command line, read
// whole, and its DeleteObjects checksum header values, one line per file:
// PATH md5 crc32 crc32c crc64nvme (base64, as the headers carry them).
#include <fstream>
#include <iostream>
#include <sstream>

#include "protocol/checksums.hpp"

int main(int argc, char** argv) {
  using namespace s3purge::protocol;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "cannot read " << argv[i] << "\n";
      return 2;
    }
    std::stringstream data;
    data << in.rdbuf();
    const std::string body = data.str();
    std::cout << argv[i];
    for (const auto a : {ChecksumAlgorithm::md5, ChecksumAlgorithm::crc32, ChecksumAlgorithm::crc32c,
                         ChecksumAlgorithm::crc64nvme}) {
      std::cout << " " << checksum_value(a, body);
    }
    std::cout << "\n";
  }
  return 0;
}
