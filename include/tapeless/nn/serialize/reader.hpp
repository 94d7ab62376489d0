// tapeless/nn/serialize/reader.hpp — load_tensors: a model file read and checked before any tensor
// is written.
//
// Loading reads the header first and checks it as it goes: the magic, the version (a newer one is
// refused by name, since its layout is unknown), the element type and the tensor count against
// the model's as soon as each is read (a file of another model is refused without reading more of
// it), then the structure of every shape and that the file is exactly as long as the header says
// (from its size: nothing more is read). Only then are the shapes compared with the model's, so a
// damaged dimension is called a length mismatch rather than another model's shape. Then the data
// and the checksum are read and checked: a damaged byte of the data or of the checksum is a
// checksum mismatch. (A damaged element type or tensor count field is reported as a mismatch with
// the model: no checksum is read before them.) The file is read into one buffer, reserved once at
// the size of the model's file (never more than the file's size, whatever its header claims), and
// the destination tensors are written only after every check passed: a bad file leaves them as
// they were. Only a regular file is opened: a FIFO or a device is refused, never waited on.
#ifndef TAPELESS_NN_SERIALIZE_READER_HPP
#define TAPELESS_NN_SERIALIZE_READER_HPP

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bytes.hpp"
#include "error.hpp"
#include "format.hpp"
#include "unique_fd.hpp"

namespace tapeless::nn {

namespace detail::serialize {

// A model file read on demand into one buffer, reserved once: the buffer never holds more than
// the file, nor more than `capacity` bytes (callers stop before reading past that).
class model_reader {
public:
    model_reader(const std::filesystem::path& file, std::size_t capacity) : file_(file) {
        // stat first, and open without blocking: a FIFO or a device is refused, never opened for
        // a read that could wait forever.
        struct ::stat st {};
        if (::stat(file.c_str(), &st) != 0) fail(file_, "cannot open: " + errno_text(errno));
        if (!S_ISREG(st.st_mode)) fail(file_, "cannot open: not a regular file");
        fd_ = unique_fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
        if (fd_.get() < 0) fail(file_, "cannot open: " + errno_text(errno));
        if (::fstat(fd_.get(), &st) != 0) fail(file_, "cannot open: " + errno_text(errno));
        if (!S_ISREG(st.st_mode)) fail(file_, "cannot open: not a regular file"); // replaced
        size_ = static_cast<std::uint64_t>(st.st_size);
        capacity_ = static_cast<std::size_t>(std::min<std::uint64_t>(size_, capacity));
        bytes_.reserve(capacity_);
    }

    const std::filesystem::path& file() const noexcept { return file_; }
    std::uint64_t file_size() const noexcept { return size_; }
    std::size_t position() const noexcept { return pos_; }

    // The next bytes, up to n of them (fewer only at the end of the file or of the capacity);
    // does not advance.
    std::span<const std::uint8_t> peek(std::size_t n) {
        while (bytes_.size() - pos_ < n && bytes_.size() < capacity_) {
            const std::size_t old = bytes_.size();
            const std::size_t want = std::min(pos_ + n, capacity_) - old;
            bytes_.resize(old + want); // within the reserved capacity: no reallocation
            const ::ssize_t got = ::read(fd_.get(), bytes_.data() + old, want);
            const int e = errno;
            bytes_.resize(old + static_cast<std::size_t>(std::max<::ssize_t>(got, 0)));
            if (got < 0 && e != EINTR) fail(file_, "cannot read: " + errno_text(e));
            if (got == 0) break; // the file shrank since fstat
        }
        return std::span<const std::uint8_t>(bytes_).subspan(pos_,
                                                             std::min(n, bytes_.size() - pos_));
    }

