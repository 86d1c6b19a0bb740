// Shared by the libFuzzer targets: a scratch file per process (the ingest readers take paths and
// check them with std::filesystem, so GDAL's /vsimem/ cannot stand in), GDAL kept quiet, a
// campaign with operators so that operator and MCC-MNC checks run, and the one rule of every
// target: a reader may reject input only through InputError / Diagnostics / Failure.
#pragma once

#include <deadzone/core/campaign.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace deadzone::fuzz {

/// Writes the fuzz input to `<scratch dir>/<name>` (overwriting) and returns the path. The
/// scratch folder is made once per process under $TMPDIR (or /dev/shm when it exists).
std::filesystem::path write_input(const std::string& name, const std::uint8_t* data, std::size_t size,
                                  const std::string& prefix = {});

/// The campaign every target reads against: operators VTL 452-04, MBF 452-01, VNP 452-02, two
/// milestones, area over Vietnam. Built once.
const Campaign& campaign();

/// Call once from LLVMFuzzerInitialize: GDAL registered (quiet) and the campaign built.
void initialize();

} // namespace deadzone::fuzz
