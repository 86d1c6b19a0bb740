// Over 600 lines on purpose: one fixture (a hand-built Analysis) read back layer by layer; the cases
// share its helpers, and splitting them would duplicate the fixture.
// write_layers on a hand-built Analysis: every output read back with OGR (counts, field names
// and types, values, validity), RFC 7946 checked on the text (orientation, precision, no crs),
// the GeoPackage's styles and spatial indexes, and byte-identical re-runs.
#include <deadzone/core/source.hpp>
#include <deadzone/emit/layers.hpp>
#include <deadzone/geo/gdal.hpp>

#include <cpl_minixml.h>
#include <doctest/doctest.h>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace deadzone;

namespace {

Date day(const char* iso) { return *Date::parse(iso); }

geo::Polygon square(double lon, double lat, double size_deg) {
    geo::Polygon p;
    p.outer() = {{lon, lat}, {lon + size_deg, lat}, {lon + size_deg, lat + size_deg}, {lon, lat + size_deg}, {lon, lat}};
    return p;
}

overlay::OperatorCoverage coverage_of(const char* code, double fraction) {
    overlay::OperatorCoverage oc;
    oc.operator_code = code;
    oc.fraction = fraction;
    return oc;
}

/// Three villages and two operators around (105 E, 21 N):
///  V01 (input second) a 0.01° square with a 0.002° square hole, covered by both operators;
///  V02 an hourglass whose 6e-8° waist closes when snapped to the 1e-7° grid;
///  V03 (input first) a 0.01° square that nobody covers, with a gap and pass-through fields.
Analysis sample() {
    Analysis a;
    a.as_of = day("2022-06-30");
    a.campaign.name = "test";
    a.campaign.operators = {{"VTL", "Viettel", {"452-04"}, "#d7191c"}, {"VNP", "VinaPhone", {"452-02"}, "#2b83ba"}};
    a.campaign.coverage_rule.min_fraction = 0.9;

    Village v3;
    v3.id = "V03";
    v3.name = "Bản Ba";
    v3.province = "Lào Cai";
    v3.population = 321;
    v3.households = 77;
    v3.geometry = {square(105.02, 21.0, 0.01)};
    v3.extra = {{"ethnic_group", "H'Mông"}, {"area_km2", "1.5"}}; // the second clashes with ours
    v3.source = source_location("villages.csv:2");

    Village v1;
    v1.id = "V01";
    v1.name = "Thôn Một";
    v1.province = "Hà Giang";
    v1.district = "Mèo Vạc";
    auto holed = square(105.0, 21.0, 0.01);
    holed.inners().push_back({{105.004, 21.004}, {105.004, 21.006}, {105.006, 21.006}, {105.006, 21.004}, {105.004, 21.004}});
    v1.geometry = {holed};
    v1.source = source_location("villages.csv:3");

    Village v2;
    v2.id = "V02";
    v2.name = "Hourglass";
    v2.province = "Hà Giang";
    geo::Polygon glass;
    glass.outer() = {{105.010, 21.000}, {105.011, 21.00049997}, {105.012, 21.000}, {105.012, 21.001},
                     {105.011, 21.00050003}, {105.010, 21.001}, {105.010, 21.000}};
    v2.geometry = {glass};
    v2.source = source_location("villages.csv:4");
    a.villages = {v3, v1, v2};

    overlay::VillageCoverage c3;
    c3.area_km2 = 1.2345678;
    c3.any_fraction = 0.25;
    c3.operators = {coverage_of("VTL", 0.25)};
    c3.gap = {square(105.025, 21.0, 0.005)};
    c3.gap_km2 = 0.925;
    overlay::VillageCoverage c1;
    c1.area_km2 = 1.1;
    c1.any_fraction = 0.987654321;
    c1.operators = {coverage_of("VNP", 0.9), coverage_of("VTL", 0.95)};
    overlay::VillageCoverage c2;
    c2.area_km2 = 0.01;
    c2.any_fraction = 0.8999;
    c2.operators = {coverage_of("VTL", 0.8999)};
    a.overlay.as_of = a.as_of;
    a.overlay.villages = {c3, c1, c2};

    a.commitments = {
        {"V03", "VTL", day("2022-06-15"), std::nullopt, {}, "commitments.csv:2", std::nullopt, ""},
        {"V01", "VTL", day("2022-06-30"), day("2022-04-02"), {}, "commitments.csv:3", std::nullopt, ""},
        {"V01", "VNP", day("2022-06-01"), std::nullopt, {}, "commitments.csv:4", std::nullopt, ""},
        {"V02", "VTL", day("2022-07-30"), std::nullopt, {}, "commitments.csv:5", std::nullopt, ""},
    };
    a.tracking.as_of = a.as_of;
    a.tracking.commitments = {
        {0, 0, track::Status::overdue, 0.25, std::nullopt, 15, true},
        {1, 1, track::Status::covered, 0.95, day("2022-06-20"), std::nullopt, false},
        {2, 1, track::Status::covered_late, 0.9, day("2022-06-11"), 10, false},
        {3, 2, track::Status::pending, 0.8999, std::nullopt, std::nullopt, false},
    };

    Cell sector;
    sector.operator_code = "VTL";
    sector.site_id = "S1";
    sector.cell_id = "2";
    sector.position = {105.0050000449, 21.0050000051};
    sector.tech = Tech::g4;
    sector.on_air_date = day("2022-06-20");
    sector.azimuth_deg = 120.0;
    sector.height_m = 30.0;
    sector.extra = {{"vendor", "Ericsson"}};
    Cell omni;
    omni.operator_code = "VNP";
    omni.site_id = "N7";
    omni.position = {105.0, 21.0};
    omni.tech = Tech::g3;
    omni.status = CellStatus::planned;
    Cell first_sector = sector;
    first_sector.cell_id = "1";
    first_sector.azimuth_deg = 0.0;
    a.cells = {sector, omni, first_sector};

    overlay::OperatorArea vtl;
    vtl.operator_code = "VTL";
    vtl.area = {square(105.0, 21.0, 0.02)};
    vtl.area_km2 = 4.64159;
    vtl.cells = 2;
    overlay::OperatorArea vnp; // nothing on air: an empty geometry, still listed
    vnp.operator_code = "VNP";
    a.coverage = {vtl, vnp};
    return a;
}

// True when a digit, a point and at least `digits` more digits appear: a coordinate or value
// printed with more precision than the layers promise. A scan, not std::regex (whose recursive
// matcher overflows the stack under ASan on a whole layer file).
bool has_long_fraction(const std::string& text, std::size_t digits) {
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] != '.' || !is_digit(text[i - 1])) {
            continue;
        }
        std::size_t run = 0;
        while (i + 1 + run < text.size() && is_digit(text[i + 1 + run])) {
            ++run;
        }
        if (run >= digits) {
            return true;
        }
    }
    return false;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

