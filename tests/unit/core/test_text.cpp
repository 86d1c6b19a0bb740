// escape_for_terminal: control characters and invalid UTF-8 from the input become visible
// escapes; valid text (Vietnamese included) is kept byte for byte.
#include <deadzone/core/error.hpp>
#include <deadzone/core/text.hpp>

#include <doctest/doctest.h>

#include <string>

using deadzone::bounded_name;
using deadzone::escape_for_terminal;
using deadzone::replace_all;
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

TEST_CASE("bounded_name: short names kept, long ones cut at a character with a hash of the whole") {
    CHECK(bounded_name("out", 160) == "out");
    const std::string exact(160, 'a');
    CHECK(bounded_name(exact, 160) == exact);
    const std::string long_a = std::string(250, 'a') + "1";
    const std::string long_b = std::string(250, 'a') + "2";
    const auto a = bounded_name(long_a, 160);
    const auto b = bounded_name(long_b, 160);
    CHECK(a.size() == 160);
    CHECK(a != b); // the hash keeps names apart that differ only past the cut
    CHECK(a.substr(0, 143) == std::string(143, 'a'));
    CHECK(a[143] == '~');
    CHECK(bounded_name(long_a, 160) == a); // the same name gives the same text
    // "ệ" is three bytes (E1 BB 87): a cut never splits it.
    std::string vietnamese;
    for (int i = 0; i < 80; ++i) vietnamese += "\xe1\xbb\x87";
    const auto v = bounded_name(vietnamese, 160);
    CHECK(v.size() <= 160);
    const auto cut = v.find('~');
    REQUIRE(cut != std::string::npos);
    CHECK(cut % 3 == 0);
    CHECK(is_terminal_safe(v.substr(0, cut)));
}

TEST_CASE("replace_all: every occurrence, left to right, a replacement never rescanned") {
    CHECK(replace_all("/a/.x.new-1/f: cannot write /a/.x.new-1/g", "/a/.x.new-1", "/a/x") ==
          "/a/x/f: cannot write /a/x/g");
    CHECK(replace_all("aaa", "a", "aa") == "aaaaaa"); // the replacement is not searched again
    CHECK(replace_all("text", "", "x") == "text");
    CHECK(replace_all("none here", "zz", "y") == "none here");
}

