// tapeless/nn/serialize.hpp — saving and loading a network's parameters: a fixed list of tensors
// written to one file atomically and read back only once the whole file has checked out.
//
//   tl::mat<float, 784, 128> w1;  std::array<float, 128> b1;  ...
//   tl::nn::save_tensors("model.tlm", w1, b1, w2, b2);   // replaces model.tlm atomically
//   tl::nn::load_tensors("model.tlm", w1, b1, w2, b2);   // all tensors, or none on any error
//   tl::nn::load_tensors("model.tlm", std::tie(w1, b1, w2, b2));   // a tuple works too
//
// A tensor is a std::array<T, N> (a vector; a scalar is a std::array<T, 1>), a
// tapeless::mat<T, R, C> (row-major) or a tl::nn::tensor_view of memory elsewhere, with T float or
// double; the tensors of one file share T.
// Anything else is a static_assert. The model's tensor list is fixed at compile time, so loading
// knows exactly what the file must hold and checks it against that.
//
// File format, version 1. Integers are unsigned, fixed-width and little-endian and are written
// byte by byte (no struct is dumped, so neither padding nor the host's byte order reaches the
// file):
//
//   offset  size          field
//   0       8             magic "TLMODEL\0"
//   8       u32           format version: 1
//   12      u32           element type: 1 = float32, 2 = float64 (IEEE 754 binary32 / binary64)
//   16      u32           tensor count n
//   20      per tensor    u32 rank (1 or 2), then one u64 per dimension (a matrix: rows, columns)
//   ...     data          the tensors' elements, tensor after tensor, each tensor row-major; an
//                         element is the little-endian bytes of its IEEE bit pattern (4 or 8)
//   end-4   u32           CRC-32 of every byte before it (zlib's crc32, the CRC of gzip and PNG)
//
// Elements go through std::bit_cast to an unsigned integer, and that goes out byte by byte, so the
// file is little-endian on any host (a big-endian machine converts; no host-order raw dump is
// ever made) and NaN payloads, −0 and subnormals come back bit for bit.
//
// Saving is atomic. The bytes go to a new temporary file in the target's directory, which is
// fsynced and closed and then renamed over <file>; rename replaces a file in one step, so a reader
// sees the old file or the new one, never a mix, even if the process dies half-way. Then the
// directory is fsynced so that the rename itself is on disk (best effort: the new file is already
// in place, so a failure there is not reported). If anything before the rename fails, the
// temporary file is removed and the old file is left as it was.
//   The temporary is unnamed while it is written where the system has O_TMPFILE (Linux, on most
// file systems): a save killed while writing leaves nothing behind. It gets a name only once it
// is complete, and elsewhere it has one from the start: .tapeless-<H>-<R>.tmp, 47 bytes whatever
// the target's name (so any name the file system accepts can be saved), H a hash of the target's
// name, R 64 random bits, created with O_EXCL and a new R on every attempt, so no file left
// behind by anyone can make a save fail. A save holds its temporary flock-ed while it has it open;
// after a successful save, the temporaries of the same target that are regular files of this
// user, not modified for 10 minutes (stale_temporary_seconds) and not locked are removed: those
// are what saves that died left behind.
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
//
// Every problem is a tl::nn::model_error (a std::runtime_error) whose what() names the file in
// quotes and then the problem, e.g.
//   "model.tlm": tensor 2 has shape 128×10, the model expects 784×128
//   "model.tlm": checksum mismatch (file says 0x1C291CA3, data gives 0x5E8D3A1B)
// Tensors are numbered from 0 in the order they are passed.
//
// POSIX only (open, write, fsync, rename, flock; O_TMPFILE and linkat through /proc/self/fd where
// they work). Link the CMake target tapeless::nn (it brings zlib).
#ifndef TAPELESS_NN_SERIALIZE_HPP
#define TAPELESS_NN_SERIALIZE_HPP

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/array.hpp"

