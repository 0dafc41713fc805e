#include "citation.h"

#include "econ/scenario_link.h"

#include <algorithm>

namespace cliff::plot {

namespace {

/// A BibTeX key: letters, digits and the separators BibTeX allows.
std::string bibtexKey(const std::string &text)
{
    std::string key;
    for (char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                          || c == '-' || c == '_' || c == ':' || c == '.';
        key += keep ? c : '-';
    }
    return key;
}

/// One "  name = {value}," line; `value` is already escaped.
std::string field(const std::string &name, const std::string &value)
{
    std::string line = "  " + name;
    line.resize(std::max<std::size_t>(line.size(), 15), ' ');
    return line + "= {" + value + "},\n";
}

/// Closes an entry: the last field loses its comma.
std::string closed(std::string entry)
{
    if (entry.size() >= 2 && entry.compare(entry.size() - 2, 2, ",\n") == 0)
        entry.erase(entry.size() - 2, 1);
    return entry + "}\n";
}

std::string yearOf(const std::string &published)
{
    return published.size() >= 4 ? published.substr(0, 4) : published;
}

std::string quoted(const std::string &text)
{
    return "\u201c" + text + "\u201d";
}

} // namespace

std::string bibtexEscape(const std::string &text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '{':
        case '}':
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
            out += '\\';
            out += c;
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        default:
            out += c;
        }
    }
    return out;
}

Citation chartCitation(const ExportSubject &subject)
{
    const std::string title = defaultTitle(subject);
    const std::string link = econ::formatScenarioLink(subject.viewKey(), subject.scenario);
    const std::string version(appVersion());
    const std::string chartPart = subject.allCharts() ? "all charts" : "chart " + subject.chartKey();

    Citation citation;
    citation.label = "This chart";
    citation.shortText = std::string(kAppName) + " " + version + ", " + quoted(title) + " (view "
                         + subject.viewKey() + ", " + chartPart + ").";
    citation.longText = quoted(title) + ". " + (subject.allCharts() ? "Charts" : "Chart")
                        + " from the view " + quoted(subject.plot.question) + " (" + subject.viewKey()
                        + ", " + chartPart + ") of " + std::string(kAppName) + ", version " + version
                        + ". Scenario: " + link + ". " + assumptionFootnote(subject) + " "
                        + exportSourceLine(subject);

    std::string entry = "@misc{computecliff-" + bibtexKey(subject.fileStem()) + ",\n";
    entry += field("title", "{" + bibtexEscape(title) + "}");
    entry += field("author", "{" + bibtexEscape(std::string(kAppName)) + "}");
    entry += field("howpublished", bibtexEscape(std::string(kAppName) + ", version " + version
                                                + ", view " + subject.viewKey() + ", " + chartPart));
    entry += field("version", bibtexEscape(version));
    entry += field("note", bibtexEscape("Scenario: " + link + ". " + exportSourceLine(subject)));
    citation.bibtex = closed(entry);
    return citation;
}

Citation sourceCitation(const Source &source, const std::vector<std::string> &figureIds)
{
    Citation citation;
    citation.label = source.publisher + ": " + source.title;
    const std::string year = yearOf(source.published);
    citation.shortText = source.publisher + (year.empty() ? "" : " (" + year + ")") + ", "
                         + quoted(source.title) + ".";
    citation.longText = source.publisher + ". " + quoted(source.title) + "."
                        + (source.published.empty() ? "" : " Published " + source.published + ".")
                        + (source.url.empty() ? "" : " " + source.url)
                        + (source.tier.empty() ? "" : " Source tier: " + source.tier + ".");
    if (!figureIds.empty()) {
        citation.longText += " (Figures plotted: ";
        for (std::size_t i = 0; i < figureIds.size(); ++i)
            citation.longText += (i ? ", " : "") + figureIds[i];
        citation.longText += ".)";
    }

    std::string entry = "@misc{" + bibtexKey(source.id) + ",\n";
    entry += field("title", "{" + bibtexEscape(source.title) + "}");
    entry += field("author", "{" + bibtexEscape(source.publisher) + "}");
    if (!year.empty())
        entry += field("year", bibtexEscape(year));
    std::string note = source.published.empty() ? "" : "Published " + bibtexEscape(source.published);
    if (!source.tier.empty())
        note += (note.empty() ? "Source tier " : "; source tier ") + bibtexEscape(source.tier);
    if (!note.empty())
        entry += field("note", note);
    if (!source.url.empty())
        entry += field("url", source.url);
    citation.bibtex = closed(entry);
    return citation;
}

std::vector<Citation> citations(const ExportSubject &subject)
{
    std::vector<Citation> all{chartCitation(subject)};
    const std::vector<std::string> ids = subject.figureIds();
    for (const Source &source : subject.citedSources()) {
        std::vector<std::string> fromSource;
        for (const std::string &id : ids) {
            if (const Figure *figure = subject.findFigure(id); figure && figure->sourceId == source.id)
                fromSource.push_back(id);
        }
        all.push_back(sourceCitation(source, fromSource));
    }
    return all;
}

} // namespace cliff::plot
