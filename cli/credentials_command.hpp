// `s3purge credentials`: which credentials a run would sign with, resolved and fetched as
// the run would (roles assumed, processes run, SSO asked), shown without the secret: the
// provider (botocore's name for it), where it found them, the key id redacted, the expiry,
// and with --json a fingerprint that tells two sets of keys apart without revealing them.
#pragma once

#include "cli/flags.hpp"

namespace s3purge::cli {

int run_credentials(const Flags& flags);

}  // namespace s3purge::cli
