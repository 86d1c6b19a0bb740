// Small helpers shared by the store's backend and its import functions.
#pragma once

#include <string>
#include <string_view>

namespace deadzone::store::detail {

/// Lower-case hex SHA-256 of bytes.
std::string sha256_hex(std::string_view bytes);

/// The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (sorts as text in time order).
std::string now_utc();

} // namespace deadzone::store::detail
