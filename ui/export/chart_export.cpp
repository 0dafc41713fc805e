#include "chart_export.h"

#include "export_bundle.h"
#include "export_painter.h"

#include "core/atomic_write.h"
#include "econ/scenario.h"
#include "plot/plot_csv.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSvgGenerator>

#include <array>
#include <cmath>

namespace cliff::ui {

namespace {

constexpr qreal kLogicalDpi = 96.0;
constexpr qreal kInchesPerMetre = 1.0 / 0.0254;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QString titleOf(const plot::ExportSubject &subject, const ExportOptions &options)
{
    return options.title.isEmpty() ? qs(plot::defaultTitle(subject)) : options.title;
}

Error renderError(const QString &what)
{
    return Error{what.toStdString(), {}, 0, {}};
}

Result<QByteArray> renderPng(const plot::ExportSubject &subject, const ExportOptions &options)
{
    QImage image(options.pixelSize(), QImage::Format_RGB32);
    if (image.isNull())
        return renderError(QStringLiteral("not enough memory for a %1 x %2 pixel image")
                               .arg(options.pixelSize().width())
                               .arg(options.pixelSize().height()));
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.scale(options.dpi / kLogicalDpi, options.dpi / kLogicalDpi);
        paintExport(painter, QSizeF(options.widthPx, options.heightPx), subject, options);
    }
    // Stamped after painting: the page is laid out in logical pixels whatever the resolution.
    const int dotsPerMetre = int(std::lround(options.dpi * kInchesPerMetre));
    image.setDotsPerMeterX(dotsPerMetre);
    image.setDotsPerMeterY(dotsPerMetre);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return renderError(QStringLiteral("the PNG encoder failed"));
    return bytes;
}

Result<QByteArray> renderSvg(const plot::ExportSubject &subject, const ExportOptions &options)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(QSize(options.widthPx, options.heightPx));
    generator.setViewBox(QRectF(0, 0, options.widthPx, options.heightPx));
    generator.setResolution(int(kLogicalDpi));
    generator.setTitle(titleOf(subject, options));
    generator.setDescription(qs(plot::altText(subject)));
    {
        QPainter painter;
        if (!painter.begin(&generator))
            return renderError(QStringLiteral("the SVG generator could not start"));
        paintExport(painter, QSizeF(options.widthPx, options.heightPx), subject, options);
    }
    // A generic family after the named one, for viewers that lack it.
    const QByteArray family = exportFontFamily().toUtf8();
    const QByteArray named = QByteArray("font-family=\"") + family + '"';
    const QByteArray withFallback = QByteArray("font-family=\"") + family + ", sans-serif\"";
    bytes.replace(named, withFallback);
    return bytes;
}

Result<QByteArray> renderPdf(const plot::ExportSubject &subject, const ExportOptions &options)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        const QSizeF points(options.widthPx * 72.0 / kLogicalDpi, options.heightPx * 72.0 / kLogicalDpi);
        writer.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(int(kLogicalDpi));
        writer.setTitle(titleOf(subject, options));
        writer.setCreator(qs(plot::appLine()));
        QPainter painter;
        if (!painter.begin(&writer))
            return renderError(QStringLiteral("the PDF writer could not start"));
        paintExport(painter, QSizeF(options.widthPx, options.heightPx), subject, options);
    }
    return bytes;
}

QByteArray altTextBytes(const plot::ExportSubject &subject)
{
    return QByteArray::fromStdString(plot::altText(subject) + "\n");
}

Result<QByteArray> renderBundle(const plot::ExportSubject &subject, const ExportOptions &options)
{
    const QString stem = qs(subject.fileStem());
    std::vector<BundleFile> files;
    for (ExportFormat format : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Csv}) {
        ExportOptions single = options;
        single.format = format;
        auto bytes = renderExport(subject, single);
        if (!bytes)
            return bytes.error();
        files.emplace_back(stem + u'.' + exportFormatSuffix(format), std::move(bytes).value());
    }
    files.emplace_back(stem + QStringLiteral(".alt.txt"), altTextBytes(subject));
    files.emplace_back(QStringLiteral("manifest.json"), bundleManifest(subject, options, files));
    files.emplace_back(QStringLiteral("README.txt"), bundleReadme(subject, options, files));
    return zipArchive(files);
}

/// `argument` quoted for a POSIX shell when it holds anything but safe characters.
QString shellQuoted(const QString &argument)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=+,-]+$"));
    if (safe.match(argument).hasMatch())
        return argument;
    QString quoted = argument;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

} // namespace

