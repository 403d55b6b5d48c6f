"""What s3emu's partitions served, second by second, while a tool ran (bench/peers, the P
scenarios): for P3, where partitions split under load, whether the tool follows the splits
(the keys served each second over what the partitions there were could serve, each at
most its capacity and at most the keys it held)."""
import threading
import time


class Sampler:
    """Reads /_emu/stats every `every` seconds in a thread while the block runs:
    samples are (seconds since the start, keys served by all partitions, the keys each
    partition holds)."""

    def __init__(self, emu, every=1.0):
        self.emu, self.every, self.samples = emu, every, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _take(self, t0):
        try:
            parts = self.emu.stats().get("partitions", {}).get("list", [])
        except OSError:
            return
        self.samples.append((time.monotonic() - t0, sum(p["served"] for p in parts), [p["keys"] for p in parts]))

    def _run(self):
        t0 = time.monotonic()
        self._take(t0)
        while not self._stop.wait(self.every):
            self._take(t0)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)


def after_first_split(samples, capacity, keys):
    """For each interval between two samples from the first split on (none without a
    split: partitions that stay as they are say nothing of following them), until 95% of `keys`
    were served: the keys served in it over what the partitions at its start could serve,
    in %. A partition can serve its capacity, and no more than the keys it holds: one that
    is empty, or nearly, at the run's end serves less, and that is no shortfall."""
    out = []
    split = False
    for (t0, served0, held0), (t1, served1, _) in zip(samples, samples[1:]):
        split = split or len(held0) > len(samples[0][2])
        if not split or served1 >= 0.95 * keys or t1 <= t0:
            continue
        could = sum(min(capacity * (t1 - t0), held) for held in held0)
        if could > 0:
            out.append(round(100 * (served1 - served0) / could))
    return out
