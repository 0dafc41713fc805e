#include "import_dialog.h"

#include "figure_table_model.h"

#include "store/store_file.h"
#include "store/user_store.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cliff::ui {

namespace {

QString qs(const std::string &text) { return QString::fromStdString(text); }

QString actionText(store::ImportAction action)
{
    switch (action) {
    case store::ImportAction::Add: return ImportDialog::tr("new");
    case store::ImportAction::Replace: return ImportDialog::tr("replaces yours");
    case store::ImportAction::Unchanged: return ImportDialog::tr("already yours");
    case store::ImportAction::Shipped: return ImportDialog::tr("already shipped");
    case store::ImportAction::Reject: return ImportDialog::tr("error");
    }
    return {};
}

/// Errors beyond this many are counted, not listed: a wholly wrong file can have 100k of them.
constexpr int kMaxListedErrors = 1000;

} // namespace

/// The rows of an import preview, one table row per file row, read-only.
class ImportPreviewModel : public QAbstractTableModel {
public:
    enum Column { Line, Action, Id, Entity, Metric, Value, Period, Kind, Problem, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setPreview(const store::ImportPreview *preview)
    {
        beginResetModel();
        m_preview = preview;
        endResetModel();
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() || !m_preview ? 0 : int(m_preview->rows.size());
    }

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!m_preview || !index.isValid())
            return {};
        const store::ImportRow &row = m_preview->rows[std::size_t(index.row())];
        const bool rejected = row.action == store::ImportAction::Reject;
        if (role == Qt::ForegroundRole && rejected)
            return QColor(Qt::red);
        if (role == Qt::ToolTipRole && rejected)
            return qs(row.errors.front().toString());
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case Line: return row.line;
        case Action: return actionText(row.action);
        case Id: return qs(row.figure.id);
        case Entity: return qs(row.figure.entity);
        case Metric: return qs(row.figure.metric);
        case Value: return rejected ? QString() : formatFigureValue(row.figure);
        case Period: return qs(row.figure.period);
        case Kind: return qs(row.figure.kind);
        case Problem:
            return rejected ? qs(row.errors.front().field + ": " + row.errors.front().message)
                            : QString();
        default: return {};
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case Line: return ImportDialog::tr("Line");
        case Action: return ImportDialog::tr("Import");
        case Id: return ImportDialog::tr("Id");
        case Entity: return ImportDialog::tr("Entity");
        case Metric: return ImportDialog::tr("Metric");
        case Value: return ImportDialog::tr("Value");
        case Period: return ImportDialog::tr("Period");
        case Kind: return ImportDialog::tr("Kind");
        case Problem: return ImportDialog::tr("Problem");
        default: return {};
        }
    }

private:
    const store::ImportPreview *m_preview = nullptr;
};

ImportDialog::ImportDialog(QString userDatabasePath, QWidget *parent)
    : QDialog(parent), m_userDatabasePath(std::move(userDatabasePath))
{
    setWindowTitle(tr("Import figures"));
    setObjectName(QStringLiteral("importDialog"));

    m_path = new QLineEdit(this);
    m_path->setReadOnly(true);
    m_path->setPlaceholderText(tr("A CSV file in the columns of 'compute-cliff figures'"));
    auto *choose = new QPushButton(tr("Choose file…"), this);
    connect(choose, &QPushButton::clicked, this, &ImportDialog::chooseFile);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(choose);

    m_summary = new QLabel(tr("No file chosen."), this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_model = new ImportPreviewModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_errors = new QListWidget(this);
    m_errors->setObjectName(QStringLiteral("importErrors"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_errors);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_importAll = buttons->addButton(tr("Import all"), QDialogButtonBox::AcceptRole);
    m_importAll->setObjectName(QStringLiteral("importAll"));
    m_importValid = buttons->addButton(tr("Import valid rows only"), QDialogButtonBox::ActionRole);
    m_importValid->setObjectName(QStringLiteral("importValidOnly"));
    m_importAll->setEnabled(false);
    m_importValid->setEnabled(false);
    // The box's accepted() is left unconnected: the dialog closes only after the import wrote.
    connect(m_importAll, &QPushButton::clicked, this,
            [this] { importRows(store::ImportMode::AllOrNothing); });
    connect(m_importValid, &QPushButton::clicked, this,
            [this] { importRows(store::ImportMode::ValidRowsOnly); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(fileRow);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1000, 600);
}

ImportDialog::~ImportDialog() = default;

const store::ImportPreview *ImportDialog::preview() const
{
    return m_preview ? &*m_preview : nullptr;
}

bool ImportDialog::loadFile(const QString &csvPath)
{
    m_path->setText(csvPath);
    m_model->setPreview(nullptr);
    m_preview.reset();
    m_errors->clear();
    m_importAll->setEnabled(false);
    m_importValid->setEnabled(false);

    auto fail = [this](const Error &error) {
        m_summary->setText(tr("This file cannot be imported: %1").arg(qs(error.toString())));
        m_errors->addItem(qs(error.toString()));
        return false;
    };
    if (!m_shipped) {
        auto embedded = store::embeddedStorePath();
        if (!embedded)
            return fail(embedded.error());
        auto shipped = store::loadStore(embedded.value());
        if (!shipped)
            return fail(shipped.error());
        m_shipped = std::move(shipped).value();
    }
    // The user database is only read here; it is created when something is imported into it.
    store::Dataset own;
    if (QFileInfo::exists(m_userDatabasePath)) {
        auto user = store::UserStore::openForReading(m_userDatabasePath);
        if (!user)
            return fail(user.error());
        auto figures = user->figures();
        if (!figures)
            return fail(figures.error());
        own = std::move(figures).value();
    }
    auto preview = store::checkImportFile(csvPath, *m_shipped, own);
    if (!preview)
        return fail(preview.error());
    m_preview = std::move(preview).value();
    showPreview();
    return true;
}

void ImportDialog::showPreview()
{
    m_model->setPreview(&*m_preview);
    m_table->resizeColumnsToContents();
    const store::ImportSummary counts = m_preview->summary();
    m_summary->setText(tr("%n row(s): %1 new, %2 replacing yours, %3 already yours, %4 already "
                          "shipped, %5 with errors.", nullptr, int(m_preview->rows.size()))
                           .arg(counts.added)
                           .arg(counts.replaced)
                           .arg(counts.unchanged)
                           .arg(counts.shipped)
                           .arg(counts.rejected));
    int listed = 0;
    for (const store::ImportRow &row : m_preview->rows) {
        for (const Error &error : row.errors) {
            if (listed++ < kMaxListedErrors)
                m_errors->addItem(qs(error.toString()));
        }
    }
    if (listed > kMaxListedErrors)
        m_errors->addItem(tr("… and %n more error(s)", nullptr, listed - kMaxListedErrors));
    const bool anythingToWrite = counts.added + counts.replaced > 0;
    m_importAll->setEnabled(anythingToWrite && counts.rejected == 0);
    m_importValid->setEnabled(anythingToWrite);
}

void ImportDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import figures"), m_path->text(),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void ImportDialog::importRows(store::ImportMode mode)
{
    if (!m_preview)
        return;
    auto user = store::UserStore::open(m_userDatabasePath);
    Result<store::ImportSummary> done = user ? user->importFigures(*m_preview, mode)
                                             : Result<store::ImportSummary>(user.error());
    if (!done) {
        m_summary->setText(tr("Nothing was imported: %1").arg(qs(done.error().toString())));
        return;
    }
    Q_EMIT figuresImported(int(done->added), int(done->replaced));
    accept();
}

} // namespace cliff::ui
