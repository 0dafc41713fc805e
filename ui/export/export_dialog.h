#pragma once

#include "export_options.h"

#include "core/result.h"
#include "econ/economic_view.h"
#include "plot/citation.h"
#include "plot/export_subject.h"
#include "plot/view_plot.h"

#include <QDialog>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace cliff {
class Session;
}

namespace cliff::ui {

/// File > Export: one economic view's chart drawn for print. Chooses the chart (or all of them),
/// format, size and DPI, the title, subtitle, byline and notes and whether to draw the changed
/// assumptions; shows a preview, the alt text and "Cite this" (short, long, BibTeX) with copy
/// buttons; Export writes through the same path as `compute-cliff export`.
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    /// Exports `view` at the session's current scenario, as the view draws it now.
    ExportDialog(const Session &session, econ::EconomicView view, QWidget *parent = nullptr);
    ~ExportDialog() override;

    /// The store file whose SHA-256 a bundle's manifest records; the embedded store by default.
    void setStoreFile(const QString &path);

    /// The settings as chosen in the dialog.
    [[nodiscard]] ExportOptions options() const;
    /// The chart key chosen: one chart's key or "all".
    [[nodiscard]] QString chartKey() const;
    /// What would be exported now; an error when the view's model failed.
    [[nodiscard]] Result<plot::ExportSubject> subject() const;
    /// The alt text shown for copying.
    [[nodiscard]] QString altText() const;
    /// The citations shown: the chart's first, then each source's.
    [[nodiscard]] const std::vector<plot::Citation> &citations() const { return m_citations; }

    /// Writes the export to `path` in the chosen format (and the alt text beside it when that box
    /// is ticked), with no partial file on failure.
    Status exportTo(const QString &path);

private:
    void buildUi();
    void chartChanged();
    void formatChanged();
    void settingsChanged();
    void updateTexts();
    void updatePreview();
    void showCitation(int index);
    void chooseFileAndExport();

    const Session &m_session;
    econ::EconomicView m_view;
    std::optional<plot::ViewPlot> m_plot;
    QString m_plotError;
    QString m_storeFile;
    std::vector<plot::Citation> m_citations;

    QComboBox *m_chart = nullptr;
    QComboBox *m_format = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QSpinBox *m_dpi = nullptr;
    QLabel *m_pixels = nullptr;
    QLineEdit *m_title = nullptr;
    QLineEdit *m_subtitle = nullptr;
    QLineEdit *m_byline = nullptr;
    QPlainTextEdit *m_notes = nullptr;
    QCheckBox *m_footnote = nullptr;
    QCheckBox *m_writeAltText = nullptr;
    QLabel *m_preview = nullptr;
    QPlainTextEdit *m_altText = nullptr;
    QComboBox *m_citeWhat = nullptr;
    QPlainTextEdit *m_citeShort = nullptr;
    QPlainTextEdit *m_citeLong = nullptr;
    QPlainTextEdit *m_citeBibtex = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_previewTimer = nullptr;
};

} // namespace cliff::ui
