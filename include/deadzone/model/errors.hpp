// model/errors: the model stage's typed error — a radio value or setting the model cannot use,
// with the field it came from, so that callers name the field without reading the message.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace deadzone::model {

/// A value the model refuses; field() is the cell's or setting's field name ("freq_mhz",
/// "height_m", ...), what() the sentence. An std::invalid_argument, as before it was typed.
class FieldError : public std::invalid_argument {
public:
    FieldError(std::string field, const std::string& message)
        : std::invalid_argument(message), m_field(std::move(field)) {}
    const std::string& field() const noexcept { return m_field; }

private:
    std::string m_field;
};

} // namespace deadzone::model
