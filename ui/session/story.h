#pragma once

#include "econ/scenario.h"

#include <QString>

#include <vector>

namespace cliff {

/// One move of the guided story: a view, the assumptions it starts from and what to look at.
struct StoryStep {
    QString title;
    QString viewKey;
    QString chartKey; ///< the chart the caption talks about
    QString caption;
    econ::Scenario scenario; ///< defaults with the step's preset assumptions applied
};

/// "The thesis in five moves": the bet, the falsification risk, the doctrine, the cracks, the
/// cliff, in order.
std::vector<StoryStep> thesisStory();

} // namespace cliff
