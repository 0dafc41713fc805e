#include "chart_widget.h"

#include "chart_legend.h"

#include "chart_builder.h"

#include "plot/export_subject.h"

#include <QAccessible>
#include <QAreaSeries>
#include <QKeyEvent>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QAbstractBarSeries>
#include <QTableWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QXYSeries>

#include <algorithm>
#include <cmath>

namespace cliff::ui {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QString evidenceName(plot::Evidence evidence)
{
    switch (evidence) {
    case plot::Evidence::Modelled:
        return ChartWidget::tr("model");
    case plot::Evidence::Projected:
        return ChartWidget::tr("model projection");
    case plot::Evidence::Baseline:
        return ChartWidget::tr("model at defaults");
    case plot::Evidence::Compared:
        return ChartWidget::tr("model, compared scenario");
    case plot::Evidence::Simulated:
        return ChartWidget::tr("Monte Carlo");
    default:
        return {};
    }
}

} // namespace

ChartWidget::ChartWidget(FigureLookup lookup, QWidget *parent)
    : QWidget(parent),
      m_lookup(std::move(lookup)),
      m_title(new QLabel(this)),
      m_note(new QLabel(this)),
      m_sourceLine(new QLabel(this)),
      m_logScale(new QCheckBox(tr("Log scale"), this)),
      m_play(new QPushButton(tr("Play years"), this)),
      m_showData(new QPushButton(tr("Show data"), this)),
      m_view(new QChartView(this)),
      m_legend(new ChartLegend(this)),
      m_playTimer(new QTimer(this))
{
    m_title->setWordWrap(true);
    m_note->setWordWrap(true);
    m_sourceLine->setWordWrap(true);
    m_sourceLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    applyFonts();
    m_view->setRenderHint(QPainter::Antialiasing);
    // Keyboard access: Tab reaches the chart, Left and Right walk its points, Enter opens one.
    m_view->setFocusPolicy(Qt::StrongFocus);
    m_view->installEventFilter(this);
    m_view->setMinimumHeight(340);
    // Above and at the right, room for half of an end tick's label, centred on the plot's edge.
    m_view->chart()->setMargins(QMargins(4, 12, 20, 4));
    m_view->chart()->setAnimationOptions(QChart::NoAnimation);

    m_logScale->setToolTip(tr("Switch the value axis between logarithmic and linear"));
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Reveal the chart year by year"));
    m_showData->setToolTip(tr("List exactly what this chart plots"));
    connect(m_logScale, &QCheckBox::toggled, this, &ChartWidget::setLogScale);
    connect(m_play, &QPushButton::toggled, this, &ChartWidget::setPlaying);
    connect(m_showData, &QPushButton::clicked, this, &ChartWidget::showData);
    m_playTimer->setInterval(700);
    connect(m_playTimer, &QTimer::timeout, this, &ChartWidget::advancePlay);
    // Nothing to scale, play or list until the first spec arrives (see setSpec).
    m_logScale->setVisible(false);
    m_play->setVisible(false);
    m_showData->setVisible(false);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_logScale);
    header->addWidget(m_play);
    header->addWidget(m_showData);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_legend);
    layout->addWidget(m_note);
    layout->addWidget(m_sourceLine);
}

ChartWidget::~ChartWidget() = default;

void ChartWidget::applyFonts()
{
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_sourceLine->setFont(small);
    m_note->setFont(small);
}

void ChartWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        applyFonts();
    QWidget::changeEvent(event);
}

QChart *ChartWidget::chart() const
{
    return m_view->chart();
}

plot::AxisScale ChartWidget::yScale() const
{
    return m_userScale.value_or(m_spec.y.scale);
}

void ChartWidget::setSpec(const plot::ChartSpec &spec, const QString &sourceLine)
{
    // Most slider moves leave some charts of a view unchanged; those are not touched at all.
    if (m_hasDrawn && spec == m_spec && sourceLine == m_sourceLine->text())
        return;
    const bool sameChart = m_hasDrawn && spec.key == m_spec.key;
    if (!sameChart)
        m_userScale.reset();
    m_spec = spec;
    showTitle();
    m_view->setAccessibleName(qs(spec.title));
    m_view->setAccessibleDescription(qs(plot::chartSentence(spec)));
    m_keyboardPoint = -1;
    m_note->setText(qs(spec.note));
    m_note->setVisible(!spec.note.empty());
    m_sourceLine->setText(sourceLine);
    m_sourceLine->setVisible(!sourceLine.isEmpty());
    m_logScale->setVisible(spec.y.logAllowed);
    {
        const QSignalBlocker blocker(m_logScale);
        m_logScale->setChecked(yScale() == plot::AxisScale::Log);
    }
    m_play->setVisible(spec.overYears());
    m_showData->setVisible(true);
    redraw(!sameChart);
}

