#include "trace_model.h"

#include <algorithm>

#include "char_width.h"

namespace eqlab::ui {

int Cell::columns() const {
    if (kind == Escape) return 4;
    return kind == Char ? charColumns(codePoint) : 1;
}

QString Cell::display() const {
    switch (kind) {
        case Escape:
            return "\\x" + QString("%1").arg(uint(codePoint), 2, 16, QChar('0')).toUpper();
        case Newline:
            return QString(QChar(0x23CE));
        case Tab:
            return QString(QChar(0x2192));
        case Char:
            break;
    }
    const char32_t cp = codePoint;
    return QString::fromUcs4(&cp, 1);
}

Cell cellAt(const uint8_t* d, size_t n, size_t i) {
    Cell c;
    c.byte = uint32_t(i);
    const uint8_t b = d[i];
    int len = 0;
    char32_t cp = 0;
    if (b < 0x80) {
        len = 1;
        cp = b;
    } else if (b >= 0xc2 && b <= 0xdf) {
        len = 2;
        cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        cp = b & 0x07;
    }
    bool ok = len > 0 && i + size_t(len) <= n;
    for (int j = 1; ok && j < len; ++j) {
        if ((d[i + size_t(j)] & 0xc0) != 0x80) ok = false;
        cp = (cp << 6) | (d[i + size_t(j)] & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not text.
    if (ok &&
        ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)))
        ok = false;
    if (!ok) {
        c.kind = Cell::Escape;
        c.codePoint = b;
        c.length = 1;
    } else if (cp == '\n') {
        c.kind = Cell::Newline;
        c.codePoint = cp;
    } else if (cp == '\t') {
        c.kind = Cell::Tab;
        c.codePoint = cp;
    } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
        c.kind = Cell::Escape;  // control bytes are shown, never interpreted
        c.codePoint = b;
        c.length = 1;
    } else {
        c.codePoint = cp;
        c.length = uint8_t(len);
    }
    return c;
}

std::vector<Cell> splitIntoCells(const uint8_t* d, size_t n) {
    std::vector<Cell> cells;
    cells.reserve(n);
    for (size_t i = 0; i < n; i += cells.back().length) cells.push_back(cellAt(d, n, i));
    return cells;
}

bool isExactText(const uint8_t* d, size_t n) {
    for (size_t i = 0; i < n;) {
        const Cell c = cellAt(d, n, i);
        if (c.kind == Cell::Escape) return false;
        i += c.length;
    }
    return true;
}

QString segmentCount(size_t n, const std::string& kind) {
    const QString k = kind.empty() ? QString("segment") : QString::fromStdString(kind);
    return QString("%L1 %2%3").arg(n).arg(k, n == 1 ? "" : "s");
}

void TraceModel::setResult(std::shared_ptr<const AnalysisResult> result, std::vector<uint8_t> bytes) {
    result_ = std::move(result);
    bytes_ = std::move(bytes);
    cells_ = splitIntoCells(bytes_.data(), bytes_.size());
    cellOfByte_.assign(bytes_.size(), 0);
    for (size_t c = 0; c < cells_.size(); ++c)
        for (uint32_t b = cells_[c].byte; b < cells_[c].byte + cells_[c].length; ++b) cellOfByte_[b] = uint32_t(c);
    selection_ = hover_ = {};
    segment_ = token_ = hoverToken_ = -1;
    staleWhy_.clear();
    emit resultChanged();
    emit highlightChanged();
    emit staleChanged();
}

void TraceModel::clear() {
    setResult(nullptr, {});
}

void TraceModel::setStale(const QString& why) {
    if (why == staleWhy_) return;
    staleWhy_ = why;
    emit staleChanged();
}

size_t TraceModel::cellOfByte(uint64_t b) const {
    if (cellOfByte_.empty()) return 0;
    return cellOfByte_[std::min<uint64_t>(b, cellOfByte_.size() - 1)];
}

bool TraceModel::startsCharacter(uint64_t b) const {
    if (b >= bytes_.size()) return true;
    return cells_[cellOfByte_[b]].byte == b;
}

bool TraceModel::tokenSplitsCharacter(size_t i) const {
    const Trace* t = trace();
    if (!t || i >= t->tokens.size()) return false;
    const TokenSpan& s = t->tokens[i];
    if (s.byteBegin == s.byteEnd) return false;
    return !startsCharacter(s.byteBegin) || !startsCharacter(s.byteEnd);
}

bool TraceModel::hasBitstream() const {
    return result_ && result_->encoded.params.method != Method::SentencePiece;
}

int TraceModel::tokenBits() const {
    return result_ ? result_->encoded.params.tokenBits : 8;
}

