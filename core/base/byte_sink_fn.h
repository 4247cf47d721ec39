// Where a stream coder hands each piece of its output as it is produced.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace eqlab {

using ByteSinkFn = std::function<void(const uint8_t* data, size_t size)>;

}  // namespace eqlab