void ChartWidget::showTitle()
{
    // In presentation type the value axis has no title of its own (see buildChart).
    const bool unitInTitle = m_style.presentation && !m_spec.horizontal && !m_spec.y.title.empty();
    m_title->setText(unitInTitle ? QStringLiteral("%1 · %2").arg(qs(m_spec.title), axisTitle(m_spec.y))
                                 : qs(m_spec.title));
}

void ChartWidget::setChartStyle(const ChartStyle &style)
{
    if (style == m_style && m_hasDrawn)
        return;
    m_style = style;
    // On a 720-line projector a chart, its legend and its source line fit one screen.
    m_view->setMinimumHeight(style.presentation ? 260 : 340);
    showTitle();
    if (m_hasDrawn)
        redraw(true);
}

void ChartWidget::setLogScale(bool log)
{
    const plot::AxisScale scale = log ? plot::AxisScale::Log : plot::AxisScale::Linear;
    if (scale == yScale())
        return;
    m_userScale = scale;
    const QSignalBlocker blocker(m_logScale);
    m_logScale->setChecked(log);
    redraw(true);
}

bool ChartWidget::playing() const
{
    return m_playTimer->isActive();
}

void ChartWidget::setPlaying(bool play)
{
    const QSignalBlocker blocker(m_play);
    m_play->setChecked(play);
    if (!play || !m_spec.overYears()) {
        m_playTimer->stop();
        m_play->setChecked(false);
        m_play->setText(tr("Play years"));
        if (m_playYear) {
            m_playYear.reset();
            redraw(false);
        }
        return;
    }
    double first = std::numeric_limits<double>::max();
    for (const plot::Series &series : m_spec.series) {
        for (const plot::Point &point : series.points)
            first = std::min(first, point.x);
    }
    m_playYear = std::floor(first);
    m_play->setText(tr("Stop"));
    m_playTimer->start();
    redraw(false);
}

void ChartWidget::advancePlay()
{
    double last = std::numeric_limits<double>::lowest();
    for (const plot::Series &series : m_spec.series) {
        for (const plot::Point &point : series.points)
            last = std::max(last, point.x);
    }
    if (!m_playYear || *m_playYear >= last) {
        setPlaying(false);
        return;
    }
    *m_playYear += 1.0;
    redraw(false);
}

plot::ChartSpec ChartWidget::displayedSpec() const
{
    if (!m_playYear)
        return m_spec;
    plot::ChartSpec cut = m_spec;
    for (plot::Series &series : cut.series) {
        std::erase_if(series.points, [&](const plot::Point &point) { return point.x > *m_playYear + 0.999; });
    }
    // The axes keep the full range so the years fill in instead of the chart rescaling.
    if (const auto extent = dataExtent(m_spec, yScale())) {
        cut.fixedX = extent->first;
        cut.fixedY = extent->second;
    }
    return cut;
}

void ChartWidget::redraw(bool rebuild)
{
    const plot::ChartSpec shown = displayedSpec();
    QChart *target = chart();
    if (rebuild || !m_hasDrawn || !updateChart(*target, m_drawn, shown, yScale())) {
        buildChart(*target, shown, m_style, yScale());
        QFont legendFont = font();
        legendFont.setPointSize(m_style.fontPointSize());
        m_legend->setFont(legendFont);
        m_legend->setEntries(legendEntries(*target));
        m_drawn = shown;
        m_hasDrawn = true;
        connectSeries();
        return;
    }
    // A marker renamed in place ("Strands in 2030") is a legend entry renamed.
    const bool renamed = !std::equal(m_drawn.markers.begin(), m_drawn.markers.end(), shown.markers.begin(),
                                     shown.markers.end(),
                                     [](const plot::Marker &a, const plot::Marker &b) { return a.label == b.label; });
    if (renamed)
        m_legend->setEntries(legendEntries(*target));
    m_drawn = shown;
}

