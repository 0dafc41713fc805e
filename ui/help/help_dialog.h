#pragma once

#include "core/figure.h"

#include <QDialog>

#include <vector>

class QListWidget;
class QTextBrowser;

namespace cliff::ui {

/// Help > Guides and Help > Glossary: a guide to each view (what it answers, how to read it, its
/// method) and the glossary, in one browsable window that ships with the app and needs no network.
class HelpDialog : public QDialog {
    Q_OBJECT

public:
    /// `sources` are where glossary entries that follow a source find its citation.
    explicit HelpDialog(const std::vector<Source> &sources, QWidget *parent = nullptr);

    /// Shows a topic: a glossary key ("wacc") or a guide key ("guide:fiber"); false when there is
    /// no such topic (the current one stays).
    bool showTopic(const QString &topic);
    /// The key of the topic shown.
    [[nodiscard]] QString currentTopic() const;
    /// The text of the topic shown, as plain text.
    [[nodiscard]] QString currentText() const;

private:
    void showRow(int row);

    QListWidget *m_topics;
    QTextBrowser *m_text;
    std::vector<Source> m_sources;
};

} // namespace cliff::ui
