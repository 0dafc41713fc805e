#include "figure_listing.h"

#include "core/csv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace cliff::store {
namespace {

std::string optionalNumber(const std::optional<double> &value)
{
    return value ? formatNumber(*value) : std::string();
}

std::vector<std::string> listingRow(const Dataset &dataset, const Figure &f)
{
    static const Source missing;
    const Source *found = dataset.findSource(f.sourceId);
    const Source &s = found ? *found : missing;
    return {f.id, f.category, f.entity, f.metric, formatNumber(f.value), optionalNumber(f.low),
            optionalNumber(f.high), f.unit, f.period, f.kind, f.sourceId, f.readIn, f.quoted,
            f.quote, f.note, joinIds(f.alsoIn), s.title, s.publisher, s.url, s.published,
            s.sourceKind, s.tier, f.userOwned ? "user" : "shipped"};
}

} // namespace

const std::vector<std::string> &listingColumns()
{
    static const std::vector<std::string> columns = [] {
        std::vector<std::string> all = figureColumns();
        for (const char *name : {"source_title", "source_publisher", "source_url",
                                 "source_published", "source_kind", "source_tier", "origin"})
            all.emplace_back(name);
        return all;
    }();
    return columns;
}

std::string figuresCsv(const Dataset &dataset, const std::vector<const Figure *> &figures)
{
    // Every other column is text, written spreadsheet-safe.
    static const std::vector<std::size_t> numberColumns = [] {
        const std::vector<std::string> &columns = listingColumns();
        std::vector<std::size_t> numbers;
        for (const char *name : {"value", "low", "high"})
            numbers.push_back(
                std::size_t(std::find(columns.begin(), columns.end(), name) - columns.begin()));
        return numbers;
    }();
    std::string text = csv::formatRecord(listingColumns());
    for (const Figure *figure : figures)
        text += csv::formatRecord(listingRow(dataset, *figure), numberColumns);
    return text;
}

QByteArray figuresJson(const Dataset &dataset, const std::vector<const Figure *> &figures)
{
    const std::vector<std::string> &columns = listingColumns();
    QJsonArray rows;
    for (const Figure *figure : figures) {
        const std::vector<std::string> row = listingRow(dataset, *figure);
        QJsonObject object;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const QString key = QString::fromStdString(columns[i]);
            if (columns[i] == "value")
                object.insert(key, figure->value);
            else if (columns[i] == "low")
                object.insert(key, figure->low ? QJsonValue(*figure->low) : QJsonValue());
            else if (columns[i] == "high")
                object.insert(key, figure->high ? QJsonValue(*figure->high) : QJsonValue());
            else
                object.insert(key, QString::fromStdString(row[i]));
        }
        rows.append(object);
    }
    return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}

} // namespace cliff::store
