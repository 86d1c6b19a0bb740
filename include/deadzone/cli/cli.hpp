// The command-line front end as a library function (PROJ style): main() only calls run(), and
// tests call it in-process. Exit codes: 0 ok, 1 input rejected, 2 usage error, 3 failure.
#pragma once

#include <iosfwd>

namespace deadzone::cli {

enum ExitCode : int { ok = 0, input_rejected = 1, usage_error = 2, failure = 3 };

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace deadzone::cli
