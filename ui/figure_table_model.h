#pragma once

#include "store/dataset.h"

#include <QAbstractTableModel>

namespace cliff::ui {

/// The figures of a dataset as a read-only table, one row per figure.
class FigureTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Category, Entity, Metric, Value, Period, Kind, Source, ColumnCount };
    /// Role under which every cell returns the row's figure id.
    static constexpr int FigureIdRole = Qt::UserRole + 1;
    /// Role under which the Value column returns the raw number, for numeric sorting.
    static constexpr int SortRole = Qt::UserRole + 2;

    explicit FigureTableModel(const store::Dataset &dataset, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// The figure shown in `row`.
    const Figure &figure(int row) const;

private:
    const store::Dataset &m_dataset;
};

/// "$5.576M", "$690–725B", "17%", "671B parameters": a figure's value for display.
QString formatFigureValue(const Figure &figure);

} // namespace cliff::ui
