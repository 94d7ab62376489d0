// Trains a multilayer perceptron on Fashion-MNIST with tapeless::nn: the network is a tapeless
// expression, its gradient the generated reverse sweep.
//
//   example_fashion_mnist [--epochs N] [--optimizer adam|sgd|momentum] [--learning-rate R]
//                         [--weight-decay L] [--limit N] [--threads N] [--seed S]
//                         [--out DIR] [--save FILE] [--evaluate FILE] [--no-sharpness]
//                         [--constant-rate]
//
// Network 784-256-128-10 (relu, relu, softmax cross-entropy), float, batches of 64 split into 2
// data-parallel parts (OpenMP), the learning rate decaying as a cosine over the epochs (unless
// --constant-rate). Every epoch it prints the training loss and accuracy, the test loss
// and accuracy and the samples per second (a progress bar while the epoch runs, on a terminal),
// appends them to DIR/fashion_mnist.csv, and at the end saves the model (atomically) and reports
// the loss's sharpness on one training batch: the Hessian's top eigenvalue by power iteration on
// Hessian-vector products. --evaluate FILE loads a saved model and reports its test accuracy.
// --limit N trains on the first N training samples (a quick run). The data come from Debian's
// dataset-fashion-mnist (or the directory in TAPELESS_FASHION_MNIST); without them the program
// says so and exits with 77 (a skipped test).
#include <tapeless/nn.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace tl = tapeless;
namespace nn = tapeless::nn;

using net = nn::mlp<nn::dense<784, 256>, nn::activations::relu, nn::dense<256, 128>,
                    nn::activations::relu, nn::dense<128, 10>>;
using loss_kind = nn::losses::softmax_cross_entropy;
using T = float;
constexpr std::size_t batch = 64, parts = 2, eval_batch = 100;

namespace {

struct options {
    int epochs = 15;
    std::string optimizer = "adam";
    double learning_rate = -1; // default per optimiser
    double weight_decay = 0;
    std::size_t limit = 0;
    int threads = 0;
    std::uint64_t seed = 1;
    std::filesystem::path out = ".";
    std::filesystem::path save;
    std::filesystem::path evaluate;
    bool sharpness = true;
    bool cosine = true; // learning rate: cosine decay over the epochs, else constant
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "example_fashion_mnist: " << problem << "\n"
              << "usage: example_fashion_mnist [--epochs N] [--optimizer adam|sgd|momentum] "
                 "[--learning-rate R]\n"
                 "       [--weight-decay L] [--limit N] [--threads N] [--seed S] [--out DIR] "
                 "[--save FILE]\n"
                 "       [--evaluate FILE] [--no-sharpness] [--constant-rate]\n";
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage("missing value after " + std::string(a));
            return argv[++i];
        };
        try {
            if (a == "--epochs")
                o.epochs = std::stoi(value());
            else if (a == "--optimizer")
                o.optimizer = value();
            else if (a == "--learning-rate")
                o.learning_rate = std::stod(value());
            else if (a == "--weight-decay")
                o.weight_decay = std::stod(value());
            else if (a == "--limit")
                o.limit = std::stoul(value());
            else if (a == "--threads")
                o.threads = std::stoi(value());
            else if (a == "--seed")
                o.seed = std::stoull(value());
            else if (a == "--out")
                o.out = value();
            else if (a == "--save")
                o.save = value();
            else if (a == "--evaluate")
                o.evaluate = value();
            else if (a == "--no-sharpness")
                o.sharpness = false;
            else if (a == "--constant-rate")
                o.cosine = false;
            else
                usage("unknown option " + std::string(a));
        } catch (const std::logic_error&) {
            usage("bad number after " + std::string(a));
        }
    }
    if (o.optimizer != "adam" && o.optimizer != "sgd" && o.optimizer != "momentum")
        usage("unknown optimizer " + o.optimizer);
    if (o.epochs < 0) usage("--epochs must be at least 0");
    if (o.learning_rate < 0)
        o.learning_rate = o.optimizer == "adam" ? 1e-3 : o.optimizer == "sgd" ? 0.1 : 0.02;
    if (o.save.empty()) o.save = o.out / "fashion_mnist.tlm";
    return o;
}

