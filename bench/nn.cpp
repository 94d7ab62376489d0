// bench/nn.cpp — training speed of small multilayer perceptrons, in float on one thread: each
// benchmark iteration is one training step on the next minibatch, and items_per_second is steps
// per second (row 1) or samples per second (rows 2-4).
//
//   row                        network, loss                          data, batch, optimiser
//   mlp_2_16_16_1_sgd          2 → tanh 16 → tanh 16 → 1, MSE          y = sin x1 · cos x2, 1, SGD
//   mlp_784_128_10_b32_sgd     784 → relu 128 → 10, softmax x-entropy  Fashion-MNIST, 32, SGD
//   mlp_784_128_10_b32_adam    same                                    Fashion-MNIST, 32, Adam
//   mlp_784_128_10_b128_sgd    same                                    Fashion-MNIST, 128, SGD
//
// Contenders: "handwritten" (bench/nn_baseline.hpp), the baseline; "tapeless" (tapeless::nn: the
// network as an expression, its gradient the generated reverse sweep, tn::sgd / tn::adam). The same
// rows in PyTorch: bench/peers/pytorch_mlp.py (a separate program; docs/benchmarks.md, "MLP
// training").
//
//   bench_nn --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   bench_nn --print_check        the first losses and the parameter change of every row, to
//                                 compare with pytorch_mlp.py --check; runs no benchmark
//
// Every contender starts from the same weights (tapeless::nn::rng(init_seed), see
// nn_baseline.hpp) and sees the samples in the same order: the regression row cycles through
// 4096 fixed samples; the Fashion-MNIST rows shuffle the 60,000 training images with
// rng(order_seed) at the start of each epoch and drop the last incomplete batch. Gathering the
// batch's rows from the shuffled indices is part of the timed step, as it is for PyTorch.
// The Adam row runs every contender with denormals flushed to zero (nn_baseline.hpp says why).
//
// Fashion-MNIST comes from Debian's dataset-fashion-mnist (or $TAPELESS_FASHION_MNIST); without
// it the three Fashion-MNIST rows report an error and the regression row still runs.
//
// Adding a contender to a row is one call, e.g.
//   add_fashion<b32_sgd>("tapeless", [](const classifier& init) {
//       return [net = my_net(init)](std::span<const float> x,
//                                   std::span<const std::uint8_t> labels) mutable {
//           return my_sgd_step(net, x, labels, sgd_lr);   // the batch's loss before the step
//       };
//   });
// add_fashion / add_regression check the contender's first losses against the hand-written
// trainer's before registering it.
#include <tapeless/nn/data.hpp>
#include <tapeless/nn/mlp.hpp>
#include <tapeless/nn/optim.hpp>
#include <tapeless/nn/random.hpp>
#include <tapeless/nn/train.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common.hpp"
#include "nn_baseline.hpp"

namespace tb = tapeless_bench;
namespace nb = tapeless_bench::nn_baseline;

