#include "catalog.h"

#include "store_file.h"
#include "user_store.h"

#include <QFileInfo>

#include <algorithm>

namespace cliff::store {

std::vector<Figure> Catalog::modelFigures() const
{
    return applyChoices(figures.figures, choices);
}

std::vector<const Figure *> Catalog::rivalsOf(const Figure &figure) const
{
    const FigureSlot slot = FigureSlot::of(figure);
    std::vector<const Figure *> rivals;
    for (const Figure &other : figures.figures) {
        if (other.userOwned != figure.userOwned && FigureSlot::of(other) == slot)
            rivals.push_back(&other);
    }
    return rivals;
}

bool Catalog::usedByModels(const Figure &figure) const
{
    const FigureSlot slot = FigureSlot::of(figure);
    std::vector<Figure> sameSlot;
    std::vector<FigureChoice> slotChoices;
    for (const Figure &other : figures.figures) {
        if (FigureSlot::of(other) == slot)
            sameSlot.push_back(other);
    }
    for (const FigureChoice &choice : choices) {
        if (choice.slot == slot)
            slotChoices.push_back(choice);
    }
    const std::vector<Figure> kept = applyChoices(sameSlot, slotChoices);
    return std::any_of(kept.begin(), kept.end(), [&figure](const Figure &f) {
        return f.id == figure.id && f.userOwned == figure.userOwned;
    });
}

const FigureChoice *Catalog::choiceFor(const Figure &figure) const
{
    const FigureSlot slot = FigureSlot::of(figure);
    const auto found = std::find_if(choices.begin(), choices.end(),
                                    [&slot](const FigureChoice &choice) { return choice.slot == slot; });
    return found == choices.end() ? nullptr : &*found;
}

Result<Catalog> loadCatalog(const QString &shippedPath, const QString &userPath)
{
    Catalog catalog;
    if (shippedPath.isEmpty()) {
        auto embedded = embeddedStorePath();
        if (!embedded)
            return embedded.error();
        catalog.shippedPath = embedded.value();
    } else {
        catalog.shippedPath = shippedPath;
    }
    auto shipped = loadStore(catalog.shippedPath);
    if (!shipped)
        return shipped.error();
    catalog.figures = std::move(shipped).value();
    // No user database yet is no user figures; it is created by the first write, not here.
    if (userPath.isEmpty() || !QFileInfo(userPath).exists())
        return catalog;

    auto user = UserStore::openForReading(userPath);
    if (!user) {
        catalog.userStoreProblem = user.error();
        return catalog;
    }
    auto own = user->figures();
    if (!own) {
        catalog.userStoreProblem = own.error();
        return catalog;
    }
    auto choices = user->choices();
    if (!choices) {
        catalog.userStoreProblem = choices.error();
        return catalog;
    }
    catalog.choices = std::move(choices).value();
    for (Source &source : own->sources) {
        if (!catalog.figures.findSource(source.id))
            catalog.figures.sources.push_back(std::move(source));
    }
    for (Figure &figure : own->figures)
        catalog.figures.figures.push_back(std::move(figure));
    return catalog;
}

} // namespace cliff::store
