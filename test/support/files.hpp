// test/support/files.hpp — scratch files for the tests that read and write them (the nn data
// reader, model files): a temporary directory removed afterwards, and whole files as bytes.
//
//   tapeless_test::temp_dir dir("tapeless_nn_data");     // <tmp>/tapeless_nn_data_<pid>_<k>
//   tapeless_test::write_file(dir.path / "a.bin", bytes);
//   auto back = tapeless_test::read_file(dir.path / "a.bin");
#ifndef TAPELESS_TEST_SUPPORT_FILES_HPP
#define TAPELESS_TEST_SUPPORT_FILES_HPP

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace tapeless_test {

using bytes = std::vector<std::uint8_t>;

// A fresh directory under the system's temporary directory, named after the test (prefix), the
// process and a counter, removed with everything in it when it goes out of scope.
struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(const std::string& prefix) {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
};

// Writes content to file, replacing it.
inline void write_file(const std::filesystem::path& file, const bytes& content) {
    std::ofstream os(file, std::ios::binary | std::ios::trunc);
    os.write(reinterpret_cast<const char*>(content.data()),
             static_cast<std::streamsize>(content.size()));
    BOOST_REQUIRE(os.good());
}

// The whole file (empty if it cannot be read).
inline bytes read_file(const std::filesystem::path& file) {
    std::ifstream is(file, std::ios::binary);
    return bytes(std::istreambuf_iterator<char>(is), std::istreambuf_iterator<char>());
}

} // namespace tapeless_test

#endif
