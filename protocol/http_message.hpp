// Transport-neutral HTTP messages: what the request builders produce and the signer signs,
// and what the engine hands back to the response classifier. No sockets here.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace s3purge::protocol {

// Header names compare case-insensitively; order is kept as inserted.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  void set(std::string_view name, std::string_view value);  // replaces an existing field
  void add(std::string_view name, std::string_view value);  // appends
  void erase(std::string_view name);
  const std::string* find(std::string_view name) const;
  std::string_view get(std::string_view name) const;  // "" when absent
  bool contains(std::string_view name) const { return find(name) != nullptr; }

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

bool iequals(std::string_view a, std::string_view b) noexcept;

struct QueryParam {
  std::string name;   // raw, not encoded
  std::string value;  // raw, not encoded; empty for sub-resources such as "delete"
};

struct HttpRequest {
  std::string method;                 // "GET", "POST", ...
  std::string host;                   // the Host header: name[:port]
  std::string path;                   // URI-encoded, begins with '/'
  std::vector<QueryParam> query;      // in the order the builder added them
  Headers headers;                    // signed by the Signer (plus host)
  std::string body;

  // What goes on the request line: path, then the query encoded as it is signed.
  // A parameter with an empty value is sent bare ("?delete"), as S3 clients do.
  std::string target() const;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

}  // namespace s3purge::protocol
