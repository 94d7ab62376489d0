// tl::nn::save_tensors / load_tensors: the file's bytes are exactly the documented format;
// float and double tensors of several shapes round-trip bit for bit (NaN payloads, −0,
// subnormals, infinities); every damaged or mismatched file (any flipped byte, any truncation,
// trailing data, bad magic, newer version, unknown element type, bad rank, wrong element type,
// tensor count or shape) is a model_error whose message starts with the quoted file name and says
// what is wrong, and leaves the destination tensors untouched; an interrupted save (the test hook)
// leaves the previous file byte-identical and no temporary file; failed saves (no directory, a
// directory in the way) name the file and clean up; a save replaces a longer old file completely;
// stale temporaries never block a save and old ones are removed; a 255-byte name saves; a FIFO is
// refused without waiting; loading uses one buffer of the file's size and refuses another model's
// large file from its header.
#include <tapeless/nn/random.hpp>
#include <tapeless/nn/serialize.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/files.hpp"

namespace tl = tapeless;
namespace fs = std::filesystem;
using tapeless_test::bytes;
using tapeless_test::read_file;
using tapeless_test::temp_dir;
using tapeless_test::write_file;

// Heap accounting for the tests of how much loading allocates: every operator new of this
// program goes through here; while `tracking` is on, the bytes live and their peak are counted.
namespace heap {
std::atomic<bool> tracking{false};
std::atomic<long long> live{0}; // signed: a counted block may be freed after the count restarts
std::atomic<long long> peak{0};
constexpr std::size_t header = 16; // the size and whether it was counted (keeps alignment)

void* allocate(std::size_t n) {
    void* p = std::malloc(n + header);
    if (p == nullptr) throw std::bad_alloc();
    const bool counted = tracking.load();
    static_cast<std::size_t*>(p)[0] = n;
    static_cast<std::size_t*>(p)[1] = counted ? 1 : 0;
    if (counted) {
        const long long now = live.fetch_add(static_cast<long long>(n)) + static_cast<long long>(n);
        long long old = peak.load();
        while (now > old && !peak.compare_exchange_weak(old, now)) {
        }
    }
    return static_cast<char*>(p) + header;
}
void release(void* p) noexcept {
    if (p == nullptr) return;
    char* block = static_cast<char*>(p) - header;
    const auto* sizes = reinterpret_cast<const std::size_t*>(block);
    if (sizes[1] != 0) live.fetch_sub(static_cast<long long>(sizes[0]));
    std::free(block);
}

// The peak of the bytes allocated while f runs and not yet freed.
template <class F>
std::size_t peak_growth(F&& f) {
    live = 0;
    peak = 0;
    tracking = true;
    try {
        f();
    } catch (...) {
        tracking = false;
        throw;
    }
    tracking = false;
    return static_cast<std::size_t>(peak.load());
}
} // namespace heap

void* operator new(std::size_t n) {
    return heap::allocate(n);
}
void* operator new[](std::size_t n) {
    return heap::allocate(n);
}
void operator delete(void* p) noexcept {
    heap::release(p);
}
void operator delete[](void* p) noexcept {
    heap::release(p);
}
void operator delete(void* p, std::size_t) noexcept {
    heap::release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    heap::release(p);
}

