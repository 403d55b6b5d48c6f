#include "protocol/lifecycle.hpp"

#include "protocol/xml_fields.hpp"
#include "protocol/xml_reader.hpp"
#include "protocol/xml_writer.hpp"

namespace s3purge::protocol {

Result<LifecycleConfiguration> parse_lifecycle_configuration(std::string_view body) {
  auto doc = parse_document(body, "LifecycleConfiguration");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  LifecycleConfiguration config;
  for (const XmlNode n : root) {
    if (n.name() != "Rule") continue;
    LifecycleRule r;
    r.id = n.child_text("ID");
    r.enabled = n.child_text("Status") == "Enabled";
    if (const XmlNode filter = n.child("Filter")) {
      r.prefix = filter.child_text("Prefix");
      for (const XmlNode f : filter) {
        if (f.name() != "Prefix") r.has_other_filter = true;
      }
    } else {
      r.prefix = n.child_text("Prefix");
    }
    if (const XmlNode e = n.child("Expiration")) {
      if (e.has_child("Days")) {
        std::uint64_t days = 0;
        S3PURGE_TRY_ASSIGN(days, uint_field(e, "Days", 0));
        r.expiration_days = days;
      }
      r.expiration_date = e.child_text("Date");
      S3PURGE_TRY_ASSIGN(r.expired_object_delete_marker,
                         bool_field(e, "ExpiredObjectDeleteMarker", false));
    }
    if (const XmlNode nc = n.child("NoncurrentVersionExpiration")) {
      std::uint64_t days = 0;
      S3PURGE_TRY_ASSIGN(days, uint_field(nc, "NoncurrentDays", 0));
      r.noncurrent_expiration_days = days;
    }
    if (const XmlNode a = n.child("AbortIncompleteMultipartUpload")) {
      std::uint64_t days = 0;
      S3PURGE_TRY_ASSIGN(days, uint_field(a, "DaysAfterInitiation", 0));
      r.abort_incomplete_upload_days = days;
    }
    config.rules.push_back(std::move(r));
  }
  return config;
}

Result<std::string> write_lifecycle_configuration(const LifecycleConfiguration& config) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  out += R"(<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
  for (const LifecycleRule& r : config.rules) {
    if (r.id.empty() || r.id.size() > 255) {
      return Error(client_errc::invalid_config, "a lifecycle rule needs an ID of 1-255 characters");
    }
    out += "<Rule><ID>";
    bool ok = append_xml_escaped(out, r.id);
    out += "</ID><Filter><Prefix>";
    ok = ok && append_xml_escaped(out, r.prefix);
    if (!ok) {
      return Error(client_errc::key_not_xml_safe, "lifecycle rule text cannot be carried in XML");
    }
    out += "</Prefix></Filter><Status>";
    out += r.enabled ? "Enabled" : "Disabled";
    out += "</Status>";
    // S3 refuses Days together with ExpiredObjectDeleteMarker in one Expiration element.
    if (r.expiration_days) {
      out += "<Expiration><Days>" + std::to_string(*r.expiration_days) + "</Days></Expiration>";
    } else if (r.expired_object_delete_marker) {
      out += "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>";
    }
    if (r.noncurrent_expiration_days) {
      out += "<NoncurrentVersionExpiration><NoncurrentDays>" +
             std::to_string(*r.noncurrent_expiration_days) +
             "</NoncurrentDays></NoncurrentVersionExpiration>";
    }
    if (r.abort_incomplete_upload_days) {
      out += "<AbortIncompleteMultipartUpload><DaysAfterInitiation>" +
             std::to_string(*r.abort_incomplete_upload_days) +
             "</DaysAfterInitiation></AbortIncompleteMultipartUpload>";
    }
    out += "</Rule>";
  }
  out += "</LifecycleConfiguration>";
  return out;
}

LifecycleConfiguration s3purge_lifecycle_rules(const std::string& prefix, std::uint64_t days,
                                               bool uploads_only) {
  LifecycleConfiguration config;
  LifecycleRule main;
  main.prefix = prefix;
  main.abort_incomplete_upload_days = days;
  if (uploads_only) {
    main.id = "s3purge-abort-incomplete-uploads";
    config.rules.push_back(std::move(main));
    return config;
  }
  main.id = "s3purge-expire-everything";
  main.expiration_days = days;
  main.noncurrent_expiration_days = days;
  config.rules.push_back(std::move(main));
  LifecycleRule markers;
  markers.id = "s3purge-expire-delete-markers";
  markers.prefix = prefix;
  markers.expired_object_delete_marker = true;
  config.rules.push_back(std::move(markers));
  return config;
}

bool is_s3purge_rule(const LifecycleRule& rule) { return rule.id.starts_with("s3purge-"); }

}  // namespace s3purge::protocol
