#include "story_bar.h"

#include "questions/guess_scale.h"

#include "econ/prediction.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace cliff::ui {

StoryBar::StoryBar(QWidget *parent)
    : QFrame(parent),
      m_title(new QLabel),
      m_caption(new QLabel),
      m_previous(new QPushButton(tr("← Previous"))),
      m_next(new QPushButton(tr("Next →"))),
      m_ask(new QPushButton(tr("&Ask"))),
      m_questionBox(new QWidget),
      m_prompt(new QLabel),
      m_guesses(new QLineEdit),
      m_reveal(new QPushButton(tr("Re&veal"))),
      m_answerLabel(new QLabel),
      m_scale(new GuessScale)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    m_title->setFont(titleFont);
    m_caption->setWordWrap(true);
    auto *leave = new QPushButton(tr("Leave story"));
    m_previous->setToolTip(tr("Previous step (Left arrow or Page Up)"));
    m_next->setToolTip(tr("Next step (Right arrow or Page Down)"));
    connect(m_previous, &QPushButton::clicked, this, &StoryBar::previousRequested);
    connect(m_next, &QPushButton::clicked, this, &StoryBar::nextRequested);
    connect(leave, &QPushButton::clicked, this, &StoryBar::leaveRequested);
    // The question opens on request, so a step first shows its chart whole.
    m_ask->setCheckable(true);
    m_ask->setToolTip(tr("Ask the class this step's question, then reveal the answer"));
    connect(m_ask, &QPushButton::toggled, this, [this](bool asking) {
        m_questionBox->setVisible(asking);
        if (asking)
            m_guesses->setFocus();
    });

    QFont promptFont = m_prompt->font();
    promptFont.setBold(true);
    m_prompt->setFont(promptFont);
    m_prompt->setWordWrap(true);
    m_guesses->setAccessibleName(tr("Guesses"));
    m_answerLabel->setWordWrap(true);
    m_answerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_answerLabel->setObjectName(QStringLiteral("storyAnswer"));
    connect(m_reveal, &QPushButton::clicked, this, &StoryBar::reveal);
    connect(m_guesses, &QLineEdit::returnPressed, this, &StoryBar::reveal);
    auto *guessRow = new QHBoxLayout;
    guessRow->setContentsMargins(0, 0, 0, 0);
    guessRow->addWidget(m_guesses, 1);
    guessRow->addWidget(m_reveal);
    auto *questionLayout = new QVBoxLayout(m_questionBox);
    questionLayout->setContentsMargins(0, 4, 0, 0);
    questionLayout->addWidget(m_prompt);
    questionLayout->addLayout(guessRow);
    questionLayout->addWidget(m_answerLabel);
    questionLayout->addWidget(m_scale);

    auto *titleRow = new QHBoxLayout; // the title leaves room beside it; a button there costs no height
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_ask);
    auto *text = new QVBoxLayout;
    text->addLayout(titleRow);
    text->addWidget(m_caption);
    text->addWidget(m_questionBox);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(text, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(leave);
}

void StoryBar::showStep(const StoryStep &step, int index, int count, const QString &storyName,
                        const std::optional<Result<StoryAnswer>> &answer)
{
    m_title->setText(tr("%1 — %2 (%3 of %4)").arg(storyName, step.title).arg(index + 1).arg(count));
    m_caption->setText(step.caption);
    m_previous->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < count);
    m_answer = answer;
    m_ask->setVisible(step.question.has_value());
    m_ask->setChecked(false);
    m_questionBox->setVisible(false);
    m_answerLabel->setVisible(false);
    m_scale->setVisible(false);
    m_guesses->clear();
    m_reveal->setEnabled(true);
    if (step.question) {
        m_prompt->setText(tr("Predict, then reveal: %1").arg(step.question->prompt));
        m_guesses->setPlaceholderText(
            tr("Your guess in %1 (a room can type several, separated by commas), then Enter")
                .arg(step.question->unit));
    }
}

bool StoryBar::reveal()
{
    if (!m_answer)
        return false;
    if (!*m_answer) {
        m_answerLabel->setText(tr("This question has no answer: %1")
                                   .arg(QString::fromStdString(m_answer->error().message)));
        m_answerLabel->setVisible(true);
        return false;
    }
    const StoryAnswer &answer = m_answer->value();
    std::vector<econ::GuessVerdict> verdicts;
    const QString typed = m_guesses->text().trimmed();
    if (!typed.isEmpty()) {
        const auto guesses = econ::parseGuesses(typed.toStdString());
        if (!guesses) {
            m_answerLabel->setText(tr("Guesses are numbers separated by commas: %1")
                                       .arg(QString::fromStdString(guesses.error().message)));
            m_answerLabel->setVisible(true);
            return false;
        }
        const bool logScale = econ::guessesNeedLogScale(answer.value, *guesses);
        for (double guess : *guesses)
            verdicts.push_back(econ::judgeGuess(guess, answer.value, logScale));
        m_scale->setGuesses(answer.value, answer.text, verdicts, logScale);
    }
    QString text = tr("<b>Answer: %1.</b> %2").arg(answer.text.toHtmlEscaped(), answer.source.toHtmlEscaped());
    if (!answer.quote.isEmpty())
        text += QStringLiteral(": “%1”").arg(answer.quote.toHtmlEscaped());
    if (!verdicts.empty()) {
        QStringList judged;
        for (const econ::GuessVerdict &verdict : verdicts)
            judged << QStringLiteral("%1 (%2)").arg(QLocale().toString(verdict.guess, 'g', 4),
                                                   QString::fromStdString(verdict.text));
        text += tr("<br>Guesses: %1%2").arg(judged.join(QStringLiteral("; ")),
                                           m_scale->logScale() ? tr(" — on a log scale: they span decades") : QString());
    }
    m_answerLabel->setText(text);
    m_answerLabel->setVisible(true);
    m_scale->setVisible(!verdicts.empty());
    return true;
}

} // namespace cliff::ui
