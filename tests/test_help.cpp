// The glossary and the view guides: every term the views use is defined, every cited definition
// names a real source, and F1 opens the entry of the control that has focus.
#include "ui/help/glossary.h"
#include "ui/help/help_dialog.h"
#include "ui/main_window.h"

#include "econ/assumption_registry.h"
#include "econ/economic_view.h"
#include "session/session.h"
#include "store/catalog.h"

#include <QApplication>
#include <QCoreApplication>
#include <QSet>
#include <QSlider>
#include <QRegularExpression>
#include <QTest>
#include <QTextBrowser>

class TestHelp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void glossaryIsSortedAndCitesRealSources();
    void termsTheViewsUseAreDefined_data();
    void termsTheViewsUseAreDefined();
    void everyAssumptionHasAnEntry();
    void everyViewHasAGuideWithItsMethod();
    void f1OnASliderOpensItsEntry();
    void f1ElsewhereOpensTheViewsGuide();
    void guideLinksOpenGlossaryEntries();
};

static cliff::store::Catalog shippedCatalog()
{
    auto catalog = cliff::store::loadCatalog({}, {});
    if (!catalog)
        qFatal("%s", catalog.error().toString().c_str());
    return std::move(catalog).value();
}

static QString term(const cliff::ui::GlossaryEntry &entry)
{
    return QCoreApplication::translate("Glossary", entry.term);
}

static QString definition(const cliff::ui::GlossaryEntry &entry)
{
    return QCoreApplication::translate("Glossary", entry.definition);
}

void TestHelp::glossaryIsSortedAndCitesRealSources()
{
    const cliff::store::Catalog catalog = shippedCatalog();
    QSet<QString> keys;
    QString previous;
    for (const cliff::ui::GlossaryEntry &entry : cliff::ui::glossary()) {
        const QString key = QString::fromUtf8(entry.key.data(), qsizetype(entry.key.size()));
        QVERIFY2(!keys.contains(key), qPrintable(key));
        keys.insert(key);
        QVERIFY2(QString::compare(previous, term(entry), Qt::CaseInsensitive) < 0, qPrintable(term(entry)));
        previous = term(entry);
        // A definition is a sentence or more, not a restated name.
        QVERIFY2(definition(entry).split(QLatin1Char(' ')).size() >= 12, qPrintable(key));
        if (!entry.sourceId.empty()) {
            const bool cited = std::any_of(catalog.figures.sources.begin(), catalog.figures.sources.end(),
                                           [&](const cliff::Source &s) { return s.id == entry.sourceId; });
            QVERIFY2(cited, qPrintable(key));
        }
    }
}

void TestHelp::termsTheViewsUseAreDefined_data()
{
    // Terms that appear in labels, tooltips and the Method texts, each to be found in some
    // entry's term.
    QTest::addColumn<QString>("word");
    for (const char *word : {"WACC", "CDS", "bp", "Neocloud", "Priced-in execution", "Roofline",
                             "Monte Carlo", "Seed", "Jevons", "Tornado", "Mixture of Experts",
                             "KV cache", "Recovery rate", "Source tier", "Run-rate", "Strand year"})
        QTest::newRow(word) << QString::fromLatin1(word);
}

void TestHelp::termsTheViewsUseAreDefined()
{
    QFETCH(QString, word);
    const auto entries = cliff::ui::glossary();
    QVERIFY(std::any_of(entries.begin(), entries.end(), [&](const cliff::ui::GlossaryEntry &entry) {
        return term(entry).contains(word, Qt::CaseInsensitive);
    }));
    // The distribution dialog's words are explained in the distribution entry.
    const cliff::ui::GlossaryEntry *distribution = cliff::ui::glossaryEntry("distribution");
    QVERIFY(distribution);
    for (const char *shape : {"Triangular", "mode", "sigma", "Log-normal", "Uniform"})
        QVERIFY2(definition(*distribution).contains(QLatin1String(shape)), shape);
}

