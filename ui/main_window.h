#pragma once

#include "store/catalog.h"

#include <QMainWindow>

class QLabel;
class QTableView;
class QTextBrowser;

namespace cliff::ui {

class FigureFilterModel;
class FigureTableModel;

/// The main window: for now the sources view, every figure with its quote and source.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(store::Catalog catalog, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Selects the figure with this id in the sources table; false when there is none.
    bool showFigure(const QString &figureId);

private:
    void buildMenus();
    QWidget *buildSourcesView();
    void showDetails(const QModelIndex &proxyIndex);
    void copyCitation();
    const Figure *currentFigure() const;

    store::Catalog m_catalog;
    FigureTableModel *m_figureModel = nullptr;
    FigureFilterModel *m_filterModel = nullptr;
    QTableView *m_table = nullptr;
    QTextBrowser *m_details = nullptr;
    QLabel *m_countLabel = nullptr;
};

} // namespace cliff::ui
