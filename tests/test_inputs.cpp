#include "test_inputs.h"

#include <random>

#include "base/file_io.h"
#include "methods/default_models.h"

namespace eqlab::test {

std::vector<uint8_t> randomBytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = uint8_t(rng() >> 24);
    return v;
}

std::vector<uint8_t> sampleText() {
    return readFile(resourcePath(kSampleTextFile));
}

QList<NamedInput> harnessInputs(size_t textBytes) {
    QList<NamedInput> in;
    in.append(NamedInput{"empty", {}});
    in.append(NamedInput{"one byte", std::vector<uint8_t>{'a'}});
    in.append(NamedInput{"one NUL", std::vector<uint8_t>{0}});
    std::vector<uint8_t> all(256);
    for (int i = 0; i < 256; ++i) all[size_t(i)] = uint8_t(i);
    in.append({"every byte value", all});
    in.append({"64 KiB of NULs", std::vector<uint8_t>(64 << 10, 0)});
    in.append({"invalid UTF-8", {0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC, 0xFF,
                                 0xFE, 'o',  'k',  0xED, 0xA0, 0x80, 0xC0, 0xAF, 0xF4, 0x90, 0x80, 0x80}});
    in.append({"random binary", randomBytes(20000, 7)});
    const std::vector<uint8_t> sample = sampleText();
    std::vector<uint8_t> text;
    while (text.size() < textBytes) text.insert(text.end(), sample.begin(), sample.end());
    text.resize(textBytes);
    in.append({"text", text});
    return in;
}

}  // namespace eqlab::test