namespace {

// ---- the rows -----------------------------------------------------------------------------------

using regressor = nb::tanh_mlp<float, 2, 16, 16, 1>;
using classifier = nb::relu_mlp<float, 784, 128, 10>;

constexpr float regression_lr = 0.01f;
constexpr float sgd_lr = 0.1f;
constexpr nb::adam_config<float> adam_settings{}; // lr 1e-3, β1 0.9, β2 0.999, ε 1e-8
constexpr std::size_t regression_samples = 4096;
// Steps compared between contenders (and printed by --print_check).
constexpr std::size_t check_steps = 10;
// Relative tolerance between contenders' losses: float, other summation orders.
constexpr double loss_tolerance = 1e-4;

const std::string regression_row = "mlp_2_16_16_1_sgd";

enum class optimiser { sgd, adam };

template <std::size_t Batch, optimiser Opt>
struct fashion_row {
    static constexpr std::size_t batch = Batch;
    static constexpr optimiser opt = Opt;
    static std::string name() {
        return "mlp_784_128_10_b" + std::to_string(Batch) +
               (Opt == optimiser::sgd ? "_sgd" : "_adam");
    }
};
using b32_sgd = fashion_row<32, optimiser::sgd>;
using b32_adam = fashion_row<32, optimiser::adam>;
using b128_sgd = fashion_row<128, optimiser::sgd>;

// ---- the data -----------------------------------------------------------------------------------

struct fashion_train {
    std::vector<float> x; // count × 784, pixels in [0, 1]
    std::vector<std::uint8_t> y;
    std::size_t count = 0;
};

struct data_store {
    nb::regression_data<float> regression;
    std::optional<fashion_train> fashion;
    std::string fashion_error;
};

data_store& data() {
    static data_store d;
    return d;
}

void load_data() {
    data().regression = nb::make_regression_data<float>(regression_samples);
    try {
        auto train = tapeless::nn::load_fashion_mnist(tapeless::nn::split::train);
        fashion_train f;
        f.x = tapeless::nn::normalized_pixels<float>(train.images);
        f.y = std::move(train.labels.labels);
        f.count = train.images.count;
        data().fashion = std::move(f);
    } catch (const std::exception& e) {
        data().fashion_error =
            std::string("Fashion-MNIST not available (install Debian's "
                        "dataset-fashion-mnist or set TAPELESS_FASHION_MNIST): ") +
            e.what();
    }
}

// The minibatches of a Fashion-MNIST row: at the start of each epoch the indices 0..n−1 are
// shuffled (Fisher–Yates with one rng(order_seed) for the whole run); next() gathers the next
// `batch` rows into contiguous buffers; an epoch ends when fewer than `batch` indices are left.
class fashion_batches {
public:
    fashion_batches(const fashion_train& d, std::size_t batch)
        : data_(&d), batch_(batch), order_(d.count), x_(batch * 784), y_(batch) {
        std::iota(order_.begin(), order_.end(), std::uint32_t{0});
        next_ = d.count; // shuffle before the first batch
    }

    void next() {
        if (next_ + batch_ > order_.size()) {
            tapeless::nn::shuffle(rng_, std::span<std::uint32_t>(order_));
            next_ = 0;
        }
        for (std::size_t b = 0; b < batch_; ++b) {
            const std::size_t i = order_[next_ + b];
            std::memcpy(x_.data() + b * 784, data_->x.data() + i * 784, 784 * sizeof(float));
            y_[b] = data_->y[i];
        }
        next_ += batch_;
    }
    std::span<const float> x() const noexcept { return x_; }
    std::span<const std::uint8_t> y() const noexcept { return y_; }

private:
    const fashion_train* data_;
    std::size_t batch_;
    tapeless::nn::rng rng_{nb::order_seed};
    std::vector<std::uint32_t> order_;
    nb::aligned_vector<float> x_;
    std::vector<std::uint8_t> y_;
    std::size_t next_ = 0;
};

// The samples of the regression row, in order, over and over.
class regression_feed {
public:
    explicit regression_feed(const nb::regression_data<float>& d) : data_(&d) {}
    void next() {
        x_ = {data_->xs[2 * i_], data_->xs[2 * i_ + 1]};
        t_ = {data_->ys[i_]};
        i_ = i_ + 1 == data_->ys.size() ? 0 : i_ + 1;
    }
    const std::array<float, 2>& x() const noexcept { return x_; }
    const std::array<float, 1>& t() const noexcept { return t_; }

private:
    const nb::regression_data<float>* data_;
    std::size_t i_ = 0;
    std::array<float, 2> x_{};
    std::array<float, 1> t_{};
};

// The initial networks, the same for every contender.
const regressor& initial_regressor() {
    static const regressor p = [] {
        regressor r;
        tapeless::nn::rng g(nb::init_seed);
        nb::init(r, g);
        return r;
    }();
    return p;
}
const classifier& initial_classifier() {
    static const classifier p = [] {
        classifier c;
        tapeless::nn::rng g(nb::init_seed);
        nb::init(c, g);
        return c;
    }();
    return p;
}

// ---- registration -------------------------------------------------------------------------------

// The first check_steps losses of each row's first contender (the hand-written one), the
// reference for the contenders registered after it.
std::map<std::string, std::vector<double>>& reference_losses() {
    static std::map<std::string, std::vector<double>> r;
    return r;
}

void check_losses(const std::string& row, const std::string& who,
                  const std::vector<double>& losses) {
    auto [it, first] = reference_losses().try_emplace(row, losses);
    if (!first && !tb::agree(row + "/" + who + " (losses of the first steps)", losses, it->second,
                             loss_tolerance))
        tb::any_contender_wrong() = true;
}

// Registers "<row>/<who>" for a Fashion-MNIST row. make(initial_classifier()) returns the
// contender's step: step(x, labels) trains one step on a batch of Row::batch rows (x row-major,
// Row::batch × 784) and returns the batch's loss before the step. Items are samples.
template <class Row, class Make>
void add_fashion(const std::string& who, Make make) {
    const std::string name = Row::name() + "/" + who;
    if (!data().fashion) {
        benchmark::RegisterBenchmark(name.c_str(), [](benchmark::State& state) {
            state.SkipWithError(data().fashion_error.c_str());
        });
        return;
    }
    {
        auto step = make(initial_classifier());
        fashion_batches feed(*data().fashion, Row::batch);
        std::optional<nb::denormals_flushed> ftz;
        if constexpr (Row::opt == optimiser::adam) ftz.emplace();
        std::vector<double> losses;
        for (std::size_t k = 0; k < check_steps; ++k) {
            feed.next();
            losses.push_back(static_cast<double>(step(feed.x(), feed.y())));
        }
        check_losses(Row::name(), who, losses);
    }
    benchmark::RegisterBenchmark(name.c_str(), [make](benchmark::State& state) {
        auto step = make(initial_classifier());
        fashion_batches feed(*data().fashion, Row::batch);
        std::optional<nb::denormals_flushed> ftz;
        if constexpr (Row::opt == optimiser::adam) ftz.emplace();
        float loss = 0;
        for (auto _ : state) {
            feed.next();
            loss = step(feed.x(), feed.y());
            benchmark::DoNotOptimize(loss);
        }
        state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(Row::batch));
        state.counters["last_loss"] = static_cast<double>(loss);
    });
}