namespace {

// The names in a directory, sorted.
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

// The bit patterns of a tensor's elements (NaNs compare by payload, −0 differs from 0).
template <class Tensor>
std::vector<std::uint64_t> bits_of(const Tensor& t) {
    std::vector<std::uint64_t> out;
    for (const auto x : t) out.push_back(std::bit_cast<bits_t<decltype(x)>>(x));
    return out;
}
template <class T, std::size_t R, std::size_t C>
std::vector<std::uint64_t> bits_of(const tl::mat<T, R, C>& m) {
    return bits_of(m.data);
}

// Special values first (zeros, subnormals, extremes, infinities, NaNs with payloads and signs,
// a signalling NaN), then random bit patterns (any pattern is a valid element).
template <class T>
std::vector<T> interesting_values(std::size_t n, std::uint64_t seed) {
    using U = bits_t<T>;
    const std::vector<U> special =
        sizeof(T) == 4
            ? std::vector<U>{U(0x00000000u), U(0x80000000u), U(0x00000001u), U(0x807FFFFFu),
                             U(0x00400000u), U(0x7F7FFFFFu), U(0xFF7FFFFFu), U(0x7F800000u),
                             U(0xFF800000u), U(0x7FC00000u), U(0x7FC12345u), U(0xFFFFFFFFu),
                             U(0x7F800001u), U(0x3F800000u), U(0xBEAAAAABu)}
            : std::vector<U>{U(0x0000000000000000u), U(0x8000000000000000u), U(0x0000000000000001u),
                             U(0x800FFFFFFFFFFFFFu), U(0x7FEFFFFFFFFFFFFFu), U(0x7FF0000000000000u),
                             U(0xFFF0000000000000u), U(0x7FF8000000000000u), U(0x7FF8DEADBEEF1234u),
                             U(0xFFFFFFFFFFFFFFFFu), U(0x7FF0000000000001u), U(0x3FF0000000000000u),
                             U(0xBFD5555555555555u)};
    tl::nn::rng g(seed);
    std::vector<T> out;
    for (std::size_t k = 0; k < n; ++k)
        out.push_back(std::bit_cast<T>(k < special.size() ? special[k] : static_cast<U>(g.next())));
    return out;
}

template <class Tensor>
void fill(Tensor& t, std::uint64_t seed) {
    using T = std::remove_cvref_t<decltype(*std::begin(t))>;
    const auto values =
        interesting_values<T>(static_cast<std::size_t>(std::end(t) - std::begin(t)), seed);
    std::copy(values.begin(), values.end(), std::begin(t));
}

// f() must throw model_error whose what() is "\"<file>\": ..." and contains `phrase`.
void expect_model_error(const std::function<void()>& f, const fs::path& file,
                        const std::string& phrase) {
    try {
        f();
        BOOST_ERROR("no model_error; expected one containing \"" + phrase + "\" for " +
                    file.string());
    } catch (const tl::nn::model_error& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        BOOST_TEST(message.starts_with("\"" + file.string() + "\": "),
                   "message starts with the quoted file: " << message);
        BOOST_TEST(message.find(phrase) != std::string::npos,
                   "message contains \"" << phrase << "\": " << message);
        BOOST_TEST(e.file() == file);
    }
}

// A small float model: a 2×3 matrix, a 3-vector and a scalar. Its file is 108 bytes: a header of
// 20 + (4 + 16) + (4 + 8) + (4 + 8) = 64 bytes, 10 elements of 4 bytes, a 4-byte checksum.
struct small_model {
    tl::mat<float, 2, 3> w{};
    std::array<float, 3> b{};
    std::array<float, 1> s{};

    static constexpr std::size_t header_size = 64;
    static constexpr std::size_t file_size = 108;

    static small_model filled(std::uint64_t seed) {
        small_model m;
        fill(m.w, seed);
        fill(m.b, seed + 1);
        fill(m.s, seed + 2);
        return m;
    }
    void save(const fs::path& file) const { tl::nn::save_tensors(file, w, b, s); }
    void load(const fs::path& file) { tl::nn::load_tensors(file, w, b, s); }
    std::vector<std::uint64_t> bits() const {
        auto out = bits_of(w);
        for (auto v : bits_of(b)) out.push_back(v);
        for (auto v : bits_of(s)) out.push_back(v);
        return out;
    }
};

// Loading `file` into a small model must fail with `phrase` and leave the model as it was.
void expect_load_error(const fs::path& file, const std::string& phrase) {
    small_model m = small_model::filled(99);
    const auto before = m.bits();
    expect_model_error([&] { m.load(file); }, file, phrase);
    BOOST_TEST(m.bits() == before, boost::test_tools::per_element());
}

void put_u32(bytes& out, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}
void put_u64(bytes& out, std::uint64_t v) {
    for (int k = 0; k < 8; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

// Overwrites 4 bytes at `offset` with v, little-endian.
bytes patched_u32(bytes b, std::size_t offset, std::uint32_t v) {
    for (std::size_t k = 0; k < 4; ++k) b[offset + k] = static_cast<std::uint8_t>(v >> (8 * k));
    return b;
}

template <class T>
void round_trip_bit_exact() {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    tl::mat<T, 3, 4> a{};
    std::array<T, 1> scalar{};
    std::array<T, 17> v{};
    tl::mat<T, 1, 5> row{};
    tl::mat<T, 5, 1> column{};
    fill(a, 1);
    fill(scalar, 2);
    fill(v, 3);
    fill(row, 4);
    fill(column, 5);
    tl::nn::save_tensors(file, a, scalar, v, row, column);
    BOOST_TEST(read_file(file).size() ==
               20u + 20u + 12u + 12u + 20u + 20u + (12u + 1u + 17u + 5u + 5u) * sizeof(T) + 4u);

    tl::mat<T, 3, 4> a2{};
    std::array<T, 1> scalar2{};
    std::array<T, 17> v2{};
    tl::mat<T, 1, 5> row2{};
    tl::mat<T, 5, 1> column2{};
    tl::nn::load_tensors(file, a2, scalar2, v2, row2, column2);
    BOOST_TEST(bits_of(a2) == bits_of(a), boost::test_tools::per_element());
    BOOST_TEST(bits_of(scalar2) == bits_of(scalar), boost::test_tools::per_element());
    BOOST_TEST(bits_of(v2) == bits_of(v), boost::test_tools::per_element());
    BOOST_TEST(bits_of(row2) == bits_of(row), boost::test_tools::per_element());
    BOOST_TEST(bits_of(column2) == bits_of(column), boost::test_tools::per_element());
    BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
               boost::test_tools::per_element());
}

} // namespace

BOOST_AUTO_TEST_SUITE(nn_serialize)

BOOST_AUTO_TEST_CASE(file_layout_is_the_documented_one) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "layout.tlm";
    const tl::mat<float, 1, 2> w{{1.0f, -2.0f}};
    const std::array<float, 1> s{0.5f};
    tl::nn::save_tensors(file, w, s);

