#include "help_dialog.h"

#include "glossary.h"

#include "econ/economic_view.h"
#include "plot/view_plot.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QListWidget>
#include <QTextBrowser>
#include <QUrl>

#include <algorithm>
#include <array>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString glossaryText(const char *text)
{
    return QCoreApplication::translate("Glossary", text);
}

/// A guide to one view: what it answers, how to read it, its method and the terms it uses.
struct Guide {
    std::string_view viewKey;
    const char *title;
    const char *question; ///< empty for an economic view: its question comes from the view itself
    const char *howToRead;
    const char *method;   ///< empty for an economic view: its Method text comes from the model
    std::array<std::string_view, 6> terms;
};

constexpr std::array kGuides = {
    Guide{"revenue-gap", QT_TRANSLATE_NOOP("Guide", "Revenue gap"), "",
          QT_TRANSLATE_NOOP("Guide",
                            "The bars are the hyperscalers' yearly capex, measured, then guided, "
                            "then extrapolated (dashed). The lines compare the revenue the build-out "
                            "needs each year with the revenue projected from today's reported "
                            "run-rates; the shaded area between them is the gap. Bain's published "
                            "need and shortfall are drawn as cited markers to compare with, not as "
                            "inputs. Move the sliders on the right: the chart and the headline follow."),
          "", {"revenue-gap", "capex", "guidance", "run-rate", "wacc", "depreciation"}},
    Guide{"cost-curves", QT_TRANSLATE_NOOP("Guide", "Cost curves"), "",
          QT_TRANSLATE_NOOP("Guide",
                            "Each point is a list price per million tokens at its launch or cut, on "
                            "a log scale, so a straight line is a steady percentage fall. The model's "
                            "curve is the cost of a fixed capability falling with algorithmic "
                            "efficiency and hardware price-performance; the training-cost chart "
                            "compares DeepSeek-V3's final run with other cited training costs."),
          "", {"token-price", "input-output-mix", "algorithmic-efficiency",
               "hardware-price-performance", "figure-kind", {}}},
    Guide{"moat", QT_TRANSLATE_NOOP("Guide", "Moat"), "",
          QT_TRANSLATE_NOOP("Guide",
                            "The first chart plots cited measurements of how many months open-weights "
                            "models trail closed ones, with a trend fitted through measurements only "
                            "(beliefs and plans are shown but not fitted). The others show the Arena "
                            "top 10 by origin and the leading scores. This view has no sliders: it "
                            "only plots cited figures."),
          "", {"moat", "arena", "figure-kind", {}, {}, {}}},
    Guide{"fragility", QT_TRANSLATE_NOOP("Guide", "Fragility"), "",
          QT_TRANSLATE_NOOP("Guide",
                            "Each party (hyperscalers, model labs, neoclouds) gets a score from five "
                            "factors; the longest bar strands first. The CDS chart shows the cited "
                            "spreads the credit factor starts from. The factors' sliders are grouped "
                            "by party on the right."),
          "", {"fragility", "leverage", "cds", "bp", "priced-execution", "circular-demand"}},
    Guide{"fiber", QT_TRANSLATE_NOOP("Guide", "Fiber and Jevons"), "",
          QT_TRANSLATE_NOOP("Guide",
                            "The first chart follows a debt-financed GPU build-out year by year: "
                            "capacity, demand, and whether cash flow still covers depreciation and "
                            "debt service; the first year it does not is the strand year. The other "
                            "charts show the telecom bust of 2001 in cited figures: the equipment "
                            "makers' revenue, and what the bust cost."),
          "", {"gpu-rental-price", "jevons", "strand-year", "utilisation", "cash-coverage", "neocloud"}},
    Guide{"benchmark", QT_TRANSLATE_NOOP("Guide", "Benchmark"),
          QT_TRANSLATE_NOOP("Guide", "How fast does a Mixture-of-Experts model run on this machine?"),
          QT_TRANSLATE_NOOP("Guide",
                            "Pick a model shape and a precision and press Run. The app builds the "
                            "model with random weights in that shape and measures prefill and decode "
                            "in tokens per second. The roofline chart divides each speed by the "
                            "machine's own ceiling, measured in the same run: decode by how fast the "
                            "memory can be read, prefill by the peak of the cores' multiply-add "
                            "instructions. Beside them it shows two lower ceilings, a read-and-write "
                            "stream and the benchmark's own matrix kernel. The cost line turns the "
                            "speed into dollars per million tokens at the electricity and hardware "
                            "prices you enter."),
          QT_TRANSLATE_NOOP("Guide",
                            "The weights are random, so the outputs are meaningless, but the work is "
                            "the real model's: the same matrix shapes, the same number of experts "
                            "chosen per token, the same bytes read. Each figure is the median of the "
                            "repetitions you ask for."),
          {"moe", "active-parameters", "decode", "roofline", "precision", "attention"}},
    Guide{"sources", QT_TRANSLATE_NOOP("Guide", "Sources"),
          QT_TRANSLATE_NOOP("Guide", "Where does each number come from?"),
          QT_TRANSLATE_NOOP("Guide",
                            "Every figure the app uses, with its value, period, kind, source, the "
                            "source's tier and the verbatim quote. Filter by text or category; the "
                            "Models column names the views that read a figure. You can add your own "
                            "figures; they are marked as yours on every chart."),
          QT_TRANSLATE_NOOP("Guide",
                            "The figures ship compiled from cited CSV files; the build refuses a row "
                            "that breaks the provenance rules (a mirror as source, a reported figure "
                            "on a weak source, one number stored twice)."),
          {"source-tier", "figure-kind", {}, {}, {}, {}}},
};

