#pragma once

#include "store/dataset.h"
#include "store/figure_import.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;

namespace cliff::ui {

class ImportPreviewModel;

/// File > Import figures: pick a CSV in the columns `compute-cliff figures` prints, see every
/// row with what the import will do and every error, then import all rows or the valid ones
/// into the user database. Reading, checking and writing are the store's; this only shows.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    /// A dialog that imports into the user database at `userDatabasePath` (created on import).
    explicit ImportDialog(QString userDatabasePath, QWidget *parent = nullptr);
    ~ImportDialog() override;

    /// Reads and checks `csvPath` and shows the result; false when the file cannot be read as
    /// an import file at all (the reason is shown in place of the rows).
    bool loadFile(const QString &csvPath);

    /// The checked file on show, or nullptr before one is loaded or when it could not be read.
    [[nodiscard]] const store::ImportPreview *preview() const;

Q_SIGNALS:
    /// Emitted after figures were written: the counts the store reported.
    void figuresImported(int added, int replaced);

private:
    void chooseFile();
    void importRows(store::ImportMode mode);
    void showPreview();

    QString m_userDatabasePath;
    std::optional<store::Dataset> m_shipped;
    std::optional<store::ImportPreview> m_preview;
    QLineEdit *m_path = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    ImportPreviewModel *m_model = nullptr;
    QListWidget *m_errors = nullptr;
    QPushButton *m_importAll = nullptr;
    QPushButton *m_importValid = nullptr;
};

} // namespace cliff::ui
