#include "export_bundle.h"

#include "chart_export.h"

#include "econ/scenario_link.h"
#include "plot/citation.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <zip.h>

#include <ctime>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString describe(const QString &name, const ExportOptions &options)
{
    if (name.endsWith(QStringLiteral(".png")))
        return QStringLiteral("the chart, %1 x %2 pixels at %3 DPI")
            .arg(options.pixelSize().width())
            .arg(options.pixelSize().height())
            .arg(options.dpi);
    if (name.endsWith(QStringLiteral(".svg")))
        return QStringLiteral("the chart as vectors, text kept as text");
    if (name.endsWith(QStringLiteral(".csv")))
        return QStringLiteral("the plotted numbers, with the scenario and sources in # lines");
    if (name.endsWith(QStringLiteral(".alt.txt")))
        return QStringLiteral("a plain-language description of the chart (alt text)");
    if (name == u"manifest.json")
        return QStringLiteral("every assumption value, the figures and sources plotted, the store's SHA-256");
    return {};
}

Error zipError(zip_error_t *error, const char *what)
{
    Error made{std::string("cannot build the bundle: ") + what + ": " + zip_error_strerror(error), {}, 0, {}};
    zip_error_fini(error);
    return made;
}

} // namespace

QByteArray bundleManifest(const plot::ExportSubject &subject, const ExportOptions &options,
                          const std::vector<BundleFile> &files)
{
    QJsonObject assumptions;
    for (const econ::Assumption &entry : econ::assumptionRegistry())
        assumptions.insert(qs(entry.key), subject.scenario.value(entry.id));
    QJsonArray changed;
    for (econ::AssumptionId id : subject.scenario.changed())
        changed.append(qs(econ::assumption(id).key));
    QJsonArray charts;
    for (std::size_t i = 0; i < subject.charts.size(); ++i)
        charts.append(qs(subject.chart(i).key));
    QJsonArray figures;
    for (const std::string &id : subject.figureIds()) {
        QJsonObject figure{{QStringLiteral("id"), qs(id)}};
        if (const Figure *found = subject.findFigure(id)) {
            figure.insert(QStringLiteral("source_id"), qs(found->sourceId));
            figure.insert(QStringLiteral("kind"), qs(found->kind));
            figure.insert(QStringLiteral("value"), found->value);
            figure.insert(QStringLiteral("unit"), qs(found->unit));
            figure.insert(QStringLiteral("period"), qs(found->period));
            figure.insert(QStringLiteral("origin"), found->userOwned ? QStringLiteral("user") : QStringLiteral("shipped"));
        }
        figures.append(figure);
    }
    QJsonArray sources;
    for (const Source &source : subject.citedSources())
        sources.append(QJsonObject{{QStringLiteral("id"), qs(source.id)},
                                   {QStringLiteral("tier"), qs(source.tier)}});
    QJsonArray listed;
    for (const auto &[name, bytes] : files) {
        listed.append(QJsonObject{{QStringLiteral("name"), name},
                                  {QStringLiteral("bytes"), bytes.size()},
                                  {QStringLiteral("sha256"), sha256(bytes)}});
    }
    const QJsonObject layout{{QStringLiteral("width_px"), options.widthPx},
                             {QStringLiteral("height_px"), options.heightPx},
                             {QStringLiteral("dpi"), options.dpi},
                             {QStringLiteral("title"), options.title},
                             {QStringLiteral("subtitle"), options.subtitle},
                             {QStringLiteral("byline"), options.byline},
                             {QStringLiteral("notes"), options.notes},
                             {QStringLiteral("footnote"), options.drawFootnote}};
    const QString pngName = qs(subject.fileStem()) + QStringLiteral(".png");
    ExportOptions png = options;
    png.format = ExportFormat::Png;
    QJsonObject manifest{
        {QStringLiteral("app"), qs(plot::kAppName)},
        {QStringLiteral("version"), qs(plot::appVersion())},
        {QStringLiteral("view"), qs(subject.viewKey())},
        {QStringLiteral("question"), qs(subject.plot.question)},
        {QStringLiteral("chart"), qs(subject.chartKey())},
        {QStringLiteral("charts"), charts},
        {QStringLiteral("headline"), qs(subject.plot.headline)},
        {QStringLiteral("scenario_link"), qs(econ::formatScenarioLink(subject.viewKey(), subject.scenario))},
        {QStringLiteral("assumptions"), assumptions},
        {QStringLiteral("changed_assumptions"), changed},
        {QStringLiteral("figures"), figures},
        {QStringLiteral("sources"), sources},
        {QStringLiteral("store_sha256"), options.storeSha256},
        {QStringLiteral("layout"), layout},
        {QStringLiteral("files"), listed},
        {QStringLiteral("reproduce"), reproduceCommand(subject, png, pngName)}};
    if (subject.plot.draws > 0) {
        manifest.insert(QStringLiteral("monte_carlo"),
                        QJsonObject{{QStringLiteral("draws"), subject.plot.draws},
                                    {QStringLiteral("seed"), double(subject.plot.seed)},
                                    {QStringLiteral("chances"), qs(subject.plot.chances)}});
    }
    return QJsonDocument(manifest).toJson(QJsonDocument::Indented);
}

