#include "sources_view.h"

#include "ui/figure_filter_model.h"
#include "ui/figure_table_model.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace cliff::ui {
namespace {

QString html(const std::string &text) { return QString::fromStdString(text).toHtmlEscaped(); }

QString kindExplanation(const std::string &kind)
{
    if (kind == "reported")
        return QObject::tr("reported: a figure the source states as fact");
    if (kind == "estimate")
        return QObject::tr("estimate: a third party's estimate, not a reported figure");
    if (kind == "projection")
        return QObject::tr("projection: a forecast of a future value");
    if (kind == "guidance")
        return QObject::tr("guidance: what a company says it plans");
    return QObject::tr("assumption: an illustrative parameter no source gives; edit it freely");
}

QString citation(const Figure &figure, const cliff::Source *source)
{
    QString text = QStringLiteral("%1, %2 (%3): %4. “%5”")
                       .arg(QString::fromStdString(figure.entity),
                            QString::fromStdString(figure.metric),
                            QString::fromStdString(figure.period), formatFigureValue(figure),
                            QString::fromStdString(figure.quote));
    if (source) {
        text += QStringLiteral(" — %1, “%2”").arg(QString::fromStdString(source->publisher),
                                                  QString::fromStdString(source->title));
        if (!source->published.empty())
            text += QStringLiteral(", %1").arg(QString::fromStdString(source->published));
        if (!source->url.empty())
            text += QStringLiteral(", %1").arg(QString::fromStdString(source->url));
        text += QStringLiteral(" (%1)").arg(QObject::tr("tier %1").arg(QString::fromStdString(source->tier)));
    }
    return text + u'.';
}

} // namespace

SourcesView::SourcesView(const store::Catalog &catalog, QWidget *parent)
    : QWidget(parent), m_catalog(catalog), m_dataset(catalog.figures)
{
    m_figureModel = new FigureTableModel(m_catalog, this);
    m_filterModel = new FigureFilterModel(m_figureModel, this);

    auto *search = m_search = new QLineEdit;
    search->setPlaceholderText(tr("Search figures, quotes and sources…"));
    search->setClearButtonEnabled(true);
    connect(search, &QLineEdit::textChanged, m_filterModel, &FigureFilterModel::setText);

    auto *category = m_category = new QComboBox;
    category->addItem(tr("All categories"), QString());
    for (std::string_view name : figureCategories()) {
        const QString text = QString::fromLatin1(name.data(), qsizetype(name.size()));
        category->addItem(QString(text).replace(u'_', u' '), text);
    }
    connect(category, &QComboBox::currentIndexChanged, this, [this, category] {
        m_filterModel->setCategory(category->currentData().toString());
    });

    auto *kind = m_kind = new QComboBox;
    kind->addItem(tr("All kinds"), QString());
    for (std::string_view name : figureKinds()) {
        const QString text = QString::fromLatin1(name.data(), qsizetype(name.size()));
        kind->addItem(text, text);
    }
    connect(kind, &QComboBox::currentIndexChanged, this,
            [this, kind] { m_filterModel->setKind(kind->currentData().toString()); });

    m_countLabel = new QLabel;
    auto updateCount = [this] {
        m_countLabel->setText(tr("%1 of %2 figures")
                                  .arg(m_filterModel->rowCount())
                                  .arg(m_figureModel->rowCount()));
    };
    connect(m_filterModel, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_filterModel, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_filterModel, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_filterModel, &QAbstractItemModel::layoutChanged, this, updateCount);
    updateCount();

    auto *filters = new QHBoxLayout;
    filters->addWidget(search, 1);
    filters->addWidget(category);
    filters->addWidget(kind);
    filters->addWidget(m_countLabel);

    m_table = new QTableView;
    m_table->setModel(m_filterModel);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FigureTableModel::Category, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(FigureTableModel::Category, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FigureTableModel::Metric, QHeaderView::Stretch);
    // Set widths, not the widest cell's, keep the table inside the window beside the panel;
    // a cut cell shows in full on hover and in the details below.
    const std::pair<int, int> widths[] = {{FigureTableModel::Entity, 140}, {FigureTableModel::Value, 100},
                                          {FigureTableModel::Period, 85},  {FigureTableModel::Kind, 85},
                                          {FigureTableModel::Source, 130}, {FigureTableModel::Tier, 75},
                                          {FigureTableModel::Models, 190}};
    for (const auto &[column, width] : widths)
        header->resizeSection(column, width);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showDetails(current);
                updateActions();
            });

    m_details = new QTextBrowser;
    m_details->setOpenExternalLinks(true);
    m_details->setPlaceholderText(tr("Select a figure to see its quote and source."));

    const auto actOnCurrent = [this](void (SourcesView::*request)(const QString &)) {
        return [this, request] {
            if (const Figure *figure = currentFigure())
                Q_EMIT(this->*request)(QString::fromStdString(figure->id));
        };
    };
    m_use = new QPushButton(tr("Use this figure in the models"));
    m_use->setObjectName(QStringLiteral("useFigure"));
    connect(m_use, &QPushButton::clicked, this, actOnCurrent(&SourcesView::useFigureRequested));
    m_forgetChoice = new QPushButton(tr("Undo my choice"));
    m_forgetChoice->setObjectName(QStringLiteral("forgetChoice"));
    m_forgetChoice->setToolTip(
        tr("Forget your choice for this slot, so that the models read your own figure again"));
    connect(m_forgetChoice, &QPushButton::clicked, this,
            actOnCurrent(&SourcesView::forgetChoiceRequested));
    m_edit = new QPushButton(tr("Edit…"));
    m_edit->setObjectName(QStringLiteral("editFigure"));
    connect(m_edit, &QPushButton::clicked, this, actOnCurrent(&SourcesView::editFigureRequested));
    m_delete = new QPushButton(tr("Delete…"));
    m_delete->setObjectName(QStringLiteral("deleteFigure"));
    connect(m_delete, &QPushButton::clicked, this, actOnCurrent(&SourcesView::deleteFigureRequested));
    auto *actions = new QHBoxLayout;
    actions->setContentsMargins(0, 0, 0, 0);
    actions->addWidget(m_use);
    actions->addWidget(m_forgetChoice);
    actions->addStretch(1);
    actions->addWidget(m_edit);
    actions->addWidget(m_delete);
    auto *detailPane = new QWidget;
    auto *detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_details, 1);
    detailLayout->addLayout(actions);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(detailPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *legend = new QLabel(tr("<i>Italic rows</i> are estimates, projections, guidance or "
                                 "assumptions; upright rows are reported figures."));
    legend->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    layout->addWidget(legend);
    if (m_filterModel->rowCount() > 0)
        m_table->setCurrentIndex(m_filterModel->index(0, 0));
    updateActions();
}

