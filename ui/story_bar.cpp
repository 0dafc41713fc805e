#include "story_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cliff::ui {

StoryBar::StoryBar(QWidget *parent)
    : QFrame(parent),
      m_title(new QLabel),
      m_caption(new QLabel),
      m_previous(new QPushButton(tr("← Previous"))),
      m_next(new QPushButton(tr("Next →")))
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

    auto *text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_caption);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(text, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(leave);
}

void StoryBar::showStep(const StoryStep &step, int index, int count)
{
    m_title->setText(tr("The thesis in five moves — %1 (%2 of %3)").arg(step.title).arg(index + 1).arg(count));
    m_caption->setText(step.caption);
    m_previous->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < count);
}

} // namespace cliff::ui
