#include "figure_edit_dialog.h"

#include "core/untrusted_text.h"
#include "store/dataset.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <optional>
#include <span>
#include <string_view>

namespace cliff::ui {
namespace {

QString qs(const std::string &text) { return QString::fromStdString(text); }

QComboBox *vocabularyBox(std::span<const std::string_view> words, const std::string &current)
{
    auto *box = new QComboBox;
    for (std::string_view word : words)
        box->addItem(QString::fromUtf8(word.data(), qsizetype(word.size())));
    box->setCurrentText(qs(current));
    return box;
}

QString numberText(std::optional<double> number)
{
    return number ? qs(store::formatNumber(*number)) : QString();
}

/// The number a field spells ('.' as the decimal point whatever the locale), nothing when empty.
Result<std::optional<double>> readNumber(const QLineEdit *edit, const std::string &field)
{
    const std::string text = edit->text().trimmed().toStdString();
    if (text.empty())
        return std::optional<double>{};
    const auto number = store::parseNumber(text);
    if (!number)
        return Error{quoteUntrusted(text) + " is not a number (use '.' for the decimal point)", {}, 0, field};
    return std::optional<double>{*number};
}

} // namespace

FigureEditDialog::FigureEditDialog(Figure figure, Save save, QWidget *parent)
    : QDialog(parent), m_original(std::move(figure)), m_save(std::move(save))
{
    setWindowTitle(tr("Edit your figure"));
    const Figure &f = m_original;
    m_category = vocabularyBox(figureCategories(), f.category);
    m_entity = new QLineEdit(qs(f.entity));
    m_metric = new QLineEdit(qs(f.metric));
    m_value = new QLineEdit(qs(store::formatNumber(f.value)));
    m_low = new QLineEdit(numberText(f.low));
    m_high = new QLineEdit(numberText(f.high));
    m_unit = vocabularyBox(figureUnits(), f.unit);
    m_period = new QLineEdit(qs(f.period));
    m_kind = vocabularyBox(figureKinds(), f.kind);
    m_quoted = new QLineEdit(qs(f.quoted));
    m_quote = new QPlainTextEdit(qs(f.quote));
    m_note = new QPlainTextEdit(qs(f.note));
    for (QPlainTextEdit *text : {m_quote, m_note})
        text->setFixedHeight(fontMetrics().lineSpacing() * 4);
    m_low->setPlaceholderText(tr("empty, or the low end of a range"));
    m_high->setPlaceholderText(tr("empty, or the high end of a range"));
    m_period->setPlaceholderText(tr("2025, FY2025, 2025-Q3, 2025-07 or 2025-07-01"));

    auto *form = new QFormLayout;
    auto *id = new QLabel(qs(f.id));
    id->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Id"), id);
    const std::pair<const char *, QWidget *> rows[] = {
        {"category", m_category}, {"entity", m_entity}, {"metric", m_metric},
        {"value", m_value},       {"low", m_low},       {"high", m_high},
        {"unit", m_unit},         {"period", m_period}, {"kind", m_kind},
        {"quoted", m_quoted},     {"quote", m_quote},   {"note", m_note}};
    const QStringList labels{tr("Category"), tr("Entity"), tr("Metric"), tr("Value (base unit)"),
                             tr("Low"),      tr("High"),   tr("Unit"),   tr("Period"),
                             tr("Kind"),     tr("Number as quoted"), tr("Quote"), tr("Note")};
    for (std::size_t i = 0; i < std::size(rows); ++i) {
        rows[i].second->setObjectName(QString::fromLatin1(rows[i].first));
        m_fields.emplace(rows[i].first, rows[i].second);
        form->addRow(labels.at(qsizetype(i)), rows[i].second);
    }
    auto *source = new QLabel(qs(f.sourceId));
    source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Source"), source);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("editError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &FigureEditDialog::trySave);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

Result<Figure> FigureEditDialog::editedFigure() const
{
    Figure edited = m_original;
    edited.category = m_category->currentText().toStdString();
    edited.entity = m_entity->text().trimmed().toStdString();
    edited.metric = m_metric->text().trimmed().toStdString();
    edited.unit = m_unit->currentText().toStdString();
    edited.period = m_period->text().trimmed().toStdString();
    edited.kind = m_kind->currentText().toStdString();
    edited.quoted = m_quoted->text().trimmed().toStdString();
    edited.quote = m_quote->toPlainText().trimmed().toStdString();
    edited.note = m_note->toPlainText().trimmed().toStdString();
    auto value = readNumber(m_value, "value");
    if (!value)
        return value.error();
    if (!*value)
        return Error{"is empty", {}, 0, "value"};
    edited.value = **value;
    auto low = readNumber(m_low, "low");
    if (!low)
        return low.error();
    auto high = readNumber(m_high, "high");
    if (!high)
        return high.error();
    edited.low = *low;
    edited.high = *high;
    return edited;
}

bool FigureEditDialog::trySave()
{
    for (const auto &[name, editor] : m_fields)
        editor->setStyleSheet({});
    auto edited = editedFigure();
    if (!edited) {
        showError(edited.error());
        return false;
    }
    if (Status saved = m_save(*edited); !saved) {
        showError(saved.error());
        return false;
    }
    accept();
    return true;
}

QString FigureEditDialog::errorText() const
{
    return m_error->text();
}

void FigureEditDialog::showError(const Error &error)
{
    m_error->setText(tr("Not saved: %1").arg(QString::fromStdString(error.toString())));
    m_error->show();
    if (const auto found = m_fields.find(error.field); found != m_fields.end()) {
        found->second->setStyleSheet(QStringLiteral("border: 2px solid #b00020"));
        found->second->setFocus();
    }
}

} // namespace cliff::ui
