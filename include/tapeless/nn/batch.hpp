// tapeless/nn/batch.hpp — minibatches of static size, and their gradient over several threads.
//
//   std::vector<std::uint32_t> order = tl::nn::iota(n);  tl::nn::shuffle(g, std::span(order));
//   tl::nn::gather_batch<32, 784, 10>(pixels, labels, order, first, x, y);   // rows order[first..]
//   double J = tl::nn::parallel_loss_and_gradient<Loss, 128, 4>(m, x, y, grad);
//   auto [loss, accuracy, n] = tl::nn::evaluate<Loss, 100>(m, pixels, labels);
//
// A batch has a static number of rows (it is part of the expression's type), so an epoch is
// ⌊n / Batch⌋ batches and the last n mod Batch samples of each shuffled order are left out.
//
// parallel_loss_and_gradient splits a batch into Parts equal parts, computes each part's mean loss
// and gradient on its own (an OpenMP thread each, when compiled with OpenMP; one after the other
// otherwise) and averages them in a fixed order: the result does not depend on the number of
// threads, and equals the whole batch's gradient up to rounding (the mean over the batch is the
// mean of the parts' means).
#ifndef TAPELESS_NN_BATCH_HPP
#define TAPELESS_NN_BATCH_HPP

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "optim.hpp"
#include "train.hpp"

namespace tapeless::nn {

// 0, 1, ..., n − 1.
inline std::vector<std::uint32_t> iota(std::size_t n) {
    std::vector<std::uint32_t> v(n);
    std::iota(v.begin(), v.end(), std::uint32_t{0});
    return v;
}

// Rows order[first .. first + Batch) of a data set: their In features into x (Batch × In) and
// their labels as one-hot rows into y (Batch × Classes). A label ≥ Classes is a logic error.
template <std::size_t Batch, std::size_t In, std::size_t Classes, class T>
void gather_batch(std::span<const T> features, std::span<const std::uint8_t> labels,
                  std::span<const std::uint32_t> order, std::size_t first, T* x, T* y) {
    for (std::size_t r = 0; r < Batch; ++r) {
        const std::size_t s = order[first + r];
        const T* src = features.data() + s * In;
        for (std::size_t i = 0; i < In; ++i) x[r * In + i] = src[i];
        for (std::size_t c = 0; c < Classes; ++c) y[r * Classes + c] = T(0);
        y[r * Classes + labels[s]] = T(1);
    }
}

// The mean loss over a batch and its gradient added into grad, the batch split into Parts equal
// parts computed in parallel (see above).
template <class Loss, std::size_t Batch, std::size_t Parts, class Net, class T>
T parallel_loss_and_gradient(const model<Net, T>& m, const T* x, const T* y, T* grad) {
    static_assert(Parts > 0 && Batch % Parts == 0,
                  "tapeless::nn::parallel_loss_and_gradient<Loss, Batch, Parts>: Parts must divide "
                  "the batch size");
    constexpr std::size_t rows = Batch / Parts, P = Net::parameter_count;
    thread_local std::vector<T> part_gradients, part_losses;
    part_gradients.assign(Parts * P, T(0));
    part_losses.assign(Parts, T(0));
    T* pg = part_gradients.data();
    T* pl = part_losses.data();
    // The caller's floating-point mode (flush_denormals) holds in the worker threads too.
    [[maybe_unused]] const unsigned mode = current_fp_mode();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
    for (std::ptrdiff_t p = 0; p < static_cast<std::ptrdiff_t>(Parts); ++p) {
        set_fp_mode(mode);
        const auto k = static_cast<std::size_t>(p);
        pl[k] = loss_and_gradient<Loss, rows>(m, x + k * rows * Net::inputs,
                                              y + k * rows * Net::outputs, pg + k * P);
    }
    const T scale = T(1) / static_cast<T>(Parts);
    for (std::size_t i = 0; i < P; ++i) {
        T s = pg[i];
        for (std::size_t k = 1; k < Parts; ++k) s += pg[k * P + i];
        grad[i] += s * scale;
    }
    T J = pl[0];
    for (std::size_t k = 1; k < Parts; ++k) J += pl[k];
    return J * scale;
}

// The index of the largest of n outputs (the first, among equals): a classifier's prediction.
template <class T>
std::size_t argmax(const T* row, std::size_t n) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < n; ++c)
        if (row[c] > row[best]) best = c;
    return best;
}

template <class T>
struct evaluation {
    T loss;          // mean loss over the samples evaluated
    double accuracy; // fraction whose largest output is at their label
    std::size_t samples;
};

// The mean loss and the classification accuracy of a network over the first
// ⌊n / Batch⌋ · Batch samples of a data set (features n × inputs, labels n), in batches of Batch.
template <class Loss, std::size_t Batch, class Net, class T>
evaluation<T> evaluate(const model<Net, T>& m, std::span<const T> features,
                       std::span<const std::uint8_t> labels) {
    constexpr std::size_t in = Net::inputs, out = Net::outputs;
    const std::size_t n = labels.size() / Batch * Batch;
    std::vector<T> x(Batch * in), y(Batch * out), o(Batch * out);
    const std::vector<std::uint32_t> order = iota(labels.size());
    T total(0);
    std::size_t correct = 0;
    for (std::size_t first = 0; first < n; first += Batch) {
        gather_batch<Batch, in, out>(features, labels, order, first, x.data(), y.data());
        total += loss<Loss, Batch>(m, x.data(), y.data());
        outputs<Batch>(m, x.data(), o.data());
        for (std::size_t r = 0; r < Batch; ++r)
            correct += argmax(o.data() + r * out, out) == labels[first + r] ? std::size_t{1}
                                                                            : std::size_t{0};
    }
    const std::size_t batches = n / Batch;
    return {batches ? total / static_cast<T>(batches) : T(0),
            n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0, n};
}

} // namespace tapeless::nn

#endif // TAPELESS_NN_BATCH_HPP
