// tapeless/nn.hpp — the nn layer (networks, training, data) on top of tapeless.hpp. Needs the
// CMake target tapeless::nn, which brings zlib.
#ifndef TAPELESS_NN_HPP
#define TAPELESS_NN_HPP

#include "nn/batch.hpp"
#include "nn/checkpoint.hpp"
#include "nn/data.hpp"
#include "nn/mlp.hpp"
#include "nn/optim.hpp"
#include "nn/random.hpp"
#include "nn/serialize.hpp"
#include "nn/train.hpp"
#include "tapeless.hpp"

#endif // TAPELESS_NN_HPP
