#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cliff {

/// What went wrong, and where: enough for a one-line message naming the file, line and field.
struct Error {
    std::string message;
    std::string file;  ///< empty when the error is not about a file
    int line = 0;      ///< 1-based; 0 when not about a line
    std::string field; ///< column, key or option name; empty when not about one

    /// "file:line: field: message", leaving out the parts that are empty.
    [[nodiscard]] std::string toString() const;
};

/// Marks success for operations that return no value.
struct Ok {};

/// A value or the Error that prevented it. Errors are values here: model/ never throws across layers.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}     // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::move(error)) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { assert(ok()); return std::get<T>(m_state); }
    [[nodiscard]] T &value() & { assert(ok()); return std::get<T>(m_state); }
    [[nodiscard]] T &&value() && { assert(ok()); return std::get<T>(std::move(m_state)); }
    [[nodiscard]] const Error &error() const { assert(!ok()); return std::get<Error>(m_state); }

    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const T &operator*() const & { return value(); }

private:
    std::variant<T, Error> m_state;
};

using Status = Result<Ok>;

} // namespace cliff