namespace tapeless::nn {

// A model file that cannot be written or used: what() is "\"<file>\": <problem>".
class model_error : public std::runtime_error {
public:
    model_error(std::filesystem::path file, const std::string& problem)
        : std::runtime_error("\"" + file.string() + "\": " + problem), file_(std::move(file)) {}
    const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
};

// The format version this header writes and the newest it reads.
inline constexpr std::uint32_t model_format_version = 1;

// A tensor of static shape over memory owned elsewhere: Rows elements (Cols = 0, a vector) or a
// Rows × Cols row-major matrix starting at `data`. Saved and loaded like a std::array or a
// tapeless::mat of that shape (a model's flat parameters are saved through views of its layers).
template <class T, std::size_t Rows, std::size_t Cols = 0>
struct tensor_view {
    T* data;
    friend constexpr T* data_of(const tensor_view& v) noexcept { return v.data; }
};

namespace serialize_detail {

inline constexpr std::array<char, 8> magic{'T', 'L', 'M', 'O', 'D', 'E', 'L', '\0'};

[[noreturn]] inline void fail(const std::filesystem::path& file, const std::string& problem) {
    throw model_error(file, problem);
}

inline std::string quoted(const std::filesystem::path& file) {
    return "\"" + file.string() + "\"";
}

inline std::string errno_text(int e) {
    return e != 0 ? std::strerror(e) : "unknown error";
}

inline std::string hex32(std::uint32_t v) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(v));
    return text;
}

// ---- the element types and tensor shapes a file can hold ---------------------------------------

struct element_type {
    std::uint32_t code;
    std::size_t bytes;
    const char* name;
};
inline constexpr std::array<element_type, 2> element_types{{{1, 4, "float32"}, {2, 8, "float64"}}};

template <class T>
inline constexpr bool is_element = std::is_same_v<T, float> || std::is_same_v<T, double>;

template <class T>
constexpr const element_type& element_type_of() {
    static_assert(std::numeric_limits<T>::is_iec559 && (sizeof(T) == 4 || sizeof(T) == 8),
                  "tapeless::nn: model files hold IEEE 754 binary32 or binary64 elements");
    return sizeof(T) == 4 ? element_types[0] : element_types[1];
}

// A rank-1 shape has dims[1] == 0, so that shapes compare with ==.
struct tensor_shape {
    std::uint32_t rank = 1;
    std::array<std::uint64_t, 2> dims{};
    friend bool operator==(const tensor_shape&, const tensor_shape&) = default;
};

inline std::string to_string(const tensor_shape& s) {
    std::string text = std::to_string(s.dims[0]);
    if (s.rank == 2) text += "×" + std::to_string(s.dims[1]);
    return text;
}

// What save_tensors and load_tensors accept; `element` is void for anything else.
template <class X>
struct tensor_traits {
    static constexpr bool is_tensor = false;
    using element = void;
};
template <class T, std::size_t N>
struct tensor_traits<std::array<T, N>> {
    static constexpr bool is_tensor = is_element<T>;
    using element = T;
    static constexpr tensor_shape shape{1, {N, 0}};
    static constexpr std::size_t size = N;
};
template <class T, std::size_t R, std::size_t C>
struct tensor_traits<mat<T, R, C>> {
    static constexpr bool is_tensor = is_element<T>;
    using element = T;
    static constexpr tensor_shape shape{2, {R, C}};
    static constexpr std::size_t size = R * C;
};
template <class T, std::size_t R, std::size_t C>
struct tensor_traits<tensor_view<T, R, C>> {
    static constexpr bool is_tensor = is_element<std::remove_const_t<T>> && R > 0;
    using element = std::remove_const_t<T>;
    static constexpr tensor_shape shape =
        C == 0 ? tensor_shape{1, {R, 0}} : tensor_shape{2, {R, C}};
    static constexpr std::size_t size = C == 0 ? R : R * C;
};

template <class X>
using traits_of = tensor_traits<std::remove_cv_t<X>>;

template <class X, class... Rest>
inline constexpr bool same_element =
    (std::is_same_v<typename traits_of<X>::element, typename traits_of<Rest>::element> && ...);

