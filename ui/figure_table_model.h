#pragma once

#include "plot/figure_readers.h"
#include "store/catalog.h"

#include <QAbstractTableModel>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace cliff::ui {

/// The figures of a catalog as a read-only table, one row per figure. The Models column names the
/// views that read the figure (their charts plot or use it, or an assumption's default cites it);
/// where the user's figure and a shipped one share a slot, the one the models do not read says so.
class FigureTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Category, Entity, Metric, Value, Period, Kind, Source, Tier, Models, ColumnCount };
    /// Role under which every cell returns the row's figure id.
    static constexpr int FigureIdRole = Qt::UserRole + 1;
    /// Role under which the Value column returns the raw number, for numeric sorting.
    static constexpr int SortRole = Qt::UserRole + 2;

    /// `catalog` must outlive the model.
    explicit FigureTableModel(const store::Catalog &catalog, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// Runs `changeCatalog`, which changes the catalog in place, inside a model reset.
    void reload(const std::function<void()> &changeCatalog);

    /// The figure shown in `row`.
    const Figure &figure(int row) const;

    /// What reads `figure` in the models, or nullptr when nothing does (a rival the models do
    /// not read, a figure kept for reference). Worked out on first use from the models' figures.
    const plot::FigureReaders *readersOf(const Figure &figure) const;

private:
    const store::Catalog &m_catalog;
    const store::Dataset &m_dataset;
    mutable std::optional<std::map<std::string, plot::FigureReaders>> m_readers;
};

/// What a source tier means, in one line: "primary: the publisher speaks for itself (...)".
QString tierExplanation(const std::string &tier);

/// The sidebar title of an economic view: "Revenue gap", ..., "Fiber and Jevons".
QString economicViewTitle(econ::EconomicView view);

/// "Revenue gap, Fragility": the views that read a figure, for a table cell.
QString readersText(const plot::FigureReaders &readers);

/// One sentence for a figure's details: which views read it, and which assumption defaults cite it.
QString readersSentence(const plot::FigureReaders &readers);

/// "$5.576M", "$690–725B", "17%", "671B parameters": a figure's value for display.
QString formatFigureValue(const Figure &figure);

} // namespace cliff::ui
