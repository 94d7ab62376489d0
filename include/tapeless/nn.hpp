// tapeless/nn.hpp — the nn layer (networks, training, data) on top of tapeless.hpp. Needs the
// CMake target tapeless::nn, which brings zlib.
#ifndef TAPELESS_NN_HPP
#define TAPELESS_NN_HPP

#include "tapeless.hpp"

#include "nn/batch.hpp"
#include "nn/checkpoint.hpp"
#include "nn/data.hpp"
#include "nn/mlp.hpp"
#include "nn/optim.hpp"
#include "nn/random.hpp"
#include "nn/serialize.hpp"
#include "nn/train.hpp"

#endif  // TAPELESS_NN_HPP
