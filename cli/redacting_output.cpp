#include "cli/redacting_output.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/sink.h>

#include <iostream>
#include <memory>
#include <streambuf>
#include <string>

#include "engine/secrets.hpp"

namespace s3purge::cli {

namespace {

// Holds what is written until a line ends or the stream is flushed, then writes it less
// the secrets. A secret never spans a line: tokens and keys have no newline.
class RedactingBuf final : public std::streambuf {
 public:
  explicit RedactingBuf(std::streambuf* target) : target_(target) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    pending_.push_back(traits_type::to_char_type(c));
    if (c == '\n') pass_on();
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    if (std::string_view(s, static_cast<std::size_t>(n)).find('\n') != std::string_view::npos) pass_on();
    return n;
  }
  int sync() override {
    pass_on();
    return target_->pubsync();
  }

 private:
  void pass_on() {
    if (pending_.empty()) return;
    const std::string out = engine::redact_secrets(pending_);
    target_->sputn(out.data(), static_cast<std::streamsize>(out.size()));
    pending_.clear();
  }

  std::streambuf* target_;
  std::string pending_;
};

class RedactingSink final : public spdlog::sinks::sink {
 public:
  explicit RedactingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) { set_level(inner_->level()); }

  void log(const spdlog::details::log_msg& msg) override {
    const std::string text = engine::redact_secrets(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy = msg;
    copy.payload = text;
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> f) override { inner_->set_formatter(std::move(f)); }

 private:
  spdlog::sink_ptr inner_;
};

}  // namespace

void redact_standard_streams() {
  // Never destroyed: the standard streams are flushed at exit, after every static object
  // of this program is gone, and must still find their buffers.
  static auto* const out = new RedactingBuf(std::cout.rdbuf());
  static auto* const err = new RedactingBuf(std::cerr.rdbuf());
  std::cout.rdbuf(out);
  std::cerr.rdbuf(err);
}

spdlog::sink_ptr redacting(spdlog::sink_ptr inner) { return std::make_shared<RedactingSink>(std::move(inner)); }

}  // namespace s3purge::cli
