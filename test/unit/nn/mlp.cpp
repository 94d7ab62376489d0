// tapeless::nn networks: shapes, the gradient of every layer kind and loss against finite
// differences, Hessian-vector products and the sharpness against differences of the gradient,
// the data-parallel gradient against the whole batch's, the optimisers' updates by hand, and a
// small regression network that learns.
#include <tapeless/nn.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/files.hpp"

namespace tl = tapeless;
namespace nn = tapeless::nn;
namespace bt = boost::test_tools;

namespace {

// A batch of Batch rows of In features in [−1, 1) and targets for Loss, from a seed.
template <class Net, class Loss, std::size_t Batch>
struct batch_data {
    std::vector<double> x, y;
    explicit batch_data(std::uint64_t seed) : x(Batch * Net::inputs), y(Batch * Net::outputs) {
        nn::rng g(seed);
        for (double& v : x) v = g.uniform(-1.0, 1.0);
        for (std::size_t r = 0; r < Batch; ++r)
            for (std::size_t c = 0; c < Net::outputs; ++c) {
                double& t = y[r * Net::outputs + c];
                if constexpr (std::is_same_v<Loss, nn::losses::softmax_cross_entropy>)
                    t = c == r % Net::outputs ? 1.0 : 0.0; // one-hot
                else if constexpr (std::is_same_v<Loss, nn::losses::binary_cross_entropy>)
                    t = g.uniform(); // soft targets in [0, 1)
                else
                    t = g.uniform(-2.0, 2.0);
            }
    }
};

// The gradient of the mean loss against central differences in every parameter.
template <class Net, class Loss, std::size_t Batch>
void check_gradient(std::uint64_t seed) {
    nn::model<Net, double> m(seed);
    // biases away from zero, so that their derivatives are tested at a generic point
    nn::rng g(seed + 1);
    for (std::size_t k = 0; k < Net::dense_count; ++k)
        for (double& b : m.bias(k)) b = g.uniform(-0.5, 0.5);
    const batch_data<Net, Loss, Batch> d(seed + 2);
    std::vector<double> grad(Net::parameter_count, 0.0);
    const double J = nn::loss_and_gradient<Loss, Batch>(m, d.x.data(), d.y.data(), grad.data());
    BOOST_TEST(J == (nn::loss<Loss, Batch>(m, d.x.data(), d.y.data())));
    for (std::size_t i = 0; i < Net::parameter_count; ++i) {
        const double p = m.parameters[i], h = 1e-6;
        m.parameters[i] = p + h;
        const double up = nn::loss<Loss, Batch>(m, d.x.data(), d.y.data());
        m.parameters[i] = p - h;
        const double down = nn::loss<Loss, Batch>(m, d.x.data(), d.y.data());
        m.parameters[i] = p;
        const double fd = (up - down) / (2 * h);
        BOOST_TEST(std::fabs(grad[i] - fd) <= 1e-7 + 1e-6 * std::fabs(fd),
                   "parameter " << i << ": gradient " << grad[i] << ", central difference " << fd);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(nn_mlp)

BOOST_AUTO_TEST_CASE(shapes_and_layout) {
    using net = nn::mlp<nn::dense<784, 128>, nn::activations::relu, nn::dense<128, 10>>;
    static_assert(net::dense_count == 2 && net::inputs == 784 && net::outputs == 10);
    static_assert(net::parameter_count == 784 * 128 + 128 + 128 * 10 + 10);
    static_assert(net::weight_offset(1) == 784 * 128 + 128 &&
                  net::bias_offset(1) == net::weight_offset(1) + 1280);
    BOOST_TEST(tl::to_string(net::loss<nn::losses::softmax_cross_entropy, 32>()) ==
               "softmax_cross_entropy(add_rowwise(matmul(relu(add_rowwise(matmul(X, W1), b1)), "
               "W2), b2), Y)");
    using small = nn::mlp<nn::dense<2, 16>, nn::activations::tanh, nn::dense<16, 16>,
                          nn::activations::tanh, nn::dense<16, 1>>;
    BOOST_TEST(tl::to_string(small::output<1>()) ==
               "add_rowwise(matmul(tanh(add_rowwise(matmul(tanh(add_rowwise(matmul(X, W1), b1)), "
               "W2), b2)), W3), b3)");
    // initialisation: He uniform before relu, Glorot uniform otherwise, biases zero
    nn::model<net, float> m(42);
    const float he = std::sqrt(6.0f / 784.0f), glorot = std::sqrt(6.0f / 138.0f);
    BOOST_TEST(std::ranges::all_of(m.weights(0), [&](float w) { return std::fabs(w) <= he; }));
    BOOST_TEST(
        std::ranges::any_of(m.weights(0), [&](float w) { return std::fabs(w) > 0.9f * he; }));
    BOOST_TEST(std::ranges::all_of(m.weights(1), [&](float w) { return std::fabs(w) <= glorot; }));
    BOOST_TEST(std::ranges::all_of(m.bias(0), [](float b) { return b == 0.0f; }));
    // reproducible from the seed
    nn::model<net, float> m2(42), m3(43);
    BOOST_TEST((m.parameters == m2.parameters));
    BOOST_TEST((m.parameters != m3.parameters));
}

BOOST_AUTO_TEST_CASE(gradients_against_differences) {
    check_gradient<nn::mlp<nn::dense<3, 4>, nn::activations::tanh, nn::dense<4, 3>>,
                   nn::losses::softmax_cross_entropy, 5>(1);
    check_gradient<nn::mlp<nn::dense<3, 4>, nn::activations::sigmoid, nn::dense<4, 5>,
                           nn::activations::relu, nn::dense<5, 2>>,
                   nn::losses::binary_cross_entropy, 3>(2);
    check_gradient<nn::mlp<nn::dense<2, 6>, nn::activations::relu, nn::dense<6, 1>>,
                   nn::losses::mse, 4>(3);
    // one linear layer, one row
    check_gradient<nn::mlp<nn::dense<4, 2>>, nn::losses::mse, 1>(4);
    // a network wider than a matmul tile (8 rows × 16 doubles), with edges
    check_gradient<nn::mlp<nn::dense<5, 21>, nn::activations::relu, nn::dense<21, 3>>,
                   nn::losses::softmax_cross_entropy, 11>(5);
}

BOOST_AUTO_TEST_CASE(outputs_and_accuracy) {
    using net = nn::mlp<nn::dense<3, 4>, nn::activations::tanh, nn::dense<4, 2>>;
    nn::model<net, double> m(9);
    const batch_data<net, nn::losses::mse, 2> d(10);
    std::vector<double> out(2 * 2);
    nn::outputs<2>(m, d.x.data(), out.data());
    // by hand: tanh(x W1 + b1) W2 + b2
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t c = 0; c < 2; ++c) {
            double o = m.bias(1)[c];
            for (std::size_t j = 0; j < 4; ++j) {
                double a = m.bias(0)[j];
                for (std::size_t i = 0; i < 3; ++i) a += d.x[r * 3 + i] * m.weights(0)[i * 4 + j];
                o += std::tanh(a) * m.weights(1)[j * 2 + c];
            }
            BOOST_TEST(out[r * 2 + c] == o, bt::tolerance(1e-14));
        }
}

BOOST_AUTO_TEST_CASE(hvp_and_sharpness) {
    using net = nn::mlp<nn::dense<3, 5>, nn::activations::tanh, nn::dense<5, 3>>;
    constexpr std::size_t P = net::parameter_count;
    nn::model<net, double> m(21);
    const batch_data<net, nn::losses::softmax_cross_entropy, 4> d(22);
    auto gradient_at = [&](const std::vector<double>& params) {
        nn::model<net, double> q;
        q.parameters = params;
        std::vector<double> g(P, 0.0);
        nn::loss_and_gradient<nn::losses::softmax_cross_entropy, 4>(q, d.x.data(), d.y.data(),
                                                                    g.data());
        return g;
    };
    // H v against central differences of the gradient along v
    std::vector<double> v(P), hv(P);
    nn::rng g(23);
    for (double& e : v) e = g.uniform(-1.0, 1.0);
    nn::hvp<nn::losses::softmax_cross_entropy, 4>(m, d.x.data(), d.y.data(), v.data(), hv.data());
    const double h = 1e-5;
    std::vector<double> up = m.parameters, down = m.parameters;
    for (std::size_t i = 0; i < P; ++i) {
        up[i] += h * v[i];
        down[i] -= h * v[i];
    }
    const auto gu = gradient_at(up), gd = gradient_at(down);
    for (std::size_t i = 0; i < P; ++i)
        BOOST_TEST(std::fabs(hv[i] - (gu[i] - gd[i]) / (2 * h)) <= 1e-7 + 1e-6 * std::fabs(hv[i]),
                   "H v [" << i << "]");
    // sharpness: the converged eigenpair satisfies H v = λ v, and λ equals the Rayleigh quotient
    // vᵀ H v by differences of the gradient
    const auto s =
        nn::sharpness<nn::losses::softmax_cross_entropy, 4>(m, d.x.data(), d.y.data(), 500, 1e-10);
    BOOST_TEST(s.converged);
    up = m.parameters;
    down = m.parameters;
    for (std::size_t i = 0; i < P; ++i) {
        up[i] += h * s.vector[i];
        down[i] -= h * s.vector[i];
    }
    const auto su = gradient_at(up), sd = gradient_at(down);
    double rayleigh = 0, residual = 0;
    for (std::size_t i = 0; i < P; ++i) {
        const double hvi = (su[i] - sd[i]) / (2 * h);
        rayleigh += s.vector[i] * hvi;
        residual = std::max(residual, std::fabs(hvi - s.value * s.vector[i]));
    }
    BOOST_TEST(s.value == rayleigh, bt::tolerance(1e-5));
    BOOST_TEST(residual <= 1e-3 * std::fabs(s.value));
    // and no other direction has a larger Rayleigh quotient in magnitude: try the unit vectors
    for (std::size_t j = 0; j < P; ++j) {
        std::vector<double> e(P, 0.0), he(P);
        e[j] = 1;
        nn::hvp<nn::losses::softmax_cross_entropy, 4>(m, d.x.data(), d.y.data(), e.data(),
                                                      he.data());
        BOOST_TEST(std::fabs(he[j]) <= std::fabs(s.value) * (1 + 1e-6));
    }
}

BOOST_AUTO_TEST_CASE(parallel_gradient_equals_the_whole_batch) {
    using net = nn::mlp<nn::dense<6, 9>, nn::activations::relu, nn::dense<9, 4>>;
    nn::model<net, double> m(31);
    const batch_data<net, nn::losses::softmax_cross_entropy, 12> d(32);
    std::vector<double> whole(net::parameter_count, 0.0), par(net::parameter_count, 0.0),
        par3(net::parameter_count, 0.0);
    const double J = nn::loss_and_gradient<nn::losses::softmax_cross_entropy, 12>(
        m, d.x.data(), d.y.data(), whole.data());
    const double Jp = nn::parallel_loss_and_gradient<nn::losses::softmax_cross_entropy, 12, 4>(
        m, d.x.data(), d.y.data(), par.data());
    const double J3 = nn::parallel_loss_and_gradient<nn::losses::softmax_cross_entropy, 12, 3>(
        m, d.x.data(), d.y.data(), par3.data());
    BOOST_TEST(Jp == J, bt::tolerance(1e-14));
    BOOST_TEST(J3 == J, bt::tolerance(1e-14));
    for (std::size_t i = 0; i < net::parameter_count; ++i) {
        BOOST_TEST(std::fabs(par[i] - whole[i]) <= 1e-15 + 1e-13 * std::fabs(whole[i]));
        BOOST_TEST(std::fabs(par3[i] - whole[i]) <= 1e-15 + 1e-13 * std::fabs(whole[i]));
    }
#if defined(_OPENMP)
    // the same bits whatever the number of threads
    std::vector<double> one(net::parameter_count, 0.0);
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    nn::parallel_loss_and_gradient<nn::losses::softmax_cross_entropy, 12, 4>(
        m, d.x.data(), d.y.data(), one.data());
    omp_set_num_threads(threads);
    BOOST_TEST((one == par));
#endif
}

BOOST_AUTO_TEST_CASE(optimisers_by_hand) {
    std::vector<double> p{1.0, -2.0}, g{0.5, 0.25};
    nn::sgd<double> s(0.1, 0.01);
    s.step(p, g);
    BOOST_TEST(p[0] == 1.0 - 0.1 * (0.5 + 0.01 * 1.0), bt::tolerance(1e-15));
    BOOST_TEST(p[1] == -2.0 - 0.1 * (0.25 + 0.01 * -2.0), bt::tolerance(1e-15));

    p = {1.0, -2.0};
    nn::momentum<double> mo(0.1, 0.9);
    mo.step(p, g);
    mo.step(p, g);
    // u1 = g, p1 = p0 − 0.1 g; u2 = 0.9 g + g, p2 = p1 − 0.1 · 1.9 g
    BOOST_TEST(p[0] == 1.0 - 0.1 * 0.5 - 0.1 * 1.9 * 0.5, bt::tolerance(1e-15));

    p = {1.0, -2.0};
    nn::adam<double> a(0.01);
    a.step(p, g);
    // first step: m̂ = g, v̂ = g², so p −= lr · g / (|g| + ε)
    BOOST_TEST(p[0] == 1.0 - 0.01 * 0.5 / (0.5 + 1e-8), bt::tolerance(1e-14));
    BOOST_TEST(p[1] == -2.0 - 0.01 * 0.25 / (0.25 + 1e-8), bt::tolerance(1e-14));
    const std::vector<double> g2{-0.5, 1.0};
    const double p0 = p[0];
    a.step(p, g2);
    const double m1 = 0.9 * 0.05 + 0.1 * -0.5, v1 = 0.999 * 0.001 * 0.25 + 0.001 * 0.25;
    const double mh = m1 / (1 - 0.81), vh = v1 / (1 - 0.999 * 0.999);
    BOOST_TEST(p[0] == p0 - 0.01 * mh / (std::sqrt(vh) + 1e-8), bt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(flush_denormals_in_scope) {
    volatile float tiny = 1e-40f; // a denormal
    volatile float one = 1.0f;
    BOOST_TEST(tiny * one != 0.0f);
    {
        nn::flush_denormals ftz;
#if TAPELESS_NN_HAS_MXCSR
        BOOST_TEST(tiny * one == 0.0f);
#endif
    }
    BOOST_TEST(tiny * one != 0.0f);
}

// The 2-16-16-1 tanh network learns y = sin(x1) cos(x2) on [−π, π]² by per-sample SGD: its mean
// squared error on a held-out set falls well below the variance of y (0.25).
BOOST_AUTO_TEST_CASE(regression_network_learns) {
    using net = nn::mlp<nn::dense<2, 16>, nn::activations::tanh, nn::dense<16, 16>,
                        nn::activations::tanh, nn::dense<16, 1>>;
    nn::model<net, float> m(5);
    nn::sgd<float> opt(0.02f);
    nn::rng g(6);
    auto sample = [&](float* x, float* y) {
        x[0] = static_cast<float>(g.uniform(-std::numbers::pi, std::numbers::pi));
        x[1] = static_cast<float>(g.uniform(-std::numbers::pi, std::numbers::pi));
        y[0] = std::sin(x[0]) * std::cos(x[1]);
    };
    std::vector<float> tx(2 * 256), ty(256);
    for (std::size_t i = 0; i < 256; ++i) sample(&tx[2 * i], &ty[i]);
    auto test_loss = [&] { return nn::loss<nn::losses::mse, 256>(m, tx.data(), ty.data()); };
    const float before = test_loss();
    std::vector<float> grad(net::parameter_count);
    for (int step = 0; step < 150000; ++step) {
        float x[2], y[1];
        sample(x, y);
        std::fill(grad.begin(), grad.end(), 0.0f);
        nn::loss_and_gradient<nn::losses::mse, 1>(m, x, y, grad.data());
        opt.step(m.parameters, grad);
    }
    const float after = test_loss();
    BOOST_TEST_MESSAGE("2-16-16-1 regression: test MSE " << before << " -> " << after);
    BOOST_TEST(after < 0.05f * before);
}

// A model's round trip through a file, and a file of another network refused with the tensor and
// both shapes named, the model left as it was.
BOOST_AUTO_TEST_CASE(save_and_load_a_model) {
    using net = nn::mlp<nn::dense<5, 7>, nn::activations::relu, nn::dense<7, 3>>;
    using other = nn::mlp<nn::dense<5, 8>, nn::activations::relu, nn::dense<8, 3>>;
    const tapeless_test::temp_dir dir("tapeless_nn_mlp");
    const auto file = dir.path / "m.tlm";
    nn::model<net, float> m(3), back;
    nn::save_model(file, m);
    nn::load_model(file, back);
    BOOST_TEST((back.parameters == m.parameters));
    nn::model<other, float> o(4);
    const auto before = o.parameters;
    try {
        nn::load_model(file, o);
        BOOST_TEST(false, "a file of another network was accepted");
    } catch (const nn::model_error& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("m.tlm") != std::string::npos, what);
        BOOST_TEST(what.find("tensor 0 has shape 5×7, the model expects 5×8") != std::string::npos,
                   what);
    }
    BOOST_TEST((o.parameters == before));
    nn::model<net, double> d;
    BOOST_CHECK_THROW(nn::load_model(file, d), nn::model_error); // float file, double model
}

BOOST_AUTO_TEST_SUITE_END()