    bytes expected{'T', 'L', 'M', 'O', 'D', 'E', 'L', 0};
    put_u32(expected, 1); // version
    put_u32(expected, 1); // float32
    put_u32(expected, 2); // two tensors
    put_u32(expected, 2); // a matrix: rank 2, 1 row, 2 columns
    put_u64(expected, 1);
    put_u64(expected, 2);
    put_u32(expected, 1); // a scalar: rank 1, 1 element
    put_u64(expected, 1);
    put_u32(expected, 0x3F800000u); // 1
    put_u32(expected, 0xC0000000u); // −2
    put_u32(expected, 0x3F000000u); // 0.5
    put_u32(expected, static_cast<std::uint32_t>(crc32(crc32(0L, nullptr, 0), expected.data(),
                                                       static_cast<uInt>(expected.size()))));
    BOOST_TEST(read_file(file) == expected, boost::test_tools::per_element());

    // float64 is element type 2, and elements take 8 bytes.
    const std::array<double, 1> d{1.0};
    tl::nn::save_tensors(file, d);
    const bytes got = read_file(file);
    BOOST_REQUIRE(got.size() == 20u + 12u + 8u + 4u);
    BOOST_TEST(got[12] == 2u);
    BOOST_TEST(bytes(got.begin() + 32, got.begin() + 40) == (bytes{0, 0, 0, 0, 0, 0, 0xF0, 0x3F}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(float_round_trip_is_bit_exact) {
    round_trip_bit_exact<float>();
}

BOOST_AUTO_TEST_CASE(double_round_trip_is_bit_exact) {
    round_trip_bit_exact<double>();
}

BOOST_AUTO_TEST_CASE(tuples_of_tensors) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "tuple.tlm";
    const small_model m = small_model::filled(7);
    tl::nn::save_tensors(file, std::tie(m.w, m.b, m.s));
    const bytes via_tie = read_file(file);
    m.save(file);
    BOOST_TEST(read_file(file) == via_tie, boost::test_tools::per_element());

    small_model a; // load through std::tie (a temporary tuple of references)
    tl::nn::load_tensors(file, std::tie(a.w, a.b, a.s));
    BOOST_TEST(a.bits() == m.bits(), boost::test_tools::per_element());

    std::tuple<tl::mat<float, 2, 3>, std::array<float, 3>, std::array<float, 1>> values;
    tl::nn::load_tensors(file, values); // a tuple of values
    BOOST_TEST(bits_of(std::get<0>(values)) == bits_of(m.w), boost::test_tools::per_element());
    BOOST_TEST(bits_of(std::get<2>(values)) == bits_of(m.s), boost::test_tools::per_element());
    tl::nn::save_tensors(file, values);
    BOOST_TEST(read_file(file) == via_tie, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_network_sized_model_and_its_shape_mismatch) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    // 784 → 128 → 10, on the heap (the first matrix is 392 KiB).
    auto w1 = std::make_unique<tl::mat<float, 784, 128>>();
    auto b1 = std::make_unique<std::array<float, 128>>();
    auto w2 = std::make_unique<tl::mat<float, 128, 10>>();
    auto b2 = std::make_unique<std::array<float, 10>>();
    fill(*w1, 11);
    fill(*b1, 12);
    fill(*w2, 13);
    fill(*b2, 14);
    tl::nn::save_tensors(file, *w1, *b1, *w2, *b2);

    auto w1_in = std::make_unique<tl::mat<float, 784, 128>>();
    auto b1_in = std::make_unique<std::array<float, 128>>();
    auto w2_in = std::make_unique<tl::mat<float, 128, 10>>();
    auto b2_in = std::make_unique<std::array<float, 10>>();
    tl::nn::load_tensors(file, *w1_in, *b1_in, *w2_in, *b2_in);
    BOOST_TEST(bits_of(*w1_in) == bits_of(*w1), boost::test_tools::per_element());
    BOOST_TEST(bits_of(*b2_in) == bits_of(*b2), boost::test_tools::per_element());

    // A model whose third tensor is another 784×128 matrix.
    auto other = std::make_unique<tl::mat<float, 784, 128>>();
    fill(*other, 15);
    const auto before = bits_of(*other);
    expect_model_error([&] { tl::nn::load_tensors(file, *w1_in, *b1_in, *other, *b2_in); }, file,
                       "tensor 2 has shape 128×10, the model expects 784×128");
    BOOST_TEST(bits_of(*other) == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_flipped_byte_is_a_clean_error) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(3).save(file);
    const bytes good = read_file(file);
    BOOST_REQUIRE(good.size() == small_model::file_size);
    for (std::size_t k = 0; k < good.size(); ++k) {
        for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
            bytes damaged = good;
            damaged[k] = static_cast<std::uint8_t>(damaged[k] ^ mask);
            write_file(file, damaged);
            // In the data and the checksum, and in the header where the sizes are unaffected
            // (e.g. the tensor count's upper bytes change the count; a dimension's change the
            // length), the checksum is what catches it; everywhere, some model_error does.
            expect_load_error(file, k >= small_model::header_size ? "checksum mismatch" : "");
        }
    }
}

BOOST_AUTO_TEST_CASE(flipped_data_byte_names_both_checksums) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(3).save(file);
    bytes damaged = read_file(file);
    const std::uint32_t stored = static_cast<std::uint32_t>(damaged[104]) |
                                 static_cast<std::uint32_t>(damaged[105]) << 8 |
                                 static_cast<std::uint32_t>(damaged[106]) << 16 |
                                 static_cast<std::uint32_t>(damaged[107]) << 24;
    damaged[70] = static_cast<std::uint8_t>(damaged[70] ^ 0x10);
    write_file(file, damaged);
    const auto computed = static_cast<std::uint32_t>(
        crc32(crc32(0L, nullptr, 0), damaged.data(), static_cast<uInt>(damaged.size() - 4)));
    char text[64];
    std::snprintf(text, sizeof text, "checksum mismatch (file says 0x%08X, data gives 0x%08X)",
                  static_cast<unsigned>(stored), static_cast<unsigned>(computed));
    expect_load_error(file, text);
}