fs::path fresh_dir(const std::string& name) {
    const auto dir = fs::temp_directory_path() / ("deadzone_test_layers_" + name);
    fs::remove_all(dir);
    return dir;
}

const std::vector<std::string> layer_names = {"villages", "commitments", "coverage", "gaps", "stations"};

geo::DatasetPtr open(const fs::path& file) { return geo::open_vector(file.string()); }

std::vector<std::string> field_names(OGRLayer& layer) {
    std::vector<std::string> out;
    const auto* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        out.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    }
    return out;
}

std::map<std::string, std::string> field_types(OGRLayer& layer) {
    std::map<std::string, std::string> out;
    const auto* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const auto* field = defn->GetFieldDefn(i);
        std::string type = OGRFieldDefn::GetFieldTypeName(field->GetType());
        if (field->GetSubType() != OFSTNone) {
            type += std::string{"/"} + OGRFieldDefn::GetFieldSubTypeName(field->GetSubType());
        }
        out[field->GetNameRef()] = type;
    }
    return out;
}

/// Features of a layer by the value of `key`.
std::map<std::string, OGRFeatureUniquePtr> by_key(OGRLayer& layer, const char* key) {
    std::map<std::string, OGRFeatureUniquePtr> out;
    layer.ResetReading();
    while (auto* f = layer.GetNextFeature()) {
        OGRFeatureUniquePtr feature{f};
        std::string k = feature->GetFieldAsString(key);
        if (std::string{key} == "village_id" && feature->GetFieldIndex("operator") >= 0) {
            k += "/" + std::string{feature->GetFieldAsString("operator")};
        }
        out[k] = std::move(feature);
    }
    return out;
}

