#include "s3emu/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <tuple>
#include <atomic>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace s3emu {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Requests up to 256 MiB (a multipart part is at most 5 GiB on S3; tests send far less).
constexpr std::uint64_t kBodyLimit = 256ull << 20;

std::string_view reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 416: return "Requested Range Not Satisfiable";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Slow Down";
    default: return "Unknown";
  }
}

// Serialises the status line and headers of a response into `out`, reusing its capacity;
// the body is sent from the response itself (no copy of a 300 KB listing).
void serialize_head(const HttpResponse& r, bool keep_alive, std::string& out) {
  out.clear();
  out += "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason(r.status);
  out += "\r\nServer: s3emu\r\n";
  bool has_length = false;
  for (const auto& [name, value] : r.headers) {
    has_length = has_length || s3purge::protocol::iequals(name, "content-length");
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!has_length && r.status != 204) {
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Router& router;
  Stats& stats;
  const FaultInjector* faults;
  asio::io_context ioc;
  std::optional<asio::ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  std::optional<Capacity> capacity;
  std::atomic<std::uint64_t> next_seq{0};

  Impl(ServerOptions o, Router& r, Stats& s, const FaultInjector* f)
      : options(std::move(o)), router(r), stats(s), faults(f), ioc(options.threads) {
    if (options.capacity_ops > 0) capacity.emplace(options.capacity_ops);
  }

  template <class Stream>
  static tcp::socket& socket_of(Stream& s) {
    return beast::get_lowest_layer(s).socket();
  }

  // Plain TCP sends head and body by scatter-gather, without copying the body. Over TLS
  // they go as one buffer: Beast's ssl_stream stalled here on two-buffer writes larger
  // than one TLS record (found by the engine's TLS test; curl saw it too).
  static asio::awaitable<std::tuple<beast::error_code, std::size_t>> write_response(
      beast::tcp_stream& stream, std::string& head, const std::string& body) {
    const std::array<asio::const_buffer, 2> parts{asio::buffer(head), asio::buffer(body)};
    co_return co_await asio::async_write(stream, parts, use_tuple);
  }
  static asio::awaitable<std::tuple<beast::error_code, std::size_t>> write_response(
      beast::ssl_stream<beast::tcp_stream>& stream, std::string& head, const std::string& body) {
    head += body;
    co_return co_await asio::async_write(stream, asio::buffer(head), use_tuple);
  }

  template <class Stream>
  asio::awaitable<void> session(Stream stream) {
    beast::flat_buffer buffer;
    buffer.reserve(64 * 1024);  // a default flat_buffer reads 512 bytes at a time
    std::string out;
    out.reserve(64 * 1024);
    asio::steady_timer timer(stream.get_executor());
    std::uint64_t served = 0;

    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kBodyLimit);
      parser.header_limit(64 * 1024);
      beast::get_lowest_layer(stream).expires_after(options.idle_timeout);
      auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
      if (hec) co_return;  // closed, idle or garbage: nothing to answer
      if (parser.get()[http::field::expect] == "100-continue") {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), use_tuple);
        if (cec) co_return;
      }
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (ec) co_return;
      const auto started = std::chrono::steady_clock::now();

      auto& msg = parser.get();
      EmuRequest req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      for (const auto& f : msg) req.headers.add(f.name_string(), f.value());
      req.body = std::move(msg.body());
      const bool keep_alive = msg.keep_alive();

      const Route route = router.route(req);
      const std::uint64_t seq = ++next_seq;
      const bool s3_op = route.op != "Stats";
      const RequestFault fault = faults && s3_op ? faults->draw(seq) : RequestFault::none;

      // The latency model: fixed per request, per key of a batch, per list page.
      auto delay = options.latency + options.per_key_latency * static_cast<std::int64_t>(route.keys);
      if (route.is_list) delay += options.list_latency;
      HttpResponse resp;
      bool refused = false;
      if (capacity && s3_op) {
        if (options.overload == Overload::queue) {
          delay += capacity->queue_delay(route.write_cost, started);
        } else if (route.write_cost > 0 && !capacity->try_take(route.write_cost, started)) {
          resp = router.handle(req, route, seq, RequestFault::over_capacity);
          refused = true;
        }
      }
      if (!refused) resp = router.handle(req, route, seq, fault);
      if (delay.count() > 0) {
        timer.expires_after(delay);
        co_await timer.async_wait(use_tuple);
      }

      serialize_head(resp, keep_alive, out);
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
      if (fault == RequestFault::reset || fault == RequestFault::truncate) {
        // Executed, then the answer is lost: a reset mid-response, or a body cut short.
        stats.fault(to_string(fault));
        const std::size_t body_at = out.size();
        out += resp.body;
        const std::size_t cut = fault == RequestFault::reset
                                    ? out.size() / 2
                                    : body_at + (out.size() - body_at) / 2;
        co_await asio::async_write(stream, asio::buffer(out.data(), cut), use_tuple);
        beast::error_code ignored;
        if (fault == RequestFault::reset) {
          socket_of(stream).set_option(asio::socket_base::linger(true, 0), ignored);
        }
        socket_of(stream).close(ignored);
        stats.record(route.op, resp.status, std::chrono::steady_clock::now() - started);
        co_return;
      }
      auto [wec, wn] = co_await write_response(stream, out, resp.body);
      stats.record(route.op, resp.status, std::chrono::steady_clock::now() - started);
      if (wec || !keep_alive) co_return;
      if (options.max_requests_per_connection && ++served >= options.max_requests_per_connection) {
        beast::error_code ignored;
        socket_of(stream).close(ignored);  // no "Connection: close": the client finds out
        co_return;
      }
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    socket.set_option(tcp::no_delay(true));
    if (!tls) {
      co_await session(beast::tcp_stream(std::move(socket)));
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (ec) co_return;  // a client that does not trust us, or not TLS at all
    co_await session(std::move(stream));
  }

  asio::awaitable<void> listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) continue;  // e.g. EMFILE: keep serving the connections we have
      asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)),
                     [](std::exception_ptr e) {
                       if (!e) return;
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         std::cerr << "s3emu: connection failed: " << ex.what() << "\n";
                       }
                     });
    }
  }
};

Server::Server(ServerOptions options, Router& router, Stats& stats, const FaultInjector* faults)
    : impl_(std::make_unique<Impl>(std::move(options), router, stats, faults)) {}

Server::~Server() = default;

void Server::start() {
  auto& o = impl_->options;
  if (!o.tls_cert_file.empty()) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->set_options(asio::ssl::context::default_workarounds |
                            asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                            asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    impl_->tls->use_certificate_chain_file(o.tls_cert_file);
    impl_->tls->use_private_key_file(o.tls_key_file, asio::ssl::context::pem);
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("bad listen address '" + o.host + "': " + ec.message());
  const tcp::endpoint ep(address, o.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                             ec.message());
  }
  if (!o.capacity_schedule.empty()) impl_->capacity.emplace(o.capacity_schedule, std::chrono::steady_clock::now());
  asio::co_spawn(impl_->ioc, impl_->listen(), asio::detached);
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  asio::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->ioc.stop();
  });
}

}  // namespace s3emu
