// AWS credentials. The secret and the session token are never formatted into text: the
// only printable form is redacted_id().
#pragma once

#include <string>

namespace s3purge::protocol {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials

  bool complete() const { return !access_key_id.empty() && !secret_access_key.empty(); }
  // "****WXYZ": enough to tell keys apart in a log, not enough to use one.
  std::string redacted_id() const;
};

}  // namespace s3purge::protocol