// One optimiser step, whichever was chosen.
struct optimiser {
    nn::sgd<T> sgd;
    nn::momentum<T> mom;
    nn::adam<T> adam;
    int kind; // 0 sgd, 1 momentum, 2 adam
    explicit optimiser(const options& o)
        : sgd(static_cast<T>(o.learning_rate), static_cast<T>(o.weight_decay)),
          mom(static_cast<T>(o.learning_rate), T(0.9), static_cast<T>(o.weight_decay)),
          adam(static_cast<T>(o.learning_rate), T(0.9), T(0.999), T(1e-8),
               static_cast<T>(o.weight_decay)),
          kind(o.optimizer == "sgd"        ? 0
               : o.optimizer == "momentum" ? 1
                                           : 2) {}
    void set_learning_rate(T lr) {
        sgd.learning_rate = mom.learning_rate = adam.learning_rate = lr;
    }
    // One step; the gradient is left zero for the next accumulation.
    void step_and_clear(std::span<T> p, std::span<T> g) {
        if (kind == 0)
            sgd.step_and_clear(p, g);
        else if (kind == 1)
            mom.step_and_clear(p, g);
        else
            adam.step_and_clear(p, g);
    }
};

// A one-line progress bar, redrawn in place on a terminal.
void progress(int epoch, int epochs, std::size_t done, std::size_t total, double loss,
              double accuracy, double rate) {
    constexpr int width = 30;
    const int filled =
        static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total));
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\repoch %d/%d [%s] %3.0f%%  loss %.4f  acc %.4f  %.0f samples/s ", epoch,
                 epochs, bar.c_str(),
                 100.0 * static_cast<double>(done) / static_cast<double>(total), loss, accuracy,
                 rate);
    std::fflush(stderr);
}

} // namespace

