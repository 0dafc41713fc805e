#include "export_dialog.h"

#include "chart_export.h"

#include "session/session.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QScrollArea>
#include <QScrollBar>
#include <QScreen>
#include <QVBoxLayout>

namespace cliff::ui {

namespace {

constexpr int kPreviewWidth = 480;
constexpr int kPreviewHeight = 360;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QString formatTitle(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return ExportDialog::tr("PNG image");
    case ExportFormat::Svg:
        return ExportDialog::tr("SVG vector image");
    case ExportFormat::Pdf:
        return ExportDialog::tr("PDF document");
    case ExportFormat::Csv:
        return ExportDialog::tr("CSV of the plotted data");
    case ExportFormat::Bundle:
        return ExportDialog::tr("Bundle (zip: PNG, SVG, CSV, manifest, citations)");
    }
    return {};
}

QPlainTextEdit *readOnlyText(int lines, const QString &accessibleName)
{
    auto *edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setAccessibleName(accessibleName);
    const int lineHeight = edit->fontMetrics().lineSpacing();
    edit->setFixedHeight(lineHeight * lines + 2 * edit->frameWidth() + 8);
    return edit;
}

/// A text box with a Copy button beside it that puts its text on the clipboard.
QWidget *withCopyButton(QPlainTextEdit *edit, const QString &buttonName)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *copy = new QPushButton(ExportDialog::tr("Copy"));
    copy->setObjectName(buttonName);
    copy->setToolTip(ExportDialog::tr("Copy to the clipboard"));
    QObject::connect(copy, &QPushButton::clicked, edit,
                     [edit] { QApplication::clipboard()->setText(edit->toPlainText()); });
    layout->addWidget(copy, 0, Qt::AlignTop);
    return row;
}

QSpinBox *spinBox(int low, int high, int value, const QString &suffix)
{
    auto *box = new QSpinBox;
    box->setRange(low, high);
    box->setValue(value);
    box->setSuffix(suffix);
    box->setAccelerated(true);
    return box;
}

/// Sizes `dialog` to show `content` whole when the screen has room, else as much as fits.
void fitToScreen(QDialog &dialog, QSize content)
{
    const QSize extra = dialog.layout()->sizeHint() - dialog.layout()->itemAt(0)->sizeHint();
    QSize wanted(content.width() + extra.width(), content.height() + extra.height());
    // A 1280x720 screen, less the window frame, is the smallest the dialog is laid out for.
    QSize room(1264, 672);
    if (const QScreen *screen = dialog.screen())
        room = room.expandedTo(screen->availableGeometry().size() - QSize(16, 48));
    dialog.resize(wanted.boundedTo(room).expandedTo(dialog.minimumSizeHint()));
}

} // namespace

ExportDialog::ExportDialog(const Session &session, econ::EconomicView view, QWidget *parent)
    : QDialog(parent),
      m_session(session),
      m_view(view),
      m_storeFile(QStringLiteral(":/data/compute-cliff.sqlite"))
{
    setWindowTitle(tr("Export chart"));
    setObjectName(QStringLiteral("exportDialog"));
    auto plot = m_session.plot(view);
    if (plot)
        m_plot = std::move(plot).value();
    else
        m_plotError = qs(plot.error().toString());

    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150); // typing in the text fields is debounced, not each key drawn
    connect(m_previewTimer, &QTimer::timeout, this, &ExportDialog::updatePreview);

    buildUi();
    chartChanged();
}

ExportDialog::~ExportDialog() = default;

