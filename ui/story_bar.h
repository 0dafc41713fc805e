#pragma once

#include "session/story.h"

#include <QFrame>

#include <vector>

class QLabel;
class QPushButton;

namespace cliff::ui {

/// The caption strip of the guided story: step title, caption, previous/next and leave.
class StoryBar : public QFrame {
    Q_OBJECT

public:
    explicit StoryBar(QWidget *parent = nullptr);

    /// Shows step `index` of `count` of `step`.
    void showStep(const StoryStep &step, int index, int count);

Q_SIGNALS:
    void previousRequested();
    void nextRequested();
    void leaveRequested();

private:
    QLabel *m_title;
    QLabel *m_caption;
    QPushButton *m_previous;
    QPushButton *m_next;
};

} // namespace cliff::ui