// Registers "mlp_2_16_16_1_sgd/<who>". make(initial_regressor()) returns step(x, t), which trains
// one step on the sample and returns its loss before the step. Items are steps.
template <class Make>
void add_regression(const std::string& who, Make make) {
    {
        auto step = make(initial_regressor());
        regression_feed feed(data().regression);
        std::vector<double> losses;
        for (std::size_t k = 0; k < check_steps; ++k) {
            feed.next();
            losses.push_back(static_cast<double>(step(feed.x(), feed.t())));
        }
        check_losses(regression_row, who, losses);
    }
    const std::string name = regression_row + "/" + who;
    benchmark::RegisterBenchmark(name.c_str(), [make](benchmark::State& state) {
        auto step = make(initial_regressor());
        regression_feed feed(data().regression);
        float loss = 0;
        for (auto _ : state) {
            feed.next();
            loss = step(feed.x(), feed.t());
            benchmark::DoNotOptimize(loss);
        }
        state.SetItemsProcessed(state.iterations());
        state.counters["last_loss"] = static_cast<double>(loss);
    });
}

// ---- the hand-written contenders ----------------------------------------------------------------

auto handwritten_regression() {
    return [](const regressor& init) {
        return [p = init](const std::array<float, 2>& x, const std::array<float, 1>& t) mutable {
            return nb::sgd_step(p, x, t, regression_lr);
        };
    };
}

template <class Row>
auto handwritten_fashion() {
    return [](const classifier& init) {
        if constexpr (Row::opt == optimiser::sgd) {
            return
                [p = init](std::span<const float> x, std::span<const std::uint8_t> labels) mutable {
                    return nb::sgd_step<Row::batch>(p, x, labels, sgd_lr);
                };
        } else {
            return [p = init, s = nb::adam_state<classifier>{}](
                       std::span<const float> x, std::span<const std::uint8_t> labels) mutable {
                return nb::adam_step<Row::batch>(p, s, x, labels, adam_settings);
            };
        }
    };
}

// ---- the tapeless contenders --------------------------------------------------------------------

namespace tn = tapeless::nn;
using tl_regressor = tn::mlp<tn::dense<2, 16>, tn::activations::tanh, tn::dense<16, 16>,
                             tn::activations::tanh, tn::dense<16, 1>>;
using tl_classifier = tn::mlp<tn::dense<784, 128>, tn::activations::relu, tn::dense<128, 10>>;

// The hand-written network's initial weights in a tapeless model: the same layout (each layer's
// In × Out weights row-major, then its bias), so the tensors go in one after the other.
template <class Net, class Hand>
tn::model<Net, float> to_model(const Hand& init) {
    tn::model<Net, float> m;
    std::size_t at = 0;
    for (const auto& t : nb::tensors(init)) {
        std::copy(t.begin(), t.end(), m.parameters.begin() + static_cast<std::ptrdiff_t>(at));
        at += t.size();
    }
    if (at != Net::parameter_count) std::abort();
    return m;
}

