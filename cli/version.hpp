#pragma once

namespace s3purge::cli {
// Set by CMake from project(VERSION).
inline constexpr const char* kVersion = S3PURGE_VERSION;
}  // namespace s3purge::cli
