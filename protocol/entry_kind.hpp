// What a listed entry is, and so what removing it takes: an object or a version (or delete
// marker) is deleted, an incomplete multipart upload is aborted.
#pragma once

namespace s3purge::protocol {

enum class EntryKind { object, version, delete_marker, upload };

}  // namespace s3purge::protocol
