// Text that came from a server (an error's code and message, a key) made safe to print on
// a terminal: control characters (C0, DEL, C1) and bytes that are not UTF-8 become \xNN,
// so an answer cannot move the cursor, rewrite a line or retitle the window.
#pragma once

#include <string>
#include <string_view>

namespace s3purge::protocol {

std::string printable(std::string_view text);

}  // namespace s3purge::protocol