// One step: the loss and gradient from the generated reverse sweep (tn::loss_and_gradient), then
// the optimiser's pass over the flat parameters, which also clears the gradient for the next step.
auto tapeless_regression() {
    return [](const regressor& init) {
        return [m = to_model<tl_regressor>(init),
                g = std::vector<float>(tl_regressor::parameter_count),
                opt = tn::sgd<float>(regression_lr)](const std::array<float, 2>& x,
                                                     const std::array<float, 1>& t) mutable {
            const float J =
                tn::loss_and_gradient<tn::losses::mse, 1>(m, x.data(), t.data(), g.data());
            opt.step_and_clear(m.parameters, g);
            return J;
        };
    };
}

template <class Row>
auto tapeless_fashion() {
    return [](const classifier& init) {
        using Opt = std::conditional_t<Row::opt == optimiser::sgd, tn::sgd<float>, tn::adam<float>>;
        Opt opt = [] {
            if constexpr (Row::opt == optimiser::sgd)
                return tn::sgd<float>(sgd_lr);
            else
                return tn::adam<float>(adam_settings.lr, adam_settings.beta1, adam_settings.beta2,
                                       adam_settings.eps);
        }();
        return [m = to_model<tl_classifier>(init),
                g = std::vector<float>(tl_classifier::parameter_count),
                y = std::vector<float>(Row::batch * 10),
                opt](std::span<const float> x, std::span<const std::uint8_t> labels) mutable {
            std::fill(y.begin(), y.end(), 0.0f); // one-hot targets
            for (std::size_t r = 0; r < Row::batch; ++r) y[r * 10 + labels[r]] = 1.0f;
            const float J = tn::loss_and_gradient<tn::losses::softmax_cross_entropy, Row::batch>(
                m, x.data(), y.data(), g.data());
            opt.step_and_clear(m.parameters, g);
            return J;
        };
    };
}

void register_all() {
    add_regression("handwritten", handwritten_regression());
    add_regression("tapeless", tapeless_regression());
    add_fashion<b32_sgd>("handwritten", handwritten_fashion<b32_sgd>());
    add_fashion<b32_sgd>("tapeless", tapeless_fashion<b32_sgd>());
    add_fashion<b32_adam>("handwritten", handwritten_fashion<b32_adam>());
    add_fashion<b32_adam>("tapeless", tapeless_fashion<b32_adam>());
    add_fashion<b128_sgd>("handwritten", handwritten_fashion<b128_sgd>());
    add_fashion<b128_sgd>("tapeless", tapeless_fashion<b128_sgd>());
}

// ---- start-up check of the hand-written gradients -----------------------------------------------

// Central differences of loss_of(net) with respect to every parameter, against grad.
template <class Net, class LossOf>
bool gradient_agrees(const std::string& what, Net net, Net grad, LossOf loss_of) {
    std::vector<double> got, expected;
    auto ts = tensors(net);
    auto gs = tensors(grad);
    const double step = std::cbrt(std::numeric_limits<double>::epsilon());
    for (std::size_t k = 0; k < ts.size(); ++k)
        for (std::size_t i = 0; i < ts[k].size(); ++i) {
            const double w = ts[k][i];
            const double h = step * std::max(1.0, std::abs(w));
            ts[k][i] = w + h;
            const double up = loss_of(net);
            ts[k][i] = w - h;
            const double down = loss_of(net);
            ts[k][i] = w;
            got.push_back(gs[k][i]);
            expected.push_back((up - down) / ((w + h) - (w - h)));
        }
    return tb::agree(what + " (hand-written gradient vs finite differences)", got, expected,
                     tb::difference_tolerance);
}

// Random non-zero biases as well as weights, so every term of the gradient is exercised.
template <class Net>
Net random_net(std::uint64_t seed) {
    Net p;
    tapeless::nn::rng g(seed);
    nb::init(p, g);
    for (auto t : tensors(p))
        for (auto& w : t) w += static_cast<typename Net::value_type>(g.uniform(-0.3, 0.3));
    return p;
}

template <class T>
std::vector<T> random_values(tapeless::nn::rng& g, std::size_t n, double lo, double hi) {
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(g.uniform(lo, hi));
    return v;
}