// The compile-time checks of a tensor list (Load: the tensors receive values). True if they pass;
// otherwise a static_assert has said what is wrong, and the caller compiles nothing more.
template <bool Load, class... Tensors>
constexpr bool check_tensor_list() {
    constexpr bool some = sizeof...(Tensors) > 0;
    constexpr bool all_tensors = (traits_of<Tensors>::is_tensor && ...);
    constexpr bool one_element = !some || !all_tensors || same_element<Tensors...>;
    constexpr bool writable = !Load || (!std::is_const_v<Tensors> && ...);
    static_assert(some, "tapeless::nn::save_tensors and load_tensors need at least one tensor");
    static_assert(all_tensors,
                  "tapeless::nn::save_tensors and load_tensors: every argument must be a tensor, "
                  "a std::array<T, N> or a tapeless::mat<T, R, C> with T float or double (a "
                  "scalar is a std::array<T, 1>)");
    static_assert(one_element,
                  "tapeless::nn::save_tensors and load_tensors: the tensors of one file must "
                  "have one element type, all float or all double");
    static_assert(writable, "tapeless::nn::load_tensors: the tensors receive the loaded values, "
                            "so none of them may be const");
    return some && all_tensors && one_element && writable;
}

template <class... Tensors>
using element_of = typename traits_of<std::tuple_element_t<0, std::tuple<Tensors...>>>::element;

// ---- little-endian bytes -----------------------------------------------------------------------

template <class U>
void put_le(std::vector<std::uint8_t>& out, U v) {
    for (std::size_t k = 0; k < sizeof(U); ++k)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

template <class U>
U get_le(const std::uint8_t* p) {
    U v = 0;
    for (std::size_t k = 0; k < sizeof(U); ++k)
        v |= static_cast<U>(static_cast<U>(p[k]) << (8 * k));
    return v;
}

template <class T>
using bits_of = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
void put_elements(std::vector<std::uint8_t>& out, std::span<const T> elements) {
    for (const T x : elements) put_le(out, std::bit_cast<bits_of<T>>(x));
}

template <class T>
const std::uint8_t* get_elements(const std::uint8_t* p, std::span<T> elements) {
    for (T& x : elements) {
        x = std::bit_cast<T>(get_le<bits_of<T>>(p));
        p += sizeof(T);
    }
    return p;
}

// zlib's crc32 takes at most a uInt of bytes per call.
inline std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
    uLong crc = ::crc32(0L, nullptr, 0);
    while (!bytes.empty()) {
        const std::size_t n = std::min<std::size_t>(bytes.size(), std::size_t{1} << 30);
        crc = ::crc32(crc, bytes.data(), static_cast<uInt>(n));
        bytes = bytes.subspan(n);
    }
    return static_cast<std::uint32_t>(crc);
}

// ---- the file's header, written -------------------------------------------------------------

inline std::size_t header_bytes(std::span<const tensor_shape> shapes) {
    std::size_t n = magic.size() + 3 * 4;
    for (const auto& s : shapes) n += 4 + 8 * std::size_t{s.rank};
    return n;
}

inline void put_header(std::vector<std::uint8_t>& out, const element_type& type,
                       std::span<const tensor_shape> shapes) {
    for (const char c : magic) out.push_back(static_cast<std::uint8_t>(c));
    put_le(out, model_format_version);
    put_le(out, type.code);
    put_le(out, static_cast<std::uint32_t>(shapes.size()));
    for (const auto& s : shapes) {
        put_le(out, s.rank);
        for (std::uint32_t d = 0; d < s.rank; ++d) put_le(out, s.dims[d]);
    }
}

// The whole file: header, elements, checksum.
template <class... Tensors>
std::vector<std::uint8_t> encode(const Tensors&... t) {
    using T = element_of<Tensors...>;
    static_assert(sizeof...(Tensors) <= std::numeric_limits<std::uint32_t>::max());
    constexpr std::array<tensor_shape, sizeof...(Tensors)> shapes{traits_of<Tensors>::shape...};
    std::vector<std::uint8_t> out;
    out.reserve(header_bytes(shapes) + (traits_of<Tensors>::size + ...) * sizeof(T) + 4);
    put_header(out, element_type_of<T>(), shapes);
    (put_elements(out, std::span<const T>(data_of(t), traits_of<Tensors>::size)), ...);
    put_le(out, crc32_of(out));
    return out;
}

// ---- writing a file atomically ----------------------------------------------------------------

