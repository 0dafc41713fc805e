#pragma once

#include "session/story.h"

#include <QFrame>

#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QWidget;

namespace cliff::ui {

class GuessScale;

/// The caption strip of the guided story: step title, caption, previous/next and leave, and on
/// request the step's question: the class types one or more guesses, then reveals the answer with
/// its source and how far each guess was.
class StoryBar : public QFrame {
    Q_OBJECT

public:
    explicit StoryBar(QWidget *parent = nullptr);

    /// Shows step `index` of `count` of `step` in the story called `storyName`; `answer` is the
    /// answer to the step's question (or why there is none), revealed on request.
    void showStep(const StoryStep &step, int index, int count, const QString &storyName,
                  const std::optional<Result<StoryAnswer>> &answer);

    /// Reveals the answer beside the guesses typed so far; false (with the reason shown) when the
    /// guesses cannot be read.
    bool reveal();

Q_SIGNALS:
    void previousRequested();
    void nextRequested();
    void leaveRequested();

private:
    QLabel *m_title;
    QLabel *m_caption;
    QPushButton *m_previous;
    QPushButton *m_next;
    QPushButton *m_ask; ///< opens the question box
    QWidget *m_questionBox;
    QLabel *m_prompt;
    QLineEdit *m_guesses;
    QPushButton *m_reveal;
    QLabel *m_answerLabel;
    GuessScale *m_scale;
    std::optional<Result<StoryAnswer>> m_answer;
};

} // namespace cliff::ui
