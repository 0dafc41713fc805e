#include "catalog.h"

#include "store_file.h"
#include "user_store.h"

namespace cliff::store {

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
    if (userPath.isEmpty())
        return catalog;

    auto user = UserStore::open(userPath);
    if (!user) {
        catalog.userStoreProblem = user.error();
        return catalog;
    }
    auto own = user->figures();
    if (!own) {
        catalog.userStoreProblem = own.error();
        return catalog;
    }
    for (Source &source : own->sources) {
        if (!catalog.figures.findSource(source.id))
            catalog.figures.sources.push_back(std::move(source));
    }
    for (Figure &figure : own->figures)
        catalog.figures.figures.push_back(std::move(figure));
    return catalog;
}

} // namespace cliff::store
