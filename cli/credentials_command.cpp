#include "cli/credentials_command.hpp"

#include <boost/json.hpp>

#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/session.hpp"
#include "cli/text.hpp"
#include "protocol/crypto.hpp"
#include "protocol/time_text.hpp"

namespace s3purge::cli {

namespace {

// SHA-256 of key id, secret and token, 16 hex digits: equal for the same keys, and of no use
// to anyone who reads it.
std::string fingerprint(const protocol::Credentials& c) {
  return protocol::sha256_hex(c.access_key_id + "\n" + c.secret_access_key + "\n" + c.session_token).substr(0, 16);
}

}  // namespace

int run_credentials(const Flags& f) {
  auto session = open_session(f);
  if (!session) {
    std::cerr << "s3purge: error: " << session.error().message << "\n";
    return static_cast<int>(ExitCode::usage);
  }
  const auto& cfg = session->config;
  const auto& keys = cfg.credentials;
  const auto& expire = session->credentials_expire;
  if (f.json) {
    boost::json::object doc;
    doc["provider"] = cfg.credential_plan.method();
    doc["source"] = cfg.credentials_source;
    doc["profile"] = cfg.profile;
    doc["access_key_id"] = keys.redacted_id();
    doc["temporary"] = !keys.session_token.empty();
    doc["fingerprint"] = fingerprint(keys);
    doc["expiration"] = expire ? boost::json::value(protocol::format_iso8601(*expire)) : boost::json::value(nullptr);
    doc["roles_assumed"] = cfg.credential_plan.roles.size();
    doc["region"] = cfg.region;
    std::cout << boost::json::serialize(doc) << "\n";
    return static_cast<int>(ExitCode::ok);
  }
  std::cout << "provider    " << cfg.credential_plan.method() << "\n"
            << "from        " << cfg.credentials_source << "\n"
            << "profile     " << cfg.profile << "\n"
            << "access key  " << keys.redacted_id() << (keys.session_token.empty() ? "" : " (temporary)") << "\n";
  if (expire) {
    const double left = std::chrono::duration<double>(*expire - std::chrono::system_clock::now()).count();
    std::cout << "expires     " << protocol::format_iso8601(*expire) << " (" << time_left_text(left)
              << (left > 0 ? "; renewed before then during a run)\n" : ")\n");
  } else {
    std::cout << "expires     never (static keys)\n";
  }
  std::cout << "region      " << cfg.region << " (" << cfg.region_source << ")\n";
  return static_cast<int>(ExitCode::ok);
}

}  // namespace s3purge::cli
