#pragma once

#include "export_options.h"

#include "core/result.h"
#include "plot/export_subject.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace cliff::ui {

/// The one export path of the app and the command line: the file `options.format` asks for, as
/// bytes. PNG, SVG and PDF are drawn for print by paintExport (SVG and PDF as vectors with text
/// as text); CSV is plot::plotCsv; a bundle is a zip of PNG, SVG, CSV, alt text, manifest.json and
/// README.txt. CSV, SVG and bundle bytes depend only on the inputs (no timestamps).
Result<QByteArray> renderExport(const plot::ExportSubject &subject, const ExportOptions &options);

/// `options` with a page tall enough for every chart of `subject` (see pageHeightForCharts);
/// unchanged for CSV and when the page already has room.
ExportOptions withRoomForCharts(const plot::ExportSubject &subject, const ExportOptions &options);

/// The export page as an image of at most `maxSize` pixels, for a preview.
QImage renderPreview(const plot::ExportSubject &subject, const ExportOptions &options,
                     const QSize &maxSize);

/// Where the alt text of an export at `path` goes: "path.alt.txt".
QString altTextPath(const QString &path);

/// Renders `subject` and writes it to `path`, and its alt text beside it when `withAltText`,
/// through one AtomicWrite: both files are replaced or neither, nothing is left behind when any
/// step fails, and a path that holds something other than a regular file is refused.
Status exportToFile(const plot::ExportSubject &subject, const ExportOptions &options,
                    const QString &path, bool withAltText);

/// The lower-case hex SHA-256 of a file's bytes (Qt resource paths work too).
Result<QString> fileSha256(const QString &path);

/// The command line that draws the same export again into `fileName`.
QString reproduceCommand(const plot::ExportSubject &subject, const ExportOptions &options,
                         const QString &fileName);

} // namespace cliff::ui