template <std::size_t B, class Net>
bool check_classifier(const std::string& what, std::uint64_t seed) {
    using T = typename Net::value_type;
    const Net p = random_net<Net>(seed);
    tapeless::nn::rng g(seed + 100);
    const auto x = random_values<T>(g, B * Net::inputs, 0.0, 1.0);
    std::vector<std::uint8_t> labels(B);
    for (auto& y : labels) y = static_cast<std::uint8_t>(g.below(Net::outputs));
    Net grad;
    const T l = nb::gradient<B>(p, std::span<const T>(x), labels, grad);
    bool ok = tb::agree(what + " (loss of gradient() vs loss())", std::vector<double>{l},
                        std::vector<double>{nb::loss(p, std::span<const T>(x), labels)},
                        tb::exact_tolerance);
    ok = gradient_agrees(what, p, grad,
                         [&](const Net& q) {
                             return static_cast<double>(nb::loss(q, std::span<const T>(x), labels));
                         }) &&
         ok;
    // sgd_step must be θ − lr ∇θ, and adam_step PyTorch's formula on the same gradient.
    const T lr = T(0.05);
    Net s = p;
    nb::sgd_step<B>(s, std::span<const T>(x), labels, lr);
    Net a = p;
    nb::adam_state<Net> state;
    const nb::adam_config<T> cfg{};
    nb::adam_step<B>(a, state, std::span<const T>(x), labels, cfg);
    std::vector<double> got_s, want_s, got_a, want_a;
    auto ps = tensors(p);
    auto gs = tensors(grad);
    auto ss = tensors(s);
    auto as = tensors(a);
    for (std::size_t k = 0; k < ps.size(); ++k)
        for (std::size_t i = 0; i < ps[k].size(); ++i) {
            const double w = ps[k][i], gr = gs[k][i];
            got_s.push_back(ss[k][i]);
            want_s.push_back(w - static_cast<double>(lr) * gr);
            // first Adam step: m = (1 − β1) g, v = (1 − β2) g², bias corrections 1 − β
            const double m = (1 - 0.9) * gr, v = (1 - 0.999) * gr * gr;
            got_a.push_back(as[k][i]);
            want_a.push_back(w -
                             1e-3 / (1 - 0.9) * m / (std::sqrt(v) / std::sqrt(1 - 0.999) + 1e-8));
        }
    ok = tb::agree(what + " (sgd_step vs θ − lr ∇θ)", got_s, want_s, tb::exact_tolerance) && ok;
    ok = tb::agree(what + " (adam_step vs Adam on the gradient)", got_a, want_a, 1e-7) && ok;
    return ok;
}

// The float 784-128-10 gradient of a batch of 32 (the tiles of the benchmark) against the double
// one from the same numbers.
bool check_float_classifier() {
    using dnet = nb::relu_mlp<double, 784, 128, 10>;
    const dnet pd = random_net<dnet>(11);
    classifier pf;
    {
        auto src = tensors(pd);
        auto dst = tensors(pf);
        for (std::size_t k = 0; k < src.size(); ++k)
            for (std::size_t i = 0; i < src[k].size(); ++i)
                dst[k][i] = static_cast<float>(src[k][i]);
    }
    tapeless::nn::rng g(12);
    const auto xf = random_values<float>(g, 32 * 784, 0.0, 1.0);
    const std::vector<double> xd(xf.begin(), xf.end());
    std::vector<std::uint8_t> labels(32);
    for (auto& y : labels) y = static_cast<std::uint8_t>(g.below(10));
    classifier gf;
    dnet gd;
    nb::gradient<32>(pf, std::span<const float>(xf), labels, gf);
    nb::gradient<32>(pd, std::span<const double>(xd), labels, gd);
    bool ok = true;
    auto fs = tensors(gf);
    auto ds = tensors(gd);
    for (std::size_t k = 0; k < fs.size(); ++k) {
        std::vector<double> got(fs[k].begin(), fs[k].end()), want(ds[k].begin(), ds[k].end());
        double scale = 0;
        for (double w : want) scale = std::max(scale, std::abs(w));
        for (auto& w : got) w /= scale;
        for (auto& w : want) w /= scale;
        ok = tb::agree("784-128-10 float gradient (tensor " + std::to_string(k) +
                           ", relative to its largest element) vs double",
                       got, want, 1e-4) &&
             ok;
    }
    return ok;
}

