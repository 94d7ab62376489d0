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
// The parts, in nn/serialize/: format.hpp (the file format and the tensors it holds), bytes.hpp
// (little-endian bytes and the checksum), atomic_file.hpp (how a file is replaced atomically),
// writer.hpp (save_tensors), reader.hpp (load_tensors and its checks), error.hpp (model_error)
// and unique_fd.hpp.
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

#include "serialize/error.hpp"
#include "serialize/format.hpp"
#include "serialize/reader.hpp"
#include "serialize/writer.hpp"

#endif // TAPELESS_NN_SERIALIZE_HPP
