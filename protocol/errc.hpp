// Typed error codes: what S3 said (s3_errc) and what went wrong on our side of the wire
// (client_errc), each with its std::error_category, plus the predicates that decide what
// happens next. Classification lives here and nowhere else: callers never match substrings.
#pragma once

#include <string_view>
#include <system_error>

namespace s3purge::protocol {

// S3 error codes the tool acts upon. Codes S3 documents but we have no special handling
// for map to `other`; the raw code string is always kept beside it (see Error).
enum class s3_errc {
  other = 1,
  access_denied,
  account_problem,
  all_access_disabled,
  authorization_header_malformed,  // wrong region (names the right one)
  bad_digest,
  bad_request,                     // HEAD answers with no body: 400
  bucket_not_empty,
  expired_token,
  illegal_location_constraint,
  internal_error,
  invalid_access_key_id,
  invalid_argument,
  invalid_bucket_name,
  invalid_digest,
  invalid_object_state,
  invalid_request,
  invalid_token,
  malformed_xml,
  method_not_allowed,
  missing_content_md5,
  no_such_bucket,
  no_such_key,
  no_such_upload,
  no_such_version,
  no_such_lifecycle_configuration,
  not_found,                       // HEAD answers with no body: 404
  not_implemented,
  object_lock_configuration_not_found,
  operation_aborted,
  permanent_redirect,              // wrong region (x-amz-bucket-region names the right one)
  precondition_failed,
  replication_configuration_not_found,
  request_time_too_skewed,
  request_timeout,
  service_unavailable,
  signature_does_not_match,
  slow_down,
  temporary_redirect,
  throttling,                      // Throttling, ThrottlingException, RequestLimitExceeded, ...
  token_refresh_required,
  x_amz_content_sha256_mismatch,
};

// Failures detected by the client: unreadable answers, bad configuration, bad input.
enum class client_errc {
  malformed_response = 1,  // XML that does not parse, or lacks what the operation must carry
  truncated_response,      // XML that ends before its root element closes
  empty_response,          // a body was required and none came
  response_too_large,
  xml_too_deep,
  inconsistent_listing,    // IsTruncated without the markers to continue from
  unexpected_status,       // an HTTP status with no S3 error body to explain it
  invalid_endpoint,
  invalid_bucket_name,
  invalid_key,
  key_not_xml_safe,        // a key XML 1.0 cannot carry: delete it alone, URL-encoded
  too_many_keys,
  missing_credentials,
  partial_credentials,
  profile_not_found,
  invalid_config,
  missing_region,
  connection_failed,       // the endpoint cannot be reached, or TLS cannot be trusted
  listing_stalled,         // a listing's cursor came back to where it was, or went backwards
  page_too_large,          // a list page with far more entries than were asked for
  outcome_unknown,         // a request that is not safe to repeat lost its answer
  unmatched_answer,        // a DeleteObjects answer that does not describe the batch sent
  stopped,                 // the run stopped while the request waited to be retried
  wrong_document,          // a well-formed answer that is another operation's document
  endpoint_timed_out,      // a one-off endpoint (credentials, metadata) gave no answer in time
};

const std::error_category& s3_category() noexcept;
const std::error_category& client_category() noexcept;

inline std::error_code make_error_code(s3_errc e) noexcept {
  return {static_cast<int>(e), s3_category()};
}
inline std::error_code make_error_code(client_errc e) noexcept {
  return {static_cast<int>(e), client_category()};
}

// The S3 code string ("SlowDown") to its enum; unknown codes map to s3_errc::other.
s3_errc s3_errc_from_code(std::string_view code) noexcept;

// When an answer carries no error body (HEAD, or a proxy's HTML page), the status decides.
s3_errc s3_errc_from_status(int http_status) noexcept;

// Throttling: slow down, then retry; counts against the throttle budget.
bool is_throttle(std::error_code ec) noexcept;
// Transient: retry the same request after a backoff (includes throttles).
bool is_retryable(std::error_code ec) noexcept;
// Fatal: no request of this run can succeed (wrong credentials, region, bucket): stop.
bool is_fatal(std::error_code ec) noexcept;
// Refused: the role may not do this operation, or the server does not implement it
// (AccessDenied, NotImplemented, MethodNotAllowed, another operation's document). Asking
// again changes nothing; a check or a listing that can go without it degrades instead.
bool is_refusal(std::error_code ec) noexcept;

}  // namespace s3purge::protocol

template <>
struct std::is_error_code_enum<s3purge::protocol::s3_errc> : std::true_type {};
template <>
struct std::is_error_code_enum<s3purge::protocol::client_errc> : std::true_type {};
