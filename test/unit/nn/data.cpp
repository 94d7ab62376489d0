// tl::nn IDX reader: small IDX files written here (gzip and plain) read back exactly; every kind of
// bad file (missing, inaccessible, not a regular file, bad magic, wrong dimensions, truncated
// header or data, trailing data, a damaged gzip stream or one without its trailer, bytes after the
// gzip stream, label out of range, image/label count mismatch) is a data_error naming the file and
// the problem; every truncation and every single-byte corruption of a small gzip file is a clean
// error, never a crash. Reads the real Fashion-MNIST test split when it is installed.
#include <tapeless/nn/data.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/files.hpp"

namespace tl = tapeless;
namespace fs = std::filesystem;
using tapeless_test::bytes;
using tapeless_test::read_file;
using tapeless_test::temp_dir;
using tapeless_test::write_file;

namespace {

void put_u32(bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>((v >> shift) & 0xFFu));
}

// An IDX file's bytes: magic, big-endian sizes, data.
bytes idx(std::uint32_t magic, const std::vector<std::uint32_t>& sizes, const bytes& data) {
    bytes out;
    put_u32(out, magic);
    for (auto s : sizes) put_u32(out, s);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void write_gz(const fs::path& file, const bytes& content, const char* mode = "wb") {
    gzFile f = gzopen(file.c_str(), mode);
    BOOST_REQUIRE(f != nullptr);
    if (!content.empty())
        BOOST_REQUIRE(gzwrite(f, content.data(), static_cast<unsigned>(content.size())) ==
                      static_cast<int>(content.size()));
    BOOST_REQUIRE(gzclose(f) == Z_OK);
}

bytes read_all(const fs::path& file) {
    std::ifstream is(file, std::ios::binary);
    return bytes(std::istreambuf_iterator<char>(is), std::istreambuf_iterator<char>());
}

// 3 images of 2 × 4 pixels, pixel k = 7k mod 256 (covers 0 and values near 255), and 3 labels.
const bytes image_data = [] {
    bytes d(3 * 2 * 4);
    for (std::size_t k = 0; k < d.size(); ++k) d[k] = static_cast<std::uint8_t>((k * 37) % 256);
    d[5] = 255;
    return d;
}();
const bytes images_file_bytes = idx(0x00000803, {3, 2, 4}, image_data);
const bytes labels_file_bytes = idx(0x00000801, {3}, {9, 0, 4});

// f() must throw data_error whose what() names `file` and contains `phrase`.
void expect_data_error(const std::function<void()>& f, const fs::path& file,
                       const std::string& phrase) {
    try {
        f();
        BOOST_ERROR("no data_error; expected one containing \"" + phrase + "\" for " +
                    file.string());
    } catch (const tl::nn::data_error& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        BOOST_TEST(message.find(file.string()) != std::string::npos,
                   "message names the file: " << message);
        BOOST_TEST(message.find(phrase) != std::string::npos,
                   "message contains \"" << phrase << "\": " << message);
        BOOST_TEST(e.file() == file);
    }
}

// Environment variable set for one scope.
struct scoped_env {
    std::string name;
    scoped_env(std::string n, const std::string& value) : name(std::move(n)) {
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~scoped_env() { ::unsetenv(name.c_str()); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(nn_data)

BOOST_AUTO_TEST_CASE(images_and_labels_round_trip_plain_and_gzip) {
    temp_dir dir("tapeless_nn_data");
    for (bool gz : {false, true}) {
        const auto images_file = dir.path / (gz ? "images.gz" : "images.idx");
        const auto labels_file = dir.path / (gz ? "labels.gz" : "labels.idx");
        const auto write = [gz](const fs::path& f, const bytes& b) {
            gz ? write_gz(f, b) : write_file(f, b);
        };
        write(images_file, images_file_bytes);
        write(labels_file, labels_file_bytes);
        if (gz) BOOST_TEST(read_all(images_file) != images_file_bytes); // really compressed

        const auto images = tl::nn::read_idx_images(images_file);
        BOOST_TEST(images.count == 3u);
        BOOST_TEST(images.rows == 2u);
        BOOST_TEST(images.cols == 4u);
        BOOST_TEST(images.pixels_per_image() == 8u);
        BOOST_TEST(images.pixels == image_data, boost::test_tools::per_element());
        const auto second = images.image(1);
        BOOST_TEST(bytes(second.begin(), second.end()) ==
                       bytes(image_data.begin() + 8, image_data.begin() + 16),
                   boost::test_tools::per_element());

        const auto labels = tl::nn::read_idx_labels(labels_file);
        BOOST_TEST(labels.count == 3u);
        BOOST_TEST(labels.labels == (bytes{9, 0, 4}), boost::test_tools::per_element());

        const auto d = tl::nn::read_idx_dataset(images_file, labels_file);
        BOOST_TEST(d.size() == 3u);
        BOOST_TEST(d.labels.labels == labels.labels, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(empty_set_is_valid) {
    temp_dir dir("tapeless_nn_data");
    const auto file = dir.path / "none.idx";
    write_file(file, idx(0x00000803, {0, 28, 28}, {}));
    const auto images = tl::nn::read_idx_images(file);
    BOOST_TEST(images.count == 0u);
    BOOST_TEST(images.rows == 28u);
    BOOST_TEST(images.pixels.empty());
}

BOOST_AUTO_TEST_CASE(normalisation_maps_bytes_to_unit_interval) {
    tl::nn::idx_images images;
    images.count = 1;
    images.rows = 1;
    images.cols = 4;
    images.pixels = {0, 51, 128, 255};
    const auto f = tl::nn::normalized_pixels<float>(images);
    BOOST_TEST(f.size() == 4u);
    BOOST_TEST(f[0] == 0.0f);
    BOOST_TEST(f[1] == 51.0f / 255.0f); // exactly the correctly rounded quotient
    BOOST_TEST(f[2] == 128.0f / 255.0f);
    BOOST_TEST(f[3] == 1.0f);
    const auto d = tl::nn::normalized_pixels<double>(images);
    BOOST_TEST(d[1] == 0.2);
    std::vector<double> wrong(3);
    BOOST_CHECK_THROW(tl::nn::normalize_pixels<double>(images.pixels, wrong),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(fashion_mnist_layout_argument_and_environment) {
    temp_dir dir("tapeless_nn_data");
    const bytes pixels(2 * 28 * 28, 17);
    write_gz(dir.path / "t10k-images-idx3-ubyte.gz", idx(0x00000803, {2, 28, 28}, pixels));
    write_gz(dir.path / "t10k-labels-idx1-ubyte.gz", idx(0x00000801, {2}, {3, 8}));

    const auto d = tl::nn::load_fashion_mnist(dir.path, tl::nn::split::test);
    BOOST_TEST(d.size() == 2u);
    BOOST_TEST(d.labels.labels == (bytes{3, 8}), boost::test_tools::per_element());

    {
        scoped_env env("TAPELESS_FASHION_MNIST", dir.path.string());
        BOOST_TEST(tl::nn::fashion_mnist_dir() == dir.path);
        BOOST_TEST(tl::nn::load_fashion_mnist(tl::nn::split::test).size() == 2u);
        // The training split is not there: the error names the file that is missing.
        expect_data_error([] { (void)tl::nn::load_fashion_mnist(tl::nn::split::train); },
                          dir.path / "train-images-idx3-ubyte.gz", "does not exist");
    }
    {
        scoped_env env("TAPELESS_FASHION_MNIST", "");
        BOOST_TEST(tl::nn::fashion_mnist_dir() == fs::path("/usr/share/datasets/fashion-mnist"));
    }

    // Valid IDX files of the wrong image size are not Fashion-MNIST.
    write_gz(dir.path / "t10k-images-idx3-ubyte.gz", idx(0x00000803, {2, 4, 4}, bytes(32, 1)));
    expect_data_error([&] { (void)tl::nn::load_fashion_mnist(dir.path, tl::nn::split::test); },
                      dir.path / "t10k-images-idx3-ubyte.gz", "wrong dimensions: its images are 4");
}

BOOST_AUTO_TEST_CASE(missing_and_unreadable_files) {
    temp_dir dir("tapeless_nn_data");
    const auto missing = dir.path / "missing-images.gz";
    expect_data_error([&] { (void)tl::nn::read_idx_images(missing); }, missing, "does not exist");
    expect_data_error([&] { (void)tl::nn::read_idx_labels(dir.path); }, dir.path,
                      "is not a regular file");
    const auto empty = dir.path / "empty.idx";
    write_file(empty, {});
    expect_data_error([&] { (void)tl::nn::read_idx_labels(empty); }, empty, "is empty");
}

BOOST_AUTO_TEST_CASE(bad_header) {
    temp_dir dir("tapeless_nn_data");
    for (bool gz : {false, true}) {
        const auto write = [gz](const fs::path& f, const bytes& b) {
            gz ? write_gz(f, b) : write_file(f, b);
        };
        const auto file = dir.path / (gz ? "bad.gz" : "bad.idx");
        auto images = [&] { (void)tl::nn::read_idx_images(file); };
        auto labels = [&] { (void)tl::nn::read_idx_labels(file); };

        write(file, idx(0x12345678, {3, 2, 4}, image_data));
        expect_data_error(images, file, "bad magic number 0x12345678");
        write(file, idx(0x00000903, {3, 2, 4}, image_data)); // element type 0x09 (signed)
        expect_data_error(images, file, "bad magic number 0x00000903");

        // A label file where images are expected, and the other way round.
        write(file, labels_file_bytes);
        expect_data_error(images, file, "has 1 dimension but images have 3");
        write(file, images_file_bytes);
        expect_data_error(labels, file, "has 3 dimensions but labels have 1");

        write(file, bytes{0x00, 0x00});
        expect_data_error(images, file, "is truncated: it ends inside its 4-byte magic number");
        write(file, bytes(images_file_bytes.begin(), images_file_bytes.begin() + 10));
        expect_data_error(images, file, "is truncated: its header ends after 10 of 16 bytes");

        write(file, idx(0x00000803, {3, 0, 4}, {}));
        expect_data_error(images, file, "has wrong dimensions: size 1 is zero");

        // 4e9 × 1e4 elements: rejected from the header, before any allocation.
        write(file, idx(0x00000803, {4'000'000'000u, 100, 100}, image_data));
        expect_data_error(images, file, "declares more than 100000000 elements");
        write(file, idx(0x00000801, {100'000'001u}, {1, 2, 3}));
        expect_data_error(labels, file, "declares more than 100000000 elements");
    }
}

BOOST_AUTO_TEST_CASE(truncated_and_trailing_data) {
    temp_dir dir("tapeless_nn_data");
    for (bool gz : {false, true}) {
        const auto write = [gz](const fs::path& f, const bytes& b) {
            gz ? write_gz(f, b) : write_file(f, b);
        };
        const auto file = dir.path / (gz ? "data.gz" : "data.idx");

        // A well-formed (gzip) stream with fewer bytes than the header promises.
        write(file, bytes(images_file_bytes.begin(), images_file_bytes.end() - 1));
        expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file,
                          "is truncated: its header promises 24 bytes of data but only 23 follow");
        write(file, idx(0x00000801, {5}, {1, 2}));
        expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                          "header promises 5 bytes of data but only 2 follow");

        auto longer = images_file_bytes;
        longer.push_back(0);
        write(file, longer);
        expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file,
                          "has trailing data after the 24 bytes its header describes");
    }
}

BOOST_AUTO_TEST_CASE(damaged_gzip_stream) {
    temp_dir dir("tapeless_nn_data");
    const auto good = dir.path / "good.gz";
    write_gz(good, images_file_bytes);
    const bytes gz = read_all(good);
    BOOST_REQUIRE(gz.size() > 18u);
    const auto file = dir.path / "damaged.gz";

    // The gzip trailer is CRC-32 then length (little-endian); a wrong CRC is detected.
    auto bad_crc = gz;
    bad_crc[gz.size() - 8] ^= 0x01;
    write_file(file, bad_crc);
    expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file,
                      "is corrupt: its gzip stream is damaged (incorrect data check)");

    auto bad_length = gz;
    bad_length[gz.size() - 4] ^= 0x01;
    write_file(file, bad_length);
    expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file,
                      "is corrupt: its gzip stream is damaged (incorrect length check)");

    // The compressed stream cut short, inside the data and inside the trailer.
    write_file(file, bytes(gz.begin(), gz.begin() + 15));
    expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file, "is truncated");
    write_file(file, bytes(gz.begin(), gz.end() - 3));
    expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file,
                      "is truncated: its gzip stream ends early");

    // Every proper prefix of the gzip file, and every single-byte corruption of it, is a
    // data_error naming the file (never a crash, never a silent success).
    for (std::size_t n = 0; n < gz.size(); ++n) {
        write_file(file, bytes(gz.begin(), gz.begin() + static_cast<std::ptrdiff_t>(n)));
        expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file, "IDX file");
    }
    // Bytes 4-9 of the gzip header (modification time, extra flags, OS) are informational and
    // not checked by zlib: skip them.
    for (std::size_t k = 0; k < gz.size(); ++k) {
        if (k >= 4 && k <= 9) continue;
        auto damaged = gz;
        damaged[k] = static_cast<std::uint8_t>(damaged[k] ^ 0x5A);
        write_file(file, damaged);
        expect_data_error([&] { (void)tl::nn::read_idx_images(file); }, file, "IDX file");
    }
}

// 60,000 labels (the size of Fashion-MNIST's training labels), 0..9 in a fixed pseudo-random order.
bytes many_labels_file() {
    bytes labels(60'000);
    std::uint32_t x = 12345;
    for (auto& l : labels) {
        x = x * 1664525u + 1013904223u;
        l = static_cast<std::uint8_t>((x >> 24) % 10);
    }
    return idx(0x00000801, {60'000}, labels);
}

BOOST_AUTO_TEST_CASE(gzip_file_without_its_trailer_is_truncated) {
    // The last 8 bytes of a gzip file are the CRC-32 and the length of the data; without them the
    // data cannot be checked, so a file missing any of them is truncated, however large it is.
    temp_dir dir("tapeless_nn_data");
    const auto good = dir.path / "good.gz";
    const bytes content = many_labels_file();
    write_gz(good, content);
    const bytes gz = read_all(good);
    BOOST_TEST(tl::nn::read_idx_labels(good).labels.size() == 60'000u);
    const auto file = dir.path / "cut.gz";
    for (std::size_t cut = 1; cut <= 8; ++cut) {
        write_file(file, bytes(gz.begin(), gz.end() - static_cast<std::ptrdiff_t>(cut)));
        expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                          "is truncated: its gzip stream ends early");
    }

    // Stored (uncompressed) deflate blocks: a changed data byte still decodes, so only the CRC
    // can tell. With the trailer the CRC catches it; without, the file is truncated, never read.
    const auto stored = dir.path / "stored.gz";
    write_gz(stored, content, "wb0");
    bytes damaged = read_all(stored);
    BOOST_REQUIRE(damaged.size() > content.size());
    damaged[1000] = static_cast<std::uint8_t>(damaged[1000] ^ 0x01);
    write_file(file, damaged);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                      "is corrupt: its gzip stream is damaged (incorrect data check)");
    write_file(file, bytes(damaged.begin(), damaged.end() - 8));
    expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                      "is truncated: its gzip stream ends early");
}

BOOST_AUTO_TEST_CASE(bytes_after_the_gzip_stream) {
    temp_dir dir("tapeless_nn_data");
    const auto good = dir.path / "good.gz";
    write_gz(good, labels_file_bytes);
    const bytes gz = read_all(good);
    const auto file = dir.path / "longer.gz";

    auto junk = gz;
    for (char c : std::string("junk")) junk.push_back(static_cast<std::uint8_t>(c));
    write_file(file, junk);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                      "has trailing data after its gzip stream");
    auto zero = gz;
    zero.push_back(0);
    write_file(file, zero);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                      "has trailing data after its gzip stream");
    // A second gzip member is more data than the one stream: refused as well.
    auto twice = gz;
    twice.insert(twice.end(), gz.begin(), gz.end());
    write_file(file, twice);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(file); }, file,
                      "has trailing data after its gzip stream");
}

BOOST_AUTO_TEST_CASE(a_fifo_is_not_read) {
    temp_dir dir("tapeless_nn_data");
    const auto fifo = dir.path / "fifo.idx";
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(fifo); }, fifo, "is not a regular file");
}

