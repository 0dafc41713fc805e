#pragma once

#include "export_options.h"

#include "core/result.h"
#include "plot/export_subject.h"

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

namespace cliff::ui {

/// A file inside a bundle: its name and bytes.
using BundleFile = std::pair<QString, QByteArray>;

/// manifest.json of a bundle: app and version, view and charts, the scenario link, every
/// assumption's value, the figures (with source, kind and origin) and sources plotted, the
/// store's SHA-256, the layout, and each of `files` with its SHA-256. Keys sorted, no timestamps.
QByteArray bundleManifest(const plot::ExportSubject &subject, const ExportOptions &options,
                          const std::vector<BundleFile> &files);

/// README.txt of a bundle: what each file is, the alt text, how to draw the chart again, and the
/// full citations (short, long, BibTeX) of the chart and of every source.
QByteArray bundleReadme(const plot::ExportSubject &subject, const ExportOptions &options,
                        const std::vector<BundleFile> &files);

/// A zip archive (deflate) of `files` in order, written with libzip; every entry carries the same
/// fixed date so equal files give an equal archive.
Result<QByteArray> zipArchive(const std::vector<BundleFile> &files);

} // namespace cliff::ui