double signed_area(const nlohmann::json& ring) {
    double twice = 0.0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        twice += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
                 ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    }
    return twice / 2.0;
}

/// RFC 7946 on the text itself: no crs, CCW exterior rings and CW holes, closed rings.
void check_rfc7946(const fs::path& file, int& exterior_rings, int& holes) {
    const auto doc = nlohmann::json::parse(slurp(file));
    CHECK(doc.at("type") == "FeatureCollection");
    CHECK_FALSE(doc.contains("crs"));
    for (const auto& feature : doc.at("features")) {
        const auto& geometry = feature.at("geometry");
        if (geometry.is_null() || geometry.at("type") == "Point") {
            continue;
        }
        REQUIRE(geometry.at("type") == "MultiPolygon"); // as in the GeoPackage, one part or more
        const auto& polygons = geometry.at("coordinates");
        for (const auto& polygon : polygons) {
            for (std::size_t r = 0; r < polygon.size(); ++r) {
                const auto& ring = polygon[r];
                REQUIRE(ring.size() >= 4);
                CHECK(ring.front() == ring.back());
                if (r == 0) {
                    CHECK(signed_area(ring) > 0.0);
                    ++exterior_rings;
                } else {
                    CHECK(signed_area(ring) < 0.0);
                    ++holes;
                }
            }
        }
    }
}

} // namespace