void check_handwritten_nn() {
    bool ok = true;
    {
        using net = nb::tanh_mlp<double, 2, 3, 3, 1>;
        const net p = random_net<net>(5);
        const std::array<double, 2> x{0.3, -1.1};
        const std::array<double, 1> t{0.25};
        net grad;
        nb::gradient(p, x, t, grad);
        ok = gradient_agrees("tanh 2-3-3-1", p, grad,
                             [&](const net& q) { return nb::loss(q, x, t); }) &&
             ok;
        net s = p;
        nb::sgd_step(s, x, t, 0.05);
        std::vector<double> got, want;
        auto ps = tensors(p);
        auto gs = tensors(grad);
        auto ss = tensors(s);
        for (std::size_t k = 0; k < ps.size(); ++k)
            for (std::size_t i = 0; i < ps[k].size(); ++i) {
                got.push_back(ss[k][i]);
                want.push_back(ps[k][i] - 0.05 * gs[k][i]);
            }
        ok =
            tb::agree("tanh 2-3-3-1 (sgd_step vs θ − lr ∇θ)", got, want, tb::exact_tolerance) && ok;
    }
    ok = check_classifier<2, nb::relu_mlp<double, 6, 4, 3>>("relu 6-4-3, batch 2", 6) && ok;
    // wide enough for the register tiles, with rows and columns left over
    ok = check_classifier<5, nb::relu_mlp<double, 22, 43, 3>>("relu 22-43-3, batch 5", 7) && ok;
    ok = check_float_classifier() && ok;
    if (!ok) tb::fail("the hand-written MLP gradient is wrong: every ratio would be meaningless");
}

// ---- --print_check ------------------------------------------------------------------------------

// Σ |θ − θ0| over all parameters, in double.
template <class Net>
double delta_l1(Net& now, const Net& start) {
    double s = 0;
    auto a = tensors(now);
    auto b = tensors(start);
    for (std::size_t k = 0; k < a.size(); ++k)
        for (std::size_t i = 0; i < a[k].size(); ++i)
            s += std::abs(static_cast<double>(a[k][i]) - static_cast<double>(b[k][i]));
    return s;
}

void print_row(const std::string& row, const std::vector<double>& losses, double delta) {
    for (std::size_t k = 0; k < losses.size(); ++k)
        std::printf("%s loss %zu %.9g\n", row.c_str(), k + 1, losses[k]);
    std::printf("%s delta_l1 %zu %.9g\n", row.c_str(), losses.size(), delta);
}

template <class Row>
void print_fashion_check() {
    classifier p = initial_classifier();
    nb::adam_state<classifier> s;
    fashion_batches feed(*data().fashion, Row::batch);
    std::optional<nb::denormals_flushed> ftz;
    if constexpr (Row::opt == optimiser::adam) ftz.emplace();
    std::vector<double> losses;
    for (std::size_t k = 0; k < check_steps; ++k) {
        feed.next();
        if constexpr (Row::opt == optimiser::sgd)
            losses.push_back(nb::sgd_step<Row::batch>(p, feed.x(), feed.y(), sgd_lr));
        else
            losses.push_back(nb::adam_step<Row::batch>(p, s, feed.x(), feed.y(), adam_settings));
    }
    print_row(Row::name(), losses, delta_l1(p, initial_classifier()));
}

int print_check() {
    std::printf("# bench_nn --print_check: <row> loss <step> <loss of the step's batch before the "
                "step>; <row> delta_l1 <steps> <sum of |parameter change|>\n");
    regressor p = initial_regressor();
    regression_feed feed(data().regression);
    std::vector<double> losses;
    for (std::size_t k = 0; k < check_steps; ++k) {
        feed.next();
        losses.push_back(nb::sgd_step(p, feed.x(), feed.t(), regression_lr));
    }
    print_row(regression_row, losses, delta_l1(p, initial_regressor()));
    if (!data().fashion) {
        std::fprintf(stderr, "%s\n", data().fashion_error.c_str());
        return 1;
    }
    print_fashion_check<b32_sgd>();
    print_fashion_check<b32_adam>();
    print_fashion_check<b128_sgd>();
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    bool check_only = false;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--print_check") == 0)
            check_only = true;
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    check_handwritten_nn();
    load_data();
    if (check_only) return print_check();
    tb::add_common_context();
    if (!data().fashion) std::fprintf(stderr, "bench_nn: %s\n", data().fashion_error.c_str());
    register_all();
    tb::finish_checks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
