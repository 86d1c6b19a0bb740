#include "qml.hpp"

#include <deadzone/emit/palette.hpp>

#include <deadzone/emit/locale.hpp>

#include <cpl_minixml.h>
#include <cpl_string.h>

#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace deadzone::emit::detail {

namespace {

// The QGIS release these styles were written against and checked with (Debian bookworm's).
constexpr const char* qgis_version = "3.22.16-Białowieża";

// ColorBrewer "Set1" (colour-blind safer than random hues), for operators without a colour.
constexpr std::array<const char*, 8> fallback_palette = {
    "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999"};

// Status colours: the shared palette (emit/palette.hpp), in the legend's order.
struct StatusStyle {
    const char* value; // legend label: qml.status.<value> in share/locale
    track::Status status;
};
constexpr std::array<StatusStyle, 4> status_styles = {{
    {"covered", track::Status::covered},
    {"covered_late", track::Status::covered_late},
    {"overdue", track::Status::overdue},
    {"pending", track::Status::pending},
}};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// A thin builder over GDAL's CPLXMLNode tree (which escapes attribute text for us).
class Node {
public:
    explicit Node(CPLXMLNode* node) : m_node(node) {}
    CPLXMLNode* get() const { return m_node; }

    Node child(const char* name) const { return Node{CPLCreateXMLNode(m_node, CXT_Element, name)}; }
    const Node& attr(const char* name, const std::string& value) const {
        CPLAddXMLAttributeAndValue(m_node, name, value.c_str());
        return *this;
    }
    const Node& text(const std::string& value) const {
        CPLCreateXMLNode(m_node, CXT_Text, value.c_str());
        return *this;
    }

private:
    CPLXMLNode* m_node;
};

using Props = std::map<std::string, std::string>; // sorted, as QGIS writes them

/// A data-defined property driven by an expression (QgsProperty::ExpressionBasedProperty = 3).
struct DataDefined {
    std::string property; // "angle", "name", "fillColor", ...
    std::string expression;
};

void option(const Node& parent, const char* name, const char* type, const std::string& value) {
    parent.child("Option").attr("name", name).attr("type", type).attr("value", value);
}

void data_defined(const Node& parent, const char* element, const std::vector<DataDefined>& properties) {
    const auto map = parent.child(element).child("Option").attr("type", "Map");
    option(map, "name", "QString", "");
    const auto props = map.child("Option").attr("name", "properties");
    if (!properties.empty()) {
        props.attr("type", "Map");
        for (const auto& dd : properties) {
            const auto entry = props.child("Option").attr("name", dd.property).attr("type", "Map");
            option(entry, "active", "bool", "true");
            option(entry, "expression", "QString", dd.expression);
            option(entry, "type", "int", "3");
        }
    }
    option(map, "type", "QString", "collection");
}

/// One symbol layer. QGIS 3.22 writes the properties twice, as an <Option> map (read by newer
/// releases) and as <prop> elements (read by older ones); so do we.
void symbol_layer(const Node& symbol, const char* cls, const Props& props,
                  const std::vector<DataDefined>& dd = {}) {
    const auto layer = symbol.child("layer");
    layer.attr("class", cls).attr("enabled", "1").attr("locked", "0").attr("pass", "0");
    const auto map = layer.child("Option").attr("type", "Map");
    for (const auto& [key, value] : props) {
        option(map, key.c_str(), "QString", value);
    }
    for (const auto& [key, value] : props) {
        layer.child("prop").attr("k", key).attr("v", value);
    }
    data_defined(layer, "data_defined_properties", dd);
}

Node symbol(const Node& parent, const char* type, const std::string& name) {
    auto node = parent.child("symbol");
    node.attr("type", type).attr("name", name).attr("alpha", "1").attr("clip_to_extent", "1").attr(
        "force_rhr", "0");
    data_defined(node, "data_defined_properties", {});
    return node;
}

Props fill_props(const std::string& color, const char* style, const std::string& outline_color,
                 const char* outline_width_mm, const char* outline_style = "solid") {
    return Props{{"border_width_map_unit_scale", "3x:0,0,0,0,0,0"},
                 {"color", color},
                 {"joinstyle", "bevel"},
                 {"offset", "0,0"},
                 {"offset_map_unit_scale", "3x:0,0,0,0,0,0"},
                 {"offset_unit", "MM"},
                 {"outline_color", outline_color},
                 {"outline_style", outline_style},
                 {"outline_width", outline_width_mm},
                 {"outline_width_unit", "MM"},
                 {"style", style}};
}

Node renderer(const Node& root, const char* type) {
    auto node = root.child("renderer-v2");
    node.attr("type", type).attr("forceraster", "0").attr("symbollevels", "0").attr(
        "enableorderby", "0").attr("referencescale", "-1");
    return node;
}

void finish_renderer(const Node& renderer_node) {
    renderer_node.child("rotation");
    renderer_node.child("sizescale");
}

struct Category {
    std::string value;
    std::string label;
};

Node categorized(const Node& root, const char* attribute, const std::vector<Category>& categories) {
    auto node = renderer(root, "categorizedSymbol");
    node.attr("attr", attribute);
    const auto list = node.child("categories");
    for (std::size_t i = 0; i < categories.size(); ++i) {
        list.child("category")
            .attr("render", "true")
            .attr("symbol", std::to_string(i))
            .attr("value", categories[i].value)
            .attr("label", categories[i].label);
    }
    return node;
}

/// Village names, shown only when zoomed in closer than 1:100 000 (a village is ~1 km across,
/// 1 cm on screen at that scale); at national scale 600+ labels would only clutter.
void village_labels(const Node& root) {
    const auto settings = root.child("labeling").attr("type", "simple").child("settings");
    settings.attr("calloutType", "simple");
    const auto style = settings.child("text-style");
    style.attr("fieldName", "name")
        .attr("isExpression", "0")
        .attr("fontFamily", "Sans Serif")
        .attr("namedStyle", "Regular")
        .attr("fontSize", "9")
        .attr("fontSizeUnit", "Point")
        .attr("fontWeight", "50")
        .attr("fontItalic", "0")
        .attr("textColor", "40,40,40,255")
        .attr("textOpacity", "1")
        .attr("blendMode", "0")
        .attr("multilineHeight", "1")
        .attr("allowHtml", "0");
    style.child("text-buffer")
        .attr("bufferDraw", "1")
        .attr("bufferSize", "0.8")
        .attr("bufferSizeUnits", "MM")
        .attr("bufferColor", "255,255,255,255")
        .attr("bufferOpacity", "0.85")
        .attr("bufferJoinStyle", "128")
        .attr("bufferNoFill", "1")
        .attr("bufferBlendMode", "0");
    settings.child("placement")
        .attr("placement", "1") // OverPoint: on the polygon's centroid
        .attr("centroidInside", "1")
        .attr("centroidWhole", "0")
        .attr("fitInPolygonOnly", "0")
        .attr("priority", "5")
        .attr("dist", "0")
        .attr("distUnits", "MM");
    settings.child("rendering")
        .attr("scaleVisibility", "1")
        .attr("scaleMin", "1")       // most zoomed-in scale denominator
        .attr("scaleMax", "100000")  // most zoomed-out scale denominator
        .attr("drawLabels", "1")
        .attr("obstacle", "1")
        .attr("obstacleFactor", "1")
        .attr("displayAll", "0")
        .attr("upsidedownLabels", "0")
        .attr("labelPerPart", "0")
        .attr("limitNumLabels", "0")
        .attr("maxNumLabels", "2000")
        .attr("zIndex", "0");
}

std::string operator_label(const Operator& op) {
    return op.name.empty() || op.name == op.code ? op.code : op.code + " \xE2\x80\x94 " + op.name;
}

/// One category per campaign operator, keyed by its code (coverage and stations).
std::vector<Category> operator_categories(const Campaign& campaign) {
    std::vector<Category> categories;
    for (const auto& op : campaign.operators) {
        categories.push_back({op.code, operator_label(op)});
    }
    return categories;
}

std::string with_alpha(const std::string& rgb, int alpha) { return rgb + "," + std::to_string(alpha); }

// "215,25,28,255" → "215,25,28"
std::string rgb_of(const std::string& rgba) { return rgba.substr(0, rgba.rfind(',')); }

void villages_style(const Node& root) {
    const auto r = renderer(root, "singleSymbol");
    const auto s = symbol(r.child("symbols"), "fill", "0");
    symbol_layer(s, "SimpleFill", fill_props("255,255,255,0", "no", "60,60,60,255", "0.4"));
    finish_renderer(r);
    village_labels(root);
}

void commitments_style(const Node& root, Language lang) {
    // Legend labels follow the campaign's language; the categorised values stay the layer's own.
    std::vector<Category> categories;
    for (const auto& st : status_styles) {
        categories.push_back({st.value, tr(std::string{"qml.status."} + st.value, lang)});
    }
    const auto r = categorized(root, "status", categories);
    const auto symbols = r.child("symbols");
    for (std::size_t i = 0; i < status_styles.size(); ++i) {
        const std::string rgb = rgb_triplet(status_rgb(status_styles[i].status));
        const auto s = symbol(symbols, "fill", std::to_string(i));
        symbol_layer(s, "SimpleFill", fill_props(with_alpha(rgb, 200), "solid", with_alpha(rgb, 255), "0.3"));
    }
    finish_renderer(r);
}

void coverage_style(const Node& root, const Campaign& campaign) {
    const auto r = categorized(root, "operator", operator_categories(campaign));
    const auto symbols = r.child("symbols");
    for (std::size_t i = 0; i < campaign.operators.size(); ++i) {
        const auto s = symbol(symbols, "fill", std::to_string(i));
        // Semi-transparent so that overlapping operators and the villages below stay visible.
        symbol_layer(s, "SimpleFill",
                     fill_props(operator_color(campaign, i, 70), "solid", operator_color(campaign, i), "0.4"));
    }
    finish_renderer(r);
}

// Footprints overlap heavily: outlines in the operator's colour over a faint fill, so shadows
// (holes) and lit slopes beyond ridges (islands) stay readable.
void footprints_style(const Node& root, const Campaign& campaign) {
    const auto r = categorized(root, "operator", operator_categories(campaign));
    const auto symbols = r.child("symbols");
    for (std::size_t i = 0; i < campaign.operators.size(); ++i) {
        const auto s = symbol(symbols, "fill", std::to_string(i));
        symbol_layer(s, "SimpleFill",
                     fill_props(operator_color(campaign, i, 30), "solid", operator_color(campaign, i), "0.3"));
    }
    finish_renderer(r);
}

void gaps_style(const Node& root) {
    const auto r = renderer(root, "singleSymbol");
    const auto s = symbol(r.child("symbols"), "fill", "0");
    symbol_layer(s, "SimpleFill", fill_props("215,48,39,255", "b_diagonal", "215,48,39,255", "0.3"));
    finish_renderer(r);
}

void stations_style(const Node& root, const Campaign& campaign) {
    const auto r = categorized(root, "operator", operator_categories(campaign));
    const auto symbols = r.child("symbols");
    for (std::size_t i = 0; i < campaign.operators.size(); ++i) {
        const auto rgb = rgb_of(operator_color(campaign, i));
        const auto s = symbol(symbols, "marker", std::to_string(i));
        const Props props{{"angle", "0"},
                          {"color", with_alpha(rgb, 255)},
                          {"horizontal_anchor_point", "1"},
                          {"joinstyle", "bevel"},
                          {"name", "arrow"},
                          {"offset", "0,0"},
                          {"offset_map_unit_scale", "3x:0,0,0,0,0,0"},
                          {"offset_unit", "MM"},
                          {"outline_color", "35,35,35,255"},
                          {"outline_style", "solid"},
                          {"outline_width", "0.2"},
                          {"outline_width_map_unit_scale", "3x:0,0,0,0,0,0"},
                          {"outline_width_unit", "MM"},
                          {"scale_method", "diameter"},
                          {"size", "4"},
                          {"size_map_unit_scale", "3x:0,0,0,0,0,0"},
                          {"size_unit", "MM"},
                          {"vertical_anchor_point", "2"}}; // arrow tail on the site, pointing out
        // A sector points along its azimuth (QGIS rotates clockwise from north, as azimuths
        // are measured); an omni cell has no azimuth and is drawn as a circle. Cells not in
        // service at the as-of date are drawn faint. Markers shrink as the map zooms out, so
        // that a province- or country-wide view still shows the villages under them.
        symbol_layer(s, "SimpleMarker", props,
                     {{"angle", "coalesce(\"azimuth_deg\", 0)"},
                      {"size", "CASE WHEN @map_scale > 1000000 THEN 1.2 WHEN @map_scale > 250000 THEN 2.4 ELSE 4 END"},
                      {"fillColor", "if(\"in_service\", '" + with_alpha(rgb, 255) + "', '" +
                                        with_alpha(rgb, 60) + "')"},
                      {"name", "if(\"azimuth_deg\" IS NULL, 'circle', 'arrow')"}});
    }
    finish_renderer(r);
}

/// Samples coloured by their margin over the threshold (layers_measurements.cpp's `signal`):
/// ColorBrewer RdYlGn's ends and middle, so that weak spots stand out on a drive route.
void measurements_style(const Node& root, Language lang) {
    struct SignalStyle {
        const char* value;
        const char* color;
    };
    constexpr std::array<SignalStyle, 4> classes = {{
        {"strong", "26,150,65"},
        {"good", "166,217,106"},
        {"weak", "253,174,97"},
        {"poor", "215,25,28"},
    }};
    // Legend labels from the catalogue (qml.signal.<class>); the classified values stay the layer's.
    std::vector<Category> categories;
    for (const auto& c : classes) {
        categories.push_back({c.value, tr(std::string{"qml.signal."} + c.value, lang)});
    }
    const auto r = categorized(root, "signal", categories);
    const auto symbols = r.child("symbols");
    for (std::size_t i = 0; i < classes.size(); ++i) {
        const auto s = symbol(symbols, "marker", std::to_string(i));
        const Props props{{"angle", "0"},
                          {"color", with_alpha(classes[i].color, 255)},
                          {"horizontal_anchor_point", "1"},
                          {"joinstyle", "bevel"},
                          {"name", "circle"},
                          {"offset", "0,0"},
                          {"offset_map_unit_scale", "3x:0,0,0,0,0,0"},
                          {"offset_unit", "MM"},
                          {"outline_color", "35,35,35,255"},
                          {"outline_style", "solid"},
                          {"outline_width", "0"},
                          {"outline_width_map_unit_scale", "3x:0,0,0,0,0,0"},
                          {"outline_width_unit", "MM"},
                          {"scale_method", "diameter"},
                          {"size", "1.6"},
                          {"size_map_unit_scale", "3x:0,0,0,0,0,0"},
                          {"size_unit", "MM"},
                          {"vertical_anchor_point", "1"}};
        // Samples outside the measurement window are drawn faint: shown, judged by nothing.
        symbol_layer(s, "SimpleMarker", props,
                     {{"fillColor", "if(\"counted\", '" + with_alpha(classes[i].color, 255) + "', '" +
                                        with_alpha(classes[i].color, 60) + "')"}});
    }
    finish_renderer(r);
}

} // namespace

