#pragma once

#include "export_options.h"

#include "plot/export_subject.h"

#include <QSizeF>
#include <QString>

class QPainter;

namespace cliff::ui {

/// The font family exports are set in: the first installed of a few common sans-serif faces.
QString exportFontFamily();

/// The height a page of `pageSize` needs so that each of the subject's charts gets at least its
/// minimum cell (title, plot, note) at the page's type scale: `pageSize.height()` when it
/// already has room, more when it does not.
int pageHeightForCharts(const QSizeF &pageSize, const plot::ExportSubject &subject,
                        const ExportOptions &options);

/// Draws an export page of `pageSize` logical pixels with `painter`, whose coordinates must be
/// logical pixels from the page's top-left corner: title, subtitle, the charts, their notes, the
/// source line, the assumptions footnote, byline and notes, and the app's name and version.
/// Fonts are sized in pixels so the page looks the same on every device and at every DPI.
void paintExport(QPainter &painter, const QSizeF &pageSize, const plot::ExportSubject &subject,
                 const ExportOptions &options);

} // namespace cliff::ui
