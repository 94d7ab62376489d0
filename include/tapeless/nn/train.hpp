// tapeless/nn/train.hpp — running a network: loss and gradient, outputs, Hessian-vector products
// and the loss's sharpness, on a model's flat parameters.
//
//   using net = tl::nn::mlp<tl::nn::dense<2, 16>, tl::nn::activations::tanh, tl::nn::dense<16, 1>>;
//   tl::nn::model<net, double> m(1);
//   std::vector<double> grad(net::parameter_count);
//   double J = tl::nn::loss_and_gradient<tl::nn::losses::mse, 1>(m, x, y, grad.data());
//   tl::nn::outputs<B>(m, x, out);                    // the network's outputs for B rows
//   tl::nn::hvp<Loss, B>(m, x, y, v, hv);             // H v, H the loss's Hessian
//   double lambda = tl::nn::sharpness<Loss, B>(m, x, y).value;   // top eigenvalue of H
//
// x is the batch (B × inputs, row-major), y the targets (B × outputs). These call the same
// generated sweeps as tl::gradient and tl::hvp (graph::run_values, graph::run_adjoints) directly,
// with input pointers into the flat parameters and the batch and gradient pointers into the
// caller's array, so nothing is copied and the batch, being data, gets no adjoint. The sweeps' node
// storage is allocated once per thread and expression (a 784-128-10 network's batch of 128 needs
// 0.2 MB, more than a stack should hold).
#ifndef TAPELESS_NN_TRAIN_HPP
#define TAPELESS_NN_TRAIN_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "../tapeless.hpp"
#include "mlp.hpp"

