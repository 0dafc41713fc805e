#include "figure_choice.h"

#include <map>

namespace cliff::store {

FigureSlot FigureSlot::of(const Figure &figure)
{
    return FigureSlot{figure.category, figure.entity, figure.metric, figure.period};
}

std::vector<Figure> applyChoices(const std::vector<Figure> &figures,
                                 const std::vector<FigureChoice> &choices)
{
    struct Origins {
        bool shipped = false;
        bool user = false;
        bool chosenPresent = false;
        const std::string *chosen = nullptr;
    };
    std::map<FigureSlot, Origins> slots;
    for (const Figure &figure : figures) {
        Origins &origins = slots[FigureSlot::of(figure)];
        (figure.userOwned ? origins.user : origins.shipped) = true;
    }
    for (const FigureChoice &choice : choices) {
        if (const auto it = slots.find(choice.slot); it != slots.end())
            it->second.chosen = &choice.figureId;
    }
    for (const Figure &figure : figures) {
        Origins &origins = slots[FigureSlot::of(figure)];
        if (origins.chosen && *origins.chosen == figure.id)
            origins.chosenPresent = true;
    }

    std::vector<Figure> kept;
    kept.reserve(figures.size());
    for (const Figure &figure : figures) {
        const Origins &origins = slots.at(FigureSlot::of(figure));
        const bool contested = origins.shipped && origins.user;
        const bool keep = !contested
                          || (origins.chosenPresent ? *origins.chosen == figure.id
                                                    : figure.userOwned);
        if (keep)
            kept.push_back(figure);
    }
    return kept;
}

} // namespace cliff::store
