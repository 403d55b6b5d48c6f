// Where `s3purge rm` takes its keys from instead of a listing: the command line, or a file
// or pipe read by a thread of its own, so a slow producer never stalls the requests in
// flight. Lines come in chunks; memory stays bounded by the channel between the two.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

#include "protocol/error.hpp"

namespace s3purge::engine {

class KeySource {
 public:
  virtual ~KeySource() = default;
  // The next lines, without their newline; an empty vector at the end. An error (the
  // input cannot be read) ends the run.
  virtual boost::asio::awaitable<protocol::Result<std::vector<std::string>>> next() = 0;
  // Nothing more will be read (the run stops early).
  virtual void close() {}
};

// The keys named on the command line.
class ListKeySource final : public KeySource {
 public:
  explicit ListKeySource(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  boost::asio::awaitable<protocol::Result<std::vector<std::string>>> next() override;

 private:
  std::vector<std::string> lines_;
  bool given_ = false;
};

// A file, or standard input for "-". The file is opened by open(); a reader thread
// feeds chunks of up to 1000 lines through a small channel.
class FileKeySource final : public KeySource {
 public:
  static protocol::Result<std::unique_ptr<FileKeySource>> open(boost::asio::any_io_executor ex,
                                                              const std::string& path);
  ~FileKeySource() override;
  boost::asio::awaitable<protocol::Result<std::vector<std::string>>> next() override;
  void close() override;

  struct Impl;
  explicit FileKeySource(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace s3purge::engine