std::string qgis_color(std::string_view hex, std::string_view fallback, int alpha) {
    if (!hex.empty() && hex.front() == '#') {
        hex.remove_prefix(1);
    }
    if (hex.size() != 6 && hex.size() != 8) {
        return std::string{fallback};
    }
    std::array<int, 4> rgba{0, 0, 0, alpha};
    for (std::size_t i = 0; i < hex.size() / 2; ++i) {
        const int hi = hex_digit(hex[2 * i]);
        const int lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return std::string{fallback};
        }
        rgba[i] = hi * 16 + lo;
    }
    if (hex.size() == 8) { // the colour's own alpha, scaled by the requested one
        rgba[3] = (rgba[3] * alpha + 127) / 255;
    }
    return std::to_string(rgba[0]) + "," + std::to_string(rgba[1]) + "," + std::to_string(rgba[2]) + "," +
           std::to_string(rgba[3]);
}

std::string operator_color(const Campaign& campaign, std::size_t operator_index, int alpha) {
    const auto fallback = qgis_color(fallback_palette[operator_index % fallback_palette.size()], "0,0,0", alpha);
    if (operator_index >= campaign.operators.size()) {
        return fallback;
    }
    return qgis_color(campaign.operators[operator_index].color, fallback, alpha);
}

std::string layer_qml(LayerKind kind, const Campaign& campaign) {
    CPLXMLTreeCloser tree{CPLCreateXMLNode(nullptr, CXT_Element, "qgis")};
    const Node root{tree.get()};
    const bool labels = kind == LayerKind::villages;
    root.attr("version", qgis_version)
        .attr("styleCategories", "Symbology|Labeling")
        .attr("labelsEnabled", labels ? "1" : "0")
        .attr("hasScaleBasedVisibilityFlag", "0")
        .attr("minScale", "100000000")
        .attr("maxScale", "0");
    switch (kind) {
    case LayerKind::villages: villages_style(root); break;
    case LayerKind::commitments: commitments_style(root, campaign.locale); break;
    case LayerKind::coverage: coverage_style(root, campaign); break;
    case LayerKind::gaps: gaps_style(root); break;
    case LayerKind::stations: stations_style(root, campaign); break;
    case LayerKind::measurements: measurements_style(root, campaign.locale); break;
    case LayerKind::footprints: footprints_style(root, campaign); break;
    }
    root.child("blendMode").text("0");
    root.child("featureBlendMode").text("0");
    root.child("layerOpacity").text("1");
    root.child("layerGeometryType").text(kind == LayerKind::stations || kind == LayerKind::measurements ? "0" : "2");

    char* text = CPLSerializeXMLTree(tree.get());
    if (text == nullptr) {
        throw std::runtime_error("cannot serialise a QGIS style");
    }
    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += text;
    CPLFree(text);
    return out;
}

} // namespace deadzone::emit::detail
