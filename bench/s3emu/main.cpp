// s3emu: a fast in-memory S3 emulator for s3purge's tests and benchmarks.
// Prints "listening on HOST:PORT" as its first line; GET /_emu/stats answers JSON.
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "protocol/time_text.hpp"
#include "s3emu/partitions.hpp"
#include "s3emu/refusals.hpp"
#include "s3emu/seed.hpp"
#include "s3emu/server.hpp"

namespace {

s3emu::Server* g_server = nullptr;

void on_signal(int) {
  if (g_server) g_server->stop();
}

int fail(const std::string& message) {
  std::cerr << "s3emu: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Answers of ~300 KB come and go thousands of times a second. glibc would hand such blocks
  // back to the kernel and fault them in again (~16 us per 4 KB page on this VM); keep them.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  CLI::App app{"s3emu: an in-memory S3 emulator with versioning, multipart uploads, faults, "
               "and latency and capacity models", "s3emu"};
  std::string listen = "127.0.0.1:0", port_file, tls_cert, tls_key, tls_cert_out, fault_spec;
  std::string latency = "0", per_key_latency = "0", list_latency = "0", overload = "queue";
  bool tls_self_signed = false, no_delete_objects = false;
  int threads = 1;
  double capacity = 0;
  std::uint64_t fault_seed = 1;
  std::vector<std::string> seeds;
  s3emu::RouterOptions ro;
  app.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks one")->capture_default_str();
  app.add_option("--port-file", port_file, "write the port here once listening");
  app.add_option("--threads", threads, "threads serving requests")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve TLS");
  app.add_option("--tls-key", tls_key, "PEM private key for --tls-cert");
  app.add_flag("--tls-self-signed", tls_self_signed, "serve TLS with a fresh self-signed certificate");
  app.add_option("--tls-cert-out", tls_cert_out, "with --tls-self-signed: write the certificate here for clients to trust");
  app.add_option("--access-key", ro.access_key, "verify SigV4 signatures made with this key id");
  app.add_option("--secret-key", ro.secret_key, "... and this secret");
  double session_ttl_s = 0;
  app.add_option("--session-ttl", session_ttl_s,
                 "seconds that temporary credentials stay valid, as GET /_emu/credentials (credential_process "
                 "JSON), GET /_emu/container-credentials, instance metadata (IMDSv2), STS (POST /) and the SSO portal (GET /federation/credentials) issue them; 0: none issued");
  app.add_option("--container-token", ro.container_token,
                 "the Authorization header GET /_emu/container-credentials requires");
  app.add_option("--web-identity-token", ro.web_identity_token,
                 "the WebIdentityToken STS AssumeRoleWithWebIdentity (POST /) requires (empty: any)");
  app.add_option("--role-external-id", ro.role_external_id, "the ExternalId STS AssumeRole requires (empty: none)");
  app.add_option("--sso-token", ro.sso_token,
                 "the bearer token the SSO portal's GET /federation/credentials requires (empty: any)");
  app.add_flag("--stable-credentials", ro.stable_credentials,
               "the same request for credentials gets the same keys, expiring --session-ttl after start "
               "(to compare clients' resolution key for key)");
  app.add_flag("--imds-v1-only", ro.imds_v1_only,
               "instance metadata refuses IMDSv2 session tokens (403) and answers without one");
  app.add_flag("--expire-session-tokens", ro.expire_session_tokens,
               "with --access-key: refuse requests carrying a session token with ExpiredToken");
  app.add_option("--region", ro.region, "the region requests must be signed for")->capture_default_str();
  app.add_option("--virtual-host-domain", ro.virtual_domains, "Host BUCKET.DOMAIN means virtual-hosted addressing")->capture_default_str();
  std::uint64_t max_requests = 0;
  app.add_option("--max-requests-per-connection", max_requests, "close connections silently after N requests (0: never), as load balancers do");
  app.add_option("--max-page", ro.max_page, "entries per list page at most (S3: 1000)")
      ->check(CLI::Range(1, 1000))->capture_default_str();
  auto& po = ro.partitions;
  std::string partition_bounds_file;
  double split_after_s = 0;
  app.add_option("--partitions", po.count,
                 "cut the key space into N partitions, evenly over hex-named keys' first two characters "
                 "(other names fall in the last), each taking --partition-capacity writes/s")
      ->check(CLI::Range(1, 256));
  app.add_option("--partition-bounds", partition_bounds_file,
                 "a file of partition lower bounds, one per line, sorted (the first partition starts at \"\")");
  app.add_option("--partition-capacity", po.capacity,
                 "writes per second of each partition (each key of a DeleteObjects counts); a key over it "
                 "gets SlowDown in the DeleteObjects result, a request all of whose keys are over gets 503")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--partition-split-after", split_after_s,
                 "seconds a partition held at capacity takes to split in two (at the median of its recent keys); "
                 "0: never")->check(CLI::NonNegativeNumber);
  app.add_option("--refuse-checksum", ro.refuse_checksum,
                 "crc: refuse DeleteObjects without Content-MD5 (as clones that know no flexible checksum); "
                 "md5: refuse it without x-amz-checksum-*")->check(CLI::IsMember({"crc", "md5"}));
  app.add_flag("--no-delete-objects", no_delete_objects, "answer DeleteObjects with 501 NotImplemented, as GCS does");
  app.add_option("--seed", seeds, "seed a bucket: bucket=NAME,objects=N,prefixes=P,versions=V,markers=M,uploads=U,old_uploads=U,versioning=enabled|suspended|off,lock=governance|compliance,locked=K,keys=plain|unicode|hostile|hashed,size=BYTES,region=R,replication=1,classes=STANDARD:70,GLACIER:30,age=0d..400d");
  app.add_option("--latency", latency, "added to every request (e.g. 20ms)")->capture_default_str();
  app.add_option("--per-key-latency", per_key_latency, "added per key of a DeleteObjects")->capture_default_str();
  app.add_option("--list-latency", list_latency, "added per list page")->capture_default_str();
  app.add_option("--capacity", capacity, "write operations per second the server can do (0: unlimited); each key of a DeleteObjects counts");
  std::string capacity_schedule;
  app.add_option("--capacity-schedule", capacity_schedule,
                 "the capacity over time instead of --capacity: RATE@SECONDS,... (e.g. 50000@0,10000@2,50000@6), "
                 "each rate from that second after the server starts listening");
  app.add_option("--overload", overload, "past capacity: queue (everyone waits) or slowdown (503 SlowDown)")->check(CLI::IsMember({"queue", "slowdown"}))->capture_default_str();
  app.add_option("--fault", fault_spec, "fault probabilities: slowdown=P,internal=P,reset=P,key-error=P,error-in-200=P,truncate=P,lost-delete=P,versionless-error=P,unmatched=P,verbose=P");
  app.add_option("--fault-seed", fault_seed, "seed of the deterministic fault draws")->capture_default_str();
  std::string deny_spec, not_implemented_spec;
  app.add_option("--deny", deny_spec, "operations answered 403 AccessDenied, as an IAM policy would: OP,OP,... "
                                      "(DeleteObject also refuses each key of a DeleteObjects)");
  app.add_option("--not-implemented", not_implemented_spec,
                 "operations answered 501 NotImplemented, or 405 MethodNotAllowed as OP=405: OP[=405],...");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  ro.delete_objects = !no_delete_objects;
  {
    std::string error;
    if (!s3emu::parse_denied(deny_spec, ro.refusals, error)) return fail("--deny: " + error);
    if (!s3emu::parse_not_implemented(not_implemented_spec, ro.refusals, error)) {
      return fail("--not-implemented: " + error);
    }
  }
  if (ro.access_key.empty() != ro.secret_key.empty()) {
    return fail("--access-key and --secret-key go together");
  }
  if (session_ttl_s < 0 || (session_ttl_s > 0 && ro.access_key.empty())) {
    return fail("--session-ttl takes seconds above 0, and --access-key (signatures are checked)");
  }
  ro.session_ttl = std::chrono::milliseconds(static_cast<std::int64_t>(session_ttl_s * 1000));
  if (!partition_bounds_file.empty()) {
    std::ifstream in(partition_bounds_file);
    std::stringstream text;
    text << in.rdbuf();
    auto bounds = s3emu::parse_partition_bounds(text.str());
    if (!in || !bounds || bounds->empty()) {
      return fail("--partition-bounds " + partition_bounds_file + ": unreadable, empty, or not sorted and distinct");
    }
    po.bounds = std::move(*bounds);
  }
  po.split_after = std::chrono::milliseconds(static_cast<std::int64_t>(split_after_s * 1000));

  s3emu::ServerOptions so;
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return fail("--listen takes HOST:PORT");
  so.host = listen.substr(0, colon);
  if (so.host.size() > 2 && so.host.front() == '[') so.host = so.host.substr(1, so.host.size() - 2);
  try {
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    so.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    return fail("bad port in --listen " + listen);
  }
  so.threads = threads;
  so.max_requests_per_connection = max_requests;
  so.capacity_ops = capacity;
  if (!capacity_schedule.empty()) {
    if (capacity > 0) return fail("--capacity and --capacity-schedule exclude each other");
    auto schedule = s3emu::Capacity::parse_schedule(capacity_schedule);
    if (!schedule) {
      return fail("bad --capacity-schedule '" + capacity_schedule +
                  "': RATE@SECONDS,... with a first step at 0, rising seconds and rates above 0");
    }
    so.capacity_schedule = std::move(*schedule);
  }
  so.overload = overload == "slowdown" ? s3emu::Overload::slowdown : s3emu::Overload::queue;
  for (auto [text, target] : {std::pair{&latency, &so.latency},
                              std::pair{&per_key_latency, &so.per_key_latency},
                              std::pair{&list_latency, &so.list_latency}}) {
    auto d = s3purge::protocol::parse_duration(*text);
    if (!d) return fail("bad duration '" + *text + "' (e.g. 20ms, 1.5s, 250us)");
    *target = *d;
  }

  std::optional<s3emu::FaultInjector> faults;
  if (!fault_spec.empty()) {
    std::string error;
    auto rates = s3emu::parse_fault_rates(fault_spec, error);
    if (!rates) return fail("--fault: " + error);
    faults.emplace(*rates, fault_seed);
  }

  s3emu::Store store;
  s3emu::Stats stats;
  std::vector<std::string> tls_names;
  const auto started = std::chrono::steady_clock::now();
  for (const auto& spec_text : seeds) {
    std::string error;
    auto spec = s3emu::parse_seed_spec(spec_text, error);
    if (!spec) return fail("--seed " + spec_text + ": " + error);
    if (!s3emu::seed(store, *spec, std::time(nullptr), error)) return fail("--seed: " + error);
    for (const auto& d : ro.virtual_domains) tls_names.push_back(spec->bucket + "." + d);
  }
  const double seed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (tls_self_signed) {
    if (!tls_cert.empty()) return fail("--tls-self-signed and --tls-cert exclude each other");
    if (tls_cert_out.empty()) return fail("--tls-self-signed needs --tls-cert-out FILE");
    tls_cert = tls_cert_out;
    tls_key = tls_cert_out + ".key";
    try {
      s3emu::write_self_signed_certificate(tls_cert, tls_key, tls_names);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }
  if (tls_cert.empty() != tls_key.empty()) return fail("--tls-cert and --tls-key go together");
  so.tls_cert_file = tls_cert;
  so.tls_key_file = tls_key;

  s3emu::Router router(store, stats, ro, faults ? &*faults : nullptr);
  s3emu::Server server(so, router, stats, faults ? &*faults : nullptr);
  try {
    server.start();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  // The port file first, written whole (rename), then the line: whoever sees either can
  // connect at once.
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << server.port() << "\n";
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0) return fail("cannot write " + port_file);
  }
  const std::string host = so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host;
  std::cout << "listening on " << host << ":" << server.port() << std::endl;
  if (!seeds.empty()) {
    std::cerr << "s3emu: seeded " << seeds.size() << " bucket(s) in " << seed_seconds << " s\n";
  }
  g_server = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  server.run();
  return 0;
}
