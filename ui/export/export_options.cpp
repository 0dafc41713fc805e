#include "export_options.h"

#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>

namespace cliff::ui {

namespace {

constexpr std::array kFormats{ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf,
                              ExportFormat::Csv, ExportFormat::Bundle};

Error outOfRange(const char *option, int value, int low, int high)
{
    return Error{std::string(option) + " " + std::to_string(value) + " is outside "
                     + std::to_string(low) + ".." + std::to_string(high),
                 {}, 0, {}};
}

} // namespace

std::span<const ExportFormat> exportFormats()
{
    return kFormats;
}

QString exportFormatKey(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    case ExportFormat::Csv:
        return QStringLiteral("csv");
    case ExportFormat::Bundle:
        return QStringLiteral("bundle");
    }
    return {};
}

QString exportFormatSuffix(ExportFormat format)
{
    return format == ExportFormat::Bundle ? QStringLiteral("zip") : exportFormatKey(format);
}

std::optional<ExportFormat> findExportFormat(const QString &key)
{
    for (ExportFormat format : kFormats) {
        if (exportFormatKey(format) == key)
            return format;
    }
    return std::nullopt;
}

std::optional<ExportFormat> formatForFileName(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    for (ExportFormat format : kFormats) {
        if (exportFormatSuffix(format) == suffix)
            return format;
    }
    return std::nullopt;
}

QSize ExportOptions::pixelSize() const
{
    return {int(std::lround(widthPx * dpi / 96.0)), int(std::lround(heightPx * dpi / 96.0))};
}

int defaultHeightPx(std::size_t chartCount)
{
    if (chartCount <= 1)
        return 800;
    // Title and source block take about 260 px; each chart cell about 470 with its title and note.
    const std::size_t height = 260 + 470 * chartCount;
    return int(std::min<std::size_t>(height, ExportOptions::kMaxHeightPx));
}

Status validateExportOptions(const ExportOptions &options)
{
    if (options.widthPx < ExportOptions::kMinWidthPx || options.widthPx > ExportOptions::kMaxWidthPx)
        return outOfRange("width", options.widthPx, ExportOptions::kMinWidthPx, ExportOptions::kMaxWidthPx);
    if (options.heightPx < ExportOptions::kMinHeightPx || options.heightPx > ExportOptions::kMaxHeightPx)
        return outOfRange("height", options.heightPx, ExportOptions::kMinHeightPx, ExportOptions::kMaxHeightPx);
    if (options.dpi < ExportOptions::kMinDpi || options.dpi > ExportOptions::kMaxDpi)
        return outOfRange("dpi", options.dpi, ExportOptions::kMinDpi, ExportOptions::kMaxDpi);
    const bool png = options.format == ExportFormat::Png || options.format == ExportFormat::Bundle;
    const QSize pixels = options.pixelSize();
    if (png && qint64(pixels.width()) * pixels.height() > ExportOptions::kMaxPngPixels)
        return Error{"dpi " + std::to_string(options.dpi) + " makes a PNG of " + std::to_string(pixels.width())
                         + " x " + std::to_string(pixels.height()) + " pixels, over the limit of "
                         + std::to_string(ExportOptions::kMaxPngPixels / 1'000'000)
                         + " million; lower the size or the DPI",
                     {}, 0, {}};
    return Ok{};
}

} // namespace cliff::ui
