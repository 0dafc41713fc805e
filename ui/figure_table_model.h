#pragma once

#include "store/catalog.h"

#include <QAbstractTableModel>

#include <functional>

namespace cliff::ui {

/// The figures of a catalog as a read-only table, one row per figure; where the user's figure and
/// a shipped one share a slot, the Models column says which of them the models read.
class FigureTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Category, Entity, Metric, Value, Period, Kind, Source, Models, ColumnCount };
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

private:
    const store::Catalog &m_catalog;
    const store::Dataset &m_dataset;
};

/// "$5.576M", "$690–725B", "17%", "671B parameters": a figure's value for display.
QString formatFigureValue(const Figure &figure);

} // namespace cliff::ui
