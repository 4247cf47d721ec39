#include "nn/m1_train_args.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "base/errors.h"

namespace eqlab::m1 {

namespace {

constexpr uint64_t kDefaultValidBytes = 65536;   // bytes of the validation text scored unless --valid-bytes
constexpr double kDefaultCheckpointMinutes = 5;  // minutes between checkpoints unless --checkpoint-minutes

// The shortest text that reads back as exactly v ("0.001", "5", "3e-07").
std::string num(double v) {
    char buf[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

std::vector<TrainM1Option> makeOptions() {
    const TrainOptions o;
    const M1Config c;
    return {
        {"corpus", "FILE", "Training text.", ""},
        {"valid", "FILE", "Validation text.", ""},
        {"out", "FILE", "The weight file to write (checkpoints go to OUT.ckpt.*).", ""},
        {"steps", "N", "Optimiser steps in total.", std::to_string(o.steps)},
        {"batch", "B", "Sequences per step.", std::to_string(o.batch)},
        {"seq", "T", "Bytes per training sequence.", std::to_string(o.seq)},
        {"lr", "X", "Peak learning rate (warmup, then cosine decay to 10%).", num(o.lr)},
        {"seed", "S", "Random seed.", std::to_string(o.seed)},
        {"threads", "N", "libtorch threads (0: its default).", "0"},
        {"device", "DEVICE", "cpu or cuda.", o.device},
        {"resume", "", "Continue from OUT.ckpt.* exactly where it stopped.", ""},
        {"d-model", "D", "Embedding width.", std::to_string(c.dModel)},
        {"heads", "H", "Attention heads.", std::to_string(c.heads)},
        {"layers", "L", "Transformer blocks.", std::to_string(c.layers)},
        {"mlp", "M", "MLP width.", std::to_string(c.mlp)},
        {"context", "C", "Context length in bytes.", std::to_string(c.context)},
        {"valid-every", "N", "Steps between validations.", std::to_string(o.validEvery)},
        {"valid-bytes", "N", "Bytes of the validation text scored.", std::to_string(kDefaultValidBytes)},
        {"checkpoint-minutes", "M", "Minutes between checkpoints.", num(kDefaultCheckpointMinutes)},
        {"minutes", "M", "A time budget in minutes: the schedule runs on elapsed time (0: by steps).", "0"},
        {"augment", "P",
         "Probability of each layout/typography variation per sequence (line wraps; curly quotes and dashes).", "0"},
        {"init", "FILE", "Fine-tune: start from these weights (their config is used).", ""},
        {"keep-best", "", "Also keep the weights of the best validation in OUT.best.", ""},
        {"dist-timeout", "SECONDS", "Launched by torchrun or Slurm: seconds a rank waits for the others.", "300"},
    };
}

const TrainM1Option* findOption(const std::string& name) {
    for (const TrainM1Option& o : trainM1Options())
        if (o.name == name) return &o;
    return nullptr;
}

}  // namespace

const char* const kTrainM1Usage =
    "--corpus FILE --valid FILE --out FILE [--steps N --batch B --seq T --lr X --seed S --threads N] [--resume]";

const std::vector<TrainM1Option>& trainM1Options() {
    static const std::vector<TrainM1Option> options = makeOptions();
    return options;
}

TrainM1Args trainM1ArgsFrom(const OptionValue& value) {
    auto text = [&](const std::string& name) {
        const std::optional<std::string> v = value(name);
        return v ? *v : findOption(name)->defaultValue;
    };
    auto number = [&](const std::string& name) {
        const std::string s = text(name);
        try {
            size_t used = 0;
            const double v = std::stod(s, &used);
            if (used == s.size()) return v;
        } catch (const std::exception&) {
        }
        throw InvalidArgument("--" + name + " expects a number");
    };
    auto flag = [&](const std::string& name) { return value(name).has_value(); };
    for (const char* required : {"corpus", "valid", "out"})
        if (!value(required)) throw InvalidArgument(std::string("--") + required + " is required");
    TrainM1Args a;
    TrainOptions& o = a.options;
    o.corpus = text("corpus");
    o.valid = text("valid");
    o.out = text("out");
    o.steps = int64_t(number("steps"));
    o.batch = int(number("batch"));
    o.seq = int(number("seq"));
    o.lr = number("lr");
    o.seed = uint64_t(number("seed"));
    o.threads = int(number("threads"));
    o.device = text("device");
    o.resume = flag("resume");
    o.validEvery = std::max(1, int(number("valid-every")));
    o.validBytes = uint64_t(number("valid-bytes"));
    o.checkpointSeconds = 60.0 * number("checkpoint-minutes");
    o.maxSeconds = 60.0 * number("minutes");
    o.augment = number("augment");
    if (o.augment < 0 || o.augment > 1) throw InvalidArgument("--augment expects a probability between 0 and 1");
    o.init = text("init");
    o.keepBest = flag("keep-best");
    o.distTimeoutSeconds = number("dist-timeout");
    if (!(o.distTimeoutSeconds > 0) || o.distTimeoutSeconds > 86400)
        throw InvalidArgument("--dist-timeout expects seconds above 0, at most 86400");
    M1Config& c = a.config;
    c.dModel = int(number("d-model"));
    c.heads = int(number("heads"));
    c.layers = int(number("layers"));
    c.mlp = int(number("mlp"));
    c.context = int(number("context"));
    try {
        c.validate();
    } catch (const std::exception& e) {
        throw InvalidArgument(e.what());
    }
    return a;
}

std::optional<TrainM1Args> parseTrainM1Args(const std::vector<std::string>& args) {
    std::map<std::string, std::string> given;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") return std::nullopt;
        const TrainM1Option* o = arg.rfind("--", 0) == 0 ? findOption(arg.substr(2)) : nullptr;
        if (!o) throw InvalidArgument("unknown option '" + arg + "'");
        if (o->valueName.empty()) {
            given[o->name] = "1";
            continue;
        }
        if (i + 1 >= args.size()) throw InvalidArgument(arg + " needs a value");
        given[o->name] = args[++i];
    }
    return trainM1ArgsFrom([&](const std::string& name) -> std::optional<std::string> {
        const auto it = given.find(name);
        if (it == given.end()) return std::nullopt;
        return it->second;
    });
}

std::string trainM1Help(const std::string& program) {
    std::string s = "usage: " + program + " " + kTrainM1Usage + "\n\nOptions:\n";
    for (const TrainM1Option& o : trainM1Options()) {
        std::string left = "  --" + o.name + (o.valueName.empty() ? "" : " <" + o.valueName + ">");
        left.resize(std::max<size_t>(left.size() + 2, 30), ' ');
        s += left + o.help + (o.defaultValue.empty() ? "" : " (default: " + o.defaultValue + ")") + "\n";
    }
    return s;
}

}  // namespace eqlab::m1
