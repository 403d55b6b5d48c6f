"""A small S3 server on 127.0.0.1 that answers the way buggy clones, proxies and misconfigured
endpoints do, one misbehaviour per mode. It keeps one bucket in memory (versioned or not),
serves what s3purge asks (path-style), checks no signature, and counts requests.

    with HostileS3(["versionless-errors"], versioned=True) as s3:
        s3.put("locked/k0"); ...; s3.url; s3.stats()

Modes:
  versionless-errors   keys under locked/ are refused (AccessDenied) and DeleteObjects names
                       them without <VersionId>, as moto does
  nosuchbucket-list-2  the second list request answers 404 NoSuchBucket (the bucket stays)
  stuck-token          ListObjectsV2 says truncated, with the same token and page, for ever
  versions-marker-back ListObjectVersions says truncated, its NextKeyMarker pointing back
  uploads-repeat       ListMultipartUploads says truncated, with the same markers, for ever
  slowdown-retry-after DeleteObjects answers 503 SlowDown with Retry-After: 3600
  escape-text          per-key errors, error messages, lifecycle rules and the replication
                       destination carry ESC/BEL/CR sequences
  huge-page            ListObjectsV2 answers one page of ~60 MB that says it is complete
  unmatched-errors     DeleteObjects names keys that were not sent, and deletes nothing
  delete-bucket-lies   DeleteBucket answers 204 and keeps the bucket
  verbose-omits-one    ignores Quiet, lists <Deleted> for each entry but the first, which it keeps
  versions-repeat      ListObjectVersions takes its markers as inclusive: each page starts with the
                       entry the previous one ended with
  lies-once            DeleteObjects answers every entry deleted but keeps each 20th (counted
                       over the run's DeleteObjects) the first time it is asked
  lies-always          as lies-once, for entries under stuck/, every time (single DELETEs too)
  deleted-no-version   ignores Quiet and answers <Deleted> without <VersionId>, deleting nothing;
                       single DELETEs work
  deleted-as-marker    answers <Deleted> with the version id and DeleteMarker=true, deleting
                       nothing; single DELETEs work
  echo-token           error messages quote the request's x-amz-security-token header back
  list-slowdown-once   the third list request answers 503 SlowDown (the others are served)
"""
import bisect
import itertools
import json
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from hostile_bucket import Bucket

EVIL = "\x1b]0;pwned\x07\x1b[2K\rFAKE: bucket deleted\x1b[31m"


def xml_text(s):
    return escape(s)