    // The next n bytes, advancing past them; if the file ends first, "truncated" naming `where`.
    const std::uint8_t* take(std::size_t n, std::string_view where) {
        if (peek(n).size() < n) {
            if (bytes_.empty()) fail(file_, "truncated: the file is empty");
            fail(file_, "truncated: the file ends after " + std::to_string(bytes_.size()) +
                            " bytes, inside " + std::string(where));
        }
        const std::uint8_t* p = bytes_.data() + pos_;
        pos_ += n;
        return p;
    }
    std::uint32_t u32(std::string_view where) { return get_le<std::uint32_t>(take(4, where)); }
    std::uint64_t u64(std::string_view where) { return get_le<std::uint64_t>(take(8, where)); }

    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }
    std::vector<std::uint8_t> release() noexcept { return std::move(bytes_); }

private:
    std::filesystem::path file_;
    unique_fd fd_;
    std::uint64_t size_ = 0;
    std::size_t capacity_ = 0;
    std::vector<std::uint8_t> bytes_;
    std::size_t pos_ = 0;
};

inline void read_magic(model_reader& in) {
    const auto head = in.peek(magic.size());
    if (!std::equal(head.begin(), head.end(), magic.begin(),
                    [](std::uint8_t b, char c) { return b == static_cast<std::uint8_t>(c); }))
        fail(in.file(), "not a tapeless model (bad magic)");
    (void)in.take(magic.size(), "the 8-byte magic");
}

inline void read_version(model_reader& in) {
    const std::uint32_t version = in.u32("the format version");
    if (version > model_format_version)
        fail(in.file(), "version " + std::to_string(version) + " is newer than this reader (" +
                            std::to_string(model_format_version) + ")");
    if (version == 0) fail(in.file(), "corrupt header: format version 0 (versions start at 1)");
}

inline const element_type& read_element_type(model_reader& in) {
    const std::uint32_t code = in.u32("the element type");
    for (const auto& type : element_types)
        if (type.code == code) return type;
    fail(in.file(), "corrupt header: unknown element type code " + std::to_string(code) +
                        " (1 = float32, 2 = float64)");
}

// a · b, or false if it does not fit in 64 bits.
inline bool multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
    if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) return false;
    out = a * b;
    return true;
}

inline tensor_shape read_shape(model_reader& in, std::size_t k) {
    char where[48]; // no allocation per tensor
    std::snprintf(where, sizeof where, "the shape of tensor %zu", k);
    tensor_shape s;
    s.rank = in.u32(where);
    if (s.rank != 1 && s.rank != 2)
        fail(in.file(), "corrupt header: tensor " + std::to_string(k) + " has rank " +
                            std::to_string(s.rank) + " (ranks are 1 or 2)");
    for (std::uint32_t d = 0; d < s.rank; ++d) s.dims[d] = in.u64(where);
    return s;
}

// What a file's header says beyond what it shares with the model.
struct file_header {
    std::uint64_t data_bytes = 0; // the elements the shapes describe, in bytes
    std::size_t mismatch = std::numeric_limits<std::size_t>::max(); // the first other shape
    tensor_shape mismatch_shape;
};

// Reads the header, checking as it goes: the element type and the tensor count against the model
// as soon as each is read (a file of another model is refused before anything else of it is
// read), then each shape's structure. The shapes are compared with the model's later, once the
// file's length has been checked (check_shapes).
inline file_header read_header(model_reader& in, const element_type& type,
                               std::span<const tensor_shape> model) {
    read_magic(in);
    read_version(in);
    const element_type& file_type = read_element_type(in);
    if (file_type.code != type.code)
        fail(in.file(),
             std::string("element type ") + file_type.name + ", the model expects " + type.name);
    const std::uint32_t count = in.u32("the tensor count");
    if (count != model.size())
        fail(in.file(), "holds " + std::to_string(count) + " tensor" + (count == 1 ? "" : "s") +
                            ", the model expects " + std::to_string(model.size()));
    file_header h;
    for (std::size_t k = 0; k < count; ++k) {
        const tensor_shape s = read_shape(in, k);
        std::uint64_t bytes = 0;
        if (!multiply(s.dims[0], s.rank == 2 ? s.dims[1] : 1, bytes) ||
            !multiply(bytes, type.bytes, bytes) ||
            bytes > std::numeric_limits<std::uint64_t>::max() - h.data_bytes)
            fail(in.file(), "corrupt header: tensor " + std::to_string(k) + " has shape " +
                                to_string(s) + ", too large for any file");
        h.data_bytes += bytes;
        if (s != model[k] && h.mismatch == std::numeric_limits<std::size_t>::max()) {
            h.mismatch = k;
            h.mismatch_shape = s;
        }
    }
    return h;
}

