// tapeless/nn/serialize/error.hpp — model_error, the exception of model files, and the wording of
// its messages.
//
// Every problem of saving or loading is a model_error whose what() names the file in quotes and
// then the problem; the helpers below word the problems alike.
#ifndef TAPELESS_NN_SERIALIZE_ERROR_HPP
#define TAPELESS_NN_SERIALIZE_ERROR_HPP

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

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

namespace detail::serialize {

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

} // namespace detail::serialize

} // namespace tapeless::nn

#endif
