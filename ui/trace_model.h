// What every Explore view shares: the analysed bytes, their trace, how the
// bytes split into displayable characters, what is selected (a window, a
// token or bytes: it stays until another selection replaces it) and what the
// mouse hovers (shown over the selection while the mouse is there), and
// whether the analysis shown is stale. Views read it and call its setters;
// it signals changes.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis_worker.h"

namespace eqlab::ui {

// A displayable unit of the text: one UTF-8 character, or an escape for a
// byte that is not valid text (invalid UTF-8, NUL, other control bytes).
struct Cell {
    uint32_t byte = 0;   // first byte
    uint8_t length = 1;  // bytes it covers
    enum Kind : uint8_t { Char, Escape, Newline, Tab } kind = Char;
    char32_t codePoint = 0;  // Char: the character; Escape: the byte
    // Monospace cells it takes: 4 for an escape, 2 for a wide character (CJK, emoji), else 1.
    int columns() const;
    QString display() const;  // what is drawn ("\xFF" for escapes, "⏎" for newlines)
};
// The cell that starts at byte i of data[0, size).
Cell cellAt(const uint8_t* data, size_t size, size_t i);
std::vector<Cell> splitIntoCells(const uint8_t* data, size_t size);
// Whether the bytes are text a QString holds exactly (no escapes needed); allocates nothing.
bool isExactText(const uint8_t* data, size_t size);
// "1 chunk", "340 windows": n segments of a trace's segmentKind ("segment" when it has none).
QString segmentCount(size_t n, const std::string& kind);

class TraceModel : public QObject {
    Q_OBJECT
public:
    explicit TraceModel(QObject* parent = nullptr) : QObject(parent) {}

    void setResult(std::shared_ptr<const AnalysisResult> result, std::vector<uint8_t> bytes);
    void clear();

    const AnalysisResult* result() const { return result_.get(); }
    const Trace* trace() const { return result_ ? &result_->encoded.trace : nullptr; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    const std::vector<Cell>& cells() const { return cells_; }
    // Index of the cell holding byte b.
    size_t cellOfByte(uint64_t b) const;
    // Whether byte b starts a character (false inside a multi-byte UTF-8 character).
    bool startsCharacter(uint64_t b) const;
    // Whether token i's byte span cuts through a multi-byte character.
    bool tokenSplitsCharacter(size_t i) const;
    // Whether the method's tokens are k-bit slices of a bitstream (not pieces).
    bool hasBitstream() const;
    // Bit j of the token stream (tokens of storage width k, most significant first).
    int bitAt(uint64_t j) const;
    uint64_t totalBits() const;
    int tokenBits() const;
    // The byte being coded when bit j was emitted, or -1.
    int64_t byteOfBit(uint64_t j) const;
    // Tokens whose byte spans overlap [b0, b1): [first, last).
    std::pair<size_t, size_t> tokensCovering(uint64_t b0, uint64_t b1) const;
    // The segment (window) holding byte b, or -1.
    int64_t segmentOfByte(uint64_t b) const;

    // The segment whose bits hold bit j, or -1.
    int64_t segmentOfBit(uint64_t j) const;
    // Tokens whose bits overlap segment i's bits: [first, last).
    std::pair<size_t, size_t> tokensOfSegment(size_t i) const;
    // The segment with the most bytes, the fewest, and the most padding bits
    // (the first such on ties), or -1 when there is none.
    int64_t longestSegment() const;
    int64_t shortestSegment() const;
    int64_t mostPaddedSegment() const;

    // What is highlighted: bytes [b0, b1), bits [t0, t1), tokens [i0, i1).
    struct Highlight {
        uint64_t byteBegin = 0, byteEnd = 0;
        uint64_t bitBegin = 0, bitEnd = 0;
        size_t tokenBegin = 0, tokenEnd = 0;
        bool empty() const { return byteBegin == byteEnd && tokenBegin == tokenEnd && bitBegin == bitEnd; }
    };
    // What the views draw: the hovered token while the mouse is over one, else the selection.
    const Highlight& highlight() const { return hoverToken_ >= 0 ? hover_ : selection_; }
    const Highlight& selection() const { return selection_; }
    // The selected window (segment), or -1: a window selected itself, or the
    // one holding the selected token or the first selected byte.
    int64_t currentSegment() const { return segment_; }
    // The token hovered, else the token selected, or -1.
    int64_t currentToken() const { return hoverToken_ >= 0 ? hoverToken_ : token_; }
    int64_t selectedToken() const { return token_; }
    int64_t hoveredToken() const { return hoverToken_; }

    // Stale: the result shown is not the analysis of the current text and
    // parameters (one is running, was cancelled or failed); `why` says so in
    // a sentence. setResult() clears it.
    bool stale() const { return !staleWhy_.isEmpty(); }
    const QString& staleReason() const { return staleWhy_; }
    void setStale(const QString& why);

public Q_SLOTS:
    void highlightToken(int64_t i);                 // hover a token: its bytes and bits, over the selection
    void clearHover();                              // the mouse left: the selection shows again
    void selectToken(int64_t i);                    // select a token (and its window); views scroll to it
    void highlightBytes(uint64_t b0, uint64_t b1);  // a text selection: the tokens covering it
    void selectSegment(int64_t i);                  // a window: its bytes, bits and tokens; views scroll to it
    // Bytes [b0, b1) from elsewhere (a study's window): the window when they
    // are exactly one, else as highlightBytes(); views scroll to them.
    void selectBytes(uint64_t b0, uint64_t b1);
    // Byte b: the window holding it, or the character when there are no windows; views scroll to it.
    void selectByte(uint64_t b);
    void clearHighlight();        // selection and hover: nothing is selected
    void stepSegment(int delta);  // next/previous window
    void stepToken(int delta);    // next/previous token

Q_SIGNALS:
    void resultChanged();
    void highlightChanged();
    void staleChanged();
    void scrollToBytes(uint64_t b0, uint64_t b1);  // make this range visible
    void scrollToBits(uint64_t t0, uint64_t t1);

private:
    // A new selection shows at once: the hover (if any) lets go, with no signal of its own.
    void dropHover();

    std::shared_ptr<const AnalysisResult> result_;
    std::vector<uint8_t> bytes_;
    std::vector<Cell> cells_;
    std::vector<uint32_t> cellOfByte_;
    Highlight selection_, hover_;
    int64_t segment_ = -1;
    int64_t token_ = -1;
    int64_t hoverToken_ = -1;
    QString staleWhy_;
};

}  // namespace eqlab::ui
