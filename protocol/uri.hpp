// Percent-encoding as SigV4 and S3 use it (RFC 3986 unreserved characters kept, upper-case
// hex), and the decoding of keys that S3 lists with encoding-type=url.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace s3purge::protocol {

// Encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash: S3 object paths).
std::string uri_encode(std::string_view in, bool keep_slash);
void uri_encode_append(std::string& out, std::string_view in, bool keep_slash);

// Decodes %XX and, as S3's encoding-type=url does for spaces, '+'. nullopt when a '%' is
// not followed by two hex digits: such a key must not be guessed at.
std::optional<std::string> url_decode(std::string_view in);
// Decodes %XX only: '+' stays '+', as in a URL path.
std::optional<std::string> percent_decode(std::string_view in);

}  // namespace s3purge::protocol
