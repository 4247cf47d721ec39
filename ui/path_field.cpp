#include "path_field.h"

#include <QFontMetrics>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionFrame>

namespace eqlab::ui {

namespace {
constexpr int kTextMargin = 2;  // px QLineEdit leaves between its frame and its text
const QString kEllipsis = QStringLiteral("\u2026");
}  // namespace

QString elidePath(const QString& path, const QFontMetrics& fm, int width) {
    if (fm.horizontalAdvance(path) <= width) return path;
    const qsizetype slash = path.lastIndexOf('/');
    if (slash > 0) {
        const QString name = path.mid(slash);  // with its leading '/'
        const int forFolders = width - fm.horizontalAdvance(name);
        if (forFolders >= fm.horizontalAdvance(kEllipsis) * 3)
            return fm.elidedText(path.left(slash), Qt::ElideMiddle, forFolders) + name;
    }
    return fm.elidedText(path, Qt::ElideLeft, width);
}

PathField::PathField(const QString& help, QWidget* parent) : QLineEdit(parent), help_(help) {
    setToolTip(help_);
    connect(this, &QLineEdit::textChanged, this, [this](const QString& path) {
        setToolTip(path.isEmpty() ? help_ : help_ + "\n" + path);
        update();
    });
}

QRect PathField::textRect() const {
    QStyleOptionFrame panel;
    initStyleOption(&panel);
    QRect r = style()->subElementRect(QStyle::SE_LineEditContents, &panel, this);
    r = r.marginsRemoved(textMargins());
    return r.adjusted(kTextMargin, 0, -kTextMargin, 0);
}

QString PathField::shownText() const {
    return elidePath(text(), fontMetrics(), textRect().width());
}

void PathField::paintEvent(QPaintEvent* e) {
    if (hasFocus() || text().isEmpty()) {  // editing (or the placeholder): the line edit's own drawing
        QLineEdit::paintEvent(e);
        return;
    }
    QPainter p(this);
    QStyleOptionFrame panel;
    initStyleOption(&panel);
    style()->drawPrimitive(QStyle::PE_PanelLineEdit, &panel, &p, this);
    p.setPen(palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::Text));
    p.drawText(textRect(), Qt::AlignLeft | Qt::AlignVCenter, shownText());
}

}  // namespace eqlab::ui
