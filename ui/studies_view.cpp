#include "studies_view.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QThread>
#include <QVBoxLayout>

#include "base/file_io.h"
#include "methods/default_models.h"
#include "path_field.h"
#include "studies/position_accuracy_page.h"
#include "studies/reset_page.h"
#include "studies/segmentations_page.h"
#include "studies/stability_page.h"
#include "studies/token_meaning_page.h"
#include "studies/uniformity_page.h"
#include "studies/window_sweep_page.h"
#include "studies/windows_page.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr uint64_t kMaxTextBytes = uint64_t(256) << 20;  // larger files are refused (as Explore does)
constexpr int kModelFieldWidth = 140;                    // pixels: the M1 and SentencePiece path fields at least
constexpr int kBrowseButtonWidth = 32;                   // pixels: their "..." buttons
const std::pair<const char*, uint64_t> kLimits[] = {{"16 KiB", 16 << 10},   {"64 KiB", kDefaultStudyBytes},
                                                    {"256 KiB", 256 << 10}, {"1 MiB", 1 << 20},
                                                    {"4 MiB", 4 << 20},     {"everything", 0}};
}  // namespace

StudiesView::StudiesView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* inputs = new QHBoxLayout;
    source_ = new QComboBox;
    source_->setObjectName("studySource");
    source_->addItem("Explore's text");
    source_->addItem("bundled sample");
    source_->addItem("file");
    source_->setToolTip("The text every study reads: the Explore tab's, the bundled sample, or a file.");
    auto* open = new QPushButton("Open file...");
    open->setToolTip("Read a file (any bytes) as the studies' text.");
    textLabel_ = new QLabel;
    textLabel_->setObjectName("studyText");
    Zoom::scaleBounds(textLabel_, {120, 0});
    model_ = new PathField("The M1 weights (.eqm1) for ac and eqinfo-ac. Empty: the bundled model.");
    model_->setObjectName("studyModel");
    model_->setPlaceholderText("bundled M1");
    model_->setMinimumWidth(kModelFieldWidth);  // stretches: the zoom needs no more
    auto* browse = new QPushButton("...");
    Zoom::scaleBounds(browse, {0, 0}, {kBrowseButtonWidth, QWIDGETSIZE_MAX});
    browse->setToolTip("Choose an M1 weights file.");
    spModel_ = new PathField("The SentencePiece model (.model) for sentencepiece. Empty: the bundled model.");
    spModel_->setObjectName("studySpModel");
    spModel_->setPlaceholderText("bundled SentencePiece");
    spModel_->setMinimumWidth(kModelFieldWidth);  // stretches: the zoom needs no more
    auto* browseSp = new QPushButton("...");
    Zoom::scaleBounds(browseSp, {0, 0}, {kBrowseButtonWidth, QWIDGETSIZE_MAX});
    browseSp->setToolTip("Choose a SentencePiece model file.");
    threads_ = new QSpinBox;
    threads_->setObjectName("studyThreads");
    threads_->setRange(1, kMaxStudyThreads);
    threads_->setValue(std::clamp(QThread::idealThreadCount(), 1, kMaxStudyThreads));
    threads_->setToolTip("Worker threads for coding under M1.");
    maxBytes_ = new QComboBox;
    maxBytes_->setObjectName("studyMaxBytes");
    for (const auto& [label, n] : kLimits) maxBytes_->addItem(label, QVariant::fromValue<qulonglong>(n));
    maxBytes_->setCurrentIndex(1);
    maxBytes_->setToolTip(
        "Studies that code under M1 (a few KB/s on a CPU) analyse only the text's first part; each page says "
        "how much it analysed.");
    inputs->addWidget(new QLabel("Text"));
    inputs->addWidget(source_);
    inputs->addWidget(open);
    inputs->addWidget(textLabel_);
    inputs->addSpacing(12);
    inputs->addWidget(new QLabel("M1"));
    inputs->addWidget(model_, 1);
    inputs->addWidget(browse);
    inputs->addSpacing(12);
    inputs->addWidget(new QLabel("SentencePiece"));
    inputs->addWidget(spModel_, 1);
    inputs->addWidget(browseSp);
    inputs->addSpacing(12);
    inputs->addWidget(new QLabel("threads"));
    inputs->addWidget(threads_);
    inputs->addSpacing(12);
    inputs->addWidget(new QLabel("analyse at most"));
    inputs->addWidget(maxBytes_);
    layout->addLayout(inputs);

    auto* body = new QHBoxLayout;
    list_ = new QListWidget;
    list_->setObjectName("studyList");
    Zoom::scaleBounds(list_, {0, 0}, {170, QWIDGETSIZE_MAX});
    list_->setToolTip("The studies: each one of the paper's analyses, on this text and model.");
    pages_ = new QStackedWidget;
    body->addWidget(list_);
    body->addWidget(pages_, 1);
    layout->addLayout(body, 1);

    addPage(new WindowSweepPage);
    addPage(new ResetPage);
    addPage(new StabilityPage);
    addPage(new UniformityPage);
    auto* windows = new WindowsPage;
    addPage(windows);
    addPage(new TokenMeaningPage);
    addPage(new SegmentationsPage);
    positionAccuracy_ = new PositionAccuracyPage;
    addPage(positionAccuracy_);
    list_->setCurrentRow(0);

    connect(list_, &QListWidget::currentRowChanged, pages_, &QStackedWidget::setCurrentIndex);
    connect(windows, &WindowsPage::jumpToWindow, this, &StudiesView::jumpToWindow);
    connect(positionAccuracy_, &PositionAccuracyPage::openInLearnability, this, &StudiesView::openInLearnability);
    connect(source_, &QComboBox::currentIndexChanged, this, &StudiesView::updateTextLabel);
    connect(open, &QPushButton::clicked, this, [this] {
        QSettings s;
        const QString path = QFileDialog::getOpenFileName(this, "Text for the studies", s.value("open/dir").toString());
        if (path.isEmpty()) return;
        s.setValue("open/dir", QFileInfo(path).absolutePath());
        openTextFile(path);
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p =
            QFileDialog::getOpenFileName(this, "M1 weights", model_->text(), "M1 weights (*.eqm1);;All files (*)");
        if (!p.isEmpty()) setModelPath(p);
    });
    connect(browseSp, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, "SentencePiece model", spModel_->text(),
                                                       "SentencePiece models (*.model);;All files (*)");
        if (!p.isEmpty()) setSpModelPath(p);
    });
    try {
        sample_ = std::make_shared<const std::vector<uint8_t>>(readFile(resourcePath(kSampleTextFile)));
    } catch (const std::exception&) {
        // Left null: choosing the sample then reads as an empty text, which every study reports.
    }
    updateTextLabel();
}

