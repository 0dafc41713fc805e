#include "main_window.h"

#include "questions/compare_dialog.h"
#include "questions/evidence_date_dialog.h"
#include "questions/what_it_takes_dialog.h"

#include "assumption_panel.h"
#include "export/export_dialog.h"
#include "figure_edit_dialog.h"
#include "figure_table_model.h"
#include "help/glossary.h"
#include "help/help_dialog.h"
#include "import_dialog.h"
#include "story_bar.h"
#include "views/benchmark_view.h"
#include "views/economic_view_page.h"
#include "views/sources_view.h"

#include "core/atomic_write.h"
#include "session/session.h"
#include "store/bench_history.h"
#include "store/file_checks.h"
#include "store/user_store.h"

#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QGraphicsView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

/// Sidebar titles, in Session::viewKeys() order: the economic views, then the two others.
QStringList viewTitles()
{
    QStringList titles;
    for (const econ::EconomicView view : econ::economicViews())
        titles << economicViewTitle(view);
    return titles << MainWindow::tr("Benchmark") << MainWindow::tr("Sources");
}

int viewIndex(const QString &key)
{
    const auto &keys = Session::viewKeys();
    const auto found = std::find(keys.begin(), keys.end(), key.toStdString());
    return found == keys.end() ? -1 : int(found - keys.begin());
}

bool systemIsDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

} // namespace

MainWindow::MainWindow(store::Catalog catalog, QString userDatabasePath, QWidget *parent)
    : QMainWindow(parent),
      m_catalog(std::move(catalog)),
      m_userDatabasePath(std::move(userDatabasePath)),
      m_session(std::make_unique<Session>(m_catalog.modelFigures(), m_catalog.figures.sources)),
      m_story(thesisStory()),
      m_storyName(tr("The thesis in five moves"))
{
    setWindowTitle(tr("Compute Cliff Explorer"));
    setObjectName(QStringLiteral("mainWindow"));
    m_chartStyle.dark = systemIsDark();
    buildPages();
    buildMenus();
    fitToScreen();

    connect(m_session.get(), &Session::viewKeyChanged, this, &MainWindow::onViewKeyChanged);
    connect(m_session.get(), &Session::plotsInvalidated, this, &MainWindow::refreshCurrentPage);
    onViewKeyChanged(m_session->viewKey());
    refreshCurrentPage();

    // The story's Left and Right shortcuts see key presses before the focused widget does.
    qApp->installEventFilter(this);

    if (m_catalog.userStoreProblem) {
        const QString problem = QString::fromStdString(m_catalog.userStoreProblem->toString());
        statusBar()->showMessage(
            tr("Your database could not be opened and was left untouched (%1). Running on the "
               "embedded figures.").arg(problem));
    }
}

MainWindow::~MainWindow()
{
    // QWidget's destructor hides a visible window after the members are gone, and hiding lays
    // out the figure table, which reads m_catalog: hide while the catalog still exists.
    hide();
}