TEST_CASE("GeoJSON layers follow RFC 7946 and carry the analysis' attributes") {
    const auto dir = fresh_dir("geojson");
    emit::write_layers(sample(), dir, {true, false, false});
    for (const auto& name : layer_names) {
        CHECK(fs::exists(dir / (name + ".geojson")));
        CHECK(fs::exists(dir / (name + ".qml")));
    }
    CHECK_FALSE(fs::exists(dir / "deadzone.gpkg"));

    SUBCASE("text: orientation, precision, no crs, no NaN") {
        int exterior = 0;
        int holes = 0;
        for (const auto& name : layer_names) {
            const auto file = dir / (name + ".geojson");
            check_rfc7946(file, exterior, holes);
            const auto text = slurp(file);
            CHECK_FALSE(has_long_fraction(text, 8));
            CHECK(text.find("NaN") == std::string::npos);
            CHECK(text.find("Infinity") == std::string::npos);
        }
        // villages: V01 1 + V02 2 (the hourglass split at its waist) + V03 1; commitments 4 (one
        // per commitment: V01 twice, V02 with 2 parts); coverage 1; gaps 1.
        CHECK(exterior == 4 + 5 + 1 + 1);
        CHECK(holes == 1 + 2); // V01 in villages and in both of its commitments

        // the off-grid station position is written on the grid
        const auto stations = slurp(dir / "stations.geojson");
        CHECK(stations.find("[105.005,21.005]") != std::string::npos);
    }

    SUBCASE("villages") {
        auto ds = open(dir / "villages.geojson");
        auto* layer = ds->GetLayer(0);
        REQUIRE(layer != nullptr);
        CHECK(layer->GetFeatureCount() == 3);
        CHECK(field_names(*layer) ==
              std::vector<std::string>{"village_id", "name", "province", "district", "commune", "population",
                                       "households", "area_km2", "coverage_any", "covered_by", "dead_zone",
                                       "coverage_VTL", "coverage_VNP", "ethnic_group", "area_km2_src"});
        const auto types = field_types(*layer);
        CHECK(types.at("dead_zone") == "Integer/Boolean");
        CHECK(types.at("households") == "Integer");
        CHECK(types.at("coverage_any") == "Real");

        // features sorted by village id, whatever the input order
        layer->ResetReading();
        std::vector<std::string> ids;
        while (auto* f = layer->GetNextFeature()) {
            ids.emplace_back(f->GetFieldAsString("village_id"));
            OGRFeature::DestroyFeature(f);
        }
        CHECK(ids == std::vector<std::string>{"V01", "V02", "V03"});

        auto v = by_key(*layer, "village_id");
        // covered by VTL (0.95) and VNP (exactly the 0.9 of the rule), listed sorted
        CHECK(std::string{v["V01"]->GetFieldAsString("covered_by")} == "VNP,VTL");
        CHECK(v["V01"]->GetFieldAsInteger("dead_zone") == 0);
        CHECK(v["V01"]->GetFieldAsDouble("coverage_any") == 0.9877);
        CHECK(v["V01"]->IsFieldNull(v["V01"]->GetFieldIndex("population")));
        CHECK(std::string{v["V01"]->GetFieldAsString("district")} == "Mèo Vạc");
        // 0.8999 misses the rule: a dead zone, whatever the rounding shows
        CHECK(std::string{v["V02"]->GetFieldAsString("covered_by")}.empty());
        CHECK(v["V02"]->GetFieldAsInteger("dead_zone") == 1);
        CHECK(v["V03"]->GetFieldAsDouble("coverage_VTL") == 0.25);
        CHECK(v["V03"]->GetFieldAsDouble("coverage_VNP") == 0.0);
        CHECK(v["V03"]->GetFieldAsDouble("area_km2") == 1.234568);
        CHECK(v["V03"]->GetFieldAsInteger64("households") == 77);
        CHECK(v["V03"]->GetFieldAsDouble("population") == 321.0);
        CHECK(std::string{v["V03"]->GetFieldAsString("ethnic_group")} == "H'Mông");
        CHECK(std::string{v["V03"]->GetFieldAsString("area_km2_src")} == "1.5");

        for (auto& [id, feature] : v) {
            const auto* g = feature->GetGeometryRef();
            REQUIRE(g != nullptr);
            CHECK_MESSAGE(g->IsValid(), id);
        }
        // the hourglass' waist closed under snapping: repaired into its two lobes
        const auto* glass = v["V02"]->GetGeometryRef()->toMultiPolygon();
        CHECK(glass->getNumGeometries() == 2);
        CHECK(glass->get_Area() == doctest::Approx(1e-6).epsilon(1e-6)); // two triangles, base 0.001°, height 0.001°
    }

    SUBCASE("commitments") {
        auto ds = open(dir / "commitments.geojson");
        auto* layer = ds->GetLayer(0);
        CHECK(layer->GetFeatureCount() == 4);
        CHECK(field_names(*layer) == std::vector<std::string>{"village_id", "name", "province", "operator",
                                                              "deadline", "registered_on", "status", "coverage",
                                                              "covered_on", "days_late", "cannot_be_met", "at_risk",
                                                              "expected_covered_on", "delay_reasons",
                                                              "support_fund_vnd", "note"});
        const auto types = field_types(*layer);
        CHECK(types.at("deadline") == "Date"); // GDAL recognises ISO dates in GeoJSON
        CHECK(types.at("days_late") == "Integer");
        CHECK(types.at("cannot_be_met") == "Integer/Boolean");
        auto c = by_key(*layer, "village_id");
        REQUIRE(c.size() == 4);
        CHECK(std::string{c["V01/VNP"]->GetFieldAsString("status")} == "covered_late");
        CHECK(c["V01/VNP"]->GetFieldAsInteger("days_late") == 10);
        CHECK(std::string{c["V01/VNP"]->GetFieldAsString("covered_on")} == "2022/06/11");
        CHECK(std::string{c["V01/VTL"]->GetFieldAsString("status")} == "covered");
        CHECK(std::string{c["V01/VTL"]->GetFieldAsString("registered_on")} == "2022/04/02");
        CHECK(c["V01/VTL"]->IsFieldNull(c["V01/VTL"]->GetFieldIndex("days_late")));
        CHECK(std::string{c["V03/VTL"]->GetFieldAsString("status")} == "overdue");
        CHECK(c["V03/VTL"]->GetFieldAsInteger("cannot_be_met") == 1);
        CHECK(std::string{c["V03/VTL"]->GetFieldAsString("name")} == "Bản Ba");
        CHECK(std::string{c["V02/VTL"]->GetFieldAsString("status")} == "pending");
        CHECK(c["V02/VTL"]->GetFieldAsDouble("coverage") == 0.8999);
        CHECK(c["V02/VTL"]->IsFieldNull(c["V02/VTL"]->GetFieldIndex("covered_on")));
    }

    SUBCASE("coverage, gaps, stations") {
        auto cov = open(dir / "coverage.geojson");
        auto* coverage = cov->GetLayer(0);
        CHECK(coverage->GetFeatureCount() == 2);
        auto areas = by_key(*coverage, "operator");
        CHECK(std::string{areas["VTL"]->GetFieldAsString("color")} == "#d7191c");
        CHECK(areas["VTL"]->GetFieldAsInteger64("cells") == 2);
        CHECK(areas["VTL"]->GetFieldAsDouble("area_km2") == 4.64159);
        CHECK(areas["VNP"]->GetGeometryRef() == nullptr);

        auto gp = open(dir / "gaps.geojson");
        auto* gaps = gp->GetLayer(0);
        CHECK(gaps->GetFeatureCount() == 1);
        auto g = by_key(*gaps, "village_id");
        CHECK(g["V03"]->GetFieldAsDouble("gap_km2") == 0.925);
        CHECK(g["V03"]->GetFieldAsDouble("gap_fraction") == 0.7493); // 0.925 / 1.2345678

        auto st = open(dir / "stations.geojson");
        auto* stations = st->GetLayer(0);
        CHECK(stations->GetFeatureCount() == 3);
        const auto names = field_names(*stations);
        CHECK(names.front() == "operator");
        CHECK(names.back() == "vendor");
        std::vector<std::string> order;
        stations->ResetReading();
        while (auto* f = stations->GetNextFeature()) {
            OGRFeatureUniquePtr feature{f};
            order.push_back(std::string{f->GetFieldAsString("operator")} + "/" + f->GetFieldAsString("site_id") +
                            "/" + f->GetFieldAsString("cell_id"));
        }
        CHECK(order == std::vector<std::string>{"VNP/N7/", "VTL/S1/1", "VTL/S1/2"});
        auto s = by_key(*stations, "cell_id");
        CHECK(s[""]->IsFieldNull(s[""]->GetFieldIndex("azimuth_deg"))); // omni
        CHECK(s[""]->GetFieldAsInteger("in_service") == 0);               // planned
        CHECK(std::string{s[""]->GetFieldAsString("tech")} == "3G");
        CHECK(s["2"]->GetFieldAsInteger("in_service") == 1);
        CHECK(s["2"]->GetFieldAsDouble("azimuth_deg") == 120.0);
        CHECK(std::string{s["2"]->GetFieldAsString("on_air_date")} == "2022/06/20");
    }
}

