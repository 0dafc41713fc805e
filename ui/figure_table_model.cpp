#include "figure_table_model.h"

#include <QBrush>
#include <QFont>
#include <QLocale>

#include <cmath>

namespace cliff::ui {
namespace {

QString scaled(double value)
{
    const double magnitude = std::abs(value);
    struct Step { double factor; const char *suffix; };
    static constexpr Step steps[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    for (const Step &step : steps) {
        if (magnitude >= step.factor)
            return QLocale().toString(value / step.factor, 'g', 4) + QLatin1String(step.suffix);
    }
    return QLocale().toString(value, 'g', 6);
}

QString withUnit(const QString &number, const std::string &unit)
{
    if (unit == "USD")
        return u'$' + number;
    if (unit == "USD/1M tokens")
        return u'$' + number + QObject::tr(" per 1M tokens");
    if (unit == "USD/GPU-hour")
        return u'$' + number + QObject::tr(" per GPU-hour");
    if (unit == "%")
        return number + u'%';
    if (unit == "x")
        return number + u'×';
    if (unit == "count" || unit == "rank")
        return number;
    return number + u' ' + QString::fromStdString(unit);
}

} // namespace

QString tierExplanation(const std::string &tier)
{
    if (tier == "primary")
        return QObject::tr("primary: the publisher speaks for itself (a filing, an official "
                           "page, a paper, the leaderboard's own data)");
    if (tier == "secondary")
        return QObject::tr("secondary: reputable press reporting the number (a wire service, "
                           "established press)");
    if (tier == "other")
        return QObject::tr("other: an aggregator, blog, forum or one of the seed articles");
    return QString::fromStdString(tier);
}

QString economicViewTitle(econ::EconomicView view)
{
    switch (view) {
    case econ::EconomicView::RevenueGap: return QObject::tr("Revenue gap");
    case econ::EconomicView::CostCurves: return QObject::tr("Cost curves");
    case econ::EconomicView::Moat: return QObject::tr("Moat");
    case econ::EconomicView::Fragility: return QObject::tr("Fragility");
    case econ::EconomicView::FiberJevons: return QObject::tr("Fiber and Jevons");
    }
    return {};
}

QString readersText(const plot::FigureReaders &readers)
{
    QStringList titles;
    for (econ::EconomicView view : readers.views)
        titles << economicViewTitle(view);
    return titles.join(QStringLiteral(", "));
}

QString readersSentence(const plot::FigureReaders &readers)
{
    QString text = QObject::tr("Read by: %1.").arg(readersText(readers));
    if (!readers.assumptions.empty()) {
        QStringList labels;
        for (econ::AssumptionId id : readers.assumptions) {
            const std::string_view label = econ::assumption(id).label;
            labels << QString::fromUtf8(label.data(), qsizetype(label.size()));
        }
        text += u' ' + QObject::tr("Behind the default of: %1.").arg(labels.join(QStringLiteral(", ")));
    }
    return text;
}

QString formatFigureValue(const Figure &figure)
{
    if (figure.low && figure.high) {
        QString low = scaled(*figure.low);
        const QString high = scaled(*figure.high);
        // "$690–725B" rather than "$690B–725B" when both ends share a scale suffix.
        if (!low.isEmpty() && !high.isEmpty() && low.back().isLetter() && low.back() == high.back())
            low.chop(1);
        return withUnit(low + u'–' + high, figure.unit);
    }
    return withUnit(scaled(figure.value), figure.unit);
}

FigureTableModel::FigureTableModel(const store::Catalog &catalog, QObject *parent)
    : QAbstractTableModel(parent), m_catalog(catalog), m_dataset(catalog.figures)
{
}

int FigureTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_dataset.figures.size());
}

int FigureTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void FigureTableModel::reload(const std::function<void()> &changeCatalog)
{
    beginResetModel();
    changeCatalog();
    m_readers.reset(); // the models' figures may have changed with the catalog
    endResetModel();
}

const plot::FigureReaders *FigureTableModel::readersOf(const Figure &figure) const
{
    if (!m_readers)
        m_readers = plot::figureReaders(m_catalog.modelFigures());
    const auto found = m_readers->find(figure.id);
    if (found == m_readers->end())
        return nullptr;
    // A user figure may share its id with the shipped figure it stands in for: only the one the
    // models read is read.
    if (!m_catalog.rivalsOf(figure).empty() && !m_catalog.usedByModels(figure))
        return nullptr;
    return &found->second;
}

const Figure &FigureTableModel::figure(int row) const
{
    return m_dataset.figures.at(std::size_t(row));
}

QVariant FigureTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Figure &f = figure(index.row());
    if (role == FigureIdRole)
        return QString::fromStdString(f.id);
    if (role == SortRole && index.column() == Value)
        return f.value;
    if (role == Qt::FontRole && f.kind != "reported") {
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    if (role == Qt::ToolTipRole && index.column() == Tier) {
        const cliff::Source *source = m_dataset.findSource(f.sourceId);
        return source ? tierExplanation(source->tier) : QString();
    }
    if (role == Qt::ToolTipRole && index.column() == Models) {
        if (!m_catalog.rivalsOf(f).empty() && !m_catalog.usedByModels(f))
            return tr("The models read the rival figure for this slot, not this one");
        const plot::FigureReaders *readers = readersOf(f);
        return readers ? readersSentence(*readers)
                       : tr("No view reads this figure; it is kept for reference");
    }
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(f.quote);
    if (role == Qt::WhatsThisRole)
        return QString::fromStdString(f.note);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Category: return QString::fromStdString(f.category);
    case Entity: return QString::fromStdString(f.entity);
    case Metric: return QString::fromStdString(f.metric);
    case Value: return formatFigureValue(f);
    case Period: return QString::fromStdString(f.period);
    case Kind: return f.userOwned ? tr("%1 (yours)").arg(QString::fromStdString(f.kind))
                                  : QString::fromStdString(f.kind);
    case Source: {
        const cliff::Source *source = m_dataset.findSource(f.sourceId);
        return source ? QString::fromStdString(source->publisher) : QString();
    }
    case Tier: {
        const cliff::Source *source = m_dataset.findSource(f.sourceId);
        return source ? QString::fromStdString(source->tier) : QString();
    }
    case Models: {
        if (const plot::FigureReaders *readers = readersOf(f))
            return readersText(*readers);
        return !m_catalog.rivalsOf(f).empty() && !m_catalog.usedByModels(f) ? tr("rival in use")
                                                                             : QString();
    }
    default: return {};
    }
}

QVariant FigureTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Category: return tr("Category");
    case Entity: return tr("Entity");
    case Metric: return tr("Metric");
    case Value: return tr("Value");
    case Period: return tr("Period");
    case Kind: return tr("Kind");
    case Source: return tr("Source");
    case Tier: return tr("Tier");
    case Models: return tr("Models");
    default: return {};
    }
}

} // namespace cliff::ui