BOOST_AUTO_TEST_CASE(an_inaccessible_path_reports_the_real_error) {
    temp_dir dir("tapeless_nn_data");
    // A symbolic link to itself: stat fails with ELOOP, not "no such file".
    const auto loop = dir.path / "loop.gz";
    fs::create_symlink(loop.filename(), loop);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(loop); }, loop,
                      std::string("cannot be opened: ") + std::strerror(ELOOP));
    const auto long_name = dir.path / std::string(300, 'n');
    expect_data_error([&] { (void)tl::nn::read_idx_labels(long_name); }, long_name,
                      std::string("cannot be opened: ") + std::strerror(ENAMETOOLONG));
    // A directory that may not be searched (root may search any directory: skipped then).
    if (::geteuid() == 0) {
        BOOST_TEST_MESSAGE("running as root: the permission case is skipped");
        return;
    }
    const auto closed = dir.path / "closed";
    fs::create_directory(closed);
    write_file(closed / "labels.idx", labels_file_bytes);
    fs::permissions(closed, fs::perms::none);
    expect_data_error([&] { (void)tl::nn::read_idx_labels(closed / "labels.idx"); },
                      closed / "labels.idx",
                      std::string("cannot be opened: ") + std::strerror(EACCES));
    fs::permissions(closed, fs::perms::owner_all);
}

