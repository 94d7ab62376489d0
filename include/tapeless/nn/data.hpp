// tapeless/nn/data.hpp — reading IDX files (the MNIST / Fashion-MNIST format), gzip or plain.
//
//   auto train = tl::nn::load_fashion_mnist(tl::nn::split::train);   // 60000 × 28 × 28
//   std::vector<float> x = tl::nn::normalized_pixels<float>(train.images);  // in [0, 1]
//   std::uint8_t y0 = train.labels.labels[0];                             // in 0..9
//
// An IDX file is a 4-byte magic number (two zero bytes, the element type — 0x08 for unsigned
// bytes — and the number of dimensions), one big-endian 32-bit size per dimension, then the
// elements in row-major order. Images are 0x00000803 ([count][rows][cols] bytes), labels
// 0x00000801 ([count] bytes). A file is gzip-compressed or plain, told apart by its first two
// bytes (gzip's 0x1F 0x8B; the name does not matter). A gzip file is decoded with zlib's inflate
// and must be exactly one complete gzip stream: its end, the 8-byte trailer included, must be
// there, so its CRC-32 and length are always checked, and nothing may follow it (not even a
// second gzip member). Only regular files are read: a FIFO or a device is refused before it is
// opened for reading.
//
// Every problem with a file is a tl::nn::data_error (a std::runtime_error) whose what() is a
// sentence naming the file and the problem: missing ("does not exist", for ENOENT only) or
// unreadable (with the system's text for the error: "Permission denied", ...), not a regular
// file, a bad magic number, the wrong number of dimensions, a header or data shorter than the
// header promises, bytes left over after the data or after the gzip stream, a damaged or
// truncated gzip stream (including a CRC mismatch and a missing trailer), sizes beyond
// max_idx_elements, a label outside 0..classes-1, or image and label files of different lengths.
// Nothing is read out of bounds, and memory grows only with the bytes actually read, never with a
// claimed size alone.
//
// Fashion-MNIST comes from Debian's package dataset-fashion-mnist, which installs
// /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz. Another
// directory is given as an argument or through the environment variable TAPELESS_FASHION_MNIST.
//
// Link the CMake target tapeless::nn (it brings zlib).
#ifndef TAPELESS_NN_DATA_HPP
#define TAPELESS_NN_DATA_HPP

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace tapeless::nn {

// A file that cannot be used as data: what() names the file and says what is wrong with it.
class data_error : public std::runtime_error {
public:
    data_error(std::filesystem::path file, const std::string& message)
        : std::runtime_error(message), file_(std::move(file)) {}
    // The file the problem is in (for an image/label mismatch, the labels file).
    const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
};

// The most elements (count × rows × cols) a file may declare; larger headers are rejected before
// anything is allocated for them. Fashion-MNIST's training images are 47,040,000.
inline constexpr std::uint64_t max_idx_elements = 100'000'000;

// Images: count images of rows × cols bytes, row-major, image after image.
struct idx_images {
    std::size_t count = 0;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<std::uint8_t> pixels; // count * rows * cols

    std::size_t pixels_per_image() const noexcept { return rows * cols; }
    // The pixels of image i (i < count).
    std::span<const std::uint8_t> image(std::size_t i) const noexcept {
        return std::span<const std::uint8_t>(pixels).subspan(i * pixels_per_image(),
                                                             pixels_per_image());
    }
};

// Labels: one byte per sample.
struct idx_labels {
    std::size_t count = 0;
    std::vector<std::uint8_t> labels; // count
};

// Images with their labels (the same count, every label < classes).
struct dataset {
    idx_images images;
    idx_labels labels;
    std::size_t size() const noexcept { return images.count; }
};

enum class split { train, test };

namespace detail::datasets {

inline std::string quoted(const std::filesystem::path& file) {
    return "\"" + file.string() + "\"";
}

[[noreturn]] inline void fail(const std::filesystem::path& file, const std::string& problem) {
    throw data_error(file, "IDX file " + quoted(file) + " " + problem + ".");
}

// A POSIX file descriptor, closed on destruction.
struct fd_closer {
    int fd = -1;
    fd_closer() = default;
    fd_closer(const fd_closer&) = delete;
    fd_closer& operator=(const fd_closer&) = delete;
    ~fd_closer() {
        if (fd >= 0) ::close(fd);
    }
};

// zlib's inflate state, ended on destruction.
struct inflate_stream {
    z_stream z{};
    bool ready = false;
    inflate_stream() = default;
    inflate_stream(const inflate_stream&) = delete;
    inflate_stream& operator=(const inflate_stream&) = delete;
    ~inflate_stream() {
        if (ready) inflateEnd(&z);
    }
};

// Reads a whole IDX file, plain or gzip (recognised by its first two bytes, 0x1F 0x8B), checking
// each step. A gzip file is decoded with zlib's inflate and must be exactly one complete gzip
// stream: its CRC-32 and length are checked, and its end (trailer included) must be present and
// be the end of the file.
class reader {
public:
    explicit reader(const std::filesystem::path& file) : file_(file) {
        // stat first and open without blocking: a FIFO or a device is refused, never waited on.
        struct ::stat st {};
        if (::stat(file.c_str(), &st) != 0) fail_open(errno);
        if (!S_ISREG(st.st_mode)) fail(file_, "is not a regular file");
        fd_.fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd_.fd < 0) fail_open(errno);
        if (::fstat(fd_.fd, &st) != 0) fail_open(errno);
        if (!S_ISREG(st.st_mode)) fail(file_, "is not a regular file"); // replaced meanwhile
        input_.resize(chunk);
        fill_input();
        gzip_ = available_ >= 2 && input_[next_] == 0x1F && input_[next_ + 1] == 0x8B;
        if (gzip_) {
            // 16 + MAX_WBITS: a gzip wrapper only (no zlib or raw stream), checked by inflate.
            if (inflateInit2(&stream_.z, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
            stream_.ready = true;
        }
    }

    // Reads up to out.size() bytes; returns how many were read (fewer only at the end of the
    // data). A damaged or truncated gzip stream, bytes after it, or a read error throws.
    std::size_t read(std::span<std::uint8_t> out) {
        return gzip_ ? read_gzip(out) : read_plain(out);
    }

    // Reads n bytes into a vector that grows as data arrives (a header claiming more than
    // the file holds costs no more memory than the file). Returns fewer bytes only at the end.
    std::vector<std::uint8_t> read_up_to(std::size_t n) {
        std::vector<std::uint8_t> data;
        while (data.size() < n) {
            const std::size_t old = data.size();
            const std::size_t step = std::min(n - old, std::max<std::size_t>(chunk, old));
            data.resize(old + step);
            const std::size_t got = read(std::span(data).subspan(old, step));
            data.resize(old + got);
            if (got < step) break;
        }
        return data;
    }

    // Throws if the data goes on past what was read; for gzip, reads to the end of the stream
    // (checking its CRC and length) and throws if anything follows it.
    void expect_end(std::uint64_t promised) {
        std::uint8_t extra = 0;
        if (read(std::span(&extra, 1)) != 0)
            fail(file_, "has trailing data after the " + std::to_string(promised) +
                            " bytes its header describes");
    }

    const std::filesystem::path& file() const noexcept { return file_; }

private:
    [[noreturn]] void fail_open(int e) const {
        if (e == ENOENT) fail(file_, "does not exist");
        fail(file_, std::string("cannot be opened: ") + std::strerror(e));
    }

    // Refills the input buffer when it is empty; false at the end of the file.
    bool fill_input() {
        if (available_ > 0) return true;
        if (at_eof_) return false;
        next_ = 0;
        for (;;) {
            const ::ssize_t got = ::read(fd_.fd, input_.data(), input_.size());
            if (got < 0) {
                const int e = errno;
                if (e == EINTR) continue;
                fail(file_, std::string("cannot be read: ") + std::strerror(e));
            }
            available_ = static_cast<std::size_t>(got);
            at_eof_ = got == 0;
            return got > 0;
        }
    }

    std::size_t read_plain(std::span<std::uint8_t> out) {
        std::size_t done = 0;
        while (done < out.size() && fill_input()) {
            const std::size_t n = std::min(out.size() - done, available_);
            std::memcpy(out.data() + done, input_.data() + next_, n);
            next_ += n;
            available_ -= n;
            done += n;
        }
        return done;
    }

    std::size_t read_gzip(std::span<std::uint8_t> out) {
        std::size_t done = 0;
        while (!stream_end_ && done < out.size()) {
            if (!fill_input())
                fail(file_, "is truncated: its gzip stream ends early (unexpected end of file)");
            z_stream& z = stream_.z;
            z.next_in = input_.data() + next_;
            z.avail_in = static_cast<uInt>(available_);
            const std::size_t room = std::min<std::size_t>(out.size() - done, chunk);
            z.next_out = out.data() + done;
            z.avail_out = static_cast<uInt>(room);
            const int code = inflate(&z, Z_NO_FLUSH);
            const std::size_t used = available_ - z.avail_in;
            next_ += used;
            available_ -= used;
            done += room - z.avail_out;
            if (code == Z_STREAM_END) {
                stream_end_ = true;
                if (fill_input()) fail(file_, "has trailing data after its gzip stream");
            } else if (code == Z_MEM_ERROR) {
                throw std::bad_alloc();
            } else if (code == Z_DATA_ERROR || code == Z_NEED_DICT || code == Z_STREAM_ERROR) {
                fail(file_, std::string("is corrupt: its gzip stream is damaged (") +
                                (z.msg != nullptr ? z.msg : "data error") + ")");
            }
            // Z_OK or Z_BUF_ERROR: inflate needs more input or more room; the loop gives both.
        }
        return done;
    }

    static constexpr std::size_t chunk = std::size_t{1} << 20;
    std::filesystem::path file_;
    fd_closer fd_;
    std::vector<std::uint8_t> input_;
    std::size_t next_ = 0;      // the first unused byte of input_
    std::size_t available_ = 0; // unused bytes from next_ on
    bool at_eof_ = false;
    bool gzip_ = false;
    bool stream_end_ = false;
    inflate_stream stream_;
};

inline std::uint32_t big_endian(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

// The contents of an unsigned-byte IDX file: its sizes (as many as it has dimensions) and its
// elements.
struct ubyte_idx {
    std::array<std::size_t, 3> sizes{};
    std::vector<std::uint8_t> elements;
};

// Reads an unsigned-byte IDX file of `dims` dimensions.
inline ubyte_idx read_ubyte_idx(const std::filesystem::path& file, std::size_t dims,
                                const char* what_kind) {
    reader in(file);
    std::array<std::size_t, 3> sizes{};
    std::array<std::uint8_t, 4 + 4 * 3> header{};
    const std::size_t header_bytes = 4 + 4 * dims;
    const std::size_t got = in.read(std::span(header).first(4));
    if (got < 4)
        fail(in.file(),
             got == 0 ? "is empty" : "is truncated: it ends inside its 4-byte magic number");
    const std::uint32_t magic = big_endian(header.data());
    const std::uint32_t expected = 0x0800u | static_cast<std::uint32_t>(dims);
    if ((magic & 0xFFFFFF00u) != 0x0800u) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(magic));
        char want[16];
        std::snprintf(want, sizeof want, "0x%08X", static_cast<unsigned>(expected));
        fail(in.file(), std::string("has a bad magic number ") + hex + " (expected " + want +
                            ", IDX " + what_kind + " of unsigned bytes)");
    }
    if (const std::size_t d = magic & 0xFFu; d != dims)
        fail(in.file(), "has " + std::to_string(d) + " dimension" + (d == 1 ? "" : "s") + " but " +
                            what_kind + " have " + std::to_string(dims) +
                            " (is it the wrong file?)");
    const std::size_t got_dims = in.read(std::span(header).subspan(4, 4 * dims));
    if (got_dims < 4 * dims)
        fail(in.file(), "is truncated: its header ends after " + std::to_string(4 + got_dims) +
                            " of " + std::to_string(header_bytes) + " bytes");
    std::uint64_t elements = 1;
    for (std::size_t k = 0; k < dims; ++k) {
        const std::uint32_t size = big_endian(header.data() + 4 + 4 * k);
        if (k > 0 && size == 0)
            fail(in.file(), "has wrong dimensions: size " + std::to_string(k) + " is zero");
        sizes[k] = size;
        elements *= size; // at most 2^32 · 1e8 before the check: no overflow
        if (elements > max_idx_elements)
            fail(in.file(), "declares more than " + std::to_string(max_idx_elements) +
                                " elements in its header (limit of tapeless::nn::"
                                "max_idx_elements); it is corrupt or too large");
    }
    auto data = in.read_up_to(static_cast<std::size_t>(elements));
    if (data.size() < elements)
        fail(in.file(), "is truncated: its header promises " + std::to_string(elements) +
                            " bytes of data but only " + std::to_string(data.size()) + " follow");
    in.expect_end(elements);
    return {sizes, std::move(data)};
}

inline std::filesystem::path fashion_file(const std::filesystem::path& dir, split s,
                                          const char* kind) {
    return dir / ((s == split::train ? std::string("train-") : std::string("t10k-")) + kind +
                  "-ubyte.gz");
}

} // namespace detail::datasets

// Reads an IDX image file (magic 0x00000803): count × rows × cols unsigned bytes.
inline idx_images read_idx_images(const std::filesystem::path& file) {
    detail::datasets::ubyte_idx idx = detail::datasets::read_ubyte_idx(file, 3, "images");
    return {idx.sizes[0], idx.sizes[1], idx.sizes[2], std::move(idx.elements)};
}

// Reads an IDX label file (magic 0x00000801): count unsigned bytes. (Their range is checked by
// check_labels / check_dataset.)
inline idx_labels read_idx_labels(const std::filesystem::path& file) {
    detail::datasets::ubyte_idx idx = detail::datasets::read_ubyte_idx(file, 1, "labels");
    return {idx.sizes[0], std::move(idx.elements)};
}

// Throws data_error (naming `file`) unless every label is below `classes`.
inline void check_labels(const idx_labels& labels, const std::filesystem::path& file,
                         std::size_t classes = 10) {
    for (std::size_t i = 0; i < labels.labels.size(); ++i)
        if (std::size_t{labels.labels[i]} >= classes)
            detail::datasets::fail(file, "has label " + std::to_string(labels.labels[i]) +
                                             " at index " + std::to_string(i) +
                                             ", outside the classes 0.." +
                                             std::to_string(classes - 1));
}

// Throws data_error unless the labels are in range and there is one label per image.
inline void check_dataset(const dataset& d, const std::filesystem::path& images_file,
                          const std::filesystem::path& labels_file, std::size_t classes = 10) {
    check_labels(d.labels, labels_file, classes);
    if (d.labels.count != d.images.count)
        detail::datasets::fail(
            labels_file, "has " + std::to_string(d.labels.count) + " labels but the image file " +
                             detail::datasets::quoted(images_file) + " has " +
                             std::to_string(d.images.count) + " images (count mismatch)");
}

// Reads an image file and its label file and checks them against each other (check_dataset).
inline dataset read_idx_dataset(const std::filesystem::path& images_file,
                                const std::filesystem::path& labels_file,
                                std::size_t classes = 10) {
    dataset d{read_idx_images(images_file), read_idx_labels(labels_file)};
    check_dataset(d, images_file, labels_file, classes);
    return d;
}

// Where Debian's dataset-fashion-mnist installs the files.
inline constexpr const char* debian_fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";

// $TAPELESS_FASHION_MNIST if set and not empty, else Debian's directory.
inline std::filesystem::path fashion_mnist_dir() {
    if (const char* env = std::getenv("TAPELESS_FASHION_MNIST"); env != nullptr && *env != '\0')
        return env;
    return debian_fashion_mnist_dir;
}

// The files of a split: {train,t10k}-images-idx3-ubyte.gz and {train,t10k}-labels-idx1-ubyte.gz.
inline std::filesystem::path fashion_mnist_images_file(const std::filesystem::path& dir, split s) {
    return detail::datasets::fashion_file(dir, s, "images-idx3");
}
inline std::filesystem::path fashion_mnist_labels_file(const std::filesystem::path& dir, split s) {
    return detail::datasets::fashion_file(dir, s, "labels-idx1");
}

// Loads a Fashion-MNIST split from `dir`: 28 × 28 images, labels 0..9, one label per image.
inline dataset load_fashion_mnist(const std::filesystem::path& dir, split s) {
    const auto images_file = fashion_mnist_images_file(dir, s);
    const auto labels_file = fashion_mnist_labels_file(dir, s);
    dataset d = read_idx_dataset(images_file, labels_file, 10);
    if (d.images.rows != 28 || d.images.cols != 28)
        detail::datasets::fail(images_file, "has wrong dimensions: its images are " +
                                                std::to_string(d.images.rows) + " × " +
                                                std::to_string(d.images.cols) +
                                                ", Fashion-MNIST's are 28 × 28");
    return d;
}

// Loads a Fashion-MNIST split from fashion_mnist_dir().
inline dataset load_fashion_mnist(split s) {
    return load_fashion_mnist(fashion_mnist_dir(), s);
}

// Pixels scaled to [0, 1]: out[i] = in[i] / 255 (correctly rounded in T). Sizes must match.
template <std::floating_point T>
void normalize_pixels(std::span<const std::uint8_t> in, std::span<T> out) {
    if (in.size() != out.size())
        throw std::invalid_argument(
            "tapeless::nn::normalize_pixels: input and output sizes differ");
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = static_cast<T>(in[i]) / T(255);
}

// All pixels of `images` scaled to [0, 1], image after image.
template <std::floating_point T = float>
std::vector<T> normalized_pixels(const idx_images& images) {
    std::vector<T> out(images.pixels.size());
    normalize_pixels<T>(images.pixels, out);
    return out;
}

} // namespace tapeless::nn

#endif // TAPELESS_NN_DATA_HPP
