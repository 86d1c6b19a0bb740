// The Vietnamese names of every input field and of the fixed vocabularies, as operators' and
// provincial departments' spreadsheets write them. One table each; docs/ingest.md lists the same
// rows, and a test holds the two together.
#include "locale_input.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <unordered_map>

namespace deadzone::ingest::detail {

const std::vector<HeaderAlias>& vietnamese_headers() {
    // Diacritics, case, blanks and punctuation do not matter (alias_key), so each name is listed
    // once, as it is usually written.
    static const std::vector<HeaderAlias> table{
        // villages (village_id and operator also in commitments; lon/lat/wkt also in stations)
        {"village_id", "Mã thôn"}, {"village_id", "Mã thôn bản"}, {"village_id", "Mã bản"},
        {"village_id", "Mã ấp"}, {"village_id", "Mã làng"},
        {"name", "Tên thôn"}, {"name", "Tên thôn bản"}, {"name", "Tên bản"}, {"name", "Tên ấp"},
        {"name", "Tên làng"}, {"name", "Thôn"}, {"name", "Thôn/bản"},
        {"province", "Tỉnh"}, {"province", "Tỉnh/Thành phố"}, {"province", "Tỉnh/TP"}, {"province", "Tên tỉnh"},
        {"district", "Huyện"}, {"district", "Quận/Huyện"}, {"district", "Huyện/Thị xã"}, {"district", "Tên huyện"},
        {"commune", "Xã"}, {"commune", "Xã/Phường"}, {"commune", "Phường/Xã"}, {"commune", "Tên xã"},
        {"population", "Dân số"}, {"population", "Số dân"}, {"population", "Số nhân khẩu"},
        {"households", "Số hộ"}, {"households", "Số hộ dân"}, {"households", "Số hộ gia đình"},
        {"lon", "Kinh độ"}, {"lat", "Vĩ độ"},
        {"wkt", "Hình học"}, {"wkt", "Ranh giới"},
        // commitments
        {"operator", "Nhà mạng"}, {"operator", "Doanh nghiệp"}, {"operator", "Mã doanh nghiệp"},
        {"operator", "Mã nhà mạng"},
        {"deadline", "Hạn hoàn thành"}, {"deadline", "Thời hạn hoàn thành"}, {"deadline", "Thời hạn"},
        {"deadline", "Hạn"},
        {"registered_on", "Ngày đăng ký"},
        {"support_fund_vnd", "Kinh phí hỗ trợ"}, {"support_fund_vnd", "Kinh phí hỗ trợ (VNĐ)"},
        {"support_fund_vnd", "Kinh phí hỗ trợ (đồng)"}, {"support_fund_vnd", "Số tiền hỗ trợ"},
        {"note", "Ghi chú"},
        // stations
        {"site_id", "Mã trạm"}, {"site_id", "Mã trạm BTS"}, {"site_id", "Mã BTS"}, {"site_id", "Mã nhà trạm"},
        {"cell_id", "Mã cell"}, {"cell_id", "Mã sector"}, {"cell_id", "Mã ô"},
        {"tech", "Công nghệ"}, {"tech", "Loại công nghệ"},
        {"status", "Trạng thái"}, {"status", "Tình trạng"},
        {"on_air_date", "Ngày phát sóng"}, {"on_air_date", "Ngày đưa vào hoạt động"},
        {"off_air_date", "Ngày ngừng phát sóng"}, {"off_air_date", "Ngày dừng phát sóng"},
        {"off_air_date", "Ngày tắt sóng"},
        {"height_m", "Độ cao anten"}, {"height_m", "Độ cao anten (m)"}, {"height_m", "Chiều cao anten"},
        {"height_m", "Độ cao ăng-ten"},
        {"freq_mhz", "Tần số"}, {"freq_mhz", "Tần số (MHz)"}, {"freq_mhz", "Băng tần"},
        {"eirp_dbm", "Công suất EIRP"}, {"eirp_dbm", "EIRP (dBm)"}, {"eirp_dbm", "Công suất phát xạ"},
        {"azimuth_deg", "Góc phương vị"}, {"azimuth_deg", "Phương vị"}, {"azimuth_deg", "Hướng anten"},
        {"azimuth_deg", "Góc phương vị (độ)"},
        {"beamwidth_deg", "Độ rộng búp sóng"}, {"beamwidth_deg", "Độ rộng chùm tia"},
        {"tilt_deg", "Góc nghiêng"}, {"tilt_deg", "Độ nghiêng anten"}, {"tilt_deg", "Góc tilt"},
        {"range_m", "Bán kính phủ sóng"}, {"range_m", "Bán kính phủ sóng (m)"},
        {"delay_reason", "Nguyên nhân chậm"}, {"delay_reason", "Lý do chậm"},
        {"delay_reason", "Nguyên nhân chậm tiến độ"},
        {"delay_note", "Diễn giải"}, {"delay_note", "Ghi chú chậm tiến độ"},
        {"expected_on_air_date", "Ngày dự kiến phát sóng"}, {"expected_on_air_date", "Dự kiến phát sóng"},
        {"power_source", "Nguồn điện"},
        {"backhaul", "Truyền dẫn"},
    };
    return table;
}

const std::vector<ValueAlias>& vietnamese_values() {
    static const std::vector<ValueAlias> table{
        {"status", "on_air", "Đã phát sóng"}, {"status", "on_air", "Đang phát sóng"},
        {"status", "on_air", "Phát sóng"}, {"status", "on_air", "Đang hoạt động"},
        {"status", "on_air", "Hoạt động"},
        {"status", "building", "Đang xây dựng"}, {"status", "building", "Đang thi công"},
        {"status", "building", "Đang lắp đặt"},
        {"status", "planned", "Kế hoạch"}, {"status", "planned", "Theo kế hoạch"},
        {"status", "planned", "Dự kiến"}, {"status", "planned", "Chưa triển khai"},
        {"status", "off_air", "Ngừng phát sóng"}, {"status", "off_air", "Đã ngừng phát sóng"},
        {"status", "off_air", "Dừng phát sóng"}, {"status", "off_air", "Ngừng hoạt động"},
        {"delay_reason", "power", "Điện"}, {"delay_reason", "power", "Mất điện"},
        {"delay_reason", "weather", "Thời tiết"}, {"delay_reason", "weather", "Mưa lũ"},
        {"delay_reason", "access", "Giao thông"}, {"delay_reason", "access", "Đường vào"},
        {"delay_reason", "permit", "Giấy phép"}, {"delay_reason", "permit", "Thủ tục"},
        {"delay_reason", "pole_fee", "Phí thuê cột"},
        {"delay_reason", "backhaul", "Truyền dẫn"},
        {"delay_reason", "equipment", "Thiết bị"},
        {"delay_reason", "funding", "Kinh phí"},
        {"delay_reason", "other", "Khác"},
        {"power_source", "grid", "Điện lưới"},
        {"power_source", "solar", "Điện mặt trời"}, {"power_source", "solar", "Năng lượng mặt trời"},
        {"power_source", "generator", "Máy phát"}, {"power_source", "generator", "Máy phát điện"},
        {"power_source", "none", "Không có"},
        {"backhaul", "fiber", "Cáp quang"},
        {"backhaul", "microwave", "Viba"}, {"backhaul", "microwave", "Vi ba"},
        {"backhaul", "satellite", "Vệ tinh"},
    };
    return table;
}

namespace {
/// Drops combining marks after canonical decomposition; đ/Đ has no decomposition and is mapped.
icu::UnicodeString without_marks(const icu::UnicodeString& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || nfd == nullptr) {
        return text;
    }
    const icu::UnicodeString decomposed = nfd->normalize(text, status);
    if (U_FAILURE(status)) {
        return text;
    }
    icu::UnicodeString out;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) {
            continue;
        }
        out.append(c == 0x0111 || c == 0x0110 ? UChar32{'d'} : c);
    }
    return out;
}
} // namespace

