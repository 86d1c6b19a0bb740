#include "fuzz_support.hpp"

#include <deadzone/geo/gdal.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace deadzone::fuzz {

namespace {

std::filesystem::path scratch_dir() {
    static const std::filesystem::path dir = [] {
        std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "";
        if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr && *tmp != '\0') {
            base = tmp;
        }
        if (base.empty()) {
            base = std::filesystem::temp_directory_path().string();
        }
        std::string pattern = base + "/deadzone-fuzz-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a scratch folder under " + base);
        }
        return std::filesystem::path{pattern};
    }();
    return dir;
}

void remove_scratch() {
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir(), ec);
}

} // namespace

std::filesystem::path write_input(const std::string& name, const std::uint8_t* data, std::size_t size,
                                  const std::string& prefix) {
    const auto path = scratch_dir() / name;
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(prefix.data(), static_cast<std::streamsize>(prefix.size()));
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + path.string());
    }
    return path;
}

const Campaign& campaign() {
    static const Campaign fixed = [] {
        const auto document = nlohmann::json::parse(R"({
          "name": "fuzz", "start_date": "2022-06-01",
          "operators": [
            {"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"},
            {"code": "MBF", "name": "MobiFone", "mcc_mnc": ["452-01"], "color": "#7b3294"},
            {"code": "VNP", "name": "VinaPhone", "mcc_mnc": ["452-02"], "color": "#2b83ba"}],
          "milestones": [{"date": "2022-06-30", "target": 0.5}, {"date": "2022-07-30", "target": 1.0}],
          "coverage_rule": {"min_fraction": 0.9, "village_radius_m": 500},
          "area_bbox": [102.0, 8.0, 110.0, 24.0]})");
        return ingest::parse_campaign(document, scratch_dir(), "fuzz campaign");
    }();
    return fixed;
}

void initialize() {
    geo::ensure_gdal(); // registers the drivers and silences GDAL's own printing
    (void)campaign();
    std::atexit(remove_scratch);
}

} // namespace deadzone::fuzz
