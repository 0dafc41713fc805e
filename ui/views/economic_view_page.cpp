#include "economic_view_page.h"

#include "ui/charts/chart_widget.h"

#include "session/session.h"

#include "plot/view_plot.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

EconomicViewPage::EconomicViewPage(Session *session, econ::EconomicView view, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_view(view),
      m_question(new QLabel(qs(plot::viewQuestion(view)))),
      m_headline(new QLabel),
      m_chances(new QLabel),
      m_context(new QLabel),
      m_notes(new QLabel),
      m_method(new QLabel(qs(plot::viewMethod(view)))),
      m_grid(new QGridLayout)
{
    setObjectName(qs(econ::economicViewKey(view)));
    applyFonts();
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chances->setWordWrap(true);
    m_chances->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chances->setVisible(false);
    m_context->setObjectName(QStringLiteral("evidenceContext"));
    m_context->setWordWrap(true);
    m_context->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_context->setFrameShape(QFrame::StyledPanel);
    m_context->setMargin(6);
    m_context->setVisible(false);
    m_notes->setWordWrap(true);
    m_method->setWordWrap(true);
    m_method->setVisible(false);
    m_method->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *methodToggle = new QToolButton;
    methodToggle->setText(tr("How this is computed"));
    methodToggle->setCheckable(true);
    methodToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    methodToggle->setArrowType(Qt::RightArrow);
    connect(methodToggle, &QToolButton::toggled, this, [this, methodToggle](bool shown) {
        methodToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
        m_method->setVisible(shown);
    });

    auto *legend = new QLabel(
        tr("Filled markers, solid lines and full-colour bars: reported figures and model output. "
           "Hollow markers, dashed lines and hatched bars: estimates, projections, guidance or "
           "assumptions (Help > Glossary: Kinds of figures). "
           "Dotted grey: the model at default assumptions. Hover a point for its source; click "
           "it to open the figure. Click a tornado bar to select its assumption's slider."));
    legend->setWordWrap(true);
    QFont small = legend->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    legend->setFont(small);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(m_question);
    layout->addWidget(m_headline);
    layout->addWidget(m_chances);
    layout->addWidget(m_context);
    layout->addLayout(m_grid, 1);
    layout->addWidget(legend);
    layout->addWidget(m_notes);
    layout->addWidget(methodToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_method);
    m_grid->setSpacing(16);

    m_scroll = new QScrollArea;
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(content);
    content->installEventFilter(this);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_scroll);
}

bool EconomicViewPage::showChart(const QString &key)
{
    // The charts may not have their specs yet (the view is computed after it is shown): the key
    // waits until refresh or a layout brings the chart.
    m_pendingChart = key;
    scrollToPendingChart();
    return std::any_of(m_charts.begin(), m_charts.end(), [&](const ChartWidget *chart) {
        return QString::fromStdString(chart->spec().key) == key;
    });
}

void EconomicViewPage::scrollToPendingChart()
{
    for (ChartWidget *chart : m_charts) {
        if (m_pendingChart.isEmpty() || QString::fromStdString(chart->spec().key) != m_pendingChart)
            continue;
        // The chart's top at the top of the view; done once the content is tall enough for it
        // (a layout still to come after a change of view or type size calls this again).
        const int top = chart->mapTo(m_scroll->widget(), QPoint(0, 0)).y();
        QScrollBar *bar = m_scroll->verticalScrollBar();
        bar->setValue(std::min(top, bar->maximum()));
        if (top <= bar->maximum())
            m_pendingChart.clear();
    }
}

bool EconomicViewPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scroll->widget() && event->type() == QEvent::Resize)
        scrollToPendingChart();
    return QWidget::eventFilter(watched, event);
}

void EconomicViewPage::ensureCharts(std::size_t count)
{
    while (m_charts.size() < count) {
        auto *chart = new ChartWidget([this](const std::string &figureId) -> std::optional<FigureInfo> {
            const Figure *figure = m_session->findFigure(figureId);
            if (!figure)
                return std::nullopt;
            const Source *source = m_session->findSource(figure->sourceId);
            return FigureInfo{QString::fromStdString(figure->kind),
                              source ? QStringLiteral("%1, “%2”").arg(QString::fromStdString(source->publisher),
                                                                      QString::fromStdString(source->title))
                                     : QString::fromStdString(figure->sourceId),
                              QString::fromStdString(figure->period), figure->userOwned};
        });
        chart->setChartStyle(m_style);
        connect(chart, &ChartWidget::figureActivated, this, &EconomicViewPage::figureActivated);
        connect(chart, &ChartWidget::assumptionActivated, this, &EconomicViewPage::assumptionActivated);
        m_charts.push_back(chart);
    }
    layoutCharts();
}