void MainWindow::buildPages()
{
    m_sidebar = new QListWidget;
    m_sidebar->addItems(viewTitles());
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 36);
    m_sidebar->setAccessibleName(tr("Views"));
    m_stack = new QStackedWidget;

    for (econ::EconomicView view : econ::economicViews()) {
        auto *page = new EconomicViewPage(m_session.get(), view);
        page->setChartStyle(m_chartStyle);
        connect(page, &EconomicViewPage::figureActivated, this, &MainWindow::showFigure);
        connect(page, &EconomicViewPage::assumptionActivated, this, [this](const QString &key) {
            if (const auto id = econ::findAssumption(key.toStdString())) {
                m_assumptionDock->show();
                m_assumptions->focusAssumption(*id);
            }
        });
        setHelpTopic(page, econ::economicViewKey(view));
        m_pages.push_back(page);
        m_pageByView.push_back(page);
        m_stack->addWidget(page);
    }
    auto *benchmark = new BenchmarkView(m_userDatabasePath);
    connect(benchmark, &BenchmarkView::runFinished, this, [this](bool completed) {
        if (completed)
            loadMachineCost();
    });
    setHelpTopic(benchmark, "benchmark");
    m_pageByView.push_back(benchmark);
    m_stack->addWidget(benchmark);
    m_sources = makeSourcesView();
    setHelpTopic(m_sources, "sources");
    m_pageByView.push_back(m_sources);
    m_stack->addWidget(m_sources);
    loadMachineCost();

    m_storyBar = new StoryBar;
    m_storyBar->setVisible(false);
    connect(m_storyBar, &StoryBar::previousRequested, this, [this] { showStoryStep(m_storyStep - 1); });
    connect(m_storyBar, &StoryBar::nextRequested, this, [this] { showStoryStep(m_storyStep + 1); });
    connect(m_storyBar, &StoryBar::leaveRequested, this, &MainWindow::leaveStory);

    auto *centre = new QWidget;
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(4, 4, 4, 4);
    centreLayout->addWidget(m_storyBar);
    centreLayout->addWidget(m_stack, 1);
    auto *body = new QWidget;
    auto *bodyLayout = new QHBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(m_sidebar);
    bodyLayout->addWidget(centre, 1);
    setCentralWidget(body);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && std::size_t(row) < Session::viewKeys().size())
            m_session->setViewKey(qs(Session::viewKeys()[std::size_t(row)]));
    });

    m_assumptions = new AssumptionPanel(m_session.get());
    connect(m_assumptions, &AssumptionPanel::figureRequested, this, &MainWindow::showFigure);
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_assumptions);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_assumptionDock = new QDockWidget(tr("Assumptions"), this);
    m_assumptionDock->setObjectName(QStringLiteral("assumptionsDock"));
    m_assumptionDock->setWidget(scroll);
    m_assumptionDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::RightDockWidgetArea, m_assumptionDock);
}

SourcesView *MainWindow::makeSourcesView()
{
    auto *view = new SourcesView(m_catalog);
    connect(view, &SourcesView::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 3000); });
    connect(view, &SourcesView::useFigureRequested, this, &MainWindow::useFigure);
    connect(view, &SourcesView::forgetChoiceRequested, this, &MainWindow::forgetChoice);
    connect(view, &SourcesView::editFigureRequested, this, &MainWindow::editFigure);
    connect(view, &SourcesView::deleteFigureRequested, this, &MainWindow::deleteFigure);
    return view;
}

void MainWindow::changeUserFigures(const QString &figureId, const QString &what,
                                   const std::function<Status(store::UserStore &)> &change)
{
    auto user = store::UserStore::open(m_userDatabasePath);
    Status changed = user ? change(user.value()) : Status(user.error());
    if (!changed) {
        QMessageBox::warning(this, what, QString::fromStdString(changed.error().toString()));
        return;
    }
    reloadCatalog();
    m_sources->showFigure(figureId);
}

void MainWindow::useFigure(const QString &figureId)
{
    const Figure *figure = m_catalog.figures.findFigure(figureId.toStdString());
    if (!figure)
        return;
    changeUserFigures(figureId, tr("Use this figure in the models"),
                      [figure = *figure](store::UserStore &user) { return user.chooseFigure(figure); });
}

void MainWindow::forgetChoice(const QString &figureId)
{
    const Figure *figure = m_catalog.figures.findFigure(figureId.toStdString());
    if (!figure)
        return;
    const store::FigureSlot slot = store::FigureSlot::of(*figure);
    changeUserFigures(figureId, tr("Undo my choice"),
                      [slot](store::UserStore &user) { return user.clearChoice(slot); });
}