// A POSIX file descriptor, closed on destruction.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    ~unique_fd() { reset(); }
    int get() const noexcept { return fd_; }
    // Closes now and returns close's result (0, or -1 with errno set); a later close is a no-op.
    int close() noexcept { return fd_ < 0 ? 0 : ::close(std::exchange(fd_, -1)); }

private:
    void reset() noexcept { (void)close(); }
    int fd_ = -1;
};

// The temporary files of a save of <dir>/<name> are <dir>/.tapeless-<H>-<R>.tmp: H is 16 hex
// digits of a hash of <name> (so that the stale temporaries of one target can be found), R 16 hex
// digits of randomness (a new one for every attempt). 47 bytes whatever the target's name, so any
// name the file system accepts can be saved.
inline constexpr std::string_view temporary_prefix = ".tapeless-";
inline constexpr std::string_view temporary_suffix = ".tmp";
inline constexpr std::size_t temporary_name_size =
    temporary_prefix.size() + 16 + 1 + 16 + temporary_suffix.size();

// A temporary older than this, and not locked, was left by a save that died; it is removed.
inline constexpr long stale_temporary_seconds = 600;

inline std::string hex64(std::uint64_t v) {
    char text[20];
    std::snprintf(text, sizeof text, "%016llX", static_cast<unsigned long long>(v));
    return text;
}

// FNV-1a, 64 bits.
inline std::uint64_t name_hash(std::string_view name) noexcept {
    std::uint64_t h = 0xCBF29CE484222325u;
    for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3u;
    return h;
}

// 64 unpredictable bits: the system's random device when there is one, mixed (splitmix64) with
// the process id, the time and a counter, so that two processes or two calls never repeat.
inline std::uint64_t random_bits() {
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t x = counter.fetch_add(1, std::memory_order_relaxed) * 0x9E3779B97F4A7C15u;
    try {
        std::random_device device;
        x ^= (std::uint64_t{device()} << 32) ^ device();
    } catch (...) { // no random device: the other sources still differ
    }
    x ^= static_cast<std::uint64_t>(::getpid()) << 40;
    x ^= static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

inline std::string temporary_stem(const std::filesystem::path& file) {
    return std::string(temporary_prefix) + hex64(name_hash(file.filename().native())) + "-";
}

inline std::filesystem::path new_temporary_name(const std::filesystem::path& file) {
    return file.parent_path() /
           (temporary_stem(file) + hex64(random_bits()) + std::string(temporary_suffix));
}

// The open temporary file: unnamed (O_TMPFILE, linked under a name only when complete) or named
// from the start. Removed on the way out unless the rename has consumed it.
struct temporary_file {
    std::filesystem::path path; // empty while unnamed
    unique_fd fd;
    bool renamed = false;
    temporary_file() = default;
    temporary_file(const temporary_file&) = delete;
    temporary_file& operator=(const temporary_file&) = delete;
    ~temporary_file() { discard(); }
    void discard() noexcept {
        (void)fd.close();
        if (!renamed && !path.empty()) ::unlink(path.c_str());
        path.clear();
        renamed = false;
    }
};

// The file's directory as open() takes it.
inline std::string directory_of(const std::filesystem::path& file) {
    return file.parent_path().empty() ? std::string(".") : file.parent_path().string();
}

// While a save holds its temporary open, the temporary is flock-ed: the stale-temporary cleanup
// of another save skips it. Best effort (a file system without flock just relies on the age).
inline void lock_temporary(const temporary_file& tmp) noexcept {
    (void)::flock(tmp.fd.get(), LOCK_EX | LOCK_NB);
}

// An unnamed temporary file in the target's directory (Linux's O_TMPFILE): a save that dies
// before the link leaves nothing behind. False where the system or file system has none.
inline bool open_unnamed_temporary(const std::filesystem::path& file, temporary_file& tmp) {
#if defined(O_TMPFILE)
    const int fd = ::open(directory_of(file).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0) return false;
    tmp.fd = unique_fd(fd);
    lock_temporary(tmp);
    return true;
#else
    (void)file;
    (void)tmp;
    return false;
#endif
}

// Gives the unnamed temporary a fresh temporary name (through /proc/self/fd, which linkat
// follows). False if that is impossible here (no /proc, ...): the save then starts again with a
// named temporary.
inline bool link_unnamed_temporary(const std::filesystem::path& file, temporary_file& tmp) {
    const std::string source = "/proc/self/fd/" + std::to_string(tmp.fd.get());
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::filesystem::path candidate = new_temporary_name(file);
        if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW) ==
            0) {
            tmp.path = candidate;
            return true;
        }
        if (errno != EEXIST) return false;
    }
    return false;
}

