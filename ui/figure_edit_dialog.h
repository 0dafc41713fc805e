#pragma once

#include "core/figure.h"
#include "core/result.h"

#include <QDialog>

#include <functional>
#include <map>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace cliff::ui {

/// Edits one of the user's own figures. The id and source stay; every other field can change.
/// The store checks the edited figure (the rules of datasets/README.md) before writing it; an
/// error names the field, marks it and keeps the dialog open, and nothing is written.
class FigureEditDialog : public QDialog {
    Q_OBJECT
public:
    /// Writes the figure, or returns why not having written nothing (UserStore::updateFigure).
    using Save = std::function<Status(const Figure &)>;

    FigureEditDialog(Figure figure, Save save, QWidget *parent = nullptr);

    /// The figure as the fields spell it; an error naming the field when a number cannot be read.
    [[nodiscard]] Result<Figure> editedFigure() const;

    /// Saves the edited figure and closes the dialog; false, with the error shown, when the
    /// fields or the store refuse it.
    bool trySave();

    /// The error shown, "" when there is none.
    [[nodiscard]] QString errorText() const;

private:
    void showError(const Error &error);

    Figure m_original;
    Save m_save;
    std::map<std::string, QWidget *> m_fields; ///< each editor by the store's field name
    QComboBox *m_category = nullptr;
    QLineEdit *m_entity = nullptr;
    QLineEdit *m_metric = nullptr;
    QLineEdit *m_value = nullptr;
    QLineEdit *m_low = nullptr;
    QLineEdit *m_high = nullptr;
    QComboBox *m_unit = nullptr;
    QLineEdit *m_period = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_quoted = nullptr;
    QPlainTextEdit *m_quote = nullptr;
    QPlainTextEdit *m_note = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace cliff::ui
