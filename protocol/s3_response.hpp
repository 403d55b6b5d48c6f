// Deciding whether an HTTP answer is an S3 error, and reading the error if so. S3 can
// answer 200 with an <Error> body (DeleteObjects, CopyObject...), so the body is checked
// before the status is believed.
#pragma once

#include <optional>

#include "protocol/error.hpp"
#include "protocol/http_message.hpp"

namespace s3purge::protocol {

// nullopt when the answer is a success; otherwise the classified error with the server's
// diagnostics (code, message, request id, host id, the region it names, Retry-After).
std::optional<Error> error_from_response(const HttpResponse& response);

// Reads an error answer, whatever its status. Bodies that are not S3 XML (a proxy's HTML,
// nothing at all on HEAD, a body cut short) are classified by status and headers.
Error parse_error_response(const HttpResponse& response);

}  // namespace s3purge::protocol