class HostileS3:
    def __init__(self, modes, bucket="hostile", versioned=False, page=1000):
        self.modes = set(modes)
        self.page = page  # entries a list page holds at most
        self.bucket = Bucket(bucket, versioned)
        self.lock = threading.Lock()
        self.counts = {}
        self.list_requests = 0
        self.huge = None
        self.asked = 0     # entries asked for by DeleteObjects, for lies-once
        self.lied = set()  # (key, vid) kept once by lies-once
        self.token = ""    # the last x-amz-security-token seen
        self.markers = []  # every start-after and key-marker asked for, as bytes
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.handle(self, "GET")

            def do_HEAD(self):
                owner.handle(self, "HEAD")

            def do_POST(self):
                owner.handle(self, "POST")

            def do_DELETE(self):
                owner.handle(self, "DELETE")

            def do_PUT(self):
                owner.handle(self, "PUT")

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # A client that hangs up mid-answer (s3purge refusing a huge page, ending a
                # run) is an ordinary event here, not a traceback.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def put(self, key, marker=False):
        with self.lock:
            return self.bucket.put(key, marker)

    def add_upload(self, key, uid, initiated="2020-01-01T00:00:00.000Z"):
        with self.lock:
            self.bucket.uploads.append({"key": key, "uid": uid, "initiated": initiated})
            self.bucket.uploads.sort(key=lambda u: (u["key"], u["uid"]))

    def stats(self):
        with self.lock:
            return {"counts": dict(self.counts), "entries": self.bucket.count(),
                    "keys": list(self.bucket.keys),
                    "markers": sum(e["marker"] for e in self.bucket.entries),
                    "uploads": len(self.bucket.uploads), "exists": self.bucket.exists}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- HTTP --------------------------------------------------------------------------

    @staticmethod
    def send(h, status, body=b"", headers=None):
        if isinstance(body, str):
            body = body.encode()
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("x-amz-request-id", "HOSTILE")
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    def error(self, h, status, code, message="", headers=None):
        if "echo-token" in self.modes:
            message += f" (request token: {self.token})"
        body = f"<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>{xml_text(message)}</Message></Error>"
        self.send(h, status, body, dict({"Content-Type": "application/xml"}, **(headers or {})))

    def count(self, op):
        self.counts[op] = self.counts.get(op, 0) + 1

    def handle(self, h, method):
        parsed = urllib.parse.urlsplit(h.path)
        parts = parsed.path.lstrip("/").split("/", 1)
        name = urllib.parse.unquote(parts[0])
        key = urllib.parse.unquote(parts[1]) if len(parts) > 1 else ""
        q = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True, errors="surrogateescape"))
        raw = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True, encoding="latin-1"))
        for marker in ("start-after", "key-marker"):
            if raw.get(marker):
                self.markers.append(raw[marker].encode("latin-1"))
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        with self.lock:
            self.token = h.headers.get("x-amz-security-token", "")
            b = self.bucket
            if name != b.name or not b.exists:
                self.count("NoSuchBucket")
                return self.error(h, 404, "NoSuchBucket", "The specified bucket does not exist")
            if method == "HEAD" and not key:
                self.count("HeadBucket")
                return self.send(h, 200)
            if method == "GET" and not key:
                return self.get_bucket(h, q)
            if method == "POST" and "delete" in q:
                return self.delete_objects(h, body)
            if method == "DELETE" and not key:
                self.count("DeleteBucket")
                if b.keys or b.uploads:
                    return self.error(h, 409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
                if "delete-bucket-lies" not in self.modes:
                    b.exists = False
                return self.send(h, 204)
            if method == "DELETE" and "uploadId" in q:
                self.count("AbortMultipartUpload")
                b.uploads = [u for u in b.uploads if not (u["key"] == key and u["uid"] == q["uploadId"])]
                return self.send(h, 204)
            if method == "DELETE":
                self.count("DeleteObject")
                if key.startswith("locked/") and "versionless-errors" in self.modes or \
                        "escape-text" in self.modes:
                    return self.error(h, 403, "AccessDenied", "Access Denied" + EVIL)
                if not ("lies-always" in self.modes and key.startswith("stuck/")):
                    b.delete(key, q.get("versionId", ""))
                return self.send(h, 204)
            self.count("Unsupported")
            return self.error(h, 501, "NotImplemented", f"{method} {h.path}")

    def get_bucket(self, h, q):
        b = self.bucket
        if "versioning" in q:
            self.count("GetBucketVersioning")
            status = "<Status>Enabled</Status>" if b.versioned else ""
            return self.send(h, 200, f"<VersioningConfiguration>{status}</VersioningConfiguration>")
        if "object-lock" in q:
            self.count("GetObjectLockConfiguration")
            return self.error(h, 404, "ObjectLockConfigurationNotFoundError", "none")
        if "lifecycle" in q:
            self.count("GetBucketLifecycleConfiguration")
            if "escape-text" in self.modes:
                return self.send(h, 200, f"<LifecycleConfiguration><Rule><ID>{xml_text(EVIL)}</ID><Filter><Prefix>"
                                         f"{xml_text(EVIL)}</Prefix></Filter><Status>Enabled</Status><Expiration>"
                                         f"<Days>1</Days></Expiration></Rule></LifecycleConfiguration>")
            return self.error(h, 404, "NoSuchLifecycleConfiguration", "none")
        if "replication" in q:
            self.count("GetBucketReplication")
            if "escape-text" in self.modes:
                return self.send(h, 200, f"<ReplicationConfiguration><Role>r</Role><Rule><ID>x</ID><Status>Enabled"
                                         f"</Status><Destination><Bucket>arn:aws:s3:::d{xml_text(EVIL)}</Bucket>"
                                         f"</Destination></Rule></ReplicationConfiguration>")
            return self.error(h, 404, "ReplicationConfigurationNotFoundError", "none")
        if "location" in q:
            self.count("GetBucketLocation")
            return self.send(h, 200, "<LocationConstraint/>")
        self.list_requests += 1
        if "list-slowdown-once" in self.modes and self.list_requests == 3:
            self.count("ListSlowDown")
            return self.error(h, 503, "SlowDown", "Please reduce your request rate.")
        if "nosuchbucket-list-2" in self.modes and self.list_requests == 2:
            self.count("ListNoSuchBucket")
            return self.error(h, 404, "NoSuchBucket", "The specified bucket does not exist")
        if "uploads" in q:
            return self.list_uploads(h, q)
        if "versions" in q:
            return self.list_versions(h, q)
        return self.list_objects(h, q)

    @staticmethod
    def enc(key, q):
        return urllib.parse.quote(key, safe="/") if q.get("encoding-type") == "url" else xml_text(key)

    def folders(self, keys, q):
        """Keys outside folders, and the folders, for a delimited request."""
        prefix, delim = q.get("prefix", ""), q.get("delimiter", "")
        if not delim:
            return keys, []
        plain, common = [], []
        for k in keys:
            rest = k[len(prefix):]
            i = rest.find(delim)
            if i < 0:
                plain.append(k)
            elif prefix + rest[:i + 1] not in common:
                common.append(prefix + rest[:i + 1])
        return plain, common

    def list_objects(self, h, q):
        self.count("ListObjectsV2")
        b = self.bucket
        prefix, limit = q.get("prefix", ""), min(int(q.get("max-keys", "1000")), 1000)
        if "huge-page" in self.modes:
            if self.huge is None:
                rows = "".join(f"<Contents><Key>huge/{i:0140d}</Key><Size>1</Size></Contents>"
                               for i in range(320_000))
                self.huge = f"<ListBucketResult><IsTruncated>false</IsTruncated>{rows}</ListBucketResult>".encode()
            return self.send(h, 200, self.huge)
        after = q.get("continuation-token") or q.get("start-after", "")
        if "stuck-token" in self.modes:
            after = ""  # the same page and the same token, whatever was asked
        start = bisect.bisect_right(b.keys, after)
        objs = [b.versions[k][0] for k in b.keys[start:]
                if k.startswith(prefix) and not b.versions[k][0]["marker"]]
        plain, common = self.folders([e["key"] for e in objs], q)
        page = [e for e in objs if e["key"] in set(plain)][:limit]
        truncated = len(page) < len([e for e in objs if e["key"] in set(plain)])
        token = page[-1]["key"] if page else ""
        if "stuck-token" in self.modes:
            truncated, token = True, "STUCK"
        rows = "".join(f"<Contents><Key>{self.enc(e['key'], q)}</Key><Size>1</Size></Contents>" for e in page)
        rows += "".join(f"<CommonPrefixes><Prefix>{self.enc(c, q)}</Prefix></CommonPrefixes>" for c in common)
        enc = "<EncodingType>url</EncodingType>" if q.get("encoding-type") == "url" else ""
        nxt = f"<NextContinuationToken>{xml_text(token)}</NextContinuationToken>" if truncated else ""
        return self.send(h, 200, f"<ListBucketResult>{enc}<IsTruncated>{str(truncated).lower()}</IsTruncated>"
                                 f"{nxt}{rows}</ListBucketResult>")

    def list_versions(self, h, q):
        self.count("ListObjectVersions")
        b = self.bucket
        prefix, limit = q.get("prefix", ""), min(int(q.get("max-keys", "1000")), self.page)
        km, vm = q.get("key-marker", ""), q.get("version-id-marker", "")
        wanted = ((e, latest) for e, latest in b.walk(km, vm) if e["key"].startswith(prefix))
        if "versions-repeat" in self.modes and km in b.versions:
            again = [(e, j == 0) for j, e in enumerate(b.versions[km]) if e["vid"] == vm]
            wanted = itertools.chain(again, wanted)
        if q.get("delimiter"):
            everything = list(wanted)
            plain, common = self.folders([e["key"] for e, _ in everything], q)
            plain = set(plain)
            wanted = iter([(e, latest) for e, latest in everything if e["key"] in plain])
        else:
            common = []
        page = list(itertools.islice(wanted, limit))
        truncated = next(wanted, None) is not None
        nk, nv = (page[-1][0]["key"], page[-1][0]["vid"]) if page else ("", "")
        if "versions-marker-back" in self.modes:
            page, truncated, nk, nv = page[:1], True, "a", "v0"
        rows = ""
        for e, latest in page:
            tag = "DeleteMarker" if e["marker"] else "Version"
            size = "" if e["marker"] else "<Size>1</Size>"
            rows += (f"<{tag}><Key>{self.enc(e['key'], q)}</Key><VersionId>{e['vid']}</VersionId>"
                     f"<IsLatest>{str(latest).lower()}</IsLatest>{size}</{tag}>")
        rows += "".join(f"<CommonPrefixes><Prefix>{self.enc(c, q)}</Prefix></CommonPrefixes>" for c in common)
        enc = "<EncodingType>url</EncodingType>" if q.get("encoding-type") == "url" else ""
        nxt = (f"<NextKeyMarker>{self.enc(nk, q)}</NextKeyMarker><NextVersionIdMarker>{nv}</NextVersionIdMarker>"
               if truncated else "")
        return self.send(h, 200, f"<ListVersionsResult>{enc}<IsTruncated>{str(truncated).lower()}</IsTruncated>"
                                 f"{nxt}{rows}</ListVersionsResult>")

    def list_uploads(self, h, q):
        self.count("ListMultipartUploads")
        b = self.bucket
        prefix = q.get("prefix", "")
        km, um = q.get("key-marker", ""), q.get("upload-id-marker", "")
        ups = [u for u in b.uploads if u["key"].startswith(prefix) and (u["key"], u["uid"]) > (km, um)]
        if "uploads-repeat" in self.modes:
            ups = b.uploads[:1]
        truncated = "uploads-repeat" in self.modes
        rows = "".join(f"<Upload><Key>{self.enc(u['key'], q)}</Key><UploadId>{u['uid']}</UploadId>"
                       f"<Initiated>{u['initiated']}</Initiated></Upload>" for u in ups)
        nxt = "<NextKeyMarker>a</NextKeyMarker><NextUploadIdMarker>u</NextUploadIdMarker>" if truncated else ""
        enc = "<EncodingType>url</EncodingType>" if q.get("encoding-type") == "url" else ""
        return self.send(h, 200, f"<ListMultipartUploadsResult>{enc}<IsTruncated>{str(truncated).lower()}"
                                 f"</IsTruncated>{nxt}{rows}</ListMultipartUploadsResult>")

    def delete_objects(self, h, body):
        self.count("DeleteObjects")
        b = self.bucket
        if "slowdown-retry-after" in self.modes:
            return self.error(h, 503, "SlowDown", "Please reduce your request rate.", {"Retry-After": "3600"})
        root = ET.fromstring(body)
        ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        quiet = (root.findtext(f"{ns}Quiet") or "").lower() == "true"
        objs = [(o.findtext(f"{ns}Key"), o.findtext(f"{ns}VersionId") or "") for o in root.findall(f"{ns}Object")]
        out = ""
        if "unmatched-errors" in self.modes:
            out = "".join(f"<Error><Key>ghost/{i}</Key><Code>AccessDenied</Code><Message>no</Message></Error>"
                          for i in range(len(objs)))
            return self.send(h, 200, f"<DeleteResult>{out}</DeleteResult>")
        for i, (key, vid) in enumerate(objs):
            if "verbose-omits-one" in self.modes and i == 0:
                continue  # neither deleted nor named
            if "escape-text" in self.modes:
                out += (f"<Error><Key>{xml_text(key)}</Key><Code>AccessDenied</Code>"
                        f"<Message>{xml_text(EVIL)}</Message></Error>")
                continue
            if "versionless-errors" in self.modes and key.startswith("locked/"):
                why = "Access Denied" + (f" (request token: {self.token})" if "echo-token" in self.modes else "")
                out += f"<Error><Key>{xml_text(key)}</Key><Code>AccessDenied</Code><Message>{why}</Message></Error>"
                continue
            self.asked += 1
            if "lies-always" in self.modes and key.startswith("stuck/") or \
                    "lies-once" in self.modes and self.asked % 20 == 0 and (key, vid) not in self.lied:
                self.lied.add((key, vid))
                continue  # quiet: not named, so "deleted"
            if "deleted-no-version" in self.modes:
                out += f"<Deleted><Key>{xml_text(key)}</Key></Deleted>"
                continue
            if "deleted-as-marker" in self.modes:
                out += (f"<Deleted><Key>{xml_text(key)}</Key><VersionId>{vid}</VersionId><DeleteMarker>true"
                        f"</DeleteMarker><DeleteMarkerVersionId>m{vid}</DeleteMarkerVersionId></Deleted>")
                continue
            marker = b.delete(key, vid)
            if not quiet or "verbose-omits-one" in self.modes:
                v = f"<VersionId>{vid}</VersionId>" if vid else ""
                m = f"<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>{marker}</DeleteMarkerVersionId>" if marker else ""
                out += f"<Deleted><Key>{xml_text(key)}</Key>{v}{m}</Deleted>"
        return self.send(h, 200, f"<DeleteResult>{out}</DeleteResult>")


if __name__ == "__main__":
    import time
    s3 = HostileS3(sys.argv[1:], versioned=True)
    for i in range(10):
        s3.put(f"k{i}")
    print(s3.url, flush=True)
    time.sleep(3600)
    print(json.dumps(s3.stats()))
