// A ring that is symmetric about a meridian, kept as one half (docs/overlay.md, "Discs kept
// folded"): a national run holds hundreds of thousands of geodesic discs, each mirrored about
// its centre's meridian, and the folded form is half their memory.
#pragma once

#include <deadzone/geo/types.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace deadzone::geo {

/// A closed ring of n vertices whose vertices i and n − i have the same latitude and longitudes
/// axis + d and axis − d. Vertex 0 (and vertex n / 2 when n is even) is kept whole; each other
/// pair as (d, latitude). fold() keeps a ring only when unfold() gives it back bit for bit, so
/// the folded form is exact by construction, whatever rounding the ring was built with.
class FoldedRing {
public:
    /// The folded form of `ring` about the meridian `axis_lon`, or nullopt when the ring is not
    /// closed, has fewer than 4 vertices, or some vertex would not come back bit for bit.
    static std::optional<FoldedRing> fold(const Ring& ring, double axis_lon);

    /// The ring, written into `out` (its storage reused).
    void unfold(Ring& out) const;
    /// Number of vertices of the unfolded ring, the closing one included.
    std::size_t size() const noexcept { return m_vertices + 1; }

private:
    double m_axis = 0.0;
    std::uint32_t m_vertices = 0;  // n, without the closing vertex
    std::vector<Point> m_half;     // vertex 0, the pairs as (d, latitude), vertex n / 2 if n is even
};

} // namespace deadzone::geo