namespace tapeless::nn {

namespace detail {

// Node storage for the sweeps of expression Root on T, one per thread.
template <class Root, class T>
struct workspace {
    std::vector<T> values, adjoints;
    workspace() : values(graph::dag_of<Root>.storage), adjoints(graph::dag_of<Root>.storage) {}
    static workspace& local() {
        thread_local workspace w;
        return w;
    }
};

// One pointer per input slot: the layers' parameters, then the batch and the targets.
template <class Net, class P>
std::array<P, Net::slot_count> slot_pointers(P params, P batch, P targets) {
    std::array<P, Net::slot_count> s{};
    for (std::size_t k = 0; k < Net::dense_count; ++k) {
        s[2 * k] = params + Net::weight_offset(k);
        s[2 * k + 1] = params + Net::bias_offset(k);
    }
    s[Net::batch_slot] = batch;
    s[Net::target_slot] = targets;
    return s;
}

} // namespace detail

// The mean loss over a batch of Batch rows, and its gradient in the parameters added into grad
// (Net::parameter_count numbers; zero it first for the gradient alone).
template <class Loss, std::size_t Batch, class Net, class T>
T loss_and_gradient(const model<Net, T>& m, const T* x, const T* y, T* grad) {
    const auto J = Net::template loss<Loss, Batch>();
    using Root = node_of<decltype(J)>;
    auto& w = detail::workspace<Root, T>::local();
    const auto in = detail::slot_pointers<Net, const T*>(m.parameters.data(), x, y);
    auto gp = detail::slot_pointers<Net, T*>(grad, nullptr, nullptr);
    const graph::fused_context<T> c{w.values.data(), in.data(), J.consts.data(), w.adjoints.data(),
                                    gp.data()};
    const T one(1);
    // the value sweep and the reverse sweep, as tl::hvp
    return tapeless::detail::sweep_pair<Root>(c, &one);
}

// The mean loss over a batch, without the gradient.
template <class Loss, std::size_t Batch, class Net, class T>
T loss(const model<Net, T>& m, const T* x, const T* y) {
    const auto J = Net::template loss<Loss, Batch>();
    using Root = node_of<decltype(J)>;
    auto& w = detail::workspace<Root, T>::local();
    const auto in = detail::slot_pointers<Net, const T*>(m.parameters.data(), x, y);
    const graph::fused_context<T> c{w.values.data(), in.data(), J.consts.data()};
    return tapeless::detail::value_sweep<Root>(c); // as tl::value
}

// The network's outputs for a batch of Batch rows, into out (Batch × Net::outputs, row-major).
template <std::size_t Batch, class Net, class T>
void outputs(const model<Net, T>& m, const T* x, T* out) {
    const auto F = Net::template output<Batch>();
    using Root = node_of<decltype(F)>;
    auto& w = detail::workspace<Root, T>::local();
    const auto in = detail::slot_pointers<Net, const T*>(m.parameters.data(), x, nullptr);
    const graph::fused_context<T> c{w.values.data(), in.data(), F.consts.data()};
    graph::run_values<Root, false>(c);
    for (std::size_t i = 0; i < Batch * Net::outputs; ++i)
        out[i] = graph::fused_root<Root, false>(c, i);
}

// H v for the Hessian H of the mean loss over a batch in the parameters: one value sweep and one
// reverse sweep on dual<T, 1>, the parameters' tangents v (the batch's zero), as tl::hvp.
template <class Loss, std::size_t Batch, class Net, class T>
void hvp(const model<Net, T>& m, const T* x, const T* y, const T* v, T* hv) {
    using D = dual<T, 1>;
    const auto J = Net::template loss<Loss, Batch>();
    using Root = node_of<decltype(J)>;
    constexpr std::size_t P = Net::parameter_count;
    constexpr std::size_t nx = Batch * Net::inputs, ny = Batch * Net::outputs;
    auto& w = detail::workspace<Root, D>::local();
    // dual copies of the parameters (tangents v) and of the batch (tangents 0)
    thread_local std::vector<D> p, xd, yd, g;
    p.resize(P);
    g.assign(P, D(T(0)));
    xd.resize(nx);
    yd.resize(ny);
    for (std::size_t i = 0; i < P; ++i) p[i] = D(m.parameters[i], {v[i]});
    for (std::size_t i = 0; i < nx; ++i) xd[i] = D(x[i]);
    for (std::size_t i = 0; i < ny; ++i) yd[i] = D(y[i]);
    const auto in = detail::slot_pointers<Net, const D*>(p.data(), xd.data(), yd.data());
    auto gp = detail::slot_pointers<Net, D*>(g.data(), nullptr, nullptr);
    const graph::fused_context<D> c{w.values.data(), in.data(), J.consts.data(), w.adjoints.data(),
                                    gp.data()};
    const D one(T(1));
    tapeless::detail::sweep_pair<Root>(c, &one);
    for (std::size_t i = 0; i < P; ++i) hv[i] = g[i].d[0];
}

template <class T>
struct sharpness_result {
    T value;                // the Rayleigh quotient vᵀ H v of the last iterate (|v| = 1)
    std::vector<T> vector;  // v
    std::size_t iterations; // power iterations run
    bool converged;         // |λ_k − λ_{k−1}| ≤ tolerance · |λ_k| before max_iterations
};

// The sharpness of the loss at the parameters: the eigenvalue of largest magnitude of its Hessian
// (on a batch), by power iteration on Hessian-vector products from a seeded random start.
template <class Loss, std::size_t Batch, class Net, class T>
sharpness_result<T> sharpness(const model<Net, T>& m, const T* x, const T* y,
                              std::size_t max_iterations = 100, T tolerance = T(1e-4),
                              std::uint64_t seed = 7) {
    constexpr std::size_t P = Net::parameter_count;
    std::vector<T> v(P), hv(P);
    rng g(seed);
    auto normalise = [](std::vector<T>& u) {
        T s(0);
        for (T e : u) s += e * e;
        s = std::sqrt(s);
        for (T& e : u) e /= s;
    };
    for (T& e : v) e = static_cast<T>(g.uniform(-1.0, 1.0));
    normalise(v);
    sharpness_result<T> r{T(0), {}, 0, false};
    for (std::size_t k = 0; k < max_iterations; ++k) {
        hvp<Loss, Batch>(m, x, y, v.data(), hv.data());
        T lambda(0);
        for (std::size_t i = 0; i < P; ++i) lambda += v[i] * hv[i];
        r.iterations = k + 1;
        const bool done = k > 0 && std::fabs(lambda - r.value) <= tolerance * std::fabs(lambda);
        r.value = lambda;
        if (done) {
            r.converged = true;
            break;
        }
        v = hv;
        normalise(v);
    }
    r.vector = v;
    return r;
}

} // namespace tapeless::nn

#endif // TAPELESS_NN_TRAIN_HPP