void StudiesView::addPage(StudyPage* page) {
    page->setInputSource([this] { return input(); });
    all_.push_back(page);
    pages_->addWidget(page);
    auto* item = new QListWidgetItem(page->title(), list_);
    item->setData(Qt::UserRole, page->name());
    item->setToolTip(QString("eqlab-cli study %1").arg(page->name()));
}

void StudiesView::setExploreText(std::vector<uint8_t> bytes) {
    if (explore_ && *explore_ == bytes) return;
    explore_ = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
    updateTextLabel();
}

void StudiesView::setText(std::vector<uint8_t> bytes, const QString& name) {
    file_ = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
    fileName_ = name;
    source_->setItemText(int(Source::File), name);
    setSource(Source::File);
    updateTextLabel();
}

bool StudiesView::openTextFile(const QString& path) {
    try {
        setText(readFile(path.toStdString(), kMaxTextBytes), QFileInfo(path).fileName());
        return true;
    } catch (const std::exception& e) {
        textLabel_->setText("<b>cannot read it:</b> " + QString::fromUtf8(e.what()).toHtmlEscaped());
        return false;
    }
}

void StudiesView::setSource(Source s) {
    source_->setCurrentIndex(int(s));
}

StudiesView::Source StudiesView::source() const {
    return Source(source_->currentIndex());
}

