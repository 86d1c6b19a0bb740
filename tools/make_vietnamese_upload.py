#!/usr/bin/env python3
"""Writes geodata/uploads/viettel_vi.csv: geodata/stations/viettel.csv as a Vietnamese operator
exports it from Excel: Vietnamese headers and status/delay words, ';' as separator, decimal commas
and day-first dates (d/m/yyyy). The cells are the same; tests/unit/ingest/test_locale_input.cpp
reads both files and compares them cell by cell. Deterministic: run it again, get the same bytes.

usage: tools/make_vietnamese_upload.py [SOURCE.csv [TARGET.csv]]
"""
import csv
import sys

HEADERS = {
    "operator": "Nhà mạng", "site_id": "Mã trạm", "cell_id": "Mã cell", "lon": "Kinh độ", "lat": "Vĩ độ",
    "tech": "Công nghệ", "status": "Trạng thái", "on_air_date": "Ngày phát sóng",
    "off_air_date": "Ngày ngừng phát sóng", "height_m": "Độ cao anten (m)", "freq_mhz": "Tần số (MHz)",
    "eirp_dbm": "Công suất EIRP", "azimuth_deg": "Góc phương vị", "beamwidth_deg": "Độ rộng búp sóng",
    "tilt_deg": "Góc nghiêng", "province": "Tỉnh", "delay_reason": "Nguyên nhân chậm",
    "delay_note": "Diễn giải", "expected_on_air_date": "Ngày dự kiến phát sóng",
    "power_source": "Nguồn điện", "backhaul": "Truyền dẫn",
}
VALUES = {
    "status": {"on_air": "Đã phát sóng", "building": "Đang xây dựng", "planned": "Kế hoạch",
               "off_air": "Ngừng phát sóng"},
    "delay_reason": {"power": "Mất điện", "weather": "Thời tiết", "access": "Giao thông", "permit": "Giấy phép",
                     "pole_fee": "Phí thuê cột", "backhaul": "Truyền dẫn", "equipment": "Thiết bị",
                     "funding": "Kinh phí", "other": "Khác"},
    "power_source": {"grid": "Điện lưới", "solar": "Điện mặt trời", "generator": "Máy phát điện",
                     "none": "Không có"},
    "backhaul": {"fiber": "Cáp quang", "microwave": "Viba", "satellite": "Vệ tinh"},
}
DATES = {"on_air_date", "off_air_date", "expected_on_air_date"}
NUMBERS = {"lon", "lat", "height_m", "freq_mhz", "eirp_dbm", "azimuth_deg", "beamwidth_deg", "tilt_deg"}


def vietnamese(field, value):
    if value == "":
        return value
    if field in VALUES:
        return VALUES[field][value]
    if field in DATES:
        year, month, day = value.split("-")
        return f"{int(day)}/{int(month)}/{year}"
    if field in NUMBERS:
        return value.replace(".", ",")  # the sample writes no thousands groups
    return value


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "geodata/stations/viettel.csv"
    target = sys.argv[2] if len(sys.argv) > 2 else "geodata/uploads/viettel_vi.csv"
    with open(source, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
        fields = list(rows[0].keys()) if rows else []
    with open(target, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow([HEADERS[f] for f in fields])
        for row in rows:
            writer.writerow([vietnamese(f, row[f]) for f in fields])


if __name__ == "__main__":
    main()