uint64_t TraceModel::totalBits() const {
    return result_ ? uint64_t(result_->encoded.tokens.size()) * uint64_t(tokenBits()) : 0;
}

int TraceModel::bitAt(uint64_t j) const {
    const int k = tokenBits();
    const auto& tokens = result_->encoded.tokens;
    const uint64_t t = j / uint64_t(k);
    if (t >= tokens.size()) return 0;
    return int((tokens[t] >> (k - 1 - int(j % uint64_t(k)))) & 1u);
}

int64_t TraceModel::byteOfBit(uint64_t j) const {
    const Trace* t = trace();
    if (!t) return -1;
    if (t->bitEnd.empty()) {
        // Exact alignment (bytes): the token's bytes.
        const uint64_t tok = j / uint64_t(tokenBits());
        if (tok < t->tokens.size() && t->tokens[tok].byteBegin < t->tokens[tok].byteEnd)
            return int64_t(t->tokens[tok].byteBegin);
        return -1;
    }
    // The first byte whose emitted range ends past j, if it started at or before j.
    const auto it = std::upper_bound(t->bitEnd.begin(), t->bitEnd.end(), j);
    if (it == t->bitEnd.end()) return -1;
    const size_t b = size_t(it - t->bitEnd.begin());
    return t->bitBegin[b] <= j ? int64_t(b) : -1;
}

std::pair<size_t, size_t> TraceModel::tokensCovering(uint64_t b0, uint64_t b1) const {
    const Trace* t = trace();
    if (!t || b0 >= b1) return {0, 0};
    const auto& tk = t->tokens;
    // Token byte spans are non-decreasing; find the first ending after b0.
    auto first = std::partition_point(tk.begin(), tk.end(), [&](const TokenSpan& s) { return s.byteEnd <= b0; });
    size_t i0 = size_t(first - tk.begin()), i1 = i0;
    while (i1 < tk.size() && tk[i1].byteBegin < b1) ++i1;
    // Skip empty (padding) tokens at the edges.
    while (i0 < i1 && tk[i0].byteBegin == tk[i0].byteEnd) ++i0;
    while (i1 > i0 && tk[i1 - 1].byteBegin == tk[i1 - 1].byteEnd) --i1;
    return {i0, i1};
}

int64_t TraceModel::segmentOfByte(uint64_t b) const {
    const Trace* t = trace();
    if (!t || b >= t->segmentOfByte.size()) return -1;
    return t->segmentOfByte[b];
}

int64_t TraceModel::segmentOfBit(uint64_t j) const {
    const Trace* t = trace();
    if (!t || t->segments.empty()) return -1;
    auto it =
        std::partition_point(t->segments.begin(), t->segments.end(), [&](const Segment& s) { return s.bitBegin <= j; });
    if (it == t->segments.begin()) return -1;
    --it;
    return j < it->bitBegin + it->bitsTotal ? it - t->segments.begin() : -1;
}

std::pair<size_t, size_t> TraceModel::tokensOfSegment(size_t i) const {
    const Trace* t = trace();
    if (!t || i >= t->segments.size()) return {0, 0};
    const Segment& s = t->segments[i];
    const auto& tk = t->tokens;
    const uint64_t end = s.bitBegin + s.bitsTotal;
    const auto first =
        std::partition_point(tk.begin(), tk.end(), [&](const TokenSpan& x) { return x.bitEnd <= s.bitBegin; });
    const auto last = std::partition_point(first, tk.end(), [&](const TokenSpan& x) { return x.bitBegin < end; });
    return {size_t(first - tk.begin()), size_t(last - tk.begin())};
}

namespace {
// The first segment that `better` ranks above every other, or -1.
template <class Better>
int64_t bestSegment(const Trace* t, Better better) {
    if (!t || t->segments.empty()) return -1;
    size_t best = 0;
    for (size_t i = 1; i < t->segments.size(); ++i)
        if (better(t->segments[i], t->segments[best])) best = i;
    return int64_t(best);
}
uint64_t byteCount(const Segment& s) {
    return s.byteEnd - s.byteBegin;
}
}  // namespace

int64_t TraceModel::longestSegment() const {
    return bestSegment(trace(), [](const Segment& a, const Segment& b) { return byteCount(a) > byteCount(b); });
}

int64_t TraceModel::shortestSegment() const {
    return bestSegment(trace(), [](const Segment& a, const Segment& b) { return byteCount(a) < byteCount(b); });
}

int64_t TraceModel::mostPaddedSegment() const {
    return bestSegment(trace(), [](const Segment& a, const Segment& b) { return a.paddingBits() > b.paddingBits(); });
}

