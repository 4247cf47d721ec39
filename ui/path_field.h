// A line edit for a file path. While it is not being edited it shows the
// path with its folders elided in the middle, so that the file name stays in
// view however narrow the field (a plain QLineEdit shows the end and cuts the
// start off without a mark); its tooltip is the field's help and the full path.
#pragma once

#include <QLineEdit>

class QFontMetrics;

namespace eqlab::ui {

// `path` as it fits in `width` px: whole; else its folders elided in the
// middle before the whole file name; else the file name's end, elided on the left.
QString elidePath(const QString& path, const QFontMetrics& fm, int width);

class PathField : public QLineEdit {
    Q_OBJECT
public:
    explicit PathField(const QString& help, QWidget* parent = nullptr);

    // The text as drawn while the field is not being edited.
    QString shownText() const;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QRect textRect() const;  // where the text is drawn (px, widget coordinates)
    QString help_;
};

}  // namespace eqlab::ui