TEST_CASE("the GeoPackage holds every layer, typed, indexed and styled for QGIS") {
    const auto dir = fresh_dir("gpkg");
    emit::write_layers(sample(), dir, {false, true, false});
    CHECK_FALSE(fs::exists(dir / "villages.geojson"));
    auto ds = open(dir / "deadzone.gpkg");
    CHECK(std::string{ds->GetDriver()->GetDescription()} == "GPKG");

    std::vector<std::string> layers;
    for (auto* layer : ds->GetLayers()) {
        layers.emplace_back(layer->GetName());
    }
    // The coverage layer last: the pipeline may still be dissolving it while the others are written.
    CHECK(layers == std::vector<std::string>{"villages", "commitments", "gaps", "stations", "coverage", "layer_styles"});

    CHECK(ds->GetLayerByName("villages")->GetFeatureCount() == 3);
    CHECK(ds->GetLayerByName("commitments")->GetFeatureCount() == 4);
    CHECK(ds->GetLayerByName("coverage")->GetFeatureCount() == 2);
    CHECK(ds->GetLayerByName("gaps")->GetFeatureCount() == 1);
    CHECK(ds->GetLayerByName("stations")->GetFeatureCount() == 3);
    CHECK(ds->GetLayerByName("stations")->GetGeomType() == wkbPoint);
    CHECK(ds->GetLayerByName("villages")->GetGeomType() == wkbMultiPolygon);

    const auto commitments = field_types(*ds->GetLayerByName("commitments"));
    CHECK(commitments.at("deadline") == "Date");
    CHECK(commitments.at("covered_on") == "Date");
    CHECK(commitments.at("days_late") == "Integer");
    CHECK(commitments.at("cannot_be_met") == "Integer/Boolean");
    CHECK(commitments.at("coverage") == "Real");
    const auto villages = field_types(*ds->GetLayerByName("villages"));
    CHECK(villages.at("households") == "Integer64");
    CHECK(villages.at("dead_zone") == "Integer/Boolean");
    const auto stations = field_types(*ds->GetLayerByName("stations"));
    CHECK(stations.at("on_air_date") == "Date");
    CHECK(stations.at("in_service") == "Integer/Boolean");
    CHECK(field_types(*ds->GetLayerByName("coverage")).at("cells") == "Integer64");

    auto* v = ds->GetLayerByName("villages");
    v->ResetReading();
    while (auto* f = v->GetNextFeature()) {
        OGRFeatureUniquePtr feature{f};
        CHECK(feature->GetGeometryRef()->IsValid());
    }

    // a spatial index on each geometry table
    {
        auto* sql = ds->ExecuteSQL("SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' "
                                   "ORDER BY table_name",
                                   nullptr, "SQLITE");
        REQUIRE(sql != nullptr);
        std::vector<std::string> indexed;
        while (auto* f = sql->GetNextFeature()) {
            indexed.emplace_back(f->GetFieldAsString(0));
            OGRFeature::DestroyFeature(f);
        }
        ds->ReleaseResultSet(sql);
        CHECK(indexed == std::vector<std::string>{"commitments", "coverage", "gaps", "stations", "villages"});
    }
    // layer_styles is registered as an attributes table, as QGIS does
    {
        auto* sql = ds->ExecuteSQL("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'", nullptr,
                                   "SQLITE");
        REQUIRE(sql != nullptr);
        OGRFeatureUniquePtr f{sql->GetNextFeature()};
        REQUIRE(f);
        CHECK(std::string{f->GetFieldAsString(0)} == "attributes");
        ds->ReleaseResultSet(sql);
    }

    auto* styles = ds->GetLayerByName("layer_styles");
    REQUIRE(styles != nullptr);
    CHECK(styles->GetFeatureCount() == 5);
    std::map<std::string, std::string> renderer_of;
    styles->ResetReading();
    while (auto* f = styles->GetNextFeature()) {
        OGRFeatureUniquePtr feature{f};
        const std::string table = feature->GetFieldAsString("f_table_name");
        CHECK(std::string{feature->GetFieldAsString("f_table_schema")}.empty());
        CHECK_FALSE(feature->IsFieldNull(feature->GetFieldIndex("f_table_schema")));
        CHECK(std::string{feature->GetFieldAsString("f_geometry_column")} == "geom");
        CHECK(feature->GetFieldAsInteger("useAsDefault") == 1);
        CHECK(std::string{feature->GetFieldAsString("update_time")} == "2022/06/30 00:00:00+00");
        CPLXMLTreeCloser qml{CPLParseXMLString(feature->GetFieldAsString("styleQML"))};
        REQUIRE_MESSAGE(qml, table);
        const auto* root = CPLGetXMLNode(qml.get(), "=qgis");
        REQUIRE(root != nullptr);
        CHECK(std::string{CPLGetXMLValue(root, "version", "")}.rfind("3.", 0) == 0);
        renderer_of[table] = CPLGetXMLValue(root, "renderer-v2.type", "");
        // the sidecar .qml of the GeoJSON carries the same text
    }
    CHECK(renderer_of == std::map<std::string, std::string>{{"commitments", "categorizedSymbol"},
                                                            {"coverage", "categorizedSymbol"},
                                                            {"gaps", "singleSymbol"},
                                                            {"stations", "categorizedSymbol"},
                                                            {"villages", "singleSymbol"}});
}

