#include "atomic_write.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <random>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cliff {

namespace {

// One write() call at most this long, well under the 2 GiB Linux moves at once.
constexpr std::size_t kChunkBytes = std::size_t(1) << 30;
// Room left in a 255-byte name for the suffix of a temporary name.
constexpr std::size_t kNamePrefixBytes = 200;

Error fileError(const std::string &path, const std::string &what, int error)
{
    return Error{what + ": " + std::generic_category().message(error), path, 0, {}};
}

const char *kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    return "of an unknown kind";
}

/// A name beside `target` that nothing has yet: "target.tag-XXXXXX".
std::string besideName(const std::string &target, const char *tag)
{
    static constexpr std::string_view kLetters =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device random;
    const std::filesystem::path path(target);
    std::string name = path.filename().string().substr(0, kNamePrefixBytes) + tag;
    for (int i = 0; i < 6; ++i)
        name += kLetters[random() % kLetters.size()];
    return (path.parent_path() / name).string();
}

/// Creates a new file beside `target` for writing and returns its descriptor, or -1 with errno.
int createBeside(const std::string &target, std::string &name)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        name = besideName(target, ".tmp-");
        // 0666 so that the umask decides, as for any new file the user makes.
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/// A second name for the file at `target`, so that it can be put back; empty when the file
/// system cannot make one (no hard links there).
std::string linkBeside(const std::string &target)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string name = besideName(target, ".old-");
        if (::link(target.c_str(), name.c_str()) == 0)
            return name;
        if (errno != EEXIST)
            break;
    }
    return {};
}

Status writeAll(int fd, std::string_view bytes, const std::string &shown)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), std::min(bytes.size(), kChunkBytes));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return fileError(shown, "cannot write", errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    // EINVAL: a file system that has nothing to sync.
    if (::fsync(fd) != 0 && errno != EINVAL)
        return fileError(shown, "cannot write", errno);
    return Ok{};
}

/// Makes the renames in `folder` survive a crash; a folder that cannot be synced is no error.
void syncFolder(const std::string &target)
{
    const std::string folder = std::filesystem::path(target).parent_path().string();
    const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

Status checkReplaceable(const std::string &path)
{
    struct stat status {};
    // Anything stat cannot see is left to the write itself to report.
    if (::stat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode))
        return Ok{};
    return Error{std::string("not a regular file (") + kindOf(status.st_mode) + "); not replaced", path, 0, {}};
}

AtomicWrite::~AtomicWrite()
{
    discard();
}

Status AtomicWrite::stage(const std::string &path, std::string_view bytes)
{
    if (Status replaceable = checkReplaceable(path); !replaceable)
        return replaceable;
    Staged file;
    file.shown = path;
    file.target = path;
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0 && S_ISLNK(status.st_mode)) {
        std::error_code error;
        if (auto resolved = std::filesystem::canonical(path, error); !error)
            file.target = resolved.string();
    }
    const bool existed = ::stat(file.target.c_str(), &status) == 0;
    file.existed = existed;

    const int fd = createBeside(file.target, file.temporary);
    if (fd < 0)
        return fileError(path, "cannot write", errno);
    if (existed)
        ::fchmod(fd, status.st_mode & 07777); // the new file keeps the old one's permissions
    Status written = writeAll(fd, bytes, path);
    if (::close(fd) != 0 && written)
        written = fileError(path, "cannot write", errno);
    if (!written) {
        ::unlink(file.temporary.c_str());
        return written;
    }
    m_files.push_back(std::move(file));
    return Ok{};
}

Status AtomicWrite::commit()
{
    // Every previous file keeps a second name until all the new ones are in place, so that a
    // failed rename can put back the ones already replaced.
    for (Staged &file : m_files) {
        if (file.existed)
            file.previous = linkBeside(file.target);
    }
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        Staged &file = m_files[i];
        if (::rename(file.temporary.c_str(), file.target.c_str()) != 0) {
            const Error error = fileError(file.shown, "cannot replace", errno);
            rollBack(i);
            discard();
            return error;
        }
        file.temporary.clear();
    }
    for (const Staged &file : m_files)
        syncFolder(file.target);
    discard();
    return Ok{};
}

void AtomicWrite::rollBack(std::size_t renamed)
{
    for (std::size_t i = renamed; i-- > 0;) {
        Staged &file = m_files[i];
        if (!file.previous.empty()) {
            if (::rename(file.previous.c_str(), file.target.c_str()) == 0)
                file.previous.clear();
        } else if (!file.existed) {
            ::unlink(file.target.c_str());
        }
    }
}

void AtomicWrite::discard()
{
    for (const Staged &file : m_files) {
        if (!file.temporary.empty())
            ::unlink(file.temporary.c_str());
        if (!file.previous.empty())
            ::unlink(file.previous.c_str());
    }
    m_files.clear();
}

Status writeFileAtomically(const std::string &path, std::string_view bytes)
{
    AtomicWrite write;
    if (Status staged = write.stage(path, bytes); !staged)
        return staged;
    return write.commit();
}

} // namespace cliff
