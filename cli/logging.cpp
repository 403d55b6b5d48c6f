#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/redacting_output.hpp"

namespace s3purge::cli {

protocol::Result<protocol::Ok> setup_logging(int verbose, bool quiet, const std::string& log_file) {
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  console->set_pattern("s3purge: %l: %v");
  console->set_level(quiet          ? spdlog::level::err
                     : verbose == 0 ? spdlog::level::warn
                     : verbose == 1 ? spdlog::level::info
                                    : spdlog::level::debug);
  sinks.push_back(redacting(console));
  if (!log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file, true);
      file->set_formatter(std::make_unique<spdlog::pattern_formatter>(
          "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
      file->set_level(spdlog::level::debug);
      sinks.push_back(redacting(file));
    } catch (const spdlog::spdlog_ex& e) {
      return protocol::Error(protocol::client_errc::invalid_config,
                             "cannot write --log-file " + log_file + ": " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("s3purge", sinks.begin(), sinks.end());
  // Messages no sink wants are not even formatted.
  logger->set_level(log_file.empty() ? console->level() : spdlog::level::debug);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return protocol::Ok{};
}

}  // namespace s3purge::cli
