#include "engine/key_source.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <thread>

namespace s3purge::engine {

namespace asio = boost::asio;
using boost::system::error_code;
using protocol::Error;
using protocol::Result;
using Lines = std::vector<std::string>;

asio::awaitable<Result<Lines>> ListKeySource::next() {
  if (given_) co_return Lines();
  given_ = true;
  co_return std::move(lines_);
}

namespace {
constexpr std::size_t kChunkLines = 1000;
// A key is at most 1024 bytes and a version id about a hundred: a longer line is not a key
// list (a binary file, a wrong path), and holding it would let memory grow.
constexpr std::size_t kMaxLineBytes = 8192;
}  // namespace

struct FileKeySource::Impl {
  using Channel = asio::experimental::concurrent_channel<void(error_code, Lines)>;
  std::string path;
  int fd = -1;
  bool owns_fd = false;
  Channel channel;
  std::atomic<bool> stop{false};
  std::thread reader;
  std::string error;  // set by the reader before it sends an error code

  Impl(asio::any_io_executor ex, std::string p, int f, bool owns)
      : path(std::move(p)), fd(f), owns_fd(owns), channel(ex, 4) {}

  ~Impl() {
    stop = true;
    channel.close();
    if (reader.joinable()) reader.join();
    if (owns_fd) ::close(fd);
  }

  // Waits until the consumer has room; false once it has gone. try_send and a short sleep
  // rather than a blocking send: a blocking send would need the consumer's event loop to
  // finish it, and that loop may be the one waiting for this thread to end.
  bool send(error_code ec, Lines lines) {
    while (!stop && channel.is_open()) {
      if (channel.try_send(ec, std::move(lines))) return true;  // moved from only on success
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
  }

  void fail(std::string why) {
    error = path + ": " + why;
    send(asio::error::make_error_code(asio::error::broken_pipe), Lines());
  }

  void read_loop() {
    std::vector<char> buf(64 * 1024);
    std::string line;
    Lines chunk;
    std::uint64_t line_no = 0;
    while (!stop) {
      // Wake up now and then to notice a run that stopped while input is idle.
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, 200);
      if (ready < 0 && errno != EINTR) return fail(std::strerror(errno));
      if (ready <= 0) continue;
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return fail(std::strerror(errno));
      }
      if (n == 0) break;
      for (ssize_t i = 0; i < n; ++i) {
        const char c = buf[static_cast<std::size_t>(i)];
        if (c != '\n') {
          if (line.size() == kMaxLineBytes) {
            return fail("line " + std::to_string(line_no + 1) + " is longer than " +
                        std::to_string(kMaxLineBytes) + " bytes: not a list of keys");
          }
          line.push_back(c);
          continue;
        }
        ++line_no;
        chunk.push_back(std::move(line));
        line.clear();
        if (chunk.size() == kChunkLines) {
          if (!send({}, std::move(chunk))) return;
          chunk.clear();
        }
      }
    }
    if (stop) return;
    if (!line.empty()) chunk.push_back(std::move(line));  // a last line without newline
    if (!chunk.empty() && !send({}, std::move(chunk))) return;
    send({}, Lines());  // the end
  }
};

FileKeySource::FileKeySource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->reader = std::thread([this] { impl_->read_loop(); });
}

FileKeySource::~FileKeySource() = default;

Result<std::unique_ptr<FileKeySource>> FileKeySource::open(asio::any_io_executor ex,
                                                           const std::string& path) {
  int fd = STDIN_FILENO;
  const bool is_stdin = path == "-";
  if (!is_stdin) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Error(protocol::client_errc::invalid_config,
                   "cannot read --keys-from " + path + ": " + std::strerror(errno));
    }
  }
  return std::make_unique<FileKeySource>(
      std::make_unique<Impl>(ex, is_stdin ? "standard input" : path, fd, !is_stdin));
}

asio::awaitable<Result<Lines>> FileKeySource::next() {
  auto [ec, lines] = co_await impl_->channel.async_receive(asio::as_tuple(asio::use_awaitable));
  if (ec) {
    co_return Error(protocol::client_errc::invalid_config,
                    "cannot read keys from " + (impl_->error.empty() ? impl_->path : impl_->error));
  }
  co_return std::move(lines);
}

void FileKeySource::close() {
  impl_->stop = true;
  impl_->channel.close();
}

}  // namespace s3purge::engine