QByteArray bundleReadme(const plot::ExportSubject &subject, const ExportOptions &options,
                        const std::vector<BundleFile> &files)
{
    const QString title = options.title.isEmpty() ? qs(plot::defaultTitle(subject)) : options.title;
    QString text = title + u'\n' + QString(title.size(), u'=') + u'\n';
    text += (options.subtitle.isEmpty() ? qs(plot::defaultSubtitle(subject)) : options.subtitle) + u'\n';
    text += QStringLiteral("\nExported from %1 (view %2, chart %3). The files:\n\n")
                .arg(qs(plot::appLine()), qs(subject.viewKey()), qs(subject.chartKey()));
    for (const auto &[name, bytes] : files)
        text += QStringLiteral("  %1\n      %2\n").arg(name, describe(name, options));
    text += QStringLiteral("  README.txt\n      this file\n");

    text += QStringLiteral("\nWhat the chart shows\n--------------------\n") + qs(plot::altText(subject)) + u'\n';

    ExportOptions png = options;
    png.format = ExportFormat::Png;
    text += QStringLiteral("\nTo draw it again\n----------------\n");
    text += QStringLiteral("With the same version of the app and the same figures store (SHA-256 %1):\n\n  %2\n\n")
                .arg(options.storeSha256.isEmpty() ? QStringLiteral("not recorded") : options.storeSha256,
                     reproduceCommand(subject, png, qs(subject.fileStem()) + QStringLiteral(".png")));
    text += QStringLiteral("or open the scenario in the app:\n\n  compute-cliff --open '%1'\n")
                .arg(qs(econ::formatScenarioLink(subject.viewKey(), subject.scenario)));
    text += QStringLiteral("\n") + qs(plot::assumptionFootnote(subject)) + u'\n';

    const std::vector<plot::Citation> all = plot::citations(subject);
    text += QStringLiteral("\nCite this chart\n---------------\n");
    text += QStringLiteral("Short: ") + qs(all.front().shortText) + u'\n';
    text += QStringLiteral("Long:  ") + qs(all.front().longText) + QStringLiteral("\n\n");
    text += qs(all.front().bibtex);
    text += QStringLiteral("\nSources\n-------\n");
    if (all.size() == 1)
        text += QStringLiteral("The chart plots no cited figure; it is model output at the assumptions above.\n");
    for (std::size_t i = 1; i < all.size(); ++i) {
        text += QStringLiteral("[%1] ").arg(i) + qs(all[i].longText) + QStringLiteral("\n\n");
        text += qs(all[i].bibtex) + u'\n';
    }
    return text.toUtf8();
}

Result<QByteArray> zipArchive(const std::vector<BundleFile> &files)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!buffer)
        return zipError(&error, "memory buffer");
    zip_t *archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    if (!archive) {
        zip_source_free(buffer);
        return zipError(&error, "open");
    }
    zip_source_keep(buffer); // read back after zip_close

    // Zip stores local time; the DOS epoch in local time reads back the same in every zone.
    std::tm epoch{};
    epoch.tm_year = 80;
    epoch.tm_mday = 1;
    epoch.tm_isdst = -1;
    const std::time_t fixedTime = std::mktime(&epoch);

    const auto fail = [&](const char *what) {
        Error made{std::string("cannot build the bundle: ") + what + ": " + zip_strerror(archive), {}, 0, {}};
        zip_discard(archive);
        zip_source_free(buffer);
        return made;
    };
    for (const auto &[name, bytes] : files) {
        zip_source_t *data = zip_source_buffer(archive, bytes.constData(), zip_uint64_t(bytes.size()), 0);
        if (!data)
            return fail("entry data");
        const zip_int64_t index = zip_file_add(archive, name.toUtf8().constData(), data, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(data);
            return fail("add entry");
        }
        if (zip_file_set_mtime(archive, zip_uint64_t(index), fixedTime, 0) < 0
            || zip_set_file_compression(archive, zip_uint64_t(index), ZIP_CM_DEFLATE, 9) < 0)
            return fail("entry attributes");
    }
    if (zip_close(archive) < 0)
        return fail("write");

    QByteArray out;
    if (zip_source_open(buffer) < 0 || zip_source_seek(buffer, 0, SEEK_END) < 0) {
        zip_source_free(buffer);
        return Error{"cannot read the built bundle back", {}, 0, {}};
    }
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    out.resize(qsizetype(size));
    const zip_int64_t read = zip_source_read(buffer, out.data(), zip_uint64_t(size));
    zip_source_close(buffer);
    zip_source_free(buffer);
    if (read != size)
        return Error{"cannot read the built bundle back", {}, 0, {}};
    return out;
}

} // namespace cliff::ui