BOOST_AUTO_TEST_CASE(label_out_of_range_and_count_mismatch) {
    temp_dir dir("tapeless_nn_data");
    const auto images_file = dir.path / "images.gz";
    const auto labels_file = dir.path / "labels.gz";
    write_gz(images_file, images_file_bytes);

    write_gz(labels_file, idx(0x00000801, {3}, {9, 10, 4}));
    expect_data_error([&] { (void)tl::nn::read_idx_dataset(images_file, labels_file); },
                      labels_file, "has label 10 at index 1, outside the classes 0..9");
    // With 11 classes the same labels are fine; a smaller class count rejects label 9.
    BOOST_TEST(tl::nn::read_idx_dataset(images_file, labels_file, 11).size() == 3u);
    write_gz(labels_file, labels_file_bytes);
    expect_data_error([&] { (void)tl::nn::read_idx_dataset(images_file, labels_file, 5); },
                      labels_file, "has label 9 at index 0, outside the classes 0..4");

    write_gz(labels_file, idx(0x00000801, {2}, {1, 2}));
    try {
        (void)tl::nn::read_idx_dataset(images_file, labels_file);
        BOOST_ERROR("no data_error for 2 labels and 3 images");
    } catch (const tl::nn::data_error& e) {
        const std::string m = e.what();
        BOOST_TEST_MESSAGE(m);
        BOOST_TEST(m.find("has 2 labels but the image file") != std::string::npos, m);
        BOOST_TEST(m.find("has 3 images (count mismatch)") != std::string::npos, m);
        BOOST_TEST(m.find(labels_file.string()) != std::string::npos, m);
        BOOST_TEST(m.find(images_file.string()) != std::string::npos, m);
    }
}