void EconomicViewPage::layoutCharts()
{
    for (std::size_t slot = 0; slot < m_charts.size(); ++slot) {
        m_grid->removeWidget(m_charts[slot]);
        m_grid->addWidget(m_charts[slot], int(slot) / m_columns, int(slot) % m_columns);
    }
}

void EconomicViewPage::applyFonts()
{
    QFont questionFont = font();
    questionFont.setPointSizeF(questionFont.pointSizeF() * 1.6);
    questionFont.setBold(true);
    m_question->setFont(questionFont);
    QFont headlineFont = font();
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.15);
    m_headline->setFont(headlineFont);
}

void EconomicViewPage::changeEvent(QEvent *event)
{
    // The labels carry their own scaled fonts, so they follow the page's font by hand.
    if (event->type() == QEvent::FontChange)
        applyFonts();
    QWidget::changeEvent(event);
}

void EconomicViewPage::resizeEvent(QResizeEvent *event)
{
    // Two charts side by side only where each still gets room for its legend and axis titles.
    const int columns = width() >= 1700 ? 2 : 1;
    if (columns != m_columns) {
        m_columns = columns;
        layoutCharts();
    }
    QWidget::resizeEvent(event);
}

QString EconomicViewPage::sourceLineFor(const std::vector<std::string> &figureIds)
{
    auto found = m_sourceLines.find(figureIds);
    if (found == m_sourceLines.end()) {
        const std::string line = plot::sourceLine(figureIds, m_session->figures(), m_session->sources());
        found = m_sourceLines.emplace(figureIds, QString::fromStdString(line)).first;
    }
    return found->second;
}

void EconomicViewPage::refresh()
{
    const auto viewPlot = m_session->plot(m_view);
    if (!viewPlot) {
        m_headline->setText(tr("This view cannot be drawn: %1")
                                .arg(QString::fromStdString(viewPlot.error().toString())));
        for (ChartWidget *chart : m_charts)
            chart->setVisible(false);
        return;
    }
    m_headline->setText(QString::fromStdString(viewPlot->headline));
    QString chances = QString::fromStdString(viewPlot->chances);
    if (m_session->showUncertainty() && !m_session->uncertaintyError().isEmpty())
        chances = tr("The uncertainty could not be computed: %1").arg(m_session->uncertaintyError());
    else if (m_session->showUncertainty() && chances.isEmpty() && !econ::viewAssumptions(m_view).empty())
        chances = tr("Drawing the assumptions' ranges…");
    m_chances->setText(chances);
    m_chances->setVisible(!chances.isEmpty());
    QStringList context;
    for (const std::string &part : {viewPlot->comparison, viewPlot->evidence}) {
        if (!part.empty())
            context << QString::fromStdString(part);
    }
    m_context->setText(context.join(u' '));
    m_context->setVisible(!context.isEmpty());
    ensureCharts(viewPlot->charts.size());
    for (std::size_t index = 0; index < m_charts.size(); ++index) {
        const bool used = index < viewPlot->charts.size();
        m_charts[index]->setVisible(used);
        if (used) {
            const plot::ChartSpec &spec = viewPlot->charts[index];
            m_charts[index]->setSpec(spec, sourceLineFor(spec.figureIds));
        }
    }
    QStringList notes;
    for (const std::string &note : viewPlot->notes)
        notes << QString::fromStdString(note);
    m_notes->setText(notes.join(u' '));
    m_notes->setVisible(!notes.isEmpty());
    scrollToPendingChart();
}

void EconomicViewPage::setChartStyle(const ChartStyle &style)
{
    m_style = style;
    for (ChartWidget *chart : m_charts)
        chart->setChartStyle(style);
}

QString EconomicViewPage::headline() const
{
    return m_headline->text();
}

} // namespace cliff::ui
