#pragma once

#include "econ/prediction.h"

#include <QWidget>

#include <vector>

namespace cliff::ui {

/// The class's guesses and the answer on one number line: logarithmic when they span a factor of
/// ten or more (see econ::guessesNeedLogScale), each guess marked with how far it was.
class GuessScale : public QWidget {
    Q_OBJECT

public:
    explicit GuessScale(QWidget *parent = nullptr);

    /// Places `verdicts` (one per guess) around `answer`; `answerText` labels the answer.
    void setGuesses(double answer, const QString &answerText, std::vector<econ::GuessVerdict> verdicts,
                    bool logScale);

    [[nodiscard]] bool logScale() const { return m_logScale; }
    [[nodiscard]] QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    /// The x of `value` between the left and right margins.
    [[nodiscard]] double xOf(double value) const;

    double m_answer = 0.0;
    QString m_answerText;
    std::vector<econ::GuessVerdict> m_verdicts;
    bool m_logScale = false;
    double m_low = 0.0;
    double m_high = 1.0;
};

} // namespace cliff::ui
