#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sets the C locale from the environment so that wide characters work, once per process.
///
/// Calls `setlocale(LC_ALL, "")`; when the resulting character type is not UTF-8 (LANG unset,
/// as under `env -i` or in CI), falls back to `C.UTF-8` for `LC_CTYPE`. Later calls do nothing
/// and return the first answer, so concurrent callers never see the locale change under them.
/// Width functions in this module call it themselves; a program that draws with ncurses must
/// call it before `newterm`.
/// - Returns: whether the character type is UTF-8 afterwards.
@discardableResult
public func enableUTF8Locale() -> Bool {
    localeIsUTF8
}

private let localeIsUTF8: Bool = {
    setlocale(LC_ALL, "")
    if !characterTypeIsUTF8() {
        setlocale(LC_CTYPE, "C.UTF-8")
    }
    return characterTypeIsUTF8()
}()

private func characterTypeIsUTF8() -> Bool {
    guard let name = setlocale(LC_CTYPE, nil) else { return false }
    let lowered = String(cString: name).lowercased()
    return lowered.contains("utf-8") || lowered.contains("utf8")
}
