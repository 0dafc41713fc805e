#pragma once

#include "ui/charts/chart_style.h"

#include "econ/economic_view.h"
#include "session/story.h"
#include "store/catalog.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QListWidget;
class QStackedWidget;

namespace cliff {
class Session;
}

namespace cliff::store {
class UserStore;
}

namespace cliff::ui {

class AssumptionPanel;
class EconomicViewPage;
class HelpDialog;
class SourcesView;
class StoryBar;

/// The main window: the seven views in a sidebar (Ctrl+1..7), the assumptions of the current
/// view in a side panel, scenarios with undo, the guided story and presentation mode.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// `userDatabasePath` is where scenarios, benchmark results and own figures are saved.
    explicit MainWindow(store::Catalog catalog, QString userDatabasePath = {},
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] Session *session() const { return m_session.get(); }
    /// Shows the view with this key ("revenue-gap", ..., "sources"); false for an unknown key.
    bool showView(const QString &key);
    /// Opens the figure with this id in the sources view; false when there is none.
    bool showFigure(const QString &figureId);
    /// Reads a story file (see parseStoryFile) and starts it; the error names the file and line,
    /// and the story shown before stays.
    Status loadStoryFile(const QString &path);
    /// Restores the view and scenario of a scenario link; shows a message when it is malformed.
    bool openScenarioLink(const QString &text);
    /// The page of an economic view.
    [[nodiscard]] EconomicViewPage *page(econ::EconomicView view) const;
    [[nodiscard]] AssumptionPanel *assumptionPanel() const { return m_assumptions; }

    /// Starts the guided story at its first step.
    void startStory();
    /// Goes to story step `index` (clamped); no effect outside the story.
    void showStoryStep(int index);
    void leaveStory();
    /// Scrolls the current story step's chart into view.
    void showStoryChart();
    [[nodiscard]] int storyStep() const { return m_storyStep; }

    void setPresentationMode(bool on);
    /// Opens the help window at a glossary entry ("wacc") or a view's guide ("guide:moat").
    HelpDialog *showHelp(const QString &topic);
    [[nodiscard]] bool presentationMode() const { return m_presenting; }

    /// Restores geometry, last view and last scenario from the settings.
    void restoreSession();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    /// Leaves Left and Right to a focused control that moves with them during a story.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Sizes the window to its preferred 1400x900 or the screen, whichever is smaller, and centres it.
    void fitToScreen();
    void buildMenus();
    void buildPages();
    void onViewKeyChanged(const QString &key);
    void refreshCurrentPage();
    void applyChartStyle();
    void saveSession() const;
    void openScenarioFile();
    void saveScenarioFile();
    void openStoryFile();
    /// The view on screen when it has a model; otherwise says so under `question` and nothing.
    std::optional<econ::EconomicView> viewWithModel(const QString &question);
    void askWhatItTakes();
    void compareScenarios();
    void askForScenarioLink();
    void copyScenarioLink();
    void importFigures();
    void reloadCatalog();
    /// Applies `change` to the user database, then reloads the catalog and shows the figure
    /// again; a refused change is reported and leaves everything as it was.
    void changeUserFigures(const QString &figureId, const QString &what,
                           const std::function<Status(store::UserStore &)> &change);
    void useFigure(const QString &figureId);
    void forgetChoice(const QString &figureId);
    void editFigure(const QString &figureId);
    void deleteFigure(const QString &figureId);
    void loadMachineCost();
    SourcesView *makeSourcesView();

    store::Catalog m_catalog;
    QString m_userDatabasePath;
    std::unique_ptr<Session> m_session;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_stack = nullptr;
    QDockWidget *m_assumptionDock = nullptr;
    AssumptionPanel *m_assumptions = nullptr;
    SourcesView *m_sources = nullptr;
    StoryBar *m_storyBar = nullptr;
    HelpDialog *m_help = nullptr;
    std::vector<EconomicViewPage *> m_pages;
    std::vector<QWidget *> m_pageByView; ///< stack page of each view key, in Session::viewKeys order
    std::vector<QAction *> m_storyActions; ///< enabled only while the story runs
    QActionGroup *m_viewActions = nullptr;
    QAction *m_exportAction = nullptr;
    std::vector<StoryStep> m_story;
    QString m_storyName;
    int m_storyStep = -1;
    bool m_presenting = false;
    bool m_dockWasVisible = true;
    bool m_assumptionsAutoHidden = false; ///< hidden by a view without assumptions, not by the user
    ChartStyle m_chartStyle;
};

} // namespace cliff::ui
