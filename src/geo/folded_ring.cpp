#include <deadzone/geo/folded_ring.hpp>

#include <bit>
#include <cstdint>

namespace deadzone::geo {

namespace {

bool same_bits(const Point& a, const Point& b) {
    return std::bit_cast<std::uint64_t>(a.x()) == std::bit_cast<std::uint64_t>(b.x()) &&
           std::bit_cast<std::uint64_t>(a.y()) == std::bit_cast<std::uint64_t>(b.y());
}

} // namespace

std::optional<FoldedRing> FoldedRing::fold(const Ring& ring, double axis_lon) {
    if (ring.size() < 5 || !same_bits(ring.front(), ring.back())) {
        return std::nullopt;
    }
    const std::size_t n = ring.size() - 1;
    FoldedRing folded;
    folded.m_axis = axis_lon;
    folded.m_vertices = static_cast<std::uint32_t>(n);
    folded.m_half.reserve(n / 2 + 1);
    folded.m_half.push_back(ring[0]);
    for (std::size_t i = 1; 2 * i < n; ++i) {
        const Point& east = ring[i];
        const Point& west = ring[n - i];
        if (std::bit_cast<std::uint64_t>(east.y()) != std::bit_cast<std::uint64_t>(west.y())) {
            return std::nullopt;
        }
        const double d = east.x() - axis_lon;
        if (!same_bits(Point{axis_lon + d, east.y()}, east) || !same_bits(Point{axis_lon - d, west.y()}, west)) {
            return std::nullopt;
        }
        folded.m_half.emplace_back(d, east.y());
    }
    if (n % 2 == 0) {
        folded.m_half.push_back(ring[n / 2]);
    }
    return folded;
}

void FoldedRing::unfold(Ring& out) const {
    const std::size_t n = m_vertices;
    out.resize(n + 1);
    out[0] = m_half[0];
    for (std::size_t i = 1; 2 * i < n; ++i) {
        const Point& half = m_half[i];
        out[i] = Point{m_axis + half.x(), half.y()};
        out[n - i] = Point{m_axis - half.x(), half.y()};
    }
    if (n % 2 == 0) {
        out[n / 2] = m_half.back();
    }
    out[n] = out[0];
}

} // namespace deadzone::geo
