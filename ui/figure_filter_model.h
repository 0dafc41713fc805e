#pragma once

#include <QSortFilterProxyModel>

namespace cliff::ui {

class FigureTableModel;

/// Filters figures by free text (any column, the quote and the note), category and kind.
class FigureFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FigureFilterModel(FigureTableModel *source, QObject *parent = nullptr);

    void setText(const QString &text);
    void setCategory(const QString &category); ///< empty: every category
    void setKind(const QString &kind);         ///< empty: every kind

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    FigureTableModel *m_figures;
    QString m_text;
    QString m_category;
    QString m_kind;
};

} // namespace cliff::ui
