#pragma once

#include "store/dataset.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QTableView;
class QTextBrowser;

namespace cliff::ui {

class FigureFilterModel;
class FigureTableModel;

/// The sources view: every figure in a sortable, filterable table, with its quote, source, the
/// seed it was read in and other sources for the same number.
class SourcesView : public QWidget {
    Q_OBJECT

public:
    /// `dataset` must outlive the view.
    explicit SourcesView(const store::Dataset &dataset, QWidget *parent = nullptr);

    /// Selects the figure with this id, clearing filters that hide it; false when there is none.
    bool showFigure(const QString &figureId);
    /// Copies the selected figure's citation to the clipboard.
    void copyCitation();

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    bool selectFigure(const QString &figureId);
    void showDetails(const QModelIndex &proxyIndex);
    [[nodiscard]] const Figure *currentFigure() const;

    const store::Dataset &m_dataset;
    FigureTableModel *m_figureModel = nullptr;
    FigureFilterModel *m_filterModel = nullptr;
    QTableView *m_table = nullptr;
    QTextBrowser *m_details = nullptr;
    QLabel *m_countLabel = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_category = nullptr;
    QComboBox *m_kind = nullptr;
};

} // namespace cliff::ui
