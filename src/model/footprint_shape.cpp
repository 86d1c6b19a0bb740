#include <deadzone/model/footprint.hpp>

#include <utility>

namespace deadzone::model {

const geo::MultiPolygon& FootprintShape::get(geo::MultiPolygon& scratch) const {
    if (!m_folded) {
        return m_shape;
    }
    scratch.resize(1);
    scratch.front().inners().clear();
    m_folded->unfold(scratch.front().outer());
    return scratch;
}

geo::MultiPolygon FootprintShape::unfolded() const {
    if (!m_folded) {
        return m_shape;
    }
    geo::MultiPolygon out;
    get(out);
    return out;
}

geo::MultiPolygon FootprintShape::take() {
    geo::MultiPolygon out;
    if (m_folded) {
        get(out);
        m_folded.reset();
    } else {
        out.swap(m_shape);
    }
    return out;
}

void FootprintShape::fold(double axis_lon) {
    if (m_folded || m_shape.size() != 1 || !m_shape.front().inners().empty()) {
        return;
    }
    if (auto folded = geo::FoldedRing::fold(m_shape.front().outer(), axis_lon)) {
        m_folded = std::move(folded);
        geo::MultiPolygon{}.swap(m_shape);
    }
}

void FootprintShape::clear() noexcept {
    geo::MultiPolygon{}.swap(m_shape);
    m_folded.reset();
}

} // namespace deadzone::model
