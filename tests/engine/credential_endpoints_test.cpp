// Instance metadata that takes the connection and never answers: the session token request
// times out (a typed error, not a message searched for words), and the fallback to IMDSv1
// follows the setting.
#include "engine/credential_endpoints.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

using namespace s3purge;

namespace {

// A socket that listens on 127.0.0.1 and never accepts: connections complete in its
// backlog, requests are written, and no answer ever comes.
struct SilentListener {
  int fd = -1;
  int port = 0;
  SilentListener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
    }
    port = ntohs(a.sin_port);
  }
  ~SilentListener() { ::close(fd); }
};

}  // namespace

TEST(InstanceMetadata, ASilentTokenRequestTimesOutAndV1IsTriedOnlyWhereAllowed) {
  SilentListener imds;
  auto at = protocol::parse_endpoint("http://127.0.0.1:" + std::to_string(imds.port));
  ASSERT_TRUE(at);
  const auto started = std::chrono::steady_clock::now();
  auto v2_only = engine::fetch_instance_credentials(*at, std::chrono::milliseconds(200), false);
  ASSERT_FALSE(v2_only);
  EXPECT_NE(v2_only.error().message.find("the IMDSv2 session token request timed out"), std::string::npos)
      << v2_only.error().message;
  EXPECT_NE(v2_only.error().message.find("IMDSv1 is disabled"), std::string::npos) << v2_only.error().message;
  auto with_v1 = engine::fetch_instance_credentials(*at, std::chrono::milliseconds(200), true);
  ASSERT_FALSE(with_v1) << "nothing ever answers";
  EXPECT_EQ(with_v1.error().message.find("IMDSv1 is disabled"), std::string::npos) << with_v1.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "every step has a deadline";
}
