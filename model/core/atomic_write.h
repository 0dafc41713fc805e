#pragma once

#include "result.h"

#include <string>
#include <string_view>
#include <vector>

namespace cliff {

/// Ok when a regular file may be put at `path`: nothing is there, or a regular file is (a symlink
/// is followed). Otherwise the error names the path and what is there (a folder, a FIFO, a
/// device, a socket), which is never replaced.
Status checkReplaceable(const std::string &path);

/// Files that take their real names together, once all of them are written in full: each is
/// written to a temporary name in its target's folder and synced to disk, then renamed over the
/// target. A failure at any step leaves every target as it was and no temporary file behind.
class AtomicWrite {
public:
    AtomicWrite() = default;
    AtomicWrite(const AtomicWrite &) = delete;
    AtomicWrite &operator=(const AtomicWrite &) = delete;
    /// Removes the temporary files of a write that was not committed.
    ~AtomicWrite();

    /// Writes `bytes` under a temporary name beside `path` (beside the file a symlink at `path`
    /// points to) and syncs them; Ok, or the error naming `path`, also when checkReplaceable
    /// refuses it.
    Status stage(const std::string &path, std::string_view bytes);

    /// Renames every staged file over its target, in the order staged. When a rename fails, the
    /// targets already replaced get their previous files back (or are removed when there were
    /// none) as far as the file system allows, and the error names the file that failed.
    Status commit();

private:
    struct Staged {
        std::string shown;     ///< the path as given, for messages
        std::string target;    ///< the path with a final symlink resolved
        std::string temporary; ///< the new bytes until renamed; empty after
        std::string previous;  ///< a hard link to the file replaced; empty when none
        bool existed = false;
    };
    void rollBack(std::size_t renamed);
    void discard();

    std::vector<Staged> m_files;
};

/// Writes `bytes` to `path` all or nothing (one file of an AtomicWrite).
Status writeFileAtomically(const std::string &path, std::string_view bytes);

} // namespace cliff
