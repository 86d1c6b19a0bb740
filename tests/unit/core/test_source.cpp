// An entity's source text back to a Location: the row or FID in its own field, and the text a
// person reads unchanged (Problem::to_string).
#include <deadzone/core/source.hpp>

#include <doctest/doctest.h>

using namespace deadzone;

TEST_CASE("source_location: row, FID, or the whole text as the file") {
    const auto row = source_location("viettel.csv:row 12");
    CHECK(row.file == "viettel.csv");
    CHECK(row.row == 12);
    CHECK_FALSE(row.fid);
    const auto fid = source_location("mobifone.gpkg:FID 3");
    CHECK(fid.file == "mobifone.gpkg");
    CHECK(fid.fid == 3);
    CHECK_FALSE(fid.row);
    // A name with colons and a layer: only the trailing marker is split off.
    const auto layered = source_location("a:b.gpkg:cells:FID 7");
    CHECK(layered.file == "a:b.gpkg:cells");
    CHECK(layered.fid == 7);
    // Not a marker followed by a whole number: the whole text is the file.
    for (const char* text : {"stations.csv", "x.csv:row ", "x.csv:row 1a", "x.csv:row -2", ":row 5", "x.csv:row 5 "}) {
        CAPTURE(text);
        const auto plain = source_location(text);
        CHECK(plain.file == text);
        CHECK_FALSE(plain.row);
        CHECK_FALSE(plain.fid);
    }
    // What a person reads is the same text as before.
    const Problem problem{Severity::error, source_location("viettel.csv:row 12"), "height_m", "out_of_range", "too high"};
    CHECK(problem.to_string() == "viettel.csv:row 12: field 'height_m': error: too high");
}

TEST_CASE("source_text: the text stores keep, and back again unchanged") {
    CHECK(source_text(Location{"viettel.csv", 12, {}, {}}) == "viettel.csv:row 12");
    CHECK(source_text(Location{"mobifone.gpkg", {}, {}, 3}) == "mobifone.gpkg:FID 3");
    CHECK(source_text(Location{"mobifone.gpkg", {}, "cells", 0}) == "mobifone.gpkg:cells:FID 0");
    CHECK(source_text(Location{"stations.csv", {}, {}, {}}) == "stations.csv");
    // Stored text read back gives the same Location, and the same text again.
    for (const Location& where : {Location{"viettel.csv", 2, {}, {}}, Location{"a:b.geojson", {}, {}, 0},
                                  Location{"x.csv:row 1a", {}, {}, {}}, Location{"v.csv", 1, {}, {}}}) {
        CAPTURE(source_text(where));
        CHECK(source_location(source_text(where)) == where);
        CHECK(source_text(source_location(source_text(where))) == source_text(where));
    }
    // What Problem::to_string names for an entity is its source text.
    const Location where{"commitments.csv", 7, {}, {}};
    const Problem problem{Severity::error, where, "village_id", "unknown_village", "no village"};
    CHECK(problem.to_string().rfind(source_text(where) + ": ", 0) == 0);
}
