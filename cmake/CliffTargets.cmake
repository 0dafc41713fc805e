# Interface targets that carry the project's compile options, so that nothing is set globally and
# third-party code is never compiled with our warning flags.

add_library(cliff_warnings INTERFACE)
target_compile_options(cliff_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast -Wnon-virtual-dtor
    -Woverloaded-virtual
    $<$<BOOL:${CLIFF_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(cliff_qt_defines INTERFACE)
target_compile_definitions(cliff_qt_defines INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_KEYWORDS QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_NO_FOREACH
    QT_NO_URL_CAST_FROM_STRING QT_USE_QSTRINGBUILDER)

add_library(cliff_sanitizers INTERFACE)
if(CLIFF_FUZZ)
    # Coverage for libFuzzer plus ASan and UBSan in every project target; the harnesses add
    # -fsanitize=fuzzer when they link. vptr checks are off: Qt's libraries are not instrumented.
    target_compile_options(cliff_sanitizers INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
        -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(cliff_sanitizers INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr)
elseif(CLIFF_SANITIZE)
    target_compile_options(cliff_sanitizers INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(cliff_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# Options every project target takes.
add_library(cliff_options INTERFACE)
target_link_libraries(cliff_options INTERFACE cliff_warnings cliff_sanitizers)

# Registers a Qt Test executable with CTest; tests never need a display.
function(cliff_add_test name)
    qt_add_executable(${name} ${ARGN})
    # Tests build strings from literals freely, so they do without cliff_qt_defines.
    target_link_libraries(${name} PRIVATE Qt6::Test cliff_options)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
