// When to add listers to a listing, from what one look at it saw. Pure: no clocks, no I/O.
//
// Listers are doubled, up to kMaxListers, while all of these hold:
// - the deleters starve: most of them wait for a batch of keys;
// - this process mostly waits (under half a core): list pages are slow to come back, not
//   slow to handle. Where the listing is bound by CPU, as on loopback, more listers would
//   only compete for it. Deleters slowed by --rate or by throttling wait in the limiter,
//   not for keys, and add none either;
// - fewer run than the round trips ask for (Little's law): n listers bring n / list
//   round trip pages a second, the deleters take concurrency / delete round trip batches
//   of a page each, so past concurrency * list / delete round trip more listers list no
//   faster. Where the server bounds both (an emulator on the same two cores, a bucket busy
//   with other clients), both round trips grow alike and the ratio stays put, while each
//   lister would hold a connection and a page for nothing. Over a WAN with list pages
//   slower than deletes (bench/listers: 100 against 40 ms) it asks for about 2.5 listers
//   per deleter. Until a delete has come back, the round trips say nothing yet.
#pragma once

namespace s3purge::engine {

inline constexpr int kMaxListers = 64;

struct ListingLook {
  int running = 0;             // listers now
  int concurrency = 0;         // deleters
  int deleters_waiting = 0;    // deleters waiting for a batch
  bool pages_came = false;     // at least one list page has come back
  double busy = 0;             // this process's CPU over the look, in cores
  double list_round_trip = 0;  // mean seconds of a list page so far
  double delete_round_trip = 0;  // mean seconds of a DeleteObjects so far; 0: none back yet
};

// The listers the round trips ask for; kMaxListers until a delete has come back.
double listers_enough(const ListingLook& look);

// How many listers to add after this look: 0, or as many as run (up to kMaxListers).
int listers_to_add(const ListingLook& look);

}  // namespace s3purge::engine
