// exp(x) for M1's runtime (m1_runtime.h): deterministic arithmetic only, so
// that the probabilities the coder sees are the same bits on every machine.
//
// x is split as k ln2 + r, |r| <= ln2 / 2, with ln2 in two parts for an exact
// k ln2; exp(r) by its Taylor polynomial to degree 7 (Horner, fixed order);
// 2^k through the exponent bits. k = nearbyint(x log2 e) is taken as
// (t + 1.5 * 2^23) - 1.5 * 2^23, which is exactly that for |t| < 2^22 in
// round-to-nearest (ties to even), without a call or a rounding mode.
//
// Contract: x < -87 gives 0, x > 88 is taken as 88, NaN gives NaN; relative
// error below 2e-7 for x in [-87, 0] (tst_m1::deterministicExpIsAccurate).
// Its values equal, bit for bit on all 2^32 floats, those of the scalar
// exp it replaced, which called std::nearbyint (tst_deterministic_exp).
// Compile callers with -ffp-contract=off (eqlab_options): a contracted
// multiply-add would change the bits. Inline so that loops over it vectorise.
#pragma once

#include <cstdint>
#include <cstring>

#define EQLAB_ALWAYS_INLINE inline __attribute__((always_inline))

namespace eqlab::m1 {

EQLAB_ALWAYS_INLINE float deterministicExp(float x) {
    constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23
    // NaN (the logits of finite but huge weights) takes the lower bound here,
    // so that k is a number (NaN converted to int is undefined behaviour), and
    // comes out as itself below; every other x is clamped as x < -87 / x > 88
    // would (found by fuzz/m1_weights).
    const float xc = x >= -87.0f ? (x <= 88.0f ? x : 88.0f) : -87.0f;
    const float k = (xc * 1.44269504088896341f + kRoundMagic) - kRoundMagic;
    const float r = (xc - k * 0.693145751953125f) - k * 1.42860682030941723212e-6f;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    // k in [-126, 127] here.
    const int32_t bits = (int32_t(k) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, 4);
    return x < -87.0f ? 0.0f : (x == x ? p * scale : x);
}

}  // namespace eqlab::m1
