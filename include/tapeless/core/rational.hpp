// tapeless/core/rational.hpp — exact compile-time rationals, the values of literals (2_c, 0.5_c).
#ifndef TAPELESS_CORE_RATIONAL_HPP
#define TAPELESS_CORE_RATIONAL_HPP

#include <cstdint>
#include <limits>

namespace tapeless {

struct rational {
    std::int64_t num = 0;
    std::int64_t den = 1;
    friend constexpr bool operator==(const rational&, const rational&) = default;
};

namespace detail {
constexpr std::int64_t gcd(std::int64_t a, std::int64_t b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
        std::int64_t t = a % b;
        a = b;
        b = t;
    }
    return a == 0 ? 1 : a;
}
// Overflow in literal arithmetic is a compile error (a throw in a constant expression).
constexpr std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw "tapeless: overflow in compile-time literal arithmetic";
    return r;
}
constexpr std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw "tapeless: overflow in compile-time literal arithmetic";
    return r;
}
} // namespace detail

constexpr rational normalize(rational r) {
    if (r.den == 0) throw "tapeless: division by zero in compile-time literal arithmetic";
    if (r.den < 0) {
        r.num = -r.num;
        r.den = -r.den;
    }
    const std::int64_t g = detail::gcd(r.num, r.den);
    return {r.num / g, r.den / g};
}
constexpr rational operator+(rational a, rational b) {
    using namespace detail;
    return normalize({checked_add(checked_mul(a.num, b.den), checked_mul(b.num, a.den)),
                      checked_mul(a.den, b.den)});
}
constexpr rational operator-(rational a) {
    return {-a.num, a.den};
}
constexpr rational operator-(rational a, rational b) {
    return a + (-b);
}
constexpr rational operator*(rational a, rational b) {
    using namespace detail;
    return normalize({checked_mul(a.num, b.num), checked_mul(a.den, b.den)});
}
constexpr rational operator/(rational a, rational b) {
    using namespace detail;
    return normalize({checked_mul(a.num, b.den), checked_mul(a.den, b.num)});
}

// The value of r as a T. The division is done in long double (64-bit significand, so num and den
// are exact) and rounded once more to T: correctly rounded but for rare double-rounding cases.
template <class T>
constexpr T to_value(rational r) {
    return static_cast<T>(static_cast<long double>(r.num) / static_cast<long double>(r.den));
}

namespace detail {
// Parses the characters of a numeric literal: digits, an optional '.', an optional exponent
// (e or E, optional sign). Digit separators (') are skipped.
template <char... Cs>
constexpr rational parse_literal() {
    constexpr char s[] = {Cs..., '\0'};
    rational r{0, 1};
    std::int64_t scale = 1; // denominator from digits after '.'
    bool frac = false;
    std::size_t i = 0;
    for (; s[i] != '\0' && s[i] != 'e' && s[i] != 'E'; ++i) {
        if (s[i] == '\'') continue;
        if (s[i] == '.') {
            frac = true;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') throw "tapeless: _c literals must be decimal numbers";
        r.num = checked_add(checked_mul(r.num, 10), s[i] - '0');
        if (frac) scale = checked_mul(scale, 10);
    }
    r = normalize({r.num, scale});
    if (s[i] == 'e' || s[i] == 'E') {
        ++i;
        bool neg = false;
        if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
        int e = 0;
        for (; s[i] != '\0'; ++i) e = e * 10 + (s[i] - '0');
        for (int k = 0; k < e; ++k) r = neg ? r / rational{10, 1} : r * rational{10, 1};
    }
    return r;
}
} // namespace detail

} // namespace tapeless

#endif