// Throws unless the file is exactly as long as its header says (stat's size: nothing is read).
inline void check_length(model_reader& in, std::uint64_t data_bytes) {
    const std::uint64_t header = in.position();
    const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - header - 4;
    const std::string described =
        data_bytes > room ? "more than 2^64" : std::to_string(header + data_bytes + 4);
    if (data_bytes > room || in.file_size() < header + data_bytes + 4)
        fail(in.file(), "truncated: the file has " + std::to_string(in.file_size()) +
                            " bytes, the header describes " + described);
    if (in.file_size() > header + data_bytes + 4)
        fail(in.file(), "trailing data: the file has " + std::to_string(in.file_size()) +
                            " bytes, the header describes " + described);
}

inline void check_shapes(const std::filesystem::path& file, const file_header& h,
                         std::span<const tensor_shape> model) {
    if (h.mismatch < model.size())
        fail(file, "tensor " + std::to_string(h.mismatch) + " has shape " +
                       to_string(h.mismatch_shape) + ", the model expects " +
                       to_string(model[h.mismatch]));
}

// Reads the data and the checksum (the file's length is already known to be right) and checks
// the checksum.
inline void read_data_and_checksum(model_reader& in, std::uint64_t data_bytes) {
    (void)in.take(static_cast<std::size_t>(data_bytes), "the element data");
    const std::uint32_t stored = in.u32("the checksum");
    const auto covered = std::span(in.bytes()).first(in.position() - 4);
    if (const std::uint32_t computed = crc32_of(covered); computed != stored)
        fail(in.file(), "checksum mismatch (file says " + hex32(stored) + ", data gives " +
                            hex32(computed) + ")");
}

// The size of the file of a model: header, elements, checksum.
inline std::uint64_t model_file_size(const element_type& type,
                                     std::span<const tensor_shape> model) {
    std::uint64_t elements = 0;
    for (const auto& s : model) elements += s.dims[0] * (s.rank == 2 ? s.dims[1] : 1);
    return header_bytes(model) + elements * type.bytes + 4;
}

// The file's bytes once every check has passed; its elements start at data_offset.
struct checked_file {
    std::vector<std::uint8_t> bytes;
    std::size_t data_offset = 0;
};

inline checked_file read_checked(const std::filesystem::path& file, const element_type& type,
                                 std::span<const tensor_shape> model) {
    // One buffer: the model's file, plus room for a header whose shapes have other ranks than the
    // model's (8 bytes a tensor), and never more than the file.
    const std::uint64_t capacity = model_file_size(type, model) + 8 * model.size();
    model_reader in(file, static_cast<std::size_t>(capacity));
    const file_header h = read_header(in, type, model);
    const std::size_t data_offset = in.position();
    check_length(in, h.data_bytes);
    check_shapes(file, h, model);
    read_data_and_checksum(in, h.data_bytes);
    return {in.release(), data_offset};
}

} // namespace detail::serialize

// Reads the tensors from `file`. The element type, the tensor count and each tensor's shape must
// be those of the arguments. Throws model_error naming the file and the problem; the tensors are
// then unchanged.
template <class... Tensors>
void load_tensors(const std::filesystem::path& file, Tensors&... t) {
    namespace sd = detail::serialize;
    if constexpr (sd::check_tensor_list<true, Tensors...>()) {
        using T = sd::element_of<Tensors...>;
        constexpr std::array<sd::tensor_shape, sizeof...(Tensors)> model{
            sd::traits_of<Tensors>::shape...};
        const auto checked = sd::read_checked(file, sd::element_type_of<T>(), model);
        const std::uint8_t* p = checked.bytes.data() + checked.data_offset;
        ((p = sd::get_elements(p, std::span<T>(data_of(t), sd::traits_of<Tensors>::size))), ...);
    }
}

// The same with the tensors in a tuple: load_tensors(file, std::tie(w, b)).
template <class... Ts>
void load_tensors(const std::filesystem::path& file, std::tuple<Ts...>& tensors) {
    std::apply([&file](auto&... t) { load_tensors(file, t...); }, tensors);
}
// load_tensors(file, std::tie(w, b)): the tuple is a temporary, its references are not.
template <class... Ts>
void load_tensors(const std::filesystem::path& file, std::tuple<Ts&...>&& tensors) {
    std::apply([&file](auto&... t) { load_tensors(file, t...); }, tensors);
}

} // namespace tapeless::nn

#endif