void SourcesView::updateActions()
{
    const Figure *figure = currentFigure();
    const bool contested = figure && !m_catalog.rivalsOf(*figure).empty();
    const bool used = figure && m_catalog.usedByModels(*figure);
    m_use->setEnabled(contested && !used);
    m_use->setToolTip(!contested ? tr("This figure has no rival for its slot; the models read it")
                      : used     ? tr("The models already read this figure")
                                 : tr("Make the models read this figure instead of its rival"));
    m_forgetChoice->setEnabled(figure && m_catalog.choiceFor(*figure));
    const bool own = figure && figure->userOwned;
    const QString readOnly = tr("Shipped figures are read-only: they are the app's cited figures. "
                                "Import your own figure for the same slot to use another number.");
    m_edit->setEnabled(own);
    m_edit->setToolTip(own ? tr("Change your figure") : readOnly);
    m_delete->setEnabled(own);
    m_delete->setToolTip(own ? tr("Delete your figure from your database") : readOnly);
}

QString SourcesView::rivalsHtml(const Figure &figure) const
{
    std::vector<const Figure *> slot = m_catalog.rivalsOf(figure);
    if (slot.empty())
        return {};
    slot.insert(slot.begin(), &figure);
    const store::FigureChoice *choice = m_catalog.choiceFor(figure);
    bool chosen = false;
    QString text = tr("<p><b>Rival figures for this slot</b> (the models read one of them):</p><ul>");
    for (const Figure *rival : slot) {
        const cliff::Source *source = m_dataset.findSource(rival->sourceId);
        const bool used = m_catalog.usedByModels(*rival);
        chosen = chosen || (choice && choice->figureId == rival->id);
        text += QStringLiteral("<li>%1%2 — %3, %4%5</li>")
                    .arg(rival == &figure ? tr("this figure: ") : QString(),
                         formatFigureValue(*rival).toHtmlEscaped(),
                         rival->userOwned ? tr("your figure") : tr("shipped"),
                         source ? html(source->publisher) : html(rival->sourceId),
                         used ? tr(" — <b>the models use this one</b>") : QString());
    }
    text += QStringLiteral("</ul>");
    text += chosen ? tr("<p>You chose which one the models read; “Undo my choice” gives the slot "
                        "back to your own figure.</p>")
                   : tr("<p>The models read your own figure unless you choose the shipped one.</p>");
    return text;
}

const Figure *SourcesView::currentFigure() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return nullptr;
    return &m_figureModel->figure(m_filterModel->mapToSource(current).row());
}

