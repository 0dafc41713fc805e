#pragma once

#include "export_subject.h"

#include <string>
#include <vector>

namespace cliff::plot {

/// One thing to cite, in three forms a reader can paste.
struct Citation {
    std::string label;     ///< what is cited, for a list: "This chart", "Bain & Company: Title"
    std::string shortText; ///< one short line for a caption
    std::string longText;  ///< the full reference
    std::string bibtex;    ///< a BibTeX @misc entry
};

/// The citation of the exported chart: app, version, view, chart and the scenario link.
Citation chartCitation(const ExportSubject &subject);

/// The citation of one source with its tier, naming the figures of it the chart plots.
Citation sourceCitation(const Source &source, const std::vector<std::string> &figureIds);

/// The chart's citation followed by one per cited source, in order of first use.
std::vector<Citation> citations(const ExportSubject &subject);

/// `text` with the characters TeX treats specially escaped, for a BibTeX field.
std::string bibtexEscape(const std::string &text);

} // namespace cliff::plot