BOOST_AUTO_TEST_CASE(every_truncation_is_a_clean_error) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(4).save(file);
    const bytes good = read_file(file);
    for (std::size_t n = 0; n < good.size(); ++n) {
        write_file(file, bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)));
        expect_load_error(file, "truncated: ");
    }
    const auto cut = [&](std::size_t n) {
        write_file(file, bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)));
    };
    cut(0);
    expect_load_error(file, "truncated: the file is empty");
    cut(5);
    expect_load_error(file, "truncated: the file ends after 5 bytes, inside the 8-byte magic");
    cut(10);
    expect_load_error(file, "truncated: the file ends after 10 bytes, inside the format version");
    cut(14);
    expect_load_error(file, "truncated: the file ends after 14 bytes, inside the element type");
    cut(19);
    expect_load_error(file, "truncated: the file ends after 19 bytes, inside the tensor count");
    cut(30);
    expect_load_error(file,
                      "truncated: the file ends after 30 bytes, inside the shape of tensor 0");
    cut(50);
    expect_load_error(file,
                      "truncated: the file ends after 50 bytes, inside the shape of tensor 1");
    cut(80); // inside the elements
    expect_load_error(file, "truncated: the file has 80 bytes, the header describes 108");
    cut(106); // inside the checksum
    expect_load_error(file, "truncated: the file has 106 bytes, the header describes 108");
}

BOOST_AUTO_TEST_CASE(trailing_data) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(5).save(file);
    bytes longer = read_file(file);
    longer.push_back(0);
    write_file(file, longer);
    expect_load_error(file, "trailing data: the file has 109 bytes, the header describes 108");
}

BOOST_AUTO_TEST_CASE(bad_magic) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(5).save(file);
    bytes b = read_file(file);
    b[0] = 'X';
    write_file(file, b);
    expect_load_error(file, "not a tapeless model (bad magic)");
    write_file(file, bytes{'h', 'e', 'l', 'l', 'o', '\n'}); // short, and not a model at all
    expect_load_error(file, "not a tapeless model (bad magic)");
    write_file(file, bytes{'T', 'L', 'M', 'O', 'D', 'E', 'L', '!', 1, 0, 0, 0});
    expect_load_error(file, "not a tapeless model (bad magic)");
}

BOOST_AUTO_TEST_CASE(version) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(5).save(file);
    const bytes good = read_file(file);
    write_file(file, patched_u32(good, 8, 7));
    expect_load_error(file, "version 7 is newer than this reader (1)");
    // Even a newer file of one byte past the version is refused for its version, not its length.
    const bytes newer = patched_u32(good, 8, 2);
    write_file(file, bytes(newer.begin(), newer.begin() + 13));
    expect_load_error(file, "version 2 is newer than this reader (1)");
    write_file(file, patched_u32(good, 8, 0));
    expect_load_error(file, "corrupt header: format version 0 (versions start at 1)");
    BOOST_TEST(tl::nn::model_format_version == 1u);
}