void TraceModel::highlightToken(int64_t i) {
    const Trace* t = trace();
    if (!t || i < 0 || size_t(i) >= t->tokens.size()) return clearHover();
    const TokenSpan& s = t->tokens[size_t(i)];
    hoverToken_ = i;
    hover_ = {s.byteBegin, s.byteEnd, s.bitBegin, s.bitEnd, size_t(i), size_t(i) + 1};
    emit highlightChanged();
}

void TraceModel::dropHover() {
    hoverToken_ = -1;
    hover_ = {};
}

void TraceModel::clearHover() {
    if (hoverToken_ < 0) return;
    hoverToken_ = -1;
    hover_ = {};
    emit highlightChanged();
}

void TraceModel::highlightBytes(uint64_t b0, uint64_t b1) {
    const Trace* t = trace();
    if (!t || b0 >= b1) return clearHighlight();
    const auto [i0, i1] = tokensCovering(b0, b1);
    selection_ = {b0, b1, 0, 0, i0, i1};
    if (i0 < i1) {
        selection_.bitBegin = t->tokens[i0].bitBegin;
        selection_.bitEnd = t->tokens[i1 - 1].bitEnd;
    }
    segment_ = segmentOfByte(b0);
    token_ = -1;
    dropHover();
    emit highlightChanged();
}

void TraceModel::selectSegment(int64_t i) {
    const Trace* t = trace();
    if (!t || i < 0 || size_t(i) >= t->segments.size()) return;
    segment_ = i;
    token_ = -1;
    dropHover();
    const Segment& s = t->segments[size_t(i)];
    const auto [i0, i1] = tokensCovering(s.byteBegin, s.byteEnd);
    selection_ = {s.byteBegin, s.byteEnd, s.bitBegin, s.bitBegin + s.bitsTotal, i0, i1};
    emit highlightChanged();
    emit scrollToBytes(s.byteBegin, s.byteEnd);
    emit scrollToBits(s.bitBegin, s.bitBegin + s.bitsTotal);
}

void TraceModel::selectBytes(uint64_t b0, uint64_t b1) {
    const Trace* t = trace();
    if (!t || b0 >= b1 || b1 > bytes_.size()) return;
    const int64_t seg = segmentOfByte(b0);
    if (seg >= 0 && size_t(seg) < t->segments.size() && t->segments[size_t(seg)].byteBegin == b0 &&
        t->segments[size_t(seg)].byteEnd == b1)
        return selectSegment(seg);
    highlightBytes(b0, b1);
    emit scrollToBytes(b0, b1);
    if (selection_.bitBegin < selection_.bitEnd) emit scrollToBits(selection_.bitBegin, selection_.bitEnd);
}

void TraceModel::selectByte(uint64_t b) {
    if (!trace() || b >= bytes_.size()) return;
    const int64_t seg = segmentOfByte(b);
    if (seg >= 0) return selectSegment(seg);
    const Cell& c = cells_[cellOfByte(b)];
    selectBytes(c.byte, c.byte + c.length);
}

void TraceModel::clearHighlight() {
    if (selection_.empty() && hover_.empty() && segment_ < 0 && token_ < 0) return;
    selection_ = hover_ = {};
    segment_ = token_ = hoverToken_ = -1;
    emit highlightChanged();
}

void TraceModel::stepSegment(int delta) {
    const Trace* t = trace();
    if (!t || t->segments.empty()) return;
    // From nothing selected, the first step forward selects the first window and back the last.
    const int64_t from = segment_ >= 0 ? segment_ + delta : (delta > 0 ? 0 : int64_t(t->segments.size()) - 1);
    selectSegment(std::clamp<int64_t>(from, 0, int64_t(t->segments.size()) - 1));
}

void TraceModel::stepToken(int delta) {
    const Trace* t = trace();
    if (!t || t->tokens.empty()) return;
    const int64_t from = token_ >= 0 ? token_ + delta : (delta > 0 ? 0 : int64_t(t->tokens.size()) - 1);
    selectToken(std::clamp<int64_t>(from, 0, int64_t(t->tokens.size()) - 1));
}

void TraceModel::selectToken(int64_t i) {
    const Trace* t = trace();
    if (!t || i < 0 || size_t(i) >= t->tokens.size()) return;
    const TokenSpan& s = t->tokens[size_t(i)];
    token_ = i;
    selection_ = {s.byteBegin, s.byteEnd, s.bitBegin, s.bitEnd, size_t(i), size_t(i) + 1};
    // Its window: the one its first bit lies in (a token never spans two Equal-Info windows).
    segment_ = segmentOfBit(s.bitBegin);
    dropHover();
    emit highlightChanged();
    if (s.byteBegin < s.byteEnd) emit scrollToBytes(s.byteBegin, s.byteEnd);
    emit scrollToBits(s.bitBegin, s.bitEnd);
}

}  // namespace eqlab::ui
