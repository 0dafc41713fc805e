# Shared by run.sh and test.sh: installs what the build needs on Debian 12, then configures
# and builds. Sourced, not run.

CLIFF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

CLIFF_PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-svg-dev
    qt6-tools-dev qt6-l10n-tools libeigen3-dev libsqlite3-dev nlohmann-json3-dev libnlopt-dev libgl-dev libzip-dev
    libbenchmark-dev xvfb xauth appstream desktop-file-utils sqlite3 poppler-utils
    clang libclang-rt-14-dev
)

# Installs the packages that are missing (as root, or through sudo).
cliff_install_packages() {
    local missing=()
    local package
    for package in "${CLIFF_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configures and builds the given CMake preset.
cliff_build() {
    local preset=$1
    cmake --preset "$preset" -S "$CLIFF_ROOT" >/dev/null
    cmake --build --preset "$preset" -j "$(nproc)"
}
