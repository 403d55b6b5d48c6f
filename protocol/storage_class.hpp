// Storage classes as list pages name them, kept in one byte per listed entry. The names S3
// and Alibaba OSS document are known in advance, with their minimum storage durations;
// any other name a server sends is added as it first appears (up to 255 names in all).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3purge::protocol {

using StorageClass = std::uint8_t;
inline constexpr StorageClass kNoStorageClass = 0;  // a delete marker has none
inline constexpr StorageClass kStandard = 1;        // what S3 assumes when none is named

// The class named `name` (case as the server writes it); an empty name is STANDARD. Past
// 255 names, unknown names share one class, "OTHER".
StorageClass storage_class_of(std::string_view name);
// A name the server or the user has given, if known; nullopt otherwise (no new entry).
std::optional<StorageClass> find_storage_class(std::string_view name);
// "" for kNoStorageClass.
std::string storage_class_name(StorageClass c);

// The minimum storage duration the provider bills for a class, in days; 0 for none
// (STANDARD, INTELLIGENT_TIERING, and every class it does not document). S3: STANDARD_IA
// and ONEZONE_IA 30, GLACIER_IR and GLACIER 90, DEEP_ARCHIVE 180. Alibaba OSS: IA 30,
// Archive 60, ColdArchive and DeepColdArchive 180.
int minimum_storage_days(StorageClass c);

// Every class with a minimum duration, for help texts and documents.
std::vector<std::string> classes_with_minimum_duration();

}  // namespace s3purge::protocol
