#include "coding/bit_io.h"

namespace eqlab {

void BitWriter::truncate(uint64_t newSize) {
    if (newSize >= size_) return;
    size_ = newSize;
    bytes_.resize((size_ + 7) / 8);
    if (size_ & 7) bytes_.back() &= uint8_t(0xFF00u >> (size_ & 7));
}

}  // namespace eqlab
