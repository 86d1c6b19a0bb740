// Helpers for ingest unit tests: paths of the fixtures, a temporary folder, and problems as
// compact "where|field|code|severity" strings so a test can assert an exact list.
#pragma once

#include <deadzone/core/error.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace deadzone::test {

inline std::filesystem::path data(const std::string& relative) {
    return std::filesystem::path{DEADZONE_TEST_DATA} / relative;
}

inline const Campaign& mini_campaign() {
    static const Campaign campaign = ingest::load_campaign(data("mini"));
    return campaign;
}

/// "row 3|lat|lat_out_of_range|error", "FID 1|geometry|geometry_repaired|warning", "-|field|code|error".
inline std::vector<std::string> described(const Diagnostics& diagnostics) {
    std::vector<std::string> out;
    for (const auto& p : diagnostics.problems()) {
        std::string where = p.where.row ? "row " + std::to_string(*p.where.row)
                            : p.where.fid ? "FID " + std::to_string(*p.where.fid)
                                          : std::string{"-"};
        out.push_back(where + "|" + p.field + "|" + p.code + "|" +
                      (p.severity == Severity::error ? "error" : "warning"));
    }
    return out;
}

inline std::vector<std::string> described(const std::vector<Problem>& problems) {
    Diagnostics d;
    for (const auto& p : problems) {
        d.add(p);
    }
    return described(d);
}

class ScratchDir {
public:
    ScratchDir() {
        std::random_device device;
        m_path = std::filesystem::temp_directory_path() / ("deadzone-ingest-" + std::to_string(device()));
        std::filesystem::create_directories(m_path);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

inline void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out{file, std::ios::binary};
    out << text;
}

} // namespace deadzone::test

// Failing list comparisons print their contents instead of {?}.
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& lines) {
        std::string text = "{";
        for (const auto& line : lines) {
            text += "\n  \"" + line + "\"";
        }
        return String{(text + "}").c_str()};
    }
};
} // namespace doctest