void ExportDialog::buildUi()
{
    m_chart = new QComboBox;
    m_chart->setObjectName(QStringLiteral("chart"));
    if (m_plot) {
        const std::string lead(plot::leadChartKey(m_view));
        for (const plot::ChartSpec &chart : m_plot->charts) {
            m_chart->addItem(qs(chart.title), qs(chart.key));
            if (chart.key == lead)
                m_chart->setCurrentIndex(m_chart->count() - 1);
        }
        if (m_plot->charts.size() > 1)
            m_chart->addItem(tr("All charts of the view, one above the other"), qs(std::string(plot::kAllCharts)));
    }

    m_format = new QComboBox;
    m_format->setObjectName(QStringLiteral("format"));
    for (ExportFormat format : exportFormats())
        m_format->addItem(formatTitle(format), exportFormatKey(format));

    const ExportOptions defaults;
    m_width = spinBox(ExportOptions::kMinWidthPx, ExportOptions::kMaxWidthPx, defaults.widthPx, tr(" px"));
    m_width->setObjectName(QStringLiteral("width"));
    m_height = spinBox(ExportOptions::kMinHeightPx, ExportOptions::kMaxHeightPx, defaults.heightPx, tr(" px"));
    m_height->setObjectName(QStringLiteral("height"));
    m_dpi = spinBox(ExportOptions::kMinDpi, ExportOptions::kMaxDpi, defaults.dpi, tr(" DPI"));
    m_dpi->setObjectName(QStringLiteral("dpi"));
    m_dpi->setToolTip(tr("PNG resolution: 96 is a standard screen, 192 twice that, 300 for print"));
    m_pixels = new QLabel;
    m_pixels->setObjectName(QStringLiteral("pixels"));

    m_title = new QLineEdit;
    m_title->setObjectName(QStringLiteral("title"));
    m_subtitle = new QLineEdit;
    m_subtitle->setObjectName(QStringLiteral("subtitle"));
    m_byline = new QLineEdit;
    m_byline->setObjectName(QStringLiteral("byline"));
    m_byline->setPlaceholderText(tr("e.g. Chart: your name / your publication"));
    m_notes = new QPlainTextEdit;
    m_notes->setObjectName(QStringLiteral("notes"));
    m_notes->setPlaceholderText(tr("Drawn under the chart"));
    m_notes->setFixedHeight(m_notes->fontMetrics().lineSpacing() * 3 + 12);
    m_notes->setTabChangesFocus(true);
    m_footnote = new QCheckBox(tr("Draw the assumptions changed from their defaults under the chart"));
    m_footnote->setObjectName(QStringLiteral("footnote"));
    m_footnote->setChecked(true);
    m_writeAltText = new QCheckBox(tr("Also write the alt text beside the file (.alt.txt)"));
    m_writeAltText->setObjectName(QStringLiteral("writeAltText"));

    auto *size = new QWidget;
    auto *sizeLayout = new QHBoxLayout(size);
    sizeLayout->setContentsMargins(0, 0, 0, 0);
    sizeLayout->addWidget(m_width);
    sizeLayout->addWidget(new QLabel(QStringLiteral("\u00d7")));
    sizeLayout->addWidget(m_height);
    sizeLayout->addStretch(1);
    auto *resolution = new QWidget;
    auto *resolutionLayout = new QHBoxLayout(resolution);
    resolutionLayout->setContentsMargins(0, 0, 0, 0);
    resolutionLayout->addWidget(m_dpi);
    resolutionLayout->addWidget(m_pixels);
    resolutionLayout->addStretch(1);

    auto *form = new QFormLayout;
    form->addRow(tr("&Chart:"), m_chart);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&Size:"), size);
    form->addRow(tr("&Resolution:"), resolution);
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("S&ubtitle:"), m_subtitle);
    form->addRow(tr("&Byline:"), m_byline);
    form->addRow(tr("&Notes:"), m_notes);
    form->addRow(QString(), m_footnote);
    form->addRow(QString(), m_writeAltText);

    m_preview = new QLabel;
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setFixedSize(kPreviewWidth, kPreviewHeight);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->setAccessibleName(tr("Preview of the exported chart"));
    m_altText = readOnlyText(5, tr("Alt text"));
    m_altText->setObjectName(QStringLiteral("altText"));
    auto *right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("Preview")));
    right->addWidget(m_preview);
    right->addWidget(new QLabel(tr("Alt text (a plain-language description for readers who cannot see the chart)")));
    right->addWidget(withCopyButton(m_altText, QStringLiteral("copyAltText")));

    m_citeWhat = new QComboBox;
    m_citeWhat->setObjectName(QStringLiteral("citeWhat"));
    m_citeShort = readOnlyText(2, tr("Short citation"));
    m_citeShort->setObjectName(QStringLiteral("citeShort"));
    m_citeLong = readOnlyText(3, tr("Long citation"));
    m_citeLong->setObjectName(QStringLiteral("citeLong"));
    m_citeBibtex = readOnlyText(6, tr("BibTeX entry"));
    m_citeBibtex->setObjectName(QStringLiteral("citeBibtex"));
    QFont mono = m_citeBibtex->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_citeBibtex->setFont(mono);
    auto *cite = new QGroupBox(tr("Cite this"));
    auto *citeForm = new QFormLayout(cite);
    citeForm->addRow(tr("C&ite:"), m_citeWhat);
    citeForm->addRow(tr("Short:"), withCopyButton(m_citeShort, QStringLiteral("copyShort")));
    citeForm->addRow(tr("Long:"), withCopyButton(m_citeLong, QStringLiteral("copyLong")));
    citeForm->addRow(tr("BibTeX:"), withCopyButton(m_citeBibtex, QStringLiteral("copyBibtex")));

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_export = buttons->addButton(tr("&Export\u2026"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("export"));
    m_export->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::chooseFileAndExport);

    auto *left = new QVBoxLayout;
    left->addLayout(form);
    left->addWidget(cite);
    left->addStretch(1);
    right->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addLayout(left, 1);
    top->addLayout(right);
    // Settings, preview and citations scroll; the status and the Export and Close buttons stay in
    // view however small the screen (a 1280x720 projector, a 768-line laptop).
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(top);
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("exportSettings"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    fitToScreen(*this, content->sizeHint() + QSize(scroll->verticalScrollBar()->sizeHint().width() + 24, 0));

    connect(m_chart, &QComboBox::currentIndexChanged, this, &ExportDialog::chartChanged);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    for (QSpinBox *box : {m_width, m_height, m_dpi})
        connect(box, &QSpinBox::valueChanged, this, &ExportDialog::settingsChanged);
    for (QLineEdit *edit : {m_title, m_subtitle, m_byline})
        connect(edit, &QLineEdit::textChanged, this, &ExportDialog::settingsChanged);
    connect(m_notes, &QPlainTextEdit::textChanged, this, &ExportDialog::settingsChanged);
    connect(m_footnote, &QCheckBox::toggled, this, &ExportDialog::settingsChanged);
    connect(m_citeWhat, &QComboBox::currentIndexChanged, this, &ExportDialog::showCitation);

    if (!m_plot) {
        m_status->setText(tr("This view cannot be exported: %1").arg(m_plotError));
        m_export->setEnabled(false);
    }
}

