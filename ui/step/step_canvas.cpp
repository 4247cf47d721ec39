#include "step/step_canvas.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QTextDocument>
#include <QVBoxLayout>

#include "step/bitstream_row.h"
#include "step/byte_strip.h"
#include "step/candidate_list.h"
#include "step/interval_bar.h"
#include "step/register_panel.h"
#include "step/step_caption.h"
#include "step/window_meter.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kCaptionScale = 1.4;  // the caption is read from the back of the room
constexpr double kHeadingScale = 1.1;
constexpr int kCaptionLines = 3;

QLabel* sectionTitle(const QString& text) {
    auto* l = new QLabel("<b>" + text + "</b>");
    l->setContentsMargins(6, 4, 0, 0);
    return l;
}
}  // namespace

StepCanvas::StepCanvas(QWidget* parent) : QWidget(parent) {
    setObjectName("stepCanvas");
    setAutoFillBackground(true);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    heading_ = new QLabel;
    heading_->setObjectName("stepHeading");
    caption_ = new QLabel;
    caption_->setObjectName("stepCaption");
    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::RichText);
    caption_->setContentsMargins(6, 4, 6, 8);
    empty_ = new QLabel;
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    outer->addWidget(heading_);
    outer->addWidget(empty_, 1);

    body_ = new QWidget;
    auto* grid = new QGridLayout(body_);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(0);
    byteStrip_ = new ByteStrip;
    interval_ = new IntervalBar;
    candidates_ = new CandidateList;
    registers_ = new RegisterPanel;
    meter_ = new WindowMeter;
    bitstream_ = new BitstreamRow;
    int row = 0;
    grid->addWidget(byteStrip_, row++, 0, 1, 2);
    grid->addWidget(caption_, row++, 0, 1, 2);
    grid->addWidget(sectionTitle("The coder's interval"), row, 0);
    grid->addWidget(sectionTitle("The model's next-byte candidates"), row++, 1);
    grid->addWidget(interval_, row, 0);
    grid->addWidget(candidates_, row++, 1);
    // The registers and, beside them, the meter of the window (or chunk), each under its title.
    auto* pair = new QHBoxLayout;
    pair->setSpacing(12);
    auto* registerBox = new QVBoxLayout;
    registerBox->addWidget(sectionTitle("The registers (32 bits)"));
    registerBox->addWidget(registers_);
    auto* meterBox = new QVBoxLayout;
    meterTitle_ = sectionTitle("The window");
    meterBox->addWidget(meterTitle_);
    meterBox->addWidget(meter_);
    meterBox->addStretch(1);
    pair->addLayout(registerBox);
    pair->addLayout(meterBox, 1);
    grid->addLayout(pair, row++, 0, 1, 2);
    grid->addWidget(sectionTitle("The bitstream, cut into tokens"), row++, 0, 1, 2);
    grid->addWidget(bitstream_, row++, 0, 1, 2);
    grid->setRowStretch(row, 1);
    grid->setColumnStretch(0, 1);
    outer->addWidget(body_, 1);
    body_->hide();
    applyFonts();
    restyle();
}

void StepCanvas::setEmptyText(const QString& text) {
    empty_->setText(text);
}

void StepCanvas::setFrame(std::shared_ptr<const StepThrough> walk, size_t frame) {
    walk_ = std::move(walk);
    frame_ = frame;
    const bool has = walk_ && frame_ < walk_->frames.size();
    empty_->setVisible(!has);
    body_->setVisible(has);
    for (StepWidget* w :
         std::initializer_list<StepWidget*>{byteStrip_, interval_, candidates_, registers_, meter_, bitstream_})
        w->setFrame(has ? walk_ : nullptr, frame_);
    heading_->setText(heading());
    if (has)
        meterTitle_->setText(walk_->params.method == Method::EqualInfoAc
                                 ? QString("<b>The window: b = %1 bits</b>").arg(walk_->params.windowBits)
                                 : QString("<b>The chunk</b>"));
    caption_->setText(has ? stepCaption(*walk_, frame_) : QString());
}

QString StepCanvas::heading() const {
    if (!walk_ || frame_ >= walk_->frames.size()) return "<b>Step-through</b>";
    const StepFrame& f = walk_->frames[frame_];
    QString s = QString("<b>%1 · step %L2 of %L3</b> · %4 %5")
                    .arg(walk_->decoding ? "Decoding" : "Encoding")
                    .arg(frame_ + 1)
                    .arg(walk_->frames.size())
                    .arg(segmentNoun(*walk_))
                    .arg(f.segment);
    if (f.byteIndex < walk_->bytes.size())
        s += QString(" · byte %L1 %2").arg(f.byteIndex).arg(quotedByte(walk_->bytes[f.byteIndex]).toHtmlEscaped());
    s += QString(" · %1 · %2")
             .arg(QString::fromStdString(walk_->params.label()).toHtmlEscaped(),
                  QString::fromStdString(walk_->model).toHtmlEscaped());
    return s;
}

QString StepCanvas::caption() const {
    QTextDocument d;
    d.setHtml(caption_->text());
    return d.toPlainText();
}

void StepCanvas::restyle() {
    const Theme& th = Theme::current();
    QPalette p = palette();
    p.setColor(QPalette::Window, th.background);
    p.setColor(QPalette::WindowText, th.foreground);
    p.setColor(QPalette::Text, th.foreground);
    setPalette(p);
    update();
    for (QWidget* w : findChildren<QWidget*>()) w->update();
}

void StepCanvas::applyFonts() {
    QFont c = font(), h = font();
    if (c.pointSizeF() > 0) {
        c.setPointSizeF(c.pointSizeF() * kCaptionScale);
        h.setPointSizeF(h.pointSizeF() * kHeadingScale);
    } else {
        c.setPixelSize(int(c.pixelSize() * kCaptionScale));
        h.setPixelSize(int(h.pixelSize() * kHeadingScale));
    }
    caption_->setFont(c);
    // Three lines whatever the frame says, so that stepping never moves the drawings.
    caption_->setMinimumHeight(QFontMetrics(c).lineSpacing() * kCaptionLines + 12);
    heading_->setFont(h);
}

void StepCanvas::changeEvent(QEvent* e) {
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange) applyFonts();
}

}  // namespace eqlab::ui