std::shared_ptr<const std::vector<uint8_t>> StudiesView::text() const {
    static const auto empty = std::make_shared<const std::vector<uint8_t>>();
    switch (source()) {
        case Source::Sample:
            if (!sample_) return empty;  // unreadable: the study reports an empty text
            return sample_;
        case Source::File:
            return file_ ? file_ : empty;
        default:
            return explore_ ? explore_ : empty;
    }
}

QString StudiesView::textName() const {
    switch (source()) {
        case Source::Sample:
            return "the bundled sample";
        case Source::File:
            return fileName_.isEmpty() ? QString("no file") : fileName_;
        default:
            return "the Explore text";
    }
}

void StudiesView::updateTextLabel() {
    textLabel_->setText(QString("%L1 bytes").arg(text()->size()));
}

void StudiesView::setModelPath(const QString& path) {
    model_->setText(path);
}

void StudiesView::setSpModelPath(const QString& path) {
    spModel_->setText(path);
}

void StudiesView::setThreads(int n) {
    threads_->setValue(n);
}

void StudiesView::setMaxBytes(uint64_t n) {
    int i = maxBytes_->findData(QVariant::fromValue<qulonglong>(n));
    if (i < 0) {
        maxBytes_->addItem(QString("%L1 bytes").arg(n), QVariant::fromValue<qulonglong>(n));
        i = maxBytes_->count() - 1;
    }
    maxBytes_->setCurrentIndex(i);
}

StudyInput StudiesView::input() const {
    StudyInput in;
    in.text = text();
    in.textName = textName();
    in.options.m1Path = model_->text().trimmed().toStdString();
    in.options.spPath = spModel_->text().trimmed().toStdString();
    in.options.threads = threads_->value();
    in.options.maxBytes = maxBytes_->currentData().toULongLong();
    return in;
}

QStringList StudiesView::studyNames() const {
    QStringList names;
    for (const StudyPage* p : all_) names << p->name();
    return names;
}

StudyPage* StudiesView::page(const QString& name) const {
    for (StudyPage* p : all_)
        if (p->name() == name) return p;
    return nullptr;
}

StudyPage* StudiesView::currentPage() const {
    return qobject_cast<StudyPage*>(pages_->currentWidget());
}

bool StudiesView::showStudy(const QString& name) {
    for (size_t i = 0; i < all_.size(); ++i)
        if (all_[i]->name() == name) {
            list_->setCurrentRow(int(i));
            return true;
        }
    return false;
}

void StudiesView::runCurrent() {
    if (StudyPage* p = currentPage()) p->run();
}

void StudiesView::cancelCurrent() {
    if (StudyPage* p = currentPage()) p->cancel();
}

void StudiesView::cancelAll() {
    for (StudyPage* p : all_) p->cancel();
}

void StudiesView::cancelAndWait() {
    for (StudyPage* p : all_) p->cancelAndWait();
}

bool StudiesView::busy() const {
    for (const StudyPage* p : all_)
        if (p->busy()) return true;
    return false;
}

void StudiesView::restyle() {
    for (StudyPage* p : all_) p->restyle();
}

void StudiesView::restoreSettings(const QSettings& s) {
    showStudy(s.value("studies/page", "window-sweep").toString());
    model_->setText(s.value("studies/model").toString());
    spModel_->setText(s.value("studies/spModel").toString());
    maxBytes_->setCurrentIndex(std::clamp(s.value("studies/limit", 1).toInt(), 0, maxBytes_->count() - 1));
    if (s.contains("studies/threads")) threads_->setValue(s.value("studies/threads").toInt());
}

void StudiesView::saveSettings(QSettings& s) const {
    if (const StudyPage* p = currentPage()) s.setValue("studies/page", p->name());
    s.setValue("studies/model", model_->text());
    s.setValue("studies/spModel", spModel_->text());
    s.setValue("studies/limit", maxBytes_->currentIndex());
    s.setValue("studies/threads", threads_->value());
}

}  // namespace eqlab::ui
