#include "protocol/errc.hpp"

#include <array>
#include <string>
#include <utility>

namespace s3purge::protocol {
namespace {

struct CodeName {
  std::string_view code;
  s3_errc value;
};

// S3's code strings. Several throttle spellings come from other S3-compatible servers and
// from the list botocore's standard retry mode treats as throttling.
constexpr std::array kCodes{
    CodeName{"AccessDenied", s3_errc::access_denied},
    CodeName{"AccountProblem", s3_errc::account_problem},
    CodeName{"AllAccessDisabled", s3_errc::all_access_disabled},
    CodeName{"AuthorizationHeaderMalformed", s3_errc::authorization_header_malformed},
    CodeName{"BadDigest", s3_errc::bad_digest},
    CodeName{"BadRequest", s3_errc::bad_request},
    CodeName{"BucketNotEmpty", s3_errc::bucket_not_empty},
    CodeName{"ExpiredToken", s3_errc::expired_token},
    CodeName{"IllegalLocationConstraintException", s3_errc::illegal_location_constraint},
    CodeName{"InternalError", s3_errc::internal_error},
    CodeName{"InvalidAccessKeyId", s3_errc::invalid_access_key_id},
    CodeName{"InvalidArgument", s3_errc::invalid_argument},
    CodeName{"InvalidBucketName", s3_errc::invalid_bucket_name},
    CodeName{"InvalidDigest", s3_errc::invalid_digest},
    CodeName{"InvalidObjectState", s3_errc::invalid_object_state},
    CodeName{"InvalidRequest", s3_errc::invalid_request},
    CodeName{"InvalidToken", s3_errc::invalid_token},
    CodeName{"MalformedXML", s3_errc::malformed_xml},
    CodeName{"MethodNotAllowed", s3_errc::method_not_allowed},
    CodeName{"MissingContentMD5", s3_errc::missing_content_md5},
    CodeName{"NoSuchBucket", s3_errc::no_such_bucket},
    CodeName{"NoSuchKey", s3_errc::no_such_key},
    CodeName{"NoSuchUpload", s3_errc::no_such_upload},
    CodeName{"NoSuchVersion", s3_errc::no_such_version},
    CodeName{"NoSuchLifecycleConfiguration", s3_errc::no_such_lifecycle_configuration},
    CodeName{"NotFound", s3_errc::not_found},
    CodeName{"NotImplemented", s3_errc::not_implemented},
    CodeName{"ObjectLockConfigurationNotFoundError", s3_errc::object_lock_configuration_not_found},
    CodeName{"OperationAborted", s3_errc::operation_aborted},
    CodeName{"PermanentRedirect", s3_errc::permanent_redirect},
    CodeName{"PreconditionFailed", s3_errc::precondition_failed},
    CodeName{"ReplicationConfigurationNotFoundError", s3_errc::replication_configuration_not_found},
    CodeName{"RequestTimeTooSkewed", s3_errc::request_time_too_skewed},
    CodeName{"RequestTimeout", s3_errc::request_timeout},
    CodeName{"ServiceUnavailable", s3_errc::service_unavailable},
    CodeName{"SignatureDoesNotMatch", s3_errc::signature_does_not_match},
    CodeName{"SlowDown", s3_errc::slow_down},
    CodeName{"TemporaryRedirect", s3_errc::temporary_redirect},
    CodeName{"TokenRefreshRequired", s3_errc::token_refresh_required},
    CodeName{"XAmzContentSHA256Mismatch", s3_errc::x_amz_content_sha256_mismatch},
    // Throttle spellings of other servers and services, all one meaning to us.
    CodeName{"Throttling", s3_errc::throttling},
    CodeName{"ThrottlingException", s3_errc::throttling},
    CodeName{"ThrottledException", s3_errc::throttling},
    CodeName{"RequestThrottled", s3_errc::throttling},
    CodeName{"RequestThrottledException", s3_errc::throttling},
    CodeName{"TooManyRequests", s3_errc::throttling},
    CodeName{"TooManyRequestsException", s3_errc::throttling},
    CodeName{"RequestLimitExceeded", s3_errc::throttling},
    CodeName{"BandwidthLimitExceeded", s3_errc::throttling},
    CodeName{"LimitExceededException", s3_errc::throttling},
    CodeName{"PriorRequestNotComplete", s3_errc::throttling},
};

class S3Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "s3"; }
  std::string message(int ev) const override {
    const auto e = static_cast<s3_errc>(ev);
    if (e == s3_errc::other) return "S3 error";
    for (const auto& c : kCodes) {
      if (c.value == e) return std::string(c.code);
    }
    return "unknown S3 error " + std::to_string(ev);
  }
};

class ClientCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "s3purge"; }
  std::string message(int ev) const override {
    switch (static_cast<client_errc>(ev)) {
      case client_errc::malformed_response: return "malformed response";
      case client_errc::truncated_response: return "truncated response";
      case client_errc::empty_response: return "empty response body";
      case client_errc::response_too_large: return "response too large";
      case client_errc::xml_too_deep: return "XML nested too deeply";
      case client_errc::inconsistent_listing: return "listing truncated without continuation marker";
      case client_errc::unexpected_status: return "unexpected HTTP status";
      case client_errc::invalid_endpoint: return "invalid endpoint URL";
      case client_errc::invalid_bucket_name: return "invalid bucket name";
      case client_errc::invalid_key: return "invalid object key";
      case client_errc::key_not_xml_safe: return "key cannot be carried in XML";
      case client_errc::too_many_keys: return "too many keys for one request";
      case client_errc::missing_credentials: return "no credentials found";
      case client_errc::partial_credentials: return "partial credentials";
      case client_errc::profile_not_found: return "profile not found";
      case client_errc::invalid_config: return "invalid configuration";
      case client_errc::missing_region: return "no region configured";
      case client_errc::connection_failed: return "cannot reach the endpoint";
      case client_errc::endpoint_timed_out: return "the endpoint did not answer in time";
      case client_errc::listing_stalled: return "listing does not move forward";
      case client_errc::page_too_large: return "list page larger than asked for";
      case client_errc::outcome_unknown: return "outcome unknown";
      case client_errc::unmatched_answer: return "answer does not match the request";
      case client_errc::stopped: return "stopped";
      case client_errc::wrong_document: return "the answer is another operation's document";
    }
    return "unknown client error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& s3_category() noexcept {
  static const S3Category category;
  return category;
}

const std::error_category& client_category() noexcept {
  static const ClientCategory category;
  return category;
}

s3_errc s3_errc_from_code(std::string_view code) noexcept {
  for (const auto& c : kCodes) {
    if (c.code == code) return c.value;
  }
  return s3_errc::other;
}

s3_errc s3_errc_from_status(int http_status) noexcept {
  switch (http_status) {
    case 301: return s3_errc::permanent_redirect;
    case 307: return s3_errc::temporary_redirect;
    case 400: return s3_errc::bad_request;
    case 403: return s3_errc::access_denied;
    case 404: return s3_errc::not_found;
    case 405: return s3_errc::method_not_allowed;
    case 409: return s3_errc::operation_aborted;
    case 412: return s3_errc::precondition_failed;
    case 429: return s3_errc::throttling;
    case 500: return s3_errc::internal_error;
    case 501: return s3_errc::not_implemented;
    case 502: return s3_errc::service_unavailable;
    case 503: return s3_errc::slow_down;
    case 504: return s3_errc::service_unavailable;
    default: return s3_errc::other;
  }
}

bool is_throttle(std::error_code ec) noexcept {
  if (ec.category() != s3_category()) return false;
  const auto e = static_cast<s3_errc>(ec.value());
  return e == s3_errc::slow_down || e == s3_errc::throttling;
}

bool is_retryable(std::error_code ec) noexcept {
  if (is_throttle(ec)) return true;
  if (ec.category() == client_category()) {
    // A body cut short or garbled in transit is worth another try; deletes are idempotent.
    const auto e = static_cast<client_errc>(ec.value());
    return e == client_errc::truncated_response || e == client_errc::malformed_response ||
           e == client_errc::empty_response;
  }
  if (ec.category() != s3_category()) return false;
  switch (static_cast<s3_errc>(ec.value())) {
    case s3_errc::internal_error:
    case s3_errc::service_unavailable:
    case s3_errc::request_timeout:
    case s3_errc::operation_aborted:  // "a conflicting conditional operation is in progress"
    case s3_errc::bad_digest:         // our MD5 is right, so the body was damaged in transit
    case s3_errc::x_amz_content_sha256_mismatch:
      return true;
    default:
      return false;
  }
}

bool is_refusal(std::error_code ec) noexcept {
  return ec == s3_errc::access_denied || ec == s3_errc::not_implemented ||
         ec == s3_errc::method_not_allowed || ec == client_errc::wrong_document;
}

bool is_fatal(std::error_code ec) noexcept {
  if (ec.category() == client_category()) {
    switch (static_cast<client_errc>(ec.value())) {
      case client_errc::invalid_endpoint:
      case client_errc::invalid_bucket_name:
      case client_errc::missing_credentials:
      case client_errc::partial_credentials:
      case client_errc::profile_not_found:
      case client_errc::invalid_config:
      case client_errc::missing_region:
      case client_errc::connection_failed:
      case client_errc::endpoint_timed_out:
        return true;
      default:
        return false;
    }
  }
  if (ec.category() != s3_category()) return false;
  switch (static_cast<s3_errc>(ec.value())) {
    case s3_errc::account_problem:
    case s3_errc::all_access_disabled:
    case s3_errc::authorization_header_malformed:
    case s3_errc::expired_token:
    case s3_errc::illegal_location_constraint:
    case s3_errc::invalid_access_key_id:
    case s3_errc::invalid_bucket_name:
    case s3_errc::invalid_token:
    case s3_errc::no_such_bucket:
    case s3_errc::permanent_redirect:
    case s3_errc::request_time_too_skewed:
    case s3_errc::signature_does_not_match:
    case s3_errc::token_refresh_required:
      return true;
    default:
      return false;
  }
}

}  // namespace s3purge::protocol
