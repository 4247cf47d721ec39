// The round-trip harness inputs every codec test runs over.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <cstdint>
#include <vector>

namespace eqlab::test {

struct NamedInput {
    QString name;
    std::vector<uint8_t> bytes;
};

// empty, one byte, every byte value, 64 KiB of NULs, invalid UTF-8, random
// binary, text (the bundled sample, repeated to `textBytes`).
QList<NamedInput> harnessInputs(size_t textBytes = 1 << 20);

// Deterministic pseudo-random bytes.
std::vector<uint8_t> randomBytes(size_t n, uint32_t seed);

// The bundled sample text.
std::vector<uint8_t> sampleText();

}  // namespace eqlab::test