std::string alias_key(std::string_view text) {
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    unicode.foldCase();
    std::string folded;
    without_marks(unicode).toUTF8String(folded);
    std::string key;
    bool gap = false;
    for (const char c : folded) {
        const auto byte = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || byte >= 0x80) {
            if (gap && !key.empty()) {
                key += '_';
            }
            key += c;
            gap = false;
        } else {
            gap = true;
        }
    }
    return key;
}

std::optional<std::string> vietnamese_header_field(std::string_view header) {
    static const std::unordered_map<std::string, std::string> by_key = [] {
        std::unordered_map<std::string, std::string> map;
        for (const auto& row : vietnamese_headers()) {
            map.emplace(alias_key(row.alias), row.canonical);
        }
        return map;
    }();
    const auto it = by_key.find(alias_key(header));
    if (it == by_key.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::string> vietnamese_value(std::string_view field, std::string_view value) {
    static const std::unordered_map<std::string, std::string> by_key = [] {
        std::unordered_map<std::string, std::string> map;
        for (const auto& row : vietnamese_values()) {
            map.emplace(std::string{row.field} + "\n" + alias_key(row.alias), row.canonical);
        }
        return map;
    }();
    const auto it = by_key.find(std::string{field} + "\n" + alias_key(value));
    if (it == by_key.end()) {
        return std::nullopt;
    }
    return it->second;
}

} // namespace deadzone::ingest::detail