void ExportDialog::setStoreFile(const QString &path)
{
    m_storeFile = path;
}

QString ExportDialog::chartKey() const
{
    return m_chart->currentData().toString();
}

ExportOptions ExportDialog::options() const
{
    ExportOptions options;
    options.format = findExportFormat(m_format->currentData().toString()).value_or(ExportFormat::Png);
    options.widthPx = m_width->value();
    options.heightPx = m_height->value();
    options.dpi = m_dpi->value();
    options.title = m_title->text().trimmed();
    options.subtitle = m_subtitle->text().trimmed();
    options.byline = m_byline->text().trimmed();
    options.notes = m_notes->toPlainText().trimmed();
    options.drawFootnote = m_footnote->isChecked();
    return options;
}

Result<plot::ExportSubject> ExportDialog::subject() const
{
    if (!m_plot)
        return Error{m_plotError.toStdString(), {}, 0, {}};
    return plot::makeExportSubject(*m_plot, chartKey().toStdString(), m_session.scenario(),
                                   m_session.figures(), m_session.sources());
}

QString ExportDialog::altText() const
{
    return m_altText->toPlainText();
}

void ExportDialog::chartChanged()
{
    if (auto current = subject()) {
        const QSignalBlocker blocker(m_height);
        m_height->setValue(defaultHeightPx(current->charts.size()));
    }
    updateTexts();
    settingsChanged();
}

void ExportDialog::formatChanged()
{
    const ExportFormat format = options().format;
    const bool image = format != ExportFormat::Csv;
    m_width->setEnabled(image);
    m_height->setEnabled(image);
    m_dpi->setEnabled(format == ExportFormat::Png || format == ExportFormat::Bundle);
    settingsChanged();
}

void ExportDialog::settingsChanged()
{
    const ExportOptions current = options();
    const QSize pixels = current.pixelSize();
    m_pixels->setText(tr("PNG: %1 \u00d7 %2 pixels").arg(pixels.width()).arg(pixels.height()));
    const auto valid = validateExportOptions(current);
    m_status->setText(valid ? QString() : qs(valid.error().toString()));
    m_export->setEnabled(m_plot && valid);
    m_previewTimer->start();
}

void ExportDialog::updateTexts()
{
    auto current = subject();
    if (!current)
        return;
    m_title->setPlaceholderText(qs(plot::defaultTitle(*current)));
    m_subtitle->setPlaceholderText(qs(plot::defaultSubtitle(*current)));
    m_altText->setPlainText(qs(plot::altText(*current)));
    m_citations = plot::citations(*current);
    const QSignalBlocker blocker(m_citeWhat);
    m_citeWhat->clear();
    for (const plot::Citation &citation : m_citations)
        m_citeWhat->addItem(qs(citation.label));
    showCitation(0);
}

void ExportDialog::showCitation(int index)
{
    if (index < 0 || std::size_t(index) >= m_citations.size())
        return;
    const plot::Citation &citation = m_citations[std::size_t(index)];
    m_citeShort->setPlainText(qs(citation.shortText));
    m_citeLong->setPlainText(qs(citation.longText));
    m_citeBibtex->setPlainText(qs(citation.bibtex));
}

void ExportDialog::updatePreview()
{
    const auto current = subject();
    const ExportOptions settings = options();
    if (!current || !validateExportOptions(settings))
        return;
    const QImage image = renderPreview(*current, settings, m_preview->contentsRect().size());
    m_preview->setPixmap(QPixmap::fromImage(image));
}

Status ExportDialog::exportTo(const QString &path)
{
    auto current = subject();
    if (!current)
        return current.error();
    ExportOptions settings = options();
    if (settings.format == ExportFormat::Bundle) {
        auto hash = fileSha256(m_storeFile);
        if (hash)
            settings.storeSha256 = *hash;
    }
    return exportToFile(*current, settings, path, m_writeAltText->isChecked());
}

void ExportDialog::chooseFileAndExport()
{
    const auto current = subject();
    if (!current)
        return;
    const ExportFormat format = options().format;
    const QString suffix = exportFormatSuffix(format);
    const QString suggested = QDir::home().filePath(qs(current->fileStem()) + u'.' + suffix);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), suggested,
                                                      tr("%1 (*.%2)").arg(formatTitle(format), suffix));
    if (path.isEmpty())
        return;
    if (auto written = exportTo(path); !written) {
        m_status->setText(tr("Not exported: %1").arg(qs(written.error().toString())));
        return;
    }
    m_status->setText(tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace cliff::ui
