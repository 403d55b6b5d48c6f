"""The one bucket tests/e2e/hostile_s3.py keeps in memory: keys in order, each with its
versions, and incomplete uploads, changed as S3 changes them."""
import bisect


class Bucket:
    """Keys in order, each with its versions newest first (dicts: key, vid, marker)."""

    def __init__(self, name, versioned):
        self.name = name
        self.versioned = versioned
        self.exists = True
        self.keys = []       # sorted
        self.versions = {}   # key -> [entry, ...], newest first
        self.uploads = []    # dicts: key, uid, initiated; sorted
        self.seq = 0

    @property
    def entries(self):
        return [e for k in self.keys for e in self.versions[k]]

    def count(self):
        return sum(len(v) for v in self.versions.values())

    def put(self, key, marker=False):
        self.seq += 1
        vid = f"v{self.seq:08d}" if self.versioned else "null"
        if key not in self.versions:
            bisect.insort(self.keys, key)
            self.versions[key] = []
        if not self.versioned:
            self.versions[key] = []
        self.versions[key].insert(0, {"key": key, "vid": vid, "marker": marker})
        return vid

    def drop(self, key, keep):
        self.versions[key] = keep
        if not keep:
            del self.versions[key]
            self.keys.pop(bisect.bisect_left(self.keys, key))

    def latest(self):
        return [self.versions[k][0] for k in self.keys if not self.versions[k][0]["marker"]]

    def walk(self, after_key="", after_vid=""):
        """Entries in listing order after (after_key, after_vid): the rest of after_key's
        versions past after_vid, then every later key's; with their IsLatest."""
        i = bisect.bisect_right(self.keys, after_key) if after_key else 0
        if after_key and after_vid and after_key in self.versions:
            vs = self.versions[after_key]
            at = next((j for j, e in enumerate(vs) if e["vid"] == after_vid), None)
            if at is not None:
                for j in range(at + 1, len(vs)):
                    yield vs[j], j == 0
        for k in self.keys[i:]:
            for j, e in enumerate(self.versions[k]):
                yield e, j == 0

    def delete(self, key, vid):
        """Deletes one entry as S3 does; returns the id of a marker it creates, or None."""
        if key not in self.versions:
            return self.put(key, marker=True) if self.versioned and not vid else None
        if vid:
            self.drop(key, [e for e in self.versions[key] if e["vid"] != vid])
            return None
        if self.versioned:
            return self.put(key, marker=True)
        self.drop(key, [])
        return None
