#pragma once

#include "core/result.h"

#include <QSize>
#include <QString>

#include <cstddef>
#include <optional>
#include <span>

namespace cliff::ui {

/// The file formats an export writes.
enum class ExportFormat { Png, Svg, Pdf, Csv, Bundle };

/// Every format, in menu order.
std::span<const ExportFormat> exportFormats();

/// The command-line name: "png", "svg", "pdf", "csv" or "bundle".
QString exportFormatKey(ExportFormat format);

/// The file-name suffix without its dot: the key, except "zip" for a bundle.
QString exportFormatSuffix(ExportFormat format);

/// The format named `key` ("png", ..., "bundle"), or nothing.
std::optional<ExportFormat> findExportFormat(const QString &key);

/// The format a file name's suffix stands for (".zip" is a bundle), or nothing.
std::optional<ExportFormat> formatForFileName(const QString &fileName);

/// How an export is laid out and what is written around the chart. Sizes are logical pixels
/// of 1/96 inch, the unit of SVG and CSS: a PDF page is widthPx/96 inches wide, an SVG widthPx
/// units, and a PNG widthPx x dpi/96 pixels.
struct ExportOptions {
    static constexpr int kMinWidthPx = 480;
    static constexpr int kMaxWidthPx = 8000;
    static constexpr int kMinHeightPx = 320;
    static constexpr int kMaxHeightPx = 8000;
    static constexpr int kMinDpi = 48;
    static constexpr int kMaxDpi = 1200;
    static constexpr qint64 kMaxPngPixels = 64'000'000; ///< 256 MB of image memory

    ExportFormat format = ExportFormat::Png;
    int widthPx = 1200;
    int heightPx = 800;
    int dpi = 192; ///< PNG resolution; 192 is twice the 96 of a standard screen
    QString title;    ///< empty: the chart's own title
    QString subtitle; ///< empty: the view's headline
    QString byline;   ///< e.g. "Chart: A. Writer / The Paper"; drawn when not empty
    QString notes;    ///< drawn under the chart when not empty
    bool drawFootnote = true; ///< the assumptions that differ from their defaults
    QString storeSha256; ///< hex SHA-256 of the store file, written into a bundle's manifest

    /// The PNG's size in pixels.
    [[nodiscard]] QSize pixelSize() const;
};

/// The default page height for `chartCount` charts stacked one above the other: 800 for one,
/// and room for each further chart (capped at the maximum height).
int defaultHeightPx(std::size_t chartCount);

/// Checks sizes and DPI against the limits above; the error names the option ("width", "height",
/// "dpi") and the allowed range.
Status validateExportOptions(const ExportOptions &options);

} // namespace cliff::ui