void ChartWidget::connectSeries()
{
    for (QAbstractSeries *drawn : chart()->series()) {
        const int index = drawn->property(kSpecSeriesProperty).toInt();
        if (index == -2) {
            for (QBarSet *set : static_cast<QAbstractBarSeries *>(drawn)->barSets()) {
                const int setIndex = set->property(kSpecSeriesProperty).toInt();
                connect(set, &QBarSet::hovered, this, [this, setIndex](bool on, int slot) {
                    if (on)
                        showPointToolTip(setIndex, QPointF(slot, 0.0));
                    else
                        QToolTip::hideText();
                });
                connect(set, &QBarSet::clicked, this,
                        [this, setIndex](int slot) { activatePoint(setIndex, QPointF(slot, 0.0)); });
            }
            continue;
        }
        if (index < 0)
            continue;
        if (auto *area = qobject_cast<QAreaSeries *>(drawn)) {
            connect(area, &QAreaSeries::hovered, this, [this, index](QPointF value, bool on) {
                if (on)
                    showPointToolTip(index, value);
                else
                    QToolTip::hideText();
            });
            connect(area, &QAreaSeries::clicked, this,
                    [this, index](QPointF value) { activatePoint(index, value); });
        } else if (auto *xy = qobject_cast<QXYSeries *>(drawn)) {
            connect(xy, &QXYSeries::hovered, this, [this, index](QPointF value, bool on) {
                if (on)
                    showPointToolTip(index, value);
                else
                    QToolTip::hideText();
            });
            connect(xy, &QXYSeries::clicked, this,
                    [this, index](QPointF value) { activatePoint(index, value); });
        }
    }
}

const plot::Point *ChartWidget::nearestPoint(int seriesIndex, QPointF value) const
{
    if (seriesIndex < 0 || std::size_t(seriesIndex) >= m_spec.series.size())
        return nullptr;
    const plot::Series &series = m_spec.series[std::size_t(seriesIndex)];
    const bool bars = m_spec.x.kind == plot::AxisKind::Category;
    const plot::Point *best = nullptr;
    double bestDistance = std::numeric_limits<double>::max();
    for (const plot::Point &point : series.points) {
        const double dx = point.x - value.x();
        const double dy = bars ? 0.0 : (point.y - value.y()) / std::max(1e-9, std::abs(value.y()) + 1.0);
        const double distance = dx * dx + dy * dy * 1e-2;
        if (distance < bestDistance) {
            bestDistance = distance;
            best = &point;
        }
    }
    return best;
}

namespace {

/// The points the keyboard walks through: every plotted point of a line, marker or bar series,
/// series by series in drawing order (bands and Monte Carlo shares are described, not walked).
std::vector<std::pair<std::size_t, std::size_t>> navigablePoints(const plot::ChartSpec &spec)
{
    std::vector<std::pair<std::size_t, std::size_t>> points;
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        if (spec.series[s].shape == plot::SeriesShape::Band)
            continue;
        for (std::size_t p = 0; p < spec.series[s].points.size(); ++p)
            points.emplace_back(s, p);
    }
    return points;
}

} // namespace

bool ChartWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_view || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const auto points = navigablePoints(m_spec);
    switch (key->key()) {
    case Qt::Key_Right:
    case Qt::Key_Down:
        moveKeyboardPoint(1);
        return true;
    case Qt::Key_Left:
    case Qt::Key_Up:
        moveKeyboardPoint(-1);
        return true;
    case Qt::Key_Home:
        m_keyboardPoint = -1;
        moveKeyboardPoint(1);
        return true;
    case Qt::Key_End:
        m_keyboardPoint = int(points.size());
        moveKeyboardPoint(-1);
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_keyboardPoint >= 0 && std::size_t(m_keyboardPoint) < points.size()) {
            const auto [s, p] = points[std::size_t(m_keyboardPoint)];
            const plot::Point &point = m_spec.series[s].points[p];
            if (!point.figureId.empty())
                Q_EMIT figureActivated(qs(point.figureId));
            if (!point.assumptionKey.empty())
                Q_EMIT assumptionActivated(qs(point.assumptionKey));
            return true;
        }
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void ChartWidget::moveKeyboardPoint(int step)
{
    const auto points = navigablePoints(m_spec);
    if (points.empty())
        return;
    m_keyboardPoint = std::clamp(m_keyboardPoint + step, 0, int(points.size()) - 1);
    const QString text = keyboardPointText();
    // Screen readers hear the point as the chart's new name; sighted users see its tooltip.
    m_view->setAccessibleName(QStringLiteral("%1: %2").arg(qs(m_spec.title), QString(text).replace(u'\n', QStringLiteral("; "))));
    QAccessibleEvent announce(m_view, QAccessible::NameChanged);
    QAccessible::updateAccessibility(&announce);
    const auto [s, p] = points[std::size_t(m_keyboardPoint)];
    const plot::Point &point = m_spec.series[s].points[p];
    QPoint at = m_view->rect().center();
    for (QAbstractSeries *drawn : chart()->series()) {
        if (drawn->property(kSpecSeriesProperty).toInt() == int(s)) {
            at = m_view->mapFromScene(chart()->mapToPosition(QPointF(point.x, point.y), drawn));
            break;
        }
    }
    QToolTip::showText(m_view->mapToGlobal(at), text, m_view);
}