int main(int argc, char** argv) try {
    const options o = parse(argc, argv);
#if defined(_OPENMP)
    if (o.threads > 0) omp_set_num_threads(o.threads);
#endif
    nn::dataset train, test;
    try {
        train = nn::load_fashion_mnist(nn::split::train);
        test = nn::load_fashion_mnist(nn::split::test);
    } catch (const nn::data_error& e) {
        std::cerr << "example_fashion_mnist: " << e.what()
                  << "\n(install Debian's dataset-fashion-mnist, or set TAPELESS_FASHION_MNIST to "
                     "a directory "
                     "with its four files)\n";
        return 77;
    }
    const std::vector<T> train_x = nn::normalized_pixels<T>(train.images);
    const std::vector<T> test_x = nn::normalized_pixels<T>(test.images);
    const std::span<const std::uint8_t> train_y(train.labels.labels), test_y(test.labels.labels);

    if (!o.evaluate.empty()) {
        nn::model<net, T> m;
        nn::load_model(o.evaluate, m);
        const auto e = nn::evaluate<loss_kind, eval_batch>(m, std::span<const T>(test_x), test_y);
        std::printf("%s: test loss %.4f, test accuracy %.4f (%zu samples)\n",
                    o.evaluate.string().c_str(), static_cast<double>(e.loss), e.accuracy,
                    e.samples);
        return 0;
    }

    const std::size_t n = o.limit ? std::min(o.limit, train.size()) : train.size();
    const std::size_t batches = n / batch;
    if (batches == 0) usage("--limit must leave at least one batch of 64 samples");
    std::filesystem::create_directories(o.out);
    const auto csv_path = o.out / "fashion_mnist.csv";
    std::ofstream csv(csv_path);
    csv << "epoch,train_loss,train_accuracy,test_loss,test_accuracy,samples_per_second\n";

    std::printf("network 784-256-128-10 (relu), %zu parameters, float; %s, learning rate %g%s, "
                "weight decay %g; "
                "batches of %zu in %zu parts; %zu training samples, %d epochs\n",
                net::parameter_count, o.optimizer.c_str(), o.learning_rate,
                o.cosine ? " (cosine decay)" : "", o.weight_decay, batch, parts, n, o.epochs);
    nn::model<net, T> m(o.seed);
    optimiser opt(o);
    nn::rng shuffler(o.seed + 1);
    std::vector<std::uint32_t> order = nn::iota(n);
    std::vector<T> x(batch * net::inputs), y(batch * net::outputs), out(batch * net::outputs);
    std::vector<T> grad(net::parameter_count, T(0)); // zero; step_and_clear leaves it zero again
    const bool tty = isatty(fileno(stderr)) != 0;
    {
        // Adam's moments of the blank border pixels' weights decay into denormals
        nn::flush_denormals ftz;
        for (int epoch = 1; epoch <= o.epochs; ++epoch) {
            nn::shuffle(shuffler, std::span(order));
            // cosine decay: from the learning rate down to near 0 at the last epoch
            const double pi = 3.141592653589793;
            opt.set_learning_rate(static_cast<T>(
                o.cosine ? o.learning_rate * 0.5 * (1 + std::cos(pi * (epoch - 1) / o.epochs))
                         : o.learning_rate));
            const auto start = std::chrono::steady_clock::now();
            double loss_sum = 0;
            std::size_t seen = 0, seen_right = 0;
            for (std::size_t b = 0; b < batches; ++b) {
                nn::gather_batch<batch, net::inputs, net::outputs>(
                    std::span<const T>(train_x), train_y, order, b * batch, x.data(), y.data());
                loss_sum +=
                    static_cast<double>(nn::parallel_loss_and_gradient<loss_kind, batch, parts>(
                        m, x.data(), y.data(), grad.data()));
                opt.step_and_clear(m.parameters, grad);
                if (tty && (b % 50 == 0 || b + 1 == batches)) {
                    // the running accuracy: every 50th batch, after its step (one extra forward
                    // pass)
                    nn::outputs<batch>(m, x.data(), out.data());
                    for (std::size_t r = 0; r < batch; ++r) {
                        const std::size_t best =
                            nn::argmax(out.data() + r * net::outputs, net::outputs);
                        seen_right +=
                            y[r * net::outputs + best] == T(1) ? std::size_t{1} : std::size_t{0};
                    }
                    seen += batch;
                    const double s =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                            .count();
                    progress(epoch, o.epochs, b + 1, batches, loss_sum / static_cast<double>(b + 1),
                             static_cast<double>(seen_right) / static_cast<double>(seen),
                             static_cast<double>((b + 1) * batch) / s);
                }
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double rate = static_cast<double>(batches * batch) / seconds;
            const auto tr = nn::evaluate<loss_kind, eval_batch>(
                m, std::span<const T>(train_x).first(n * net::inputs), train_y.first(n));
            const auto te =
                nn::evaluate<loss_kind, eval_batch>(m, std::span<const T>(test_x), test_y);
            if (tty) std::fprintf(stderr, "\r%100s\r", "");
            std::printf("epoch %2d/%d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  %.0f "
                        "samples/s (%.1f s)\n",
                        epoch, o.epochs, static_cast<double>(tr.loss), tr.accuracy,
                        static_cast<double>(te.loss), te.accuracy, rate, seconds);
            std::fflush(stdout);
            csv << epoch << ',' << tr.loss << ',' << tr.accuracy << ',' << te.loss << ','
                << te.accuracy << ',' << rate << '\n';
            csv.flush();
        }
    }
    nn::save_model(o.save, m);
    std::printf("saved %s; training curve %s\n", o.save.string().c_str(),
                csv_path.string().c_str());

    if (o.sharpness) {
        // the Hessian of the loss on one training batch of 64, in all 235,146 parameters
        nn::gather_batch<batch, net::inputs, net::outputs>(std::span<const T>(train_x), train_y,
                                                           nn::iota(n), 0, x.data(), y.data());
        const auto s = nn::sharpness<loss_kind, batch>(m, x.data(), y.data(), 100, T(1e-3));
        std::printf("sharpness (top Hessian eigenvalue of the loss on one batch): %.4g (%zu power "
                    "iterations%s)\n",
                    static_cast<double>(s.value), s.iterations,
                    s.converged ? "" : ", not converged");
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "example_fashion_mnist: " << e.what() << '\n';
    return 1;
}
