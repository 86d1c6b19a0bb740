// core/text: making untrusted text (file names, names, codes, messages) safe to print on a
// terminal or in a log, where control characters would move the cursor or forge lines; and
// keeping names built from a user's file name within the file system's limit.
#pragma once

#include <string>
#include <string_view>

namespace deadzone {

/// `text` with every character that a terminal or a line-based log would act on shown as a
/// visible escape, so that the printed line is exactly one line and changes nothing on screen:
///   - '\n', '\r', '\t' as `\n`, `\r`, `\t`; other C0 controls and DEL as `\xNN` (ESC is `\x1b`);
///   - C1 controls (U+0080–U+009F), the line and paragraph separators (U+2028, U+2029) and the
///     bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) as `\uNNNN`;
///   - each byte that is not part of valid UTF-8 (stray continuation, overlong form, surrogate,
///     beyond U+10FFFF, truncated sequence) as `\xNN`.
/// Everything else, including valid UTF-8 such as Vietnamese, is kept as it is; backslashes are
/// kept too, so the result is for reading, not for parsing back.
std::string escape_for_terminal(std::string_view text);

/// True when escape_for_terminal(text) would change nothing (the common case, checked cheaply).
bool is_terminal_safe(std::string_view text) noexcept;

/// `name` itself when it has at most `max_bytes` bytes (max_bytes ≥ 18); otherwise its first
/// bytes, cut at a UTF-8 character boundary, then "~" and 16 hex digits of a 64-bit FNV-1a hash
/// of the whole name, in at most `max_bytes` bytes. For the temporary files and folders named
/// after a user's output: a name the file system accepts (255 bytes) must not become one it
/// refuses once a prefix and a suffix are added, and two long names stay apart.
std::string bounded_name(std::string_view name, std::size_t max_bytes);

/// `text` with every occurrence of `from` (not empty) replaced by `to`, left to right; for
/// messages that name a temporary file where the user should read the file they asked for.
std::string replace_all(std::string text, std::string_view from, std::string_view to);

} // namespace deadzone
