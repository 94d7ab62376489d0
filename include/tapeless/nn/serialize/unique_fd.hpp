// tapeless/nn/serialize/unique_fd.hpp — a POSIX file descriptor that closes itself.
#ifndef TAPELESS_NN_SERIALIZE_UNIQUE_FD_HPP
#define TAPELESS_NN_SERIALIZE_UNIQUE_FD_HPP

#include <unistd.h>

#include <utility>

namespace tapeless::nn::detail::serialize {

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

} // namespace tapeless::nn::detail::serialize

#endif
