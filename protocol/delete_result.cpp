#include "protocol/delete_result.hpp"

#include "protocol/printable.hpp"
#include "protocol/xml_fields.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

Result<DeleteObjectsResult> parse_delete_objects_result(std::string_view body) {
  auto doc = parse_document(body, "DeleteResult");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();

  DeleteObjectsResult result;
  for (const XmlNode n : root) {
    if (n.name() == "Deleted") {
      DeletedEntry d;
      if (!n.has_child("Key")) return malformed("<Deleted> without <Key>");
      d.key = n.child_text("Key");
      d.version_id = n.child_text("VersionId");
      S3PURGE_TRY_ASSIGN(d.delete_marker, bool_field(n, "DeleteMarker", false));
      d.delete_marker_version_id = n.child_text("DeleteMarkerVersionId");
      result.deleted.push_back(std::move(d));
    } else if (n.name() == "Error") {
      DeleteFailure f;
      if (!n.has_child("Key") || !n.has_child("Code")) {
        return malformed("<Error> in <DeleteResult> without <Key> or <Code>");
      }
      f.key = n.child_text("Key");
      f.version_id = n.child_text("VersionId");
      f.code = printable(n.child_text("Code"));  // reaches terminals: made printable
      f.message = printable(n.child_text("Message"));
      f.ec = s3_errc_from_code(f.code);
      result.errors.push_back(std::move(f));
    }
  }
  return result;
}

}  // namespace s3purge::protocol