BOOST_AUTO_TEST_CASE(corrupt_header_fields) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    small_model::filled(6).save(file);
    const bytes good = read_file(file);
    write_file(file, patched_u32(good, 12, 9));
    expect_load_error(file,
                      "corrupt header: unknown element type code 9 (1 = float32, 2 = float64)");
    write_file(file, patched_u32(good, 20, 3)); // tensor 0's rank
    expect_load_error(file, "corrupt header: tensor 0 has rank 3 (ranks are 1 or 2)");
    write_file(file, patched_u32(good, 40, 0)); // tensor 1's rank
    expect_load_error(file, "corrupt header: tensor 1 has rank 0 (ranks are 1 or 2)");
    // Dimensions whose product overflows 64 bits.
    const bytes huge = patched_u32(patched_u32(good, 24, 0), 28, 0x40000000u); // rows = 2^62
    write_file(file, huge);
    expect_load_error(file, "corrupt header: tensor 0 has shape 4611686018427387904×3, too large");
    // A tensor count far beyond the model's: refused as soon as it is read.
    bytes many(good.begin(), good.begin() + 20);
    many = patched_u32(many, 16, 0xFFFFFFFFu);
    for (int k = 0; k < 2; ++k) {
        put_u32(many, 1);
        put_u64(many, 1);
    }
    write_file(file, many);
    expect_load_error(file, "holds 4294967295 tensors, the model expects 3");
    // The model's count, and the header runs out.
    write_file(file, bytes(good.begin(), good.begin() + 44));
    expect_load_error(file,
                      "truncated: the file ends after 44 bytes, inside the shape of tensor 1");
    // A dimension claiming more data than the file holds.
    write_file(file, patched_u32(good, 24, 1000));
    expect_load_error(file, "truncated: the file has 108 bytes, the header describes 12084");
}

BOOST_AUTO_TEST_CASE(wrong_element_type) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const tl::mat<double, 2, 3> wd{};
    const std::array<double, 3> bd{};
    const std::array<double, 1> sd{};
    tl::nn::save_tensors(file, wd, bd, sd);
    expect_load_error(file, "element type float64, the model expects float32");

    small_model::filled(7).save(file);
    tl::mat<double, 2, 3> w2{};
    std::array<double, 3> b2{};
    std::array<double, 1> s2{};
    expect_model_error([&] { tl::nn::load_tensors(file, w2, b2, s2); }, file,
                       "element type float32, the model expects float64");
}

BOOST_AUTO_TEST_CASE(wrong_tensor_count) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const small_model m = small_model::filled(8);
    tl::nn::save_tensors(file, m.w, m.b);
    expect_load_error(file, "holds 2 tensors, the model expects 3");
    tl::nn::save_tensors(file, m.w);
    expect_load_error(file, "holds 1 tensor, the model expects 3");
    tl::nn::save_tensors(file, m.w, m.b, m.s, m.s);
    expect_load_error(file, "holds 4 tensors, the model expects 3");
}

BOOST_AUTO_TEST_CASE(wrong_shape) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const small_model m = small_model::filled(9);
    const tl::mat<float, 3, 2> transposed{};
    tl::nn::save_tensors(file, transposed, m.b, m.s);
    expect_load_error(file, "tensor 0 has shape 3×2, the model expects 2×3");
    const std::array<float, 4> four{};
    tl::nn::save_tensors(file, m.w, four, m.s);
    expect_load_error(file, "tensor 1 has shape 4, the model expects 3");
    // The same number of elements, another rank.
    const tl::mat<float, 1, 3> row{};
    tl::nn::save_tensors(file, m.w, row, m.s);
    expect_load_error(file, "tensor 1 has shape 1×3, the model expects 3");
    const tl::mat<float, 1, 1> one{};
    tl::nn::save_tensors(file, m.w, m.b, one);
    expect_load_error(file, "tensor 2 has shape 1×1, the model expects 1");
}

BOOST_AUTO_TEST_CASE(missing_and_unreadable_files) {
    temp_dir dir("tapeless_nn_serialize");
    expect_load_error(dir.path / "missing.tlm", "cannot open: No such file or directory");
    expect_load_error(dir.path, "cannot open: not a regular file");
}

