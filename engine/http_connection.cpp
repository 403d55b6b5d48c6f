#include "engine/http_connection.hpp"
#include "engine/tls_session_cache.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <tuple>
#include <type_traits>
#include <optional>
#include <variant>

#include "engine/body_pool.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// An answer's body as a std::string, like http::string_body, but appended to rather than
// resized and then copied into: string_body zero-fills each chunk before copying over it,
// a memset of every list page (1.5% of the client's CPU in B). Only read, never written.
struct AppendedBody {
  using value_type = std::string;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, error_code& ec) {
      if (length) {
        if (*length > body_.max_size()) {
          ec = http::error::buffer_overflow;
          return;
        }
        body_.reserve(static_cast<std::size_t>(*length));
      }
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, error_code& ec) {
      const std::size_t extra = beast::buffer_bytes(buffers);
      if (extra > body_.max_size() - body_.size()) {
        ec = http::error::buffer_overflow;
        return 0;
      }
      for (const auto b : beast::buffers_range_ref(buffers)) {
        body_.append(static_cast<const char*>(b.data()), b.size());
      }
      ec = {};
      return extra;
    }

    void finish(error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct HttpConnection::Impl {
  asio::any_io_executor executor;
  ConnectionOptions options;
  ssl::context* tls;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::string head;  // the serialised request line and headers, reused
  std::size_t head_size = 0;  // where the headers end in `head`
  bool open = false;
  std::uint64_t requests_on_connection = 0;
  ConnectionStage stage = ConnectionStage::connect;
  bool went_out = false;  // some of the last request was written

  Impl(asio::any_io_executor ex, ConnectionOptions o, ssl::context* t)
      : executor(std::move(ex)), options(std::move(o)), tls(t) {
    // A default flat_buffer makes Beast read 512 bytes at a time: list pages are ~400 KB.
    buffer.reserve(64 * 1024);
  }

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  void close() {
    error_code ignored;
    if (plain) plain->socket().close(ignored);
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
    open = false;
  }

  asio::awaitable<error_code> connect() {
    close();
    stage = ConnectionStage::connect;
    using namespace asio::experimental::awaitable_operators;
    tcp::resolver resolver(executor);
    asio::steady_timer timer(executor);
    timer.expires_after(options.connect_timeout);
    const std::string& target = options.connect_address.empty() ? options.host
                                                                : options.connect_address;
    auto raced = co_await (resolver.async_resolve(target, std::to_string(options.port),
                                                  use_tuple) ||
                           timer.async_wait(use_tuple));
    if (raced.index() == 1) co_return beast::error::timeout;
    auto [rec, endpoints] = std::get<0>(std::move(raced));
    if (rec) co_return rec;

    beast::tcp_stream stream(executor);
    stream.expires_after(options.connect_timeout);
    auto [cec, ep] = co_await stream.async_connect(endpoints, use_tuple);
    if (cec) co_return cec;
    stream.socket().set_option(tcp::no_delay(true));

    if (options.https) {
      secure.emplace(std::move(stream), *tls);
      // SNI for names (not for IP literals, which SNI may not carry), and verification
      // that the certificate is for the host we meant.
      if (!is_ip_literal(options.host) &&
          !SSL_set_tlsext_host_name(secure->native_handle(), options.host.c_str())) {
        co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
      }
      secure->set_verify_callback(ssl::host_name_verification(options.host));
      if (options.sessions) options.sessions->attach(secure->native_handle());
      beast::get_lowest_layer(*secure).expires_after(options.connect_timeout);
      stage = ConnectionStage::handshake;
      auto [hec] = co_await secure->async_handshake(ssl::stream_base::client, use_tuple);
      if (hec) {
        close();
        co_return hec;
      }
      if (options.sessions) options.sessions->handshake_done(secure->native_handle());
    } else {
      plain.emplace(std::move(stream));
    }
    open = true;
    requests_on_connection = 0;
    co_return error_code{};
  }

  void serialize(const protocol::HttpRequest& r) {
    head.clear();
    head += r.method;
    head += ' ';
    head += r.target();
    head += " HTTP/1.1\r\nHost: ";
    head += r.host;
    head += "\r\n";
    for (const auto& [name, value] : r.headers) {
      head += name;
      head += ": ";
      head += value;
      head += "\r\n";
    }
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT") {
      head += "Content-Length: ";
      head += std::to_string(r.body.size());
      head += "\r\n";
    }
    head += "User-Agent: s3purge/" S3PURGE_VERSION "\r\n\r\n";
    head_size = head.size();
  }

  template <class Stream>
  asio::awaitable<error_code> round_trip(Stream& stream, const protocol::HttpRequest& request,
                                         protocol::HttpResponse& response, bool& answered) {
    lowest().expires_after(options.request_timeout);
    stage = ConnectionStage::request;
    went_out = true;
    error_code wec;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      // Head and body by scatter-gather: the ~70 KB body is not copied.
      const std::array<asio::const_buffer, 2> out{asio::buffer(head), asio::buffer(request.body)};
      std::tie(wec, std::ignore) = co_await asio::async_write(stream, out, use_tuple);
    } else {
      // One buffer over TLS: Beast's ssl_stream (Boost 1.81) stalled on two-buffer writes
      // larger than one TLS record. `head` keeps its capacity, so this costs a copy only.
      head.resize(head_size);
      head += request.body;
      std::tie(wec, std::ignore) = co_await asio::async_write(stream, asio::buffer(head), use_tuple);
    }
    if (wec) co_return wec;

    const bool is_head = request.method == "HEAD";
    http::response_parser<AppendedBody> parser;
    parser.body_limit(options.max_response_bytes);
    if (is_head) parser.skip(true);
    lowest().expires_after(options.request_timeout);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (hec) {
      if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        const auto got = buffer.data();
        if (looks_like_tls_record(static_cast<const unsigned char*>(got.data()), got.size())) {
          co_return make_error_code(transport_errc::tls_answer);
        }
      }
      co_return hec;
    }
    answered = true;
    // The body goes into the caller's buffer, keeping its capacity, unless it is large and
    // that buffer too small: then into one of the thread's pool (body_pool.hpp), which
    // the caller may give back. A body of unknown length (chunked) counts as large.
    const auto length = parser.content_length();
    const std::uint64_t need = length ? *length : BodyPool::kLarge + 1;
    auto& body = parser.get().body();
    if (!is_head && need > BodyPool::kLarge && need > response.body.capacity()) {
      body = BodyPool::of_thread().take();
    } else {
      body = std::move(response.body);
      body.clear();
    }
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (rec) co_return rec;

    auto& msg = parser.get();
    response.status = msg.result_int();
    response.headers = protocol::Headers();
    for (const auto& f : msg) response.headers.add(f.name_string(), f.value());
    response.body = std::move(msg.body());
    if (!msg.keep_alive()) close();
    co_return error_code{};
  }

  asio::awaitable<error_code> exchange(const protocol::HttpRequest& request,
                                       protocol::HttpResponse& response, bool resend_stale) {
    serialize(request);
    went_out = false;
    for (int attempt = 0;; ++attempt) {
      const bool reused = open && requests_on_connection > 0;
      if (!open) {
        if (auto ec = co_await connect(); ec) co_return ec;
      }
      bool answered = false;
      error_code ec = secure ? co_await round_trip(*secure, request, response, answered)
                             : co_await round_trip(*plain, request, response, answered);
      if (!ec) {
        ++requests_on_connection;
        co_return ec;
      }
      close();
      // A kept-alive connection the peer closed before answering: the request never got
      // an answer on it, so it goes out once more on a fresh connection.
      const bool stale = reused && !answered &&
                         (ec == http::error::end_of_stream || ec == asio::error::eof ||
                          ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                          ec == ssl::error::stream_truncated);
      if (!stale || attempt > 0 || !resend_stale) co_return ec;
    }
  }
};

HttpConnection::HttpConnection(asio::any_io_executor executor, ConnectionOptions options,
                               ssl::context* tls)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options), tls)) {}
HttpConnection::~HttpConnection() = default;
HttpConnection::HttpConnection(HttpConnection&&) noexcept = default;
HttpConnection& HttpConnection::operator=(HttpConnection&&) noexcept = default;

asio::awaitable<error_code> HttpConnection::exchange(const protocol::HttpRequest& request,
                                                     protocol::HttpResponse& response,
                                                     bool resend_stale) {
  return impl_->exchange(request, response, resend_stale);
}

bool HttpConnection::request_went_out() const { return impl_->went_out; }

ConnectionStage HttpConnection::failed_in() const { return impl_->stage; }

bool HttpConnection::is_open() const { return impl_->open; }

bool HttpConnection::is_tls() const { return impl_->tls != nullptr; }

void HttpConnection::close() { impl_->close(); }

}  // namespace s3purge::engine
