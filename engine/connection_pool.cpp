#include "engine/connection_pool.hpp"

namespace s3purge::engine {

ConnectionPool::ConnectionPool(boost::asio::any_io_executor executor, ConnectionOptions options,
                               boost::asio::ssl::context* tls, std::size_t max_idle)
    : executor_(std::move(executor)), options_(std::move(options)), tls_(tls), max_idle_(max_idle) {
  options_.sessions = &sessions_;
}

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<HttpConnection> c)
    : pool_(pool), connection_(std::move(c)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

ConnectionPool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

ConnectionPool::Lease ConnectionPool::take() {
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    ++reused_;
    return Lease(this, std::move(c));
  }
  ++created_;
  return Lease(this, std::make_unique<HttpConnection>(executor_, options_, tls_));
}

void ConnectionPool::give_back(std::unique_ptr<HttpConnection> c) {
  // Oldest first out: the most recently used connection is the likeliest still open.
  if (!c->is_open()) return;
  if (idle_.size() >= max_idle_) idle_.erase(idle_.begin());
  idle_.push_back(std::move(c));
}

}  // namespace s3purge::engine