BOOST_AUTO_TEST_CASE(installed_fashion_mnist_test_split) {
    const auto dir = tl::nn::fashion_mnist_dir();
    if (!fs::exists(tl::nn::fashion_mnist_images_file(dir, tl::nn::split::test)) ||
        !fs::exists(tl::nn::fashion_mnist_labels_file(dir, tl::nn::split::test))) {
        BOOST_TEST_MESSAGE("Fashion-MNIST is not installed in " + dir.string() +
                           " (Debian package dataset-fashion-mnist): skipped");
        BOOST_TEST(true);
        return;
    }
    const auto d = tl::nn::load_fashion_mnist(dir, tl::nn::split::test);
    BOOST_TEST(d.images.count == 10000u);
    BOOST_TEST(d.images.rows == 28u);
    BOOST_TEST(d.images.cols == 28u);
    BOOST_TEST(d.images.pixels.size() == 10000u * 28u * 28u);
    BOOST_TEST(d.labels.count == 10000u);
    // The test split is balanced: 1000 images of each of the 10 classes.
    std::array<std::size_t, 10> per_class{};
    for (auto label : d.labels.labels) {
        BOOST_REQUIRE(label < 10);
        ++per_class[label];
    }
    for (std::size_t c = 0; c < 10; ++c) BOOST_TEST(per_class[c] == 1000u, "class " << c);
    BOOST_TEST(*std::max_element(d.images.pixels.begin(), d.images.pixels.end()) == 255);
    BOOST_TEST(*std::min_element(d.images.pixels.begin(), d.images.pixels.end()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
