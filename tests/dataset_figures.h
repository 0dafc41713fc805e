#pragma once

// The shipped figures read straight from the CSV text of datasets/figures (no store build), for
// tests that need the real inputs. Needs CLIFF_DATASETS_DIR.

#include "figure_fixtures.h"

#include "core/csv.h"

#include <QDir>
#include <QFile>

#include <map>
#include <string>
#include <vector>

namespace cliff::testing {

// The figures of datasets/figures, read straight from the CSV text.
inline std::vector<Figure> datasetFigures()
{
    std::vector<Figure> figures;
    const QDir dir(QStringLiteral(CLIFF_DATASETS_DIR "/figures"));
    for (const QString &name : dir.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const auto records = csv::parse(file.readAll().toStdString(), name.toStdString());
        if (!records || records->empty())
            continue;
        std::map<std::string, std::size_t> column;
        for (std::size_t i = 0; i < records->front().fields.size(); ++i)
            column[records->front().fields[i]] = i;
        for (std::size_t r = 1; r < records->size(); ++r) {
            const std::vector<std::string> &fields = (*records)[r].fields;
            const auto field = [&](const char *key) { return fields.at(column.at(key)); };
            Figure figure = makeFigure(field("id"), field("category"), field("entity"),
                                       field("metric"), std::stod(field("value")), field("unit"),
                                       field("period"), field("kind"));
            if (!field("low").empty())
                figure.low = std::stod(field("low"));
            if (!field("high").empty())
                figure.high = std::stod(field("high"));
            figures.push_back(std::move(figure));
        }
    }
    return figures;
}

} // namespace cliff::testing