TEST_CASE("the QGIS styles: status colours, operator colours, hatching, rotated sectors, labels") {
    const auto dir = fresh_dir("qml");
    emit::write_layers(sample(), dir, {true, false, false});

    auto load = [&](const char* name) {
        CPLXMLTreeCloser tree{CPLParseXMLFile((dir / (std::string{name} + ".qml")).string().c_str())};
        REQUIRE(tree);
        return tree;
    };
    // colour of the first symbol layer of symbol `index`
    auto color_of = [](const CPLXMLNode* renderer, const std::string& index) {
        for (auto* s = CPLGetXMLNode(renderer, "symbols")->psChild; s != nullptr; s = s->psNext) {
            if (s->eType == CXT_Element && std::string{CPLGetXMLValue(s, "name", "")} == index) {
                for (auto* p = CPLGetXMLNode(s, "layer")->psChild; p != nullptr; p = p->psNext) {
                    if (p->eType == CXT_Element && std::string{p->pszValue} == "prop" &&
                        std::string{CPLGetXMLValue(p, "k", "")} == "color") {
                        return std::string{CPLGetXMLValue(p, "v", "")};
                    }
                }
            }
        }
        return std::string{};
    };

    {
        const auto tree = load("commitments");
        const auto* renderer = CPLGetXMLNode(tree.get(), "=qgis.renderer-v2");
        REQUIRE(renderer != nullptr);
        CHECK(std::string{CPLGetXMLValue(renderer, "type", "")} == "categorizedSymbol");
        CHECK(std::string{CPLGetXMLValue(renderer, "attr", "")} == "status");
        std::map<std::string, std::string> colors;
        std::vector<std::string> labels;
        for (auto* c = CPLGetXMLNode(renderer, "categories")->psChild; c != nullptr; c = c->psNext) {
            colors[CPLGetXMLValue(c, "value", "")] = color_of(renderer, CPLGetXMLValue(c, "symbol", ""));
            labels.emplace_back(CPLGetXMLValue(c, "label", ""));
        }
        CHECK(colors == std::map<std::string, std::string>{{"covered", "26,150,65,200"},
                                                           {"covered_late", "245,166,35,200"},
                                                           {"overdue", "215,25,28,200"},
                                                           {"pending", "160,160,160,200"}});
        CHECK(labels == std::vector<std::string>{"Covered", "Covered late", "Overdue", "Pending"});
    }
    {
        const auto tree = load("coverage");
        const auto* renderer = CPLGetXMLNode(tree.get(), "=qgis.renderer-v2");
        CHECK(std::string{CPLGetXMLValue(renderer, "attr", "")} == "operator");
        // campaign colours, semi-transparent
        CHECK(color_of(renderer, "0") == "215,25,28,70");
        CHECK(color_of(renderer, "1") == "43,131,186,70");
        CHECK(std::string{CPLGetXMLValue(renderer, "categories.category.label", "")} == "VTL \xE2\x80\x94 Viettel");
    }
    {
        const auto tree = load("gaps");
        const auto text = slurp(dir / "gaps.qml");
        CHECK(text.find("<prop k=\"style\" v=\"b_diagonal\" />") != std::string::npos);
    }
    {
        const auto tree = load("stations");
        const auto* renderer = CPLGetXMLNode(tree.get(), "=qgis.renderer-v2");
        CHECK(std::string{CPLGetXMLValue(renderer, "type", "")} == "categorizedSymbol");
        const auto text = slurp(dir / "stations.qml");
        // data-defined rotation by azimuth; omni cells (no azimuth) as circles
        CHECK(text.find("coalesce(&quot;azimuth_deg&quot;, 0)") != std::string::npos);
        CHECK(text.find("if(&quot;azimuth_deg&quot; IS NULL, 'circle', 'arrow')") != std::string::npos);
        CHECK(std::string{CPLGetXMLValue(tree.get(), "=qgis.layerGeometryType", "")} == "0");
    }
    {
        const auto tree = load("villages");
        const auto* settings = CPLGetXMLNode(tree.get(), "=qgis.labeling.settings");
        REQUIRE(settings != nullptr);
        CHECK(std::string{CPLGetXMLValue(tree.get(), "=qgis.labelsEnabled", "")} == "1");
        CHECK(std::string{CPLGetXMLValue(settings, "text-style.fieldName", "")} == "name");
        CHECK(std::string{CPLGetXMLValue(settings, "rendering.scaleVisibility", "")} == "1");
        CHECK(std::string{CPLGetXMLValue(settings, "rendering.scaleMax", "")} == "100000");
    }
}

