// The integrity header of a DeleteObjects body, which S3 requires: Content-MD5, or one of
// the flexible checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme) that AWS accepts in
// its place and its SDKs send by default since 2025. Many S3 clones accept Content-MD5 only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/error.hpp"
#include "protocol/http_message.hpp"

namespace s3purge::protocol {

enum class ChecksumAlgorithm { md5, crc32, crc32c, crc64nvme };

std::string_view checksum_name(ChecksumAlgorithm a);  // "md5", "crc32", "crc32c", "crc64nvme"
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name);

// CRC-32 (ISO-HDLC, as zlib), CRC-32C (Castagnoli; SSE 4.2 where the CPU has it) and
// CRC-64/NVME, continuing from `crc` (0 to start).
std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0);
std::uint32_t crc32c(std::string_view data, std::uint32_t crc = 0);
std::uint64_t crc64nvme(std::string_view data, std::uint64_t crc = 0);

// The header's value: base64 of the digest (a CRC's bytes big-endian).
std::string checksum_value(ChecksumAlgorithm a, std::string_view body);

// Sets Content-MD5, or x-amz-checksum-NAME with x-amz-sdk-checksum-algorithm, as the AWS SDKs do.
void set_body_checksum(HttpRequest& r, ChecksumAlgorithm a);

// A refusal of the checksum a request carried, as S3 clones give it: MissingContentMD5, or
// InvalidRequest / InvalidArgument / NotImplemented whose message names MD5 or a checksum.
bool refuses_checksum(const Error& e);

}  // namespace s3purge::protocol