void SourcesView::showDetails(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid()) {
        m_details->clear();
        return;
    }
    const Figure &f = m_figureModel->figure(m_filterModel->mapToSource(proxyIndex).row());
    const cliff::Source *source = m_dataset.findSource(f.sourceId);
    QString text = QStringLiteral("<h3>%1 — %2</h3><p><b>%3</b> (%4) · <i>%5</i></p>")
                       .arg(html(f.entity), html(f.metric), formatFigureValue(f).toHtmlEscaped(),
                            html(f.period), kindExplanation(f.kind).toHtmlEscaped());
    if (f.userOwned)
        text += tr("<p><b>Your figure</b>, imported into your database (%1).</p>")
                    .arg(html(f.id));
    text += rivalsHtml(f); // first, beside the figure: which of the two the models read
    text += QStringLiteral("<blockquote>“%1”</blockquote>").arg(html(f.quote));
    if (source) {
        text += tr("<p>Source: %1, <i>%2</i>").arg(html(source->publisher), html(source->title));
        if (!source->published.empty())
            text += QStringLiteral(", %1").arg(html(source->published));
        if (!source->url.empty())
            text += QStringLiteral(" — <a href=\"%1\">%1</a>").arg(html(source->url));
        text += tr("<br>Tier: %1</p>").arg(tierExplanation(source->tier).toHtmlEscaped());
    }
    if (!f.alsoIn.empty()) {
        text += tr("<p><b>Also stated in:</b></p><ul>");
        for (const std::string &id : f.alsoIn) {
            const cliff::Source *also = m_dataset.findSource(id);
            if (!also) {
                text += QStringLiteral("<li>%1</li>").arg(html(id));
                continue;
            }
            const QString title = also->url.empty()
                                      ? QStringLiteral("<i>%1</i>").arg(html(also->title))
                                      : QStringLiteral("<a href=\"%1\">%2</a>")
                                            .arg(html(also->url), html(also->title));
            text += QStringLiteral("<li>%1 — %2%3 (%4)</li>")
                        .arg(title, html(also->publisher),
                             also->published.empty() ? QString() : QStringLiteral(", ") + html(also->published),
                             tr("tier %1").arg(html(also->tier)));
        }
        text += QStringLiteral("</ul>");
    }
    if (const cliff::Source *seed = m_dataset.findSource(f.readIn))
        text += tr("<p>Read in: <i>%1</i> (%2)</p>").arg(html(seed->title), html(seed->publisher));
    if (!m_catalog.rivalsOf(f).empty() && !m_catalog.usedByModels(f))
        text += tr("<p>The models read the rival figure for this slot, not this one.</p>");
    else if (const plot::FigureReaders *readers = m_figureModel->readersOf(f))
        text += QStringLiteral("<p>%1</p>").arg(readersSentence(*readers).toHtmlEscaped());
    else
        text += tr("<p>No view reads this figure; it is kept for reference.</p>");
    if (!f.note.empty())
        text += tr("<p>Note: %1</p>").arg(html(f.note));
    // Rivals for the same slot are listed apart, with which one the models read.
    auto alternatives = m_dataset.alternativesTo(f);
    const auto rivals = m_catalog.rivalsOf(f);
    std::erase_if(alternatives, [&rivals](const Figure *other) {
        return std::find(rivals.begin(), rivals.end(), other) != rivals.end();
    });
    if (!alternatives.empty()) {
        text += tr("<p><b>Other sources for this number:</b></p><ul>");
        for (const Figure *other : alternatives) {
            const cliff::Source *otherSource = m_dataset.findSource(other->sourceId);
            text += QStringLiteral("<li>%1 (%2) — %3</li>")
                        .arg(formatFigureValue(*other).toHtmlEscaped(), html(other->period),
                             otherSource ? html(otherSource->publisher) : QString());
        }
        text += QStringLiteral("</ul>");
    }
    m_details->setHtml(text);
}

void SourcesView::copyCitation()
{
    if (const Figure *figure = currentFigure()) {
        QApplication::clipboard()->setText(
            citation(*figure, m_dataset.findSource(figure->sourceId)));
        Q_EMIT statusMessage(tr("Citation copied"));
    }
}

void SourcesView::reload(const std::function<void()> &changeCatalog)
{
    const Figure *current = currentFigure();
    const QString figureId = current ? QString::fromStdString(current->id) : QString();
    m_figureModel->reload(changeCatalog);
    if (figureId.isEmpty() || !selectFigure(figureId)) {
        m_details->clear();
        updateActions();
    }
}

bool SourcesView::showFigure(const QString &figureId)
{
    if (selectFigure(figureId))
        return true;
    m_search->clear();
    m_category->setCurrentIndex(0);
    m_kind->setCurrentIndex(0);
    return selectFigure(figureId);
}

bool SourcesView::selectFigure(const QString &figureId)
{
    for (int row = 0; row < m_filterModel->rowCount(); ++row) {
        const QModelIndex index = m_filterModel->index(row, 0);
        if (index.data(FigureTableModel::FigureIdRole).toString() == figureId) {
            m_table->setCurrentIndex(index);
            m_table->scrollTo(index);
            return true;
        }
    }
    return false;
}

} // namespace cliff::ui