void TestHelp::everyAssumptionHasAnEntry()
{
    for (const cliff::econ::Assumption &assumption : cliff::econ::assumptionRegistry())
        QVERIFY2(cliff::ui::glossaryEntry(cliff::ui::glossaryKeyForAssumption(assumption.key)),
                 assumption.key.data());
}

void TestHelp::everyViewHasAGuideWithItsMethod()
{
    cliff::ui::HelpDialog help(shippedCatalog().figures.sources);
    for (const std::string_view view : cliff::Session::viewKeys()) {
        QVERIFY2(help.showTopic(cliff::ui::guideTopic(view)), view.data());
        const QString text = help.currentText();
        QVERIFY(text.contains(QStringLiteral("How to read it")));
        QVERIFY(text.contains(QStringLiteral("Method")));
        QVERIFY(text.contains(QStringLiteral("Terms used here")));
    }
    // An economic view's guide carries the model's own Method text.
    QVERIFY(help.showTopic(cliff::ui::guideTopic("fiber")));
    QVERIFY(help.currentText().contains(QStringLiteral("strand year")));
    QVERIFY(!help.showTopic(QStringLiteral("no-such-topic")));
    QCOMPARE(help.currentTopic(), cliff::ui::guideTopic("fiber"));
}

void TestHelp::f1OnASliderOpensItsEntry()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.showView(QStringLiteral("revenue-gap")));
    QWidget *row = window.findChild<QWidget *>(QStringLiteral("wacc"));
    QVERIFY(row);
    auto *slider = row->findChild<QSlider *>();
    QVERIFY(slider);
    slider->setFocus();
    QApplication::setActiveWindow(&window);
    QTest::keyClick(slider, Qt::Key_F1);
    auto *help = window.findChild<cliff::ui::HelpDialog *>();
    QVERIFY(help && help->isVisible());
    QCOMPARE(help->currentTopic(), QStringLiteral("wacc"));
    QVERIFY(help->currentText().contains(QStringLiteral("weighted average cost of capital")));
    // The slider kept its value: F1 is not a step.
    QCOMPARE(window.session()->scenario().value(cliff::econ::AssumptionId::Wacc),
             cliff::econ::assumption(cliff::econ::AssumptionId::Wacc).defaultValue);
}

void TestHelp::f1ElsewhereOpensTheViewsGuide()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.showView(QStringLiteral("moat")));
    QApplication::setActiveWindow(&window);
    window.setFocus();
    QTest::keyClick(&window, Qt::Key_F1);
    auto *help = window.findChild<cliff::ui::HelpDialog *>();
    QVERIFY(help);
    QCOMPARE(help->currentTopic(), cliff::ui::guideTopic("moat"));
}

void TestHelp::guideLinksOpenGlossaryEntries()
{
    cliff::ui::HelpDialog help(shippedCatalog().figures.sources);
    for (const std::string_view view : cliff::Session::viewKeys()) {
        QVERIFY(help.showTopic(cliff::ui::guideTopic(view)));
        // Every term linked from a guide is an entry that opens.
        const QString html = help.findChild<QTextBrowser *>()->toHtml();
        static const QRegularExpression link(QStringLiteral("href=\"#([a-z-]+)\""));
        int links = 0;
        for (auto match = link.globalMatch(html); match.hasNext(); ++links) {
            const QString key = match.next().captured(1);
            QVERIFY2(cliff::ui::glossaryEntry(key.toStdString()), qPrintable(key));
        }
        QVERIFY2(links >= 2, view.data());
    }
    // A cited entry shows its source with the tier.
    QVERIFY(help.showTopic(QStringLiteral("recovery-rate")));
    QVERIFY(help.currentText().contains(QStringLiteral("ISDA")));
    QVERIFY(help.currentText().contains(QStringLiteral("primary")));
}

QTEST_MAIN(TestHelp)
#include "test_help.moc"
