// Gradient buckets summed while the backward pass runs (nn/gradient_buckets.h):
// two ranks of a real c10d Gloo group, as two threads of this process on
// loopback. Each rank's gradients become exactly the sum of both ranks' own
// (two addends: the same float sum in any order), the first bucket's
// all-reduce starts before the backward pass has reached the layers below
// it, a parameter one rank's pass does not reach gets the other's gradient,
// two passes before one finish() are summed whole, and the state resets
// from pass to pass.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/torch.h>
#include <unistd.h>

#include <QTest>
#include <exception>
#include <thread>

#include "nn/gradient_buckets.h"
#include "nn/process_group.h"

using namespace eqlab::nn;

namespace {

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), n) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) != 0)
        qFatal("no free port");
    ::close(fd);
    return ntohs(a.sin_port);
}

// Four 600 x 600 layers (1.4 MB of weights each) and one parameter no pass
// reaches: buckets {b3, w3} (the first, 1 MB cap) and the rest, `spare` last.
struct Net {
    std::vector<torch::nn::Linear> layers;
    torch::Tensor spare;
    Net() {
        torch::manual_seed(3);
        for (int i = 0; i < 4; ++i) layers.emplace_back(600, 600);
        spare = torch::randn({10}).requires_grad_(true);
    }
    std::vector<torch::Tensor> parameters() const {
        std::vector<torch::Tensor> p = {spare};  // first: in the last bucket, which finish() starts
        for (const auto& l : layers) p.insert(p.end(), {l->weight, l->bias});
        return p;
    }
    // With `spare`: a parameter only some ranks' passes reach.
    torch::Tensor loss(const torch::Tensor& x, bool spareToo = false) {
        torch::Tensor h = x;
        for (auto& l : layers) h = torch::tanh(l->forward(h));
        torch::Tensor loss = h.pow(2).sum();
        return spareToo ? loss + (spare * x.narrow(1, 0, 10)).sum() : loss;
    }
};

torch::Tensor input(int rank, int pass) {
    torch::manual_seed(100 + 10 * pass + rank);
    return torch::randn({8, 600});
}

// The passes: 0 as a trainer's, 1 where rank 1 alone reaches `spare`, 2 two
// backward passes (inputs 2 and 3) before one finish(), as gradient accumulation.
constexpr int kPasses = 3;
void backward(Net& net, const std::vector<torch::Tensor>& inputs, int rank, int pass) {
    if (pass == 2) {
        net.loss(inputs[2]).backward();
        net.loss(inputs[3]).backward();
    } else {
        net.loss(inputs[size_t(pass)], pass == 1 && rank == 1).backward();
    }
}

// Each rank's gradients alone (no group), pass by pass; zeros where the pass did not reach.
std::vector<torch::Tensor> ownGradients(int rank, int pass) {
    Net net;
    std::vector<torch::Tensor> inputs;
    for (int i = 0; i < 4; ++i) inputs.push_back(input(rank, i));
    backward(net, inputs, rank, pass);
    std::vector<torch::Tensor> g;
    for (const auto& p : net.parameters()) g.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    return g;
}

struct RankResult {
    std::vector<std::vector<torch::Tensor>> grads;  // per pass
    std::vector<int> startedAtLayer1;               // per pass: buckets started when layer 1's weight was done
    std::vector<int> startedDuringBackward;
    std::exception_ptr error;
};

}  // namespace

class TestGradientBuckets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sumsWhileTheBackwardPassRuns() {
        torch::set_num_threads(1);
        constexpr int kRanks = 2;
        const int port = freePort();
        std::vector<RankResult> results(kRanks);
        // Made here: the ranks' threads would share (and race on) torch's global generator.
        std::vector<Net> nets(kRanks);
        std::vector<std::vector<torch::Tensor>> inputs(kRanks);
        for (int r = 0; r < kRanks; ++r)
            for (int i = 0; i < 4; ++i) inputs[size_t(r)].push_back(input(r, i));
        std::vector<std::thread> threads;
        for (int r = 0; r < kRanks; ++r)
            threads.emplace_back([&, r] {
                RankResult& out = results[size_t(r)];
                try {
                    LaunchEnvironment env;
                    env.rank = r;
                    env.worldSize = kRanks;
                    env.localRank = r;
                    env.masterAddr = "127.0.0.1";
                    env.masterPort = port;
                    env.launcher = "torchrun";
                    ProcessGroup group(env, 60);
                    Net& net = nets[size_t(r)];
                    GradientBuckets buckets(group, net.parameters());
                    if (buckets.buckets() != 2) throw std::runtime_error("expected 2 buckets");
                    int atLayer1 = -1;
                    auto acc = torch::autograd::impl::grad_accumulator(net.layers[1]->weight);
                    const uintptr_t key = acc->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
                        [&](const torch::autograd::variable_list& o, const torch::autograd::variable_list&) {
                            atLayer1 = buckets.started();
                            return o;
                        }));
                    for (int pass = 0; pass < kPasses; ++pass) {
                        for (auto& p : net.parameters())
                            if (p.grad().defined()) p.mutable_grad().zero_();  // as the optimisers' zero_grad
                        backward(net, inputs[size_t(r)], r, pass);
                        buckets.finish();
                        std::vector<torch::Tensor> g;
                        for (const auto& p : net.parameters())
                            g.push_back(p.grad().defined() ? p.grad().clone() : torch::Tensor());
                        out.grads.push_back(g);
                        out.startedAtLayer1.push_back(atLayer1);
                        out.startedDuringBackward.push_back(buckets.startedDuringBackward());
                    }
                    acc->del_post_hook(key);
                    group.barrier();
                } catch (...) {
                    out.error = std::current_exception();
                }
            });
        for (auto& t : threads) t.join();
        for (int r = 0; r < kRanks; ++r)
            if (results[size_t(r)].error) {
                try {
                    std::rethrow_exception(results[size_t(r)].error);
                } catch (const std::exception& e) {
                    QFAIL(qPrintable(QString("rank %1: %2").arg(r).arg(e.what())));
                }
            }
        for (int pass = 0; pass < kPasses; ++pass) {
            const std::vector<torch::Tensor> a = ownGradients(0, pass), b = ownGradients(1, pass);
            for (int r = 0; r < kRanks; ++r) {
                const RankResult& res = results[size_t(r)];
                // Bucket 0 ({b3, w3}) was on its way before layer 1's weight had its gradient; bucket 1 was not.
                QCOMPARE(res.startedAtLayer1[size_t(pass)], 1);
                // Bucket 1 waits for `spare`, except on rank 1 in pass 1; else finish() starts it.
                QCOMPARE(res.startedDuringBackward[size_t(pass)], pass == 1 && r == 1 ? 2 : 1);
                const std::vector<torch::Tensor>& g = res.grads[size_t(pass)];
                QCOMPARE(g.size(), a.size());
                for (size_t k = 0; k < g.size(); ++k)  // `spare` (k = 0) too: the same on every rank
                    QVERIFY2(g[k].defined() && torch::equal(g[k], a[k] + b[k]),
                             qPrintable(QString("pass %1, rank %2, parameter %3").arg(pass).arg(r).arg(k)));
            }
        }
    }
};

QTEST_MAIN(TestGradientBuckets)
#include "tst_gradient_buckets.moc"