void MainWindow::editFigure(const QString &figureId)
{
    const Figure *figure = m_catalog.figures.findFigure(figureId.toStdString());
    if (!figure || !figure->userOwned)
        return;
    auto user = store::UserStore::open(m_userDatabasePath);
    if (!user) {
        QMessageBox::warning(this, tr("Edit your figure"), QString::fromStdString(user.error().toString()));
        return;
    }
    FigureEditDialog dialog(
        *figure, [&user](const Figure &edited) { return user->updateFigure(edited); }, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    reloadCatalog();
    m_sources->showFigure(figureId);
}

void MainWindow::deleteFigure(const QString &figureId)
{
    const Figure *figure = m_catalog.figures.findFigure(figureId.toStdString());
    if (!figure || !figure->userOwned)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Delete your figure"),
        tr("Delete your figure “%1, %2, %3” (%4) from your database? The models then read the "
           "shipped figure for its slot, if there is one.")
            .arg(QString::fromStdString(figure->entity), QString::fromStdString(figure->metric),
                 QString::fromStdString(figure->period), formatFigureValue(*figure)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    changeUserFigures(figureId, tr("Delete your figure"),
                      [id = figure->id](store::UserStore &user) { return user.deleteFigure(id); });
}

void MainWindow::loadMachineCost()
{
    if (m_userDatabasePath.isEmpty())
        return;
    auto history = store::BenchHistory::openForReading(m_userDatabasePath);
    if (!history)
        return;
    auto cost = history->latestCost();
    if (!cost || !*cost)
        return;
    const store::BenchCost &latest = **cost;
    const QDateTime when = QDateTime::fromString(QString::fromStdString(latest.runAtUtc), Qt::ISODate);
    const QDate day = when.isValid() ? when.date() : QDate::currentDate();
    const double year = day.year() + (day.dayOfYear() - 1) / double(day.daysInYear());
    m_session->setMachineCost(plot::MachineCost{
        tr("This machine: %1 %2").arg(QString::fromStdString(latest.preset),
                                      QString::fromStdString(latest.precision)).toStdString(),
        year, latest.prefillUsdPerMillionTokens, latest.decodeUsdPerMillionTokens});
}

void MainWindow::importFigures()
{
    if (m_userDatabasePath.isEmpty()) {
        QMessageBox::information(this, tr("Import figures"), tr("There is no user database to import into."));
        return;
    }
    ImportDialog dialog(m_userDatabasePath, this);
    connect(&dialog, &ImportDialog::figuresImported, this, &MainWindow::reloadCatalog);
    dialog.exec();
}

void MainWindow::reloadCatalog()
{
    auto fresh = store::loadCatalog({}, m_userDatabasePath);
    if (!fresh) {
        statusBar()->showMessage(QString::fromStdString(fresh.error().toString()));
        return;
    }
    // The sources view reads m_catalog, which is replaced in place.
    m_sources->reload([this, &fresh] { m_catalog = std::move(fresh).value(); });
    m_session->setFigures(m_catalog.modelFigures(), m_catalog.figures.sources);
    statusBar()->showMessage(tr("Figures reloaded: %1 in all").arg(m_catalog.figures.figures.size()), 4000);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open scenario…"), QKeySequence::Open, this, &MainWindow::openScenarioFile);
    file->addAction(tr("&Save scenario as…"), QKeySequence::Save, this, &MainWindow::saveScenarioFile);
    file->addSeparator();
    file->addAction(tr("Open s&tory…"), this, &MainWindow::openStoryFile);
    file->addAction(tr("&Import figures…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                    &MainWindow::importFigures);
    m_exportAction = file->addAction(tr("&Export chart…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        const auto view = econ::findEconomicView(m_session->viewKey().toStdString());
        if (!view)
            return;
        ExportDialog dialog(*m_session, *view, this);
        dialog.setStoreFile(m_catalog.shippedPath);
        dialog.exec();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_session->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_session->undoStack()->createRedoAction(this, tr("&Redo"));
    // The platform's own redo keys, then Ctrl+Shift+Z and Ctrl+Y where the platform has not
    // bound them already: a key listed twice is an ambiguous shortcut and does nothing.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence &key : {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                                    QKeySequence(Qt::CTRL | Qt::Key_Y)}) {
        if (!redoKeys.contains(key))
            redoKeys.append(key);
    }
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("&Copy citation"), QKeySequence::Copy, this, [this] {
        if (m_session->viewKey() == u"sources")
            m_sources->copyCitation();
    });
    edit->addAction(tr("Copy scenario &link"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this,
                    &MainWindow::copyScenarioLink);
    edit->addAction(tr("Open scenario l&ink…"), QKeySequence(Qt::CTRL | Qt::Key_L), this,
                    &MainWindow::askForScenarioLink);
    edit->addSeparator();
    edit->addAction(tr("Reset &all assumptions"), QKeySequence(Qt::CTRL | Qt::Key_R), m_session.get(),
                    &Session::resetAll);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_viewActions = new QActionGroup(this);
    const QStringList titles = viewTitles();
    for (int index = 0; index < titles.size(); ++index) {
        QAction *action = view->addAction(titles[index]);
        action->setCheckable(true);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
        action->setData(qs(Session::viewKeys()[std::size_t(index)]));
        m_viewActions->addAction(action);
        connect(action, &QAction::triggered, this, [this, action] { showView(action->data().toString()); });
    }
    view->addSeparator();
    QAction *compare = view->addAction(tr("&Compare with defaults"));
    compare->setCheckable(true);
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(compare, &QAction::toggled, m_session.get(), &Session::setCompareWithDefaults);
    connect(m_session.get(), &Session::compareWithDefaultsChanged, compare, &QAction::setChecked);
    QAction *uncertainty = view->addAction(tr("Show &uncertainty"));
    uncertainty->setCheckable(true);
    uncertainty->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    uncertainty->setToolTip(tr("Monte Carlo bands and chances over each assumption's range, and "
                               "a tornado chart of the view's headline number"));
    connect(uncertainty, &QAction::toggled, m_session.get(), &Session::setShowUncertainty);
    connect(m_session.get(), &Session::showUncertaintyChanged, uncertainty, &QAction::setChecked);
    QAction *panel = m_assumptionDock->toggleViewAction();
    // Shown or closed by hand: the user's choice from now on.
    connect(panel, &QAction::triggered, this, [this] { m_assumptionsAutoHidden = false; });
    panel->setText(tr("&Assumptions panel"));
    panel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    view->addAction(panel);
    QAction *present = view->addAction(tr("&Presentation mode"));
    present->setCheckable(true);
    present->setShortcut(QKeySequence(Qt::Key_F5));
    connect(present, &QAction::toggled, this, &MainWindow::setPresentationMode);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(escape, &QShortcut::activated, this, [this, present] {
        if (m_presenting)
            present->setChecked(false);
        else if (m_storyStep >= 0)
            leaveStory();
    });

    QMenu *questions = menuBar()->addMenu(tr("&Questions"));
    questions->addAction(tr("&What would it take?…"), QKeySequence(Qt::CTRL | Qt::Key_K), this,
                         &MainWindow::askWhatItTakes);
    questions->addAction(tr("&Compare scenarios…"), QKeySequence(Qt::CTRL | Qt::Key_M), this,
                         &MainWindow::compareScenarios);
    questions->addAction(tr("&Evidence as of a date…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                         this, [this] { EvidenceDateDialog(*m_session, this).exec(); });

    QMenu *story = menuBar()->addMenu(tr("&Story"));
    story->addAction(tr("&Start the thesis in five moves"), QKeySequence(Qt::CTRL | Qt::Key_T), this,
                     &MainWindow::startStory);
    QAction *next = story->addAction(tr("&Next step"), this, [this] { showStoryStep(m_storyStep + 1); });
    next->setShortcuts({QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_PageDown)});
    QAction *previous = story->addAction(tr("&Previous step"), this, [this] { showStoryStep(m_storyStep - 1); });
    previous->setShortcuts({QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_PageUp)});
    QAction *leave = story->addAction(tr("&Leave the story"), this, &MainWindow::leaveStory);
    m_storyActions = {next, previous, leave};
    for (QAction *action : m_storyActions)
        action->setEnabled(false);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    // F1 explains whatever has focus: its glossary entry, else the guide to the current view.
    QAction *contextHelp = help->addAction(tr("&Help on this control"), this, [this] {
        QString topic = helpTopicOf(QApplication::focusWidget());
        if (topic.isEmpty() || !glossaryEntry(topic.toStdString()))
            topic = guideTopic(m_session->viewKey().toStdString());
        showHelp(topic);
    });
    contextHelp->setShortcut(QKeySequence::HelpContents);
    contextHelp->setShortcutContext(Qt::ApplicationShortcut);
    help->addAction(tr("&Guide to this view"), this,
                    [this] { showHelp(guideTopic(m_session->viewKey().toStdString())); });
    help->addAction(tr("G&lossary"), this, [this] { showHelp(qs(glossary().front().key)); });
    help->addSeparator();
    help->addAction(tr("&About Compute Cliff Explorer"), this, [this] {
        QMessageBox::about(
            this, tr("About Compute Cliff Explorer"),
            tr("<p><b>Compute Cliff Explorer %1</b></p><p>Explore the economics of AI compute "
               "after DeepSeek. Every number shown is a cited figure from the embedded store or "
               "the output of a documented model.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

HelpDialog *MainWindow::showHelp(const QString &topic)
{
    if (!m_help)
        m_help = new HelpDialog(m_catalog.figures.sources, this);
    m_help->showTopic(topic);
    m_help->show();
    m_help->raise();
    m_help->activateWindow();
    return m_help;
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // A shortcut override accepted by the focused widget keeps the key from the shortcut: a
    // slider, spin box, text field, list, combo box or chart moves with Left and Right, so there the
    // arrows move the control and Page Up / Page Down still step the story.
    if (event->type() == QEvent::ShortcutOverride && m_storyStep >= 0) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        const bool arrow = key == Qt::Key_Left || key == Qt::Key_Right;
        if (arrow && (qobject_cast<QAbstractSlider *>(watched) ||
                      qobject_cast<QAbstractSpinBox *>(watched) ||
                      qobject_cast<QLineEdit *>(watched) || qobject_cast<QComboBox *>(watched) ||
                      qobject_cast<QAbstractItemView *>(watched) || qobject_cast<QGraphicsView *>(watched))) {
            event->accept();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

bool MainWindow::showView(const QString &key)
{
    if (viewIndex(key) < 0)
        return false;
    m_session->setViewKey(key);
    return true;
}

void MainWindow::onViewKeyChanged(const QString &key)
{
    const int index = viewIndex(key);
    if (index < 0)
        return;
    m_stack->setCurrentWidget(m_pageByView[std::size_t(index)]);
    {
        const QSignalBlocker blocker(m_sidebar);
        m_sidebar->setCurrentRow(index);
    }
    m_viewActions->actions().at(index)->setChecked(true);
    const auto economic = econ::findEconomicView(key.toStdString());
    const QString note = economic ? tr("This view plots cited figures only; it has no assumptions to set.")
                         : key == u"benchmark" ? tr("The benchmark's settings are on its page.")
                                               : tr("The sources view lists figures; it has no assumptions.");
    const std::span<const econ::AssumptionId> assumptions =
        economic ? econ::viewAssumptions(*economic) : std::span<const econ::AssumptionId>{};
    m_assumptions->setAssumptions(assumptions, note);
    // The panel is never narrower than its controls: no sideways scrolling, no clipped buttons.
    auto *scroll = static_cast<QScrollArea *>(m_assumptionDock->widget());
    m_assumptions->layout()->activate();
    scroll->setMinimumWidth(m_assumptions->minimumSizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width() + 2 * scroll->frameWidth());
    // A view without assumptions gets the panel's width for its own page; the panel comes back
    // on the next view that has some, unless the user closed it meanwhile.
    if (assumptions.empty() && !m_assumptionDock->isHidden()) {
        m_assumptionDock->hide();
        m_assumptionsAutoHidden = true;
    } else if (!assumptions.empty() && m_assumptionsAutoHidden && !m_presenting) {
        m_assumptionDock->show();
        m_assumptionsAutoHidden = false;
    }
    setWindowTitle(tr("%1 — Compute Cliff Explorer").arg(viewTitles().at(index)));
    if (m_exportAction) // the benchmark and sources views draw no exportable chart
        m_exportAction->setEnabled(economic.has_value());
}

void MainWindow::refreshCurrentPage()
{
    const auto economic = econ::findEconomicView(m_session->viewKey().toStdString());
    if (economic)
        page(*economic)->refresh();
}

EconomicViewPage *MainWindow::page(econ::EconomicView view) const
{
    for (EconomicViewPage *candidate : m_pages) {
        if (candidate->view() == view)
            return candidate;
    }
    return nullptr;
}

bool MainWindow::showFigure(const QString &figureId)
{
    showView(QStringLiteral("sources"));
    return m_sources->showFigure(figureId);
}

bool MainWindow::openScenarioLink(const QString &text)
{
    if (Status opened = m_session->openScenarioLink(text); !opened) {
        QMessageBox::warning(this, tr("Scenario link"),
                             QString::fromStdString(opened.error().message));
        return false;
    }
    statusBar()->showMessage(tr("Scenario link opened"), 3000);
    return true;
}

void MainWindow::askForScenarioLink()
{
    QString suggestion = QApplication::clipboard()->text().trimmed();
    if (!suggestion.startsWith(u"compute-cliff:"))
        suggestion.clear();
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("scenarioLinkDialog"));
    dialog.setWindowTitle(tr("Open scenario link"));
    dialog.setLabelText(tr("Paste a scenario link (compute-cliff:view=…):"));
    dialog.setTextValue(suggestion);
    // A link runs to a hundred characters and more: the box shows that much, within the screen.
    const int readable = dialog.fontMetrics().averageCharWidth() * 100;
    const int room = screen() ? screen()->availableGeometry().width() - 48 : readable;
    dialog.resize(std::min(readable, room), dialog.sizeHint().height());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString text = dialog.textValue();
    if (!text.trimmed().isEmpty())
        openScenarioLink(text);
}

void MainWindow::copyScenarioLink()
{
    QApplication::clipboard()->setText(m_session->scenarioLink());
    statusBar()->showMessage(tr("Scenario link copied: %1").arg(m_session->scenarioLink()), 5000);
}

void MainWindow::openScenarioFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), {},
                                                      tr("Scenarios (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    auto text = store::readSmallFile(path, econ::kMaxScenarioJsonBytes);
    if (!text) {
        QMessageBox::warning(this, tr("Open scenario"), QString::fromStdString(text.error().toString()));
        return;
    }
    if (Status loaded = m_session->loadScenarioJson(text.value(), path); !loaded)
        QMessageBox::warning(this, tr("Open scenario"), QString::fromStdString(loaded.error().toString()));
    else
        statusBar()->showMessage(tr("Scenario loaded from %1").arg(path), 3000);
}

std::optional<econ::EconomicView> MainWindow::viewWithModel(const QString &question)
{
    const auto view = econ::findEconomicView(m_session->viewKey().toStdString());
    if (view && !econ::headlineMetrics(*view).empty())
        return view;
    QMessageBox::information(this, question,
                             tr("Open one of the views with a model first: the revenue gap, the "
                                "cost curves, the fragility ranking or the fiber comparison."));
    return std::nullopt;
}

void MainWindow::askWhatItTakes()
{
    const auto view = viewWithModel(tr("What would it take?"));
    if (!view)
        return;
    auto *dialog = new WhatItTakesDialog(*m_session, *view, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &WhatItTakesDialog::saveRequested, this, &MainWindow::saveScenarioFile);
    dialog->show();
}

void MainWindow::compareScenarios()
{
    const auto view = viewWithModel(tr("Compare scenarios"));
    if (!view)
        return;
    auto *dialog = new CompareDialog(*m_session, *view, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::saveScenarioFile()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"), QStringLiteral("scenario.json"),
                                                tr("Scenarios (*.json)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(u".json"))
        path += QStringLiteral(".json");
    const QByteArray json = m_session->scenarioJson();
    if (Status saved = writeFileAtomically(QFile::encodeName(path).toStdString(),
                                           std::string_view(json.constData(), std::size_t(json.size())));
        !saved) {
        QMessageBox::warning(this, tr("Save scenario"), QString::fromStdString(saved.error().toString()));
        return;
    }
    statusBar()->showMessage(tr("Scenario saved to %1").arg(path), 3000);
}

void MainWindow::openStoryFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open story"), {},
                                                      tr("Stories (*.story *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    if (Status opened = loadStoryFile(path); !opened)
        QMessageBox::warning(this, tr("Open story"), QString::fromStdString(opened.error().toString()));
}

Status MainWindow::loadStoryFile(const QString &path)
{
    const auto read = store::readSmallFile(path, kMaxStoryFileBytes);
    if (!read)
        return read.error();
    auto steps = parseStoryFile(*read, path, m_session->figuresInHand(), m_session->sources());
    if (!steps)
        return steps.error();
    leaveStory();
    m_story = std::move(*steps);
    m_storyName = QFileInfo(path).completeBaseName();
    startStory();
    return Ok{};
}

void MainWindow::startStory()
{
    m_storyStep = -1;
    for (QAction *action : m_storyActions)
        action->setEnabled(true);
    showStoryStep(0);
}

void MainWindow::showStoryStep(int index)
{
    if (m_storyStep < 0 && index != 0)
        return;
    index = std::clamp(index, 0, int(m_story.size()) - 1);
    if (index == m_storyStep)
        return;
    m_storyStep = index;
    const StoryStep &step = m_story[std::size_t(index)];
    m_session->replaceScenario(step.scenario, tr("Story: %1").arg(step.title));
    showView(step.viewKey);
    std::optional<Result<StoryAnswer>> answer;
    if (step.question)
        answer = answerStoryQuestion(step, m_session->figuresInHand(), m_session->sources());
    m_storyBar->showStep(step, index, int(m_story.size()), m_storyName, answer);
    m_storyBar->setVisible(true);
    showStoryChart();
}

void MainWindow::showStoryChart()
{
    if (m_storyStep < 0)
        return;
    const StoryStep &step = m_story[std::size_t(m_storyStep)];
    const auto view = econ::findEconomicView(step.viewKey.toStdString());
    if (!view)
        return;
    // After the layout that the step's view and the story bar cause, not before it.
    QTimer::singleShot(0, this, [this, view = *view, key = step.chartKey] { page(view)->showChart(key); });
}

void MainWindow::leaveStory()
{
    m_storyStep = -1;
    m_storyBar->setVisible(false);
    for (QAction *action : m_storyActions)
        action->setEnabled(false);
}

void MainWindow::fitToScreen()
{
    const QScreen *shown = screen();
    if (!shown)
        return;
    const QRect available = shown->availableGeometry();
    // The frame drawn by the window manager is outside our geometry: leave room for it, so that
    // a 1280x720 projector shows the whole window.
    const QSize room = (available.size() - QSize(16, 48)).expandedTo(minimumSizeHint());
    resize(QSize(1400, 900).boundedTo(room));
    move(available.center() - QPoint(width() / 2, height() / 2));
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    static const QFont normalFont = QApplication::font();
    if (on) {
        m_dockWasVisible = m_assumptionDock->isVisible();
        QFont large = normalFont;
        large.setPointSizeF(normalFont.pointSizeF() * 1.5);
        QApplication::setFont(large);
        m_assumptionDock->setVisible(false);
        showFullScreen();
        statusBar()->showMessage(tr("Presentation mode: Esc leaves, Ctrl+Shift+A shows the assumptions"), 4000);
    } else {
        QApplication::setFont(normalFont);
        m_assumptionDock->setVisible(m_dockWasVisible);
        showNormal();
    }
    applyChartStyle();
    showStoryChart();
}

void MainWindow::applyChartStyle()
{
    m_chartStyle.dark = systemIsDark();
    m_chartStyle.presentation = m_presenting;
    for (EconomicViewPage *candidate : m_pages)
        candidate->setChartStyle(m_chartStyle);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyChartStyle();
    if (event->type() == QEvent::FontChange && m_sidebar)
        m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 36);
    QMainWindow::changeEvent(event);
}

void MainWindow::restoreSession()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_assumptionsAutoHidden = settings.value(QStringLiteral("window/assumptionsAutoHidden")).toBool();
    const QByteArray scenario = settings.value(QStringLiteral("session/scenario")).toByteArray();
    if (!scenario.isEmpty() && m_session->loadScenarioJson(scenario, tr("the last session")))
        m_session->undoStack()->clear();
    m_session->setCompareWithDefaults(settings.value(QStringLiteral("session/compare")).toBool());
    m_session->setShowUncertainty(settings.value(QStringLiteral("session/uncertainty")).toBool());
}

void MainWindow::saveSession() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/assumptionsAutoHidden"), m_assumptionsAutoHidden);
    settings.setValue(QStringLiteral("session/scenario"), m_session->scenarioJson());
    settings.setValue(QStringLiteral("session/compare"), m_session->compareWithDefaults());
    settings.setValue(QStringLiteral("session/uncertainty"), m_session->showUncertainty());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    setPresentationMode(false);
    saveSession();
    QMainWindow::closeEvent(event);
}

} // namespace cliff::ui
