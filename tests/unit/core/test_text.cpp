// escape_for_terminal: control characters and invalid UTF-8 from the input become visible
// escapes; valid text (Vietnamese included) is kept byte for byte.
#include <deadzone/core/error.hpp>
#include <deadzone/core/text.hpp>

#include <doctest/doctest.h>

#include <string>

using deadzone::escape_for_terminal;
using deadzone::is_terminal_safe;

TEST_CASE("escape_for_terminal: C0 controls, DEL and ESC sequences") {
    CHECK(escape_for_terminal("a\x1b[2Jb") == "a\\x1b[2Jb");
    CHECK(escape_for_terminal("row\nforged") == "row\\nforged");
    CHECK(escape_for_terminal("cr\rtab\t") == "cr\\rtab\\t");
    CHECK(escape_for_terminal(std::string{"nul\0x", 5}) == "nul\\x00x");
    CHECK(escape_for_terminal("bell\a del\x7f") == "bell\\x07 del\\x7f");
}

TEST_CASE("escape_for_terminal: valid UTF-8 is kept, unsafe code points escaped") {
    CHECK(escape_for_terminal("Bản Một, Điện Biên") == "Bản Một, Điện Biên");
    CHECK(is_terminal_safe("Thôn Bốn — 40 %"));
    CHECK(escape_for_terminal("\xF0\x9F\x93\xB6") == "\xF0\x9F\x93\xB6"); // U+1F4F6, 4 bytes
    // U+009B is CSI in its C1 form: some terminals act on it like ESC [.
    CHECK(escape_for_terminal("a\xC2\x9B" "2Jb") == "a\\u009b2Jb");
    CHECK(escape_for_terminal("x\xE2\x80\xAEy") == "x\\u202ey");  // right-to-left override
    CHECK(escape_for_terminal("x\xE2\x80\xA8y") == "x\\u2028y");  // line separator
}

TEST_CASE("escape_for_terminal: each byte of invalid UTF-8 shown as \\xNN") {
    CHECK(escape_for_terminal("caf\xE9") == "caf\\xe9");                   // Latin-1 é
    CHECK(escape_for_terminal("\xC0\xAF") == "\\xc0\\xaf");                // overlong '/'
    CHECK(escape_for_terminal("\xED\xA0\x80") == "\\xed\\xa0\\x80");       // surrogate
    CHECK(escape_for_terminal("\xF4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80"); // > U+10FFFF
    CHECK(escape_for_terminal("\xE1\xBA") == "\\xe1\\xba");                // truncated
    CHECK(escape_for_terminal("\x80ok") == "\\x80ok");                      // stray continuation
    CHECK_FALSE(is_terminal_safe("\xFF"));
}

TEST_CASE("Problem::to_string escapes every part that comes from the input") {
    deadzone::Problem problem;
    problem.where.file = "stations\x1b[2J.csv";
    problem.where.row = 3;
    problem.field = "op\nerator";
    problem.message = "unknown operator 'X\r\nfile.csv:row 4: error: forged'";
    CHECK(problem.to_string() ==
          "stations\\x1b[2J.csv:row 3: field 'op\\nerator': error: unknown operator "
          "'X\\r\\nfile.csv:row 4: error: forged'");
}