BOOST_AUTO_TEST_CASE(interrupted_save_keeps_the_previous_file) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const small_model old_model = small_model::filled(20);
    old_model.save(file);
    const bytes previous = read_file(file);
    const small_model new_model = small_model::filled(21);
    for (std::uint64_t after : {0u, 1u, 7u, 20u, 64u, 80u, 107u, 108u}) {
        expect_model_error(
            [&] {
                tl::nn::detail::serialize::save_tensors_with(file, {.interrupt_after = after},
                                                             new_model.w, new_model.b, new_model.s);
            },
            file, "cannot write: interrupted after " + std::to_string(after) + " of 108 bytes");
        BOOST_TEST(read_file(file) == previous, boost::test_tools::per_element());
        BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
                   boost::test_tools::per_element());
    }
    small_model loaded;
    loaded.load(file);
    BOOST_TEST(loaded.bits() == old_model.bits(), boost::test_tools::per_element());

    // Past the end of the file the hook never fires: a real save.
    tl::nn::detail::serialize::save_tensors_with(file, {.interrupt_after = 109}, new_model.w,
                                                 new_model.b, new_model.s);
    loaded.load(file);
    BOOST_TEST(loaded.bits() == new_model.bits(), boost::test_tools::per_element());

    // With no previous file, an interrupted save leaves nothing at all.
    const auto fresh = dir.path / "fresh.tlm";
    expect_model_error(
        [&] {
            tl::nn::detail::serialize::save_tensors_with(fresh, {.interrupt_after = 50},
                                                         new_model.w, new_model.b, new_model.s);
        },
        fresh, "interrupted");
    BOOST_TEST(!fs::exists(fresh));
    BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(save_into_a_missing_directory) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "no" / "such" / "model.tlm";
    expect_model_error([&] { small_model::filled(1).save(file); }, file,
                       "cannot write: cannot create the temporary file");
    expect_model_error([&] { small_model::filled(1).save(file); }, file,
                       "No such file or directory");
    BOOST_TEST(entries(dir.path).empty());
}