ExportOptions withRoomForCharts(const plot::ExportSubject &subject, const ExportOptions &options)
{
    ExportOptions fitted = options;
    if (options.format != ExportFormat::Csv)
        fitted.heightPx = pageHeightForCharts(QSizeF(options.widthPx, options.heightPx), subject, options);
    return fitted;
}

Result<QByteArray> renderExport(const plot::ExportSubject &subject, const ExportOptions &requested)
{
    if (auto valid = validateExportOptions(requested); !valid)
        return valid.error();
    const ExportOptions options = withRoomForCharts(subject, requested);
    if (auto valid = validateExportOptions(options); !valid)
        return valid.error();
    switch (options.format) {
    case ExportFormat::Png:
        return renderPng(subject, options);
    case ExportFormat::Svg:
        return renderSvg(subject, options);
    case ExportFormat::Pdf:
        return renderPdf(subject, options);
    case ExportFormat::Csv:
        return QByteArray::fromStdString(plot::plotCsv(subject));
    case ExportFormat::Bundle:
        return renderBundle(subject, options);
    }
    return renderError(QStringLiteral("unknown export format"));
}

QImage renderPreview(const plot::ExportSubject &subject, const ExportOptions &requested,
                     const QSize &maxSize)
{
    const ExportOptions options = withRoomForCharts(subject, requested);
    const qreal scale = std::min(maxSize.width() / qreal(options.widthPx),
                                 maxSize.height() / qreal(options.heightPx));
    const QSize size(std::max(1, int(options.widthPx * scale)), std::max(1, int(options.heightPx * scale)));
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.scale(scale, scale);
    paintExport(painter, QSizeF(options.widthPx, options.heightPx), subject, options);
    return image;
}

namespace {

std::string localPath(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

std::string_view bytesOf(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

} // namespace

QString altTextPath(const QString &path)
{
    return path + QStringLiteral(".alt.txt");
}

Status exportToFile(const plot::ExportSubject &subject, const ExportOptions &options,
                    const QString &path, bool withAltText)
{
    auto bytes = renderExport(subject, options);
    if (!bytes)
        return bytes.error();
    // The chart and its alt text take their names together or not at all, so a failure never
    // leaves a new chart beside an old description, nor deletes the old chart.
    AtomicWrite write;
    if (Status staged = write.stage(localPath(path), bytesOf(*bytes)); !staged)
        return staged;
    if (withAltText) {
        const QByteArray alt = altTextBytes(subject);
        if (Status staged = write.stage(localPath(altTextPath(path)), bytesOf(alt)); !staged)
            return staged;
    }
    return write.commit();
}

Result<QString> fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{"cannot read: " + file.errorString().toStdString(), path.toStdString(), 0, {}};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return Error{"cannot read: " + file.errorString().toStdString(), path.toStdString(), 0, {}};
    return QString::fromLatin1(hash.result().toHex());
}

QString reproduceCommand(const plot::ExportSubject &subject, const ExportOptions &options,
                         const QString &fileName)
{
    QStringList words{QStringLiteral("compute-cliff"), QStringLiteral("export"),
                      QStringLiteral("--view"), qs(subject.viewKey()),
                      QStringLiteral("--chart"), qs(subject.chartKey()),
                      QStringLiteral("--format"), exportFormatKey(options.format),
                      QStringLiteral("--out"), fileName};
    if (options.format != ExportFormat::Csv) {
        words << QStringLiteral("--width") << QString::number(options.widthPx)
              << QStringLiteral("--height") << QString::number(options.heightPx);
        if (options.format == ExportFormat::Png || options.format == ExportFormat::Bundle)
            words << QStringLiteral("--dpi") << QString::number(options.dpi);
    }
    const std::array<std::pair<QString, QString>, 4> texts{{{QStringLiteral("--title"), options.title},
                                                            {QStringLiteral("--subtitle"), options.subtitle},
                                                            {QStringLiteral("--byline"), options.byline},
                                                            {QStringLiteral("--notes"), options.notes}}};
    for (const auto &[option, text] : texts) {
        if (!text.isEmpty())
            words << option << text;
    }
    if (!options.drawFootnote)
        words << QStringLiteral("--no-footnote");
    if (subject.plot.draws > 0) {
        words << QStringLiteral("--monte-carlo") << QString::number(subject.plot.draws)
              << QStringLiteral("--seed") << QString::number(subject.plot.seed);
    }
    for (econ::AssumptionId id : subject.scenario.changed()) {
        words << QStringLiteral("--set")
              << qs(std::string(econ::assumption(id).key) + "=" + econ::formatDouble(subject.scenario.value(id)));
    }
    QStringList quoted;
    for (const QString &word : words)
        quoted << shellQuoted(word);
    return quoted.join(u' ');
}

} // namespace cliff::ui