QString ChartWidget::keyboardPointText() const
{
    const auto points = navigablePoints(m_spec);
    if (m_keyboardPoint < 0 || std::size_t(m_keyboardPoint) >= points.size())
        return {};
    const auto [s, p] = points[std::size_t(m_keyboardPoint)];
    return tr("%1 (point %2 of %3)")
        .arg(pointText(m_spec.series[s], m_spec.series[s].points[p]))
        .arg(m_keyboardPoint + 1)
        .arg(points.size());
}

QString ChartWidget::pointText(const plot::Series &series, const plot::Point &point) const
{
    QStringList lines;
    lines << qs(point.label.empty() ? series.name : point.label);
    QString value = qs(plot::quantityText(point.y, m_spec.y.unit));
    if (point.yHigh && *point.yHigh != point.y)
        value = tr("%1 to %2").arg(value, qs(plot::quantityText(*point.yHigh, m_spec.y.unit)));
    lines << tr("Value: %1").arg(value);
    if (m_spec.x.kind == plot::AxisKind::Category) {
        const auto slot = std::size_t(point.x);
        if (slot < m_spec.x.categories.size())
            lines << qs(m_spec.x.categories[slot]);
    }
    const auto info = point.figureId.empty() ? std::nullopt : m_lookup(point.figureId);
    if (info) {
        lines << tr("Date: %1").arg(info->period)
              << (info->userOwned ? tr("Your figure, imported from %1").arg(info->source)
                                  : tr("Source: %1").arg(info->source))
              << tr("Kind: %1 (click to open in Sources)").arg(info->kind);
    } else {
        if (m_spec.x.kind == plot::AxisKind::Year)
            lines << tr("Year: %1").arg(QLocale().toString(point.x, 'f', point.x == std::floor(point.x) ? 0 : 1));
        lines << tr("Computed by the view's model from the assumptions");
    }
    return lines.join(u'\n');
}

void ChartWidget::showPointToolTip(int seriesIndex, QPointF value)
{
    const plot::Point *point = nearestPoint(seriesIndex, value);
    if (!point)
        return;
    QToolTip::showText(QCursor::pos(), pointText(m_spec.series[std::size_t(seriesIndex)], *point), m_view);
}

void ChartWidget::activatePoint(int seriesIndex, QPointF value)
{
    const plot::Point *point = nearestPoint(seriesIndex, value);
    if (!point)
        return;
    if (!point->figureId.empty())
        Q_EMIT figureActivated(qs(point->figureId));
    if (!point->assumptionKey.empty())
        Q_EMIT assumptionActivated(qs(point->assumptionKey));
}

QList<QStringList> ChartWidget::dataRows() const
{
    QList<QStringList> rows;
    for (const plot::Series &series : m_spec.series) {
        for (const plot::Point &point : series.points) {
            QString x = m_spec.x.kind == plot::AxisKind::Category && std::size_t(point.x) < m_spec.x.categories.size()
                            ? qs(m_spec.x.categories[std::size_t(point.x)])
                            : QString::number(point.x, 'g', 8);
            // Rounded as a label is; the CSV export keeps every digit.
            QString y = qs(plot::readableNumber(point.y));
            if (point.yHigh && *point.yHigh != point.y)
                y += tr(" to %1").arg(qs(plot::readableNumber(*point.yHigh)));
            const auto info = point.figureId.empty() ? std::nullopt : m_lookup(point.figureId);
            const QString kind = !info ? evidenceName(series.evidence)
                                 : info->userOwned ? tr("%1 (yours)").arg(info->kind)
                                                   : info->kind;
            rows.append({qs(series.name), x, y, qs(m_spec.y.unit), kind, qs(point.figureId)});
        }
    }
    return rows;
}

void ChartWidget::showData()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Data: %1").arg(qs(m_spec.title)));
    auto *table = new QTableWidget(&dialog);
    const QStringList headers{tr("Series"), m_spec.x.kind == plot::AxisKind::Category ? tr("Category") : tr("x"),
                              tr("Value"), tr("Unit"), tr("Kind"), tr("Figure")};
    const QList<QStringList> rows = dataRows();
    table->setColumnCount(int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        for (int column = 0; column < rows[row].size(); ++column)
            table->setItem(row, column, new QTableWidgetItem(rows[row][column]));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(900, 480);
    dialog.exec();
}

} // namespace cliff::ui