// Creates a named temporary next to `file`, exclusively (O_EXCL), with a fresh random name for
// every attempt: a name that exists already, whoever left it, is skipped.
inline void create_named_temporary(const std::filesystem::path& file, temporary_file& tmp) {
    for (int attempt = 0;; ++attempt) {
        const std::filesystem::path candidate = new_temporary_name(file);
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            tmp.path = candidate;
            tmp.fd = unique_fd(fd);
            lock_temporary(tmp);
            return;
        }
        const int e = errno;
        if (e != EEXIST || attempt == 99)
            fail(file, "cannot write: cannot create the temporary file " + quoted(candidate) +
                           ": " + errno_text(e));
    }
}

// True for a name this header gives the temporaries of `file` (.tapeless-<H>-<16 hex>.tmp).
inline bool is_temporary_of(std::string_view name, std::string_view stem) noexcept {
    if (name.size() != temporary_name_size || !name.starts_with(stem) ||
        !name.ends_with(temporary_suffix))
        return false;
    const auto random = name.substr(stem.size(), 16);
    return std::all_of(random.begin(), random.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
}

// Removes the temporaries of `file` that saves which died left behind: only names of the
// pattern above, only regular files of this user, only those not modified for
// stale_temporary_seconds and not flock-ed by a save in progress, and only if the name still
// refers to the file that was checked. Best effort: never throws, never fails a save.
inline void remove_stale_temporaries(const std::filesystem::path& file) noexcept {
    try {
        const std::string stem = temporary_stem(file);
        const std::string dir = directory_of(file);
        std::error_code ec;
        std::filesystem::directory_iterator it(dir, ec);
        for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
            const std::filesystem::path candidate = it->path();
            if (!is_temporary_of(candidate.filename().native(), stem)) continue;
            const unique_fd fd(::open(candidate.c_str(),
                                      O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
            struct ::stat st {};
            if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
                st.st_uid != ::geteuid())
                continue;
            const auto age = std::chrono::system_clock::now() -
                             std::chrono::system_clock::from_time_t(st.st_mtime);
            if (age < std::chrono::seconds(stale_temporary_seconds)) continue;
            if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue; // a live save holds it
            struct ::stat now {};
            if (::lstat(candidate.c_str(), &now) == 0 && now.st_dev == st.st_dev &&
                now.st_ino == st.st_ino)
                ::unlink(candidate.c_str());
        }
    } catch (...) { // out of memory while listing: leave the rest for a later save
    }
}

// Writes all of `bytes`, or, when interrupt_after <= bytes.size(), that many and then throws as
// an interrupted save would (the test hook).
inline void write_all(const std::filesystem::path& file, const temporary_file& tmp,
                      std::span<const std::uint8_t> bytes, std::uint64_t interrupt_after) {
    const bool interrupt = interrupt_after <= bytes.size();
    auto rest = interrupt ? bytes.first(static_cast<std::size_t>(interrupt_after)) : bytes;
    const std::string name = tmp.path.empty() ? std::string("(unnamed)") : quoted(tmp.path);
    while (!rest.empty()) {
        const ::ssize_t n = ::write(tmp.fd.get(), rest.data(), rest.size());
        if (n < 0) {
            const int e = errno;
            if (e == EINTR) continue;
            fail(file, "cannot write: writing the temporary file " + name + ": " + errno_text(e));
        }
        rest = rest.subspan(static_cast<std::size_t>(n));
    }
    if (interrupt)
        fail(file, "cannot write: interrupted after " + std::to_string(interrupt_after) + " of " +
                       std::to_string(bytes.size()) + " bytes (simulated)");
    if (::fsync(tmp.fd.get()) != 0)
        fail(file, "cannot write: fsync of the temporary file " + name + ": " + errno_text(errno));
}

// Makes a rename in `dir` durable. Best effort: some file systems refuse fsync on a directory,
// and by now the new file is in place anyway.
inline void sync_directory(const std::filesystem::path& file) noexcept {
    const unique_fd fd(::open(directory_of(file).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() >= 0) (void)::fsync(fd.get());
}

// No interruption: save_tensors's value for save_options::interrupt_after.
inline constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();

// The test hooks of a save: fail as if interrupted once interrupt_after bytes of the file are
// written (0 .. file size; `never` for a real save); unnamed = false skips the O_TMPFILE path;
// after_write, if set, is called once the temporary is written and synced (before it is linked
// or renamed: a test ends the process there, as a kill would).
struct save_options {
    std::uint64_t interrupt_after = never;
    bool unnamed = true;
    void (*after_write)() = nullptr;
};

inline void write_atomically(const std::filesystem::path& file, std::span<const std::uint8_t> bytes,
                             const save_options& options) {
    if (!file.has_filename()) fail(file, "cannot write: the path names no file");
    temporary_file tmp;
    bool written = false;
    if (options.unnamed && open_unnamed_temporary(file, tmp)) {
        write_all(file, tmp, bytes, options.interrupt_after);
        if (options.after_write != nullptr) options.after_write();
        written = link_unnamed_temporary(file, tmp);
        if (!written) tmp.discard();
    }
    if (!written) {
        create_named_temporary(file, tmp);
        write_all(file, tmp, bytes, options.interrupt_after);
        if (options.after_write != nullptr) options.after_write();
    }
    if (tmp.fd.close() != 0)
        fail(file, "cannot write: closing the temporary file " + quoted(tmp.path) + ": " +
                       errno_text(errno));
    if (::rename(tmp.path.c_str(), file.c_str()) != 0)
        fail(file, "cannot rename the temporary file " + quoted(tmp.path) +
                       " over it: " + errno_text(errno));
    tmp.renamed = true;
    sync_directory(file);
    remove_stale_temporaries(file);
}

// save_tensors, with the test hooks of save_options.
template <class... Tensors>
void save_tensors_with(const std::filesystem::path& file, const save_options& options,
                       const Tensors&... t) {
    if constexpr (check_tensor_list<false, Tensors...>())
        write_atomically(file, encode(t...), options);
}

// ---- reading a file ---------------------------------------------------------------------------

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

} // namespace serialize_detail

// Writes the tensors to `file` (format above), atomically replacing any file there. Throws
// model_error naming the file if it cannot be written; the old file is then untouched.
template <class... Tensors>
void save_tensors(const std::filesystem::path& file, const Tensors&... t) {
    serialize_detail::save_tensors_with(file, serialize_detail::save_options{}, t...);
}

// Reads the tensors from `file`. The element type, the tensor count and each tensor's shape must
// be those of the arguments. Throws model_error naming the file and the problem; the tensors are
// then unchanged.
template <class... Tensors>
void load_tensors(const std::filesystem::path& file, Tensors&... t) {
    namespace sd = serialize_detail;
    if constexpr (sd::check_tensor_list<true, Tensors...>()) {
        using T = sd::element_of<Tensors...>;
        constexpr std::array<sd::tensor_shape, sizeof...(Tensors)> model{
            sd::traits_of<Tensors>::shape...};
        const auto checked = sd::read_checked(file, sd::element_type_of<T>(), model);
        const std::uint8_t* p = checked.bytes.data() + checked.data_offset;
        ((p = sd::get_elements(p, std::span<T>(data_of(t), sd::traits_of<Tensors>::size))), ...);
    }
}

// The same with the tensors in a tuple: save_tensors(file, std::tie(w, b)), or a tuple of values.
template <class... Ts>
void save_tensors(const std::filesystem::path& file, const std::tuple<Ts...>& tensors) {
    std::apply([&file](const auto&... t) { save_tensors(file, t...); }, tensors);
}
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

#endif // TAPELESS_NN_SERIALIZE_HPP
