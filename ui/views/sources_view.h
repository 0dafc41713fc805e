#pragma once

#include "store/catalog.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace cliff::ui {

class FigureFilterModel;
class FigureTableModel;

/// The sources view: every figure in a sortable, filterable table, with its quote, its source and
/// that source's tier, the seed it was read in, the other sources stating the same number
/// (`alsoIn`), the views that read it, and its rivals (the user's figure and a shipped one for the
/// same slot). It asks for changes to the user's figures by signals; the
/// window makes them and rebuilds the view on the reloaded catalog.
class SourcesView : public QWidget {
    Q_OBJECT

public:
    /// `catalog` must outlive the view.
    explicit SourcesView(const store::Catalog &catalog, QWidget *parent = nullptr);

    /// Selects the figure with this id, clearing filters that hide it; false when there is none.
    bool showFigure(const QString &figureId);
    /// Runs `changeCatalog`, which changes the catalog in place, and shows it again, keeping the
    /// filters, and the selected figure when it is still there.
    void reload(const std::function<void()> &changeCatalog);
    /// Copies the selected figure's citation to the clipboard.
    void copyCitation();

Q_SIGNALS:
    void statusMessage(const QString &message);
    /// The user asked the models to read this figure for its slot instead of its rival.
    void useFigureRequested(const QString &figureId);
    /// The user asked to forget the choice for this figure's slot.
    void forgetChoiceRequested(const QString &figureId);
    void editFigureRequested(const QString &figureId);
    void deleteFigureRequested(const QString &figureId);

private:
    bool selectFigure(const QString &figureId);
    void showDetails(const QModelIndex &proxyIndex);
    [[nodiscard]] QString rivalsHtml(const Figure &figure) const;
    void updateActions();
    [[nodiscard]] const Figure *currentFigure() const;

    const store::Catalog &m_catalog;
    const store::Dataset &m_dataset;
    FigureTableModel *m_figureModel = nullptr;
    FigureFilterModel *m_filterModel = nullptr;
    QTableView *m_table = nullptr;
    QTextBrowser *m_details = nullptr;
    QLabel *m_countLabel = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_category = nullptr;
    QComboBox *m_kind = nullptr;
    QPushButton *m_use = nullptr;
    QPushButton *m_forgetChoice = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_delete = nullptr;
};

} // namespace cliff::ui
