#include "guess_scale.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace cliff::ui {

namespace {

constexpr int kMargin = 24;
// Above this many guesses only the dots are drawn; their verdicts would overlap.
constexpr std::size_t kLabelledGuesses = 8;

} // namespace

GuessScale::GuessScale(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("guessScale"));
    setAccessibleName(tr("Guesses and the answer on a number line"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize GuessScale::sizeHint() const
{
    return {320, fontMetrics().height() * 6};
}

void GuessScale::setGuesses(double answer, const QString &answerText,
                            std::vector<econ::GuessVerdict> verdicts, bool logScale)
{
    m_answer = answer;
    m_answerText = answerText;
    m_verdicts = std::move(verdicts);
    m_logScale = logScale;
    m_low = m_high = answer;
    for (const econ::GuessVerdict &verdict : m_verdicts) {
        m_low = std::min(m_low, verdict.guess);
        m_high = std::max(m_high, verdict.guess);
    }
    if (m_logScale) { // whole decades either side
        m_low = std::pow(10.0, std::floor(std::log10(m_low)));
        m_high = std::pow(10.0, std::ceil(std::log10(m_high)));
    } else {
        const double pad = m_high > m_low ? 0.1 * (m_high - m_low) : std::max(1.0, std::abs(m_answer) * 0.1);
        m_low -= pad;
        m_high += pad;
    }
    setAccessibleDescription(tr("Answer %1; %n guess(es)", "", int(m_verdicts.size())).arg(answerText));
    update();
}

double GuessScale::xOf(double value) const
{
    const double span = width() - 2.0 * kMargin;
    const double t = m_logScale ? (std::log10(value) - std::log10(m_low)) / (std::log10(m_high) - std::log10(m_low))
                                : (value - m_low) / (m_high - m_low);
    return kMargin + std::clamp(t, 0.0, 1.0) * span;
}

void GuessScale::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &colours = palette();
    const int line = fontMetrics().height();
    const double axisY = height() - 1.6 * line;
    painter.setPen(QPen(colours.color(QPalette::WindowText), 1.5));
    painter.drawLine(QPointF(kMargin, axisY), QPointF(width() - kMargin, axisY));
    if (m_logScale) { // a tick and label at each decade (guesses are bounded, so few of them)
        const int first = int(std::lround(std::log10(m_low)));
        const int last = int(std::lround(std::log10(m_high)));
        for (int exponent = first; exponent <= last; ++exponent) {
            const double decade = std::pow(10.0, exponent);
            const double x = xOf(decade);
            painter.drawLine(QPointF(x, axisY - 4), QPointF(x, axisY + 4));
            const QString label = QLocale().toString(decade, 'g', 3);
            painter.drawText(QRectF(x - 60, axisY + 4, 120, line), Qt::AlignHCenter | Qt::AlignTop, label);
        }
    } else {
        for (double value : {m_low, m_high}) {
            const double x = xOf(value);
            painter.drawText(QRectF(x - 60, axisY + 4, 120, line), Qt::AlignHCenter | Qt::AlignTop,
                             QLocale().toString(value, 'g', 3));
        }
    }
    // Guesses above the line, each with its verdict when there are few.
    const QColor guessColour = colours.color(QPalette::Highlight);
    for (std::size_t i = 0; i < m_verdicts.size(); ++i) {
        const econ::GuessVerdict &verdict = m_verdicts[i];
        const double x = xOf(verdict.guess);
        const double y = axisY - 0.6 * line - double(i % 3) * 0.9 * line;
        painter.setPen(Qt::NoPen);
        painter.setBrush(guessColour);
        painter.drawEllipse(QPointF(x, y), 5, 5);
        if (m_verdicts.size() <= kLabelledGuesses) {
            const QString text = QString::fromStdString(verdict.text);
            const int textWidth = fontMetrics().horizontalAdvance(text);
            const double textX = x + 8 + textWidth <= width() ? x + 8 : x - 8 - textWidth; // keep it on the widget
            painter.setPen(colours.color(QPalette::WindowText));
            painter.drawText(QPointF(textX, y + 0.35 * line), text);
        }
    }
    // The answer: a bold mark across the line, labelled above.
    const double answerX = xOf(m_answer);
    painter.setPen(QPen(colours.color(QPalette::WindowText), 3));
    painter.drawLine(QPointF(answerX, axisY - 3.2 * line), QPointF(answerX, axisY + 4));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    const QString label = tr("Answer: %1").arg(m_answerText);
    const double labelWidth = QFontMetrics(bold).horizontalAdvance(label);
    const double labelX = std::clamp(answerX - labelWidth / 2, 0.0, width() - labelWidth);
    painter.drawText(QPointF(labelX, axisY - 3.4 * line), label);
}

} // namespace cliff::ui