const Guide *guideFor(const QString &viewKey)
{
    for (const Guide &guide : kGuides) {
        if (qs(guide.viewKey) == viewKey)
            return &guide;
    }
    return nullptr;
}

QString paragraphs(const QString &text)
{
    // Method texts wrap lines at 100 columns and separate paragraphs by a blank line.
    QStringList out;
    for (const QString &paragraph : text.split(QStringLiteral("\n\n")))
        out << QStringLiteral("<p>%1</p>").arg(paragraph.simplified().toHtmlEscaped());
    return out.join(QString());
}

QString guideHtml(const Guide &guide)
{
    const auto view = econ::findEconomicView(guide.viewKey);
    const QString question = view ? qs(plot::viewQuestion(*view))
                                  : QCoreApplication::translate("Guide", guide.question);
    const QString method = view ? qs(plot::viewMethod(*view))
                                : QCoreApplication::translate("Guide", guide.method);
    QString html = QStringLiteral("<h2>%1</h2><p><i>%2</i></p>")
                       .arg(QCoreApplication::translate("Guide", guide.title).toHtmlEscaped(),
                            question.toHtmlEscaped());
    html += QStringLiteral("<h3>%1</h3>").arg(HelpDialog::tr("How to read it"));
    html += paragraphs(QCoreApplication::translate("Guide", guide.howToRead));
    html += QStringLiteral("<h3>%1</h3>").arg(HelpDialog::tr("Method"));
    html += paragraphs(method);
    QStringList links;
    for (std::string_view key : guide.terms) {
        if (const GlossaryEntry *entry = glossaryEntry(key))
            links << QStringLiteral("<a href=\"#%1\">%2</a>")
                         .arg(qs(key), glossaryText(entry->term).toHtmlEscaped());
    }
    html += QStringLiteral("<h3>%1</h3><p>%2</p>")
                .arg(HelpDialog::tr("Terms used here"), links.join(QStringLiteral(" · ")));
    return html;
}

QString entryHtml(const GlossaryEntry &entry, const std::vector<Source> &sources)
{
    QString html = QStringLiteral("<h2>%1</h2><p>%2</p>")
                       .arg(glossaryText(entry.term).toHtmlEscaped(),
                            glossaryText(entry.definition).toHtmlEscaped());
    const auto source = std::find_if(sources.begin(), sources.end(),
                                     [&](const Source &s) { return s.id == entry.sourceId; });
    if (!entry.sourceId.empty() && source != sources.end()) {
        html += QStringLiteral("<p><small>%1 %2, %3 (%4), <a href=\"%5\">%5</a></small></p>")
                    .arg(HelpDialog::tr("Source:"), qs(source->title).toHtmlEscaped(),
                         qs(source->publisher).toHtmlEscaped(), qs(source->tier),
                         qs(source->url).toHtmlEscaped());
    }
    return html;
}

constexpr int kTopicRole = Qt::UserRole;

} // namespace

HelpDialog::HelpDialog(const std::vector<Source> &sources, QWidget *parent)
    : QDialog(parent),
      m_topics(new QListWidget),
      m_text(new QTextBrowser),
      m_sources(sources)
{
    setWindowTitle(tr("Compute Cliff Explorer Help"));
    setObjectName(QStringLiteral("helpDialog"));
    m_topics->setAccessibleName(tr("Help topics"));
    m_text->setAccessibleName(tr("Help text"));
    m_text->setOpenLinks(false);
    connect(m_text, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme().isEmpty() && !url.fragment().isEmpty())
            showTopic(url.fragment());
        else
            QDesktopServices::openUrl(url);
    });

    const auto addHeading = [this](const QString &text) {
        auto *item = new QListWidgetItem(text, m_topics);
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        item->setFlags(Qt::ItemIsEnabled);
    };
    addHeading(tr("Guides"));
    for (const Guide &guide : kGuides) {
        auto *item = new QListWidgetItem(QCoreApplication::translate("Guide", guide.title), m_topics);
        item->setData(kTopicRole, guideTopic(guide.viewKey));
    }
    addHeading(tr("Glossary"));
    for (const GlossaryEntry &entry : glossary()) {
        auto *item = new QListWidgetItem(glossaryText(entry.term), m_topics);
        item->setData(kTopicRole, qs(entry.key));
    }
    connect(m_topics, &QListWidget::currentRowChanged, this, &HelpDialog::showRow);

    m_topics->setMinimumWidth(m_topics->sizeHintForColumn(0) + 32); // no entry cut short

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_topics);
    layout->addWidget(m_text, 1);
    resize(880, 560);
    showTopic(guideTopic("revenue-gap"));
}

bool HelpDialog::showTopic(const QString &topic)
{
    for (int row = 0; row < m_topics->count(); ++row) {
        if (m_topics->item(row)->data(kTopicRole).toString() == topic) {
            m_topics->setCurrentRow(row);
            showRow(row);
            return true;
        }
    }
    return false;
}

QString HelpDialog::currentTopic() const
{
    const QListWidgetItem *item = m_topics->currentItem();
    return item ? item->data(kTopicRole).toString() : QString();
}

QString HelpDialog::currentText() const
{
    return m_text->toPlainText();
}

void HelpDialog::showRow(int row)
{
    const QListWidgetItem *item = m_topics->item(row);
    const QString topic = item ? item->data(kTopicRole).toString() : QString();
    if (topic.isEmpty())
        return;
    if (topic.startsWith(QStringLiteral("guide:"))) {
        if (const Guide *guide = guideFor(topic.mid(6)))
            m_text->setHtml(guideHtml(*guide));
    } else if (const GlossaryEntry *entry = glossaryEntry(topic.toStdString())) {
        m_text->setHtml(entryHtml(*entry, m_sources));
    }
}

} // namespace cliff::ui
