// tapeless/nn/serialize/atomic_file.hpp — writing a file atomically: a temporary file, fsync,
// rename.
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
// POSIX only: open, write, fsync, rename, flock; O_TMPFILE and linkat through /proc/self/fd where
// they work.
#ifndef TAPELESS_NN_SERIALIZE_ATOMIC_FILE_HPP
#define TAPELESS_NN_SERIALIZE_ATOMIC_FILE_HPP

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "error.hpp"
#include "unique_fd.hpp"

namespace tapeless::nn::detail::serialize {

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

} // namespace tapeless::nn::detail::serialize

#endif
