// gen-campaign (names): real provinces and districts, made-up communes and villages.
#pragma once

#include "common.hpp"

namespace gen {

// ---------------------------------------------------------------------------------------------
// Names. Provinces and districts are real (approximate district centres); communes and villages
// are made of syllables typical of each region's place names.

enum class Region { north, north_central, central_hills, central_highlands, dak_lak, dak_nong, lam_dong };

struct District {
    const char* name;
    double lon;
    double lat;
};

struct Province {
    const char* code;   // administrative code
    const char* abbrev; // used in site ids
    const char* name;
    Region region;
    int villages;       // how many of the 628 lie here
    std::vector<District> districts;
};

inline const std::vector<Province>& provinces() {
    static const std::vector<Province> table{
        {"02", "HGG", "Hà Giang", Region::north, 60,
         {{"Đồng Văn", 105.36, 23.23}, {"Mèo Vạc", 105.42, 23.13}, {"Yên Minh", 105.14, 23.08},
          {"Quản Bạ", 104.98, 23.05}, {"Hoàng Su Phì", 104.68, 22.74}, {"Xín Mần", 104.50, 22.64},
          {"Bắc Mê", 105.33, 22.75}, {"Vị Xuyên", 104.93, 22.68}}},
        {"04", "CBG", "Cao Bằng", Region::north, 50,
         {{"Bảo Lâm", 105.50, 22.84}, {"Bảo Lạc", 105.68, 22.92}, {"Hà Quảng", 106.08, 22.87},
          {"Trùng Khánh", 106.52, 22.80}, {"Hạ Lang", 106.68, 22.69}, {"Nguyên Bình", 105.95, 22.64},
          {"Thạch An", 106.33, 22.49}}},
        {"06", "BKN", "Bắc Kạn", Region::north, 30,
         {{"Pác Nặm", 105.68, 22.60}, {"Ba Bể", 105.73, 22.40}, {"Ngân Sơn", 105.98, 22.44},
          {"Na Rì", 106.10, 22.24}, {"Chợ Đồn", 105.58, 22.18}}},
        {"08", "TQG", "Tuyên Quang", Region::north, 20,
         {{"Lâm Bình", 105.22, 22.46}, {"Na Hang", 105.40, 22.34}, {"Chiêm Hóa", 105.27, 22.14}}},
        {"10", "LCI", "Lào Cai", Region::north, 35,
         {{"Bát Xát", 103.86, 22.52}, {"Si Ma Cai", 104.29, 22.69}, {"Mường Khương", 104.12, 22.72},
          {"Bắc Hà", 104.29, 22.53}, {"Sa Pa", 103.86, 22.32}, {"Văn Bàn", 104.16, 22.06}}},
        {"11", "DBN", "Điện Biên", Region::north, 45,
         {{"Mường Nhé", 102.50, 22.18}, {"Nậm Pồ", 102.72, 21.93}, {"Mường Chà", 103.06, 21.80},
          {"Tủa Chùa", 103.36, 21.84}, {"Điện Biên Đông", 103.24, 21.26}, {"Mường Ảng", 103.22, 21.52}}},
        {"12", "LCU", "Lai Châu", Region::north, 40,
         {{"Mường Tè", 102.68, 22.36}, {"Sìn Hồ", 103.24, 22.34}, {"Phong Thổ", 103.36, 22.52},
          {"Nậm Nhùn", 102.96, 22.15}, {"Than Uyên", 103.88, 21.95}, {"Tân Uyên", 103.75, 22.14}}},
        {"14", "SLA", "Sơn La", Region::north, 50,
         {{"Sốp Cộp", 103.60, 20.88}, {"Sông Mã", 103.73, 21.06}, {"Bắc Yên", 104.42, 21.24},
          {"Phù Yên", 104.64, 21.26}, {"Quỳnh Nhai", 103.58, 21.82}, {"Mộc Châu", 104.68, 20.84},
          {"Vân Hồ", 104.80, 20.76}, {"Thuận Châu", 103.68, 21.43}}},
        {"15", "YBI", "Yên Bái", Region::north, 25,
         {{"Mù Cang Chải", 104.08, 21.84}, {"Trạm Tấu", 104.40, 21.46}, {"Văn Chấn", 104.58, 21.58}}},
        {"20", "LSN", "Lạng Sơn", Region::north, 25,
         {{"Bình Gia", 106.37, 21.94}, {"Đình Lập", 107.10, 21.54}, {"Văn Quan", 106.55, 21.86},
          {"Tràng Định", 106.45, 22.28}}},
        {"38", "THA", "Thanh Hóa", Region::north_central, 30,
         {{"Mường Lát", 104.62, 20.52}, {"Quan Sơn", 104.92, 20.26}, {"Quan Hóa", 104.96, 20.44},
          {"Bá Thước", 105.24, 20.36}, {"Thường Xuân", 105.30, 19.90}}},
        {"40", "NAN", "Nghệ An", Region::north_central, 45,
         {{"Kỳ Sơn", 104.18, 19.42}, {"Tương Dương", 104.46, 19.26}, {"Con Cuông", 104.88, 19.04},
          {"Quế Phong", 104.92, 19.64}, {"Quỳ Châu", 105.10, 19.55}}},
        {"45", "QTI", "Quảng Trị", Region::central_hills, 15,
         {{"Hướng Hóa", 106.72, 16.64}, {"Đakrông", 106.92, 16.52}}},
        {"49", "QNM", "Quảng Nam", Region::central_hills, 35,
         {{"Tây Giang", 107.46, 15.88}, {"Đông Giang", 107.70, 15.92}, {"Nam Giang", 107.58, 15.66},
          {"Phước Sơn", 107.80, 15.40}, {"Nam Trà My", 108.06, 15.06}, {"Bắc Trà My", 108.22, 15.30}}},
        {"51", "QNI", "Quảng Ngãi", Region::central_hills, 20,
         {{"Sơn Tây", 108.34, 14.98}, {"Ba Tơ", 108.72, 14.76}, {"Minh Long", 108.70, 14.94},
          {"Trà Bồng", 108.50, 15.24}, {"Sơn Hà", 108.50, 15.04}}},
        {"62", "KTM", "Kon Tum", Region::central_highlands, 30,
         {{"Đắk Glei", 107.74, 15.10}, {"Tu Mơ Rông", 107.96, 14.90}, {"Kon Plông", 108.32, 14.70},
          {"Sa Thầy", 107.80, 14.42}, {"Ia H'Drai", 107.58, 14.14}, {"Đắk Tô", 107.86, 14.66}}},
        {"64", "GLI", "Gia Lai", Region::central_highlands, 25,
         {{"Kbang", 108.60, 14.30}, {"Chư Păh", 107.96, 14.14}, {"Ia Grai", 107.84, 13.98},
          {"Đức Cơ", 107.70, 13.78}, {"Krông Pa", 108.66, 13.24}, {"Ia Pa", 108.50, 13.54}}},
        {"66", "DLK", "Đắk Lắk", Region::dak_lak, 20,
         {{"Ea Súp", 107.86, 13.14}, {"Buôn Đôn", 107.86, 12.88}, {"M'Drắk", 108.76, 12.72},
          {"Lắk", 108.18, 12.40}, {"Krông Bông", 108.44, 12.50}, {"Ea H'leo", 108.22, 13.24}}},
        {"67", "DNO", "Đắk Nông", Region::dak_nong, 12,
         {{"Tuy Đức", 107.46, 12.18}, {"Đắk Glong", 107.86, 12.04}, {"Krông Nô", 107.90, 12.40},
          {"Đắk Song", 107.62, 12.24}}},
        {"68", "LDG", "Lâm Đồng", Region::lam_dong, 16,
         {{"Lạc Dương", 108.44, 12.10}, {"Đam Rông", 108.16, 12.06}, {"Di Linh", 108.04, 11.56},
          {"Bảo Lâm", 107.72, 11.70}, {"Đạ Tẻh", 107.54, 11.56}}},
    };
    return table;
}

struct Syllables {
    std::vector<std::string> village_prefix;
    std::vector<std::string> first;
    std::vector<std::string> second;
    double numbered = 0.0; // share of villages named "Thôn 5" and the like
};

inline const Syllables& syllables(Region region) {
    static const std::map<Region, Syllables> table{
        {Region::north,
         {{"Thôn", "Bản", "Thôn", "Bản", "Xóm"},
          {"Nà", "Khuổi", "Lũng", "Pác", "Nặm", "Tả", "Sà", "Lao", "Sủng", "Khau", "Pù", "Huổi", "Phiêng",
           "Cốc", "Bó", "Kéo", "Nậm", "Séo", "Sín", "Lùng", "Thèn", "Xín", "Pả", "Phai", "Mào", "Pò", "Tà",
           "Lủng", "Ngàm", "Phìn", "Mỏ", "Khâu"},
          {"Lầu", "Hồ", "Lừa", "Cú", "Đăm", "Phìn", "Chải", "Vải", "Pền", "Chung", "Thàng", "Mò", "Pin",
           "Hẩu", "Luông", "Khoang", "Cang", "Pa", "Nọi", "Tạo", "Sáng", "Kham", "Mạ", "Lếch", "Ngần",
           "Pàng", "Chè", "Dìn", "Cháng", "Phố", "Mè", "Tẳng", "Mu", "Dào", "Cài", "Lỳ", "Sử", "Chồ",
           "Giàng", "Ván", "Tủng", "Slam"},
          0.0}},
        {Region::north_central,
         {{"Bản"},
          {"Huồi", "Nậm", "Na", "Pù", "Xốp", "Mường", "Keng", "Phà", "Cánh", "Tà", "Hua", "Kẻo", "Piềng",
           "Huổi", "Xiềng", "Pha", "Kè", "Lưu"},
          {"Mèo", "Cộng", "Giảng", "Càn", "Đu", "Lống", "Khiêng", "Tột", "Pủng", "Xằng", "Lầm", "Mọi", "Lằn",
           "Cắm", "Mạt", "Thé", "Tụ", "Ún", "Pục", "Lam", "Chạng", "Pán", "Tiến", "Kiềng"},
          0.0}},
        {Region::central_hills,
         {{"Thôn", "Bản", "Thôn"},
          {"A", "Tà", "Pa", "Ra", "Ka", "Xà", "Cu", "Ba", "Ha", "Tu", "Ta", "Ríc"},
          {"Xing", "Dơi", "Ngo", "Bung", "Lao", "Vao", "Sờ", "Vương", "Tiêng", "Rông", "Lang", "Rụt", "Pơơ",
           "Ry", "Ling", "Tầng", "Nang", "Lua", "Ró", "Roòng", "Kạ", "Ấy", "Xòa", "Lê", "Dinh", "Rê",
           "Lốc", "Hươi", "Bhơi", "Zơn"},
          0.08}},
        {Region::central_highlands,
         {{"Làng", "Làng", "Thôn", "Plei"},
          {"Kon", "Đắk", "Ia", "Kon", "Đắk"},
          {"Chênh", "Rẫy", "Plông", "Tu", "Klor", "Hring", "Jri", "Pao", "Brap", "Gung", "Hơ Lăng",
           "Trang", "Bỉ", "Rơ Nga", "Pờ Xi", "Tơ Re", "Kôi", "Ring", "Nên", "Mar", "Xú", "Na", "Long",
           "Pék", "Grai", "Dom", "Kriêng", "Mơ", "Chía", "Pnôn", "Kha", "Ly", "Tôr", "Bơ Nga"},
          0.12}},
        {Region::dak_lak,
         {{"Buôn"},
          {"Ea", "Đắk", "Ko", "Ea"},
          {"H'leo", "Súp", "Kly", "Tam", "Drông", "Bar", "Sol", "Rốk", "Wer", "Hiao", "Kmát", "Lê",
           "Trấp", "Jun", "Kao", "Triết", "Dhă", "Tul", "Drai", "Kuăng", "Pôk", "M'Nang"},
          0.12}},
        {Region::dak_nong,
         {{"Bon", "Bon", "Bản", "Thôn"},
          {"Bu", "Đắk", "Ja", "Phi", "N'"},
          {"Prăng", "R'Moan", "Nor", "Sir", "Jang", "Dăr", "Păh", "Huýt", "Ráh", "Koh", "Ja", "Drung",
           "Lao", "Mbre"},
          0.12}},
        {Region::lam_dong,
         {{"Thôn", "Bon", "Thôn"},
          {"Đạ", "Păng", "Liêng", "Đưng", "Tou", "Phi", "Lán", "K'", "Đa"},
          {"Nghịt", "Tiêng", "Bông", "K'Si", "Nhim", "Neh", "Tro", "Liêng", "Tranh", "Long", "Sar", "Rsal",
           "M'Rông", "Pin"},
          0.15}},
    };
    return table.at(region);
}

inline std::string place_name(Rng& rng, const Syllables& s) {
    const auto& first = rng.pick(s.first);
    const auto& second = rng.pick(s.second);
    // "N'" and "K'" join the next syllable without a space, as in N'Jang.
    if (!first.empty() && first.back() == '\'') {
        return first + second;
    }
    return first + " " + second;
}


} // namespace gen
