// Thread safety: gradients, Hessians, Hessian-vector products and training steps run from several
// threads at once give the same bits as on one thread. The sweeps keep no state outside the call
// (tl::gradient's storage is on its stack; nn's workspaces are per thread), so this holds by
// construction; the test makes it observable, and scripts/tsan.sh runs it under ThreadSanitizer.
#include <tapeless/nn.hpp>

#include <array>
#include <cstddef>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;
using namespace tl::literals;

namespace {

constexpr int threads = 4;

// Runs work(t) on `threads` threads at once and returns their results.
template <class F>
auto on_threads(F work) {
    std::vector<decltype(work(0))> results(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] { results[static_cast<std::size_t>(t)] = work(t); });
    for (auto& th : pool) th.join();
    return results;
}

using regressor = nn::mlp<nn::dense<2, 16>, nn::activations::tanh, nn::dense<16, 16>,
                          nn::activations::tanh, nn::dense<16, 1>>;

// 200 per-sample SGD steps of the 2-16-16-1 network from seed 5 on a fixed sample stream.
std::vector<float> train_regressor() {
    nn::model<regressor, float> m(5);
    nn::sgd<float> opt(0.02f);
    nn::rng g(6);
    std::vector<float> grad(regressor::parameter_count, 0.0f);
    for (int step = 0; step < 200; ++step) {
        const float x[2] = {static_cast<float>(g.uniform(-3.0, 3.0)),
                            static_cast<float>(g.uniform(-3.0, 3.0))};
        const float y[1] = {std::sin(x[0]) * std::cos(x[1])};
        nn::loss_and_gradient<nn::losses::mse, 1>(m, x, y, grad.data());
        opt.step_and_clear(m.parameters, grad);
    }
    return m.parameters;
}

} // namespace

BOOST_AUTO_TEST_SUITE(nn_threads)

BOOST_AUTO_TEST_CASE(derivatives_from_several_threads) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    auto w = tl::variable<0, tl::vector<12>, "w">;
    auto rb = sum(100_c * square(tl::slice<1, 11>(w) - square(tl::slice<0, 11>(w))) +
                  square(1_c - tl::slice<0, 11>(w)));
    std::array<double, 12> q{};
    for (std::size_t i = 0; i < 12; ++i) q[i] = 0.1 * static_cast<double>(i) - 0.6;
    struct result {
        std::array<double, 2> g;
        tl::row_matrix<double, 2, 2> H;
        std::array<double, 12> grb, hv;
        tl::row_matrix<double, 12, 12> Hrb;
    };
    auto compute = [&](int) {
        result r{};
        for (int rep = 0; rep < 50; ++rep) {
            r.g = tl::gradient(f, std::array{2.0, 3.0});
            r.H = tl::hessian(f, std::array{2.0, 3.0});
            r.grb = tl::gradient(rb, q);
            r.hv = tl::hvp(rb, q, q);
            r.Hrb = tl::hessian(rb, q);
        }
        return r;
    };
    const result one = compute(0);
    for (const result& r : on_threads(compute)) {
        BOOST_TEST((r.g == one.g));
        BOOST_TEST((r.H == one.H));
        BOOST_TEST((r.grb == one.grb));
        BOOST_TEST((r.hv == one.hv));
        BOOST_TEST((r.Hrb == one.Hrb));
    }
}

BOOST_AUTO_TEST_CASE(training_from_several_threads) {
    const std::vector<float> one = train_regressor();
    for (const auto& p : on_threads([](int) { return train_regressor(); })) BOOST_TEST((p == one));
}

BOOST_AUTO_TEST_CASE(sharpness_from_several_threads) {
    using net = nn::mlp<nn::dense<3, 5>, nn::activations::tanh, nn::dense<5, 3>>;
    const nn::model<net, double> m(21);
    std::vector<double> x(4 * 3), y(4 * 3, 0.0);
    nn::rng g(22);
    for (double& v : x) v = g.uniform(-1.0, 1.0);
    for (std::size_t r = 0; r < 4; ++r) y[r * 3 + r % 3] = 1.0;
    auto compute = [&](int) {
        return nn::sharpness<nn::losses::softmax_cross_entropy, 4>(m, x.data(), y.data(), 50).value;
    };
    const double one = compute(0);
    for (double s : on_threads(compute)) BOOST_TEST(s == one);
}

BOOST_AUTO_TEST_SUITE_END()