BOOST_AUTO_TEST_CASE(a_directory_in_the_way_is_not_replaced) {
    temp_dir dir("tapeless_nn_serialize");
    const auto target = dir.path / "model.tlm";
    fs::create_directories(target / "inside");
    expect_model_error([&] { small_model::filled(1).save(target); }, target,
                       "cannot rename the temporary file");
    BOOST_TEST(fs::is_directory(target / "inside"));
    BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(save_replaces_a_longer_file_completely) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const auto reference = dir.path / "reference.tlm";
    write_file(file, bytes(10'000, 0xAB));
    const small_model m = small_model::filled(30);
    m.save(file);
    m.save(reference);
    BOOST_TEST(read_file(file).size() == small_model::file_size);
    BOOST_TEST(read_file(file) == read_file(reference), boost::test_tools::per_element());
    // Many saves over the same file leave exactly that file.
    for (int k = 0; k < 20; ++k) small_model::filled(static_cast<std::uint64_t>(k)).save(file);
    small_model loaded;
    loaded.load(file);
    BOOST_TEST(loaded.bits() == small_model::filled(19).bits(), boost::test_tools::per_element());
    BOOST_TEST(entries(dir.path) == (std::vector<std::string>{"model.tlm", "reference.tlm"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_name_without_a_directory) {
    temp_dir dir("tapeless_nn_serialize");
    const fs::path previous = fs::current_path();
    fs::current_path(dir.path);
    const small_model m = small_model::filled(40);
    m.save("model.tlm");
    small_model loaded;
    loaded.load("model.tlm");
    fs::current_path(previous);
    BOOST_TEST(loaded.bits() == m.bits(), boost::test_tools::per_element());
    BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(loading_a_fifo_is_refused_without_waiting) {
    temp_dir dir("tapeless_nn_serialize");
    const auto fifo = dir.path / "model.tlm";
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // An open() of a FIFO for reading waits for a writer: run the load aside, and if it is still
    // waiting after 10 s, report that and open the FIFO for writing to let it go.
    auto load =
        std::async(std::launch::async, [&] { expect_load_error(fifo, "not a regular file"); });
    if (load.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        BOOST_ERROR("load_tensors of a FIFO is still waiting after 10 s");
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
    }
    load.get();
}

// The names a save of `file` gives its temporaries (.tapeless-<16 hex>-<16 hex>.tmp).
std::string temporary_name(const fs::path& file, std::uint64_t random) {
    return tl::nn::detail::serialize::temporary_stem(file) +
           tl::nn::detail::serialize::hex64(random) + ".tmp";
}

void set_age(const fs::path& file, std::chrono::seconds age) {
    fs::last_write_time(file, fs::file_time_type::clock::now() - age);
}

BOOST_AUTO_TEST_CASE(stale_temporaries_never_block_a_save) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    // Names of the kind earlier versions used (<file>.tmp.<pid>.<n>): 100 of them blocked a save.
    for (int k = 0; k < 200; ++k)
        write_file(dir.path /
                       ("model.tlm.tmp." + std::to_string(::getpid()) + "." + std::to_string(k)),
                   bytes{1});
    // Temporaries of this file's own pattern: old ones (a dead save's), a recent one (maybe a
    // live save's) and an old one that a save in progress holds locked.
    std::vector<std::string> old_names;
    for (std::uint64_t k = 0; k < 50; ++k) {
        old_names.push_back(temporary_name(file, k * 0x0123456789ABCDEFu));
        write_file(dir.path / old_names.back(), bytes(100, 7));
        set_age(dir.path / old_names.back(), std::chrono::hours(2));
    }
    const std::string recent = temporary_name(file, 0xFEEDu);
    write_file(dir.path / recent, bytes{1});
    const std::string locked = temporary_name(file, 0xBEEFu);
    write_file(dir.path / locked, bytes{1});
    set_age(dir.path / locked, std::chrono::hours(2));
    const int lock_fd = ::open((dir.path / locked).c_str(), O_RDONLY | O_CLOEXEC);
    BOOST_REQUIRE(lock_fd >= 0);
    BOOST_REQUIRE(::flock(lock_fd, LOCK_EX | LOCK_NB) == 0);
    // Another file's temporary (another hash) is not this save's business.
    const std::string other = temporary_name(dir.path / "other.tlm", 1);
    write_file(dir.path / other, bytes{1});
    set_age(dir.path / other, std::chrono::hours(2));

    for (const bool unnamed : {false, true}) {
        const small_model m = small_model::filled(unnamed ? 2 : 1);
        tl::nn::detail::serialize::save_tensors_with(file, {.unnamed = unnamed}, m.w, m.b, m.s);
        small_model loaded;
        loaded.load(file);
        BOOST_TEST(loaded.bits() == m.bits(), boost::test_tools::per_element());
    }
    ::close(lock_fd);
    for (const auto& name : old_names) BOOST_TEST(!fs::exists(dir.path / name), name);
    BOOST_TEST(fs::exists(dir.path / recent));
    BOOST_TEST(fs::exists(dir.path / locked));
    BOOST_TEST(fs::exists(dir.path / other));
    BOOST_TEST(entries(dir.path).size() == 1u + 200u + 3u);
}

BOOST_AUTO_TEST_CASE(a_255_byte_file_name_saves_and_loads) {
    temp_dir dir("tapeless_nn_serialize");
    const std::string name = std::string(251, 'm') + ".tlm"; // NAME_MAX on Linux
    const auto file = dir.path / name;
    for (const bool unnamed : {false, true}) {
        const small_model m = small_model::filled(unnamed ? 4 : 3);
        tl::nn::detail::serialize::save_tensors_with(file, {.unnamed = unnamed}, m.w, m.b, m.s);
        small_model loaded;
        loaded.load(file);
        BOOST_TEST(loaded.bits() == m.bits(), boost::test_tools::per_element());
        BOOST_TEST(entries(dir.path) == std::vector<std::string>{name},
                   boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(failed_saves_leave_no_temporary) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const small_model m = small_model::filled(50);
    for (const bool unnamed : {false, true}) {
        for (std::uint64_t after : {0u, 50u, 108u}) {
            expect_model_error(
                [&] {
                    tl::nn::detail::serialize::save_tensors_with(
                        file, {.interrupt_after = after, .unnamed = unnamed}, m.w, m.b, m.s);
                },
                file, "interrupted");
            BOOST_TEST(entries(dir.path).empty());
        }
        // A directory in the way: the rename fails after the temporary is complete.
        fs::create_directory(file);
        expect_model_error(
            [&] {
                tl::nn::detail::serialize::save_tensors_with(file, {.unnamed = unnamed}, m.w, m.b,
                                                             m.s);
            },
            file, "cannot rename the temporary file");
        BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
                   boost::test_tools::per_element());
        fs::remove(file);
    }
    // A directory that may not be written (not for root, who may write anyway: skipped then).
    if (::geteuid() != 0) {
        const auto closed = dir.path / "closed";
        fs::create_directory(closed);
        fs::permissions(closed, fs::perms::owner_read | fs::perms::owner_exec);
        expect_model_error([&] { m.save(closed / "model.tlm"); }, closed / "model.tlm",
                           "cannot create the temporary file");
        fs::permissions(closed, fs::perms::owner_all);
        BOOST_TEST(entries(closed).empty());
    }
}

BOOST_AUTO_TEST_CASE(a_killed_save_leaves_nothing_that_outlives_the_next_save) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "model.tlm";
    const small_model m = small_model::filled(60);
    // Whether this file system has unnamed temporary files (Linux's O_TMPFILE).
    bool unnamed_supported = false;
#if defined(O_TMPFILE)
    if (const int fd = ::open(dir.path.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600); fd >= 0) {
        unnamed_supported = true;
        ::close(fd);
    }
#endif
    for (const bool unnamed : {true, false}) {
        // A child process dies (as if killed) once the temporary is written, before it is renamed.
        const ::pid_t child = ::fork();
        BOOST_REQUIRE(child >= 0);
        if (child == 0) {
            tl::nn::detail::serialize::save_options options;
            options.unnamed = unnamed;
            options.after_write = [] { ::_exit(0); };
            tl::nn::detail::serialize::save_tensors_with(file, options, m.w, m.b, m.s);
            ::_exit(1);
        }
        int status = 0;
        BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
        BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        BOOST_TEST(!fs::exists(file));
        const auto left = entries(dir.path);
        if (unnamed && unnamed_supported) {
            BOOST_TEST(left.empty(), "an unnamed temporary is never linked before it is complete");
            continue;
        }
        // A named temporary stays behind; once it is old (its save is surely dead), the next
        // save of the file removes it.
        BOOST_REQUIRE(left.size() == 1u);
        set_age(dir.path / left[0], std::chrono::hours(1));
        m.save(file);
        BOOST_TEST(entries(dir.path) == std::vector<std::string>{"model.tlm"},
                   boost::test_tools::per_element());
        fs::remove(file);
    }
}

BOOST_AUTO_TEST_CASE(loading_reads_into_one_buffer_of_the_file_size) {
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "big.tlm";
    auto w = std::make_unique<tl::mat<float, 1000, 1000>>();
    auto b = std::make_unique<std::array<float, 1000>>();
    fill(*w, 70);
    tl::nn::save_tensors(file, *w, *b);
    const std::size_t size = fs::file_size(file);
    const std::size_t peak = heap::peak_growth([&] { tl::nn::load_tensors(file, *w, *b); });
    BOOST_TEST_MESSAGE("loading a file of " << size << " bytes: peak heap growth " << peak);
    // The buffer, plus a little for the file's name.
    BOOST_TEST(peak <= size + 1024);

    // Many small tensors: no buffer or list per tensor either.
    std::array<std::array<float, 1>, 200> many{};
    const auto small = dir.path / "many.tlm";
    std::apply([&](auto&... t) { tl::nn::save_tensors(small, t...); }, many);
    const std::size_t small_size = fs::file_size(small);
    const std::size_t small_peak = heap::peak_growth(
        [&] { std::apply([&](auto&... t) { tl::nn::load_tensors(small, t...); }, many); });
    BOOST_TEST_MESSAGE("200 tensors, " << small_size << " bytes: peak heap growth " << small_peak);
    BOOST_TEST(small_peak <= small_size + 1024);
}

// A sparse file of `size` bytes starting with `header`.
void write_sparse(const fs::path& file, const bytes& header, std::uint64_t size) {
    write_file(file, header);
    BOOST_REQUIRE(::truncate(file.c_str(), static_cast<::off_t>(size)) == 0);
}

BOOST_AUTO_TEST_CASE(a_large_file_of_another_model_is_refused_from_its_header) {
    // 64 MiB files whose headers describe them exactly, but not as the small model: refused
    // without reading the data (nothing like the file's size is allocated).
    temp_dir dir("tapeless_nn_serialize");
    const auto file = dir.path / "large.tlm";
    constexpr std::uint64_t size = std::uint64_t{64} << 20;
    const auto header = [](std::uint32_t count, std::uint64_t last_elements) {
        bytes h{'T', 'L', 'M', 'O', 'D', 'E', 'L', 0};
        put_u32(h, 1);
        put_u32(h, 1);
        put_u32(h, count);
        put_u32(h, 2); // the model's 2×3 and 3, then one long vector
        put_u64(h, 2);
        put_u64(h, 3);
        put_u32(h, 1);
        put_u64(h, 3);
        put_u32(h, 1);
        put_u64(h, last_elements);
        return h;
    };
    const std::uint64_t header_size = header(3, 0).size();
    const std::uint64_t elements = (size - header_size - 4) / 4 - 9; // 2×3 + 3 before it
    BOOST_REQUIRE(header_size + (9 + elements) * 4 + 4 == size);

    // One tensor too many: refused when the count is read.
    auto four = header(4, elements);
    write_sparse(file, four, size);
    small_model m = small_model::filled(80);
    const auto before = m.bits();
    std::size_t peak = heap::peak_growth([&] {
        expect_model_error([&] { m.load(file); }, file, "holds 4 tensors, the model expects 3");
    });
    BOOST_TEST(peak < 64u * 1024u, "peak heap growth " << peak);

    // The right count, a vector of 16 million elements where the model has a scalar.
    write_sparse(file, header(3, elements), size);
    peak = heap::peak_growth([&] {
        expect_model_error([&] { m.load(file); }, file,
                           "tensor 2 has shape " + std::to_string(elements) +
                               ", the model expects 1");
    });
    BOOST_TEST(peak < 64u * 1024u, "peak heap growth " << peak);
    BOOST_TEST(m.bits() == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
