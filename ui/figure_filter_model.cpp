#include "figure_filter_model.h"

#include "figure_table_model.h"

namespace cliff::ui {

FigureFilterModel::FigureFilterModel(FigureTableModel *source, QObject *parent)
    : QSortFilterProxyModel(parent), m_figures(source)
{
    setSourceModel(source);
    setSortRole(FigureTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void FigureFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateRowsFilter();
}

void FigureFilterModel::setCategory(const QString &category)
{
    m_category = category;
    invalidateRowsFilter();
}

void FigureFilterModel::setKind(const QString &kind)
{
    m_kind = kind;
    invalidateRowsFilter();
}

bool FigureFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const Figure &figure = m_figures->figure(sourceRow);
    if (!m_category.isEmpty() && QString::fromStdString(figure.category) != m_category)
        return false;
    if (!m_kind.isEmpty() && QString::fromStdString(figure.kind) != m_kind)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column = 0; column < FigureTableModel::ColumnCount; ++column) {
        const QString cell = m_figures->index(sourceRow, column).data().toString();
        if (cell.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return QString::fromStdString(figure.quote).contains(m_text, Qt::CaseInsensitive)
           || QString::fromStdString(figure.note).contains(m_text, Qt::CaseInsensitive);
}

} // namespace cliff::ui