TEST_CASE("re-running gives byte-identical files; FlatGeobuf on request") {
    const auto a = fresh_dir("run_a");
    const auto b = fresh_dir("run_b");
    emit::write_layers(sample(), a, {true, true, true});
    emit::write_layers(sample(), b, {true, true, true});
    emit::write_layers(sample(), b, {true, true, true}); // over an earlier run
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(a)) {
        files.insert(entry.path().filename().string());
    }
    CHECK(files.size() == 5 * 3 + 1); // .geojson, .fgb, .qml per layer + the GeoPackage
    for (const auto& name : files) {
        CHECK_MESSAGE(slurp(a / name) == slurp(b / name), name);
    }
    auto fgb = open(a / "villages.fgb");
    CHECK(fgb->GetLayer(0)->GetFeatureCount() == 3);
}

TEST_CASE("an inconsistent analysis is refused, not half-written") {
    auto a = sample();
    a.tracking.commitments.pop_back();
    const auto dir = fresh_dir("bad");
    CHECK_THROWS_AS(emit::write_layers(a, dir), Failure);
    CHECK_FALSE(fs::exists(dir / "villages.geojson"));
}

TEST_CASE("the GeoPackage is written on its own thread: a failure there or here stops both, named") {
    // A folder, not empty, where the file `name` goes: writing all layers must fail naming it.
    auto blocked_run = [](const std::string& dir_name, const std::string& name) {
        const auto dir = fresh_dir(dir_name);
        fs::create_directories(dir / name);
        std::ofstream(dir / name / "keep") << "x";
        try {
            emit::write_layers(sample(), dir, {true, true, false});
            FAIL("no failure");
        } catch (const Failure& e) {
            CHECK(std::string{e.what()}.find(name) != std::string::npos);
        }
        return dir;
    };
    SUBCASE("the GeoPackage cannot be created") {
        blocked_run("gpkg_blocked", "deadzone.gpkg");
    }
    SUBCASE("a GeoJSON file cannot be written while the GeoPackage thread works") {
        const auto dir = blocked_run("geojson_blocked", "commitments.geojson");
        CHECK(fs::exists(dir / "villages.geojson")); // written before; the caller removes the set
    }
}

// Run by the `geojsonhint` CTest (tests/CMakeLists.txt), which then checks these files with an
// independent RFC 7946 validator; skipped in the plain unit run.
TEST_CASE("sample layers for external validators" *
          doctest::skip(std::getenv("DEADZONE_LAYERS_OUT") == nullptr)) {
    const fs::path dir = std::getenv("DEADZONE_LAYERS_OUT");
    fs::remove_all(dir);
    emit::write_layers(sample(), dir);
    CHECK(fs::exists(dir / "villages.geojson"));
}
